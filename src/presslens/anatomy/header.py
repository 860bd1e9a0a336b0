"""Parsers for the one-line facts that frame an article: byline, dateline, credit, tag lines.

Each parser reads one line (a `Paragraph`) through the markdown clean-up view and returns what
it found with offsets into `Document.text`, or nothing. They know phrasings, not sites:
"By X", "Author: X", "Articles by: X"; "Site, January 07, 2020" datelines and
"X 6 January 2020" credit lines; "Published: …"; "Region: …"/"Tags: …" lists. `anatomy.layout`
uses them to mark header lines (kept out of both body and boilerplate) and `anatomy.facts` to
fill metadata; the words they know per language come from `presslens.lexicon`.

>>> from presslens.anatomy.paragraphs import Paragraph
>>> [a.value for a in parse_byline(Paragraph(0, 19, "By [South Front](#)"))]
['South Front']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Final

from presslens.anatomy.markup import CleanView, clean
from presslens.anatomy.paragraphs import Paragraph
from presslens.lexicon.bylines import BYLINE, BYLINE_HINT, BYLINE_TAIL, EDITORS, NAME_SPLIT
from presslens.lexicon.dates import WEEKDAY, find_dates
from presslens.vocab import TagKind

MAX_HEADER_LINE: Final = 300


@dataclass(frozen=True)
class Found:
    """A value read from the text, with its original offsets and the rule that read it."""

    value: str
    start: int
    end: int
    method: str


@dataclass(frozen=True)
class Dateline:
    """`name` (may be empty) and the ISO date of a "Name, date" / "Published: date" line."""

    name: Found | None
    date: Found
    label: str  # "dateline" | "published" | "updated"


_PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "al",
    "el",
    "bin",
    "ibn",
    "la",
    "le",
    "du",
    "dos",
    "das",
    "y",
    "ter",
    "zu",
    "st.",
}
_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u024f\u0400-\u04ff][\w'’.\-]*|[A-Z]\.|[A-Z]{2,})$")


def looks_like_name(s: str, *, max_tokens: int = 6) -> bool:
    """Capitalised words, no digits, a few tokens: 'South Front', 'Jane van Doe', 'AFP'."""
    tokens = s.split()
    if not tokens or len(tokens) > max_tokens or any(ch.isdigit() for ch in s):
        return False
    caps = [t for t in tokens if _NAME_TOKEN.match(t)]
    rest = [t for t in tokens if not _NAME_TOKEN.match(t)]
    return (
        bool(caps) and all(t.lower() in _PARTICLES for t in rest) and _NAME_TOKEN.match(tokens[0]) is not None
    )


def _view(line: Paragraph) -> CleanView | None:
    if len(line.text) > MAX_HEADER_LINE or "\n" in line.text.strip():
        return None
    return clean(line.text, line.start)


def _found(view: CleanView, a: int, b: int, method: str) -> Found:
    while a < b and view.text[a] in " \t,;:|-–—":
        a += 1
    while b > a and view.text[b - 1] in " \t,;:|-–—.":
        b -= 1
    start, end = view.span_to_original(a, b)
    return Found(view.text[a:b], start, end, method)


# --- bylines ---------------------------------------------------------------------------
def parse_byline(line: Paragraph) -> list[Found]:
    """Author names of a byline, each with its span; [] when the line is not a byline."""
    if not BYLINE_HINT.search(line.text[:MAX_HEADER_LINE]):
        return []
    view = _view(line)
    if view is None:
        return []
    m = BYLINE.match(view.text) or BYLINE_TAIL.match(view.text)
    if not m:
        return []
    names = m.group("names")
    # "Reporting by X; Editing by Y": editors are not authors.
    names = EDITORS.split(names)[0]
    base = m.start("names")
    # "By Jane Doe, January 5, 2021": the date is not a name.
    dates = find_dates(names)
    if dates:
        names = names[: dates[0].start]
    out: list[Found] = []
    pos = 0
    for piece in [*NAME_SPLIT.finditer(names), None]:
        stop = piece.start() if piece else len(names)
        chunk = names[pos:stop].strip()
        if chunk:
            off = base + pos + names[pos:stop].index(chunk)
            if not looks_like_name(chunk):
                return []  # "By 2030, the army…": not a byline at all
            out.append(_found(view, off, off + len(chunk), "byline:" + m.group("label").strip().lower()))
        if piece:
            pos = piece.end()
    return out


# --- datelines and credit lines ----------------------------------------------------------
_YEAR = re.compile(r"\d{4}")
_WEEKDAY = re.compile(rf"\b(?:{WEEKDAY})(?!\w)", re.IGNORECASE)
_LABELLED = re.compile(
    r"^\s*(?P<label>published|posted|updated|last updated|last modified|modified|date|first published|"
    r"publié|publicado|veröffentlicht|pubblicato|опубликовано)(?:\s+(?:on|le|el|am|il))?\s*:?\s*",
    re.IGNORECASE,
)


def parse_dateline(line: Paragraph) -> Dateline | None:
    """'Global Research, January 07, 2020', 'South Front 6 January 2020', 'Published: …'."""
    if not _YEAR.search(line.text[:MAX_HEADER_LINE]):
        return None  # every date form we read has a four-digit year
    view = _view(line)
    if view is None:
        return None
    text = view.text
    dates = find_dates(text)
    if not dates:
        return None
    d = dates[0]
    date = Found(d.iso, *view.span_to_original(d.start, d.end), "date")
    lab = _LABELLED.match(text)
    # "Published: Tuesday, November 19, 2019": a weekday may sit between label and date.
    if lab and lab.end() <= d.start + 1 and not _WEEKDAY.sub("", text[lab.end() : d.start]).strip(" ,:-"):
        label = lab.group("label").lower()
        kind = "updated" if "updat" in label or "modif" in label else "published"
        return Dateline(None, date, kind)
    before = text[: d.start].strip(" ,|–—-·•")
    after = text[d.end :].strip(" ,|–—-·•.")
    if after and not re.fullmatch(r"(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*\w{0,5})", after, re.IGNORECASE):
        # "Jane Doe | January 5, 2021 | Reuters"? Too ambiguous for a dateline.
        if not (not before and looks_like_name(after)):
            return None
        a = text.index(after, d.end)
        return Dateline(_found(view, a, a + len(after), "dateline"), date, "dateline")
    if not before:
        return Dateline(None, date, "dateline")
    if BYLINE.match(before):
        # "By Ana Ruiz | March 3, 2021": the byline's date, not a site's dateline.
        return Dateline(None, date, "published")
    # A weekday before the date ("Monday, 6 January 2020") is not a name.
    if _WEEKDAY.fullmatch(before):
        return Dateline(None, date, "dateline")
    if not looks_like_name(before, max_tokens=8):
        return None
    a = text.index(before)
    return Dateline(_found(view, a, a + len(before), "dateline"), date, "dateline")


# --- tag lines ---------------------------------------------------------------------------
TAG_LABELS: Final[dict[str, TagKind]] = {
    "region": "region",
    "regions": "region",
    "country": "region",
    "countries": "region",
    "location": "region",
    "theme": "theme",
    "themes": "theme",
    "topic": "theme",
    "in-depth report": "report",
    "in-depth reports": "report",
    "report": "report",
    "dossier": "report",
    "special report": "report",
    "series": "report",
    "section": "section",
    "sections": "section",
    "category": "section",
    "categories": "section",
    "filed under": "section",
    "posted in": "section",
    "rubric": "section",
    "tags": "keyword",
    "tag": "keyword",
    "tagged": "keyword",
    "tagged with": "keyword",
    "keywords": "keyword",
    "keyword": "keyword",
    "topics": "keyword",
    "subjects": "keyword",
    "schlagwörter": "keyword",
    "étiquettes": "keyword",
    "etiquetas": "keyword",
    "темы": "keyword",
}
_TAG_LINE = re.compile(
    r"^\s*(?P<label>"
    + "|".join(sorted(map(re.escape, TAG_LABELS), key=len, reverse=True))
    + r")\s*:\s*(?P<values>\S.*)$",
    re.IGNORECASE,
)


def parse_tag_line(line: Paragraph) -> list[tuple[TagKind, Found]]:
    """'Region: [Middle East & North Africa](#)' -> [('region', 'Middle East & North Africa')]."""
    if ":" not in line.text[:80]:
        return []
    view = _view(line)
    if view is None:
        return []
    m = _TAG_LINE.match(view.text)
    if not m:
        return []
    kind = TAG_LABELS[m.group("label").lower()]
    method = f"tag-line:{m.group('label').lower()}"
    values_start = m.start("values")
    out: list[tuple[TagKind, Found]] = []
    # When the values are links, each anchor is one tag (anchors may hold commas).
    anchors = [lk for lk in view.links if lk.text and lk.end > view.to_original(values_start)]
    if anchors:
        for lk in anchors:
            inner_start = bisect_left(view.offsets, lk.start)
            inner_end = bisect_left(view.offsets, lk.end)
            out.append((kind, _found(view, inner_start, inner_end, method)))
        return [(k, f) for k, f in out if f.value]
    pos = values_start
    for piece in [*re.finditer(r"\s*[,;|•·]\s*", view.text[values_start:]), None]:
        stop = values_start + piece.start() if piece else len(view.text)
        if view.text[pos:stop].strip():
            found = _found(view, pos, stop, method)
            if found.value and len(found.value) <= 80:
                out.append((kind, found))
        if piece:
            pos = values_start + piece.end()
    return out


# --- title -------------------------------------------------------------------------------
def heading_score(line: Paragraph) -> float:
    """How much a paragraph looks like a title: one line, short, no final full stop."""
    raw = line.text.strip()
    if "\n" in raw or not 3 <= len(raw) <= 250:
        return 0.0
    view = clean(raw)
    text = view.text.strip()
    words = text.split()
    if not words or not any(ch.isalpha() for ch in text) or text.endswith((".", ",", ":", ";")):
        return 0.0
    if view.links and sum(len(lk.text) for lk in view.links) >= 0.8 * len(text):
        return 0.0  # a link, not a heading
    score = 1.0
    if raw.startswith("#"):
        score += 2.0
    if 3 <= len(words) <= 25:
        score += 1.0
    if text.isupper() and len(words) < 4:
        score -= 0.5  # site banners are short shouted names
    return score


def title_found(line: Paragraph) -> Found:
    view = clean(line.text, line.start)
    return _found(view, 0, len(view.text), "heading")


# --- copyright holder --------------------------------------------------------------------
_COPYRIGHT = re.compile(
    r"(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s*,?\s*)?"
    r"(?P<x>[^\W\d_][^,.;|©\n]{1,60}?)\s*(?:,|\.|;|\||\ball rights\b|\btous droits\b|(?:19|20)\d{2}|$)",
    re.IGNORECASE,
)


def copyright_holder(line: Paragraph) -> Found | None:
    """'© 2022 Harbour Notes. All rights reserved.' -> 'Harbour Notes'."""
    view = _view(line)
    if view is None:
        return None
    m = _COPYRIGHT.search(view.text)
    if not m or not looks_like_name(m.group("x").strip(), max_tokens=8):
        return None
    return _found(view, m.start("x"), m.end("x"), "copyright-holder")
