"""SemEval-2020 Task 11 scorers: SI, TC (micro-F1) and FLC, with a per-technique table.

Where it sits: `presslens eval techniques`, the cross-validation report and the model card all
score through these functions; they take `GoldSpan`s (`presslens.analyze.techniques.ptc`).

- **SI** (span identification): spans are merged per article (overlapping or touching spans of
  one article become one), then, with S the predicted and T the gold spans and
  C(s, t, h) = |s ∩ t| / h (characters),
  P = Σ_{s,t} C(s, t, |s|) / |S|,  R = Σ_{s,t} C(s, t, |t|) / |T|,  F1 = 2PR / (P + R).
- **FLC** (fragment-level classification, the 2019 task): the SI formula where C counts only
  pairs whose techniques agree; spans are merged per (article, technique).
- **TC** (technique classification of given gold spans): micro-averaged P/R/F1 over spans,
  matching each predicted (article, start, end, technique) to a gold one at most once (a gold
  span labelled with two techniques needs two predictions for full credit, as in the task).

>>> g = [GoldSpan("1", "Doubt", 0, 10)]
>>> si_score([GoldSpan("1", "?", 0, 5)], g).f1
0.6666666666666666
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presslens.analyze.techniques.ptc import GoldSpan
from presslens.vocab import TECHNIQUES


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    n_pred: int = 0
    n_gold: int = 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [start, end) shares a character with any of `spans` (what a calibrated score
    promises: P(a gold span overlaps this one)).

    >>> overlaps_any(3, 5, [(0, 3), (5, 9)]), overlaps_any(3, 6, [(5, 9)])
    (False, True)
    """
    return any(start < e and s < end for s, e in spans)


def merge_intervals(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching [start, end) intervals; empty ones are dropped.

    >>> merge_intervals([(5, 9), (0, 3), (2, 6), (12, 12)])
    [(0, 9)]
    """
    out: list[list[int]] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _overlap_sums(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """Σ |s∩t|/|s| and Σ |s∩t|/|t| over all pairs (both lists sorted, merged)."""
    sp = sr = 0.0
    j0 = 0
    for s0, s1 in pred:
        while j0 < len(gold) and gold[j0][1] <= s0:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j][0] < s1:
            t0, t1 = gold[j]
            inter = min(s1, t1) - max(s0, t0)
            if inter > 0:
                sp += inter / (s1 - s0)
                sr += inter / (t1 - t0)
            j += 1
    return sp, sr


def _group(spans: Iterable[GoldSpan], by_technique: bool) -> dict[tuple[str, str], list[tuple[int, int]]]:
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for sp in spans:
        groups[(sp.article_id, sp.technique if by_technique else "")].append((sp.start, sp.end))
    return {k: merge_intervals(v) for k, v in groups.items()}


def _span_prf(pred: Iterable[GoldSpan], gold: Iterable[GoldSpan], by_technique: bool) -> PRF:
    pg, gg = _group(pred, by_technique), _group(gold, by_technique)
    n_pred = sum(len(v) for v in pg.values())
    n_gold = sum(len(v) for v in gg.values())
    sp = sr = 0.0
    for key, pspans in pg.items():
        a, b = _overlap_sums(pspans, gg.get(key, []))
        sp += a
        sr += b
    p = sp / n_pred if n_pred else 0.0
    r = sr / n_gold if n_gold else 0.0
    return PRF(p, r, _f1(p, r), n_pred, n_gold)


def si_score(pred: Iterable[GoldSpan], gold: Iterable[GoldSpan]) -> PRF:
    """SemEval-2020 SI: techniques ignored, spans merged per article."""
    return _span_prf(pred, gold, by_technique=False)


def flc_score(pred: Iterable[GoldSpan], gold: Iterable[GoldSpan]) -> PRF:
    """FLC: SI's partial-overlap formula counting overlap only where the techniques match."""
    return _span_prf(pred, gold, by_technique=True)


def tc_score(pred: Sequence[GoldSpan], gold: Sequence[GoldSpan]) -> PRF:
    """SemEval-2020 TC micro-P/R/F1: a prediction is right if its (article, start, end,
    technique) matches a not-yet-matched gold span."""
    gold_c = Counter(gold)
    pred_c = Counter(pred)
    correct = sum(min(n, gold_c[k]) for k, n in pred_c.items())
    p = correct / len(pred) if pred else 0.0
    r = correct / len(gold) if gold else 0.0
    return PRF(p, r, _f1(p, r), len(pred), len(gold))


@dataclass(frozen=True)
class TechniqueRow:
    technique: str
    support: int  # gold spans
    tc: PRF
    flc: PRF


def per_technique(
    tc_pred: Sequence[GoldSpan], flc_pred: Sequence[GoldSpan], gold: Sequence[GoldSpan]
) -> list[TechniqueRow]:
    """One row per PTC technique: TC P/R/F1 over gold spans and FLC F1 for that technique."""
    rows = []
    for tech in TECHNIQUES:
        g = [s for s in gold if s.technique == tech]
        rows.append(
            TechniqueRow(
                tech,
                len(g),
                tc_score([s for s in tc_pred if s.technique == tech], g),
                flc_score([s for s in flc_pred if s.technique == tech], g),
            )
        )
    return rows


@dataclass(frozen=True)
class Report:
    """Everything `presslens eval techniques` prints for one set of predictions."""

    si: PRF
    tc: PRF
    flc: PRF
    rows: list[TechniqueRow]


def score_all(
    spans_pred: Sequence[GoldSpan], tc_pred: Sequence[GoldSpan], gold: Sequence[GoldSpan]
) -> Report:
    """`spans_pred`: predicted labelled spans (SI and FLC); `tc_pred`: labels for gold spans."""
    return Report(
        si_score(spans_pred, gold),
        tc_score(tc_pred, gold),
        flc_score(spans_pred, gold),
        per_technique(tc_pred, spans_pred, gold),
    )


def expected_calibration_error(probs: Sequence[float], hits: Sequence[bool], n_bins: int = 10) -> float:
    """ECE with equal-width bins: Σ_b (n_b/N)·|accuracy_b − confidence_b|.

    >>> expected_calibration_error([0.9, 0.9, 0.1, 0.1], [True, True, False, False])
    0.1
    """
    import numpy as np

    p = np.asarray(probs, dtype=float)
    y = np.asarray(hits, dtype=float)
    if len(p) == 0:
        return 0.0
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            ece += m.mean() * abs(y[m].mean() - p[m].mean())
    return float(round(ece, 12))
