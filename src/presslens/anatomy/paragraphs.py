"""Paragraph splitter with exact offsets: the unit every anatomy component works on.

Data flow: `anatomy.stage` splits `Document.text` into `Paragraph`s (blank-line separated, as
scraped text and the HTML extractor both lay pages out), classifies them and picks the body.
Spans are trimmed of surrounding whitespace and index `Document.text` exactly. A word split
across a paragraph break (`Syrian-Iranian-` / blank line / `Russian`) does not end a paragraph:
see `presslens.anatomy.dehyphen`.

>>> [p.text for p in split_paragraphs("Title\\n\\n  First para.\\nStill first.\\n\\n\\nSecond.")]
['Title', 'First para.\\nStill first.', 'Second.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presslens.anatomy.dehyphen import ends_with_split_word

# A blank line: a newline, then only spaces/tabs, then a newline.
_BLANK = re.compile(r"\r?\n[ \t\f\v\u00a0]*\r?\n(?:[ \t\f\v\u00a0]*\r?\n)*")
_LINE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True)
class Paragraph:
    """A stretch `text[start:end]` with no blank line inside (apart from split-word joins)."""

    start: int
    end: int
    text: str

    def lines(self) -> list[Paragraph]:
        """The non-empty lines of this paragraph, trimmed, with offsets into the same text."""
        t = self.text
        if (
            t
            and "\n" not in t
            and "\r" not in t
            and not t[0].isspace()
            and not t[-1].isspace()
            and self.end - self.start == len(t)
        ):
            return [self]  # one trimmed line (most paragraphs of an HTML page): itself
        out: list[Paragraph] = []
        for m in _LINE.finditer(self.text):
            a, b = _trim(self.text, m.start(), m.end())
            if a < b:
                out.append(Paragraph(self.start + a, self.start + b, self.text[a:b]))
        return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Blank-line separated paragraphs of `text[start:end]`, offsets into `text`."""
    end = len(text) if end is None else end
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _BLANK.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    out: list[Paragraph] = []
    for a, b in pieces:
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        if out and ends_with_split_word(out[-1].text) and text[a].isalpha():
            # The previous paragraph ended inside a hyphenated word: one paragraph, not two.
            prev = out.pop()
            a = prev.start
        out.append(Paragraph(a, b, text[a:b]))
    return out
