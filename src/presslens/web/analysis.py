"""The web app's analyzer: a pasted text, an uploaded file or a URL becomes a `Document`, in a
pool of worker processes.

Data flow: surfaces (`api.py`, `pages.py`) → this module → ingest, in the web process (bytes
decoding and kind sniffing for uploads, the safe fetcher for URLs) → a pool of worker
processes, each running the engine's unit of work, `presslens.pipeline.process_batch`, on one
page with the same stages as `presslens analyze`. Only the web process fetches, and only
through `SafeFetcher`, which refuses private, loopback, link-local and metadata addresses
unless the server was started with `allow_private=True` (tests, intranets).

Why processes: stages hold models (spaCy, ONNX) that are not promised to be thread-safe and
hold the GIL for much of their work, so threads in one process would run one page at a time.
Each worker (forkserver: it starts clean, not as a fork of a server holding sockets and
threads) builds the pipeline once and loads its models at start-up (`start()`), with one thread
for onnxruntime, torch and BLAS, so N workers keep N cores busy without 2N threads contending.
Reads never touch the pool (nor a lock shared with it), so GET endpoints stay fast while
analysis is saturated; `nice` can lower the workers' priority further on a machine where the
web process needs the scheduler's favour (at the cost of analysis against other programs).

Admission is bounded: at most `workers + queue_size` requests are in the pool (running or
waiting); one more is refused at once with `AnalysisBusy` (HTTP 503 with `Retry-After`),
never queued without end. A request not answered within `timeout` seconds, waiting included,
gets `AnalysisTimeout` (504): a job still waiting is cancelled, a running one is left to finish
(the pipeline's word budget, `presslens.limits`, bounds it) and keeps its place in the count
until then, so the bound stays true. A worker that dies (a native crash, the OOM killer)
breaks the pool; the requests it held get 503 and the next one starts a fresh pool.
"""

from __future__ import annotations

import asyncio
import importlib
import math
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.document import Document, InputKind, RawPage
from presslens.engine import default_workers
from presslens.errors import ExitCode, FetchError, InputError, PresslensError, UsageError
from presslens.ingest.base import shown
from presslens.pipeline import (
    DEFAULT_STAGES,
    Recipe,
    check_requirements,
    expand,
    page_from_string,
    process_batch,
    settle_gc,
    settle_worker_threads,
)

#: The canonical demo page, bundled with the web app so a fresh install can analyze it.
EXAMPLE_NAME = "globalresearch-soleimani.txt"
EXAMPLE_PATH = Path(__file__).parent / "static" / "examples" / EXAMPLE_NAME

#: Seconds a request may take, waiting for a worker included (a 750-word article takes ~0.2 s).
DEFAULT_TIMEOUT = 30.0
#: Requests that may wait per worker when none is given: a few seconds of work at most.
QUEUE_PER_WORKER = 4
#: Model threads per worker: the pool is the parallelism, one core per worker.
THREADS_PER_WORKER = 1
#: How much lower than the web process the workers run by default. None: on 2 shared cores,
#: reads kept 399 req/s while analysis was saturated at equal priority (373 at +5), and +5 only
#: cost analysis its share of the machine against other programs.
WORKER_NICE = 0
#: Seconds every worker gets to load its models at start-up.
START_TIMEOUT = 300.0


def example_text() -> str:
    return EXAMPLE_PATH.read_text(encoding="utf-8")


class AnalysisBusy(PresslensError):
    """Every worker is busy and the queue is full (HTTP 503): come back in `retry_after`
    seconds. Exit code 2, as the rate limit's 429: the client should retry later."""

    exit_code = ExitCode.USAGE
    reason = "busy"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(f"{message}; retry after {retry_after} s")
        self.retry_after = retry_after


class AnalysisTimeout(PresslensError):
    """Not analysed within the server's per-request limit (HTTP 504); exit code 3, as a
    document refused for a limit."""

    exit_code = ExitCode.INPUT
    reason = "timeout"


@dataclass(frozen=True)
class WorkerResult:
    """A worker's answer for one page: the Document (or its JSON, rendered there so the web
    process neither unpickles nor serialises it) or the error to send, and the seconds it took."""

    value: Document | bytes | None
    error: PresslensError | None
    seconds: float


