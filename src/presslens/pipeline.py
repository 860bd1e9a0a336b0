"""The pipeline: a page becomes a `Document`, then ordered stages annotate it.

A stage is a small class with one job — `stage(doc) -> doc`, and optionally
`stage.pipe(docs) -> docs` when it is faster on a batch — registered by name with
`@register_stage(name, requires=…, assigns=…, default_config=…)` (spaCy's factories). A
pipeline is assembled from names and a config, so a user drops or swaps a stage without editing
code; what each stage `requires` must be `assigns`-ed by the document maker or an earlier stage,
checked when the pipeline is built, never discovered half-way through a crawl.

Stages are found through the `presslens.stages` entry points (pyproject.toml), so this module
imports no stage, `extract` never loads spaCy or the technique model, and another package can
ship its own stages. The document maker (a `RawPage` → `Document` step: plain text verbatim,
HTML parsed once) is the entry point named `document`; it is timed like a stage. Each stage's
documents, seconds and errors are counted (datatrove's idea) so a run ends with a per-stage
table.

>>> nlp = Pipeline.from_names(["anatomy"])
>>> doc = nlp("A title\\n\\nSome body text.")
>>> doc.body.text
'Some body text.'
>>> sorted(nlp.stats)[:1]
['body']
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from itertools import islice
from typing import Any, Protocol, TypeAlias, TypeVar, runtime_checkable

from presslens.document import Document, RawPage
from presslens.errors import InputError, PresslensError, UsageError

T = TypeVar("T")


@runtime_checkable
class Stage(Protocol):
    """One pipeline component: adds its own annotations to a document and returns it."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


class DocumentMaker(Protocol):
    """Makes the `Document` (its fixed `text`) from a page as received."""

    def __call__(self, page: RawPage) -> Document: ...


@dataclass(frozen=True)
class StageSpec:
    """What the registry knows about a stage before building it.

    `requires` and `assigns` name `Document` fields (`"body"`, `"metadata"`) or private
    extension data (`"user_data.spacy"`); `default_config` lists every config key the factory
    takes, with its default — a key not listed is a usage error, not a silent no-op.
    """

    name: str
    factory: Callable[..., Any]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    default_config: Mapping[str, Any] = field(default_factory=dict)

    def build(self, config: Mapping[str, Any] | None = None) -> Any:
        given = dict(config or {})
        unknown = sorted(set(given) - set(self.default_config))
        if unknown:
            keys = ", ".join(sorted(self.default_config)) or "none"
            raise UsageError(f"stage {self.name!r} has no config key {unknown[0]!r} (keys: {keys})")
        return self.factory(**{**self.default_config, **given})


_REGISTRY: dict[str, StageSpec] = {}
_GROUPS: dict[str, tuple[str, ...]] = {}

ENTRY_POINT_GROUP = "presslens.stages"
MAKER = "document"
FINISH = "finish"  # failures of a caller's `finish` step are reported under this name
# What the document maker gives every document: its text, and for HTML the blocks it came from.
MAKER_ASSIGNS: tuple[str, ...] = ("text", "html_blocks", "user_data.anatomy.html")

EXTRACT_STAGES: tuple[str, ...] = ("anatomy",)
DEFAULT_STAGES: tuple[str, ...] = (
    "anatomy",
    "techniques",
    "parse",
    "entities",
    "quotes",
    "claims",
    "timeline",
)


def register_stage(
    name: str,
    *,
    requires: Sequence[str] = (),
    assigns: Sequence[str] = (),
    default_config: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a stage factory (a class, or a function returning a stage) under `name`."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[name] = StageSpec(
            name, factory, tuple(requires), tuple(assigns), dict(default_config or {})
        )
        return factory

    return decorate


def register_group(name: str, members: Sequence[str]) -> tuple[str, ...]:
    """Name a sequence of stages (`anatomy` = body, metadata, wrapper) usable wherever a stage is."""
    _GROUPS[name] = tuple(members)
    return _GROUPS[name]


def _entry_points() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available_stages() -> list[str]:
    return sorted((set(_REGISTRY) | set(_GROUPS) | set(_entry_points())) - {MAKER})


def _resolve(name: str) -> None:
    """Import the module that registers `name`, through its entry point, if not done yet."""
    if name in _REGISTRY or name in _GROUPS:
        return
    ep = _entry_points().get(name)
    if ep is not None:
        ep.load()
    if name not in _REGISTRY and name not in _GROUPS:
        raise UsageError(f"unknown stage {name!r}; available: {', '.join(available_stages())}")


def expand(names: Iterable[str]) -> list[str]:
    """Stage names with groups replaced by their members, in order, each once."""
    out: list[str] = []
    for name in names:
        _resolve(name)
        for member in expand(_GROUPS[name]) if name in _GROUPS else [name]:
            if member not in out:
                out.append(member)
    return out


