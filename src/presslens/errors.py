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
    """Base class: a failure a user can understand from its one-line message."""

    exit_code: ExitCode = ExitCode.INPUT


class UsageError(PresslensError):
    exit_code = ExitCode.USAGE


class InputError(PresslensError):
    """The input is empty, binary, truncated, too large or otherwise not a readable page."""

    exit_code = ExitCode.INPUT


class FetchError(PresslensError):
    """A URL could not be fetched (network error, HTTP error, size or time limit)."""

    exit_code = ExitCode.FETCH


class FetchRefused(FetchError):
    """The safe fetcher refused a URL before connecting (private address, bad scheme, robots)."""


class StorageError(PresslensError):
    exit_code = ExitCode.STORAGE
