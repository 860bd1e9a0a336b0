"""Corpus commands: `ingest`, `link`, `search`, `profile`, `graph`, `export`.

Each opens the store named by `--db` (a SQLAlchemy URL; default a SQLite file in the user
data dir) and leaves the work to `presslens.corpus` and `presslens.engine`; this module only
parses options and renders results (rich tables on stderr/stdout, JSON when asked).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from presslens.cli.app import app
from presslens.errors import InputError, UsageError

if TYPE_CHECKING:  # the corpus modules load numpy/datasketch; only commands that need them import them
    from presslens.corpus.ingest import IngestReport
    from presslens.corpus.linking import LinkReport
    from presslens.corpus.profiles import OutletProfile
    from presslens.corpus.store import Store

_stderr = Console(stderr=True)
_stdout = Console()

DB_HELP = (
    "SQLAlchemy URL of the corpus (sqlite:///path, postgresql://...); "
    "default: a SQLite file in the user data dir"
)


class EngineKind(str, Enum):
    local = "local"
    dask = "dask"


class GraphFormat(str, Enum):
    json = "json"
    graphml = "graphml"


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"


class OutFormat(str, Enum):
    text = "text"
    json = "json"


class _Rate(ProgressColumn):
    """docs/s over the whole run (rich's own speed column is for bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.1f} docs/s", style="progress.data.speed")


def _open(db: str | None) -> Store:
    from presslens.corpus.store import Store

    return Store(db)


MEMORY_HELP = (
    "Memory linking may use, e.g. 4G or 500M: candidate pairs spill to a temporary file and the "
    "work runs in partitions beyond it (same graph, more passes). Default: no limit."
)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_memory(value: str | None) -> int | None:
    """'4G' -> 4 * 2**30 bytes (K, M, G, T; a trailing B or iB is allowed); None stays None."""
    if value is None:
        return None
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _UNITS else (text, "")
    try:
        size = float(number) * _UNITS[unit]
    except ValueError:
        raise UsageError(f"--memory-limit: cannot read {value!r} as a size (e.g. 4G, 500M)") from None
    if size < 1 << 20:
        raise UsageError(f"--memory-limit {value!r} is below 1M: linking cannot run in that")
    return int(size)


#: What ingest runs unless told: anatomy for the corpus's metadata and syndication, techniques
#: for the outlet profiles.
INGEST_STAGES = "anatomy,techniques"


@app.command()
def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Directories, files, JSONL, WARC(.gz), feeds, URL lists, URLs."
    ),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    stages: str = typer.Option(
        None,
        "--stages",
        help=f"Comma-separated pipeline stages (default {INGEST_STAGES}); '' stores and links the "
        "pages as read, with no stage.",
    ),
    engine: EngineKind = typer.Option(EngineKind.local, "--engine", help="local process pool or Dask."),
    workers: int = typer.Option(
        None, "--workers", help="Worker processes (local) or LocalCluster workers (dask)."
    ),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Pages per batch (and per transaction)."),
    link: bool = typer.Option(
        True, "--link/--no-link", help="Link the new documents into the syndication graph at the end."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Let URL sources reach private addresses."
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
    memory_limit: str = typer.Option(None, "--memory-limit", help=MEMORY_HELP),
) -> None:
    """Read a crawl into the corpus: idempotent, resumable, bad records counted not fatal.

    With --engine dask, --scheduler and a PostgreSQL --db, the workers read their shards of
    the crawl (which must be on a path they all see), run the stages and write the store."""
    from presslens.corpus.ingest import estimate_total
    from presslens.corpus.ingest import ingest as run_ingest
    from presslens.engine import make_engine
    from presslens.ingest import SafeFetcher

    names = [s.strip() for s in (INGEST_STAGES if stages is None else stages).split(",") if s.strip()]
    limit = parse_memory(memory_limit)
    store = _open(db)
    eng = make_engine(engine.value, workers=workers, scheduler=scheduler)
    total = estimate_total(sources)
    show = progress and _stderr.is_terminal
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
        disable=not show,
    )
    try:
        with bar:
            task = bar.add_task("ingest", total=total)

            def on_progress(done: int, total_: int | None) -> None:
                bar.update(task, completed=done, total=total_)

            report = run_ingest(
                sources,
                store,
                stages=names,
                engine=eng,
                batch_size=batch_size,
                link=link,
                fetcher=SafeFetcher(allow_private=allow_private),
                on_progress=on_progress,
                total=total,
                memory_limit=limit,
            )
    finally:
        eng.close()
    _print_report(report, store.url)


