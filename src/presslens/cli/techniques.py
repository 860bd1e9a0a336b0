"""`presslens techniques classify`, `presslens eval techniques`, `presslens train techniques`.

Where it sits: the command-line face of the technique model (`presslens.analyze.techniques`)
and its training (`presslens.train`, which needs the `train` extra). Files in and out follow
the PTC / SemEval-2020 Task 11 formats, offsets into the article files as read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from presslens.analyze.techniques.ptc import (
    Article,
    GoldSpan,
    check_spans,
    format_tc_line,
    read_articles,
    read_corpus,
    read_si_file,
    read_tc_file,
)
from presslens.cli import app, eval_app, train_app
from presslens.errors import InputError, UsageError
from presslens.vocab import TECHNIQUE_LABELS

techniques_app = typer.Typer(help="Persuasion techniques (PTC / SemEval-2020 Task 11).", no_args_is_help=True)
app.add_typer(techniques_app, name="techniques")

_stderr = Console(stderr=True)


def _model(model_dir: Path | None) -> object:
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
    from presslens.analyze.techniques.runtime import TechniqueModel

    if not spans.is_file():
        raise InputError(f"spans file not found: {spans}")
    texts = read_articles(articles)
    template = read_tc_file(spans)
    check_spans(template, texts)
    model = _model(model_dir)
    assert isinstance(model, TechniqueModel)
    by_article: dict[str, list[GoldSpan]] = {}
    for s in template:
        by_article.setdefault(s.article_id, []).append(s)
    labels: dict[int, str] = {}
    index = {id(s): i for i, s in enumerate(template)}
    for aid, group in by_article.items():
        for s, tech in zip(group, model.classify(texts[aid], [(g.start, g.end) for g in group]), strict=True):
            labels[index[id(s)]] = tech
    out = sys.stdout
    for i, s in enumerate(template):
        out.write(format_tc_line(GoldSpan(s.article_id, labels[i], s.start, s.end)) + "\n")


def _print_report(title: str, rep: object, console: Console) -> None:
    from presslens.analyze.techniques.scorers import Report

    assert isinstance(rep, Report)
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


def _read_si_predictions(path: Path) -> list[GoldSpan]:
    return read_si_file(path) if path.exists() else []


@eval_app.command("techniques")
def eval_techniques(
    data: Path = typer.Option(..., "--data", help="PTC folder: articles/, labels-tc/."),
    folds: bool = typer.Option(
        False, "--folds", help="Re-score the stored out-of-fold predictions (5-fold CV by article) instead."
    ),
    baselines: bool = typer.Option(
        False, "--baselines", help="Also cross-validate the lexicon and TF-IDF baselines."
    ),
    limit: int = typer.Option(0, "--limit", help="Score only the first N articles (0: all)."),
    fold: int = typer.Option(
        -1,
        "--fold",
        help="Score only this CV fold (cv/folds.json); fold 0 is held out from the shipped model.",
    ),
    model_dir: Path | None = typer.Option(None, "--model", help="Model folder (default: the shipped one)."),
    onnx_file: str = typer.Option(
        "model.int8.onnx", "--onnx", help="ONNX file name inside the model folder."
    ),
) -> None:
    """Score the technique model on a PTC folder: SI, TC (micro-F1), FLC and a per-technique table."""
    import json

    from presslens.analyze.techniques.runtime import TechniqueModel, default_model_dir
    from presslens.analyze.techniques.scorers import score_all

    console = Console()
    articles = read_corpus(data)
    if fold >= 0:
        folds_path = default_model_dir() / "cv" / "folds.json"
        if not folds_path.exists():
            raise InputError(f"no fold assignment at {folds_path}")
        assignment = json.loads(folds_path.read_text())
        articles = [a for a in articles if assignment.get(a.article_id) == fold]
        if not articles:
            raise InputError(f"no article of {data} is in fold {fold}")
    if limit:
        articles = articles[:limit]
    gold = [s for a in articles for s in a.spans]
    ids = {a.article_id for a in articles}
    if folds:
        cv = (model_dir or default_model_dir()) / "cv"
        if not (cv / "oof-tc.txt").exists():
            raise InputError(f"no stored out-of-fold predictions in {cv}")
        flc = [s for s in read_tc_file(cv / "oof-flc.txt") if s.article_id in ids]
        tc = [s for s in read_tc_file(cv / "oof-tc.txt") if s.article_id in ids]
        si = [s for s in _read_si_predictions(cv / "oof-si.txt") if s.article_id in ids]
        # Articles without gold spans have no TC lines; they are still scored for SI and FLC.
        scored = {s.article_id for s in tc} | {a.article_id for a in articles if not a.spans}
        gold = [s for s in gold if s.article_id in scored]
        rep = score_all(flc, tc, gold)
        rep = type(rep)(score_all(si, tc, gold).si, rep.tc, rep.flc, rep.rows)
        _print_report(f"out-of-fold predictions, {len(scored)} articles (pooled over folds)", rep, console)
    else:
        if model_dir is not None and not model_dir.is_dir():
            raise InputError(f"model directory not found: {model_dir}")
        model = (
            TechniqueModel.load(model_dir, onnx_file)
            if (model_dir or onnx_file != "model.int8.onnx")
            else _model(None)
        )
        assert isinstance(model, TechniqueModel)
        si, flc, tc = [], [], []
        with console.status("running the technique model…"):
            for a in articles:
                view = model.view(a.text)
                si += [GoldSpan(a.article_id, "?", s, e) for s, e in model.find_any(a.text, view)]
                flc += [
                    GoldSpan(a.article_id, f.technique, f.start, f.end) for f in model.find(a.text, view=view)
                ]
                labels = model.classify(a.text, [(s.start, s.end) for s in a.spans], view)
                tc += [
                    GoldSpan(s.article_id, t, s.start, s.end) for s, t in zip(a.spans, labels, strict=True)
                ]
        rep = score_all(flc, tc, gold)
        rep = type(rep)(score_all(si, tc, gold).si, rep.tc, rep.flc, rep.rows)
        _print_report(f"shipped model on {len(articles)} articles", rep, console)
        if fold != 0:
            _stderr.print(
                "note: the shipped model was trained on the shared PTC articles outside CV fold 0; on "
                "them these figures are in-sample. Use --fold 0 (held out) or --folds (all CV folds)."
            )
    if baselines:
        _print_baselines(articles, console)


def _print_baselines(articles: list[Article], console: Console) -> None:
    from presslens.analyze.techniques.baselines import LexiconBaseline, TfidfBaseline
    from presslens.analyze.techniques.scorers import score_all
    from presslens.train.techniques import fold_assignment

    folds = fold_assignment([a.article_id for a in articles])
    table = Table(title="baselines, 5-fold CV by article (pooled)", show_edge=False)
    for col in ("system", "SI F1", "TC F1", "FLC F1"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, make in (("lexicon/rules", LexiconBaseline), ("TF-IDF + logistic", TfidfBaseline)):
        spans, tc = [], []
        for k in sorted(set(folds.values())):
            est = make().fit([a for a in articles if folds[a.article_id] != k])
            for a in articles:
                if folds[a.article_id] == k:
                    spans += est.predict_spans(a)
                    tc += est.classify(a, a.spans)
        rep = score_all(spans, tc, [s for a in articles for s in a.spans])
        table.add_row(name, f"{rep.si.f1:.3f}", f"{rep.tc.f1:.3f}", f"{rep.flc.f1:.3f}")
    console.print(table)


@train_app.command("techniques")
def train_techniques(
    data: Path = typer.Option(..., "--data", help="PTC folder: articles/, labels-tc/."),
    out: Path = typer.Option(
        ..., "--out", help="Where to write the model folder (ONNX, tokenizer, card data)."
    ),
    work: Path = typer.Option(
        Path("runs/techniques"), "--work", help="Scratch folder for checkpoints and logits."
    ),
    n_folds: int = typer.Option(
        5, "--folds", help="Cross-validation folds (by article) for the post-processing fit."
    ),
    only: str = typer.Option(
        "0,1,2,3,4",
        "--run-folds",
        help="Which CV folds to train (comma-separated; the shipped model ran all 5).",
    ),
    epochs: int = typer.Option(2, "--epochs"),
    final: bool = typer.Option(
        False, "--final/--fold0", help="Ship a model trained on all articles instead of the fold-0 model."
    ),
) -> None:
    """Reproduce the shipped model: 5-fold CV by article, post-processing, fold-0 model, int8 ONNX."""
    try:
        import torch  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError("training needs the train extra: pip install 'presslens[train]'") from None
    if not data.is_dir():
        raise InputError(f"PTC data directory not found: {data}")
    from presslens.train.pipeline import reproduce

    try:
        folds = [int(f) for f in only.split(",") if f.strip()]
    except ValueError:
        raise UsageError(f"--run-folds takes comma-separated fold numbers, got {only!r}") from None
    reproduce(data, out, work, n_folds=n_folds, epochs=epochs, only_folds=folds, final=final)
