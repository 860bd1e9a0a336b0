"""A markdown-ish clean-up *view* of a stretch of text that maps back to original offsets.

Scraped pages carry markdown residue: `[South Front](#)`, `<http://…>` autolinks,
`**bold**`/`*emphasis*`, `# headings`, `> quotes`. Cue patterns and metadata rules read the
clean view ("By South Front"), while every value they find is reported with offsets into the
untouched `Document.text` (via `CleanView.span_to_original`). Links met on the way are kept
with their anchor text.

>>> v = clean("By [South Front](#) and **Jane Roe**", 100)
>>> v.text
'By South Front and Jane Roe'
>>> v.span_to_original(3, 14)
(104, 115)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

URL_RE = re.compile(r"""(?:https?://|www\.)[^\s<>()\[\]"'`]+[^\s<>()\[\]"'`.,;:!?*]""", re.IGNORECASE)

# A link's text and URL stop at the next "[" (and an autolink's at the next "<"), where the next
# link could start, and have a length no real one reaches: with `[^\]\n]*`, a line of 100,000
# "[" or of "[a](" repeated made every start scan to the end of the line (quadratic: minutes
# for one page). Now no two starts scan the same characters.
_TEXT = r"[^\[\]\n]{0,1000}"
_HREF = r"[^)\s\[]{0,4000}"

# One alternation, tried left to right; the first group that matches names the construct.
_TOKEN = re.compile(
    rf"(?P<image>!\[(?P<ialt>{_TEXT})\]\((?P<iurl>{_HREF})(?:\s+\"[^\"]{{0,500}}\")?\))"
    rf"|(?P<link>\[(?P<ltext>{_TEXT})\]\((?P<lurl>{_HREF})(?:\s+\"[^\"]{{0,500}}\")?\))"
    r"|(?P<auto><(?P<aurl>(?:https?://|mailto:|www\.)[^<>\s]{1,4000})>)"
    r"|(?P<url>" + URL_RE.pattern + r")"
    r"|(?P<head>^[ \t]{0,3}(?:#{1,6}|>+)[ \t]+)"
    r"|(?P<stars>\*+|(?<!\w)_+|_+(?!\w)|`+)",
    re.IGNORECASE | re.MULTILINE,
)

# Links only (no emphasis or heading markers): every alternative starts with one of a few
# characters, which lets the regex engine skip ahead fast on long texts.
_LINK_TOKEN = re.compile(_TOKEN.pattern.split(r"|(?P<head>")[0], re.IGNORECASE)


@dataclass(frozen=True)
class MarkupLink:
    """A link written in the text: `start`/`end` cover the whole construct in the original."""

    url: str
    text: str
    start: int
    end: int
    image: bool = False


@dataclass
class CleanView:
    """`text` with markup removed; `offsets[i]` is where clean character i sits in the original."""

    text: str
    offsets: list[int]
    end_offset: int
    links: list[MarkupLink] = field(default_factory=list)

    def to_original(self, i: int) -> int:
        return self.end_offset if i >= len(self.offsets) else self.offsets[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of clean span [start, end): first char to just after the last."""
        if end <= start or start >= len(self.offsets):
            o = self.to_original(start)
            return (o, o)
        return (self.offsets[start], self.offsets[min(end, len(self.offsets)) - 1] + 1)


def clean(text: str, base: int = 0) -> CleanView:
    """Clean `text` (a paragraph or line); offsets are `base` + position in `text`.

    Short texts are cached: the classifier and the header parsers read the same lines many
    times. The returned view may be shared, so callers must not modify it.
    """
    if len(text) <= _CACHE_MAX_CHARS:
        return _clean_cached(text, base)
    return _clean(text, base)


def clean_text(text: str) -> str:
    """`clean(text).text`, without building offsets for text that holds no markup."""
    return text if _plain(text) else clean(text).text


_CACHE_MAX_CHARS = 600


@lru_cache(maxsize=2048)
def _clean_cached(text: str, base: int) -> CleanView:
    return _clean(text, base)


# Every `_TOKEN` construct needs one of these characters, or "://" or "www." for a URL.
_TOKEN_CHARS = "[<#>*_`"


def _plain(text: str) -> bool:
    """No markup to clean: substring tests instead of `_TOKEN`'s scan (a case-blind
    alternation tried at every position), for the many lines of HTML pages that hold none."""
    return not any(c in text for c in _TOKEN_CHARS) and "://" not in text and "www." not in text.lower()


def _clean(text: str, base: int) -> CleanView:
    if _plain(text):
        return CleanView(text, list(range(base, base + len(text))), base + len(text))
    parts: list[str] = []
    offsets: list[int] = []
    links: list[MarkupLink] = []
    pos = 0

    def keep(a: int, b: int) -> None:
        parts.append(text[a:b])
        offsets.extend(range(base + a, base + b))

    for m in _TOKEN.finditer(text):
        keep(pos, m.start())
        pos = m.end()
        kind = m.lastgroup
        if kind == "image":
            keep(m.start("ialt"), m.end("ialt"))
            links.append(MarkupLink(m["iurl"], m["ialt"], base + m.start(), base + m.end(), image=True))
        elif kind == "link":
            inner = _clean(m["ltext"], base + m.start("ltext"))
            parts.append(inner.text)
            offsets.extend(inner.offsets)
            links.append(MarkupLink(m["lurl"], inner.text.strip(), base + m.start(), base + m.end()))
        elif kind == "auto":
            url = m["aurl"]
            keep(m.start("aurl"), m.end("aurl"))
            links.append(MarkupLink(url.removeprefix("mailto:"), "", base + m.start(), base + m.end()))
        elif kind == "url":
            keep(m.start(), m.end())
            links.append(MarkupLink(m.group(), "", base + m.start(), base + m.end()))
        # head / stars: markers dropped
    keep(pos, len(text))
    return CleanView("".join(parts), offsets, base + len(text), links)


def iter_links(text: str, base: int = 0) -> list[MarkupLink]:
    """Every link in `text` (markdown links/images, autolinks, bare URLs) without building a
    full clean view: cheap enough for a whole page of any size."""
    if not ("[" in text or "<" in text or "://" in text or "www." in text.lower()):
        return []  # every link construct needs one of these: no case-blind scan of the page
    out: list[MarkupLink] = []
    for m in _LINK_TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "image":
            out.append(MarkupLink(m["iurl"], m["ialt"].strip(), base + m.start(), base + m.end(), image=True))
        elif kind == "link":
            out.append(
                MarkupLink(m["lurl"], clean(m["ltext"]).text.strip(), base + m.start(), base + m.end())
            )
        elif kind == "auto":
            out.append(MarkupLink(m["aurl"].removeprefix("mailto:"), "", base + m.start(), base + m.end()))
        elif kind == "url":
            out.append(MarkupLink(m.group(), "", base + m.start(), base + m.end()))
    return out
