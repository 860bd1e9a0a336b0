"""Bounded scanning: run costly patterns only where a cheap hint says they can match.

Funding, contact and link patterns start with character classes (`[\\w.+-]+@…`), which Python's
regex engine retries at every position of the text; on a 30 MB page that is minutes. These
helpers find the places worth looking at (an '@', a 'tel', a known host name) with a literal
search, merge the windows around them, and let the caller run the full pattern there only.
`page_windows` also bounds a whole-page scan to its head and tail: page furniture sits at the
ends, and a page of many megabytes is junk whose middle need not be searched for wrapper facts.

>>> hint_windows("a b x@y.org c", re.compile("@"), 3)
[(2, 9)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Final

PAGE_SCAN_CHARS: Final = 2_000_000


def literal_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, written as a trie ("f(?:ollow|orward)").

    Python's engine tries a flat alternation's words one by one at every position of the
    text; a trie tries one branch per character, several times faster for hint word lists.

    >>> literal_pattern(["share", "shout", "she"])
    'sh(?:are|e|out)'
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:  # a word may end here, or go on
            return f"(?:{'|'.join(branches)})?" if branches else ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return pattern(trie)


def page_windows(text: str, limit: int = PAGE_SCAN_CHARS) -> list[tuple[int, int]]:
    """The whole text when it is not huge; otherwise its first and last `limit // 2` chars."""
    if len(text) <= limit:
        return [(0, len(text))]
    half = limit // 2
    return [(0, half), (len(text) - half, len(text))]


@lru_cache(maxsize=4)
def _lowered(text: str) -> str | None:
    low = text.lower()
    # Lower-casing changes the length of a few characters ('İ'); then offsets would drift.
    return low if len(low) == len(text) else None


@lru_cache(maxsize=64)
def _ignorecase(hint: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(hint.pattern, hint.flags | re.IGNORECASE)


def hint_spans(text: str, hint: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where `hint` matches: it is written in lower case and matched against the lower-cased
    text (a case-blind regex search is several times slower in Python's engine)."""
    low = _lowered(text)
    matches = hint.finditer(low) if low is not None else _ignorecase(hint).finditer(text)
    return [m.span() for m in matches]


def around(spans: Iterable[tuple[int, int]], radius: int, size: int) -> list[tuple[int, int]]:
    """Merged windows of `radius` chars around each span, clipped to `size` chars."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        a, b = max(0, start - radius), min(size, end + radius)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def hint_windows(text: str, hint: re.Pattern[str], radius: int) -> list[tuple[int, int]]:
    """Merged windows of `radius` chars around every hint match, clipped to the text."""
    return around(hint_spans(text, hint), radius, len(text))


def finditer_hinted(
    pattern: re.Pattern[str], text: str, hint: re.Pattern[str], radius: int
) -> list[tuple[int, int, re.Match[str]]]:
    """Matches of `pattern` inside the hint windows: (start, end, match) with text offsets.

    A window boundary could cut a match short, so windows are generous (`radius` should exceed
    the longest match) and a match touching a window edge that is not the text edge is dropped.
    """
    return finditer_within(pattern, text, hint_windows(text, hint, radius))


def finditer_within(
    pattern: re.Pattern[str], text: str, windows: Iterable[tuple[int, int]]
) -> list[tuple[int, int, re.Match[str]]]:
    """`finditer_hinted` for windows worked out already (one hint scan shared by patterns)."""
    found: list[tuple[int, int, re.Match[str]]] = []
    for a, b in windows:
        for m in pattern.finditer(text, a, b):
            if (m.start() == a and a > 0) or (m.end() == b and b < len(text)):
                continue
            found.append((m.start(), m.end(), m))
    return found
