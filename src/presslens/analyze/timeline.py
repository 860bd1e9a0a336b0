"""Timeline stage: every date the article body asserts, normalised, tied to its event, sorted.

Data flow: anatomy → entities → **timeline**. Fills `Document.timeline` with
`TimelineEvent(start, end, text, date, end_date, event, entities)`: `text` is the date
expression as written, `date`/`end_date` are ISO (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `end_date`
only for intervals such as "September 22, 1980 – August 20, 1988"), `event` is the sentence the
date sits in and `entities` the entities mentioned there.

How: deterministic patterns (month-day-year in both orders, month-year, ISO and numeric dates,
years, year ranges, "from … to …"/"between … and …" intervals) rather than spaCy's DATE label,
which also tags durations ("three days of mourning" is not a date); month names and the
relative expressions come from `presslens.lexicon.dates`. Relative expressions ("yesterday",
"last year", "two years ago", "on Tuesday") are resolved by dateparser against
`doc.metadata.published`, "March 3" without a year by the nearest March 3 before it; both are
dropped when the document has no date.
A bare number is a year only when spaCy does not read it as a count ("2000 soldiers").

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="Born in 1957, he died in March 2019.")
>>> [(t.text, t.date) for t in extract_timeline(doc)]
[('1957', '1957'), ('March 2019', '2019-03')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dateparser.date import DateDataParser

from presslens.analyze.entities import entities_of
from presslens.analyze.nlp import is_english, parse
from presslens.document import Document, TimelineEvent
from presslens.lexicon.dates import MONTH, RELATIVE_DATE, iso_date, month_number
from presslens.pipeline import register_stage

DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<{n}>1[6-9]\d\d|20\d\d)"


def _month(name: str) -> str:
    return f"(?P<{name}>{MONTH})"


def _single(i: int) -> str:
    """One absolute date expression with group names suffixed by `i`."""
    m, d, y = (f"m{i}", f"d{i}", f"y{i}")
    mdy = _month(m + "a") + r"\s+" + DAY.format(n=d + "a") + r",?\s+" + YEAR.format(n=y + "a")
    dmy = DAY.format(n=d + "b") + r"\s+(?:of\s+)?" + _month(m + "b") + r",?\s+" + YEAR.format(n=y + "b")
    my = _month(m + "c") + r",?\s+(?:of\s+)?" + YEAR.format(n=y + "c")
    iso = YEAR.format(n=y + "d") + r"-(?P<" + m + r"d>[01]\d)-(?P<" + d + r"d>[0-3]\d)"
    num = r"(?P<" + m + r"e>[01]?\d)/(?P<" + d + r"e>[0-3]?\d)/" + YEAR.format(n=y + "e")
    year = YEAR.format(n=y + "f")
    return f"(?:{mdy}|{dmy}|{iso}|{num}|{my}|{year})"


_DASH = r"\s*(?:–|—|-|to|until|till|through|thru)\s*"
_ABS = re.compile(
    r"(?<![\w$£€#©.,/])(?<!\d-)(?:(?P<from>from|between)\s+)?"
    + _single(1)
    + r"(?:(?P<sep>"
    + _DASH
    + r"|\s+and\s+)"
    + _single(2)
    + r")?(?![\w%/]|[.,]\d)",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(r"(?<![\w$£€#.,/-])(?P<y1>1[6-9]\d\d|20\d\d)\s*[–—-]\s*(?P<y2>\d\d)(?![\w%/-])")
_MONTH_DAY = re.compile(
    r"(?<![\w-])(?:"
    + _month("ma")
    + r"\s+"
    + DAY.format(n="da")
    + r"|"
    + DAY.format(n="db")
    + r"\s+(?:of\s+)?"
    + _month("mb")
    + r")(?![\w,]*\s*,?\s*\d{3})(?![\w])",
)
# spaCy entity labels under which a 4-digit number is a count, not a year.
_COUNT_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
_YEAR_UNITS = re.compile(
    r"\s*(?:%|percent|per\s|people|persons|troops|soldiers|men|women|km|miles|metres|meters|feet|dollars|euros|"
    r"pounds|tons|tonnes|units|votes|cases|deaths|members|words|times)\b",
    re.IGNORECASE,
)

# "the 1930's", "the early 1990's": a decade (the apostrophe form; "1930s" never matches a year).
# Only after "the"/"early"/"mid"/"late", so the possessive "2020's budget" stays a year.
_DECADE = re.compile(r"(?<=0)['’]s\b")
_DECADE_BEFORE = re.compile(r"\b(?:the|early|mid|late)[\s-]+$", re.IGNORECASE)


@dataclass
class _Hit:
    start: int
    end: int
    date: str
    end_date: str | None = None


def _from_groups(m: re.Match[str], i: int) -> tuple[str | None, str]:
    """The ISO value of single date `i` in a match and which form it had."""
    g = m.groupdict()
    for form in "abcdef":
        y = g.get(f"y{i}{form}")
        if not y:
            continue
        month = g.get(f"m{i}{form}")
        day = g.get(f"d{i}{form}")
        mon = None
        if month:
            mon = int(month) if month.isdigit() else month_number(month)
        return iso_date(int(y), mon, int(day) if day else None), form
    return None, ""


def _published(doc: Document) -> date | None:
    value = doc.metadata.published
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _find_dates(text: str, start: int, end: int, published: date | None, counts: set[int]) -> list[_Hit]:
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    pos = start
    while True:
        m = _ABS.search(text, pos, end)
        if m is None:
            break
        d1, form1 = _from_groups(m, 1)
        d2, _form2 = _from_groups(m, 2)
        first_s, first_e = _first_group_start(m), _end_of_first(m)
        pos = m.end()
        sep = (m.group("sep") or "").strip().lower()
        if d2 is not None and (d1 is None or d2 < d1):
            d2 = None
        if d2 is not None and sep == "and" and not m.group("from"):
            d2 = None  # "in 2014 and 2015": two dates, not an interval
        if d2 is None:
            pos = first_e  # the second date, if any, is read on its own
        if d1 is None:
            continue
        if d2 is None:
            if form1 == "f" and (first_s in counts or _YEAR_UNITS.match(text, first_e)):
                continue  # "2000 soldiers": a count
            if (
                form1 == "f"
                and _DECADE.match(text, first_e)
                and _DECADE_BEFORE.search(text, max(0, first_s - 12), first_s)
            ):
                continue  # "the 1930's": a decade, not the year 1930
            hits.append(_Hit(first_s, first_e, d1))
        else:
            hits.append(_Hit(m.start("from") if m.group("from") else first_s, m.end(), d1, d2))
        taken.append((hits[-1].start, hits[-1].end))
    # "1980-88": the second year written short.
    for m in _YEAR_RANGE.finditer(text, start, end):
        y1 = int(m.group("y1"))
        y2 = y1 // 100 * 100 + int(m.group("y2"))
        if y2 > y1:
            for h in hits:
                if h.start == m.start() and h.end_date is None:
                    h.end, h.end_date = m.end(), f"{y2:04d}"
    if published is not None:
        for m in RELATIVE_DATE.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            value = _resolve(m.group(), published)
            if value:
                s = m.start()
                if m.group().lower().startswith("on "):
                    s += 3
                hits.append(_Hit(s, m.end(), value))
                taken.append((s, m.end()))
        for m in _MONTH_DAY.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            month = month_number(m.group("ma") or m.group("mb")) or 0
            day = int(m.group("da") or m.group("db"))
            year = published.year
            if month - published.month > 6:
                year -= 1  # "December 28" in a January article is last December
            value = iso_date(year, month, day)
            if value:
                hits.append(_Hit(m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return hits


def _first_group_start(m: re.Match[str]) -> int:
    for name in ("m1a", "d1b", "m1c", "y1d", "m1e", "y1f"):
        if m.group(name):
            return m.start(name)
    return m.start()


def _end_of_first(m: re.Match[str]) -> int:
    for name in ("y1a", "y1b", "y1c", "d1d", "y1e", "y1f"):
        if m.group(name):
            return m.end(name)
    return m.end()


def _resolve(expression: str, published: date) -> str | None:
    """A relative date as seen from the document's date, as precise as it says: "two years ago"
    is a year, "last month" a month, "yesterday" a day. dateparser reads it; "on Tuesday" and
    "this Tuesday" are the last Tuesday before the document (dateparser's reading of "Tuesday")."""
    text = re.sub(r"^(?:on|this)\s+(?=[a-z]+day$)", "", expression.lower())
    text = re.sub(r"^past\s+", "last ", text)
    settings: Any = {"RELATIVE_BASE": datetime.combine(published, time()), "PREFER_DATES_FROM": "past"}
    found = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if found.date_obj is None:
        return None
    day = found.date_obj.date()
    if found.period == "year":
        return iso_date(day.year)
    if found.period == "month":
        return iso_date(day.year, day.month)
    return day.isoformat()


def extract_timeline(doc: Document) -> list[TimelineEvent]:
    """Dated events of `doc`'s body, sorted by date then position. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.analysis_range()
    text = doc.text
    if not re.search(r"\d", text[start:end]) and not RELATIVE_DATE.search(text, start, end):
        return []  # no number and no relative date: nothing to parse the body for
    parsed = parse(doc)
    off = parsed.offset
    sdoc = parsed.doc
    counts = {t.idx + off for t in sdoc if t.ent_type_ in _COUNT_LABELS and t.like_num}
    # "2000 soldiers" (a count) but "the 2016 elections" (a year): a plural noun after the
    # number makes it a count unless a determiner comes before it.
    counts |= {
        t.idx + off
        for t in sdoc[:-1]
        if t.like_num
        and sdoc[t.i + 1].tag_ == "NNS"
        and (t.i == 0 or sdoc[t.i - 1].tag_ not in {"DT", "PRP$", "POS"})
    }
    hits = _find_dates(text, start, end, _published(doc), counts)
    if not hits:
        return []
    sents = [(s.start_char + off, s.end_char + off) for s in parsed.doc.sents]
    entities = entities_of(doc)
    events: list[TimelineEvent] = []
    for h in hits:
        ss, se = next(((a, b) for a, b in sents if a <= h.start < b), (h.start, h.end))
        involved: list[str] = []
        for ent in entities:
            if any(ss <= m.start < se for m in ent.mentions) and ent.name not in involved:
                involved.append(ent.name)
        events.append(
            TimelineEvent(
                start=h.start,
                end=h.end,
                text=text[h.start : h.end],
                date=h.date,
                end_date=h.end_date,
                event=text[ss:se].strip(),
                entities=involved,
            )
        )
    events.sort(key=lambda t: (t.date, t.end_date or "", t.start))
    return events


@register_stage("timeline", requires=("user_data.spacy", "entities"), assigns=("timeline",))
class TimelineStage:
    """Pipeline stage: fills `doc.timeline` (see the module docstring)."""

    name = "timeline"

    def __call__(self, doc: Document) -> Document:
        doc.timeline = extract_timeline(doc)
        return doc
