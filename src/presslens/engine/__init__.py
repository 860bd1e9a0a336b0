"""Engines: where a pipeline runs — `LocalEngine` (this process or a process pool) or
`DaskEngine` (a cluster).

One driver for every surface: `presslens analyze`, `presslens ingest` and the web all hand an
engine a `Recipe` (stage names + config), a stream of page batches and, optionally, a `finish`
function that turns each document into what the caller keeps (ingest: a store row, computed on
the worker). The engine yields one `BatchOutcome` per batch — documents or rows, failures with
their exceptions, per-stage statistics. Every engine ships the same unit of work,
`presslens.pipeline.process_batch`, so stages never know where they run, and the engine knows
nothing of the corpus or the CLI.

Larger units of work — a whole shard of a crawl read, analysed and written by one worker, so the
client ships shard names rather than pages — go through `map_unordered(fn, items)`: `fn` must
be a picklable module-level function, and results come back as they finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

from presslens.engine.local import LocalEngine, default_workers
from presslens.errors import UsageError
from presslens.pipeline import BatchOutcome, Finish, Item, Recipe

__all__ = ["Engine", "LocalEngine", "default_workers", "make_engine"]

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    name: str
    slots: int  # units of work it runs at once (worker processes, or threads of a cluster)

    def run(
        self, recipe: Recipe, batches: Iterable[Sequence[Item]], finish: Finish | None = None
    ) -> Iterator[BatchOutcome]: ...

    def map_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


def make_engine(kind: str = "local", *, workers: int | None = None, scheduler: str | None = None) -> Engine:
    if kind == "local":
        if scheduler:
            raise UsageError("--scheduler needs --engine dask")
        return LocalEngine(workers)
    if kind == "dask":
        from presslens.engine.dask import DaskEngine

        return DaskEngine(scheduler, n_workers=workers or 2)
    raise UsageError(f"unknown engine {kind!r}; use local or dask")
