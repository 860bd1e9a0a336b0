"""Fit the post-processing of the technique tagger on out-of-fold token logits.

Where it sits: after cross-validation (`presslens.train.techniques cv`) has written token logits
for every article as predicted by a model that never saw it. Everything here is numpy +
scikit-learn, no torch: per-channel Platt scaling of token logits, span thresholds (SI and per
technique FLC on the fitting folds), the TC span classifier (multinomial logistic regression on
pooled token probabilities + repetition/length features) and the isotonic map from a span's raw
score to P(correct). `fit_postprocessor` is called once per CV fold on the other folds' logits
(so reported figures are honest) and once on all of them for the shipped `postproc.json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from presslens.analyze.techniques.decode import (
    N_CHANNELS,
    PostProcessor,
    RawSpan,
    decode_spans,
    extract_any_spans,
    extract_spans,
    span_features,
    technique_distribution,
)
from presslens.analyze.techniques.ptc import Article, GoldSpan
from presslens.analyze.techniques.scorers import flc_score, si_score
from presslens.analyze.techniques.windows import TokenizedText, token_labels
from presslens.vocab import TECHNIQUES

Logits = dict[str, dict[str, np.ndarray]]  # article id -> {"offsets", "logits"}
THRESHOLDS = np.round(np.concatenate([[0.03, 0.05, 0.075, 0.1], np.arange(0.125, 0.95, 0.05)]), 3)


def _targets(articles: Sequence[Article], logits: Logits) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for a in articles:
        d = logits[a.article_id]
        toks = TokenizedText(np.zeros(len(d["offsets"]), dtype=np.int64), d["offsets"])
        spans = [(s.start, s.end, 1 + TECHNIQUES.index(s.technique)) for s in a.spans]
        xs.append(d["logits"])
        ys.append(token_labels(toks, spans, N_CHANNELS))
    return np.concatenate(xs), np.concatenate(ys)


def fit_platt(
    x: np.ndarray, y: np.ndarray, max_tokens: int = 200_000, seed: int = 13
) -> tuple[list[float], list[float]]:
    """Per channel, a 1-D logistic regression of the token label on the logit (Platt scaling)."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    idx = rng.choice(len(x), size=min(len(x), max_tokens), replace=False) if len(x) else np.arange(0)
    scale, bias = [], []
    for c in range(x.shape[1]):
        yc = y[idx, c]
        if yc.min() == yc.max():  # a channel without positives (or negatives): leave it alone
            scale.append(1.0)
            bias.append(0.0)
            continue
        lr = LogisticRegression(C=100.0, max_iter=200).fit(x[idx, c : c + 1], yc)
        scale.append(float(lr.coef_[0, 0]))
        bias.append(float(lr.intercept_[0]))
    return scale, bias


def decode_article(art: Article, d: dict[str, np.ndarray], pp: PostProcessor) -> list[RawSpan]:
    return decode_spans(art.text, d["offsets"], pp.probs(d["logits"]), pp)


def si_spans(art: Article, d: dict[str, np.ndarray], pp: PostProcessor, threshold: float) -> list[GoldSpan]:
    """SI predictions: runs of the "any technique" channel (channel 0) above `threshold`."""
    probe = PostProcessor(pp.scale, pp.bias, [threshold] * N_CHANNELS)
    spans = extract_any_spans(art.text, d["offsets"], pp.probs(d["logits"]), probe)
    return [GoldSpan(art.article_id, "?", s, e) for s, e in spans]


OFF = 1.01  # a threshold no probability reaches: the channel never fires


def fit_thresholds(articles: Sequence[Article], logits: Logits, pp: PostProcessor) -> list[float]:
    """Channel 0: best SI F1 on a grid. Channels 1..14: coordinate ascent on the *micro* FLC F1.

    FLC groups spans by (article, technique), so its numerator and denominator sums split by
    technique: each channel's (Σ overlap/|s|, #pred) at each threshold is computed once, and
    the thresholds are then chosen jointly (a rare technique at a low threshold can raise its
    own F1 while flooding the micro average with false spans; tuning channels alone did that).
    """
    gold = [s for a in articles for s in a.spans]
    th = [0.5] * N_CHANNELS
    best = -1.0
    for t in THRESHOLDS:
        f = si_score([s for a in articles for s in si_spans(a, logits[a.article_id], pp, float(t))], gold).f1
        if f > best:
            best, th[0] = f, float(t)
    probs = {a.article_id: pp.probs(logits[a.article_id]["logits"]) for a in articles}
    grid = [*map(float, THRESHOLDS), OFF]
    # sums[c][t] = (Σ_s overlap/|s|, #pred, Σ_t overlap/|t|) for channel c at grid[t]
    sums: dict[int, list[tuple[float, int, float]]] = {}
    n_gold = 0
    for c in range(1, N_CHANNELS):
        tech = TECHNIQUES[c - 1]
        g = [s for s in gold if s.technique == tech]
        row = []
        for t in grid:
            if t >= OFF:
                prf = flc_score([], g)
            else:
                cand = PostProcessor(pp.scale, pp.bias, [OFF] * N_CHANNELS)
                cand.thresholds[c] = t
                pred = [
                    GoldSpan(a.article_id, tech, s.start, s.end)
                    for a in articles
                    for s in extract_spans(a.text, logits[a.article_id]["offsets"], probs[a.article_id], cand)
                ]
                prf = flc_score(pred, g)
            row.append((prf.precision * prf.n_pred, prf.n_pred, prf.recall * prf.n_gold))
            n_gold_c = prf.n_gold
        sums[c] = row
        n_gold += n_gold_c
    choice = {c: len(grid) - 1 for c in sums}  # start with every channel off

    def micro_f1(ch: dict[int, int]) -> float:
        sp = sum(sums[c][i][0] for c, i in ch.items())
        npred = sum(sums[c][i][1] for c, i in ch.items())
        sr = sum(sums[c][i][2] for c, i in ch.items())
        p = sp / npred if npred else 0.0
        r = sr / n_gold if n_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    for _ in range(3):
        for c in sums:
            scored = [(micro_f1({**choice, c: i}), -i) for i in range(len(grid))]
            choice[c] = -max(scored)[1]  # best F1; on ties the lowest threshold index
    for c, i in choice.items():
        th[c] = grid[i]
    return th


