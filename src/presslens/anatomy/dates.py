"""Find date expressions in a line and normalise them to ISO (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`).

Used by the header-line parsers (datelines, credit lines, "Published:" labels). English forms
are found with patterns and checked with dateutil (no "February 30"); other languages fall back
to dateparser, imported lazily because it is slow to load and most pages never need it.

>>> [d.iso for d in find_dates("Global Research, January 07, 2020")]
['2020-01-07']
>>> to_iso("6 January 2020")
'2020-01-06'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from dateutil import parser as du_parser

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_EN_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"  # January 07, 2020
    rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 6 January 2020
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"  # 2020-01-06
    r"|\d{4}/\d{1,2}/\d{1,2})\b",  # 2020/01/06
    re.IGNORECASE,
)
# Day, a month word in another language, year (or month, day, year): dateparser decides. The
# word must start like a month name in one of the languages crawls meet most, so dateparser
# (slow to load) is never woken by "12 comments 2020" on an English page.
_MONTH_STEMS = (
    r"janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|jan|feb|m[äa]r|apr|jun|jul|aug|okt|"
    r"dez|ene|abr|may|ago|sep|set|dic|gen|mag|giu|lug|ott|maio|junh|julh|outu|deze|mei|maa|"
    r"янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек|sty|lut|kwi|maj|cze|lip|sie|wrz|pa[źz]|lis|gru|"
    r"oca|[şs]ub|nis|haz|tem|a[ğg]u|eyl|eki|kas|ara"
)
_OTHER_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH_STEMS})[^\W\d_]{{0,9}}\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|(?:{_MONTH_STEMS})[^\W\d_]{{0,9}}\.?\s+\d{{1,2}},?\s+\d{{4}})\b",
    re.IGNORECASE,
)
# The languages whose month stems `_OTHER_DATE` knows; naming them keeps dateparser from
# loading and trying every one of its ~200 locales (about 2 s of regex compilation per process).
_OTHER_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "tr"]
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str


def to_iso(expression: str) -> str | None:
    """ISO date of one date expression, or None when it is not a real date."""
    expression = expression.strip()
    if not expression:
        return None
    if _EN_DATE.fullmatch(expression):
        try:
            dt = du_parser.parse(expression, dayfirst=False, default=datetime(1900, 1, 1))
        except (ValueError, OverflowError):
            return None
        return dt.date().isoformat()
    return _dateparser_iso(expression)


@lru_cache(maxsize=1024)
def _dateparser_iso(expression: str) -> str | None:
    if not re.search(r"\d{4}", expression):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    settings: Any = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "DATE_ORDER": "DMY"}
    try:
        dt = dateparser.parse(expression, languages=_OTHER_LANGUAGES, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; treat as "no date"
        return None
    return dt.date().isoformat() if dt else None


def find_dates(text: str) -> list[FoundDate]:
    """Every date expression in `text` (a line), English patterns first, then other languages."""
    out: list[FoundDate] = []
    for m in _EN_DATE.finditer(text):
        iso = to_iso(m.group())
        if iso:
            out.append(FoundDate(m.start(), m.end(), iso))
    if not out:
        for m in _DOTTED.finditer(text):  # 07.01.2020: day first, as everywhere it is written so
            try:
                iso = datetime(int(m[3]), int(m[2]), int(m[1])).date().isoformat()
            except ValueError:
                continue
            out.append(FoundDate(m.start(), m.end(), iso))
    if not out:
        for m in _OTHER_DATE.finditer(text):
            iso = _dateparser_iso(m.group())
            if iso:
                out.append(FoundDate(m.start(), m.end(), iso))
    return out