def _print_report(report: IngestReport, url: str) -> None:
    out = _stderr
    out.print(
        f"[bold]run {report.run_id}[/]: {report.read} read, [green]{report.added} added[/], "
        f"{report.already_stored} already stored, {sum(report.failures.values())} failed "
        f"in {report.seconds:.1f}s ({report.docs_per_second:.1f} docs/s) → {url}"
    )
    if report.failures or report.warnings:
        t = Table(title="records not stored / stored with warnings", title_justify="left")
        t.add_column("reason")
        t.add_column("count", justify="right")
        t.add_column("example")
        for reason, n in report.failures.most_common():
            t.add_row(f"[red]{reason}[/]", str(n), report.examples.get(reason, ""))
        for reason, n in report.warnings.most_common():
            t.add_row(f"[yellow]{reason}[/] (stored)", str(n), "")
        out.print(t)
    if report.stats:
        t = Table(title="stages", title_justify="left")
        for col in ("stage", "documents", "seconds", "docs/s", "errors"):
            t.add_column(col, justify="left" if col == "stage" else "right")
        for name, st in report.stats.items():
            rate = st.documents / st.seconds if st.seconds else 0.0
            t.add_row(name, str(st.documents), f"{st.seconds:.1f}", f"{rate:.1f}", str(st.errors))
        out.print(t)
    if report.link is not None:
        out.print(f"syndication: {_link_summary(report.link)}")


def _link_summary(lk: LinkReport) -> str:
    edges = ", ".join(f"{k} {v}" for k, v in sorted(lk.edges.items())) or "none"
    return (
        f"{lk.documents} documents linked{' (full rebuild)' if lk.full else ''}, "
        f"{lk.candidate_pairs} candidate pairs, {lk.components} components re-decided "
        f"({lk.clusters} copy clusters), edges written: {edges} ({lk.seconds:.1f}s)"
    )


@app.command()
def link(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    full: bool = typer.Option(
        False, "--full", help="Rebuild the whole graph and its index instead of linking new documents."
    ),
    memory_limit: str = typer.Option(None, "--memory-limit", help=MEMORY_HELP),
    engine: EngineKind = typer.Option(
        EngineKind.local, "--engine", help="Where linking work runs: local process pool or Dask."
    ),
    workers: int = typer.Option(
        None, "--workers", help="Worker processes (local) or LocalCluster workers (dask)."
    ),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
) -> None:
    """Link documents into the syndication graph: copies, reused passages, common sources.

    By default only the documents not linked yet (ingest with --no-link, or documents whose
    neighbours were deleted); --full rebuilds everything and gives the same graph. Finding
    candidates, verifying pairs and deciding components run on the engine's workers (they
    read the store by its URL); this process writes the index and the edges."""
    from presslens.corpus.linking import link_corpus
    from presslens.engine import make_engine

    limit = parse_memory(memory_limit)
    store = _open(db)
    eng = make_engine(engine.value, workers=workers, scheduler=scheduler)
    try:
        _stderr.print(_link_summary(link_corpus(store, full=full, memory_limit=limit, engine=eng)))
    finally:
        eng.close()


