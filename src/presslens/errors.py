"""The error hierarchy and the exit code each error maps to.

Library code raises these; the CLI turns each into one line on stderr and its exit code, in one
place (`presslens.cli`). The REST API maps the same classes to HTTP statuses.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    USAGE = 2
    INPUT = 3  # unreadable or invalid input
    FETCH = 4  # fetch refused or failed
    STORAGE = 5


class PresslensError(Exception):
    """Base class: a failure a user can understand from its one-line message.

    `reason` is the short, countable name an end-of-run summary groups failures by; each
    subclass sets its own, so summaries never parse messages.
    """

    exit_code: ExitCode = ExitCode.INPUT
    reason: str = "error"


class UsageError(PresslensError):
    exit_code = ExitCode.USAGE
    reason = "usage"


class InputError(PresslensError):
    """The input is not a readable page; the subclasses below say why."""

    exit_code = ExitCode.INPUT
    reason = "unreadable"


class EmptyInput(InputError):
    reason = "empty"


class BinaryInput(InputError):
    reason = "binary"


class InputTooLarge(InputError):
    reason = "too large"


class UndecodableInput(InputError):
    """The bytes cannot be decoded as text in any encoding the input declares or suggests."""

    reason = "undecodable"


class BrokenRecord(InputError):
    """A record of a container (a JSONL line, a WARC record, a feed item) is malformed."""

    reason = "bad record"


class BadJsonRecord(BrokenRecord):
    reason = "bad JSON record"


class BrokenWarc(BrokenRecord):
    """A WARC/ARC file or one of its records cannot be read (not WARC, broken, cut short)."""

    reason = "broken WARC record"


class TruncatedInput(InputError):
    """A compressed file or archive ends before its end (a cut download)."""

    reason = "truncated"


class NoArticle(InputError):
    """The page was read, but anatomy found no article body in it."""

    reason = "no body"


class FetchError(PresslensError):
    """A URL could not be fetched (network error, HTTP error, size or time limit)."""

    exit_code = ExitCode.FETCH
    reason = "fetch failed"


class FetchRefused(FetchError):
    """The safe fetcher refused a URL before connecting (private address, bad scheme, robots)."""

    reason = "fetch refused"


class StorageError(PresslensError):
    exit_code = ExitCode.STORAGE
    reason = "storage"


def failure_reason(error: BaseException) -> str:
    """The countable reason for a failure: the error class's own, or the crash's type."""
    if isinstance(error, PresslensError):
        return error.reason
    return f"stage error ({type(error).__name__})"
