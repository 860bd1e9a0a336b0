"""Ingest on a cluster: the crawl cut into shards that workers read, analyse and store themselves.

Where it sits: `presslens.corpus.ingest.ingest` uses this instead of its client-side loop when
the engine is Dask and the store is a server database (PostgreSQL) every worker can reach.
The client only plans: `plan_shards` cuts plain JSONL files into byte ranges on line
boundaries (with the line number each range starts at, so every page keeps the source name
`file.jsonl#<line>` and hence the content key a local run gives it) and groups the other files
of directories into lists. `ingest_shard` runs on a worker: read the shard, skip the keys the
store holds, run the stages batch by batch and commit each batch in one transaction.

Idempotent: a batch is committed whole or not at all and a stored key is skipped, so a shard
run twice — the scheduler re-runs the task of a worker that died, or the user re-runs the
whole ingest — stores every document once. Two workers storing the same page at once (the same
record in two shards) is settled by the store's unique key: `Store.add_batch` retries the batch.

Gzip'd JSONL, WARC, feeds and single files are one shard each (they cannot be cut without
reading them); URLs and stdin are read on the client only (`plan_shards` returns None).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from presslens.corpus.records import content_key
from presslens.corpus.store import DocRecord, Store
from presslens.corpus.tally import IngestCounts
from presslens.document import RawPage
from presslens.errors import failure_reason
from presslens.ingest import DEFAULT_MAX_BYTES, ReadFailure, detect_format, iter_directory, read_sources
from presslens.ingest.files import GZIP_MAGIC
from presslens.ingest.records import page_of_line
from presslens.ingest.urls import is_url
from presslens.pipeline import Finish, Recipe, batched, process_batch

#: A JSONL shard is about this many bytes: big enough that a task's overhead is nothing, small
#: enough that a cluster's workers share a single big file and a lost task costs little.
SHARD_BYTES = 32 << 20
#: Files of a directory per shard.
SHARD_FILES = 512
#: No JSONL shard is cut smaller than this, however many workers wait.
_MIN_SHARD_BYTES = 64 << 10


@dataclass(frozen=True)
class Shard:
    """A part of a crawl one worker reads: a byte range of a JSONL file, or a list of files."""

    paths: tuple[str, ...]
    start: int = 0  # byte range [start, end) of paths[0], when `first_line` is set
    end: int = 0
    first_line: int | None = None  # the 1-based line number at `start`; None: read paths whole

    def __str__(self) -> str:
        if self.first_line is not None:
            return f"{self.paths[0]}@{self.start}-{self.end}"
        return f"{self.paths[0]} (+{len(self.paths) - 1} files)" if len(self.paths) > 1 else self.paths[0]


@dataclass(frozen=True)
class ShardTask:
    """Everything a worker needs, and nothing it cannot unpickle (a URL, not an open store)."""

    shard: Shard
    recipe: Recipe
    finish: Finish  # a document -> its store row (ingest's `record_of`), run on the worker
    db_url: str
    run_id: int
    batch_size: int = 64


@dataclass(kw_only=True)
class ShardReport(IngestCounts):
    """What one shard gave, summed by the client into the run's `IngestReport`."""

    shard: str


