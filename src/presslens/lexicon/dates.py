"""Dates as the languages presslens reads write them: names, patterns, one way to ISO.

Data flow: language data, no stage. Anatomy reads datelines, credit lines and HTML metadata
values with `find_dates`/`to_iso`; `analyze.timeline` builds its date grammar on `MONTH`,
`month_number` and `iso_date`, and finds relative dates with `RELATIVE_DATE`. English forms are
matched by pattern and checked by dateutil (no "February 30"); other languages go to
dateparser, imported lazily because it is slow to load, and only when a word starts like a
month name in `MONTH_STEMS` (so "12 comments 2020" never wakes it) and is a word its
dictionaries have (`DATEPARSER_WORDS`: Indonesian "Maret 30, 2015" does not wake it either).

>>> [d.iso for d in find_dates("Global Research, January 07, 2020")]
['2020-01-07']
>>> to_iso("6 January 2020"), to_iso("2020-01-07T10:00:00Z"), to_iso("07.01.2020")
('2020-01-06', '2020-01-07', '2020-01-07')
>>> iso_date(2019, 2), iso_date(2019, 2, 30)
('2019-02', None)
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from dateutil import parser as du_parser

# English month names and abbreviations; the timeline and every pattern below use these.
MONTHS: Final[dict[str, int]] = {
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
# The one month pattern: "January", "Jan", "Jan.", "Sept". Capitalised so that case-sensitive
# callers ("may" the verb is no month) can use it as is; compile with IGNORECASE for the rest.
MONTH: Final = "(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
WEEKDAYS: Final[tuple[str, ...]] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
WEEKDAY: Final = "|".join(WEEKDAYS) + "|(?:" + "|".join(d[:3] for d in WEEKDAYS) + r")\.?"

# How month names start in the languages crawls meet most: enough to tell a date from
# "12 comments 2020" before dateparser (slow to load) is asked.
MONTH_STEMS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    "fr": (
        *("janv", "févr", "fevr", "mars", "avr", "mai", "juin", "juil", "août", "aout"),
        *("sept", "oct", "nov", "déc", "dec"),
    ),
    "de": ("jan", "feb", "mär", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "set", "oct", "nov", "dic"),
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "pt": ("jan", "mar", "abr", "maio", "junh", "julh", "ago", "set", "outu", "nov", "deze"),
    "nl": ("jan", "feb", "maa", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "ru": ("янв", "фев", "мар", "апр", "май", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "pl": ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "paz", "lis", "gru"),
    "tr": ("oca", "şub", "sub", "mar", "nis", "may", "haz", "tem", "ağu", "agu", "eyl", "eki", "kas", "ara"),
}
# Month names of those languages as dateparser's own locale data spells them (lower case, one
# "|"-separated group per month, January first): a date whose month word is listed here in
# exactly one sense is read without dateparser, whose first use in a process compiles each
# locale's patterns (about 0.1 s per language). The rest still goes to dateparser.
MONTH_NAMES: Final[dict[str, str]] = {
    "en": (
        "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august|sep sept "
        "september|oct october|nov november|dec december"
    ),
    "fr": (
        "jan janv janvier|fév févr février|mars|avr avril|mai|juin jun|juil juillet jul|aoû "
        "août|sep sept septembre|oct octobre|nov novembre|déc décembre"
    ),
    "de": (
        "jan januar jänner|feb feber februar|mrz mär märz|apr april|mai|jun juni|jul juli|aug "
        "august|sep sept september|okt oktober|nov november|dez dezember"
    ),
    "es": (
        "ene enero|feb febrero|mar marzo|abr abril|may mayo|jun junio|jul julio|ago agosto|sep sept"
        " septiembre set setiembre|oct octubre|nov noviembre|dic diciembre"
    ),
    "it": (
        "gen gennaio|feb febbraio|mar marzo|apr aprile|mag maggio|giu giugno|lug luglio|ago "
        "agosto|set settembre|ott ottobre|nov novembre|dic dicembre"
    ),
    "pt": (
        "jan janeiro|fev fevereiro|mar março|abr abril|mai maio|jun junho|jul julho|ago "
        "agosto|septembro set setembro|out outubro|nov novembro|dez dezembro"
    ),
    "nl": (
        "jan januari|feb februari|maart mrt|apr april|mei|jun juni|jul juli|aug augustus|sep "
        "september|okt oktober|nov november|dec december"
    ),
    "ru": (
        "янв январь января|фев февр февраль февраля|мар март марта|апр апрель апреля|май мая|июн "
        "июнь июня|июл июль июля|авг август августа|сен сент сентябрь сентября|окт октябрь "
        "октября|ноя нояб ноябрь ноября|дек декабрь декабря"
    ),
    "pl": (
        "sty styczen styczeń stycznia styczniu|lut lutego luty lutym|mar marca marcu marzec|kwi "
        "kwie kwiecien kwiecień kwietnia kwietniu|maj maja maju|cze czerwca czerwcu czerwiec|lip "
        "lipca lipcu lipiec|sie sierpien sierpień sierpnia sierpniu|wrz wrzesien wrzesień wrzesnia "
        "wrzesniu września wrześniu|paz pazdziernik pazdziernika pazdzierniku paź październik "
        "października październiku|lis listopad listopada listopadzie|gru grudnia grudniu grudzien "
        "grudzień"
    ),
    "tr": (
        "oc oca ocak|şu şub şubat|mar mart|ni nis nisan|may mayıs|ha haz haziran|te tem temmuz|ağ "
        "ağu ağustos|ey eyl eylül|ek eki ekim|ka kas kasım|ar ara aralık"
    ),
}
_MONTH_WORDS: Final[dict[str, dict[str, int]]] = {
    lang: {word: n for n, group in enumerate(names.split("|"), 1) for word in group.split()}
    for lang, names in MONTH_NAMES.items()
}
# Every word that dateparser's dictionaries for `DATE_LANGUAGES` know and that starts like a
# month stem, as dateparser compares words: accents stripped, lower case (checked against
# dateparser by tests/anatomy/test_dates_guard.py). dateparser reads a date only when one
# language knows every word of it, so a month-like word missing here ("Maret", Indonesian
# March) is no date to it, and saying so without it spares loading it (~0.3 s per process).
_DATEPARSER_WORDS: Final = (
    "abr abril ago agora agosto agu agustos aout apr apres april aprile ara aralık aug august "
    "augustus avr avril cze czerwca czerwcu czerwiec dec decade decades december decembre dez deze "
    "dezember dezembro dic dicembre diciembre eki ekim ene enero eyl eylul feb febbraio feber febrero "
    "februar februari february fevr fevrier gen gennaio giu giugno gru grudnia grudniu grudzien haz "
    "haziran jan janeiro janner januar januari january janv janvier juil juillet juin jul julho juli "
    "julio july jun june junho juni junio kas kasım kwi kwie kwiecien kwietnia kwietniu lip lipca "
    "lipcu lipiec lis listopad listopada listopadzie lug luglio lut lutego luty lutym maand maandag "
    "maanden maart mag maggio mai maintenant maio maj maja maju mar marca march marco marcu mardi "
    "mars mart martedi martes marz marzec marzo may mayo mayıs mei nis nisan nov november novembre "
    "novembro noviembre oca ocak oct october octobre octubre okt oktober ott ottobre outubro paz "
    "pazar pazartesi pazdziernik pazdziernika pazdzierniku sep sept september septembre septembro "
    "septiembre set setembro setiembre sett settembre settimana settimane sie sierpien sierpnia "
    "sierpniu sty styczen stycznia styczniu sub subat tem temmuz temu wrz wrzesien wrzesnia wrzesniu "
    "авг август августа апр апрель апреля дек декабрь декабря июл июль июля июн июнь июня маи мар "
    "март марта мая ноя нояб ноябрь ноября окт октябрь октября сен сент сентябрь сентября фев февр "
    "февраль февраля янв январь января"
)
DATEPARSER_WORDS: Final = frozenset(_DATEPARSER_WORDS.split())
# Naming the languages keeps dateparser from trying every one of its ~200 locales (about 2 s
# of regex compilation per process).
DATE_LANGUAGES: Final[list[str]] = list(MONTH_STEMS)

_ORD = r"(?:st|nd|rd|th)?"
# English month-name dates, ISO dates and year/month/day with slashes: read with dateutil.
EN_DATE: Final = re.compile(
    rf"\b(?:{MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"  # January 07, 2020
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{MONTH},?\s+\d{{4}}"  # 6 January 2020
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"  # 2020-01-06
    r"|\d{4}/\d{1,2}/\d{1,2})\b",  # 2020/01/06
    re.IGNORECASE,
)
_STEMS = "|".join(sorted({s for stems in MONTH_STEMS.values() for s in stems}, key=len, reverse=True))
# Day, a month word in another language, year (or month, day, year): dateparser decides.
OTHER_DATE: Final = re.compile(
    rf"\b(?:\d{{1,2}}\.?\s+(?:de\s+)?(?:{_STEMS})[^\W\d_]{{0,9}}\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:{_STEMS})[^\W\d_]{{0,9}}\.?\s+\d{{1,2}},?\s+\d{{4}})\b",
    re.IGNORECASE,
)
# 07.01.2020: day first, as everywhere it is written so.
DOTTED_DATE: Final = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_LETTERS = re.compile(r"[^\W\d_]+")
_ISO_PREFIX = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBERS = "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
# Relative dates in English ("yesterday", "last year", "two years ago", "on Tuesday"): found
# by this pattern, resolved against the document's date by dateparser (`analyze.timeline`).
RELATIVE_DATE: Final = re.compile(
    r"\b(?:yesterday|today|tomorrow|(?:last|this|next|past)\s+(?:year|month)"
    rf"|(?:\d+|{_NUMBERS})\s+(?:years?|months?|days?)\s+ago"
    rf"|(?:last|on|this|next)\s+(?:{'|'.join(WEEKDAYS)}))\b",
    re.IGNORECASE,
)
# Years a publication date can plausibly have; "0001-01-01" is a CMS placeholder, not a date.
_YEARS: Final = range(1000, 3000)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str


def month_number(name: str) -> int | None:
    """'Jan.' -> 1, 'September' -> 9; None for a word that is no English month."""
    return MONTHS.get(name.rstrip(".").lower())


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` for a date given by its parts; None if it never was."""
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def to_iso(expression: str | None) -> str | None:
    """`YYYY-MM-DD` of one date expression (a dateline's date, a meta tag's value, a record
    field), or None when it names no real date.

    Tried in turn: an ISO timestamp, day.month.year, English month-name forms (dateutil),
    other languages' month names (dateparser), and last dateutil's fuzzy reading of a short
    value ("Tue, 11/19/2019 10:00"), month first as dateutil and US sites write it.
    """
    text = (expression or "").strip()
    if not text or len(text) > 200:
        return None
    m = _ISO_PREFIX.search(text)
    if m:
        return _checked(*(int(g) for g in m.groups()))
    m = DOTTED_DATE.search(text)
    if m:
        return _checked(int(m[3]), int(m[2]), int(m[1]))
    m = EN_DATE.search(text)
    if m:
        return _en_iso(m.group())
    m = OTHER_DATE.search(text)
    if m:
        return _dateparser_iso(m.group())
    return _dateutil_iso(text, fuzzy=True) if len(text) <= 80 and re.search(r"\d", text) else None


