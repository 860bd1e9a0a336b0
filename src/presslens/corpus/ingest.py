"""`presslens ingest`: read sources, run the pipeline on an engine, write the store, link copies.

Where it sits: readers (`presslens.ingest.read_sources`) → content keys → skip what the store
already holds → engine (`presslens.engine`) runs the stages in batches → the store writes each
batch in one transaction → `linking.link_corpus` links the new documents at the end (against
the stored index: the cost follows the new documents, not the store).

Idempotent and resumable: a page's key is a hash of its URL (or source) and content, keys the
store already has are skipped before any stage runs, and a batch is committed whole or not at
all. Re-running the same sources adds nothing; a run killed with `kill -9` and restarted ends
with every document exactly once. Bad records are counted by reason, never fatal.

On a cluster (a Dask engine and a PostgreSQL store) the client reads nothing itself: the crawl
is cut into shards that workers read, analyse and store (`presslens.corpus.shards`), with the
same keys, the same skipping and the same one-transaction batches; the client sums their
reports and links at the end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presslens.corpus.linking import LinkReport, link_corpus
from presslens.corpus.records import content_key, to_record
from presslens.corpus.store import DocRecord, Store
from presslens.corpus.tally import IngestCounts
from presslens.document import Document, RawPage
from presslens.engine import Engine, LocalEngine
from presslens.errors import NoArticle, UsageError, failure_reason
from presslens.pipeline import EXTRACT_STAGES, Recipe, check_requirements, expand

if TYPE_CHECKING:
    from presslens.corpus.shards import Shard

ProgressCallback = Callable[[int, int | None], None]


@dataclass(kw_only=True)
class IngestReport(IngestCounts):
    """The end-of-run summary: what was read, added, skipped, and why records failed."""

    run_id: int
    seconds: float = 0.0
    link: LinkReport | None = None

    @property
    def docs_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def counts(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "added": self.added,
            "already_stored": self.already_stored,
            "failures": dict(self.failures),
            "warnings": dict(self.warnings),
            "seconds": round(self.seconds, 3),
        }


def estimate_total(sources: Sequence[str]) -> int | None:
    """Pages to expect, for the ETA: JSONL lines and directory files; None when unknowable."""
    total = 0
    for src in sources:
        path = Path(src)
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file() and path.name.endswith((".jsonl", ".ndjson")):
            with path.open("rb") as fh:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        elif path.is_file() and path.suffix in (".txt", ".html", ".htm", ".md"):
            total += 1
        else:
            return None
    return total


def record_of(doc: Document) -> DocRecord:
    """The store row for one analysed page — the engine's `finish` step, run on the worker.

    A page without an article body is refused here (`NoArticle`): a store of crawled pages
    keeps articles, not navigation or error pages.
    """
    start, end = doc.body_range
    if not re.search(r"\w", doc.text[start:end]):
        raise NoArticle(f"{doc.source}: no article body found")
    raw = doc.raw
    if raw is None:
        raise ValueError("record_of needs the page the document was made from (doc.raw)")
    return to_record(doc, content_key(raw), raw)


def ingest(
    sources: Sequence[str],
    store: Store,
    *,
    stages: Sequence[str] = EXTRACT_STAGES,
    engine: Engine | None = None,
    batch_size: int = 64,
    link: bool = True,
    fetcher: Any = None,
    on_progress: ProgressCallback | None = None,
    total: int | None = None,
    placement: str | None = None,
    memory_limit: int | None = None,
) -> IngestReport:
    """Ingest `sources` into `store`. `placement` says who reads and writes: "client" (this
    process reads, the engine's workers analyse, this process writes) or "workers" (each
    worker reads, analyses and writes a shard of the crawl); by default "workers" exactly when
    the engine is Dask and the store a server database. `memory_limit` (bytes) bounds linking."""
    from presslens.ingest import ReadFailure, read_sources

    engine = engine or LocalEngine(1)
    if placement is None:
        placement = "workers" if engine.name == "dask" and store.dialect != "sqlite" else "client"
    if placement not in ("client", "workers"):
        raise UsageError(f"placement must be 'client' or 'workers', not {placement!r}")
    run_id = store.begin_run(sources, stages)
    report = IngestReport(run_id=run_id)
    if placement == "workers":
        from presslens.corpus.shards import plan_shards

        shards = plan_shards(list(sources), slots=engine.slots)
        if shards is not None:
            return _ingest_on_workers(
                shards, store, report, stages, engine, batch_size, link, memory_limit, on_progress, total
            )
    seen: set[str] = set()
    pending_failures: list[tuple[str, str, str]] = []

    def note_failure(source: str, reason: str, message: str) -> None:
        report.failures[reason] += 1
        report.examples.setdefault(reason, f"{source}: {message}"[:300])
        pending_failures.append((source, reason, message))

    def batches() -> Iterator[list[RawPage]]:
        batch: list[tuple[str, RawPage]] = []

        def flush() -> Iterator[list[RawPage]]:
            nonlocal batch
            present = store.existing_keys([k for k, _ in batch])
            fresh = [p for k, p in batch if k not in present]
            report.already_stored += len(batch) - len(fresh)
            batch = []
            if fresh:
                yield fresh
            elif on_progress:
                on_progress(report.read, total)

        for item in read_sources(list(sources), fetcher=fetcher):
            report.read += 1
            if isinstance(item, ReadFailure):
                note_failure(item.source, item.error.reason, str(item.error))
                continue
            key = content_key(item)
            if key in seen:  # the same page twice in one crawl
                report.already_stored += 1
                continue
            seen.add(key)
            batch.append((key, item))
            if len(batch) >= batch_size:
                yield from flush()
        if batch:
            yield from flush()

    with _recorded_run(store, report):
        recipe = Recipe(tuple(expand(stages)))
        check_requirements(recipe.names)
        for result in engine.run(recipe, batches(), record_of):
            for failure in result.failures:
                note_failure(failure.item.source, failure_reason(failure.error), _one_line(failure.error))
            failures, pending_failures[:] = list(pending_failures), []
            records: list[DocRecord] = result.documents
            report.added += store.add_batch(records, failures, run_id)
            for rec in records:
                report.warnings.update(rec.warnings)
            report.add_stats(result.stats)
            if on_progress:
                on_progress(report.read, total)
        if pending_failures:
            store.add_batch([], list(pending_failures), run_id)
            pending_failures.clear()
        if link:
            report.link = link_corpus(store, memory_limit=memory_limit, engine=engine)
    return report


@contextmanager
def _recorded_run(store: Store, report: IngestReport) -> Iterator[None]:
    """Time the run and record how it ended in the store's run log, whatever ends it; a
    failure to record never masks the error that ended the run."""
    started = time.perf_counter()
    status = "failed"
    try:
        yield
        status = "done"
    finally:
        report.seconds = time.perf_counter() - started
        stats = {k: vars(v) for k, v in report.stats.items()}
        try:
            store.finish_run(report.run_id, status=status, counts=report.counts(), stats=stats)
        except Exception:
            if status == "done":
                raise


def _ingest_on_workers(
    shards: Sequence[Shard],
    store: Store,
    report: IngestReport,
    stages: Sequence[str],
    engine: Engine,
    batch_size: int,
    link: bool,
    memory_limit: int | None,
    on_progress: ProgressCallback | None,
    total: int | None,
) -> IngestReport:
    """`ingest` with the workers reading and writing: one `ingest_shard` task per shard."""
    from presslens.corpus.shards import ShardTask, ingest_shard

    with _recorded_run(store, report):
        recipe = Recipe(tuple(expand(stages)))
        check_requirements(recipe.names)
        tasks = (
            ShardTask(shard, recipe, record_of, store.url, report.run_id, batch_size) for shard in shards
        )
        for part in engine.map_unordered(ingest_shard, tasks):
            report.merge(part)
            if on_progress:
                on_progress(report.read, total)
        if link:
            report.link = link_corpus(store, memory_limit=memory_limit, engine=engine)
    return report


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:500]
