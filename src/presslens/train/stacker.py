"""Fit the stage-(b) stacker (`presslens.analyze.techniques.stacking`) on out-of-fold logits.

Where it sits: after `presslens.train.span_classifier` has written every fold's `oof.json` (the
fold classifier's logits of its held-out articles' gold spans) and before
`presslens.train.postproc`, which fits the decoder on stacked outputs. For cross-validation the
fit is cross-fitted like the decoder: `stacker-fold{K}.npz` learns from the out-of-fold logits of
the *other* folds' articles only, so no CV figure is scored by a stacker that saw its labels;
`stacker.npz` (shipped) learns from all five folds.

A gold span with k technique labels is k training rows (PTC lists it once per label), as the TC
scorer counts it. The TF-IDF vocabulary keeps terms found in ≥ 2 training spans.

With `--tagger`, the found-span stacker (`span_stacker.npz`, `span-stacker-fold{K}.npz`) is fitted
too, cross-fitted the same way: its rows are the spans stage (a) finds in each held-out article
(the tagger's out-of-fold probabilities decoded with the permissive `CANDIDATE_DECODER`, so it
sees every span a fitted decoder could keep), the fold classifier's logits of each, and as
labels the techniques of the gold spans it overlaps, most overlapping first (one row per
technique), or `none`.

Run (from the repository root, `pip install -e .[train]`)::

    python -m presslens.train.stacker --data ../shared/data/ptc \\
        --classifier runs/techniques/classifier --tagger runs/techniques/tagger \\
        --out runs/techniques/stacker
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.actors import BlindText
from presslens.analyze.techniques.ptc import Article, read_corpus
from presslens.analyze.techniques.stacking import (
    SPAN_LABELS,
    SPAN_STACKER_FILE,
    STACKER_FILE,
    Stacker,
    surface_features,
    terms,
)
from presslens.vocab import TECHNIQUES

MIN_DF = 2
C = 1.0  # scikit-learn's default, not tuned: every CV fold gained with it (model card)


@dataclass(frozen=True)
class SpanRow:
    """One span: where it is, its gold techniques, the OOF classifier logits. `text` is the
    article as written for gold spans, its actor-blind copy (`actors.BlindText`) for found ones,
    as the runtime's two stackers read them, and `start`, `end` the span's offsets in it."""

    text: str
    start: int
    end: int
    labels: tuple[str, ...]
    logits: np.ndarray
    fold: int


def span_rows(articles: Sequence[Article], classifier_dir: Path) -> list[SpanRow]:
    """Every gold span that has out-of-fold classifier logits, in a fixed order."""
    from presslens.train.span_classifier import load_oof_logits

    folds = json.loads((classifier_dir / "folds.json").read_text())
    logits = load_oof_logits(classifier_dir)
    rows = []
    for art in sorted(articles, key=lambda a: a.article_id):
        labels: dict[tuple[int, int], list[str]] = defaultdict(list)
        for s in art.spans:
            labels[(s.start, s.end)].append(s.technique)
        for (start, end), techs in sorted(labels.items()):
            key = (art.article_id, start, end)
            if key in logits:
                rows.append(SpanRow(art.text, start, end, tuple(techs), logits[key], folds[art.article_id]))
    return rows


def candidate_rows(articles: Sequence[Article], tagger_dir: Path, classifier_dir: Path) -> list[SpanRow]:
    """Every span `CANDIDATE_DECODER` finds in the tagger's out-of-fold outputs, with its fold
    classifier's logits and the techniques of the gold spans it overlaps (by overlap, most
    first), or ("none",); each at its place in the article's actor-blind copy."""
    from presslens.train.common import CANDIDATE_DECODER, article_mentions, gold_overlap
    from presslens.train.postproc import FoldClassifiers, candidates, load_outputs

    folds = json.loads((tagger_dir / "folds.json").read_text())
    outputs = sorted(load_outputs(articles, tagger_dir, classifier_dir), key=lambda o: o.article.article_id)
    mentions = article_mentions(list(articles), tagger_dir / "mentions.json")
    logits = FoldClassifiers(classifier_dir, folds, mentions)(CANDIDATE_DECODER, outputs)
    rows = []
    for o in outputs:
        art = o.article
        blind = BlindText.of(art.text, mentions.get(art.article_id, []))
        for (cand, _), lg in zip(candidates(o, CANDIDATE_DECODER), logits[art.article_id], strict=True):
            overlap = gold_overlap(art, cand.start, cand.end)
            labels = tuple(t for t, n in overlap.most_common() if n > 0) or ("none",)
            rows.append(SpanRow(*blind.span(cand.start, cand.end), labels, lg, folds[art.article_id]))
    return rows