# The month-name shapes of `EN_DATE`, parts named: read directly, as dateutil reads them.
_EN_PARTS = re.compile(
    rf"(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}){_ORD},?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m2>{MONTH}),?\s+(?P<y2>\d{{4}})",
    re.IGNORECASE,
)


def _en_iso(expression: str) -> str | None:
    """An `EN_DATE` match as ISO: month-name forms from their parts (dateutil, ~50 µs a call,
    gives the same answer), the rest (2020/01/06) through dateutil."""
    m = _EN_PARTS.fullmatch(expression)
    if m is None:
        return _dateutil_iso(expression, fuzzy=False)
    month = month_number(m["m1"] or m["m2"])
    if month is None:  # not reachable: MONTH only matches listed names
        return _dateutil_iso(expression, fuzzy=False)
    return _checked(int(m["y1"] or m["y2"]), month, int(m["d1"] or m["d2"]))


def _checked(year: int, month: int, day: int) -> str | None:
    return iso_date(year, month, day) if year in _YEARS else None


def _dateutil_iso(text: str, *, fuzzy: bool) -> str | None:
    try:
        # Year 1 as the default: a value without a year falls outside `_YEARS`.
        dt = du_parser.parse(text, fuzzy=fuzzy, default=datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    return dt.date().isoformat() if dt.year in _YEARS else None


def _languages(expression: str) -> list[str]:
    """The languages whose month names the expression's words start like ("сентября": ru)."""
    words = [w.lower() for w in _LETTERS.findall(expression)]
    found = [lang for lang, stems in MONTH_STEMS.items() if any(w.startswith(stems) for w in words)]
    return found or DATE_LANGUAGES


# The two shapes `OTHER_DATE` matches, with the parts named: day, month word, year.
_OTHER_PARTS = re.compile(
    r"(?:(?P<d1>\d{1,2})\.?\s+(?:de\s+)?(?P<m1>[^\W\d_]+)\.?,?\s+(?:de\s+)?"
    r"|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2}),?\s+)(?P<y>\d{4})",
    re.IGNORECASE,
)


_DE_FILLER: Final = frozenset({"es", "pt"})  # "22 de outubro de 2010": dateparser skips "de"


def _listed_iso(expression: str) -> str | None:
    """The date of an `OTHER_DATE` expression whose month word `MONTH_NAMES` lists for the
    language dateparser would read it in, and whose day exists; None leaves it to dateparser."""
    m = _OTHER_PARTS.fullmatch(expression)
    if m is None:
        return None
    # dateparser reads the expression in the first of its languages that knows every word: a
    # month word of that language (and "de" only where it is a filler word) reads the same here.
    lang = _languages(expression)[0]
    if " de " in expression.lower() and lang not in _DE_FILLER:
        return None
    month = _MONTH_WORDS.get(lang, {}).get((m["m1"] or m["m2"]).lower())
    year = int(m["y"])
    return _checked(year, month, int(m["d1"] or m["d2"])) if month and year in _YEARS else None


def _fold(word: str) -> str:
    """A word as dateparser compares it: accents and other marks stripped, then lower case."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if unicodedata.category(c) != "Mn").lower()


_FOLDED_STEMS: Final = tuple({_fold(s) for stems in MONTH_STEMS.values() for s in stems})


def _dateparser_knows(expression: str) -> bool:
    """False when a month-like word of the expression is in no dictionary of `DATE_LANGUAGES`
    ("Maret 30, 2015"): dateparser would find no language for it and answer None."""
    for word in _LETTERS.findall(expression):
        folded = _fold(word)
        if folded.startswith(_FOLDED_STEMS) and folded not in DATEPARSER_WORDS:
            return False
    return True


@lru_cache(maxsize=1024)
def _dateparser_iso(expression: str) -> str | None:
    if not re.search(r"\d{4}", expression):
        return None
    if listed := _listed_iso(expression):
        return listed
    if not _dateparser_knows(expression):
        return None
    import dateparser

    settings: Any = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "DATE_ORDER": "DMY"}
    try:
        # Only the languages the month word can belong to: each locale dateparser loads costs
        # a regex compilation, and most pages need one or two.
        dt = dateparser.parse(expression, languages=_languages(expression), settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; treat as "no date"
        return None
    return dt.date().isoformat() if dt and dt.year in _YEARS else None


def find_dates(text: str) -> list[FoundDate]:
    """Every date expression in `text` (a line): English forms first, then day.month.year,
    then other languages, each with its span and ISO value."""
    out = [FoundDate(m.start(), m.end(), iso) for m in EN_DATE.finditer(text) if (iso := to_iso(m.group()))]
    if not out:
        out = [
            FoundDate(m.start(), m.end(), iso)
            for m in DOTTED_DATE.finditer(text)
            if (iso := _checked(int(m[3]), int(m[2]), int(m[1])))
        ]
    if not out:
        out = [
            FoundDate(m.start(), m.end(), iso)
            for m in OTHER_DATE.finditer(text)
            if (iso := _dateparser_iso(m.group()))
        ]
    return out
