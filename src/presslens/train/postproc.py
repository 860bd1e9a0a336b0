"""Fit the decoder (`PostProcessor`, shipped as `postproc.json`) on out-of-fold outputs.

Where it sits: after `presslens.train.span_tagger` and `presslens.train.span_classifier` have
written their folds. Everything here is fitted on predictions for articles the networks never
saw: the tagger's out-of-fold token logits and the fold classifiers run on the out-of-fold
predicted spans. For cross-validation the fit is *cross-fitted*: fold k's decoder is fitted on
the other folds' out-of-fold outputs only, so no CV figure is scored by parameters chosen on its
own articles. The shipped decoder is fitted on all five folds.

What is fitted (see `presslens.analyze.techniques.decode`): the SI threshold, the run bridge and
the minimum span score (best SI F1); the span isotonic map (P(span overlaps a gold span)); the
classifier's softmax temperature (NLL on gold spans); whether the found-span stacker's `none`
lowers the techniques' probabilities, the second-technique threshold and the minimum finding
score, together (best SI F1 + FLC F1: one output serves both tasks, so neither is bought with
the other); the finding isotonic map (P(a gold span of the technique overlaps)).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from presslens.analyze.techniques.actors import BlindText
from presslens.analyze.techniques.decode import PostProcessor, SpanCandidate, decode_spans, sigmoid, softmax
from presslens.analyze.techniques.ptc import Article, GoldSpan
from presslens.analyze.techniques.scorers import expected_calibration_error, flc_score, overlaps_any, si_score
from presslens.analyze.techniques.stacking import stack_logits
from presslens.train.common import fold_folder
from presslens.vocab import TECHNIQUES

# The search grid (fold 0 of the first run peaked at 0.40 / 0.25 / bridge 0; the grid leaves
# room on every side and stays small enough to fit six decoders in minutes).
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
LOWS = (0.2, 0.25, 0.3, 0.35, 0.4)
BRIDGES = (0, 2)
MIN_SCORES = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
SECOND_LABELS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 1.01)
# On v2.5's networks all six fits (the CV folds and the final one) chose 0.06, with `found_none`.
MIN_FINDINGS = (0.0, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25)


@dataclass
class ArticleOutputs:
    """One held-out article's network outputs: tagger piece probabilities (actor-masked pieces,
    offsets into the text) and, once computed, classifier logits of given spans."""

    article: Article
    offsets: np.ndarray
    probs: np.ndarray
    tc_logits: dict[tuple[int, int], np.ndarray]  # gold span -> classifier logits


def _isotonic(raw: Sequence[float], hits: Sequence[bool]) -> tuple[list[float], list[float]]:
    from sklearn.isotonic import IsotonicRegression

    if len(raw) < 2:
        return [0.0, 1.0], [0.0, 1.0]
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, np.asarray(hits, float))
    xs, ys = iso.X_thresholds_, iso.y_thresholds_
    return [round(float(x), 5) for x in xs], [round(float(y), 5) for y in ys]


class SiGrid:
    """SI counts of every decoder setting on every article, computed once: SemEval's SI sums
    per article (overlap over predicted and over gold spans), so a subset's F1 is a sum of rows
    and the six cross-fits share one decoding pass."""

    def __init__(self, outputs: Sequence[ArticleOutputs]) -> None:
        self.row = {o.article.article_id: i for i, o in enumerate(outputs)}
        self.settings = [(t, low, b) for t in THRESHOLDS for low in LOWS if low <= t for b in BRIDGES]
        # (setting, article, [overlap·pred, overlap·gold, n_pred, n_gold])
        self.counts = np.zeros((len(self.settings), len(outputs), 4))
        for j, o in enumerate(outputs):
            gold = o.article.spans
            for i, (t, low, b) in enumerate(self.settings):
                pred = [
                    GoldSpan(o.article.article_id, "?", c.start, c.end)
                    for c in decode_spans(o.article.text, o.offsets, o.probs, t, b, low)
                ]
                r = si_score(pred, gold)
                self.counts[i, j] = (r.precision * r.n_pred, r.recall * r.n_gold, r.n_pred, r.n_gold)

    def best(self, outputs: Sequence[ArticleOutputs]) -> tuple[float, float, float, int]:
        """(SI F1, threshold, low, bridge) of the best setting on `outputs`."""
        rows = [self.row[o.article.article_id] for o in outputs]
        sums = self.counts[:, rows].sum(axis=1)
        p = np.divide(sums[:, 0], sums[:, 2], out=np.zeros(len(sums)), where=sums[:, 2] > 0)
        r = np.divide(sums[:, 1], sums[:, 3], out=np.zeros(len(sums)), where=sums[:, 3] > 0)
        f1 = np.divide(2 * p * r, p + r, out=np.zeros(len(sums)), where=(p + r) > 0)
        i = int(np.argmax(f1))
        t, low, b = self.settings[i]
        return float(f1[i]), t, low, b


def fit_si(outputs: Sequence[ArticleOutputs], grid: SiGrid | None = None) -> PostProcessor:
    """Threshold, low threshold and bridge (best SI F1 on `outputs`, in-sample) and the span
    isotonic map; `grid`: precomputed counts covering `outputs`. The minimum span score is
    chosen in `fit`, with the finding parameters."""
    _, threshold, low, bridge = (grid or SiGrid(outputs)).best(outputs)
    cands = [
        (o, c)
        for o in outputs
        for c in decode_spans(o.article.text, o.offsets, o.probs, threshold, bridge, low)
    ]
    hits = [overlaps_any(c.start, c.end, [(s.start, s.end) for s in o.article.spans]) for o, c in cands]
    pp = PostProcessor(si_threshold=threshold, si_low=low, bridge=bridge)
    pp.span_iso_x, pp.span_iso_y = _isotonic([c.raw for _, c in cands], hits)
    return pp


def fit_temperature(outputs: Sequence[ArticleOutputs]) -> float:
    """Softmax temperature minimising the NLL of the gold techniques of gold spans."""
    logits, targets = [], []
    for o in outputs:
        labels: dict[tuple[int, int], list[str]] = {}
        for s in o.article.spans:
            labels.setdefault((s.start, s.end), []).append(s.technique)
        for key, techs in labels.items():
            if key in o.tc_logits:
                t = np.zeros(len(TECHNIQUES))
                for tech in techs:
                    t[TECHNIQUES.index(tech)] += 1.0 / len(techs)
                logits.append(o.tc_logits[key])
                targets.append(t)
    if not logits:
        return 1.0
    lg, tg = np.stack(logits), np.stack(targets)
    grid = np.arange(0.5, 3.01, 0.05)
    nll = [-(tg * np.log(softmax(lg, float(t)) + 1e-12)).sum(1).mean() for t in grid]
    return round(float(grid[int(np.argmin(nll))]), 3)


def findings(
    o: ArticleOutputs,
    spans: Sequence[tuple[SpanCandidate, float]],
    dist: np.ndarray,
    pp: PostProcessor,
) -> list[tuple[GoldSpan, float, float]]:
    """Labelled spans with their raw finding score and their span's score, as the runtime
    decodes them (`pp.labels`)."""
    return [
        (GoldSpan(o.article.article_id, TECHNIQUES[j], c.start, c.end), raw, p)
        for (c, p), row in zip(spans, dist, strict=True)
        for j, raw in pp.labels(p, row)
    ]


@dataclass
class FitReport:
    pp: PostProcessor
    si_f1: float
    flc_f1: float
    ece_spans: float
    ece_findings: float


Classify = Callable[[PostProcessor, Sequence[ArticleOutputs]], dict[str, np.ndarray]]


def fit(outputs: Sequence[ArticleOutputs], classify: Classify, grid: SiGrid | None = None) -> FitReport:
    """Fit every decoder parameter on `outputs`; `classify(pp, outputs)` returns each article's
    out-of-fold classifier logits of its stage-(a) spans under `pp` (`candidates()`)."""
    pp = fit_si(outputs, grid)
    pp.temperature = fit_temperature(outputs)
    # The minimum span score is chosen below, with the finding parameters: fitted alone for SI
    # (until v2.6) it filtered spans the minimum finding score thins too (in v2.6's first CV run the
    # three folds with min_score 0.25-0.3 lost 0.008-0.021 SI, the two with 0 gained; chosen
    # together, two of the three took 0, FLC 0.232 -> 0.233, SI unchanged). Spans and logits
    # are computed once with no minimum; a minimum keeps a subset of them.
    every = replace(pp, min_score=0.0)
    span_logits = classify(every, outputs)
    gold = [s for o in outputs for s in o.article.spans]
    si_gold = [GoldSpan(g.article_id, "?", g.start, g.end) for g in gold]
    per_article = {o.article.article_id: candidates(o, every) for o in outputs}
    # (SI + FLC, SI, FLC, found_none, second_label, min_score, min_finding)
    best: tuple[float, float, float, bool, float, float, float] = (-1.0, 0.0, 0.0, False, 1.01, 0.0, 0.0)
    for found_none, second in itertools.product((False, True), SECOND_LABELS):
        trial = replace(every, found_none=found_none, second_label=second)
        labelled = []  # every finding under `trial`: (labelled span, raw finding score, span score)
        for o in outputs:
            spans = per_article[o.article.article_id]
            if spans:
                dist = trial.technique_probabilities(span_logits[o.article.article_id])
                labelled += findings(o, spans, dist, trial)
        for least_span, least in itertools.product(MIN_SCORES, MIN_FINDINGS):
            pred = [g for g, raw, p in labelled if p >= least_span and raw >= least]
            si_pred = {GoldSpan(g.article_id, "?", g.start, g.end) for g in pred}
            si, flc = si_score(sorted(si_pred), si_gold).f1, flc_score(pred, gold).f1
            if si + flc > best[0] + 1e-9:
                best = (si + flc, si, flc, found_none, second, least_span, least)
    _, si_f1, flc_f1, pp.found_none, pp.second_label, pp.min_score, pp.min_finding = best
    keep = {aid: [p >= pp.min_score for _, p in spans] for aid, spans in per_article.items()}
    per_article = {
        aid: [sp for sp, k in zip(spans, keep[aid], strict=True) if k] for aid, spans in per_article.items()
    }
    span_logits = {
        aid: lg[np.asarray(keep[aid], dtype=bool)] for aid, lg in span_logits.items() if aid in keep
    }
    raw, hits = [], []
    for o in outputs:
        spans = per_article[o.article.article_id]
        if not spans:
            continue
        dist = pp.technique_probabilities(span_logits[o.article.article_id])
        by_tech: dict[str, list[tuple[int, int]]] = {}
        for s in o.article.spans:
            by_tech.setdefault(s.technique, []).append((s.start, s.end))
        for g, r, _ in findings(o, spans, dist, pp):
            raw.append(float(r))
            hits.append(overlaps_any(g.start, g.end, by_tech.get(g.technique, [])))
    pp.finding_iso_x, pp.finding_iso_y = _isotonic(raw, hits)
    span_hits = [
        (p, overlaps_any(c.start, c.end, [(s.start, s.end) for s in o.article.spans]))
        for o in outputs
        for c, p in per_article[o.article.article_id]
    ]
    ece_spans = expected_calibration_error([p for p, _ in span_hits], [h for _, h in span_hits])
    ece_findings = expected_calibration_error(list(pp.finding_score(np.array(raw))), hits)
    return FitReport(pp, si_f1, flc_f1, ece_spans, ece_findings)


def candidates(o: ArticleOutputs, pp: PostProcessor) -> list[tuple[SpanCandidate, float]]:
    """Stage-(a) spans of a held-out article as the runtime finds them (`PostProcessor.spans`)."""
    return pp.spans(o.article.text, o.offsets, o.probs)


class FoldStackers:
    """Each fold's stackers (`presslens.train.stacker`, fitted on the other folds): the gold-span
    one (`stacker-fold{K}.npz`) for gold spans, the found-span one (`span-stacker-fold{K}.npz`,
    where fitted) for the spans stage (a) finds, as the runtime uses them; a stacker missing:
    the logits pass unchanged (the gold-span one stands in for a missing found-span one). As at
    run time, the found-span one reads each article's actor-blind copy (`actors.BlindText` of
    its `mentions`), the gold-span one the article as written."""

    def __init__(self, folder: Path | None, folds: dict[str, int], mentions: dict[str, Any]) -> None:
        self.folds, self.mentions = folds, mentions
        self.by_fold = self._load(folder, "stacker-fold")
        self.found_by_fold = self._load(folder, "span-stacker-fold")

    @staticmethod
    def _load(folder: Path | None, prefix: str) -> dict[int, Any]:
        from presslens.analyze.techniques.stacking import Stacker

        paths = sorted(folder.glob(f"{prefix}*.npz")) if folder else []
        return {int(p.stem.removeprefix(prefix)): Stacker.load(p) for p in paths}

    def __call__(
        self, article: Article, spans: Sequence[tuple[int, int]], logits: np.ndarray, found: bool = False
    ) -> np.ndarray:
        if not len(spans):
            return logits
        aid, text = article.article_id, article.text
        k = self.folds[aid]
        blind = [BlindText.of(text, self.mentions.get(aid, []))] * len(spans) if found else None
        # a fold's stacker may be missing: a fold with no labelled spans to stack
        gold, found_span = self.by_fold.get(k), self.found_by_fold.get(k)
        stacked = stack_logits(gold, found_span, [(text, s, e) for s, e in spans], logits, blind)
        return np.asarray(stacked, dtype=np.float32)


def load_outputs(
    articles: Sequence[Article], tagger_dir: Path, classifier_dir: Path, stack: FoldStackers | None = None
) -> list[ArticleOutputs]:
    """Out-of-fold outputs of every labelled article: tagger logits (`foldK/oof.npz`) and the
    classifier's logits of its gold spans (`foldK/oof.json`), stacked when `stack` is given."""
    from presslens.train.span_classifier import load_oof_logits
    from presslens.train.span_tagger import load_oof_logits as load_tagger_logits

    by_id = {a.article_id: a for a in articles}
    tc: dict[str, dict[tuple[int, int], np.ndarray]] = {}
    out = []
    for (aid, start, end), logits in load_oof_logits(classifier_dir).items():
        tc.setdefault(aid, {})[(start, end)] = logits
    for aid, d in load_tagger_logits(tagger_dir).items():
        gold = tc.get(aid, {})
        if stack is not None and gold:
            keys = sorted(gold)
            stacked = stack(by_id[aid], keys, np.stack([gold[key] for key in keys]))
            gold = dict(zip(keys, stacked, strict=True))
        out.append(ArticleOutputs(by_id[aid], d["offsets"], sigmoid(d["logits"]), gold))
    return out


