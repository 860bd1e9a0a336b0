"""Run the pipeline on a Dask cluster: a scheduler address, or a LocalCluster when none is given.

Where it sits: the same contract as `LocalEngine` — batches in, `BatchOutcome`s out — so
`presslens ingest --engine dask --scheduler tcp://host:8786` changes where stages run and
nothing else. With a SQLite store (one file, one writer) readers run on the client, workers
run the pipeline (`presslens.pipeline.process_batch`, which builds each worker's pipeline
once, and the caller's `finish` — for ingest, the store row), and the client writes.
With a server database (PostgreSQL) `presslens.corpus.shards` ships only shard names:
each worker reads its part of the crawl, runs the stages and writes its documents in
idempotent batches (`map_unordered`), so the client is no bottleneck.

From one machine to a cluster:
1. one machine: `presslens ingest crawl/ --engine local --workers 8` (process pool);
2. same machine, Dask: `--engine dask` starts a LocalCluster (its dashboard shows progress);
3. a cluster: `dask scheduler` on one host, `dask worker tcp://host:8786 --nthreads 1` on
   each (with presslens installed), then `--engine dask --scheduler tcp://host:8786` and a
   `--db postgresql+psycopg://…` that the client and every worker can reach, and the crawl on
   a path every worker sees (a shared file system).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from presslens.errors import UsageError
from presslens.pipeline import BatchOutcome, Finish, Item, Recipe, process_batch

T = TypeVar("T")
R = TypeVar("R")
_END: Any = object()


class DaskEngine:
    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        n_workers: int = 2,
        threads_per_worker: int = 1,
        processes: bool = True,
        in_flight: int | None = None,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise UsageError("the Dask engine needs the dask extra: pip install 'presslens[dask]'") from exc
        self._cluster: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                self._cluster = LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=threads_per_worker,
                    processes=processes,
                    dashboard_address=None,
                )
                self.client = Client(self._cluster)
        except OSError as exc:
            raise UsageError(f"cannot reach Dask scheduler {scheduler}: {exc}") from exc
        # The threads of the workers there now: a cluster that grows later still gets at most
        # two units of work per thread counted here in flight.
        self.slots = sum(self.client.nthreads().values()) or 1
        self.in_flight = in_flight or 2 * self.slots

    def run(
        self, recipe: Recipe, batches: Iterable[Sequence[Item]], finish: Finish | None = None
    ) -> Iterator[BatchOutcome]:
        """Outcomes as batches finish (not in submission order: a cluster's point is overlap)."""
        run_one = functools.partial(process_batch, recipe, finish=finish)
        yield from self.map_unordered(run_one, (list(b) for b in batches))

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """`fn` over `items` on the workers, results as they finish. A task whose worker dies
        is run again elsewhere by the scheduler, so `fn` must be safe to run twice (ingest's
        shard writer is: a stored key is skipped)."""
        from distributed import as_completed

        it = iter(items)
        futures = [
            self.client.submit(fn, item, pure=False)
            for _, item in zip(range(self.in_flight), it, strict=False)
        ]
        pool = as_completed(futures)
        for fut in pool:
            result: R = fut.result()
            fut.release()
            nxt = next(it, _END)
            if nxt is not _END:
                pool.add(self.client.submit(fn, nxt, pure=False))
            yield result

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
