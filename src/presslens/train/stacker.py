"""Fit the stage-(b) stacker (`presslens.analyze.techniques.stacking`) on out-of-fold logits.

Where it sits: after `presslens.train.span_classifier` has written every fold's `oof.json` (the
fold classifier's logits of its held-out articles' gold spans) and before
`presslens.train.postproc`, which fits the decoder on stacked outputs. For cross-validation the
fit is cross-fitted like the decoder: `stacker-fold{K}.npz` learns from the out-of-fold logits of
the *other* folds' articles only, so no CV figure is scored by a stacker that saw its labels;
`stacker.npz` (shipped) learns from all five folds.

A gold span with k technique labels is k training rows (PTC lists it once per label), as the TC
scorer counts it. The TF-IDF vocabulary keeps terms found in ≥ 2 training spans.

Run (from the repository root, `pip install -e .[train]`)::

    python -m presslens.train.stacker --data ../shared/data/ptc \\
        --classifier runs/techniques/classifier --out runs/techniques/stacker
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

from presslens.analyze.techniques.ptc import Article, read_corpus
from presslens.analyze.techniques.stacking import STACKER_FILE, Stacker, surface_features, terms
from presslens.vocab import TECHNIQUES

MIN_DF = 2
C = 1.0  # scikit-learn's default, not tuned: every CV fold gained with it (model card)


@dataclass(frozen=True)
class SpanRow:
    """One distinct gold span: where it is, its gold techniques, the OOF classifier logits."""

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


def fit(rows: Sequence[SpanRow], c: float = C) -> Stacker:
    """A stacker fitted on `rows` (multinomial logistic regression, L2, strength `c`)."""
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
    index = {t: j for j, t in enumerate(TECHNIQUES)}
    which = [i for i, r in enumerate(rows) for _ in r.labels]
    y = [index[t] for r in rows for t in r.labels]
    model = LogisticRegression(C=c, max_iter=2000).fit(x[which], y)
    coef = np.zeros((len(TECHNIQUES), x.shape[1]))
    intercept = np.full(len(TECHNIQUES), -30.0)  # a technique never seen in training: never picked
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


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder with labels-tc/")
    ap.add_argument("--classifier", type=Path, required=True, help="span_classifier output folder")
    ap.add_argument("--out", type=Path, required=True, help="writes stacker-fold{K}.npz and stacker.npz")
    ap.add_argument("--c", type=float, default=C, help="inverse L2 strength")
    args = ap.parse_args(argv)
    rows = span_rows(read_corpus(args.data), args.classifier)
    args.out.mkdir(parents=True, exist_ok=True)
    base = stacked = (0, 0)
    for k in sorted({r.fold for r in rows}):
        train = [r for r in rows if r.fold != k]
        test = [r for r in rows if r.fold == k]
        if not train or not test:
            continue  # a tiny corpus: a fold with no labelled span on one side
        stacker = fit(train, args.c)
        stacker.save(args.out / f"stacker-fold{k}.npz")
        own = np.stack([r.logits for r in test])
        b = tc_hits(test, own)
        s = tc_hits(test, stacker.logits([(r.text, r.start, r.end) for r in test], own))
        base, stacked = (base[0] + b[0], base[1] + b[1]), (stacked[0] + s[0], stacked[1] + s[1])
        print(f"fold {k}: TC on gold spans, classifier {b[0] / b[1]:.4f}, stacked {s[0] / s[1]:.4f}")
    fit(rows, args.c).save(args.out / STACKER_FILE)
    summary = {
        "c": args.c,
        "tc_classifier": base[0] / max(base[1], 1),
        "tc_stacked": stacked[0] / max(stacked[1], 1),
    }
    print(f"pooled: classifier {summary['tc_classifier']:.4f}, stacked {summary['tc_stacked']:.4f}")
    (args.out / "stacker-summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