class FoldClassifiers:
    """Each fold's torch classifier run on its own held-out articles' stage-(a) spans (so every
    logit is out of fold), cached by span set: the cross-fits find mostly the same spans."""

    def __init__(
        self,
        classifier_dir: Path,
        folds: dict[str, int],
        mentions: dict[str, Any],
        stack: FoldStackers | None = None,
    ) -> None:
        import torch

        from presslens.analyze.techniques.actors import placeholder_ids
        from presslens.analyze.techniques.span_inputs import SpanEncoder
        from presslens.train.common import base_tokenizer
        from presslens.train.span_classifier import ClassifierConfig

        torch.set_num_threads(1)  # a fit runs beside training jobs; inference here is small
        self.dir, self.folds, self.mentions = classifier_dir, folds, mentions
        self.stack = stack
        self.tok = base_tokenizer()
        self.pid = placeholder_ids(self.tok)
        self.enc = SpanEncoder.from_tokenizer(self.tok, ClassifierConfig.max_len)
        self.models: dict[int, Any] = {}
        self.found: dict[int, bool] = {}  # fold -> its classifier reads found spans marked as such
        # keyed by the spans themselves: the same decoder settings find other spans under
        # another fit's isotonic map once `min_score` > 0
        self.cache: dict[tuple[str, tuple[tuple[int, int], ...]], np.ndarray] = {}

    def model(self, k: int) -> Any:
        from presslens.train.span_classifier import load_model, marks_found

        if k not in self.models:
            self.models[k] = load_model(fold_folder(self.dir, k))
            self.found[k] = marks_found(fold_folder(self.dir, k))
        return self.models[k]

    def __call__(self, pp: PostProcessor, outputs: Sequence[ArticleOutputs]) -> dict[str, np.ndarray]:
        from presslens.analyze.techniques.actors import mask_tokens
        from presslens.analyze.techniques.windows import tokenize
        from presslens.train.span_classifier import predict_logits

        out: dict[str, np.ndarray] = {}
        for o in outputs:
            aid, text = o.article.article_id, o.article.text
            spans = [(c.start, c.end) for c, _ in candidates(o, pp)]
            key = (aid, tuple(spans))
            if key not in self.cache:
                toks = mask_tokens(tokenize(self.tok, text), self.mentions.get(aid, []), self.pid)
                k = self.folds[aid]
                model = self.model(k)
                rows = [self.enc.one(text, toks, s, e, found=self.found.get(k, False)) for s, e in spans]
                logits = predict_logits(model, rows).astype(np.float32)
                self.cache[key] = self.stack(o.article, spans, logits, found=True) if self.stack else logits
            out[aid] = self.cache[key]
        return out