def fit(rows: Sequence[SpanRow], c: float = C, classes: Sequence[str] = TECHNIQUES) -> Stacker:
    """A stacker fitted on `rows` (multinomial logistic regression, L2, strength `c`) over
    `classes` (the techniques; `SPAN_LABELS` for the found-span stacker)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    span_terms = [terms(r.text[r.start : r.end]) for r in rows]
    df = Counter(t for ts in span_terms for t in set(ts))
    vocab = {t: i for i, t in enumerate(sorted(t for t, n in df.items() if n >= MIN_DF))}
    n = len(rows)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(vocab, key=vocab.__getitem__)])
    surface = np.stack([surface_features(r.text, r.start, r.end) for r in rows])
    mean, scale = surface.mean(axis=0), surface.std(axis=0)
    scale[scale < 1e-6] = 1.0
    stacker = Stacker(vocab, idf, mean, scale, np.zeros((0, 0)), np.zeros(0))

    data, cols, ptr = [], [], [0]
    for r in rows:
        c_idx, w = stacker.tfidf(r.text[r.start : r.end])
        cols.extend(c_idx.tolist())
        data.extend(w.tolist())
        ptr.append(len(cols))
    x_terms = sparse.csr_matrix((data, cols, ptr), shape=(n, len(vocab)))
    x_dense = np.stack([stacker.dense(r.text, r.start, r.end, r.logits) for r in rows])
    x = sparse.hstack([x_terms, sparse.csr_matrix(x_dense)]).tocsr()
    index = {t: j for j, t in enumerate(classes)}
    which = [i for i, r in enumerate(rows) for _ in r.labels]
    y = [index[t] for r in rows for t in r.labels]
    model = LogisticRegression(C=c, max_iter=3000).fit(x[which], y)
    coef = np.zeros((len(classes), x.shape[1]))
    intercept = np.full(len(classes), -30.0)  # a class never seen in training: never picked
    if len(model.classes_) == 2:
        # scikit-learn fits two classes as one logistic: the second class's logit over the first's
        coef[model.classes_[1]] = model.coef_[0]
        intercept[model.classes_] = (0.0, model.intercept_[0])
    else:
        coef[model.classes_] = model.coef_
        intercept[model.classes_] = model.intercept_
    stacker.coef, stacker.intercept = coef, intercept
    return stacker


def tc_hits(rows: Sequence[SpanRow], scores: np.ndarray) -> tuple[int, int]:
    """(correct, gold) under the TC scorer: a span with k labels is given its k best techniques."""
    hit = total = 0
    for r, row in zip(rows, scores, strict=True):
        k = len(r.labels)
        left = list(r.labels)
        for j in np.argsort(-row)[:k]:
            if TECHNIQUES[int(j)] in left:
                left.remove(TECHNIQUES[int(j)])
                hit += 1
        total += k
    return hit, total


def found_label_hits(rows: Sequence[SpanRow], scores: np.ndarray) -> tuple[int, int]:
    """(right, asked) over found spans that overlap a gold span: the top technique among the 14
    is one of the gold techniques it overlaps."""
    hit = total = 0
    for r, row in zip(rows, scores, strict=True):
        if r.labels != ("none",):
            total += 1
            hit += TECHNIQUES[int(np.argmax(row[: len(TECHNIQUES)]))] in r.labels
    return hit, total


def _cross_fit(
    rows: Sequence[SpanRow], c: float, classes: Sequence[str], out: Path, prefix: str
) -> dict[int, Stacker]:
    """`{prefix}-fold{K}.npz` for every fold K, fitted on the other folds' rows."""
    fitted = {}
    for k in sorted({r.fold for r in rows}):
        train = [r for r in rows if r.fold != k]
        if not _fittable(train) or len(train) == len(rows):
            continue  # a tiny corpus: a fold with no labelled span on one side
        fitted[k] = fit(train, c, classes)
        fitted[k].save(out / f"{prefix}-fold{k}.npz")
    return fitted