@app.command()
def search(
    query: str = typer.Argument("", help="Words to find (all required; a trailing * is a prefix)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    outlet: str = typer.Option(None, "--outlet", help="Outlet name or domain."),
    since: str = typer.Option(None, "--since", help="Published on or after (YYYY[-MM[-DD]])."),
    until: str = typer.Option(None, "--until", help="Published on or before (YYYY[-MM[-DD]])."),
    technique: str = typer.Option(None, "--technique", help="Has this PTC technique, e.g. Loaded_Language."),
    entity: str = typer.Option(None, "--entity", help="Mentions this entity (canonical name)."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000),
    offset: int = typer.Option(0, "--offset", min=0),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format"),
) -> None:
    """Full-text search with filters on outlet, date, technique and entity."""
    from presslens.corpus.search import SearchQuery
    from presslens.corpus.search import search as run_search

    wanted = SearchQuery(query, outlet, technique, entity, since, until, offset, limit)
    hits = run_search(_open(db), wanted, facets=False).hits.items
    if fmt is OutFormat.json:
        keys = ("id", "url", "title", "outlet", "published", "snippet", "score")
        rows = [{k: getattr(h, k) for k in keys} for h in hits]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        _stderr.print("no documents found")
        return
    t = Table()
    for col in ("id", "published", "outlet", "title", "snippet"):
        t.add_column(col, overflow="fold")
    for h in hits:
        # Page text is shown as it is: rich would take a snippet's "[matched word]" for markup.
        cells = (h.published or "", h.outlet or "", h.title or h.url or "", h.snippet[:200])
        t.add_row(str(h.id), *map(escape, cells))
    _stdout.print(t)


@app.command()
def profile(
    outlet: str = typer.Argument(..., help="Outlet name or domain."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    top: int = typer.Option(10, "--top", min=1),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format"),
) -> None:
    """One outlet: documents, dates, techniques per 1,000 words, funding, sources, copiers, entities."""
    from presslens.corpus.profiles import profile as run_profile

    p = run_profile(_open(db), outlet, top=top)
    if p is None:
        raise InputError(f"no outlet {outlet!r} in the corpus (try `presslens search` to see outlet names)")
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(_profile_json(p), ensure_ascii=False, indent=2) + "\n")
        return
    o = _stdout
    o.print(
        f"[bold]{escape(p.name)}[/] ({p.domain or 'no domain'}): {p.documents} documents, "
        f"{p.first_published or '?'} – {p.last_published or '?'}, {p.words:,} body words"
    )
    sections = [
        ("techniques per 1,000 words", [(k, f"{v:.2f}") for k, v in p.techniques_per_1000_words.items()]),
        ("funding channels", [(f.channel, f"{f.value} ({f.documents} docs)") for f in p.funding]),
        (
            "copies from",
            [(c.outlet, f"{c.documents} docs, mean lag {c.mean_lag_days} d") for c in p.copies_from],
        ),
        (
            "copies from (credited, outside the crawl)",
            [(c.outlet, f"{c.documents} docs") for c in p.credited_from],
        ),
        (
            "copied by",
            [(c.outlet, f"{c.documents} docs, mean lag {c.mean_lag_days} d") for c in p.copied_by],
        ),
        ("reuses passages of", [(c.outlet, f"{c.documents} docs") for c in p.reuses_from]),
        ("passages reused by", [(c.outlet, f"{c.documents} docs") for c in p.reused_by]),
        ("shares common sources with", [(c.outlet, f"{c.documents} docs") for c in p.common_sources]),
        ("top entities", [(e.name, f"{e.type}, {e.documents} docs") for e in p.top_entities]),
    ]
    for title, rows in sections:
        t = Table(title=title, title_justify="left", show_header=False)
        t.add_column()
        t.add_column()
        for a, b in rows or [("—", "none recorded")]:
            t.add_row(escape(a), escape(b))
        o.print(t)


def _profile_json(p: OutletProfile) -> dict[str, Any]:
    """`presslens profile --format json`: the profile without its monthly series and listing."""
    head = ("name", "domain", "documents", "first_published", "last_published", "words")
    return {
        **{k: getattr(p, k) for k in head},
        "techniques_per_1000_words": {t: round(r, 3) for t, r in p.techniques_per_1000_words.items()},
        "funding": [asdict(f) for f in p.funding],
        "copies_from": [asdict(c) for c in p.copies_from],
        "credited_from": [asdict(c) for c in p.credited_from],
        "copied_by": [asdict(c) for c in p.copied_by],
        "reuses_from": [asdict(c) for c in p.reuses_from],
        "reused_by": [asdict(c) for c in p.reused_by],
        "common_sources": [asdict(c) for c in p.common_sources],
        "top_entities": [asdict(e) for e in p.top_entities],
    }


@app.command()
def graph(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    fmt: GraphFormat = typer.Option(GraphFormat.json, "--format"),
    output: Path = typer.Option(None, "-o", "--output", help="File to write (default stdout for JSON)."),
    level: str = typer.Option("document", "--level", help="document or outlet"),
    since: str = typer.Option(
        None, "--since", help="Keep edges with a document published on or after (YYYY[-MM[-DD]])."
    ),
    until: str = typer.Option(
        None, "--until", help="Keep edges with a document published on or before (YYYY[-MM[-DD]])."
    ),
    outlet: str = typer.Option(None, "--outlet", help="Keep edges with a document of this outlet."),
    relations: str = typer.Option(
        "copy",
        "--relations",
        help="Comma-separated relations to export: copy (republished articles), reuse (passages "
        "of one inside another), common_source (the same third-party text in both).",
    ),
) -> None:
    """The syndication graph (original → copy) as node-link JSON or GraphML."""
    from presslens.corpus.export import graph_graphml, graph_json
    from presslens.corpus.graph import EdgeFilter, parse_relations

    flt = EdgeFilter(start=since, end=until, outlet=outlet, relations=parse_relations(relations) or ("copy",))
    store = _open(db)
    if fmt is GraphFormat.graphml:
        if output is None:
            raise UsageError("--format graphml needs -o FILE")
        graph_graphml(store, output, level=level, flt=flt)
        return
    text = json.dumps(graph_json(store, level=level, flt=flt), ensure_ascii=False, indent=1) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def export(
    what: str = typer.Argument(..., help="documents or edges"),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    fmt: TableFormat = typer.Option(None, "--format", help="csv or parquet (default: from the file name)."),
) -> None:
    """Export documents or syndication edges as CSV or Parquet."""
    from presslens.corpus.export import DOCUMENT_COLUMNS, EDGE_COLUMNS, document_rows, edge_rows, write_table

    kind = fmt.value if fmt else ("parquet" if output.suffix == ".parquet" else "csv")
    store = _open(db)
    if what == "documents":
        n = write_table(document_rows(store), DOCUMENT_COLUMNS, output, kind)
    elif what == "edges":
        n = write_table(edge_rows(store), EDGE_COLUMNS, output, kind)
    else:
        raise UsageError(f"unknown export {what!r}; use documents or edges")
    _stderr.print(f"wrote {n} {what} to {output}")
