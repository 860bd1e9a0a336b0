"""CheckList-style behavioural tests: swapping the actor must not change how often a sentence
is flagged (goal: ≤ 2 percentage points between actors), and neutral wire prose stays
(nearly) unflagged while loaded prose is flagged.

The shipped model misses the 2-point goal (measured 6 points over 50 templated sentences per
actor: a few loaded sentences are flagged for some actors and not others, all at calibrated
scores ≈ 0.1); that test is an expected failure until a model meets it, and a looser guard
keeps the gap from growing unnoticed. See the model card's behavioural-checks section.
"""

from __future__ import annotations

import pytest

from presslens.analyze.techniques.checklist import ACTORS, ChecklistResult, run_checklist


@pytest.fixture(scope="module")
def result(technique_model: object) -> ChecklistResult:
    return run_checklist(technique_model)


@pytest.mark.xfail(
    reason="shipped model: 6 pp gap between actors (goal 2 pp); see MODEL_CARD.md", strict=False
)
def test_flag_rate_is_the_same_whoever_the_actor_is(result: ChecklistResult) -> None:
    assert set(result.flag_rate) == set(ACTORS)
    assert result.max_gap <= 0.02 + 1e-9, result.flag_rate


def test_actor_gap_does_not_grow(result: ChecklistResult) -> None:
    assert result.max_gap <= 0.10 + 1e-9, result.flag_rate


def test_neutral_wire_sentences_stay_nearly_unflagged(result: ChecklistResult) -> None:
    assert result.neutral_rate <= 0.05


def test_loaded_sentences_are_mostly_flagged(result: ChecklistResult) -> None:
    assert result.loaded_rate >= 0.6