def group_members(name: str) -> tuple[str, ...]:
    """The stages a group name stands for; empty for a single stage."""
    _resolve(name)
    return _GROUPS.get(name, ())


def stage_spec(name: str) -> StageSpec:
    _resolve(name)
    if name in _GROUPS:
        raise UsageError(f"{name!r} is a group of stages ({', '.join(_GROUPS[name])}), not one stage")
    return _REGISTRY[name]


def create_stage(name: str, config: Mapping[str, Any] | None = None) -> Any:
    """Build one registered stage (or the document maker, `"document"`) with its config."""
    return stage_spec(name).build(config)


@dataclass
class StageStats:
    """One stage's work: documents done, wall seconds, CPU seconds (of the process running it,
    all its threads — the figure a loaded machine inflates least) and documents failed."""

    documents: int = 0
    seconds: float = 0.0
    errors: int = 0
    cpu_seconds: float = 0.0

    def add(self, other: StageStats) -> None:
        self.documents += other.documents
        self.seconds += other.seconds
        self.errors += other.errors
        self.cpu_seconds += other.cpu_seconds


#: Called with (stage name, the page or document that failed, the exception). Re-raise to stop
#: the run; return to drop that document and go on (how the engine counts failures).
ErrorHandler: TypeAlias = Callable[[str, "RawPage | Document", Exception], None]


def raise_error(stage: str, item: RawPage | Document, error: Exception) -> None:
    raise error


Item: TypeAlias = "RawPage | Document | str"


@dataclass
class Pipeline:
    """The document maker, then ordered stages; `nlp(page)` for one, `nlp.pipe(pages)` for many."""

    stages: list[Any]
    maker: DocumentMaker | None = None
    error_handler: ErrorHandler = raise_error
    stats: dict[str, StageStats] = field(default_factory=dict)
    #: How to build this pipeline again in another process; set by `from_names`.
    recipe: Recipe | None = None

    @classmethod
    def from_names(
        cls,
        names: Sequence[str],
        config: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        exclude: Sequence[str] = (),
    ) -> Pipeline:
        """Build the named stages (groups expanded) with `config[name]` each; check requirements."""
        config = dict(config or {})
        dropped = set(expand(exclude))
        wanted = [n for n in expand(names) if n not in dropped]
        unknown = sorted(set(config) - set(wanted) - {MAKER})
        if unknown:
            raise UsageError(f"config given for {unknown[0]!r}, which is not in the pipeline")
        check_requirements(wanted)
        return cls(
            [create_stage(n, config.get(n)) for n in wanted],
            maker=create_stage(MAKER, config.get(MAKER)),
            recipe=Recipe(tuple(wanted), {k: dict(v) for k, v in config.items()}),
        )

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def make(self, item: Item, *, url: str | None = None) -> Document:
        """The `Document` for one item: a page, a document (kept), or HTML/text as a string."""
        if isinstance(item, Document):
            return item
        page = item if isinstance(item, RawPage) else page_from_string(item, url=url)
        maker = self.maker if self.maker is not None else create_stage(MAKER)
        self.maker = maker
        with self._timed(MAKER):
            return maker(page)

    def __call__(self, item: Item, *, url: str | None = None) -> Document:
        doc = self.make(item, url=url)
        for stage in self.stages:
            with self._timed(stage.name):
                doc = stage(doc)
            doc.stages = [*doc.stages, stage.name]
        return doc

    def pipe(self, items: Iterable[Item], *, batch_size: int = 32, n_process: int = 1) -> Iterator[Document]:
        """Documents for many items, in input order; stages with a `pipe` method get whole batches.

        A failure goes to `error_handler` (which re-raises by default); when it returns, that
        one document is dropped and the rest go on. `n_process > 1` runs batches in that many
        worker processes, each building the same pipeline from `recipe` (so only pipelines made
        by `from_names`/`presslens.load` can); their documents come back without `user_data`.
        """
        batches = batched(items, batch_size)
        if n_process <= 1:
            for batch in batches:
                yield from self.run_batch(batch)
            return
        if self.recipe is None:
            raise UsageError("n_process > 1 needs a pipeline built from stage names (presslens.load)")
        for outcome in run_in_processes(self.recipe, batches, workers=n_process):
            for failure in outcome.failures:
                self._count_error(failure.stage)
                self.error_handler(failure.stage, failure.item, failure.error)
            for name, st in outcome.stats.items():
                self.stats.setdefault(name, StageStats()).add(st)
            yield from outcome.documents

    def run_batch(self, batch: Sequence[Item]) -> list[Document]:
        """One batch through the maker and every stage, in this process."""
        docs: list[Document] = []
        for item in batch:
            try:
                docs.append(self.make(item))
            except Exception as exc:
                self.error_handler(MAKER, _page_of(item), exc)
        for stage in self.stages:
            docs = self._run_stage(stage, docs)
            for doc in docs:
                doc.stages = [*doc.stages, stage.name]
        return docs

    def _run_stage(self, stage: Any, docs: list[Document]) -> list[Document]:
        batch_pipe = getattr(stage, "pipe", None)
        if batch_pipe is not None and len(docs) > 1:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                done = list(batch_pipe(docs))
            except Exception:
                done = []  # find the document that failed, one at a time, below
            else:
                stats = self.stats.setdefault(stage.name, StageStats())
                stats.seconds += time.perf_counter() - started
                stats.cpu_seconds += time.process_time() - cpu_started
                stats.documents += len(done)
                return done
        kept: list[Document] = []
        for doc in docs:
            try:
                with self._timed(stage.name):
                    kept.append(stage(doc))
            except Exception as exc:
                self.error_handler(stage.name, doc, exc)
        return kept

    def _count_error(self, name: str) -> None:
        self.stats.setdefault(name, StageStats()).errors += 1

    def _timed(self, name: str, documents: int = 1) -> _Timer:
        return _Timer(self.stats.setdefault(name, StageStats()), documents)


