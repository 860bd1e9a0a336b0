"""Words split across a line or paragraph break, recognised as one word, offsets kept honest.

Scraped pages often cut a compound at a block edge (`Syrian-Iranian-` / blank line /
`Russian`). `Document.text` is never edited (plain-text offsets must index the input), so this
module gives two things instead: `find_word_breaks` (where such breaks are, used by the
paragraph splitter so the body is not cut there) and `dehyphenate` (the joined reading plus an
offset map back to `Document.text`, for later stages that tokenise words: entities, claims,
techniques).

The hyphen is kept when joining ('Syrian-Iranian-Russian'): breaks in scraped web text come
from block boundaries inside real compounds, not from typographic hyphenation. A soft hyphen
(U+00AD) is the exception: it only ever marks a hyphenation point, so it is dropped.

>>> d = dehyphenate("The Syrian-Iranian-\\n\\nRussian coalition")
>>> d.text
'The Syrian-Iranian-Russian coalition'
>>> d.to_original(d.text.index("Russian"))
21
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# letter, hyphen, then one or more line breaks (optionally blank lines), then a letter.
_BREAK = re.compile(
    r"(?<=[^\W\d_])([-\u2010\u00ad])[ \t]*\r?\n(?:[ \t\u00a0]*\r?\n)*[ \t\u00a0]*(?=[^\W\d_])"
)
_ENDS_SPLIT = re.compile(r"(?:^|[^\s-])[^\W\d_][-\u2010\u00ad]$")
_SPLIT_ENDS = ("-", "\u2010", "\u00ad", "-\n", "\u2010\n", "\u00ad\n")


@dataclass(frozen=True)
class WordBreak:
    """A split word: `start` is the hyphen, `end` the first letter of the continuation."""

    start: int
    end: int
    keep_hyphen: bool


@dataclass(frozen=True)
class Dehyphenated:
    """The joined reading of a text and, for each of its characters, the original offset."""

    text: str
    offsets: list[int]
    end_offset: int

    def to_original(self, i: int) -> int:
        """Offset in the original text of joined-text position `i` (`len(text)` allowed)."""
        return self.end_offset if i >= len(self.offsets) else self.offsets[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            o = self.to_original(start)
            return (o, o)
        return (self.to_original(start), self.to_original(end - 1) + 1)


def ends_with_split_word(paragraph: str) -> bool:
    """Does this paragraph end in the first half of a hyphen-split word (`...Iranian-`)?"""
    # The pattern ends in a hyphen at `$` (the end, or before a final newline); checking that
    # first spares a search that tries every position of a long paragraph.
    return paragraph.endswith(_SPLIT_ENDS) and bool(_ENDS_SPLIT.search(paragraph))


def find_word_breaks(text: str) -> list[WordBreak]:
    return [WordBreak(m.start(1), m.end(), keep_hyphen=m.group(1) != "\u00ad") for m in _BREAK.finditer(text)]


def dehyphenate(text: str, start: int = 0, end: int | None = None) -> Dehyphenated:
    """Join every split word in `text[start:end]`; offsets point into `text`."""
    end = len(text) if end is None else end
    parts: list[str] = []
    offsets: list[int] = []
    pos = start
    for br in find_word_breaks(text[start:end]):
        a, b = br.start + start, br.end + start
        parts.append(text[pos:a])
        offsets.extend(range(pos, a))
        if br.keep_hyphen:
            parts.append(text[a])
            offsets.append(a)
        pos = b
    parts.append(text[pos:end])
    offsets.extend(range(pos, end))
    return Dehyphenated("".join(parts), offsets, end)
