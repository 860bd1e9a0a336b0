"""Single-page readers: text, markdown and HTML files, their `.gz`, and stdin.

Data flow: `read_sources` (in `presslens.ingest`) sends every path that is one page here; the
result is one `RawPage` (or an `InputError` with a one-line reason). The other readers
(JSONL, WARC, fetcher) reuse `page_from_bytes` so every page goes through the same size,
emptiness, binary and encoding checks, and `kind_for` so HTML and text are told apart in one
place (by media type, then file name, then the first bytes).

Plain text is kept exactly as read — UTF-8, newlines as they are, no normalisation — so the
character offsets of corpora such as PTC index `RawPage.text` directly.

>>> page = page_from_bytes(b"Hello,\\r\\nworld.\\n", source="memo.txt", name="memo.txt")
>>> page.kind, page.text
('text', 'Hello,\\r\\nworld.\\n')
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import zlib
from pathlib import Path
from typing import IO, Any

from presslens.document import InputKind, RawPage
from presslens.errors import EmptyInput, InputError, InputTooLarge, TruncatedInput
from presslens.ingest.base import DEFAULT_MAX_BYTES, human_size
from presslens.ingest.encoding import decode_bytes

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
GZIP_MAGIC = b"\x1f\x8b"

# Tags that only HTML puts near the top of a document; two of them make a page HTML.
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|style|link|span|a)[\s>/]", re.I
)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
_READ_CHUNK = 1024 * 1024


def strip_gz(name: str) -> str:
    """The name a `.gz` file had before compression (`page.html.gz` -> `page.html`)."""
    return name[:-3] if name.lower().endswith(".gz") else name


def gunzip_head(head: bytes, size: int) -> bytes:
    """At most `size` bytes of what the first bytes of a gzip stream decompress to.

    Format detection only looks at a file's opening, so a cut or broken stream gives b"" here
    and the reader proper reports what is wrong with it.
    """
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
    except zlib.error:
        return b""


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type of a `Content-Type` header ("" when there is none).

    >>> media_type("Text/HTML; charset=utf-8")
    'text/html'
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff_kind(data: bytes) -> InputKind:
    """`"html"` when the first bytes look like markup, else `"text"`.

    A fragment that opens with one of the tags of `_HTML_TAG` and closes a tag is markup too
    (`<p>Hello</p>` handed to `presslens.load()(...)`).

    >>> sniff_kind(b"<!DOCTYPE html><html><body>x</body></html>"), sniff_kind(b"Plain words.")
    ('html', 'text')
    >>> sniff_kind(b"<p>Hello</p>"), sniff_kind(b"<3 the council's plan")
    ('html', 'text')
    """
    head = data[:4096]
    if _HTML_START.match(head):
        return "html"
    if _HTML_TAG.match(head.lstrip()) and b"</" in head:
        return "html"
    return "html" if len(_HTML_TAG.findall(head)) >= 2 else "text"


def kind_for(name: str | None, data: bytes, media: str = "") -> InputKind:
    """Kind from the media type or the file name when they say, from the content when not.

    `media` is a transport's bare media type (see `media_type`); an HTML or text type decides.
    A `.txt` or `.md` file stays text unless it opens as an HTML document: saved pages are
    sometimes misnamed, while article text that mentions a tag must keep its offsets.
    """
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    suffix = Path(strip_gz(name)).suffix.lower() if name else ""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "html" if _HTML_START.match(data[:4096]) else "text"
    return sniff_kind(data)


def read_capped(stream: IO[bytes], max_bytes: int, source: str, *, what: str = "is") -> bytes:
    """Read a whole stream, failing as soon as it passes `max_bytes` (never holding more)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_READ_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise InputTooLarge(
                f"{source} {what} larger than the {human_size(max_bytes)} limit (raise max_bytes)"
            )
        chunks.append(chunk)


def gunzip_capped(stream: IO[bytes], max_bytes: int, source: str) -> bytes:
    """Decompress gzip data without ever holding more than `max_bytes` of output."""
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as gz:
            # "decompresses to" names the likely cause: a gzip bomb or a huge crawl file.
            return read_capped(gz, max_bytes, source, what="decompresses to")  # type: ignore[arg-type]
    except EOFError:
        raise TruncatedInput(f"{source} is a truncated gzip file (it ends before its end marker)") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError(f"{source} is not a valid gzip file ({exc})") from None


def load_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None) -> bytes:
    """A file's bytes, gunzipped when it is gzip (by content, whatever its name)."""
    source = source or str(path)
    try:
        with path.open("rb") as f:
            # peek, not read + seek: a named pipe (`presslens analyze <(curl …)`) cannot seek.
            if f.peek(2)[:2] == GZIP_MAGIC:
                return gunzip_capped(f, max_bytes, source)
            size = path.stat().st_size
            if size > max_bytes:  # fail before reading a byte
                raise InputTooLarge(
                    f"{source} is larger than the {human_size(max_bytes)} limit ({human_size(size)})"
                )
            return read_capped(f, max_bytes, source)
    except FileNotFoundError:
        raise InputError(f"no such file: {source}") from None
    except IsADirectoryError:
        raise InputError(f"{source} is a directory") from None
    except PermissionError:
        raise InputError(f"cannot read {source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None


def page_from_bytes(
    data: bytes,
    *,
    source: str,
    name: str | None = None,
    kind: InputKind | None = None,
    declared_charset: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    **fields: Any,
) -> RawPage:
    """Check and decode one page's bytes into a `RawPage`.

    `name` (a file name or URL path) guides the kind when `kind` is not given;
    `declared_charset` is a transport's charset; `fields` go to `RawPage` as they are
    (`url`, `headers`, `fetched_at`, …).
    """
    if len(data) > max_bytes:
        raise InputTooLarge(f"{source} is larger than the {human_size(max_bytes)} limit")
    if not data.strip():
        raise EmptyInput(f"{source} is empty")
    kind = kind or kind_for(name, data)
    # Plain UTF-8 text keeps a BOM as U+FEFF: that is how offsets into such files are counted.
    decoded = decode_bytes(
        data, declared=declared_charset, sniff_meta=kind == "html", keep_bom=kind == "text", source=source
    )
    if not decoded.text.strip():
        raise EmptyInput(f"{source} is empty")
    return RawPage(source=source, kind=kind, text=decoded.text, encoding=decoded.encoding, **fields)


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawPage:
    """Read one text, markdown or HTML file (gzip'd or not) as a `RawPage`.

    Raises `InputError` for a missing, empty, binary, truncated or oversized file.
    """
    path = Path(path)
    data = load_bytes(path, max_bytes=max_bytes)
    return page_from_bytes(data, source=str(path), name=path.name, max_bytes=max_bytes)


def read_stdin(stream: IO[bytes] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawPage:
    """Read one page from standard input (source `-`); gzip is recognised by its magic bytes."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = read_capped(stream, max_bytes, "standard input")
    if data.startswith(GZIP_MAGIC):
        data = gunzip_capped(io.BytesIO(data), max_bytes, "standard input")
    return page_from_bytes(data, source="-", max_bytes=max_bytes)
