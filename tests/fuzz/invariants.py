"""What every fuzz case must satisfy, whatever its input.

A reader, anatomy or the analyze stages either raise a `PresslensError` subclass whose message is
one short line, or give a valid result: a `RawPage`/`ReadFailure` from the readers, a `Document`
whose annotations lie inside `text` (and whose `body`, boilerplate and span texts are exactly
the slices they point at). Any other exception is a bug; so is a case that runs past its time
limit (a hang).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from presslens.anatomy.markup import clean
from presslens.document import Document, RawPage
from presslens.errors import PresslensError
from presslens.ingest.base import ReadFailure

T = TypeVar("T")

#: Seconds one case may take before it counts as a hang (generous: two cores, shared).
CASE_SECONDS = 60.0
#: A one-line message is also a short one: an error must not echo a huge input back (a long
#: URL quoted whole is fine; a 100 KB attribute is not).
MAX_MESSAGE = 5000


class CaseTimeout(BaseException):
    """Raised inside a case that ran too long. A BaseException, so the code under test (which
    turns `Exception`s from third-party parsers into `InputError`s) cannot swallow it."""


@contextmanager
def time_limit(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM: the main thread, POSIX only)."""

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"case ran longer than {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_message(error: BaseException, *, terminal: bool = True) -> None:
    """One short line; for a `terminal` (the CLI's stderr), no control characters either: the
    terminal would obey them. (A JSON answer escapes them; its message must still be one line.)"""
    message = str(error)
    assert message.strip(), f"{type(error).__name__} with an empty message"
    assert "\n" not in message and "\r" not in message, f"multi-line message: {message!r}"
    if terminal:
        controls = [ch for ch in message if (ch < " " and ch != "\t") or "\x7f" <= ch <= "\x9f"]
        assert not controls, f"control characters in {message[:300]!r}"
    assert len(message) <= MAX_MESSAGE, f"message of {len(message)} characters: {message[:200]!r}…"
    assert "Traceback" not in message


def outcome(call: Callable[[], T], seconds: float = CASE_SECONDS) -> T | PresslensError:
    """`call()`'s result, or the `PresslensError` it raised (checked); anything else propagates."""
    with time_limit(seconds):
        try:
            return call()
        except PresslensError as exc:
            check_message(exc)
            return exc


def check_page(page: RawPage) -> None:
    assert page.kind in ("text", "html")
    assert page.text.strip(), f"{page.source}: a page with no text"
    page.text.encode("utf-8")  # no lone surrogates: every page can be written out as UTF-8
    assert page.source.isprintable(), f"a source name with control characters: {page.source!r}"


def check_read_item(item: Any) -> RawPage | None:
    """A reader's item: a checked `RawPage` (returned) or a `ReadFailure` with a one-line error."""
    if isinstance(item, ReadFailure):
        assert isinstance(item.error, PresslensError), f"a failure that is not a PresslensError: {item!r}"
        check_message(item.error)
        check_message(Exception(str(item)))  # the line a caller prints: source and reason
        return None
    assert isinstance(item, RawPage), f"a reader yielded {type(item).__name__}"
    check_page(item)
    return item


def _inside(start: int | None, end: int | None, n: int, what: str) -> None:
    if start is None and end is None:
        return
    assert start is not None and end is not None, f"{what}: only one of start/end set ({start}, {end})"
    assert 0 <= start <= end <= n, f"{what}: span {start}:{end} outside a text of {n} characters"


def _slice(doc: Document, start: int, end: int, text: str, what: str) -> None:
    _inside(start, end, len(doc.text), what)
    assert doc.text[start:end] == text, f"{what}: text {text[:80]!r} is not text[{start}:{end}]"


def check_document(doc: Document) -> None:
    """Every offset inside `text`; every span's own text equal to the slice it names."""
    assert isinstance(doc, Document)
    n = len(doc.text)
    doc.text.encode("utf-8")
    if doc.body is not None:
        _slice(doc, doc.body.start, doc.body.end, doc.body.text, "body")
    for seg in doc.boilerplate:
        _slice(doc, seg.start, seg.end, seg.text, f"boilerplate {seg.kind}")
    for span in doc.techniques:
        _slice(doc, span.start, span.end, span.text, f"technique {span.technique}")
    for entity in doc.entities:
        for mention in entity.mentions:
            _slice(doc, mention.start, mention.end, mention.text, f"mention of {entity.name!r}")
    for quote in doc.quotes:
        _slice(doc, quote.start, quote.end, quote.text, "quote")
    for claim in doc.claims:
        _slice(doc, claim.start, claim.end, claim.text, "claim")
    for event in doc.timeline:
        _slice(doc, event.start, event.end, event.text, "timeline event")
    for block in doc.html_blocks:
        _inside(block.start, block.end, n, f"html block {block.tag}")
    md = doc.metadata
    items: list[Any] = [*md.tags, *md.media, *md.funding, *md.contacts, *md.links, *md.republication_chain]
    for item in items:
        _inside(item.start, item.end, n, type(item).__name__)
    if md.original_source is not None:
        _inside(md.original_source.start, md.original_source.end, n, "original source")
    for tag in md.tags:
        if tag.start is not None and tag.end is not None:
            # A tag's value is the slice as a reader sees it: markdown markup inside it
            # ("Asia *0" -> "Asia 0") is dropped from the value, its span covers the markup.
            _inside(tag.start, tag.end, n, "tag")
            found = doc.text[tag.start : tag.end]
            what = f"tag {tag.value!r} is not text[{tag.start}:{tag.end}]"
            assert tag.value in (found, clean(found).text), what
    for name, prov in md.provenance.items():
        _inside(prov.start, prov.end, n, f"provenance of {name}")
    # The JSON contract round-trips.
    assert Document.from_json(doc.to_json()).text == doc.text
