"""Readers: every kind of input presslens accepts, turned into a stream of `RawPage`s.

Data flow: this is the first stage (`sources -> ingest -> anatomy -> ...`). `read_sources`
takes what a user typed and yields, in a deterministic order, one `RawPage` per page or one
`ReadFailure` per input that could not be read, so a caller counts failures and goes on:

=====================================  ==============================================  =====================
input                                  how it is read                                  `RawPage.source`
=====================================  ==============================================  =====================
`-`                                    stdin, one page (gzip recognised)               `-`
`http://…`, `https://…`                `SafeFetcher` (feeds are expanded to items)     the URL
a directory                            recursively, sorted, hidden files skipped       each file's path
`*.jsonl`, `*.ndjson` (`.gz`)          one record per line (`records.py`)              `file.jsonl#<line>`
`*.warc`, `*.warc.gz`, `*.arc(.gz)`    HTML responses only (`warc.py`)                 `file#<record id>`
`*.rss`, `*.atom`, feed-rooted `.xml`  items, fetched unless full (`feeds.py`)         `file#<n>` or the link
`*.urls` (`.gz`), or `url_lists=`      one URL per line, fetched (`urls.py`)           the URL
anything else (`.txt`, `.md`, `.html`  one page; kind from the name, else sniffed      the path
`.htm`, no extension, `.gz` of these)
=====================================  ==============================================  =====================

Plain text is kept exactly as read so stand-off offsets (PTC's, for one) index it directly.

>>> from pathlib import Path; import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("First article.\\n")
>>> _ = (folder / "b.jsonl").write_text('{"url": "https://x.example/1", "text": "Hi."}\\nnot json\\n')
>>> [getattr(item, "source", None) for item in read_sources([str(folder)])][-2:]  # doctest: +ELLIPSIS
['.../b.jsonl#1', '.../b.jsonl#2']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Literal

from presslens.document import RawPage
from presslens.errors import InputError, PresslensError
from presslens.ingest.base import DEFAULT_MAX_BYTES, ReadFailure, ReadItem, shown
from presslens.ingest.feeds import DEFAULT_MIN_FULL_CHARS, FEED_SUFFIXES, looks_like_feed, read_feed
from presslens.ingest.fetch import FetchResult, SafeFetcher
from presslens.ingest.files import GZIP_MAGIC, gunzip_head, load_bytes, page_from_bytes, read_stdin
from presslens.ingest.records import JSONL_SUFFIXES, read_jsonl
from presslens.ingest.urls import URL_LIST_SUFFIXES, is_url, parse_url_list
from presslens.ingest.warc import WARC_SUFFIXES, read_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FetchResult",
    "RawPage",
    "ReadFailure",
    "ReadItem",
    "SafeFetcher",
    "detect_format",
    "iter_directory",
    "read_sources",
]

FileFormat = Literal["page", "jsonl", "warc", "feed", "urls"]


def _head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a file, decompressed when it is gzip; b"" when unreadable."""
    try:
        with path.open("rb") as f:
            head = f.read(size)
    except OSError:
        return b""
    return gunzip_head(head, size) if head.startswith(GZIP_MAGIC) else head


def detect_format(path: Path) -> FileFormat:
    """Which reader a file needs: by its name, then (for unknown names and `.xml`) its first bytes."""
    name = path.name.lower()
    for suffixes, fmt in (
        (JSONL_SUFFIXES, "jsonl"),
        (WARC_SUFFIXES, "warc"),
        (FEED_SUFFIXES, "feed"),
        (URL_LIST_SUFFIXES, "urls"),
    ):
        if name.endswith(suffixes):
            return fmt  # type: ignore[return-value]
    if name.endswith((".html", ".htm", ".txt", ".md", ".html.gz", ".htm.gz", ".txt.gz", ".md.gz")):
        return "page"
    if not path.is_file():
        return "page"  # a pipe or device: sniffing would eat the bytes the reader needs
    head = _head(path)
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    return "page"