class _Timer:
    """Adds elapsed seconds and documents to a stage's stats; an error counts instead."""

    def __init__(self, stats: StageStats, documents: int) -> None:
        self.stats = stats
        self.documents = documents

    def __enter__(self) -> None:
        self.started, self.cpu_started = time.perf_counter(), time.process_time()

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.stats.seconds += time.perf_counter() - self.started
        self.stats.cpu_seconds += time.process_time() - self.cpu_started
        if kind is None:
            self.stats.documents += self.documents
        elif kind is not GeneratorExit:
            self.stats.errors += 1


def check_requirements(names: Sequence[str]) -> None:
    """Every stage's `requires` is assigned by the maker or an earlier stage, or a usage error."""
    have = set(MAKER_ASSIGNS)
    for name in names:
        spec = stage_spec(name)
        for key in spec.requires:
            if key not in have:
                given_by = ", ".join(repr(p) for p in _providers(key))
                hint = f" (assigned by {given_by}: add it before)" if given_by else ""
                raise UsageError(f"stage {name!r} requires {key!r}, which no earlier stage assigns{hint}")
        have.update(spec.assigns)


def _providers(key: str) -> list[str]:
    """Every known stage that assigns `key` (all entry points loaded: this is the error path)."""
    for name in _entry_points():
        _resolve(name)
    return sorted(name for name, spec in _REGISTRY.items() if key in spec.assigns)


def page_from_string(markup_or_text: str, *, url: str | None = None, source: str | None = None) -> RawPage:
    """A `RawPage` for HTML or plain text given as a string (kind sniffed from the markup)."""
    from presslens.ingest.files import sniff_kind

    kind = sniff_kind(markup_or_text[:4096].encode("utf-8", "replace"))
    return RawPage(source=source or url or "<string>", kind=kind, text=markup_or_text, url=url)


