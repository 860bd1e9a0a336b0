"""The page's layout: each paragraph's role (header line, body, wrapper kind) and the body range.

Data flow: the `body` stage builds the one `Layout` of a document from `Document.text` (for
HTML, with the span of the article blocks the document maker laid out) and keeps it in
`doc.user_data[LAYOUT_KEY]`; the `metadata` stage reads header lines and credits from it, the
`wrapper` stage its wrapper parts. Roles come from the small components: `boilerplate.classify`
(wrapper kinds), `header` parsers (byline, dateline, tag and credit lines) and the prose test
below.

Body finder (text): the longest run of prose paragraphs that are neither wrapper nor header
lines, trimmed to start and end on prose (a bare video URL or a sub-heading inside the run stays
in). One short wrapper-looking paragraph between two substantial prose runs (an inline "Read
more", a photo credit) does not cut the article in two. For HTML the article's stretch is given;
header lines (and the headline) at its top are cut off, the rest is the body.

>>> prose = "The minister spoke on Monday about the budget. " * 3
>>> lay = build_layout("Title here\\n\\nBy Jane Doe\\n\\n" + prose + "\\n\\nSubscribe to our newsletter.")
>>> lay.text[lay.body[0]:lay.body[1]][:20], [b.kind for b in lay.wrapper]
('The minister spoke o', ['newsletter'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from presslens.anatomy.boilerplate import classify, scores
from presslens.anatomy.credits import find_credits
from presslens.anatomy.header import (
    heading_score,
    looks_like_name,
    parse_byline,
    parse_dateline,
    parse_tag_line,
)
from presslens.anatomy.markup import clean_text
from presslens.anatomy.paragraphs import Paragraph, split_paragraphs
from presslens.vocab import BoilerplateKind

LAYOUT_KEY: Final = "anatomy.layout"  # doc.user_data key of the document's `Layout`
# Kinds that may sit inside an article without ending it (inline teasers, credits, boxes).
_BRIDGEABLE: Final = {"related", "newsletter", "attribution", "share_appeal", "donation_appeal", "other"}
_CAPTION = re.compile(
    r"[*_\s]*(?:featured )?(?:photo|image|picture|video|illustration|graphic)s?\b", re.IGNORECASE
)
MAX_ASSESSED: Final = 4000  # paragraphs read closely; see build_layout
_CACHE_MAX_CHARS: Final = 600  # paragraphs judged once per text; longer ones are rarely repeated
ARTICLE_TOP: Final = 6  # paragraphs at the top of an HTML article read for header lines
_MARKERS: Final = " \t\r\n*_#>`~"
_SENTENCE_END = re.compile(r"[.!?…。！？»”\"')\]]\s*$")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|[*_`]+")
_SENTENCES = re.compile(r"[.!?。！？]\s+\S")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Role:
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


@dataclass(frozen=True)
class Article:
    """For HTML: the span of the article blocks in the text, and where its headings start."""

    start: int
    end: int
    headings: frozenset[int] = frozenset()  # starts of <h1>/<h2> blocks
    headlines: frozenset[int] = frozenset()  # starts of <h1> blocks
    titles: tuple[str, ...] = ()  # what the page calls itself (`<title>`, og:title), normalised


@dataclass(frozen=True)
class Layout:
    text: str
    roles: tuple[Role, ...]
    body: tuple[int, int] | None
    title: int | None = None  # role index of the title line
    wrapper: tuple[WrapperPart, ...] = ()

    def before_body(self) -> list[Role]:
        if self.body is None:
            return []
        return [b for b in self.roles if b.para.end <= self.body[0]]

    def outside_body(self) -> list[Role]:
        if self.body is None:
            return list(self.roles)
        s, e = self.body
        return [b for b in self.roles if b.para.end <= s or b.para.start >= e]

    def body_paragraphs(self) -> list[Paragraph]:
        if self.body is None:
            return []
        s, e = self.body
        return [b.para for b in self.roles if b.para.start < e and b.para.end > s]


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
    name = clean_text(line.text).strip()
    return len(name.split()) >= 2 and looks_like_name(name, max_tokens=4)


def _nameless_date(line: Paragraph) -> bool:
    d = parse_dateline(line)
    return d is not None and d.name is None


def assess(para: Paragraph) -> Role:
    """What the components say about one paragraph: its wrapper kind, whether it is a header
    line (or a name beside a date), whether it is prose."""
    judged = _judge_cached(para.text) if len(para.text) <= _CACHE_MAX_CHARS else _judge(para.text)
    return Role(para, *judged)


def _judge(text: str) -> tuple[BoilerplateKind | None, bool, bool, bool]:
    """(kind, header, prose, bare name) of a paragraph's text; offsets play no part."""
    verdict = classify(text)
    lines = Paragraph(0, len(text), text).lines()
    header, bare = False, False
    if 1 <= len(lines) <= 6:
        flags = [line_is_header(line) for line in lines]
        header = all(flags)
        if not header and len(lines) > 1 and flags.count(False) == 1:
            # "Jane Whitfield" / "Mar 14, 2023": a name line beside a date line.
            i = flags.index(False)
            near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            header = bare = is_bare_name(lines[i]) and any(_nameless_date(n) for n in near)
    prose = is_prose(text) and not header and verdict.kind is None
    return verdict.kind, header, prose, bare