def start_worker(recipe: Recipe, threads: int, nice: int, modules: Sequence[str], ready: Any) -> None:
    """Pool initializer: settle threads and priority before any model library is imported
    (they read their thread counts when loaded), import the modules that register stages
    outside the entry points, then run the example page through the pipeline so every model
    is loaded before the first request, and settle the collector (`settle_gc`: what the
    warm-up loaded is frozen). Releases `ready` when done."""
    settle_worker_threads(threads)
    if nice:
        os.nice(nice)
    # Ctrl-C reaches the whole process group; the web process stops the pool (its lifespan),
    # so a worker ignores it rather than die mid-job with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in modules:
        importlib.import_module(module)
    process_batch(recipe, [page_from_string(example_text(), source="warm-up")])
    settle_gc()
    ready.release()


def analyze_in_worker(recipe: Recipe, page: RawPage, render: bool) -> WorkerResult:
    """One page through the worker's pipeline (built once per process by `process_batch`)."""
    started = time.perf_counter()
    outcome = process_batch(recipe, [page])
    seconds = time.perf_counter() - started
    if outcome.failures:
        return WorkerResult(None, _portable(outcome.failures[0].as_error(detail=False)), seconds)
    (doc,) = outcome.documents
    return WorkerResult(doc.to_json().encode("utf-8") if render else doc, None, seconds)


