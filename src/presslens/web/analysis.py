"""The web app's analyzer: turn a pasted text, an uploaded file or a URL into a `Document`.

Data flow: surfaces → this module → ingest (the safe fetcher for URLs) → the pipeline. The web
app never fetches a URL itself; `SafeFetcher` refuses private, loopback, link-local and metadata
addresses unless the server was started with `allow_private=True` (tests, intranets).

The pipeline is built once, lazily, from the stages that exist in this install: a stage whose
module is not there yet (or whose model is missing) is left out and reported in
`Analyzer.missing`, so the views still work and show "none found" for its lists. Stages hold
models (spaCy, ONNX) that are not promised to be thread-safe, and the machine has few cores, so
one lock serialises pipeline runs; the endpoints run in FastAPI's thread pool around it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from presslens.document import Document, InputKind, RawPage
from presslens.errors import FetchError, InputError, PresslensError, UsageError
from presslens.pipeline import DEFAULT_STAGES, Pipeline, Stage, create_stage

log = logging.getLogger("presslens.web")

#: The canonical demo page, bundled with the web app so a fresh install can analyze it.
EXAMPLE_NAME = "globalresearch-soleimani.txt"
EXAMPLE_PATH = Path(__file__).parent / "static" / "examples" / EXAMPLE_NAME


#: A short English news paragraph every stage can run on (see `Analyzer._build`).
PROBE_TEXT = (
    'Officials met in Geneva on 3 March 2021. "We will never accept this," the minister said, '
    "calling the plan a disgraceful betrayal. Prices rose by 12 percent last year."
)


def example_text() -> str:
    return EXAMPLE_PATH.read_text(encoding="utf-8")


def sniff_kind(text: str, filename: str | None = None) -> InputKind:
    """HTML or plain text, from the file name when there is one, else from the first markup."""
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return "html"
    head = text.lstrip()[:512].lower()
    return "html" if head.startswith(("<!doctype html", "<html")) or "<body" in head else "text"


def decode_upload(data: bytes, filename: str) -> str:
    """Uploaded bytes as text; binary files are refused with an `InputError`."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{filename}: looks binary, not a text or HTML page")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(f"{filename}: cannot detect the text encoding") from None
        return str(best)


def _fallback_document(page: RawPage) -> Document:
    """Used only while anatomy is not installed: the input as text, no body/boilerplate split."""
    text = page.text
    if page.kind == "html":
        import lxml.html

        try:
            text = lxml.html.document_fromstring(page.text).text_content()
        except Exception as exc:  # lxml raises several types on junk; all mean "not a page"
            raise InputError(f"{page.source}: not parseable as HTML ({exc})") from None
    return Document(source=page.source, text=text, input_kind=page.kind)


@dataclass
class Analyzer:
    """Runs the available stages of `stage_names` on one page at a time."""

    stage_names: tuple[str, ...] = DEFAULT_STAGES
    allow_private: bool = False
    missing: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    _pipeline: Pipeline | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = self._build()
        return self._pipeline

    def _build(self) -> Pipeline:
        """The stages that load and run on a probe page; the others are reported missing.

        A stage can exist while its model does not (a fresh checkout before training), and
        then fails on every page: probing once at start-up keeps such a stage out instead of
        failing every request, and warms the models so the first visitor does not wait.
        """
        missing: list[str] = []
        reasons: dict[str, str] = {}
        stages: list[Stage] = []
        for name in self.stage_names:
            try:
                stages.append(create_stage(name))
            except (UsageError, ImportError, OSError) as exc:
                missing.append(name)  # not written yet in this checkout
                reasons[name] = str(exc) or type(exc).__name__
        anatomy = next((s for s in stages if s.name == "anatomy"), None)
        probe_page = RawPage(source="probe", kind="text", text=PROBE_TEXT)
        try:
            doc = Pipeline([])(probe_page) if anatomy is not None else _fallback_document(probe_page)
        except Exception as exc:  # the document maker itself is broken: fall back
            anatomy, doc = None, _fallback_document(probe_page)
            reasons["anatomy"] = str(exc)
        kept: list[Stage] = []
        for stage in stages:
            try:
                doc = stage(doc)
            except Exception as exc:
                missing.append(stage.name)
                reasons[stage.name] = str(exc) or type(exc).__name__
                log.warning("stage %s left out of the web analyzer: %s", stage.name, reasons[stage.name])
                continue
            kept.append(stage)
        self.missing = [n for n in self.stage_names if n in missing or (n == "anatomy" and anatomy is None)]
        self.reasons = reasons
        if "anatomy" in self.missing:
            return _NoAnatomyPipeline(kept)
        return Pipeline(kept)

    def analyze(self, page: RawPage) -> Document:
        if not page.text.strip():
            raise InputError(f"{page.source}: empty input")
        with self._lock:
            pipeline = self.pipeline
            try:
                return pipeline(page)
            except PresslensError:
                raise
            except Exception as exc:
                # A stage crashing on one page must not leak a traceback to the client.
                raise InputError(f"{page.source}: could not be analysed ({type(exc).__name__})") from exc

    def analyze_text(
        self, text: str, *, source: str = "pasted text", kind: InputKind | None = None, url: str | None = None
    ) -> Document:
        raw = RawPage(source=source, kind=kind or sniff_kind(text, source), text=text, url=url)
        return self.analyze(raw)

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


class _NoAnatomyPipeline(Pipeline):
    """A pipeline whose document maker is the plain fallback (anatomy not installed)."""

    def __call__(self, page: RawPage | Document) -> Document:
        doc = page if isinstance(page, Document) else _fallback_document(page)
        return super().__call__(doc)