def plan_shards(
    sources: Sequence[str],
    *,
    slots: int = 1,
    shard_bytes: int = SHARD_BYTES,
    shard_files: int = SHARD_FILES,
) -> list[Shard] | None:
    """The shards of `sources`, in crawl order; None when a source can only be read here.

    A small crawl is cut finer than `shard_bytes` / `shard_files`: into about four shards
    per worker slot (`slots`), so every worker gets a share and a lost one costs little."""
    entries: list[tuple[bool, Path]] = []  # (plain JSONL?, file)
    for src in sources:
        if src == "-" or is_url(src):
            return None
        path = Path(src)
        for file in iter_directory(path) if path.is_dir() else [path]:
            entries.append((file.is_file() and _plain_jsonl(file), file))
    want = 4 * max(1, slots)
    jsonl_bytes = sum(f.stat().st_size for plain, f in entries if plain)
    n_files = sum(1 for plain, _ in entries if not plain)
    shard_bytes = min(shard_bytes, max(_MIN_SHARD_BYTES, -(-jsonl_bytes // want)))
    shard_files = min(shard_files, max(1, -(-n_files // want)))
    shards: list[Shard] = []
    files: list[str] = []

    def flush() -> None:
        for i in range(0, len(files), shard_files):
            shards.append(Shard(tuple(files[i : i + shard_files])))
        files.clear()

    for plain, file in entries:
        if plain:
            flush()
            shards.extend(_jsonl_ranges(file, shard_bytes))
        else:
            files.append(str(file))
    flush()
    return shards


def _plain_jsonl(path: Path) -> bool:
    if detect_format(path) != "jsonl":
        return False
    with path.open("rb") as fh:
        return fh.read(2) != GZIP_MAGIC


def _jsonl_ranges(path: Path, shard_bytes: int) -> Iterator[Shard]:
    """Byte ranges of about `shard_bytes` ending after a newline, each with its first line
    number (newlines are counted on the way: one sequential read of the file)."""
    size = path.stat().st_size
    start, line = 0, 1
    with path.open("rb") as fh:
        while start < size:
            fh.seek(start)
            chunk_end = start
            lines = 0
            while chunk_end - start < shard_bytes:
                block = fh.read(min(1 << 20, shard_bytes - (chunk_end - start)))
                if not block:
                    break
                lines += block.count(b"\n")
                chunk_end += len(block)
            if chunk_end < size:  # finish the line the range ends in
                rest = fh.readline()
                lines += rest.endswith(b"\n")
                chunk_end += len(rest)
            yield Shard((str(path),), start, chunk_end, line)
            start, line = chunk_end, line + lines


def read_shard(shard: Shard, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawPage | ReadFailure]:
    """The pages of one shard, named exactly as `read_sources` names them."""
    if shard.first_line is None:
        yield from read_sources(list(shard.paths), fetch_feed_links=False, max_bytes=max_bytes)
        return
    name = shard.paths[0]
    number = shard.first_line - 1
    with open(name, "rb") as fh:
        fh.seek(shard.start)
        pos = shard.start
        while pos < shard.end:
            line = fh.readline(max_bytes + 1)
            if not line:
                return
            pos += len(line)
            number += 1
            whole: bytes | None = line
            if len(line) > max_bytes and not line.endswith(b"\n"):
                whole = None
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = fh.readline(1 << 20)
                    pos += len(line)
            item = page_of_line(whole, f"{name}#{number}", max_bytes=max_bytes)
            if item is not None:
                yield item


def ingest_shard(task: ShardTask) -> ShardReport:
    """Read, analyse and store one shard (runs on a worker; safe to run twice)."""
    report = ShardReport(shard=str(task.shard))
    store = Store(task.db_url, migrate=False)
    seen: set[str] = set()
    try:
        for items in batched(read_shard(task.shard), task.batch_size):
            failures: list[tuple[str, str, str]] = []
            keyed: list[tuple[str, RawPage]] = []
            for item in items:
                report.read += 1
                if isinstance(item, ReadFailure):
                    _note(report, failures, item.source, item.error.reason, str(item.error))
                    continue
                key = content_key(item)
                if key in seen:
                    report.already_stored += 1
                    continue
                seen.add(key)
                keyed.append((key, item))
            present = store.existing_keys([k for k, _ in keyed])
            fresh = [p for k, p in keyed if k not in present]
            report.already_stored += len(keyed) - len(fresh)
            records: list[DocRecord] = []
            if fresh:
                outcome = process_batch(task.recipe, fresh, task.finish)
                records = outcome.documents
                for f in outcome.failures:
                    _note(report, failures, f.item.source, failure_reason(f.error), _one_line(f.error))
                report.add_stats(outcome.stats)
            added = store.add_batch(records, failures, task.run_id)
            report.added += added
            report.already_stored += len(records) - added  # stored meanwhile by another worker
            for rec in records:
                report.warnings.update(rec.warnings)
    finally:
        store.close()
    return report


def _note(
    report: ShardReport, failures: list[tuple[str, str, str]], source: str, reason: str, msg: str
) -> None:
    report.failures[reason] += 1
    report.examples.setdefault(reason, f"{source}: {msg}"[:300])
    failures.append((source, reason, msg))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:500]
