"""The Python front door: `presslens.load`, `presslens.analyze`, `presslens.extract`, `presslens.read`.

These mirror the command line — `analyze` and `extract` take what `presslens analyze INPUT`
takes (a path, a URL, `-` for stdin) and run the same stages — and return `Document`s, the same
objects the CLI prints as JSON. For many pages build a pipeline once and stream through it:

    nlp = presslens.load()
    for doc in nlp.pipe(presslens.read("crawl/"), batch_size=32, n_process=2): ...

`load` builds a new pipeline on every call (stages load their models then); `analyze` and
`extract` keep the pipelines they built for the life of the process, as the CLI keeps one per
run, so calling them in a loop does not reload the technique model or spaCy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from presslens.document import Document, RawPage
from presslens.errors import UsageError
from presslens.pipeline import DEFAULT_STAGES, EXTRACT_STAGES, Pipeline

Source = str | os.PathLike[str]


def load(
    stages: Sequence[str] | None = None,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    exclude: Sequence[str] = (),
) -> Pipeline:
    """A pipeline of `stages` (default: everything `presslens analyze` runs) with `config`.

    `config` maps a stage name to its settings (`{"techniques": {"min_score": 0.3}}`); an
    unknown stage, config key or unmet requirement is a `UsageError` here, not mid-run.
    """
    return Pipeline.from_names(list(stages or DEFAULT_STAGES), config, exclude=exclude)


def read(*sources: Source, allow_private: bool = False) -> Iterator[RawPage]:
    """Every page in `sources` (files, directories, JSONL, WARC, feeds, URLs, `-`), in order.

    URLs go through the safe fetcher (private addresses refused unless `allow_private`).
    The first source that cannot be read raises its `PresslensError` (`InputError`,
    `FetchRefused`, …), the exception the CLI turns into an exit code.
    """
    from presslens.ingest import ReadFailure, read_sources
    from presslens.ingest.fetch import SafeFetcher

    for item in read_sources(list(sources), fetcher=SafeFetcher(allow_private=allow_private)):
        if isinstance(item, ReadFailure):
            raise item.error
        yield item


def analyze(
    source: Source,
    *,
    stages: Sequence[str] | None = None,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    allow_private: bool = False,
) -> Document:
    """`presslens analyze SOURCE` for one page: the whole pipeline (or `stages`), one `Document`."""
    return _cached(tuple(stages or DEFAULT_STAGES), _config_key(config))(_one_page(source, allow_private))


def extract(source: Source, *, allow_private: bool = False) -> Document:
    """`presslens extract SOURCE`: anatomy only (body, wrapper, metadata) — the fast mode."""
    return _cached(EXTRACT_STAGES, "{}")(_one_page(source, allow_private))


def _one_page(source: Source, allow_private: bool) -> RawPage:
    pages = read(source, allow_private=allow_private)
    first = next(pages, None)
    if first is None:
        raise UsageError(f"{os.fspath(source)}: no page found")
    if next(pages, None) is not None:
        raise UsageError(
            f"{os.fspath(source)} holds several pages: use presslens.load().pipe(presslens.read(...))"
        )
    return first


def _config_key(config: Mapping[str, Mapping[str, Any]] | None) -> str:
    return json.dumps(config or {}, sort_keys=True)


@lru_cache(maxsize=4)
def _cached(stages: tuple[str, ...], config_key: str) -> Pipeline:
    return load(stages, json.loads(config_key))
