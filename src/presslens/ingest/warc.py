"""WARC reader: the HTML pages of a web archive (`.warc`, `.warc.gz`, and `.arc` via warcio).

Data flow: `read_sources` sends WARC files here; each HTML response becomes a `RawPage` with
source `file.warc.gz#<WARC-Record-ID>`, `url` from `WARC-Target-URI`, `fetched_at` from
`WARC-Date`, the HTTP headers, and the charset those headers declare (checked against the
bytes like any other declaration). Requests, metadata, revisits, redirects, error pages and
non-HTML payloads are skipped: they are not pages. A record that cannot be read is a
`ReadFailure` and the next one is read; a broken archive stream (truncated gzip, garbage
where a record header should be) ends the file with one `ReadFailure` saying where.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from w3lib.encoding import http_content_type_encoding
from warcio.archiveiterator import ArchiveIterator

from presslens.errors import BrokenWarc, InputError, InputTooLarge, PresslensError
from presslens.ingest.base import DEFAULT_MAX_BYTES, ReadFailure, ReadItem, human_size, shown
from presslens.ingest.files import (
    GZIP_MAGIC,
    HTML_TYPES,
    gunzip_head,
    media_type,
    page_from_bytes,
    sniff_kind,
)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _page(record: Any, *, name: str, max_bytes: int, number: int) -> ReadItem | None:
    """One record as a page, a failure, or None when it is not an HTML page at all."""
    rec_type = record.rec_type
    if rec_type not in ("response", "resource"):
        return None
    record_id = record.rec_headers.get_header("WARC-Record-ID") or f"record-{number}"
    source = f"{name}#{shown(record_id)}"  # a damaged header can hold anything
    url = record.rec_headers.get_header("WARC-Target-URI")
    headers: dict[str, str] = {}
    if rec_type == "response":
        http = record.http_headers
        if http is None:
            return None  # a non-HTTP response (e.g. dns:)
        status = http.get_statuscode()
        if not (status or "").startswith("2"):
            return None  # redirects and error pages are not articles
        headers = {k.lower(): v for k, v in http.headers}
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    media = media_type(content_type)
    if media and media not in HTML_TYPES:
        return None
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a bad chunked or gzip payload: warcio's decoders raise anything
        return ReadFailure(source, BrokenWarc(f"{source}: cannot read the record's payload ({exc})"))
    if len(data) > max_bytes:
        limit = human_size(max_bytes)
        return ReadFailure(source, InputTooLarge(f"{source} is larger than the {limit} limit"))
    if not media and sniff_kind(data) != "html":
        return None
    try:
        return page_from_bytes(
            data,
            source=source,
            kind="html",
            declared_charset=http_content_type_encoding(content_type),
            max_bytes=max_bytes,
            url=url,
            fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
            headers=headers,
            warc_record_id=record_id,
        )
    except PresslensError as exc:
        return ReadFailure(source, exc)


class _GzipMembers:
    """Keeps every gzip decompressor warcio makes, so a truncated last member can be told apart.

    warcio stops quietly when a `.warc.gz` is cut inside a member; the member's decompressor
    then never reaches its end-of-stream. This hooks warcio's decompressor factory for one
    reader instance (if warcio's internals change, the hook does nothing and the per-record
    length check below still catches records cut short).
    """

    def __init__(self, archive: ArchiveIterator) -> None:
        self.made: list[Any] = []
        reader = getattr(archive, "reader", None)
        if reader is None or not isinstance(getattr(reader, "DECOMPRESSORS", None), dict):
            return
        current = getattr(reader, "decompressor", None)
        if current is not None:
            self.made.append(current)
        reader.DECOMPRESSORS = {**reader.DECOMPRESSORS, "gzip": self._make}

    def _make(self) -> Any:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.made.append(decompressor)
        return decompressor

    def truncated(self) -> bool:
        return bool(self.made) and not self.made[-1].eof


def _cut_short(record: Any) -> bool:
    """Read the rest of a record; True when its block ends before its Content-Length."""
    raw = record.raw_stream
    while raw.read(1024 * 1024):
        pass
    return getattr(raw, "limit", 0) > 0


def _unread_tail(archive: ArchiveIterator, path: Path) -> bool:
    """Whether warcio stopped before the end of the file (it stops quietly at a cut header)."""
    end = getattr(archive, "offset", None)  # where the record after the last one read starts
    try:
        size = path.stat().st_size
        if not isinstance(end, int) or end >= size:
            return False
        with path.open("rb") as f:
            f.seek(end)
            return bool(f.read(4096).strip())
    except OSError:
        return False


def read_warc(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadItem]:
    """Yield a `RawPage` per HTML response in a WARC file, a `ReadFailure` per bad record."""
    path = Path(path)
    name = str(path)
    try:
        stream = path.open("rb")
        head = stream.peek(4096)[:4096]  # peek: pipes cannot seek back
    except OSError as exc:
        yield ReadFailure(name, InputError(f"cannot read {name}: {exc.strerror or exc}"))
        return
    gzipped = head.startswith(GZIP_MAGIC)
    if gzipped:
        head = gunzip_head(head, 64)
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        # warcio would read almost anything as ARC records; say plainly what the file is not.
        stream.close()
        yield ReadFailure(name, BrokenWarc(f"{name} is not a WARC or ARC file"))
        return
    with stream:
        archive = ArchiveIterator(stream, arc2warc=True)
        members = _GzipMembers(archive) if gzipped else None
        records = iter(archive)
        count = 0
        while True:
            try:
                # warcio writes warnings about malformed records straight to stderr; a broken
                # record is reported once, as a ReadFailure, instead.
                with contextlib.redirect_stderr(io.StringIO()):
                    record = next(records)
            except StopIteration:
                if (members is not None and members.truncated()) or _unread_tail(archive, path):
                    yield ReadFailure(name, BrokenWarc(f"{name} is truncated after record {count}"))
                elif count == 0:
                    yield ReadFailure(name, BrokenWarc(f"{name} holds no WARC records"))
                return
            except Exception as exc:
                # warcio raises whatever its parser trips on for a mangled header (ArchiveLoadFailed,
                # EOFError, zlib.error, even AttributeError); on untrusted input each means "broken".
                where = f"after record {count}" if count else "at its start"
                yield ReadFailure(name, BrokenWarc(f"{name} is broken {where}: {_one_line(exc)}"))
                return
            count += 1
            if not record.rec_type or record.length is None:
                # A cut or mangled header parses as a record with no type or no length.
                yield ReadFailure(name, BrokenWarc(f"{name} is truncated or broken in record {count}"))
                return
            # (ArchiveIterator.get_record_offset() would consume the payload: count instead.)
            item = _page(record, name=name, max_bytes=max_bytes, number=count)
            try:
                cut = _cut_short(record)
            except Exception:  # same untrusted-input reasoning as around next(records)
                cut = True
            if cut:
                yield ReadFailure(name, BrokenWarc(f"{name} is truncated in record {count}"))
                return
            if item is not None:
                yield item


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
