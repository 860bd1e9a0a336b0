"""JSONL reader: one page per line, `{"url", "outlet"?, "published"?, "html" | "text"}`.

Data flow: `read_sources` sends `.jsonl` / `.ndjson` files (gzip'd or not) here; each good line
becomes a `RawPage` with source `file.jsonl#<line>` (1-based), each bad line a `ReadFailure`
with the reason, and reading goes on with the next line. The file is streamed: a crawl of a
million records never sits in memory at once, only one line (capped at `max_bytes`).

Record fields: `html` (markup) or `text` (plain text, kept exactly); `html` wins when both are
present. Optional: `url`, `outlet`, `published` (kept as given), `fetched_at` (ISO 8601),
`headers` (an object of strings). Other fields are ignored.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from presslens.document import RawPage
from presslens.errors import BadJsonRecord, BinaryInput, EmptyInput, InputError, InputTooLarge, TruncatedInput
from presslens.ingest.base import DEFAULT_MAX_BYTES, ReadFailure, ReadItem, human_size
from presslens.ingest.encoding import binary_reason
from presslens.ingest.files import GZIP_MAGIC

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, number) pairs; an over-long line comes as None so it is reported, not read."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = stream.readline(1024 * 1024)
            yield None, number
            continue
        yield line, number


def _clean_text(value: str) -> str:
    # JSON can carry lone surrogates ("\ud800"); they cannot be written back out as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", errors="replace").decode("utf-8")
    return value


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _clean_text(str(value))
    raise BadJsonRecord(f"field {key!r} must be a string, not {type(value).__name__}")


def record_to_page(record: Any, *, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawPage:
    """One decoded JSON record as a `RawPage`; `InputError` says what is wrong with it."""
    if not isinstance(record, dict):
        raise BadJsonRecord(f"{source}: a record must be a JSON object, not {type(record).__name__}")
    try:
        for kind in ("html", "text"):
            body = record.get(kind)
            if body is None:
                continue
            if not isinstance(body, str):
                raise BadJsonRecord(f"field {kind!r} must be a string, not {type(body).__name__}")
            break
        else:
            raise BadJsonRecord("record has neither 'html' nor 'text'")
        if not body.strip():
            raise EmptyInput(f"record's {kind!r} is empty")
        if len(body) > max_bytes:
            raise InputTooLarge(f"record's {kind!r} is larger than the {human_size(max_bytes)} limit")
        reason = binary_reason(body[:65536].encode("utf-8", errors="replace"))
        if reason:
            raise BinaryInput(f"record's {kind!r} looks binary ({reason})")
        fetched_at = _optional_str(record, "fetched_at")
        headers = record.get("headers") or {}
        if not isinstance(headers, dict):
            raise BadJsonRecord("field 'headers' must be an object")
        return RawPage(
            source=source,
            kind=kind,
            text=_clean_text(body),
            url=_optional_str(record, "url"),
            outlet=_optional_str(record, "outlet"),
            published=_optional_str(record, "published"),
            fetched_at=_parse_datetime(fetched_at) if fetched_at else None,
            headers={str(k).lower(): str(v) for k, v in headers.items()},
            encoding="utf-8",
        )
    except InputError as exc:
        message = str(exc)
        # Same class (so the same reason in summaries), the record's source in front.
        raise type(exc)(message if message.startswith(source) else f"{source}: {message}") from None


def _parse_datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None  # a bad crawl timestamp is not worth losing the page over


def page_of_line(line: bytes | None, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadItem | None:
    """One JSONL line as a page, or the failure that names why not; None for a blank line.
    `line` is None when it was longer than `max_bytes` (the reader skipped the rest of it).
    The one place a JSONL line is judged: the file reader and a cluster worker's shard reader
    (`presslens.corpus.shards`) both call it, so a line fails the same way on either."""
    if line is None:
        return ReadFailure(source, InputTooLarge(f"{source}: line is longer than {human_size(max_bytes)}"))
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadFailure(source, BadJsonRecord(f"{source}: not valid JSON ({exc.msg}, column {exc.colno})"))
    except (UnicodeDecodeError, ValueError):
        return ReadFailure(source, BadJsonRecord(f"{source}: not valid UTF-8 JSON"))
    except RecursionError:
        return ReadFailure(source, BadJsonRecord(f"{source}: JSON nested too deeply"))
    try:
        return record_to_page(record, source=source, max_bytes=max_bytes)
    except InputError as exc:
        return ReadFailure(source, exc)


def read_jsonl(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadItem]:
    """Yield a `RawPage` per good line and a `ReadFailure` per bad one of a JSONL file."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield ReadFailure(name, InputError(f"cannot read {name}: {exc.strerror or exc}"))
        return
    with raw:
        is_gzip = raw.peek(2)[:2] == GZIP_MAGIC  # peek: pipes cannot seek back
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if is_gzip else raw  # type: ignore[assignment]
        lines = _lines(stream, max_bytes)
        while True:
            try:
                line, number = next(lines)
            except StopIteration:
                return
            except EOFError:
                yield ReadFailure(
                    name, TruncatedInput(f"{name} is a truncated gzip file; records after it are lost")
                )
                return
            except (gzip.BadGzipFile, zlib.error, OSError) as exc:
                yield ReadFailure(name, InputError(f"{name} is not a valid gzip file ({exc})"))
                return
            item = page_of_line(line, f"{name}#{number}", max_bytes=max_bytes)
            if item is not None:
                yield item
