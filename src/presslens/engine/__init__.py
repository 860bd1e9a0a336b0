"""Engines: where the pipeline runs — `LocalEngine` (process pool) or `DaskEngine` (cluster).

Both take stage names and batches of `(key, RawPage)` and yield `BatchResult`s; the corpus
store is the sink. `make_engine("local"|"dask", ...)` is what the CLI calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from presslens.engine.batch import BatchResult, KeyedPage, process_batch
from presslens.engine.local import LocalEngine
from presslens.errors import UsageError

__all__ = ["BatchResult", "Engine", "KeyedPage", "LocalEngine", "make_engine", "process_batch"]


class Engine(Protocol):
    name: str

    def run(
        self, stage_names: Sequence[str], batches: Iterable[list[KeyedPage]]
    ) -> Iterator[BatchResult]: ...

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
