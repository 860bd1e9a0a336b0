"""Actor masking: what the technique networks read does not depend on who the actor is."""

from __future__ import annotations

import numpy as np

from presslens.analyze.techniques.actors import (
    ActorFinder,
    BlindText,
    Mention,
    mask_tokens,
    mentions_from_ents,
)
from presslens.analyze.techniques.checklist import ACTORS, LOADED_TEMPLATES, NEUTRAL_TEMPLATES, _fill
from presslens.analyze.techniques.windows import TokenizedText, tokenize


def test_mention_takes_its_leading_article_and_possessive() -> None:
    text = "Sanctions on the United States' allies, Iran's oil and Hitler's ghost."
    ents = [(17, 30, "GPE"), (40, 44, "GPE"), (55, 61, "PERSON")]
    found = mentions_from_ents(text, ents)
    assert [text[m.start : m.end] for m in found] == ["the United States'", "Iran's"]  # Hitler: a cue
    assert {m.kind for m in found} == {"GROUP"}


def test_unmasked_labels_are_left_alone() -> None:
    assert mentions_from_ents("On 3 May 2020 ten people", [(3, 13, "DATE"), (14, 17, "CARDINAL")]) == []


def test_mask_tokens_keeps_offsets_in_the_original_text() -> None:
    toks = TokenizedText(np.arange(5), np.array([[0, 3], [4, 10], [11, 17], [18, 22], [23, 26]]))
    masked = mask_tokens(toks, [Mention(4, 17, "GROUP")], {"GROUP": 99, "PERSON": 98})
    assert masked.ids.tolist() == [0, 99, 3, 4]
    assert masked.offsets.tolist() == [[0, 3], [4, 17], [18, 22], [23, 26]]


def test_blind_text_maps_every_span_onto_the_placeholder_words() -> None:
    text = "Yesterday the United States and Iran's envoy met Joe Biden."
    mentions = [Mention(10, 27, "GROUP"), Mention(32, 38, "GROUP"), Mention(49, 58, "PERSON")]
    blind = BlindText.of(text, mentions)
    assert blind.text == "Yesterday somegroup and somegroup envoy met someperson."
    for start, end, seen in [
        (0, 9, "Yesterday"),  # no mention: the same words
        (28, 31, "and"),
        (10, 31, "somegroup and"),  # a span over a mention takes its placeholder
        (14, 36, "somegroup and somegroup"),  # starting and ending inside mentions
        (39, 44, "envoy"),  # right after a possessive mention
        (0, len(text), blind.text),
    ]:
        b, s, e = blind.span(start, end)
        assert b[s:e] == seen, (start, end)
    assert BlindText.of(text, []).span(3, 9) == (text, 3, 9)


def test_actor_swaps_give_the_same_stacker_words_on_nearly_every_template() -> None:
    """The stacker reads the blind text: a template's words, length and capitals are the same
    for every actor (up to NER's misses, as for the network input below)."""
    templates = NEUTRAL_TEMPLATES + LOADED_TEMPLATES
    differing = []
    for template in templates:
        texts = [_fill(template, actor) for actor in ACTORS]
        blind = {BlindText.of(t, m).text for t, m in zip(texts, ActorFinder.find(texts), strict=True)}
        if len(blind) > 1:
            differing.append(template)
    assert len(differing) <= 0.05 * len(templates), differing


def test_actor_swaps_give_the_same_network_input_on_nearly_every_template() -> None:
    """By construction: the masked word pieces of a template are the same for every actor. NER
    may miss an actor in an odd sentence; at most 5 % of templates may differ at all."""
    from presslens.analyze.techniques.actors import placeholder_ids
    from presslens.analyze.techniques.runtime import default_model_dir
    from presslens.analyze.techniques.windows import load_tokenizer

    tok = load_tokenizer(default_model_dir() / "tokenizer.json")
    pid = placeholder_ids(tok)
    templates = NEUTRAL_TEMPLATES + LOADED_TEMPLATES
    differing = []
    for template in templates:
        texts = [_fill(template, actor) for actor in ACTORS]
        seqs = {
            tuple(mask_tokens(tokenize(tok, t), m, pid).ids.tolist())
            for t, m in zip(texts, ActorFinder.find(texts), strict=True)
        }
        if len(seqs) > 1:
            differing.append(template)
    assert len(differing) <= 0.05 * len(templates), differing