def main(argv: Sequence[str] | None = None) -> None:
    from presslens.analyze.techniques.ptc import read_corpus
    from presslens.train.common import article_mentions

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--tagger", type=Path, required=True, help="span_tagger output folder")
    ap.add_argument("--classifier", type=Path, required=True, help="span_classifier output folder")
    ap.add_argument("--stacker", type=Path, default=None, help="presslens.train.stacker output folder")
    ap.add_argument("--out", type=Path, required=True, help="writes postproc-fold{K}.json and postproc.json")
    args = ap.parse_args(argv)
    articles = read_corpus(args.data)
    folds = json.loads((args.tagger / "folds.json").read_text())
    mentions = article_mentions(articles, args.tagger / "mentions.json")
    stack = FoldStackers(args.stacker, folds, mentions) if args.stacker else None
    outputs = load_outputs(articles, args.tagger, args.classifier, stack)
    classify = FoldClassifiers(args.classifier, folds, mentions, stack)
    grid = SiGrid(outputs)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {}
    present = sorted({folds[o.article.article_id] for o in outputs})
    for k in [*present, -1]:
        subset = [o for o in outputs if folds[o.article.article_id] != k]
        if not subset:
            continue
        rep = fit(subset, classify, grid)
        name = "postproc.json" if k < 0 else f"postproc-fold{k}.json"
        (args.out / name).write_text(rep.pp.to_json())
        summary[name] = {
            "fitted_on_articles": len(subset),
            "si_f1_in_sample": round(rep.si_f1, 4),
            "flc_f1_in_sample": round(rep.flc_f1, 4),
            "ece_spans": round(rep.ece_spans, 4),
            "ece_findings_in_sample": round(rep.ece_findings, 4),
            "si_threshold": rep.pp.si_threshold,
            "si_low": rep.pp.si_low,
            "bridge": rep.pp.bridge,
            "min_score": rep.pp.min_score,
            "temperature": rep.pp.temperature,
            "second_label": rep.pp.second_label,
            "min_finding": rep.pp.min_finding,
            "found_none": rep.pp.found_none,
        }
        print(name, json.dumps(summary[name]), flush=True)
    (args.out / "postproc-summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