def iter_directory(root: Path) -> Iterator[Path]:
    """Every non-hidden file under `root`, recursively, sorted by path (a stable order).

    Symbolic links to directories are not followed (no cycles); hidden files and folders
    (`.git`, `.DS_Store`), pipes, sockets and devices are skipped.
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(folder)
        for filename in filenames:
            path = base / filename
            # Regular files only: a FIFO or socket in a crawl folder would block the read.
            if not filename.startswith(".") and path.is_file():
                found.append((path.relative_to(root).parts, path))
    found.sort(key=lambda item: item[0])
    return (path for _, path in found)


def _looks_like_web_address(source: str) -> bool:
    """`www.example.org/story` typed without a scheme (only asked when no such file exists)."""
    host = source.split("/", 1)[0]
    return source.startswith("www.") or ("." in host and "/" in source and not source.startswith("."))


class _Reader:
    """One run over the sources: owns a fetcher it had to create and closes it at the end."""

    def __init__(
        self,
        fetcher: SafeFetcher | None,
        *,
        max_bytes: int,
        fetch_feed_links: bool,
        min_full_chars: int,
        stdin: IO[bytes] | None,
    ) -> None:
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.max_bytes = max_bytes
        self.fetch_feed_links = fetch_feed_links
        self.min_full_chars = min_full_chars
        self.stdin = stdin

    @property
    def fetcher(self) -> SafeFetcher:
        if self._fetcher is None:
            self._fetcher = SafeFetcher(max_bytes=self.max_bytes)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def source(self, source: str) -> Iterator[ReadItem]:
        if source == "-":
            yield self._one(source, lambda: read_stdin(self.stdin, max_bytes=self.max_bytes))
        elif is_url(source):
            yield from self.url(source)
        else:
            path = Path(source)
            if path.is_dir():
                for file in iter_directory(path):
                    yield from self.file(file)
            elif not path.exists():
                hint = " (for a URL, start it with https://)" if _looks_like_web_address(source) else ""
                missing = InputError(f"no such file or directory: {shown(source)}{hint}")
                yield ReadFailure(shown(source), missing)
            else:
                yield from self.file(path)

    def file(self, path: Path) -> Iterator[ReadItem]:
        fmt = detect_format(path)
        if fmt == "jsonl":
            yield from read_jsonl(path, max_bytes=self.max_bytes)
        elif fmt == "warc":
            yield from read_warc(path, max_bytes=self.max_bytes)
        elif fmt == "feed":
            yield from self.feed_file(path)
        elif fmt == "urls":
            yield from self.url_list(path)
        else:
            yield self._one(str(path), lambda: self._page_file(path))

    def _page_file(self, path: Path) -> RawPage:
        data = load_bytes(path, max_bytes=self.max_bytes)
        return page_from_bytes(data, source=str(path), name=path.name, max_bytes=self.max_bytes)

    def feed_file(self, path: Path) -> Iterator[ReadItem]:
        try:
            data = load_bytes(path, max_bytes=self.max_bytes)
        except InputError as exc:
            yield ReadFailure(str(path), exc)
            return
        yield from self._feed(data, str(path))

    def _feed(self, data: bytes, source: str) -> Iterator[ReadItem]:
        yield from read_feed(
            data,
            source=source,
            fetch=self.fetcher.fetch if self.fetch_feed_links else None,
            min_full_chars=self.min_full_chars,
            max_bytes=self.max_bytes,
        )

    def url_list(self, path: Path) -> Iterator[ReadItem]:
        try:
            data = load_bytes(path, max_bytes=self.max_bytes)
        except InputError as exc:
            yield ReadFailure(str(path), exc)
            return
        for url in parse_url_list(data.decode("utf-8", errors="replace")):
            yield from self.url(url)

    def url(self, url: str) -> Iterator[ReadItem]:
        try:
            result = self.fetcher.get(url)
            if result.is_feed:
                yield from self._feed(result.content, url)
                return
            yield self.fetcher.page_from_result(result)
        except PresslensError as exc:
            yield ReadFailure(shown(url), exc)

    @staticmethod
    def _one(source: str, read: Callable[[], RawPage]) -> ReadItem:
        try:
            return read()
        except PresslensError as exc:
            return ReadFailure(source, exc)


def read_sources(
    sources: Sequence[str | os.PathLike[str]],
    *,
    fetcher: SafeFetcher | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    url_lists: Sequence[str | os.PathLike[str]] = (),
    fetch_feed_links: bool = True,
    min_full_chars: int = DEFAULT_MIN_FULL_CHARS,
    stdin: IO[bytes] | None = None,
) -> Iterator[RawPage | ReadFailure]:
    """Yield a `RawPage` per page found in `sources`, a `ReadFailure` per input that failed.

    Never raises a `PresslensError`: a missing file, a bad JSONL line, a refused URL are all
    yielded as `ReadFailure(source, error)`. URLs go through `fetcher` (a default
    `SafeFetcher` — private addresses refused — when none is given). `url_lists` are files
    read as one URL per line whatever their names; `fetch_feed_links=False` keeps feed
    reading offline (items without full content become failures). `stdin` replaces
    `sys.stdin.buffer` for the source `-`.
    """
    reader = _Reader(
        fetcher,
        max_bytes=max_bytes,
        fetch_feed_links=fetch_feed_links,
        min_full_chars=min_full_chars,
        stdin=stdin,
    )
    try:
        for source in sources:
            yield from reader.source(os.fspath(source))
        for path in url_lists:
            yield from reader.url_list(Path(path))
    finally:
        reader.close()
