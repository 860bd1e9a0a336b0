"""The SemEval-2020 Task 11 scorers on hand-made cases whose scores are worked out by hand."""

from __future__ import annotations

import pytest

from presslens.analyze.techniques.ptc import GoldSpan
from presslens.analyze.techniques.scorers import (
    expected_calibration_error,
    flc_score,
    merge_intervals,
    per_technique,
    si_score,
    tc_score,
)


def g(aid: str, start: int, end: int, tech: str = "?") -> GoldSpan:
    return GoldSpan(aid, tech, start, end)


def test_si_half_of_a_gold_span_is_full_precision_half_recall() -> None:
    s = si_score([g("1", 0, 5)], [g("1", 0, 10)])
    assert (s.precision, s.recall) == (1.0, 0.5)
    assert s.f1 == pytest.approx(2 / 3)


def test_si_two_predictions_on_one_gold_span() -> None:
    # P = (5/5 + 2/4) / 2 = 0.75 ; R = (5/10 + 2/10) / 1 = 0.7
    s = si_score([g("1", 0, 5), g("1", 8, 12)], [g("1", 0, 10)])
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.7)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.7 / 1.45)


def test_si_merges_overlapping_predictions_before_scoring() -> None:
    s = si_score([g("1", 0, 6), g("1", 4, 10)], [g("1", 0, 10)])
    assert (s.precision, s.recall, s.n_pred) == (1.0, 1.0, 1)


def test_si_spans_of_other_articles_never_match() -> None:
    s = si_score([g("2", 0, 10)], [g("1", 0, 10)])
    assert s.f1 == 0.0


def test_si_without_predictions_scores_zero() -> None:
    assert si_score([], [g("1", 0, 10)]).f1 == 0.0


def test_flc_counts_overlap_only_where_techniques_agree() -> None:
    gold = [g("1", 0, 10, "Doubt"), g("1", 20, 30, "Loaded_Language")]
    pred = [g("1", 0, 10, "Doubt"), g("1", 20, 30, "Doubt")]
    s = flc_score(pred, gold)
    assert (s.precision, s.recall) == (0.5, 0.5)
    # SI ignores techniques: both predictions are perfect spans there.
    assert si_score(pred, gold).f1 == 1.0


def test_tc_is_micro_f1_with_each_gold_label_matched_once() -> None:
    gold = [g("1", 0, 5, "Doubt"), g("1", 0, 5, "Slogans"), g("1", 6, 9, "Repetition")]
    pred = [g("1", 0, 5, "Doubt"), g("1", 0, 5, "Doubt"), g("1", 6, 9, "Repetition")]
    s = tc_score(pred, gold)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)


def test_per_technique_rows_cover_all_fourteen_and_count_support() -> None:
    gold = [g("1", 0, 5, "Doubt"), g("1", 6, 9, "Repetition")]
    rows = {r.technique: r for r in per_technique(gold, gold, gold)}
    assert len(rows) == 14
    assert rows["Doubt"].support == 1 and rows["Doubt"].tc.f1 == 1.0 and rows["Doubt"].flc.f1 == 1.0
    assert rows["Slogans"].support == 0 and rows["Slogans"].tc.f1 == 0.0


def test_merge_intervals_joins_touching_spans() -> None:
    assert merge_intervals([(0, 3), (3, 5), (7, 8)]) == [(0, 5), (7, 8)]


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0, 1.0], [False, False]) == pytest.approx(1.0)
