"""Run the pipeline on one machine: a pool of worker processes, or inline for one worker.

Where it sits: `corpus.ingest` hands an engine a stream of page batches and writes what comes
back to the store. Batches are submitted with a bounded number in flight so memory stays flat
whatever the crawl size; results come back as they finish (order does not matter: the store is
keyed by content hash).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from presslens.engine.batch import BatchResult, KeyedPage, process_batch


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))


class LocalEngine:
    """`workers=1` runs batches in this process (tests, tiny crawls); more uses a process pool."""

    name = "local"

    def __init__(self, workers: int | None = None, *, in_flight: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.in_flight = in_flight or 2 * self.workers

    def run(self, stage_names: Sequence[str], batches: Iterable[list[KeyedPage]]) -> Iterator[BatchResult]:
        names = list(stage_names)
        if self.workers <= 1:
            for batch in batches:
                yield process_batch(names, batch)
            return
        # forkserver: workers start from a clean process, not a fork of one holding the progress
        # bar's thread and an open database connection.
        ctx = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            pending: set[Future[BatchResult]] = set()
            for batch in batches:
                pending.add(pool.submit(process_batch, names, batch))
                if len(pending) >= self.in_flight:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
            for fut in pending:
                yield fut.result()

    def close(self) -> None:
        pass
