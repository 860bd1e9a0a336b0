"""`presslens techniques classify`, `presslens eval techniques`, `presslens train techniques`.

Where it sits: the command-line face of the technique model (`presslens.analyze.techniques`)
and its training (`presslens.train`, which needs the `train` extra). Files in and out follow
the PTC / SemEval-2020 Task 11 formats, offsets into the article files as read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress
from rich.table import Table

from presslens.analyze.techniques.ptc import (
    GoldSpan,
    check_spans,
    format_tc_line,
    read_articles,
    read_corpus,
    read_tc_file,
)
from presslens.cli.app import app, eval_app, train_app
from presslens.errors import InputError, UsageError
from presslens.vocab import TECHNIQUE_LABELS

if TYPE_CHECKING:
    from presslens.analyze.techniques.evaluate import Evaluation
    from presslens.analyze.techniques.runtime import TechniqueModel
    from presslens.analyze.techniques.scorers import Report

techniques_app = typer.Typer(help="Persuasion techniques (PTC / SemEval-2020 Task 11).", no_args_is_help=True)
app.add_typer(techniques_app, name="techniques")

_stderr = Console(stderr=True)


def _model(model_dir: Path | None) -> TechniqueModel:
    from presslens.analyze.techniques.runtime import TechniqueModel, get_model

    if model_dir is None:
        return get_model()
    if not model_dir.is_dir():
        raise InputError(f"model directory not found: {model_dir}")
    return TechniqueModel.load(model_dir)


@techniques_app.command("classify")
def classify(
    articles: Path = typer.Option(..., "--articles", help="Folder of article<ID>.txt files."),
    spans: Path = typer.Option(..., "--spans", help="TC template: ID<TAB>?<TAB>start<TAB>end per line."),
    model_dir: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped one)."),
) -> None:
    """Label given spans with a technique (the PTC TC task); prints ID<TAB>technique<TAB>start<TAB>end."""
    if not spans.is_file():
        raise InputError(f"spans file not found: {spans}")
    texts = read_articles(articles)
    template = read_tc_file(spans)
    check_spans(template, texts)
    model = _model(model_dir)
    by_article: dict[str, list[int]] = {}
    for i, s in enumerate(template):
        by_article.setdefault(s.article_id, []).append(i)
    labels: dict[int, str] = {}
    for aid, rows in by_article.items():
        techs = model.classify(texts[aid], [(template[i].start, template[i].end) for i in rows])
        labels.update(zip(rows, techs, strict=True))
    out = sys.stdout
    for i, s in enumerate(template):
        out.write(format_tc_line(GoldSpan(s.article_id, labels[i], s.start, s.end)) + "\n")


def _print_report(title: str, rep: Report, console: Console) -> None:
    head = Table(title=title, show_edge=False)
    for col in ("task", "precision", "recall", "F1", "predicted", "gold"):
        head.add_column(col, justify="left" if col == "task" else "right")
    for name, prf in (("SI", rep.si), ("TC (micro)", rep.tc), ("FLC", rep.flc)):
        head.add_row(
            name,
            f"{prf.precision:.3f}",
            f"{prf.recall:.3f}",
            f"{prf.f1:.3f}",
            str(prf.n_pred),
            str(prf.n_gold),
        )
    console.print(head)
    table = Table(title="per technique", show_edge=False)
    for col in ("technique", "gold", "TC P", "TC R", "TC F1", "FLC F1"):
        table.add_column(col, justify="left" if col == "technique" else "right")
    for r in rep.rows:
        table.add_row(
            TECHNIQUE_LABELS.get(r.technique, r.technique),
            str(r.support),
            f"{r.tc.precision:.3f}",
            f"{r.tc.recall:.3f}",
            f"{r.tc.f1:.3f}",
            f"{r.flc.f1:.3f}",
        )
    console.print(table)


def _print_systems(title: str, systems: list[Evaluation], console: Console) -> None:
    """One row per system: pooled F1 and mean ± sd over folds, for SI, TC and FLC."""
    from presslens.analyze.techniques.evaluate import TC_ONLY

    table = Table(title=title, show_edge=False)
    table.add_column("system", justify="left")
    table.add_column("folds", justify="right")
    for task in ("SI", "TC micro", "FLC"):
        table.add_column(f"{task} F1", justify="right")
        table.add_column("mean ± sd", justify="right")
    for ev in systems:
        pooled = ev.report()
        spread = ev.mean_sd()
        cells = []
        for task in ("si", "tc", "flc"):
            if ev.name in TC_ONLY and task != "tc":
                cells += ["—", "—"]
            else:
                mean, sd = spread[task]
                cells += [f"{getattr(pooled, task).f1:.3f}", f"{mean:.3f} ± {sd:.3f}"]
        table.add_row(ev.name, str(len(ev.fold_ids)), *cells)
    console.print(table)


def _model_folds(model_dir: Path | None) -> dict[str, int] | None:
    """The fold assignment stored with a single model folder (`cv/folds.json`), if any."""
    from presslens.analyze.techniques.evaluate import read_folds
    from presslens.analyze.techniques.runtime import default_model_dir

    base = model_dir or default_model_dir()
    for path in (base / "cv" / "folds.json", base / "folds.json"):
        if path.is_file():
            return read_folds(path)
    return None


@eval_app.command("techniques")
def eval_techniques(
    data: Path = typer.Option(..., "--data", help="PTC folder: articles/, labels-tc/."),
    model_dir: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped one)."),
    cv_dir: Path | None = typer.Option(
        None,
        "--cv",
        help="Cross-validation folder: folds.json and fold0/ … foldK/ model folders; each article is "
        "scored with the model of its own fold.",
    ),
    fold: int = typer.Option(
        -1,
        "--fold",
        help="Score only this fold (of --cv's folds.json, else the model folder's cv/folds.json).",
    ),
    limit: int = typer.Option(0, "--limit", help="Score only the first N articles (0: all)."),
    baselines: bool = typer.Option(
        False,
        "--baselines",
        help="Also train and score the lexicon, TF-IDF and majority baselines on the same folds.",
    ),
    json_out: Path | None = typer.Option(
        None, "--json-out", help="Write every figure (pooled, per fold, mean and sd) as JSON to this file."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Worker processes for the product path (threads shared among them); the figures do not "
        "depend on it.",
    ),
) -> None:
    """Score what `presslens analyze` returns on a PTC folder: SI, TC (micro-F1), FLC, per technique.

    Each article file is read and analysed exactly as `presslens analyze FILE` does (stages
    anatomy + techniques); its Document's technique spans are scored. TC labels the gold spans.
    """
    import json

    from presslens.analyze.techniques.evaluate import (
        baseline_factories,
        cross_validate_baseline,
        cv_model_dirs,
        evaluate,
        evaluate_in_workers,
        read_folds,
        summary_dict,
    )

    if cv_dir is not None and model_dir is not None:
        raise UsageError("give --cv (one model per fold) or --model (one model), not both")
    console = Console()
    corpus = read_corpus(data)
    folds: dict[str, int] | None
    if cv_dir is not None:
        if not cv_dir.is_dir():
            raise InputError(f"CV directory not found: {cv_dir}")
        folds = read_folds(cv_dir / "folds.json")
        articles = [a for a in corpus if a.article_id in folds]
        if len(articles) < len(corpus):
            _stderr.print(
                f"note: {len(corpus) - len(articles)} articles have no fold in folds.json; not scored"
            )
    else:
        if model_dir is not None and not model_dir.is_dir():
            raise InputError(f"model directory not found: {model_dir}")
        folds = _model_folds(model_dir)
        articles = list(corpus)
    if fold >= 0:
        if folds is None:
            raise InputError(
                "--fold needs a fold assignment: give --cv, or a model folder with cv/folds.json"
            )
        articles = [a for a in articles if folds.get(a.article_id) == fold]
        if not articles:
            raise InputError(f"no article of {data} is in fold {fold}")
    if limit:
        articles = articles[:limit]
    if baselines and folds is None:
        from presslens.train.common import fold_assignment

        folds = fold_assignment([a.article_id for a in corpus])

    if cv_dir is not None:
        assert folds is not None
        cv_folds = folds
        dirs = cv_model_dirs(cv_dir, {a.article_id: cv_folds[a.article_id] for a in articles})

        def model_dir_for(article_id: str) -> Path | None:
            return dirs[cv_folds[article_id]]

        title = f"product path, {len(articles)} articles, each scored by its own fold's model (pooled)"
    else:

        def model_dir_for(article_id: str) -> Path | None:
            return model_dir

        title = f"product path, {len(articles)} articles, model {model_dir or 'shipped'}"
    loaded: dict[Path | None, TechniqueModel] = {}

    def model_for(article_id: str) -> TechniqueModel:
        where = model_dir_for(article_id)
        if where not in loaded:
            loaded[where] = _model(where)
        return loaded[where]

    columns = (*Progress.get_default_columns(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("analysing articles", total=len(articles))

        def advance(_: object) -> None:
            progress.advance(task)

        if workers > 1:
            from presslens.engine import LocalEngine

            engine = LocalEngine(workers)
            try:
                product = evaluate_in_workers(
                    articles, data, model_dir_for, engine.map_unordered, folds, progress=advance
                )
            finally:
                engine.close()
        else:
            product = evaluate(articles, data, model_for, folds, progress=advance)
        systems = [product]
        if baselines:
            assert folds is not None
            factories = baseline_factories()
            task = progress.add_task("training and scoring the baselines", total=len(factories))
            for name, make in factories.items():
                systems.append(cross_validate_baseline(name, make, articles, corpus, folds))
                progress.advance(task)
    _print_report(title, product.report(), console)
    ece = product.calibration_error()
    if ece is not None:
        console.print(
            f"calibration: ECE {ece:.3f} (span scores vs. overlap with a gold span of the technique)"
        )
    if cv_dir is not None or baselines:
        n = len(product.fold_ids)
        _print_systems(
            f"{len(articles)} articles in {n} fold{'s' if n != 1 else ''} by article: "
            "pooled F1 and mean ± sd over folds",
            systems,
            console,
        )
    if json_out is not None:
        summary = summary_dict(
            systems,
            data=str(data),
            mode="cv" if cv_dir is not None else "model",
            model=str(cv_dir or model_dir or "shipped"),
            fold=fold if fold >= 0 else None,
            limit=limit or None,
        )
        json_out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    if cv_dir is None and fold < 0:
        _stderr.print(
            "note: one model scores every article, including any it was trained on; use --cv for "
            "held-out figures (or --fold K for the fold the model was not trained on)."
        )


@train_app.command("techniques")
def train_techniques(
    data: Path = typer.Option(..., "--data", help="PTC folder: articles/, labels-tc/."),
    extra: Path | None = typer.Option(
        None, "--extra", help="Spans-only PTC folder (articles/, spans.tsv): span identification only."
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the shipped model folder."),
    work: Path = typer.Option(
        Path("runs/techniques"), "--work", help="Checkpoints, out-of-fold outputs, CV model folders."
    ),
    threads: int = typer.Option(2, "--threads", help="torch CPU threads."),
    device: str = typer.Option("cpu", "--device", help="cpu, or cuda on a machine with a GPU."),
    tagger_reinit_layers: int = typer.Option(
        0,
        "--tagger-reinit-layers",
        min=0,
        max=6,
        help="Re-initialise the span tagger encoder's top N layers before fine-tuning (see the model card).",
    ),
    classifier_found_spans: bool = typer.Option(
        True,
        "--classifier-found-spans/--classifier-gold-spans",
        help="The span classifier also learns from the spans the tagger finds out of fold, as the "
        "shipped model's did (v2.5), or from gold spans only (v2.3; model card).",
    ),
) -> None:
    """Reproduce the shipped model: span tagger and span classifier (5-fold CV by article + final),
    cross-fitted decoders, int8 ONNX. Resumable: finished folds are skipped."""
    try:
        import torch  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError("training needs the train extra: pip install 'presslens[train]'") from None
    if not data.is_dir():
        raise InputError(f"PTC data directory not found: {data}")
    if extra is not None and not extra.is_dir():
        raise InputError(f"spans-only data directory not found: {extra}")
    from presslens.train.common import RecipeMismatch
    from presslens.train.pipeline import reproduce

    try:
        reproduce(
            data,
            extra,
            out,
            work,
            threads=threads,
            device=device,
            tagger_reinit_layers=tagger_reinit_layers,
            classifier_found_spans=classifier_found_spans,
        )
    except RecipeMismatch as error:
        raise UsageError(str(error)) from None
