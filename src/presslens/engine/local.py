"""Run a pipeline on one machine: inline for one worker, a process pool for more.

Where it sits: a caller (CLI analyze, corpus ingest, the web) hands the engine page batches
and gets `BatchOutcome`s back in submission order. The pool itself is the pipeline's
(`presslens.pipeline.run_in_processes`, also behind `Pipeline.pipe(n_process=…)`), with a
bounded number of batches in flight so memory stays flat whatever the crawl size.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from presslens.pipeline import BatchOutcome, Finish, Item, Recipe, process_batch, run_in_processes


def default_workers() -> int:
    return max(1, (os.cpu_count() or 1))


class LocalEngine:
    """`workers=1` runs batches in this process (tests, one page, tiny crawls); more uses a pool."""

    name = "local"

    def __init__(self, workers: int | None = None, *, in_flight: int | None = None) -> None:
        self.workers = workers or default_workers()
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

    def close(self) -> None:
        pass
