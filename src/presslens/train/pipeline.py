"""The whole recipe behind the shipped technique model, step by step, with fixed seeds.

Where it sits: `presslens train techniques` calls `reproduce`; each step is also a module of its
own that can be run alone (the model card lists those commands):

1. `techniques.run_cv` — 5-fold CV by article: train on 4 folds, write the 5th fold's logits;
2. `evaluate.evaluate` — cross-validated figures + out-of-fold predictions (`<out>/cv/`);
3. `fit.fit_postprocessor` on all out-of-fold logits — `postproc.json`;
4. the checkpoint to ship: by default the fold-0 model (trained on the 4/5 of the articles
   outside fold 0 — on this 2-core machine there was no time left for a model on all
   articles; its fold-0 figures are its own held-out figures); with `final=True`
   `techniques.train` on all articles instead;
5. `export` — ONNX, dynamic int8, tokenizer and config into `<out>`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from presslens.analyze.techniques.ptc import read_corpus


def fit_shipped_postproc(data: Path, cv_dir: Path, dest: Path) -> Path:
    """Step 3: the post-processing fitted on every article's out-of-fold logits."""
    from presslens.train.evaluate import load_cv
    from presslens.train.fit import fit_postprocessor

    _, logits = load_cv(cv_dir)
    articles = [a for a in read_corpus(data) if a.article_id in logits]
    rep = fit_postprocessor(articles, logits)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(rep.pp.to_json(), encoding="utf-8")
    print(
        f"postproc fitted on {len(articles)} articles, {rep.n_tokens} tokens, {rep.n_spans} spans -> {dest}"
    )
    return dest


def reproduce(
    data: Path,
    out: Path,
    work: Path,
    *,
    n_folds: int = 5,
    epochs: int = 2,
    only_folds: Sequence[int] = (),
    final: bool = False,
) -> None:
    from presslens.train.evaluate import evaluate
    from presslens.train.export import export_onnx, quantize, ship
    from presslens.train.techniques import TrainConfig, run_cv, save_model, train

    cfg = TrainConfig(epochs=epochs)
    run_cv(data, work / "cv", cfg, n_folds, only_folds)
    evaluate(data, work / "cv", out / "cv")
    postproc = fit_shipped_postproc(data, work / "cv", work / "postproc.json")
    if final:
        checkpoint = work / "final"
        if not (checkpoint / "tagger.pt").exists():
            save_model(train(read_corpus(data), cfg), checkpoint, cfg)
    else:
        checkpoint = work / "cv" / "model_fold0"
    fp32 = export_onnx(checkpoint, work / "export" / "model.fp32.onnx")
    int8 = quantize(fp32, work / "export" / "model.int8.onnx")
    ship(int8, postproc, out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["postproc", "all"])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--cv", type=Path, default=Path("runs/techniques/cv"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", type=int, nargs="*", default=[])
    ap.add_argument("--final", action="store_true")
    args = ap.parse_args(argv)
    if args.step == "postproc":
        fit_shipped_postproc(args.data, args.cv, args.out)
    else:
        reproduce(args.data, args.out, args.cv.parent, only_folds=args.folds, final=args.final)


if __name__ == "__main__":
    main(sys.argv[1:])