# Pages repeat their furniture ("Share", "Home", "Read more") and a crawl repeats it across
# pages; the judgement of a short paragraph is a pure function of its text, so it is kept.
_judge_cached = lru_cache(maxsize=16_384)(_judge)


def _cheap(para: Paragraph) -> Role:
    words = len(para.text[:2000].split())
    return Role(para, None, False, words >= 8 and bool(_SENTENCE_END.search(para.text[-50:])))


def _runs(roles: tuple[Role, ...]) -> list[tuple[int, int]]:
    """Maximal runs of article-candidate paragraphs, trimmed to prose at both ends."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(roles):
        if roles[i].kind is not None or roles[i].header:
            i += 1
            continue
        j = i
        while j + 1 < len(roles) and roles[j + 1].kind is None and not roles[j + 1].header:
            j += 1
        prose = [k for k in range(i, j + 1) if roles[k].prose]
        if prose:
            out.append((prose[0], prose[-1]))
        i = j + 1
    return out


def _weight(roles: tuple[Role, ...], run: tuple[int, int]) -> int:
    return sum(len(roles[k].para.text) for k in range(run[0], run[1] + 1) if roles[k].prose)


def _bridgeable(role: Role) -> bool:
    """A short inline box (teaser, photo credit, sign-up box) that an article runs around."""
    if role.header or len(role.para.text) >= 250 or role.kind not in _BRIDGEABLE:
        return False
    # An attribution inside an article is a caption credit; "Source: X" ends the article.
    return role.kind != "attribution" or bool(_CAPTION.match(role.para.text))


def find_body_roles(roles: tuple[Role, ...]) -> tuple[int, int] | None:
    runs = _runs(roles)
    # Join two runs around a single short inline box.
    merged: list[tuple[int, int]] = []
    for run in runs:
        if merged:
            prev = merged[-1]
            gap = list(range(prev[1] + 1, run[0]))
            if (
                len(gap) == 1
                and _bridgeable(roles[gap[0]])
                and min(_weight(roles, prev), _weight(roles, run)) >= 150
            ):
                merged[-1] = (prev[0], run[1])
                continue
        merged.append(run)
    if merged:
        return max(merged, key=lambda r: _weight(roles, r))
    # No prose at all: the longest paragraph that is neither wrapper nor header.
    candidates = [
        k
        for k, b in enumerate(roles)
        if b.kind is None and not b.header and any(c.isalnum() for c in b.para.text)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda k: len(roles[k].para.text))
    return (best, best)


def _with_bare_names(roles: list[Role], titles: tuple[str, ...]) -> tuple[Role, ...]:
    """A one-line paragraph holding only a name, next to a date-only paragraph, is a byline
    (unless it is the headline the page's `titles` name: "Historischer Markt" / "13. Mai 2012")."""
    out = list(roles)
    for k, b in enumerate(roles):
        if b.kind is not None or b.header or b.prose:
            continue
        neighbours = [out[j] for j in (k - 1, k + 1) if 0 <= j < len(out) and out[j].header]
        if not neighbours or not is_bare_name(b.para) or names_title(b.para.text, titles):
            continue
        if any("\n" not in n.para.text and _nameless_date(n.para) for n in neighbours):
            out[k] = replace(b, header=True, bare_name=True)
    return tuple(out)


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _MARKERS:
        start += 1
    while end > start and text[end - 1] in _MARKERS:
        end -= 1
    return start, end


def _pick_title(roles: tuple[Role, ...], upto: int) -> int | None:
    """The most heading-like line in the paragraphs before the body (first one on ties)."""
    best, best_score = None, 0.0
    for k in range(upto):
        b = roles[k]
        if b.header or b.kind is not None:
            continue
        score = heading_score(b.para)
        if score > best_score:
            best, best_score = k, score
    return best


def _wrapper_parts(role: Role) -> list[WrapperPart]:
    """Wrapper segments of one paragraph; a paragraph whose lines are different kinds
    ("The original source … is X" / "Copyright © X") is cut at its lines."""
    para = role.para
    kind: BoilerplateKind = role.kind or "other"
    lines = para.lines()
    if len(lines) < 2:
        return [WrapperPart(kind, para.start, para.end)]
    parts: list[WrapperPart] = []
    for line in lines:
        line_kind = classify(line.text).kind
        if parts and (
            line_kind is None or line_kind == parts[-1].kind or parts[-1].kind in scores(line.text)
        ):
            # ("via: patreon.com/x" after a donation line carries evidence of the same kind)
            parts[-1] = WrapperPart(parts[-1].kind, parts[-1].start, line.end)
        else:
            parts.append(WrapperPart(line_kind or kind, line.start, line.end))
    return parts


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def names_title(text: str, titles: tuple[str, ...]) -> bool:
    """Is this line the headline the page's titles name ("Storm hits coast" for the title
    "Storm hits coast | Daily Example")?"""
    t = normalise(text)
    return any(
        r and (t == r or (len(t) > 10 and t in r) or (r in t and len(t) < len(r) + 40)) for r in titles
    )


def _overlapping(paragraphs: list[Paragraph], span: tuple[int, int]) -> list[int]:
    return [k for k, p in enumerate(paragraphs) if p.start < span[1] and p.end > span[0]]


def _article_body(roles: tuple[Role, ...], article: Article) -> tuple[int, int] | None:
    """The article's paragraphs minus the header lines at its top: bylines, datelines, tag
    lines and the headline that a candidate extractor kept with the article."""
    inside = _overlapping([r.para for r in roles], (article.start, article.end))
    if not inside:
        return None
    last = -1
    for n, k in enumerate(inside[:ARTICLE_TOP]):
        para = roles[k].para
        if len(_WORDS.findall(para.text)) > 25:
            break
        if (
            roles[k].header
            or para.start in article.headlines
            or (n == 0 and para.start in article.headings)
            or names_title(para.text, article.titles)
        ):
            last = n
    first = inside[last + 1] if 0 <= last < len(inside) - 1 else inside[0]
    return first, inside[-1]


def build_layout(text: str, article: Article | None = None, body: tuple[int, int] | None = None) -> Layout:
    """Roles of every paragraph of `text` and the body: `body` as given when a caller decided it
    already, else the `article` laid out by the HTML document maker minus its header lines, else
    the text body finder's choice."""
    paragraphs = split_paragraphs(text)
    half = MAX_ASSESSED // 2
    n = len(paragraphs)
    given = body if body is not None else (article.start, article.end) if article is not None else None
    # A given body is kept as it is; of the article, the top is read for header lines.
    top = [] if given is None or body is not None else _overlapping(paragraphs, given)[:ARTICLE_TOP]

    def close_reading(k: int, p: Paragraph) -> bool:
        if given is not None and p.start < given[1] and p.end > given[0]:
            return k in top  # nothing to classify inside the body, but the article's top
        # A page of tens of thousands of paragraphs is junk or a dump; wrapper and header sit
        # at its ends, so only those are read closely and the middle gets the cheap prose test.
        return n <= MAX_ASSESSED or k < half or k >= n - half

    roles = _with_bare_names(
        [assess(p) if close_reading(k, p) else _cheap(p) for k, p in enumerate(paragraphs)],
        article.titles if article is not None else (),
    )
    if body is not None:
        inside = _overlapping(paragraphs, body)
        body_roles = (inside[0], inside[-1]) if inside else None
    elif article is not None:
        body_roles = _article_body(roles, article)
        if body_roles is not None:
            body = (roles[body_roles[0]].para.start, roles[body_roles[1]].para.end)
    else:
        body_roles = find_body_roles(roles)
        if body_roles is not None:
            first, last = roles[body_roles[0]].para, roles[body_roles[1]].para
            s, e = _strip_markers(text, first.start, last.end)
            body = (s, e) if s < e else (first.start, last.end)
    first_body = body_roles[0] if body_roles else len(roles)
    title = _pick_title(roles, first_body)
    wrapper = _wrapper(roles, body, title, first_body, html=article is not None)
    return Layout(text, roles, body, title, tuple(wrapper))


def _dek(roles: tuple[Role, ...], title: int | None, first_body: int) -> set[int]:
    """A sub-title (dek) right under the title: header, not wrapper."""
    dek: set[int] = set()
    k = (title + 1) if title is not None else first_body
    while (
        k < first_body and roles[k].kind is None and not roles[k].header and heading_score(roles[k].para) > 0
    ):
        dek.add(k)
        k += 1
    return dek


def _wrapper(
    roles: tuple[Role, ...], body: tuple[int, int] | None, title: int | None, first_body: int, *, html: bool
) -> list[WrapperPart]:
    """Every paragraph outside the body that is neither header nor markup, as wrapper parts."""
    dek = _dek(roles, title, first_body)
    out: list[WrapperPart] = []
    for k, b in enumerate(roles):
        if body is not None and b.para.start < body[1] and b.para.end > body[0]:
            continue  # inside the body (bridged boxes included)
        if not any(c.isalnum() for c in b.para.text):
            continue  # a stray '*' or rule line is markup, not wrapper
        before = body is not None and b.para.end <= body[0]
        if before and (b.header or k == title or k in dek):
            continue  # header block: title, byline, dates, tags — metadata, not wrapper
        if before and html and b.kind is None:
            continue  # the document maker puts only the article's header before the body
        if b.kind is None and b.header:
            # Header furniture below the article: tag lists link to archives, a byline there
            # is an author box.
            first = b.para.lines()[0] if b.para.lines() else b.para
            kind: BoilerplateKind = (
                "navigation" if parse_tag_line(first) else "attribution" if parse_byline(first) else "other"
            )
            out.append(WrapperPart(kind, b.para.start, b.para.end))
            continue
        out.extend(_wrapper_parts(b))
    return out
