"""Reproduce the shipped technique model in one call: both stages, decoder, export.

Where it sits: behind `presslens train techniques`. Steps (each resumable: a finished fold is
skipped, so the command can be rerun after an interruption):

1. span tagger, 5 CV folds + final (`presslens.train.span_tagger`), spans-only articles added
   to every training set when `extra` is given;
2. span classifier, 5 CV folds + final (`presslens.train.span_classifier`) — on the CPU beside
   step 1, each in its own process on half the threads (`train_networks`); a classifier that
   learns from found spans too (`--classifier-found-spans`) needs the tagger's five CV folds
   first, so the folds are then shared out over the two processes in two phases; a resumed
   run shares out only the folds still to train (`training_plan`);
3. stackers over the classifier's out-of-fold logits of gold spans and of the spans the
   tagger finds, cross-fitted per fold and on all folds (`presslens.train.stacker`);
4. decoders: cross-fitted per fold and on all folds (`presslens.train.postproc`);
5. ONNX export + int8: CV model folders (for `presslens eval techniques --cv`) and the shipped
   folder (`presslens.train.export`).

Folds already in `work` must come from the same recipe (`trained_already`, checked for both
networks before anything trains): a rerun with a changed option stops instead of mixing.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

FOLDS = ("0", "1", "2", "3", "4", "final")

# a training step of `side_by_side`: a function and its arguments
Job = tuple[Callable[..., None], tuple[Any, ...]]


def train_networks(
    data: Path,
    extra: Path | None,
    tagger_dir: Path,
    classifier_dir: Path,
    tagger_config: Any,
    classifier_config: Any,
    folds: Sequence[str] = FOLDS,
    *,
    parallel: bool = False,
) -> None:
    """Both networks' folds: the span tagger in `tagger_dir`, the span classifier in
    `classifier_dir`. `parallel`: the two train at once, each in its own process
    (`side_by_side`). On 2 CPU cores one thread each beats one training after
    the other on two threads: a tagger step took 1.84 s on 2 threads and 2.88 s on 1 (25 steps,
    2026-12-01), so two 1-thread runs side by side do 1.27x the work per second."""
    from presslens.train import span_classifier, span_tagger
    from presslens.train.common import fold_folder, trained_already

    def job(step: Step) -> Job:
        network, fs = step
        if network == "tagger":
            return span_tagger.run, (data, extra, tagger_dir, tagger_config, fs)
        return span_classifier.run, (data, classifier_dir, classifier_config, fs)

    # Finished folds are left out before the plan shares the rest out: a resumed run would
    # otherwise keep one process idle beside the other's remaining folds. `trained_already`
    # also stops here, before any work, at a finished fold of another recipe: in a side-by-side
    # process it would only surface after the other network had trained for an hour.
    todo = {
        network: [f for f in folds if not trained_already(fold_folder(folder, f), weights, config)]
        for network, folder, weights, config in (
            ("tagger", tagger_dir, span_tagger.WEIGHTS, tagger_config),
            ("classifier", classifier_dir, span_classifier.WEIGHTS, classifier_config),
        )
    }
    plan = training_plan(todo, found_spans=bool(classifier_config.found_spans), parallel=parallel)
    if any(len(procs) > 1 for procs in plan):
        # the two processes of a phase (of a resumed run: maybe one network's folds in both)
        # would otherwise compute and write one NER cache at once
        warm_caches(data, extra, tagger_dir, classifier_dir)
    for phase in plan:
        jobs: list[Job] = [(in_turn, ([job(step) for step in steps],)) for steps in phase]
        if parallel:
            side_by_side(jobs)
        else:
            in_turn(jobs)


# One network's folds, trained in turn in one process: ("tagger" | "classifier", folds).
Step = tuple[str, list[str]]


def training_plan(
    todo: Mapping[str, Sequence[str]], *, found_spans: bool, parallel: bool
) -> list[list[list[Step]]]:
    """Phases (one after the other) of processes (side by side when `parallel`) of steps (in
    turn), for the folds each network still has to train (`todo`: "tagger" and "classifier" to
    folds, in training order). Without found spans the two networks are independent: one phase.
    A classifier that learns from found spans reads the out-of-fold outputs of all five tagger
    CV folds, so those are a phase of their own first. Side by side, a phase's folds are cut into
    two runs of consecutive folds, one per process: a fresh run trains each network in its own
    process (or the tagger's final model beside the classifier's first folds), a resumed one
    shares out whatever is left, so neither core idles while the other trains on.

    >>> fresh = {"tagger": ["0", "final"], "classifier": ["0", "final"]}
    >>> training_plan(fresh, found_spans=False, parallel=True)
    [[[('tagger', ['0', 'final'])], [('classifier', ['0', 'final'])]]]
    >>> resumed = {"tagger": [], "classifier": ["2", "3", "4", "final"]}
    >>> training_plan(resumed, found_spans=True, parallel=True)
    [[[('classifier', ['2', '3'])], [('classifier', ['4', 'final'])]]]
    """
    tagger, classifier = list(todo.get("tagger", ())), list(todo.get("classifier", ()))
    units = [("tagger", f) for f in tagger] + [("classifier", f) for f in classifier]
    if found_spans:
        first = [u for u in units if u[0] == "tagger" and u[1] != "final"]
        phases = [first, [u for u in units if u not in first]]
    else:
        phases = [units]
    plan: list[list[list[Step]]] = []
    for phase in phases:
        if not phase:
            continue
        half = (len(phase) + 1) // 2
        shares = [phase[:half], phase[half:]] if parallel else [phase]
        plan.append([_steps(share) for share in shares if share])
    return plan


def _steps(units: Sequence[tuple[str, str]]) -> list[Step]:
    """Consecutive folds of one network as one step: a network's run reads and encodes the
    whole corpus once before its folds."""
    steps: list[Step] = []
    for network, fold in units:
        if steps and steps[-1][0] == network:
            steps[-1][1].append(fold)
        else:
            steps.append((network, [fold]))
    return steps


def in_turn(jobs: Sequence[Job]) -> None:
    """Run the jobs one after the other in this process; a job whose last argument (its folds,
    or its jobs) is empty is left out: a network's run reads and encodes the whole corpus before
    it looks at its folds."""
    for run, args in jobs:
        if args[-1]:
            run(*args)


def warm_caches(data: Path, extra: Path | None, tagger_dir: Path, classifier_dir: Path) -> None:
    """Each network's actor-mention cache (`common.article_mentions`), filled in this process
    before two processes read it."""
    from presslens.analyze.techniques.ptc import read_corpus, read_spans_only
    from presslens.train.common import article_mentions

    labelled = read_corpus(data)
    article_mentions([*labelled, *(read_spans_only(extra) if extra else [])], tagger_dir / "mentions.json")
    article_mentions(labelled, classifier_dir / "mentions.json")


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)


def side_by_side(jobs: Sequence[Job]) -> None:
    """Run each job in its own spawned process (torch threads and fork do not mix) and wait for
    all of them; when one fails, RuntimeError names it after the others have finished (its
    traceback is on stderr). The jobs end with this process: a terminated parent (SIGTERM,
    Ctrl-C) terminates them, where a process pool's workers would train on as orphans and race
    a rerun for the same fold folders."""
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=run, args=args, name=f"{run.__module__}.{run.__name__}") for run, args in jobs
    ]
    # SIGTERM's default kills this process at once, before `finally` could end the jobs.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm) if main else None
    try:
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        if main:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
    failed = [f"{proc.name} (exit {proc.exitcode})" for proc in procs if proc.exitcode != 0]
    if failed:
        raise RuntimeError(f"failed: {', '.join(failed)}; its traceback is above")


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
    tagger_reinit_layers: int = 0,
    classifier_found_spans: bool = True,
) -> None:
    from presslens.train import export, postproc, span_classifier, span_tagger, stacker

    tagger, classifier = work / "tagger", work / "classifier"
    # On the CPU with two threads or more, the two networks train side by side on half each.
    parallel = device == "cpu" and threads >= 2
    each = threads // 2 if parallel else threads
    tagger_config = span_tagger.TaggerConfig(
        epochs=epochs_tagger, threads=each, device=device, reinit_layers=tagger_reinit_layers
    )
    classifier_config = span_classifier.ClassifierConfig(
        epochs=epochs_classifier,
        threads=each,
        device=device,
        found_spans=str(tagger) if classifier_found_spans else "",
    )
    train_networks(data, extra, tagger, classifier, tagger_config, classifier_config, parallel=parallel)
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