def span_dataset(
    articles: Sequence[Article], logits: Logits, pp: PostProcessor
) -> tuple[np.ndarray, list[str]]:
    feats, labels = [], []
    for a in articles:
        d = logits[a.article_id]
        probs = pp.probs(d["logits"])
        for s in a.spans:
            feats.append(span_features(a.text, d["offsets"], probs, s.start, s.end))
            labels.append(s.technique)
    return np.asarray(feats), labels


def fit_span_classifier(
    x: np.ndarray, labels: list[str], seed: int = 13
) -> tuple[list[list[float]], list[float]]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(max_iter=3000, C=1.0, random_state=seed).fit(x, labels)
    coef = np.zeros((len(TECHNIQUES), x.shape[1]))
    icpt = np.full(len(TECHNIQUES), -30.0)  # a technique never seen gets ~0 probability
    for i, cls in enumerate(clf.classes_):
        j = TECHNIQUES.index(str(cls))
        coef[j] = clf.coef_[i]
        icpt[j] = clf.intercept_[i]
    return coef.tolist(), icpt.tolist()


def span_hits(art: Article, spans: Sequence[RawSpan]) -> list[bool]:
    """Whether each predicted span overlaps a gold span of its technique (for calibration)."""
    out = []
    for s in spans:
        tech = TECHNIQUES[s.channel - 1]
        out.append(any(g.technique == tech and g.start < s.end and g.end > s.start for g in art.spans))
    return out


def fit_isotonic(raw: Sequence[float], hits: Sequence[bool]) -> tuple[list[float], list[float]]:
    from sklearn.isotonic import IsotonicRegression

    if len(raw) < 2:
        return [0.0, 1.0], [0.0, 1.0]
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
        np.asarray(raw, dtype=float), np.asarray(hits, dtype=float)
    )
    return [float(v) for v in iso.X_thresholds_], [float(v) for v in iso.y_thresholds_]


@dataclass
class FitReport:
    pp: PostProcessor
    n_tokens: int
    n_spans: int


def fit_postprocessor(articles: Sequence[Article], logits: Logits, seed: int = 13) -> FitReport:
    """All post-processing pieces, fitted on `articles` with their out-of-fold `logits`."""
    x, y = _targets(articles, logits)
    scale, bias = fit_platt(x, y, seed=seed)
    pp = PostProcessor(scale=scale, bias=bias)
    pp.thresholds = fit_thresholds(articles, logits, pp)
    fx, fl = span_dataset(articles, logits, pp)
    pp.tc_coef, pp.tc_intercept = fit_span_classifier(fx, fl, seed)
    gold = [s for a in articles for s in a.spans]
    best, chosen = -1.0, "channels"
    for mode in ("channels", "any"):
        pp.span_mode = mode
        pred = [
            GoldSpan(a.article_id, TECHNIQUES[s.channel - 1], s.start, s.end)
            for a in articles
            for s in decode_article(a, logits[a.article_id], pp)
        ]
        f = flc_score(pred, gold).f1
        if f > best:
            best, chosen = f, mode
    pp.span_mode = chosen
    raw: list[float] = []
    hits: list[bool] = []
    for a in articles:
        spans = decode_article(a, logits[a.article_id], pp)
        raw.extend(s.raw for s in spans)
        hits.extend(span_hits(a, spans))
    pp.iso_x, pp.iso_y = fit_isotonic(raw, hits)
    return FitReport(pp, len(x), len(fl))


def classify_spans(
    art: Article, d: dict[str, np.ndarray], pp: PostProcessor, spans: Sequence[GoldSpan]
) -> list[GoldSpan]:
    """TC: label each given span; a span listed k times gets the k most likely techniques."""
    probs = pp.probs(d["logits"])
    out = []
    seen: dict[tuple[int, int], int] = {}
    for s in spans:
        k = seen.get((s.start, s.end), 0)
        seen[(s.start, s.end)] = k + 1
        dist = technique_distribution(pp, span_features(art.text, d["offsets"], probs, s.start, s.end))[0]
        order = np.argsort(-dist)
        out.append(GoldSpan(s.article_id, TECHNIQUES[int(order[min(k, len(order) - 1)])], s.start, s.end))
    return out
