"""Reproduce the shipped technique model in one call: both stages, decoder, export.

Where it sits: behind `presslens train techniques`. Steps (each resumable: a finished fold is
skipped, so the command can be rerun after an interruption):

1. span tagger, 5 CV folds + final (`presslens.train.span_tagger`), spans-only articles added
   to every training set when `extra` is given;
2. span classifier, 5 CV folds + final (`presslens.train.span_classifier`);
3. stackers over the classifier's out-of-fold logits of gold spans and of the spans the
   tagger finds, cross-fitted per fold and on all folds (`presslens.train.stacker`);
4. decoders: cross-fitted per fold and on all folds (`presslens.train.postproc`);
5. ONNX export + int8: CV model folders (for `presslens eval techniques --cv`) and the shipped
   folder (`presslens.train.export`).
"""

from __future__ import annotations

from pathlib import Path

FOLDS = ("0", "1", "2", "3", "4", "final")


def reproduce(
    data: Path,
    extra: Path | None,
    ship: Path,
    work: Path,
    *,
    threads: int = 2,
    device: str = "cpu",
    epochs_tagger: int = 2,
    epochs_classifier: int = 3,
) -> None:
    from presslens.train import export, postproc, span_classifier, span_tagger, stacker

    tagger, classifier = work / "tagger", work / "classifier"
    span_tagger.run(
        data,
        extra,
        tagger,
        span_tagger.TaggerConfig(epochs=epochs_tagger, threads=threads, device=device),
        FOLDS,
    )
    span_classifier.run(
        data,
        classifier,
        span_classifier.ClassifierConfig(epochs=epochs_classifier, threads=threads, device=device),
        FOLDS,
    )
    stacked = work / "stacker"
    stacker.main(
        ["--data", str(data), "--classifier", str(classifier), "--tagger", str(tagger), "--out", str(stacked)]
    )
    postproc.main(
        [
            *("--data", str(data), "--tagger", str(tagger), "--classifier", str(classifier)),
            *("--stacker", str(stacked), "--out", str(work / "postproc")),
        ]
    )
    export.main(
        [
            *("--tagger", str(tagger), "--classifier", str(classifier), "--postproc", str(work / "postproc")),
            *("--stacker", str(stacked), "--work", str(work / "export")),
            *("--cv-out", str(work / "cv"), "--ship", str(ship)),
        ]
    )
