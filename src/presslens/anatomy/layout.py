"""The page's layout: each paragraph's role (header line, body, wrapper kind) and the body range.

Data flow: `anatomy.stage` builds a `Layout` from `Document.text` (and an HTML-provided body,
when the HTML extractor gave one); `anatomy.facts` reads metadata from it. Roles come from the
small components: `boilerplate.classify` (wrapper kinds), `header` parsers (byline, dateline,
tag and credit lines) and the prose test below.

Body finder: the longest run of prose paragraphs that are neither wrapper nor header lines,
trimmed to start and end on prose (a bare video URL or a sub-heading inside the run stays in).
One short wrapper-looking paragraph between two substantial prose runs (an inline "Read more",
a photo credit) does not cut the article in two.

>>> prose = "The minister spoke on Monday about the budget. " * 3
>>> lay = build_layout("Title here\\n\\nBy Jane Doe\\n\\n" + prose + "\\n\\nSubscribe to our newsletter.")
>>> lay.text[lay.body[0]:lay.body[1]][:20], [b.kind for b in lay.wrapper]
('The minister spoke o', ['newsletter'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from presslens.anatomy.boilerplate import classify
from presslens.anatomy.credits import find_credits
from presslens.anatomy.header import (
    heading_score,
    looks_like_name,
    parse_byline,
    parse_dateline,
    parse_tag_line,
)
from presslens.anatomy.markup import clean
from presslens.anatomy.paragraphs import Paragraph, split_paragraphs
from presslens.vocab import BoilerplateKind

# Kinds that may sit inside an article without ending it (inline teasers, credits, boxes).
_BRIDGEABLE: Final = {"related", "newsletter", "attribution", "share_appeal", "donation_appeal", "other"}
_CAPTION = re.compile(
    r"[*_\s]*(?:featured )?(?:photo|image|picture|video|illustration|graphic)s?\b", re.IGNORECASE
)
MAX_ASSESSED: Final = 4000  # paragraphs read closely; see build_layout
_MARKERS: Final = " \t\r\n*_#>`~"
_SENTENCE_END = re.compile(r"[.!?…。！？»”\"')\]]\s*$")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|[*_`]+")
_SENTENCES = re.compile(r"[.!?。！？]\s+\S")


@dataclass
class Block:
    """One paragraph and what the components say about it."""

    para: Paragraph
    kind: BoilerplateKind | None
    header: bool
    prose: bool
    bare_name: bool = False  # a lone "Jane Whitfield" line beside a date: a byline without "By"


@dataclass(frozen=True)
class WrapperPart:
    kind: BoilerplateKind
    start: int
    end: int


@dataclass
class Layout:
    text: str
    blocks: list[Block]
    body: tuple[int, int] | None
    body_blocks: tuple[int, int] | None  # first and last block index of the body, inclusive
    title: int | None = None  # block index of the title line
    wrapper: list[WrapperPart] = field(default_factory=list)

    def before_body(self) -> list[Block]:
        if self.body is None:
            return []
        return [b for b in self.blocks if b.para.end <= self.body[0]]

    def outside_body(self) -> list[Block]:
        if self.body is None:
            return list(self.blocks)
        s, e = self.body
        return [b for b in self.blocks if b.para.end <= s or b.para.start >= e]

    def body_paragraphs(self) -> list[Paragraph]:
        if self.body is None:
            return []
        s, e = self.body
        return [b.para for b in self.blocks if b.para.start < e and b.para.end > s]


def is_prose(text: str) -> bool:
    """Running text: enough words and sentence punctuation (or several sentences)."""
    # Read raw: markup residue changes neither the word count much nor the final punctuation
    # once link targets are dropped; no clean-up view needed for the hot path.
    view = _LINK_TARGET.sub("", text[:4000]).strip(_MARKERS)
    words = len(view.split())
    long_enough = words >= 8 or (words <= 3 and len(view) >= 40)  # scripts without spaces
    return long_enough and (bool(_SENTENCE_END.search(view)) or len(_SENTENCES.findall(view)) >= 2)


def line_is_header(line: Paragraph) -> bool:
    """A byline, dateline, tag line or credit line: page furniture that frames the article."""
    if len(line.text) > 300:
        return False
    return bool(parse_byline(line) or parse_dateline(line) or parse_tag_line(line) or find_credits(line))


def is_bare_name(line: Paragraph) -> bool:
    """'Jane Whitfield' alone on a line (a byline without 'By' when a date sits beside it)."""
    if len(line.text) > 60 or "\n" in line.text:
        return False
    name = clean(line.text).text.strip()
    return len(name.split()) >= 2 and looks_like_name(name, max_tokens=4)


def _nameless_date(line: Paragraph) -> bool:
    d = parse_dateline(line)
    return d is not None and d.name is None


def assess(para: Paragraph) -> Block:
    verdict = classify(para.text)
    lines = para.lines()
    header, bare = False, False
    if 1 <= len(lines) <= 6:
        flags = [line_is_header(line) for line in lines]
        header = all(flags)
        if not header and len(lines) > 1 and flags.count(False) == 1:
            # "Jane Whitfield" / "Mar 14, 2023": a name line beside a date line.
            i = flags.index(False)
            near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            header = bare = is_bare_name(lines[i]) and any(_nameless_date(n) for n in near)
    prose = is_prose(para.text) and not header and verdict.kind is None
    return Block(para, verdict.kind, header, prose, bare)


def _cheap(para: Paragraph) -> Block:
    words = len(para.text[:2000].split())
    return Block(para, None, False, words >= 8 and bool(_SENTENCE_END.search(para.text[-50:])))


def _runs(blocks: list[Block]) -> list[tuple[int, int]]:
    """Maximal runs of article-candidate blocks, trimmed to prose at both ends."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(blocks):
        if blocks[i].kind is not None or blocks[i].header:
            i += 1
            continue
        j = i
        while j + 1 < len(blocks) and blocks[j + 1].kind is None and not blocks[j + 1].header:
            j += 1
        prose = [k for k in range(i, j + 1) if blocks[k].prose]
        if prose:
            out.append((prose[0], prose[-1]))
        i = j + 1
    return out


