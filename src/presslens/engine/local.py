"""Run a pipeline on one machine: inline for one worker, a process pool for more.

Where it sits: a caller (CLI analyze, corpus ingest, the web) hands the engine page batches
and gets `BatchOutcome`s back in submission order. The pool itself is the pipeline's
(`presslens.pipeline.run_in_processes`, also behind `Pipeline.pipe(n_process=…)`), with a
bounded number of batches in flight so memory stays flat whatever the crawl size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

from presslens.pipeline import (
    BatchOutcome,
    Finish,
    Item,
    Recipe,
    process_batch,
    run_in_processes,
    start_worker_process,
    threads_per_worker,
)

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))


class LocalEngine:
    """`workers=1` runs batches in this process (tests, one page, tiny crawls); more uses a pool."""

    name = "local"

    def __init__(self, workers: int | None = None, *, in_flight: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.slots = self.workers
        self.in_flight = in_flight or 2 * self.workers

    def run(
        self, recipe: Recipe, batches: Iterable[Sequence[Item]], finish: Finish | None = None
    ) -> Iterator[BatchOutcome]:
        if self.workers <= 1:
            for batch in batches:
                yield process_batch(recipe, batch, finish)
            return
        yield from run_in_processes(
            recipe, batches, workers=self.workers, in_flight=self.in_flight, finish=finish
        )

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """`fn` over `items`, results as they finish: inline for one worker, else a forkserver
        pool with at most one queued item per worker beyond the running ones."""
        if self.workers <= 1:
            yield from map(fn, items)
            return
        ctx = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=start_worker_process,
            initargs=(threads_per_worker(self.workers),),
        ) as pool:
            pending: set[Future[R]] = set()
            for item in items:
                pending.add(pool.submit(fn, item))
                if len(pending) >= self.in_flight:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)

    def close(self) -> None:
        pass
