"""Cross-validated figures for the technique model and its baselines (the model card's table).

Where it sits: after `presslens.train.techniques cv` has written out-of-fold token logits
(`oof_fold{k}.npz`) and `folds.json`. For each fold k the post-processing is fitted on the
*other* folds' out-of-fold logits and applied to fold k, and the baselines are trained on the
other folds' articles, so every figure is from articles the scored system never saw. Writes
`cv_results.json` (per fold and mean ± sd) and the out-of-fold predictions in PTC format, so
`presslens eval techniques --folds` can re-score them without running the model.

    python -m presslens.train.evaluate --data ../shared/data/ptc --cv runs/techniques/cv \\
        --out src/presslens/models/techniques/cv
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from presslens.analyze.techniques.baselines import LexiconBaseline, TfidfBaseline
from presslens.analyze.techniques.decode import PostProcessor
from presslens.analyze.techniques.ptc import Article, GoldSpan, read_corpus, write_tc_file
from presslens.analyze.techniques.scorers import (
    Report,
    expected_calibration_error,
    score_all,
)
from presslens.train.fit import Logits, classify_spans, decode_article, fit_postprocessor, si_spans, span_hits
from presslens.train.techniques import fold_assignment, load_probs
from presslens.vocab import TECHNIQUES


def load_cv(cv_dir: Path) -> tuple[dict[str, int], Logits]:
    folds = {k: int(v) for k, v in json.loads((cv_dir / "folds.json").read_text()).items()}
    logits: Logits = {}
    for path in sorted(cv_dir.glob("oof_fold*.npz")):
        logits.update(load_probs(path))
    return folds, logits


def model_predictions(
    arts: Sequence[Article], logits: Logits, pp: PostProcessor
) -> tuple[list[GoldSpan], list[GoldSpan], list[GoldSpan], list[float], list[bool]]:
    """(SI spans, FLC spans, TC labels of gold spans, calibrated span scores, span hits)."""
    si: list[GoldSpan] = []
    flc: list[GoldSpan] = []
    tc: list[GoldSpan] = []
    scores: list[float] = []
    hits: list[bool] = []
    for a in arts:
        d = logits[a.article_id]
        si.extend(si_spans(a, d, pp, pp.thresholds[0]))
        raw = decode_article(a, d, pp)
        flc.extend(GoldSpan(a.article_id, TECHNIQUES[s.channel - 1], s.start, s.end) for s in raw)
        scores.extend(float(v) for v in pp.calibrate(np.array([s.raw for s in raw])))
        hits.extend(span_hits(a, raw))
        tc.extend(classify_spans(a, d, pp, a.spans))
    return si, flc, tc, scores, hits


def pooled_tc(arts: Sequence[Article], logits: Logits, pp: PostProcessor) -> list[GoldSpan]:
    """TC from the tagger alone: argmax of the mean token probabilities (no span classifier)."""
    bare = PostProcessor(pp.scale, pp.bias, pp.thresholds)
    return [s for a in arts for s in classify_spans(a, logits[a.article_id], bare, a.spans)]


def report_dict(rep: Report) -> dict[str, Any]:
    return {
        "si": vars(rep.si),
        "tc": vars(rep.tc),
        "flc": vars(rep.flc),
        "per_technique": {
            r.technique: {
                "support": r.support,
                "tc_p": r.tc.precision,
                "tc_r": r.tc.recall,
                "tc_f1": r.tc.f1,
                "flc_f1": r.flc.f1,
            }
            for r in rep.rows
        },
    }


def mean_sd(values: Sequence[float]) -> dict[str, float]:
    return {
        "mean": float(statistics.fmean(values)),
        "sd": float(statistics.stdev(values)) if len(values) > 1 else 0.0,
    }


def cross_validate_baselines(
    articles: Sequence[Article], folds: dict[str, int], n_folds: int
) -> dict[str, list[dict[str, Any]]]:
    """Lexicon, TF-IDF and majority-technique baselines on every fold (trained on the others)."""
    systems: dict[str, list[dict[str, Any]]] = {}
    for k in range(n_folds):
        test = [a for a in articles if folds[a.article_id] == k]
        train_arts = [a for a in articles if folds[a.article_id] != k]
        gold = [s for a in test for s in a.spans]
        for name, est in (("lexicon", LexiconBaseline()), ("tfidf", TfidfBaseline())):
            est.fit(train_arts)
            spans = [s for a in test for s in est.predict_spans(a)]
            tcp = [s for a in test for s in est.classify(a, a.spans)]
            systems.setdefault(name, []).append(report_dict(score_all(spans, tcp, gold)) | {"fold": k})
        counts = {t: sum(s.technique == t for a in train_arts for s in a.spans) for t in TECHNIQUES}
        major = max(counts, key=lambda t: counts[t])
        maj = [GoldSpan(s.article_id, major, s.start, s.end) for s in gold]
        systems.setdefault("majority_tc", []).append(report_dict(score_all([], maj, gold)) | {"fold": k})
        print(f"baselines fold {k} done", flush=True)
    return systems


def evaluate(data: Path, cv_dir: Path, out: Path | None, baselines: bool = True) -> dict[str, Any]:
    articles = read_corpus(data)
    folds, logits = load_cv(cv_dir)
    done = sorted({folds[a] for a in logits})
    n_folds = max(folds.values()) + 1
    systems: dict[str, list[dict[str, Any]]] = {}
    all_pred: dict[str, list[GoldSpan]] = {"si": [], "flc": [], "tc": []}
    all_scores: list[float] = []
    all_hits: list[bool] = []
    for k in done:
        test = [a for a in articles if folds[a.article_id] == k]
        fit_on = [a for a in articles if folds[a.article_id] != k and a.article_id in logits]
        gold = [s for a in test for s in a.spans]
        t0 = time.time()
        if not fit_on:  # only one fold finished: fit on itself and say so
            fit_on = test
        pp = fit_postprocessor(fit_on, logits).pp
        si, flc, tc, scores, hits = model_predictions(test, logits, pp)
        rep = report_dict(score_all(flc, tc, gold))
        rep["si"] = vars(score_all(si, tc, gold).si)
        rep["ece"] = expected_calibration_error(scores, hits)
        rep["postproc_fitted_on_other_folds"] = fit_on is not test
        rep["fold"] = k
        systems.setdefault("model", []).append(rep)
        pooled = report_dict(score_all(flc, pooled_tc(test, logits, pp), gold))
        systems.setdefault("model_pooled_tc", []).append(pooled | {"fold": k})
        all_pred["si"] += si
        all_pred["flc"] += flc
        all_pred["tc"] += tc
        all_scores += scores
        all_hits += hits
        print(
            f"fold {k}: SI {rep['si']['f1']:.3f} TC {rep['tc']['f1']:.3f} FLC {rep['flc']['f1']:.3f} "
            f"ECE {rep['ece']:.3f} ({time.time() - t0:.0f}s)",
            flush=True,
        )
    if baselines:
        cache = cv_dir / "baselines.json"
        if cache.exists():  # baselines do not depend on the tagger: computed once per split
            systems.update(json.loads(cache.read_text()))
        else:
            base = cross_validate_baselines(articles, folds, n_folds)
            cache.write_text(json.dumps(base))
            systems.update(base)
        # The same baselines restricted to the folds the model finished, for a like-for-like row.
        for name in ("lexicon", "tfidf", "majority_tc"):
            systems[f"{name}@model_folds"] = [r for r in systems[name] if r["fold"] in done]
    summary: dict[str, Any] = {"folds_done": done, "n_folds": n_folds, "systems": {}}
    for name, reps in systems.items():
        if not reps:
            continue
        summary["systems"][name] = {m: mean_sd([r[m]["f1"] for r in reps]) for m in ("si", "tc", "flc")}
        summary["systems"][name]["folds"] = [r["fold"] for r in reps]
        summary["systems"][name]["per_fold"] = reps
        if name == "model":
            summary["systems"][name]["ece"] = mean_sd([r["ece"] for r in reps])
    if all_scores:
        summary["ece_pooled"] = expected_calibration_error(all_scores, all_hits)
        summary["n_scored_spans"] = len(all_scores)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "cv_results.json").write_text(json.dumps(summary, indent=1))
        (out / "folds.json").write_text(json.dumps(folds, indent=0, sort_keys=True))
        write_tc_file(out / "oof-flc.txt", sorted(all_pred["flc"]))
        write_tc_file(out / "oof-tc.txt", sorted(all_pred["tc"]))
        with open(out / "oof-si.txt", "w", encoding="utf-8") as fh:
            for s in sorted(all_pred["si"]):
                fh.write(f"{s.article_id}\t{s.start}\t{s.end}\n")
    return summary


SYSTEM_NAMES = {
    "model": "MiniLM-L6 tagger + post-processing (fp32 fold models)",
    "model_pooled_tc": "MiniLM-L6 tagger, TC by pooled token probabilities",
    "lexicon": "lexicon/rules baseline",
    "tfidf": "TF-IDF + logistic regression baseline",
    "majority_tc": "majority technique (TC only)",
}


def markdown_tables(summary: dict[str, Any]) -> str:
    """The model card's CV table (mean ± sd over folds) and per-technique table (model)."""
    lines = ["| system | folds | SI F1 | TC micro-F1 | FLC F1 |", "|---|---|---|---|---|"]
    for name, s in summary["systems"].items():
        base = name.split("@")[0]
        if "@" in name and len(s["folds"]) == len(summary["systems"][base]["folds"]):
            continue  # the model ran every fold: the like-for-like row would repeat the full one
        label = SYSTEM_NAMES.get(base, base) + (" (same folds as the model)" if "@" in name else "")
        cells = [f"{s[m]['mean']:.3f} ± {s[m]['sd']:.3f}" for m in ("si", "tc", "flc")]
        if base in ("majority_tc", "model_pooled_tc"):  # TC-only systems
            cells[0] = cells[2] = "—"
        lines.append(f"| {label} | {len(s['folds'])} | " + " | ".join(cells) + " |")
    model = summary["systems"].get("model")
    if model:
        lines += [
            "",
            "| technique | gold spans | TC P | TC R | TC F1 | FLC F1 |",
            "|---|---|---|---|---|---|",
        ]
        for tech in TECHNIQUES:
            rows = [r["per_technique"][tech] for r in model["per_fold"]]
            sup = sum(r["support"] for r in rows)
            avg = {k: statistics.fmean(r[k] for r in rows) for k in ("tc_p", "tc_r", "tc_f1", "flc_f1")}
            lines.append(
                f"| {tech} | {sup} | {avg['tc_p']:.3f} | {avg['tc_r']:.3f} | "
                f"{avg['tc_f1']:.3f} | {avg['flc_f1']:.3f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--cv", type=Path, required=True)
    ap.add_argument("--baselines-only", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--no-baselines", action="store_true")
    args = ap.parse_args(argv)
    if args.baselines_only:
        arts = read_corpus(args.data)
        folds = fold_assignment([a.article_id for a in arts], 5, 13)
        (args.cv / "baselines.json").write_text(json.dumps(cross_validate_baselines(arts, folds, 5)))
        return
    summary = evaluate(args.data, args.cv, args.out, baselines=not args.no_baselines)
    for name, s in summary["systems"].items():
        print(
            f"{name:16s} SI {s['si']['mean']:.3f}±{s['si']['sd']:.3f}  "
            f"TC {s['tc']['mean']:.3f}±{s['tc']['sd']:.3f}"
            f"  FLC {s['flc']['mean']:.3f}±{s['flc']['sd']:.3f}"
        )
    print()
    print(markdown_tables(summary))
    if "ece_pooled" in summary:
        print(
            f"ECE (pooled out-of-fold spans): {summary['ece_pooled']:.3f} "
            f"over {summary['n_scored_spans']} spans"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
