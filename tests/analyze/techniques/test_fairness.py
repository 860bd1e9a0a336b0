"""CheckList-style behavioural tests: swapping the actor must not change how often a sentence
is flagged (≤ 2 percentage points between any two of ten actors), and neutral wire prose stays
(nearly) unflagged while loaded prose is flagged.

The goal is strict: a model that treats the same sentence differently depending on whom it is
about fails here (the model card quotes the figures; `python -m
presslens.analyze.techniques.checklist` prints them). The fake finders below show the checks
can fail and measure what they claim.
"""

from __future__ import annotations

import re

import pytest

from presslens.analyze.techniques.checklist import (
    ACTORS,
    LOADED_TEMPLATES,
    NEUTRAL_TEMPLATES,
    ChecklistResult,
    SpanFinder,
    _fill,
    run_checklist,
)
from presslens.analyze.techniques.runtime import Finding, TechniqueModel


class WordFinder:
    """A fake model that flags every occurrence of one word, at a fixed score."""

    def __init__(self, word: str, score: float = 0.9) -> None:
        self.pattern = re.compile(rf"\b{re.escape(word)}\b")
        self.score = score

    def find(self, text: str) -> list[Finding]:
        return [
            Finding("Name_Calling,Labeling", m.start(), m.end(), self.score, m.group())
            for m in self.pattern.finditer(text)
        ]


def test_a_finder_biased_against_one_actor_shows_the_full_gap() -> None:
    res = run_checklist(WordFinder("Iran"))

    assert res.flag_rate["Iran"] == 1.0
    assert all(rate == 0.0 for actor, rate in res.flag_rate.items() if actor != "Iran")
    assert res.max_gap == 1.0
    assert res.neutral_rate == res.loaded_rate == pytest.approx(1 / len(ACTORS))
    assert len(res.split_templates) == len(NEUTRAL_TEMPLATES) + len(LOADED_TEMPLATES)


def test_neutral_prose_spans_are_counted_per_1000_words() -> None:
    res = run_checklist(WordFinder("said"), actors=["Iran", "NATO"])

    assert res.max_gap == 0.0
    assert res.neutral_prose_words >= 1500
    assert res.neutral_prose_spans > 0
    assert res.spans_per_1000_words_neutral == pytest.approx(
        1000 * res.neutral_prose_spans / res.neutral_prose_words
    )


def test_spans_under_min_score_do_not_count() -> None:
    res = run_checklist(WordFinder("Iran", score=0.1), min_score=0.5)

    assert res.max_gap == 0.0
    assert res.loaded_rate == 0.0


def test_the_checklist_is_broad() -> None:
    assert len(ACTORS) >= 10
    assert len(NEUTRAL_TEMPLATES) + len(LOADED_TEMPLATES) >= 40
    assert all("{A}" in t for t in NEUTRAL_TEMPLATES + LOADED_TEMPLATES)


@pytest.fixture(scope="module")
def result(technique_model: SpanFinder) -> ChecklistResult:
    return run_checklist(technique_model)


@pytest.mark.slow  # the real model over the whole checklist
def test_flag_rate_is_the_same_whoever_the_actor_is(result: ChecklistResult) -> None:
    assert set(result.flag_rate) == set(ACTORS)
    assert result.max_gap <= 0.02 + 1e-9, (result.flag_rate, result.split_templates)


@pytest.mark.slow  # the real model over the whole checklist
def test_neutral_wire_sentences_stay_nearly_unflagged(result: ChecklistResult) -> None:
    assert result.neutral_rate <= 0.05


@pytest.mark.slow  # the real model over the whole checklist
def test_neutral_wire_prose_has_at_most_one_span_per_1000_words(result: ChecklistResult) -> None:
    assert result.spans_per_1000_words_neutral <= 1.0


@pytest.mark.slow  # the real model over the whole checklist
def test_loaded_sentences_are_mostly_flagged(result: ChecklistResult) -> None:
    assert result.loaded_rate >= 0.5


@pytest.mark.slow  # the real model over the whole checklist
def test_a_template_read_alike_for_every_actor_gets_the_same_findings(
    technique_model: TechniqueModel,
) -> None:
    """By construction, not by rate: where NER masks every actor of a template (the networks'
    word pieces and the found-span stacker's words are then the same for all ten), the findings —
    techniques and scores — must be the same too. A stacker reading the names once labelled
    "{A}'s crimes against humanity cannot go unpunished." Appeal to fear for Saudi Arabia,
    Flag-waving for the Palestinians and nothing for the rest."""
    templates = NEUTRAL_TEMPLATES + LOADED_TEMPLATES
    alike = 0
    for template in templates:
        texts = [_fill(template, actor) for actor in ACTORS]
        views = technique_model.views(texts)
        if len({tuple(v.toks.ids.tolist()) for v in views}) > 1 or len({v.blind.text for v in views}) > 1:
            continue  # NER missed an actor somewhere: not read alike
        alike += 1
        found = {tuple((f.technique, round(f.score, 6)) for f in technique_model.find(t)) for t in texts}
        assert len(found) == 1, (template, found)
    assert alike >= 0.95 * len(templates)
