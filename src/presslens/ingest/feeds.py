"""RSS/Atom reader: a feed's items, as pages when the feed carries them whole, else as links.

Data flow: `read_sources` sends feed files (`.rss`, `.atom`, `.xml` whose root is a feed) and
fetched URLs that turn out to be feeds here. `parse_feed` lists the items; `read_feed` turns
each into a `RawPage`:

- an item whose `content` (e.g. `content:encoded`) holds at least `min_full_chars` characters
  of text is taken as the full article: kind "html", source `<feed>#<n>` (1-based), `url` the
  item's link, `published` its date;
- otherwise its link is fetched through the `SafeFetcher` (never by feedparser, which would
  fetch without the guard), and the feed's date is kept when the page has none.

feedparser only ever sees bytes here, never a URL or a path.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import feedparser

from presslens.document import RawPage
from presslens.errors import InputError, PresslensError
from presslens.ingest.base import DEFAULT_MAX_BYTES, ReadFailure, ReadItem, shown
from presslens.ingest.files import HTML_TYPES, TEXT_TYPES

FEED_SUFFIXES = (".rss", ".atom", ".rss.gz", ".atom.gz")
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
DEFAULT_MIN_FULL_CHARS = 500
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: its link, date and, when the feed carries it, its HTML content."""

    link: str | None
    title: str | None
    published: str | None
    content: str | None


def looks_like_feed(data: bytes) -> bool:
    """Whether bytes open with an RSS, Atom or RDF root element.

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0">'), looks_like_feed(b"<html>")
    (True, False)
    """
    head = data[:2048].lstrip().lower()
    return any(root in head for root in (b"<rss", b"<feed", b"<rdf:rdf"))


def is_feed(media: str, data: bytes) -> bool:
    """Whether a response is a feed: its media type says so, or an untyped body opens as one.

    A page served as HTML or text stays a page even when it quotes `<rss` near its top.

    >>> is_feed("application/rss+xml", b""), is_feed("text/html", b"<rss>"), is_feed("", b"<rss>")
    (True, False, True)
    """
    if media in FEED_TYPES:
        return True
    if media in HTML_TYPES or media in TEXT_TYPES:
        return False
    return looks_like_feed(data)


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()


def _content(entry: Any) -> str | None:
    values = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    return max(values, key=len) if values else None


def parse_feed(data: bytes, *, source: str) -> list[FeedItem]:
    """The items of an RSS/Atom feed; `InputError` when the bytes hold no feed."""
    try:
        parsed = feedparser.parse(data)  # bytes: feedparser never fetches anything itself here
    except Exception as exc:  # feedparser catches most parser errors; untrusted input may find more
        raise InputError(f"{source} is not a readable RSS/Atom feed ({type(exc).__name__})") from None
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = " ".join(str(parsed.get("bozo_exception", "")).split())[:160]
            raise InputError(f"{source} is not a readable RSS/Atom feed ({reason or 'no items'})")
        raise InputError(f"{source} is a feed with no items")
    return [
        FeedItem(
            link=entry.get("link") or None,
            title=entry.get("title") or None,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            content=_content(entry),
        )
        for entry in parsed.entries
    ]


def read_feed(
    data: bytes,
    *,
    source: str,
    fetch: Callable[[str], RawPage] | None,
    min_full_chars: int = DEFAULT_MIN_FULL_CHARS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[ReadItem]:
    """Yield a page (or a failure) per feed item; `fetch` gets the links of partial items.

    With `fetch=None` an item without full content is a `ReadFailure` (nothing is fetched).
    """
    try:
        items = parse_feed(data, source=source)
    except InputError as exc:
        yield ReadFailure(source, exc)
        return
    for number, item in enumerate(items, start=1):
        item_source = f"{source}#{number}"
        content = item.content or ""
        if content and len(_TAG.sub("", content).strip()) >= min_full_chars and len(content) <= max_bytes:
            yield RawPage(
                source=item_source, kind="html", text=content, url=item.link, published=item.published
            )
            continue
        if not item.link:
            yield ReadFailure(item_source, InputError(f"{item_source}: item has no link and no full content"))
            continue
        if fetch is None:
            off = InputError(f"{item_source}: item is a link and fetching is off")
            yield ReadFailure(shown(item.link), off)
            continue
        try:
            page = fetch(item.link)
        except PresslensError as exc:
            yield ReadFailure(shown(item.link), exc)
            continue
        yield (
            page
            if page.published or not item.published
            else page.model_copy(update={"published": item.published})
        )