def _portable(error: PresslensError) -> PresslensError:
    """The error, or its message as an `InputError` when its class cannot be rebuilt in the web
    process (a constructor with extra arguments): a result that fails to unpickle there would
    break the whole pool."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return InputError(str(error))
    return error


class Analyzer:
    """Runs `stage_names` on one page per request in a pool of `workers` processes (None: one
    per CPU core), admitting at most `workers + queue_size` requests at a time (`queue_size`
    None: `QUEUE_PER_WORKER` per worker), each answered within `timeout` seconds.

    Each worker runs its models on `threads` threads, `nice` steps below the web process.
    `worker_modules` are imported in every worker before its pipeline is built: stages
    registered outside the `presslens.stages` entry points (a plugin, a test) are known there
    only that way. The pool starts with `start()` (the app's start-up) or the first request;
    `close()` stops it; `with Analyzer(...) as a:` does both.

    >>> Analyzer(stage_names=("anatomy",), workers=2).capacity
    10
    """

    def __init__(
        self,
        stage_names: Sequence[str] = DEFAULT_STAGES,
        *,
        allow_private: bool = False,
        workers: int | None = None,
        queue_size: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        threads: int = THREADS_PER_WORKER,
        nice: int = WORKER_NICE,
        worker_modules: Sequence[str] = (),
    ) -> None:
        self.recipe = Recipe(tuple(expand(stage_names)))
        check_requirements(self.recipe.names)
        self.allow_private = allow_private
        self.workers = max(1, workers or default_workers())
        self.queue_size = QUEUE_PER_WORKER * self.workers if queue_size is None else queue_size
        if self.queue_size < 0:
            raise UsageError(f"the analysis queue cannot hold {self.queue_size} requests")
        if not timeout > 0:
            raise UsageError(f"the analysis timeout must be over 0 s, not {timeout:g}")
        self.timeout = timeout
        self.threads = max(1, threads)
        self.nice = max(0, nice)
        self.worker_modules = tuple(worker_modules)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._admitted = 0
        self._mean_seconds = 1.0  # per job, for Retry-After; learnt from the workers' answers

    @property
    def capacity(self) -> int:
        """Requests the pool holds at once: one running per worker, `queue_size` waiting."""
        return self.workers + self.queue_size

    @property
    def admitted(self) -> int:
        """Requests in the pool now, running or waiting (a timed-out job counts until it ends)."""
        with self._lock:
            return self._admitted

    # -- the pool ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start every worker and wait until each has loaded its models; a no-op when running."""
        with self._lock:
            if self._pool is not None:
                return
            pool, ready = self._new_pool()
            self._pool = pool
        # No worker is idle yet, so each of these submissions starts one more process.
        pings = [pool.submit(os.getpid) for _ in range(self.workers)]
        try:
            for ping in pings:
                ping.result(timeout=START_TIMEOUT)
            for _ in range(self.workers):
                if not ready.acquire(timeout=START_TIMEOUT):
                    raise TimeoutError
        except (BrokenProcessPool, TimeoutError) as exc:
            self.close()
            raise UsageError(
                f"the analysis workers did not start ({type(exc).__name__}; their error is in the log)"
            ) from None

    def close(self) -> None:
        """Stop the workers; jobs still waiting are cancelled, running ones finish first."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Analyzer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _new_pool(self) -> tuple[ProcessPoolExecutor, Any]:
        ctx = multiprocessing.get_context("forkserver")
        ready = ctx.Semaphore(0)
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=start_worker,
            initargs=(self.recipe, self.threads, self.nice, self.worker_modules, ready),
        )
        return pool, ready

    def _current_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool, _ = self._new_pool()  # its workers warm up before their first job
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def _busy(self, message: str) -> AnalysisBusy:
        """Refusal with the time the admitted jobs need to drain, at their recent pace."""
        with self._lock:
            drain = self._mean_seconds * max(self._admitted, 1) / self.workers
        return AnalysisBusy(message, retry_after=max(1, math.ceil(drain)))

    # -- admission --------------------------------------------------------------------------
    def submit(self, page: RawPage, *, render: bool = False) -> Future[WorkerResult]:
        """Hand one page to the pool, or refuse it at once when the pool is full."""
        if not page.text.strip():
            raise InputError(f"{page.source}: empty input")
        with self._lock:
            full = self._admitted >= self.capacity
            if not full:
                self._admitted += 1
        if full:
            raise self._busy(
                f"the analyzer is busy: {self.workers} workers running and {self.queue_size} requests waiting"
            )
        try:
            future = self._submit(page, render)
        except BaseException:
            self._leave(None)
            raise
        future.add_done_callback(self._leave)
        return future

    def _submit(self, page: RawPage, render: bool) -> Future[WorkerResult]:
        for _ in range(2):
            pool = self._current_pool()
            try:
                return pool.submit(analyze_in_worker, self.recipe, page, render)
            except RuntimeError:  # broken since a worker died, or shut down: start afresh
                self._replace(pool)
        raise self._busy("the analysis workers are restarting")

    def _leave(self, future: Future[WorkerResult] | None) -> None:
        with self._lock:
            self._admitted -= 1
            if future is not None and not future.cancelled() and future.exception() is None:
                self._mean_seconds += 0.2 * (future.result().seconds - self._mean_seconds)

    async def _run(self, page: RawPage, render: bool) -> Document | bytes:
        future = self.submit(page, render=render)
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise AnalysisTimeout(
                f"{page.source}: not analysed within the server's limit of {self.timeout:g} s"
            ) from None
        except BrokenProcessPool:
            raise self._busy("an analysis worker stopped; the pool is restarting") from None
        if result.error is not None:
            raise result.error
        assert result.value is not None
        return result.value

    # -- what the surfaces call -------------------------------------------------------------
    async def analyze(self, page: RawPage) -> Document:
        value = await self._run(page, render=False)
        assert isinstance(value, Document)
        return value

    async def analyze_json(self, page: RawPage) -> bytes:
        """`Document.to_json()` of the page, as UTF-8: the API's answer, rendered in the worker."""
        value = await self._run(page, render=True)
        assert isinstance(value, bytes)
        return value

    def page(
        self, text: str, *, source: str = "pasted text", kind: InputKind | None = None, url: str | None = None
    ) -> RawPage:
        """A page for HTML or text given as a string; `kind` overrides the sniffed kind."""
        page = page_from_string(text, url=url, source=source)
        if kind is not None and kind != page.kind:
            page = page.model_copy(update={"kind": kind})
        return page

    async def analyze_text(
        self, text: str, *, source: str = "pasted text", kind: InputKind | None = None, url: str | None = None
    ) -> Document:
        return await self.analyze(self.page(text, source=source, kind=kind, url=url))

    async def analyze_upload(self, data: bytes, filename: str) -> Document:
        """An uploaded file, decoded and sniffed exactly as `presslens analyze FILE` reads it."""
        from presslens.ingest.files import page_from_bytes

        page = await asyncio.to_thread(page_from_bytes, data, source=filename, name=filename)
        return await self.analyze(page)

    def fetch(self, url: str) -> RawPage:
        """Fetch one URL through the safe fetcher (SSRF guard, size and time limits); blocks."""
        if not url.lower().startswith(("http://", "https://")):
            raise InputError(f"{shown(url)}: only http and https URLs can be analysed")
        from presslens.ingest import ReadFailure, read_sources
        from presslens.ingest.fetch import SafeFetcher

        fetcher = SafeFetcher(allow_private=self.allow_private)
        for item in read_sources([url], fetcher=fetcher):
            if isinstance(item, ReadFailure):
                raise item.error
            return item
        raise FetchError(f"{url}: nothing was fetched")

    async def fetch_page(self, url: str) -> RawPage:
        """`fetch` on a thread of the event loop's own executor, not the one sync endpoints
        (the reads) run on, so a slow site cannot hold up reads."""
        return await asyncio.to_thread(self.fetch, url)

    async def analyze_url(self, url: str) -> Document:
        return await self.analyze(await self.fetch_page(url))