def _page_of(item: Item) -> RawPage | Document:
    return page_from_string(item) if isinstance(item, str) else item


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter), read lazily."""
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch


# ----------------------------------------------------------------- running in other processes


@dataclass(frozen=True)
class Recipe:
    """Stage names and config: everything a worker process needs to build the same pipeline."""

    names: tuple[str, ...]
    config: dict[str, dict[str, Any]] = field(default_factory=dict)

    def build(self) -> Pipeline:
        return Pipeline.from_names(self.names, self.config)

    @property
    def key(self) -> str:
        return json.dumps([self.names, self.config], sort_keys=True, default=str)


@dataclass
class Failure:
    """One item that a stage (or the maker, `"document"`) could not process."""

    stage: str
    item: RawPage | Document
    error: Exception

    def as_error(self, *, detail: bool = True) -> PresslensError:
        """The failure as the error a surface reports: a `PresslensError` as it is; a crash
        as that page's `InputError` (exit 3), with the crash's message only when `detail`
        (the CLI shows it, the web does not send internals to a client)."""
        if isinstance(self.error, PresslensError):
            return self.error
        crash = f"{self.stage}: {type(self.error).__name__}" + (f": {self.error}" if detail else "")
        return InputError(f"{self.item.source}: could not be analysed ({crash})")


#: What a caller keeps of each document, computed where the document was made (a store row for
#: ingest). A module-level function, so it pickles to worker processes and Dask workers; an
#: exception from it is a failure of that document (stage "finish"), like a stage's.
Finish: TypeAlias = Callable[[Document], Any]


@dataclass
class BatchOutcome:
    """What one batch gave: documents (or what `finish` made of them, input order), failures,
    and the stage stats it cost."""

    documents: list[Any] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stats: dict[str, StageStats] = field(default_factory=dict)


# One pipeline per recipe per worker process: stages load their models once per process.
_built: dict[str, Pipeline] = {}

#: Threads each model library may use, read from the environment when the library loads:
#: onnxruntime (the technique networks, `presslens.analyze.techniques.runtime`) and the BLAS
#: and OpenMP pools under numpy/spaCy. A pool of N workers on C cores gives each C // N
#: threads, so the workers keep the cores busy instead of N × C threads contending for them.
THREADS_ENV = "PRESSLENS_ORT_THREADS"
_LIBRARY_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def settle_worker_threads(threads: int) -> None:
    """Set every model library's thread count for this (worker) process; call it before any of
    them is imported. A count the user exported in `$PRESSLENS_ORT_THREADS` wins."""
    os.environ.setdefault(THREADS_ENV, str(threads))
    for name in _LIBRARY_THREAD_VARIABLES:
        os.environ[name] = os.environ[THREADS_ENV]


#: Container allocations (net of frees) between collections of the garbage collector's youngest
#: generation; CPython's default is 700. One page's parse makes tens of thousands of short-lived
#: objects (element proxies, blocks, spans), so the default collects several times a page for
#: next to no garbage: 1-1.5 ms of CPU a page, about 5 %, on the extraction benchmark.
GC_YOUNG_THRESHOLD = 10_000


def settle_gc() -> None:
    """Garbage-collector settings for a process that runs documents through stages, in one
    place: the command line (`presslens.cli.main`), the engines' worker processes
    (`start_worker_process`), the web's analyze workers after their warm-up
    (`web.analysis.start_worker`) and `benchmarks/extraction.py`, which measures what they run.

    Young objects are collected every `GC_YOUNG_THRESHOLD` allocations instead of 700, and what
    the process holds so far (modules, lexicons, compiled patterns) is moved out of the
    collector's sight (`gc.freeze`), so later collections no longer walk it. Cycles are still
    collected as they are made, so memory stays bounded. A collector the user turned off stays
    off.
    """
    young, middle, old = gc.get_threshold()
    if young:
        gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)
    gc.freeze()


def start_worker_process(threads: int) -> None:
    """Start-up of a pool's worker process: model libraries' threads, then the collector."""
    settle_worker_threads(threads)
    settle_gc()


def threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def process_batch(recipe: Recipe, batch: Sequence[Item], finish: Finish | None = None) -> BatchOutcome:
    """Run one batch through `recipe`'s pipeline, built once per process; never raises per item.

    This is the unit of work every engine ships to a worker (a process of the local pool, a
    Dask worker). Documents lose `user_data` (parse trees stay in the worker); with `finish`,
    the outcome holds `finish(doc)` for each document instead.
    """
    pipeline = _built.get(recipe.key)
    if pipeline is None:
        pipeline = _built[recipe.key] = recipe.build()
    outcome = BatchOutcome()
    previous = pipeline.error_handler, pipeline.stats

    def keep(stage: str, item: RawPage | Document, error: Exception) -> None:
        if isinstance(item, Document):
            item.user_data.clear()  # parse trees neither pickle nor need to travel
        outcome.failures.append(Failure(stage, item, error))

    pipeline.error_handler = keep
    pipeline.stats = outcome.stats
    try:
        outcome.documents = pipeline.run_batch(batch)
    finally:
        pipeline.error_handler, pipeline.stats = previous
    for doc in outcome.documents:
        doc.user_data.clear()
    if finish is not None:
        finished: list[Any] = []
        for doc in outcome.documents:
            try:
                finished.append(finish(doc))
            except Exception as exc:
                keep(FINISH, doc, exc)
        outcome.documents = finished
    return outcome


def run_in_processes(
    recipe: Recipe,
    batches: Iterable[Sequence[Item]],
    *,
    workers: int,
    in_flight: int | None = None,
    finish: Finish | None = None,
) -> Iterator[BatchOutcome]:
    """`process_batch` over a pool of `workers` processes; outcomes in submission order.

    At most `in_flight` batches (2 per worker) are queued, so memory stays flat whatever the
    crawl size. forkserver: workers start from a clean process, not a fork of one holding a
    progress bar's thread, an open database connection or onnxruntime's thread pool.
    """
    ctx = multiprocessing.get_context("forkserver")
    limit = in_flight or 2 * workers
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=start_worker_process,
        initargs=(threads_per_worker(workers),),
    ) as pool:
        pending: deque[Future[BatchOutcome]] = deque()
        for batch in batches:
            pending.append(pool.submit(process_batch, recipe, list(batch), finish))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
