"""Name strings: normalising, comparing and trimming the text of a name.

Where it sits: helpers for `mentions` (cutting an NER span down to the name, splitting off
titles) and `aliases` (deciding that two spellings name one entity: "Soleimani" = "Suleimani"
through a transliteration skeleton and rapidfuzz, "IRGC" = the initials of its long name).
Everything here works on strings and offsets only, never on the parse.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from presslens.analyze.entities.words import (
    DETERMINERS,
    NAME_PARTICLES,
    PERSON_TITLES,
    STOP_IN_NAMES,
    TITLE_GLUE,
)

_ABBREV_END = re.compile(r"(?:(?<![\w.])(?:[A-Z]\.)+[A-Z]|(?<![\w.])[A-Z][a-z]{1,3})$")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)


@lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """The form names are compared in: no accents, possessive, periods, hyphens, case or "the"."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = POSSESSIVE.sub("", name.strip())
    name = name.replace(".", "").replace("’", "'")
    name = re.sub(r"[\-\s]+", " ", name).lower()
    return name[4:] if name.startswith("the ") else name


_TRANSLIT = (
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("dh", "d"),
    ("kh", "k"),
    ("th", "t"),
    ("gh", "g"),
    ("w", "u"),
    ("y", "i"),
    ("z", "s"),
    ("j", "g"),
)


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A transliteration-tolerant key: consonants after common romanisation variants fold."""
    s = norm_name(name).replace(" ", "")
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    s = s[:1] + re.sub(r"[aeiou']", "", s[1:])
    # An initial G, Q or K is one sound in romanised Arabic ("Gaddafi", "Qaddafi", "Kadhafi").
    s = "k" + s[1:] if s[:1] in {"g", "q"} else s
    return re.sub(r"(.)\1+", r"\1", s)


def initial_key(name: str) -> str:
    """The first letter names are compared under: a skeleton's, so "Qaddafi" meets "Gaddafi"."""
    return skeleton(name)[:1]


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name ("Soleimani"/"Suleimani", "Qassem"/"Qasem", "Felkirch"/"Feldkirch")."""
    na, nb = norm_name(a), norm_name(b)
    if na == nb:
        return True
    if min(len(na), len(nb)) < 5 or initial_key(a) != initial_key(b):
        return False
    if min(len(na), len(nb)) >= 7 and " " not in na + nb and Levenshtein.distance(na, nb) <= 1:
        return True  # a typo in a long one-word name ("Felkirch" for "Feldkirch")
    return skeleton(a) == skeleton(b) and fuzz.ratio(na, nb) >= 80


def initials(name: str) -> str:
    """Initials of the capitalised words ("Islamic Revolutionary Guard Corps" -> "IRGC")."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in STOP_IN_NAMES]
    return "".join(w[0] for w in words if w[0].isupper())


def is_acronym(name: str) -> bool:
    """Two to eight capitals, periods allowed ("IRGC", "U.S."): an initialism, not a name."""
    bare = name.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha()


def initials_all(name: str) -> str:
    """Initials of every word but "the" and "&", for initialisms that keep "of" ("DOD")."""
    return "".join(w[0].upper() for w in re.split(r"[\s\-]+", name) if w and w.lower() not in {"the", "&"})


def abbreviates(abbrev: str, name: str) -> bool:
    """Whether `abbrev` ("Ariz") spells letters of a one-word `name` ("Arizona") in order."""
    if " " in name or len(name) <= len(abbrev) or name[0] != abbrev[0]:
        return False
    it = iter(name.lower())
    return all(ch in it for ch in abbrev.lower())


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a span to its first line, and drop determiners, possessives and edge punctuation."""
    seg = text[start:end]
    # "the 9th U.S.\nCircuit Court", "Dr.\nDawn Eden": a source broke the line after an
    # abbreviation that the parse reads across; the name is on the next line.
    broken = re.match(r"[A-Za-z.]{1,5}\.[ \t]*\n[ \t]*(?=[A-Z])", seg)
    if broken:
        start += broken.end()
        seg = text[start:end]
    orig_end = end
    for stop in ("\n", " (", "(", " / ", "/", " — ", " – "):
        cut = seg.find(stop)
        if cut > 0:
            end = min(end, start + cut)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    # Abbreviations keep their final period: "U.S.", "Ariz.", "Washington D.C.".
    if end < orig_end and text[end : end + 1] == "." and _ABBREV_END.search(text, start, end):
        end += 1
    for det in DETERMINERS:
        if text.startswith(det, start) and end - start > len(det):
            start += len(det)
    # Trailing lower-case words are not part of a name ("Equateur province").
    while True:
        m = re.search(r"[ \t]+([a-z][\w\-]*)$", text[start:end])
        if not m or m.group(1) in NAME_PARTICLES or " " not in text[start:end].strip():
            break
        end = start + m.start()
    # "CRIF’s Francis Kalifat": the possessor is another entity; the name follows it.
    inner = re.search(r"['’]s[ \t]+(?=[A-Z])", text[start:end])
    if inner:
        start += inner.end()
    # Leading lower-case modifiers are not part of a name ("anti-Semitic Farrakhan").
    while True:
        m = re.match(r"([a-z][\w\-]*)[ \t]+(?=[A-Z])", text[start:end])
        if not m or m.group(1) in NAME_PARTICLES:
            break
        start += m.end()
    m = POSSESSIVE.search(text[start:end])
    if m and end - start > len(m.group()) + 1:
        end = start + m.start()
    return start, end


def split_titles(text: str, start: int, end: int) -> tuple[int, tuple[str, ...]]:
    """Move `start` past leading title words; return the new start and the titles."""
    titles: list[str] = []
    for m in _WORD.finditer(text, start, end):
        word = m.group().rstrip(".")
        low = word.lower()
        initialism = len(word) > 1 and word.isupper()  # "DR Congo" names no doctor
        if (low in PERSON_TITLES or (titles and low in TITLE_GLUE)) and not initialism:
            titles.append(word)
            continue
        return m.start(), tuple(titles)
    return end, tuple(titles)


def titles_before(text: str, start: int, floor: int) -> tuple[int, tuple[str, ...]]:
    """Title words written just before a name ("Supreme Leader Ayatollah Ali Khamenei")."""
    titles: list[str] = []
    pos = start
    while True:
        m = re.search(r"([A-Za-z][A-Za-z\-]*\.?)[ \t]+$", text[max(floor, pos - 40) : pos])
        if not m:
            break
        word = m.group(1).rstrip(".")
        low = word.lower()
        if not word[0].isupper() and low not in TITLE_GLUE:
            break
        if low in PERSON_TITLES or (low in TITLE_GLUE and titles):
            titles.insert(0, word)
            pos = max(floor, pos - 40) + m.start(1)
            continue
        break
    while titles and titles[0].lower() in TITLE_GLUE and titles[0].lower() not in PERSON_TITLES:
        # A chain may not start with glue ("of", "state").
        first = titles.pop(0)
        pos = text.index(first, pos) + len(first)
        while pos < start and text[pos] in " \t":
            pos += 1
    return pos, tuple(titles)
