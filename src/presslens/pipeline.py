"""The pipeline: a `RawPage` becomes a `Document`, then ordered stages annotate it.

Stages are small callables `stage(doc) -> doc` with one job each, registered by name with
`@register_stage("name")` so a pipeline is assembled from a list of names (config), and a user
can drop or swap one without editing code — spaCy's component idea. Each stage's documents,
seconds and errors are counted (datatrove's idea) so a run can end with a per-stage table.

>>> from presslens.document import RawPage
>>> nlp = Pipeline.from_names(["anatomy"])
>>> doc = nlp(RawPage(source="demo", kind="text", text="A title\\n\\nSome body text."))
>>> doc.stages
['anatomy']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Protocol, runtime_checkable

from presslens.document import Document, RawPage
from presslens.errors import UsageError


@runtime_checkable
class Stage(Protocol):
    """One pipeline component: adds its own annotations to a document and returns it."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


StageFactory = Callable[[], Stage]

_REGISTRY: dict[str, StageFactory] = {}

# Where each built-in stage lives; imported lazily so `extract` never loads the technique
# model or spaCy.
_BUILTIN_MODULES: dict[str, str] = {
    "anatomy": "presslens.anatomy.stage",
    "techniques": "presslens.analyze.techniques.stage",
    "entities": "presslens.analyze.entities",
    "quotes": "presslens.analyze.quotes",
    "claims": "presslens.analyze.claims",
    "timeline": "presslens.analyze.timeline",
}

EXTRACT_STAGES: tuple[str, ...] = ("anatomy",)
DEFAULT_STAGES: tuple[str, ...] = ("anatomy", "techniques", "entities", "quotes", "claims", "timeline")


def register_stage(name: str) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory (a class or a function returning a stage) under `name`."""

    def decorate(factory: StageFactory) -> StageFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def available_stages() -> list[str]:
    return sorted(set(_REGISTRY) | set(_BUILTIN_MODULES))


def create_stage(name: str) -> Stage:
    if name not in _REGISTRY and name in _BUILTIN_MODULES:
        import_module(_BUILTIN_MODULES[name])
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown stage {name!r}; available: {', '.join(available_stages())}") from None
    return factory()


@dataclass
class StageStats:
    documents: int = 0
    seconds: float = 0.0
    errors: int = 0


@dataclass
class Pipeline:
    """Ordered stages after the document maker; the first stage must create `Document.text`.

    The maker is anatomy's `make_document` (plain text kept verbatim, HTML extracted); it is
    a field so tests and users can swap it.
    """

    stages: list[Stage]
    stats: dict[str, StageStats] = field(default_factory=dict)

    @classmethod
    def from_names(cls, names: Sequence[str]) -> Pipeline:
        return cls([create_stage(n) for n in names])

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, page: RawPage | Document) -> Document:
        doc = page if isinstance(page, Document) else _make_document(page)
        for stage in self.stages:
            stats = self.stats.setdefault(stage.name, StageStats())
            started = time.perf_counter()
            try:
                doc = stage(doc)
            except Exception:
                stats.errors += 1
                raise
            finally:
                stats.seconds += time.perf_counter() - started
            stats.documents += 1
            doc.stages = [*doc.stages, stage.name]
        return doc

    def pipe(self, pages: Iterable[RawPage | Document]) -> Iterator[Document]:
        for page in pages:
            yield self(page)


def _make_document(page: RawPage) -> Document:
    from presslens.anatomy.text import make_document

    return make_document(page)
