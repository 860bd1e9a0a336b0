"""CheckList-style behavioural tests: swapping the actor must not change how often a sentence
is flagged (≤ 2 percentage points between actors), and neutral wire prose stays (nearly)
unflagged while loaded prose is flagged."""

from __future__ import annotations

import pytest

from presslens.analyze.techniques.checklist import ACTORS, run_checklist


@pytest.fixture(scope="module")
def result(technique_model: object):  # type: ignore[no-untyped-def]
    return run_checklist(technique_model)


def test_flag_rate_is_the_same_whoever_the_actor_is(result) -> None:  # type: ignore[no-untyped-def]
    assert set(result.flag_rate) == set(ACTORS)
    assert result.max_gap <= 0.02 + 1e-9, result.flag_rate


def test_neutral_wire_sentences_stay_nearly_unflagged(result) -> None:  # type: ignore[no-untyped-def]
    assert result.neutral_rate <= 0.10


def test_loaded_sentences_are_mostly_flagged(result) -> None:  # type: ignore[no-untyped-def]
    assert result.loaded_rate >= 0.5
