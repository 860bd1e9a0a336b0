"""Shared pieces of the readers: the failure record, the size limit, the source helpers.

Data flow: every reader in `presslens.ingest` yields `RawPage`s (from `presslens.document`) or
`ReadFailure`s. A failure is a value, not an exception, so a bad record inside a directory,
JSONL file, WARC or feed is counted by the caller while the rest keeps flowing (datatrove's
readers do the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from presslens.document import RawPage
from presslens.errors import PresslensError

#: The largest page (after decompression) a reader accepts. A page is read into memory whole,
#: so this bounds memory per page and makes gzip bombs fail fast instead of filling RAM.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ReadFailure:
    """One input (file, record, URL) that could not be read; the run goes on without it.

    `source` names the input the way `RawPage.source` would have (`path`, `URL`,
    `file.jsonl#3`, `file.warc.gz#<urn:uuid:…>`); `error` says why in one line.
    """

    source: str
    error: PresslensError

    def __str__(self) -> str:
        message = str(self.error)
        return message if self.source in message else f"{self.source}: {message}"


ReadItem: TypeAlias = RawPage | ReadFailure


def shown(source: str, limit: int = 300) -> str:
    """A source (a URL, a record's link) as a one-line message shows it: as it is when it is
    printable and short, else escaped and cut at about `limit` characters, so that a URL list or
    feed cannot put control characters on a user's terminal or a page of garbage in one line.

    >>> shown("https://example.org/a"), shown("http://x/\\x1b[2J"), len(shown("x" * 5000))
    ('https://example.org/a', "'http://x/\\\\x1b[2J'", 301)
    """
    if source.isprintable():
        return source if len(source) <= limit else source[:limit] + "…"
    quoted = repr(source)
    return quoted if len(quoted) <= limit else quoted[:limit] + "…"


def human_size(n: int) -> str:
    """Sizes in error messages are read by people.

    >>> human_size(52428800)
    '50 MB'
    >>> human_size(12)
    '12 bytes'
    """
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.0f} {unit}"
