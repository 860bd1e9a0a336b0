"""The unit of work every engine runs: a batch of pages through the pipeline into store rows.

Where it sits: between the readers and the store. An engine (local process pool or Dask)
only decides *where* `process_batch` runs; the function itself builds the named pipeline once
per worker, runs each page through it, turns each document into a `DocRecord` and reports
failures as values with a reason, so the caller counts them and the run goes on. Stages never
know which engine runs them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from presslens.corpus.records import to_record
from presslens.corpus.store import DocRecord
from presslens.document import RawPage
from presslens.errors import FetchError, FetchRefused, InputError, PresslensError
from presslens.pipeline import Pipeline, StageStats

#: A page as sent to a worker: its content key (computed by the reader side) and the page.
KeyedPage = tuple[str, RawPage]


@dataclass
class BatchResult:
    """What one batch produced: rows to write, failures `(source, reason, message)`, stage stats."""

    records: list[DocRecord] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    stats: dict[str, StageStats] = field(default_factory=dict)


_local = threading.local()


def _pipeline(stage_names: tuple[str, ...]) -> Pipeline:
    # One pipeline per worker thread and stage list: stages load models once, and threads of a
    # Dask worker never share a pipeline's counters.
    cache: dict[tuple[str, ...], Pipeline] = getattr(_local, "pipelines", None) or {}
    _local.pipelines = cache
    if stage_names not in cache:
        cache[stage_names] = Pipeline.from_names(stage_names)
    return cache[stage_names]


def failure_reason(error: BaseException) -> str:
    """A short, countable reason for the end-of-run summary."""
    text = str(error).lower()
    if isinstance(error, FetchRefused):
        return "fetch refused"
    if isinstance(error, FetchError):
        return "fetch failed"
    if isinstance(error, InputError):
        for needle, reason in (
            ("binary", "binary"),
            ("warc", "broken WARC record"),
            ("json", "bad JSON record"),
            ("empty", "empty"),
            ("too large", "too large"),
            ("larger than", "too large"),
            ("encoding", "undecodable"),
            ("decode", "undecodable"),
        ):
            if needle in text:
                return reason
        return "unreadable"
    if isinstance(error, PresslensError):
        return type(error).__name__
    return f"stage error ({type(error).__name__})"


def process_batch(stage_names: Sequence[str], pages: Sequence[KeyedPage]) -> BatchResult:
    """Run `pages` through the pipeline named by `stage_names`; never raises for a bad page."""
    names = tuple(stage_names)
    pipeline = _pipeline(names)
    before = {k: StageStats(v.documents, v.seconds, v.errors) for k, v in pipeline.stats.items()}
    result = BatchResult()
    for key, page in pages:
        try:
            doc = pipeline(page)
        except Exception as exc:  # a bad page is counted, never fatal to the batch
            result.failures.append((page.source, failure_reason(exc), _one_line(exc)))
            continue
        start, end = doc.body_range
        if not re.search(r"\w", doc.text[start:end]):
            result.failures.append((page.source, "no body", "no article body found"))
            continue
        try:
            result.records.append(to_record(doc, key, page))
        except Exception as exc:
            result.failures.append((page.source, failure_reason(exc), _one_line(exc)))
    for name, st in pipeline.stats.items():
        b = before.get(name, StageStats())
        result.stats[name] = StageStats(
            st.documents - b.documents, st.seconds - b.seconds, st.errors - b.errors
        )
    return result


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:500]
