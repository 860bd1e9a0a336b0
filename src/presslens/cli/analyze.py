"""`presslens analyze` (full pipeline) and `presslens extract` (anatomy only, the fast mode).

INPUT is a file (text, markdown, HTML, .gz), a directory (recursive), `-` for stdin, a URL,
a JSONL file of records, a WARC file or a feed — whatever `presslens.ingest` reads. One input
with `--format json` prints one Document; several inputs (or `--format jsonl`) print one
Document per line. A bad input among several is reported on one stderr line and skipped; the
run then exits with that input's exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from presslens.cli.app import app, eval_app, is_debug
from presslens.document import Document, RawPage
from presslens.engine import LocalEngine, default_workers
from presslens.errors import ExitCode, PresslensError, UsageError
from presslens.pipeline import (
    DEFAULT_STAGES,
    EXTRACT_STAGES,
    Failure,
    Recipe,
    batched,
    check_requirements,
    expand,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"


_stderr = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} docs"),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )


def _stage_names(default: Sequence[str], stages: str | None, exclude: str | None) -> list[str]:
    """The stages to run, groups (`anatomy`) expanded, so `--exclude wrapper` drops one member."""
    names = [s.strip() for s in stages.split(",") if s.strip()] if stages else list(default)
    dropped = set(expand(s.strip() for s in (exclude or "").split(",") if s.strip()))
    return [n for n in expand(names) if n not in dropped]


def _pages(inputs: Sequence[str], allow_private: bool, failures: list[PresslensError]) -> Iterator[RawPage]:
    """The readable pages of `inputs`; each unreadable one is appended to `failures`."""
    from presslens.ingest import ReadFailure, read_sources
    from presslens.ingest.fetch import SafeFetcher

    fetcher = SafeFetcher(allow_private=allow_private)
    for item in read_sources(inputs, fetcher=fetcher):
        if isinstance(item, ReadFailure):
            err = item.error
            failures.append(type(err)(f"{item.source}: {err}") if item.source not in str(err) else err)
        else:
            yield item


def _as_presslens_error(failure: Failure) -> PresslensError:
    """A stage crash on one page is that page's failure (exit 3), not the run's; `--debug`
    shows its traceback instead."""
    if is_debug() and not isinstance(failure.error, PresslensError):
        raise failure.error
    return failure.as_error()


def run_pipeline(
    stage_names: Sequence[str],
    inputs: Sequence[str],
    fmt: OutputFormat,
    output: Path | None,
    allow_private: bool,
    workers: int | None = None,
    batch_size: int = 8,
) -> None:
    """Read `inputs`, run the stages on the local engine, print each document as it comes."""
    if not inputs:
        raise UsageError("give at least one INPUT (a file, directory, URL, or - for stdin)")
    recipe = Recipe(tuple(expand(stage_names)))
    check_requirements(recipe.names)
    many = len(inputs) > 1 or any(Path(i).is_dir() for i in inputs if i != "-")
    if fmt is OutputFormat.json and many:
        fmt = OutputFormat.jsonl
    progress = _progress() if many and _stderr.is_terminal else None

    docs: list[Document] = []  # kept only for the formats that render all documents at the end
    emitted = 0
    failures: list[PresslensError] = []
    reported = 0
    # A pool pays each worker's model loading once: worth it for a crawl, not for one page.
    engine = LocalEngine(workers or (default_workers() if many else 1))
    out = output.open("w", encoding="utf-8") if output and fmt is not OutputFormat.html else None
    try:
        task = progress.add_task("analyzing", total=None) if progress else None
        if progress:
            progress.start()
        batches = batched(_pages(inputs, allow_private, failures), batch_size)
        for outcome in engine.run(recipe, batches):
            failures.extend(_as_presslens_error(f) for f in outcome.failures)
            if not many and failures:
                raise failures[0]
            for failure in failures[reported:]:
                _stderr.print(f"presslens: error: {failure}", markup=False, highlight=False)
            reported = len(failures)
            for doc in outcome.documents:
                _emit(doc, fmt, out, docs)
                emitted += 1
            if progress is not None and task is not None:
                progress.advance(task, len(outcome.documents) + len(outcome.failures))
    finally:
        if progress:
            progress.stop()
        if out is not None:
            out.close()
        engine.close()
    if not many and failures:
        raise failures[0]
    for failure in failures[reported:]:
        _stderr.print(f"presslens: error: {failure}", markup=False, highlight=False)
    if fmt is OutputFormat.html:
        from presslens.report.html import render_html

        html = render_html(docs)
        if output:
            output.write_text(html, encoding="utf-8")
        else:
            sys.stdout.write(html)
    if many:
        _stderr.print(
            f"presslens: {emitted} documents, {len(failures)} failed", markup=False, highlight=False
        )
    if failures:  # every readable input was output; the run exits with the worst code
        raise typer.Exit(max(int(f.exit_code) for f in failures))
    if many and not emitted:
        raise typer.Exit(int(ExitCode.INPUT))


def _emit(doc: Document, fmt: OutputFormat, out: object, docs: list[Document]) -> None:
    stream = out if out is not None else sys.stdout
    if fmt is OutputFormat.json:
        print(doc.to_json(indent=2), file=stream)  # type: ignore[arg-type]
    elif fmt is OutputFormat.jsonl:
        print(doc.to_json(), file=stream, flush=True)  # type: ignore[arg-type]
    elif fmt is OutputFormat.html:
        docs.append(doc)
    else:
        from presslens.report.terminal import print_document

        print_document(doc, Console(file=stream) if out is not None else None)  # type: ignore[arg-type]


FORMAT_OPTION = typer.Option(OutputFormat.text, "--format", "-f", help="Output format.")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
PRIVATE_OPTION = typer.Option(
    False, "--allow-private", help="Let the fetcher reach private/loopback addresses (intranets)."
)
WORKERS_OPTION = typer.Option(
    None,
    "--workers",
    "-w",
    min=1,
    help="Worker processes; output keeps input order. Default: one per core for a directory or "
    "several inputs, none (this process) for one page.",
)


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(None, metavar="INPUT...", help="Files, directories, URLs, or -"),
    fmt: OutputFormat = FORMAT_OPTION,
    output: Path | None = OUTPUT_OPTION,
    stages: str | None = typer.Option(
        None, "--stages", help=f"Comma-separated stages (default: {','.join(DEFAULT_STAGES)})."
    ),
    exclude: str | None = typer.Option(None, "--exclude", help="Comma-separated stages to drop."),
    allow_private: bool = PRIVATE_OPTION,
    workers: int | None = WORKERS_OPTION,
) -> None:
    """Run the full pipeline: anatomy, techniques, parse, entities, quotes, claims, timeline."""
    names = _stage_names(DEFAULT_STAGES, stages, exclude)
    run_pipeline(names, inputs or [], fmt, output, allow_private, workers)


@app.command()
def extract(
    inputs: list[str] = typer.Argument(None, metavar="INPUT...", help="Files, directories, URLs, or -"),
    fmt: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f", help="Output format."),
    output: Path | None = OUTPUT_OPTION,
    allow_private: bool = PRIVATE_OPTION,
    workers: int | None = WORKERS_OPTION,
) -> None:
    """Anatomy only: body, boilerplate by kind, metadata (the fast mode)."""
    run_pipeline(list(EXTRACT_STAGES), inputs or [], fmt, output, allow_private, workers)


@app.command("stages")
def list_stages() -> None:
    """List the pipeline stages: what each requires and assigns, and its config with defaults."""
    from rich.table import Table

    from presslens.pipeline import available_stages, group_members, stage_spec

    table = Table(title="pipeline stages (default order: " + ", ".join(DEFAULT_STAGES) + ")")
    for col in ("stage", "requires", "assigns", "config (defaults)"):
        table.add_column(col)
    for name in available_stages():
        members = group_members(name)
        if members:
            table.add_row(name, "", "", "group: " + ", ".join(members))
            continue
        spec = stage_spec(name)
        config = ", ".join(f"{k}={v!r}" for k, v in spec.default_config.items())
        table.add_row(name, ", ".join(spec.requires), ", ".join(spec.assigns), config)
    Console().print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the Document (the public JSON contract)."""
    from presslens.document import json_schema_text

    sys.stdout.write(json_schema_text())


@eval_app.command("analyze")
def eval_analyze(
    gold: Path = typer.Option(Path("tests/data/gold"), "--gold", help="Folder of gold JSON files."),
    articles: Path | None = typer.Option(None, "--articles", help="Article texts (default: ../shared PTC)."),
    errors: bool = typer.Option(
        False, "--errors", help="Also list every entity and quote error, article by article."
    ),
) -> None:
    """Score entities (CEAF-e clusters), quotes with speakers and dates on a hand-made gold set."""
    from rich.table import Table

    from presslens.analyze.evaluate import error_report, evaluate, load_gold, run_stages

    gold_docs = load_gold(gold, articles)
    docs = run_stages(gold_docs)
    if errors:
        # Plain lines (no rich markup: error listings quote article text with brackets in it).
        sys.stdout.write("\n".join(error_report(gold_docs, docs)) + "\n")
    table = Table(title=f"analyze stages on {len(gold_docs)} gold articles ({gold})")
    for col in ("component", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "component" else "right")
    for name, score in evaluate(gold_docs, docs).items():
        table.add_row(name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}")
    Console().print(table)