def _weight(blocks: list[Block], run: tuple[int, int]) -> int:
    return sum(len(blocks[k].para.text) for k in range(run[0], run[1] + 1) if blocks[k].prose)


def _n_prose(blocks: list[Block], run: tuple[int, int]) -> int:
    return sum(blocks[k].prose for k in range(run[0], run[1] + 1))


def _bridgeable(block: Block) -> bool:
    """A short inline box (teaser, photo credit, sign-up box) that an article runs around."""
    if block.header or len(block.para.text) >= 250 or block.kind not in _BRIDGEABLE:
        return False
    # An attribution inside an article is a caption credit; "Source: X" ends the article.
    return block.kind != "attribution" or bool(_CAPTION.match(block.para.text))


def find_body_blocks(blocks: list[Block]) -> tuple[int, int] | None:
    runs = _runs(blocks)
    # Join two runs around a single short inline box.
    merged: list[tuple[int, int]] = []
    for run in runs:
        if merged:
            prev = merged[-1]
            gap = list(range(prev[1] + 1, run[0]))
            if (
                len(gap) == 1
                and _bridgeable(blocks[gap[0]])
                and min(_weight(blocks, prev), _weight(blocks, run)) >= 150
            ):
                merged[-1] = (prev[0], run[1])
                continue
        merged.append(run)
    if merged:
        return max(merged, key=lambda r: _weight(blocks, r))
    # No prose at all: the longest paragraph that is neither wrapper nor header.
    candidates = [
        k
        for k, b in enumerate(blocks)
        if b.kind is None and not b.header and any(c.isalnum() for c in b.para.text)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda k: len(blocks[k].para.text))
    return (best, best)


def _mark_bare_names(blocks: list[Block]) -> None:
    """A one-line paragraph holding only a name, next to a date-only paragraph, is a byline."""
    for k, b in enumerate(blocks):
        if b.kind is not None or b.header or b.prose:
            continue
        neighbours = [blocks[j] for j in (k - 1, k + 1) if 0 <= j < len(blocks) and blocks[j].header]
        if not neighbours or not is_bare_name(b.para):
            continue
        if any("\n" not in n.para.text and _nameless_date(n.para) for n in neighbours):
            b.header = True
            b.bare_name = True


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _MARKERS:
        start += 1
    while end > start and text[end - 1] in _MARKERS:
        end -= 1
    return start, end