def _fittable(rows: Sequence[SpanRow]) -> bool:
    """Whether a logistic regression can be fitted: two classes or more among the labels."""
    return len({t for r in rows for t in r.labels}) >= 2


def _ratio(hits: tuple[int, int]) -> float:
    return hits[0] / max(hits[1], 1)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder with labels-tc/")
    ap.add_argument("--classifier", type=Path, required=True, help="span_classifier output folder")
    ap.add_argument(
        "--tagger", type=Path, default=None, help="span_tagger folder: fit the found-span stacker too"
    )
    ap.add_argument("--out", type=Path, required=True, help="writes stacker-fold{K}.npz and stacker.npz")
    ap.add_argument("--c", type=float, default=C, help="inverse L2 strength")
    args = ap.parse_args(argv)
    articles = read_corpus(args.data)
    rows = span_rows(articles, args.classifier)
    args.out.mkdir(parents=True, exist_ok=True)
    gold_stackers = _cross_fit(rows, args.c, TECHNIQUES, args.out, "stacker")
    base = stacked = (0, 0)
    for k, stacker in gold_stackers.items():
        test = [r for r in rows if r.fold == k]
        own = np.stack([r.logits for r in test])
        b = tc_hits(test, own)
        s = tc_hits(test, stacker.logits([(r.text, r.start, r.end) for r in test], own))
        base, stacked = (base[0] + b[0], base[1] + b[1]), (stacked[0] + s[0], stacked[1] + s[1])
        print(f"fold {k}: TC on gold spans, classifier {b[0] / b[1]:.4f}, stacked {s[0] / s[1]:.4f}")
    fit(rows, args.c).save(args.out / STACKER_FILE)
    summary: dict[str, float | int] = {
        "c": args.c,
        "tc_classifier": _ratio(base),
        "tc_stacked": _ratio(stacked),
    }
    print(f"pooled: classifier {summary['tc_classifier']:.4f}, stacked {summary['tc_stacked']:.4f}")
    if args.tagger is not None:
        found = candidate_rows(articles, args.tagger, args.classifier)
        span_stackers = _cross_fit(found, args.c, SPAN_LABELS, args.out, "span-stacker")
        by_gold = by_found = (0, 0)
        for k, stacker in span_stackers.items():
            test = [r for r in found if r.fold == k]
            spans, own = [(r.text, r.start, r.end) for r in test], np.stack([r.logits for r in test])
            g = found_label_hits(test, gold_stackers[k].logits(spans, own)) if k in gold_stackers else (0, 0)
            f = found_label_hits(test, stacker.logits(spans, own))
            by_gold, by_found = (
                (by_gold[0] + g[0], by_gold[1] + g[1]),
                (by_found[0] + f[0], by_found[1] + f[1]),
            )
            print(f"fold {k}: found-span techniques: stackers gold {_ratio(g):.4f}, found {_ratio(f):.4f}")
        if _fittable(found):  # a tiny corpus's untrained tagger may find nothing
            fit(found, args.c, SPAN_LABELS).save(args.out / SPAN_STACKER_FILE)
        summary |= {
            "found_spans": len(found),
            "found_label_gold_stacker": _ratio(by_gold),
            "found_label_span_stacker": _ratio(by_found),
        }
        print(
            f"pooled found-span techniques: stackers gold {_ratio(by_gold):.4f} found {_ratio(by_found):.4f}"
        )
    (args.out / "stacker-summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
