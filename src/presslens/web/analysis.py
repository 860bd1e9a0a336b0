"""The web app's analyzer: turn a pasted text, an uploaded file or a URL into a `Document`.

Data flow: surfaces → this module → ingest (bytes decoding and kind sniffing for uploads, the
safe fetcher for URLs) → the engine, the same driver `presslens analyze` uses, with the same
stages. The web app never fetches a URL itself; `SafeFetcher` refuses private, loopback,
link-local and metadata addresses unless the server was started with `allow_private=True`
(tests, intranets).

Stages hold models (spaCy, ONNX) that are not promised to be thread-safe, and the machine has
few cores, so one lock serialises pipeline runs; the endpoints run in FastAPI's thread pool
around it. Stages load their models on the first request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from presslens.document import Document, InputKind, RawPage
from presslens.engine import LocalEngine
from presslens.errors import FetchError, InputError
from presslens.pipeline import DEFAULT_STAGES, Recipe, check_requirements, expand, page_from_string

#: The canonical demo page, bundled with the web app so a fresh install can analyze it.
EXAMPLE_NAME = "globalresearch-soleimani.txt"
EXAMPLE_PATH = Path(__file__).parent / "static" / "examples" / EXAMPLE_NAME


def example_text() -> str:
    return EXAMPLE_PATH.read_text(encoding="utf-8")


@dataclass
class Analyzer:
    """Runs `stage_names` on one page at a time through an in-process engine."""

    stage_names: Sequence[str] = DEFAULT_STAGES
    allow_private: bool = False
    _engine: LocalEngine = field(default_factory=lambda: LocalEngine(1), init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.recipe = Recipe(tuple(expand(self.stage_names)))
        check_requirements(self.recipe.names)

    def analyze(self, page: RawPage) -> Document:
        if not page.text.strip():
            raise InputError(f"{page.source}: empty input")
        with self._lock:
            (outcome,) = self._engine.run(self.recipe, [[page]])
        if outcome.failures:
            raise outcome.failures[0].as_error(detail=False)
        (doc,) = outcome.documents
        return doc

    def analyze_text(
        self, text: str, *, source: str = "pasted text", kind: InputKind | None = None, url: str | None = None
    ) -> Document:
        page = page_from_string(text, url=url, source=source)
        if kind is not None and kind != page.kind:
            page = page.model_copy(update={"kind": kind})
        return self.analyze(page)

    def analyze_upload(self, data: bytes, filename: str) -> Document:
        """An uploaded file, decoded and sniffed exactly as `presslens analyze FILE` reads it."""
        from presslens.ingest.files import page_from_bytes

        return self.analyze(page_from_bytes(data, source=filename, name=filename))

    def fetch(self, url: str) -> RawPage:
        """Fetch one URL through the safe fetcher (SSRF guard, size and time limits)."""
        if not url.lower().startswith(("http://", "https://")):
            raise InputError(f"{url}: only http and https URLs can be analysed")
        from presslens.ingest import ReadFailure, read_sources
        from presslens.ingest.fetch import SafeFetcher

        fetcher = SafeFetcher(allow_private=self.allow_private)
        for item in read_sources([url], fetcher=fetcher):
            if isinstance(item, ReadFailure):
                raise item.error
            return item
        raise FetchError(f"{url}: nothing was fetched")

    def analyze_url(self, url: str) -> Document:
        return self.analyze(self.fetch(url))