def _pick_title(blocks: list[Block], upto: int) -> int | None:
    """The most heading-like line in the paragraphs before the body (first one on ties)."""
    best, best_score = None, 0.0
    for k in range(upto):
        b = blocks[k]
        if b.header or b.kind is not None:
            continue
        score = heading_score(b.para)
        if score > best_score:
            best, best_score = k, score
    return best


def _wrapper_parts(block: Block) -> list[WrapperPart]:
    """Wrapper segments of one paragraph; a paragraph whose lines are different kinds
    ("The original source … is X" / "Copyright © X") is cut at its lines."""
    para = block.para
    kind: BoilerplateKind = block.kind or "other"
    lines = para.lines()
    if len(lines) < 2:
        return [WrapperPart(kind, para.start, para.end)]
    parts: list[WrapperPart] = []
    for line in lines:
        v = classify(line.text)
        line_kind = v.kind
        if parts and (line_kind is None or line_kind == parts[-1].kind or _also(line.text, parts[-1].kind)):
            parts[-1] = WrapperPart(parts[-1].kind, parts[-1].start, line.end)
        else:
            parts.append(WrapperPart(line_kind or kind, line.start, line.end))
    return parts


def _also(text: str, kind: str) -> bool:
    """Does this line carry some evidence of `kind` too ("via: patreon.com/x" after a donation)?"""
    from presslens.anatomy.boilerplate import scores

    return kind in scores(text)


def build_layout(text: str, body: tuple[int, int] | None = None, *, html: bool = False) -> Layout:
    """Roles of every paragraph of `text`; `body` when the HTML extractor already found it."""
    paragraphs = split_paragraphs(text)
    half = MAX_ASSESSED // 2
    n = len(paragraphs)

    def close_reading(k: int, p: Paragraph) -> bool:
        if body is not None and p.start < body[1] and p.end > body[0]:
            return False  # inside the body the HTML extractor found: article, nothing to classify
        # A page of tens of thousands of paragraphs is junk or a dump; wrapper and header sit
        # at its ends, so only those are read closely and the middle gets the cheap prose test.
        return n <= MAX_ASSESSED or k < half or k >= n - half

    blocks = [assess(p) if close_reading(k, p) else _cheap(p) for k, p in enumerate(paragraphs)]
    _mark_bare_names(blocks)
    body_blocks: tuple[int, int] | None = None
    if body is None:
        body_blocks = find_body_blocks(blocks)
        if body_blocks is not None:
            first, last = blocks[body_blocks[0]].para, blocks[body_blocks[1]].para
            s, e = _strip_markers(text, first.start, last.end)
            body = (s, e) if s < e else (first.start, last.end)
    else:
        inside = [k for k, b in enumerate(blocks) if b.para.start < body[1] and b.para.end > body[0]]
        body_blocks = (inside[0], inside[-1]) if inside else None
    layout = Layout(text, blocks, body, body_blocks)
    first_body = body_blocks[0] if body_blocks else len(blocks)
    layout.title = _pick_title(blocks, first_body)
    # A sub-title (dek) right under the title belongs to the header, not the wrapper.
    dek: set[int] = set()
    k = (layout.title + 1) if layout.title is not None else first_body
    while (
        k < first_body
        and blocks[k].kind is None
        and not blocks[k].header
        and heading_score(blocks[k].para) > 0
    ):
        dek.add(k)
        k += 1
    for k, b in enumerate(blocks):
        if body is not None and b.para.start < body[1] and b.para.end > body[0]:
            continue  # inside the body (bridged boxes included)
        if not any(c.isalnum() for c in b.para.text):
            continue  # a stray '*' or rule line is markup, not wrapper
        before = body is not None and b.para.end <= body[0]
        if before and (b.header or k == layout.title or k in dek):
            continue  # header block: title, byline, dates, tags — metadata, not wrapper
        if before and html and b.kind is None:
            continue  # the HTML extractor puts only header blocks before the body
        if b.kind is None and b.header:
            # Header furniture below the article: tag lists link to archives, a byline there
            # is an author box.
            first = b.para.lines()[0] if b.para.lines() else b.para
            kind: BoilerplateKind = (
                "navigation" if parse_tag_line(first) else "attribution" if parse_byline(first) else "other"
            )
            layout.wrapper.append(WrapperPart(kind, b.para.start, b.para.end))
            continue
        layout.wrapper.extend(_wrapper_parts(b))
    return layout
