"""The words that let a foreign date reach dateparser (`lexicon.dates.DATEPARSER_WORDS`).

A dateline such as "Maret 30, 2015" (Indonesian) looks like a date in another language, but no
language presslens hands to dateparser has "maret"; the guard answers None without loading
dateparser. These tests check the table against dateparser's own dictionaries and the guard
against dateparser on many generated expressions, so the answers stay dateparser's.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
from typing import Any

import pytest

from presslens.lexicon.dates import (
    DATE_LANGUAGES,
    DATEPARSER_WORDS,
    MONTH_STEMS,
    OTHER_DATE,
    _dateparser_knows,
    _fold,
    _languages,
    to_iso,
)

dateparser = pytest.importorskip("dateparser")

_SETTINGS: Any = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "DATE_ORDER": "DMY"}
_MONTH_KEYS = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)


def _dictionary_words() -> set[str]:
    """Every month-like word of dateparser's dictionaries and relative phrases for
    `DATE_LANGUAGES`, folded as dateparser folds them ("decades?" gives decades and decade)."""
    from dateparser.conf import Settings
    from dateparser.languages.loader import default_loader

    stems = tuple({_fold(s) for stems in MONTH_STEMS.values() for s in stems})
    words: set[str] = set()
    for lang in DATE_LANGUAGES:
        dictionary = default_loader.get_locale(lang)._get_dictionary(Settings())
        for key in [*dictionary, *dictionary._get_sorted_relative_strings_from_cache()]:
            key = _fold(key)
            for m in re.finditer(r"[^\W\d_]+", key):
                optional_last = key[m.end() : m.end() + 1] == "?"
                words.update(w for w in (m[0], m[0][:-1] if optional_last else "") if w.startswith(stems))
    return words


def test_table_is_dateparsers_vocabulary() -> None:
    assert _dictionary_words() == DATEPARSER_WORDS


def _foreign_month_words() -> list[str]:
    """Month names and abbreviations of every Latin- or Cyrillic-script language dateparser
    has data for: Indonesian "maret", Swedish "augusti", Ukrainian "березня" …"""
    import dateparser.data.date_translation_data as data

    words: set[str] = set()
    for module in pkgutil.iter_modules(data.__path__):
        info = importlib.import_module(f"{data.__name__}.{module.name}").info
        for key in _MONTH_KEYS:
            words.update(w for w in info.get(key, []) if re.fullmatch(r"[^\W\d_]+", w))
    return sorted(words)


def _expressions(rng: random.Random) -> list[str]:
    known = sorted(DATEPARSER_WORDS)
    words = _foreign_month_words()
    # near misses of words dateparser knows: one letter more, one fewer, one changed
    for w in rng.sample(known, 120):
        words += [w + rng.choice("aeinorsty"), w[:-1], w[:-1] + rng.choice("aeiou")]
    shapes = (
        "{d} {w} {y}",
        "{w} {d}, {y}",
        "{d}. {w} {y}",
        "{d} de {w} de {y}",
        "{w}. {d} {y}",
        "{d} {w}, {y}",
    )
    out = []
    for w in words:
        for word in (w, w.capitalize(), w.upper()):
            d, y = rng.randint(1, 31), rng.randint(1990, 2030)
            expression = rng.choice(shapes).format(d=d, w=word, y=y)
            if OTHER_DATE.fullmatch(expression):
                out.append(expression)
    return out


def test_guard_only_answers_none_where_dateparser_does() -> None:
    expressions = _expressions(random.Random(12))
    guarded = [e for e in expressions if not _dateparser_knows(e)]
    assert len(guarded) > 300  # the check covers many words the guard turns away
    for expression in guarded:
        found = dateparser.parse(expression, languages=_languages(expression), settings=_SETTINGS)
        assert found is None, expression


def test_indonesian_dateline_is_no_date_without_dateparser() -> None:
    assert not _dateparser_knows("Maret 30, 2015")
    assert to_iso("Maret 30, 2015") is None
    # words dateparser knows still go to it
    assert _dateparser_knows("24 сентября 2018") and _dateparser_knows("1 de août de 2019")
