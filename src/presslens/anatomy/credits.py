"""Credits that tell where an article came from: the republication chain.

Phrasings, not sites: "The original source of this article is X", "This article was originally
published on X", "Originally published by X on <date>", "Republished from X", "Source: X",
wire datelines "MOSCOW (Reuters) -", and "according to X" when X is a news outlet (an
"according to the minister" is a quote, not a credit). Each credit keeps its span and, when
the line gives one, its own date. Data flow: `anatomy.facts` merges these with the header's
credit lines ("X 6 January 2020") into `Metadata.original_source` / `republication_chain`.

>>> from presslens.anatomy.paragraphs import Paragraph
>>> c = find_credits(Paragraph(0, 54, "The original source of this article is [South Front](#)"))[0]
>>> (c.name, c.relation)
('South Front', 'original')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from presslens.anatomy.funding import url_channel
from presslens.anatomy.header import looks_like_name
from presslens.anatomy.markup import URL_RE, clean
from presslens.anatomy.paragraphs import Paragraph
from presslens.anatomy.scan import literal_pattern
from presslens.lexicon.dates import MONTH, WEEKDAY, find_dates
from presslens.lexicon.quotes import ALL_MARKS

Relation = Literal["original", "source", "according_to", "via"]


@dataclass(frozen=True)
class Credit:
    name: str
    relation: Relation
    start: int
    end: int
    url: str | None = None
    published: str | None = None
    method: str = ""


_X = r"(?P<x>.+?)"
_END = r"(?=\s*(?:[.;]\s|[.;]?$|,\s|\s+on\s|\s+\(|\s+[|–—]\s|\s+under\s|\s+with\s))"
_PATTERNS: Final[list[tuple[re.Pattern[str], Relation, str]]] = [
    (
        re.compile(
            r"\bthe original source of this (?:article|post|story|piece) is\s*:?\s*" + _X + _END, re.I
        ),
        "original",
        "original-source-line",
    ),
    (
        re.compile(
            r"\b(?:this|the) (?:article|post|story|piece|essay|report|interview) (?:was|is|has been) "
            r"(?:originally |first )?(?:published|posted|appeared|written)(?: originally| first)? "
            r"(?:on|in|by|at|for)\s+" + _X + _END,
            re.I,
        ),
        "original",
        "originally-published",
    ),
    (
        re.compile(
            r"^(?:originally|first) (?:published|posted|appeared)(?: (?:on|in|by|at|for))?\s*:?\s*"
            + _X
            + _END,
            re.I,
        ),
        "original",
        "originally-published",
    ),
    (
        re.compile(
            r"^(?:republished|reprinted|cross-?posted|reposted|syndicated|adapted) (?:from|with pe"
            r"rmission (?:from|of))\s*:?\s*" + _X + _END,
            re.I,
        ),
        "original",
        "republished-from",
    ),
    (
        re.compile(r"^(?:source|sources|quelle|fuente|fonte|источник)\s*:\s*" + _X + _END, re.I),
        "source",
        "source-line",
    ),
    (re.compile(r"^via\s*:?\s*" + _X + _END, re.I), "via", "via-line"),
]

_NOT_A_NAME = re.compile(rf"(?:{WEEKDAY}|{MONTH}|today|yesterday|online|here|below|above)", re.IGNORECASE)
# Every credit pattern holds one of these; lines without any are not read further.
_STEMS: Final = (
    "original",
    "first",
    "source",
    "publish",
    "posted",
    "appeared",
    "written",
    "reprint",
    "cross",
    "repost",
    "syndicat",
    "adapted",
    "via",
    "quelle",
    "fuente",
    "fonte",
    "источник",
)
_STEM_RE: Final = re.compile(literal_pattern(_STEMS))  # one scan, not one per stem
# Words that make a name an outlet rather than a person, for "according to X".
_OUTLET = re.compile(
    r"\b(?:news|times|post|press|herald|tribune|journal|gazette|daily|weekly|telegraph|guardian|observer|"
    r"agency|reuters|afp|ap|tass|ria|xinhua|bloomberg|bbc|cnn|nbc|cbs|abc|fox|sky|al jazeera|rt|sputnik|"
    r"tv|radio|media|magazine|network|monitor|report|review|wire|chronicle|express|mail|independent|"
    r"financial|economist|politico|axios|vox|insider|intercept)\b|\.(?:com|org|net|ru|ca|co\.uk|info)\b",
    re.I,
)
_ACCORDING = re.compile(
    r"\baccording to (?:a (?:report|story|article) (?:by|in|from) |reports? (?:by|in|from) )?(?:the )?"
    r"(?P<x>(?:[A-Z][\w.&'’-]*|al|of|the|de)(?:\s+(?:[A-Z][\w.&'’-]*|al|of|the|de)){0,5})"
)
_WIRE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}\s*\((?P<x>[A-Z][\w .&-]{1,30})\)\s*[-–—]", re.M)


def _credit(
    line: Paragraph, view_text: str, span: tuple[int, int], relation: Relation, method: str, url: str | None
) -> Credit | None:
    name = view_text.strip(" \t*:,." + ALL_MARKS)
    if not name or len(name) > 120:
        return None
    dates = find_dates(view_text)
    published = dates[0].iso if dates else None
    if URL_RE.fullmatch(name):
        url = url or name
        name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name).split("/")[0]
    return Credit(name, relation, span[0], span[1], url, published, method)


def find_credits(line: Paragraph) -> list[Credit]:
    """Credits stated by one line (or short paragraph) of the page."""
    if len(line.text) > 600:
        return []
    low = line.text.lower()
    if not _STEM_RE.search(low):
        return []
    view = clean(line.text, line.start)
    out: list[Credit] = []
    for pattern, relation, method in _PATTERNS:
        for m in pattern.finditer(view.text):
            a, b = m.span("x")
            name_text = view.text[a:b]
            # A date written after the name is the credit's own date, not part of its name.
            tail = view.text[b : b + 60]
            dates = find_dates(name_text) or find_dates(tail)
            d = find_dates(name_text)
            if d:
                b = a + d[0].start
                name_text = view.text[a:b].rstrip(" ,")
            start, end = view.span_to_original(a, a + len(name_text.rstrip(" ,")))
            url = next(
                (lk.url for lk in view.links if lk.start <= start < lk.end and lk.url not in ("#", "")), None
            )
            credit = _credit(line, name_text, (start, end), relation, method, url)
            if credit is None or not (looks_like_name(credit.name, max_tokens=8) or credit.url):
                continue
            if _NOT_A_NAME.fullmatch(credit.name):
                continue  # "First published: Tuesday, …" names a day, not an outlet
            if credit.url and url_channel(credit.url):
                continue  # "via: patreon.com/x" in a donation box is a payment route, not a credit
            if dates and credit.published is None:
                credit = Credit(
                    credit.name,
                    credit.relation,
                    credit.start,
                    credit.end,
                    credit.url,
                    dates[0].iso,
                    credit.method,
                )
            out.append(credit)
    return out


def find_according_to(text: str, base: int = 0) -> list[Credit]:
    """'according to Reuters' / 'according to the Tehran Times': outlets only."""
    out: list[Credit] = []
    for m in _ACCORDING.finditer(text):
        # "the Financial Times. According…": a sentence end closes the name.
        name = re.split(r"[.!?]\s", m.group("x"))[0].rstrip(".,'’")
        while name.split() and name.split()[-1].lower() in {"of", "the", "al", "de"}:
            name = name.rsplit(" ", 1)[0] if " " in name else ""
        if name and _OUTLET.search(name):
            out.append(
                Credit(
                    name,
                    "according_to",
                    base + m.start("x"),
                    base + m.start("x") + len(name),
                    method="according-to",
                )
            )
    return out


def find_wire_credit(text: str, base: int = 0) -> list[Credit]:
    """'MOSCOW (Reuters) -' wire datelines at the start of a paragraph."""
    return [
        Credit(
            m.group("x").strip(),
            "source",
            base + m.start("x"),
            base + m.start("x") + len(m.group("x").strip()),
            method="wire-dateline",
        )
        for m in _WIRE.finditer(text[:2000])
    ]
