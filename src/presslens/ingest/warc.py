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

import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from presslens.errors import InputError, PresslensError
from presslens.ingest.base import DEFAULT_MAX_BYTES, ReadFailure, ReadItem, human_size
from presslens.ingest.encoding import charset_from_content_type
from presslens.ingest.files import page_from_bytes, sniff_kind

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _page(record: Any, *, name: str, max_bytes: int, offset: int) -> ReadItem | None:
    """One record as a page, a failure, or None when it is not an HTML page at all."""
    rec_type = record.rec_type
    if rec_type not in ("response", "resource"):
        return None
    record_id = record.rec_headers.get_header("WARC-Record-ID") or f"offset-{offset}"
    source = f"{name}#{record_id}"
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
    media = _media_type(content_type)
    if media and media not in HTML_TYPES:
        return None
    try:
        data = record.content_stream().read(max_bytes + 1)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return ReadFailure(source, InputError(f"{source}: cannot read the record's payload ({exc})"))
    if len(data) > max_bytes:
        return ReadFailure(source, InputError(f"{source} is larger than the {human_size(max_bytes)} limit"))
    if not media and sniff_kind(data) != "html":
        return None
    try:
        return page_from_bytes(
            data,
            source=source,
            kind="html",
            declared_charset=charset_from_content_type(content_type),
            max_bytes=max_bytes,
            url=url,
            fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
            headers=headers,
            warc_record_id=record_id,
        )
    except PresslensError as exc:
        return ReadFailure(source, exc)


def read_warc(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadItem]:
    """Yield a `RawPage` per HTML response in a WARC file, a `ReadFailure` per bad record."""
    path = Path(path)
    name = str(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield ReadFailure(name, InputError(f"cannot read {name}: {exc.strerror or exc}"))
        return
    with stream:
        archive = ArchiveIterator(stream, arc2warc=True)
        records = iter(archive)
        count = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                if count == 0:
                    yield ReadFailure(name, InputError(f"{name} holds no WARC records"))
                return
            except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
                where = f"after record {count}" if count else "at its start"
                yield ReadFailure(name, InputError(f"{name} is broken {where}: {_one_line(exc)}"))
                return
            count += 1
            item = _page(record, name=name, max_bytes=max_bytes, offset=archive.get_record_offset())
            if item is not None:
                yield item


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
