"""Timeline stage: every date the article body asserts, normalised, tied to its event, sorted.

Data flow: anatomy → entities → **timeline**. Fills `Document.timeline` with
`TimelineEvent(start, end, text, date, end_date, event, entities)`: `text` is the date
expression as written, `date`/`end_date` are ISO (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `end_date`
only for intervals such as "September 22, 1980 – August 20, 1988"), `event` is the sentence the
date sits in and `entities` the entities mentioned there.

How: deterministic patterns (month-day-year in both orders, month-year, ISO and numeric dates,
years, year ranges, "from … to …"/"between … and …" intervals) rather than spaCy's DATE label,
which also tags durations ("three days of mourning" is not a date). Relative expressions
("yesterday", "last year", "two years ago", "on Tuesday", "March 3" without a year) are
resolved against `doc.metadata.published` and dropped when the document has no date.
A bare number is a year only when spaCy does not read it as a count ("2000 soldiers").

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="Born in 1957, he died in March 2019.")
>>> [(t.text, t.date) for t in extract_timeline(doc)]
[('1957', '1957'), ('March 2019', '2019-03')]
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from presslens.analyze.entities import entities_of
from presslens.analyze.nlp import is_english, parse
from presslens.document import Document, TimelineEvent
from presslens.pipeline import register_stage

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
}

MONTH = r"(?P<{n}>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?)"  # noqa: E501
DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<{n}>1[6-9]\d\d|20\d\d)"


def _single(i: int) -> str:
    """One absolute date expression with group names suffixed by `i`."""
    m, d, y = (f"m{i}", f"d{i}", f"y{i}")
    mdy = MONTH.format(n=m + "a") + r"\s+" + DAY.format(n=d + "a") + r",?\s+" + YEAR.format(n=y + "a")
    dmy = (
        DAY.format(n=d + "b") + r"\s+(?:of\s+)?" + MONTH.format(n=m + "b") + r",?\s+" + YEAR.format(n=y + "b")
    )
    my = MONTH.format(n=m + "c") + r",?\s+(?:of\s+)?" + YEAR.format(n=y + "c")
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
    + MONTH.format(n="ma")
    + r"\s+"
    + DAY.format(n="da")
    + r"|"
    + DAY.format(n="db")
    + r"\s+(?:of\s+)?"
    + MONTH.format(n="mb")
    + r")(?![\w,]*\s*,?\s*\d{3})(?![\w])",
)
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|today|tomorrow|(?:last|this|next|past)\s+(?:year|month)|"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\s+"
    r"(?P<unit>years?|months?|days?)\s+ago|(?:(?:last|on|this|next)\s+)(?P<wd>Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b",
    re.IGNORECASE,
)
# spaCy entity labels under which a 4-digit number is a count, not a year.
_COUNT_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
_YEAR_UNITS = re.compile(
    r"\s*(?:%|percent|per\s|people|persons|troops|soldiers|men|women|km|miles|metres|meters|feet|dollars|euros|"
    r"pounds|tons|tonnes|units|votes|cases|deaths|members|words|times)\b",
    re.IGNORECASE,
)


@dataclass
class _Hit:
    start: int
    end: int
    date: str
    end_date: str | None = None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


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
            mon = int(month) if month.isdigit() else _MONTHS[month.rstrip(".").lower()]
        return _iso(int(y), mon, int(day) if day else None), form
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
        for m in _RELATIVE.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            value = _resolve(m, published)
            if value:
                s = m.start()
                if m.group().lower().startswith("on "):
                    s += 3
                hits.append(_Hit(s, m.end(), value))
                taken.append((s, m.end()))
        for m in _MONTH_DAY.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            month = _MONTHS[(m.group("ma") or m.group("mb")).rstrip(".").lower()]
            day = int(m.group("da") or m.group("db"))
            year = published.year
            if month - published.month > 6:
                year -= 1  # "December 28" in a January article is last December
            value = _iso(year, month, day)
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


def _resolve(m: re.Match[str], published: date) -> str | None:
    rel = m.group("rel").lower()
    if rel == "today":
        return published.isoformat()
    if rel == "yesterday":
        return (published - timedelta(days=1)).isoformat()
    if rel == "tomorrow":
        return (published + timedelta(days=1)).isoformat()
    if m.group("wd"):
        target = _WEEKDAYS[m.group("wd").lower()]
        back = (published.weekday() - target) % 7
        if rel.startswith("next"):
            return (published + timedelta(days=(target - published.weekday()) % 7 or 7)).isoformat()
        if rel.startswith("last") and back == 0:
            back = 7
        return (published - timedelta(days=back)).isoformat()
    if m.group("unit"):
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMBERS[m.group("n").lower()]
        unit = m.group("unit").lower().rstrip("s")
        if unit == "year":
            return f"{published.year - n:04d}"
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}"
        return (published - timedelta(days=n)).isoformat()
    which, unit = rel.split()
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        return f"{published.year + shift:04d}"
    y, mo = divmod(published.year * 12 + published.month - 1 + shift, 12)
    return f"{y:04d}-{mo + 1:02d}"


def extract_timeline(doc: Document) -> list[TimelineEvent]:
    """Dated events of `doc`'s body, sorted by date then position. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.body_range
    text = doc.text
    if not re.search(r"\d|yesterday|today|tomorrow|day\b", text[start:end], re.I):
        return []
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


@register_stage("timeline")
class TimelineStage:
    """Pipeline stage: fills `doc.timeline` (see the module docstring)."""

    name = "timeline"

    def __call__(self, doc: Document) -> Document:
        doc.timeline = extract_timeline(doc)
        return doc
