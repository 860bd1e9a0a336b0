"""Entities stage: who and what the article body names, with every alias merged into one entity.

Data flow: anatomy → **entities** → quotes / claims / timeline (they read `doc.entities` to name
speakers and the entities a claim or event involves). Fills `Document.entities` with
`Entity(name, type, aliases, mentions)`; each mention is a stand-off span of `Document.text`.

How: spaCy's small NER (`presslens.analyze.nlp`) proposes spans; a rule layer corrects what it
gets wrong on non-Western names and organisations (honorifics and titles, organisation heads
such as "Force"/"Corps", "X's Y" places, "Long Name (ABBR)" definitions, "also known as");
then canonicalisation merges variants: exact, transliteration skeletons with rapidfuzz
("Soleimani" = "Suleimani"), surnames to full names, initialisms to their long names; every
further occurrence of a known name is added; and definite descriptions ("the general") and
personal pronouns are attached to a person only when one person is in recent reach.
All rules are general: nothing here names a particular person, place or group.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="General Qassem Suleimani met Ali Khamenei. Soleimani left.")
>>> [(e.name, e.type, len(e.mentions)) for e in extract_entities(doc)][:2]
[('Qassem Suleimani', 'PERSON', 2), ('Ali Khamenei', 'PERSON', 1)]
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from presslens.analyze.nlp import CUE_WORDS, Parsed, is_english, parse, quoted_spans
from presslens.document import Document, Entity, Mention
from presslens.pipeline import register_stage

KEEP_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)

# Honorifics and offices written before a name; they are not part of the name itself.
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady rev reverend father pope cardinal bishop
    archbishop rabbi imam sheikh sheik shaykh ayatollah grand mullah mufti emir amir king queen
    prince princess crown sultan president vice prime minister chancellor premier secretary
    senator sen rep representative congressman congresswoman governor gov mayor judge justice
    chief general gen lieutenant lt colonel col major maj captain capt commander admiral
    sergeant sgt marshal field brigadier officer agent detective inspector sheriff deputy
    ambassador spokesman spokeswoman supreme leader comrade chairman chairwoman attorney
    director professor president-elect former late acting patriarch pastor priest eminence holiness
    excellency majesty highness""".split()  # noqa: SIM905 - a word list reads best as prose
)
# Words inside a title chain that are not titles themselves ("Secretary of State ...").
TITLE_GLUE = frozenset({"of", "state", "the", "defense", "defence", "foreign", "interior", "general"})
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "abu", "bint", "de", "da", "van", "von", "der", "la", "le", "du", "ben"}
)

ORG_HEADS = frozenset(
    """force forces corps army navy party council ministry department agency committee commission
    organization organisation union front guard guards institute university college company inc
    corp corporation ltd llc bank group association foundation movement brigade brigades court
    congress parliament senate assembly administration office bureau service services times post
    news network media center centre church club league federation alliance coalition police
    patrol authority board fund society trust tribunal caucus cabinet agency network press
    journal herald tribune gazette magazine radio tv television channel broadcasting airlines
    airways industries holdings partners labs laboratory school academy hospital station""".split()  # noqa: SIM905 - a word list reads best as prose
)
AWARD_HEADS = frozenset({"order", "medal", "prize", "award", "cross", "star"})
PLACE_HEADS = frozenset(
    {
        "city",
        "county",
        "province",
        "state",
        "river",
        "sea",
        "ocean",
        "mountains",
        "valley",
        "island",
        "islands",
        "bay",
        "gulf",
        "desert",
        "peninsula",
        "region",
        "district",
        "street",
        "square",
        "hill",
        "park",
    }
)
STOP_IN_NAMES = frozenset({"of", "for", "the", "and", "on", "in", "at", "de", "&", "to"})

PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
ROLE_NOUNS = frozenset(
    """general commander leader president minister king queen prince senator chief director
    secretary spokesman spokeswoman ambassador governor mayor judge colonel officer cleric
    ayatollah sheikh imam chairman chairwoman premier chancellor congressman congresswoman
    candidate founder ceo""".split()  # noqa: SIM905 - a word list reads best as prose
)
DETERMINERS = ("the ", "The ", "THE ")
_ABBREV_END = re.compile(r"(?:(?<![\w.])(?:[A-Z]\.)+[A-Z]|(?<![\w.])[A-Z][a-z]{1,3})$")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_INITIALISM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w’'\-]*[ \t]+)(?:(?:of|for|the|and|on|in|de|al|&|[A-Z][\w’'\-]*)[ \t]+){0,8}"
    r"[A-Z][\w’'\-]*)[ \t]*\((?P<abbr>[A-Z][A-Za-z.&]{1,10})\)"
)
_AKA = re.compile(
    r"(?P<a>(?:[A-Z][\w’'\-]*)(?:[ \t]+[A-Z][\w’'\-]*){0,4})[ \t]*[(,][ \t]*"
    r"(?:also[ \t]+known[ \t]+as|aka|a\.k\.a\.|"
    r"better[ \t]+known[ \t]+as|or)[ \t]+(?:the[ \t]+)?(?P<b>[A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*){0,4})"
)


@dataclass
class _Cand:
    start: int
    end: int
    label: str
    titles: tuple[str, ...] = ()
    full_start: int | None = None  # start including titles, when there are titles
    hint: str | None = None  # a type fixed by a rule, outweighing the NER label
    kind: str = "name"  # "name" | "description" | "pronoun"


@dataclass
class _Cluster:
    cands: list[_Cand] = field(default_factory=list)

    def names(self, text: str) -> list[str]:
        return [text[c.start : c.end] for c in self.cands if c.kind == "name"]


@lru_cache(maxsize=65536)
def _norm(name: str) -> str:
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
def _skeleton(name: str) -> str:
    """A transliteration-tolerant key: consonants after common romanisation variants fold."""
    s = _norm(name).replace(" ", "")
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    s = s[:1] + re.sub(r"[aeiou']", "", s[1:])
    return re.sub(r"(.)\1+", r"\1", s)


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name ("Soleimani"/"Suleimani", "Qassem"/"Qasem")."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    if min(len(na), len(nb)) < 5 or na[0] != nb[0]:
        return False
    return _skeleton(a) == _skeleton(b) and fuzz.ratio(na, nb) >= 80


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in STOP_IN_NAMES]
    return "".join(w[0] for w in words if w[0].isupper())


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a span to its first line, and drop determiners, possessives and edge punctuation."""
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


def _split_titles(text: str, start: int, end: int) -> tuple[int, tuple[str, ...]]:
    """Move `start` past leading title words; return the new start and the titles."""
    titles: list[str] = []
    for m in _WORD.finditer(text, start, end):
        word = m.group().rstrip(".")
        low = word.lower()
        if low in PERSON_TITLES or (titles and low in TITLE_GLUE):
            titles.append(word)
            continue
        return m.start(), tuple(titles)
    return end, tuple(titles)


def _title_before(text: str, start: int, floor: int) -> tuple[int, tuple[str, ...]]:
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


def _type_hint(text: str, start: int, end: int, floor: int) -> str | None:
    """Type evidence from the name's own words and its left context."""
    name = text[start:end]
    words = [w.lower() for w in re.split(r"[\s\-]+", name) if w]
    if not words:
        return None
    if words[0] in AWARD_HEADS and len(words) > 2 and words[1] == "of":
        return "AWARD"
    if words[-1] in AWARD_HEADS and len(words) > 1 and words[-1] != "order":
        return "AWARD"
    if len(words) > 1 and words[-1] in ORG_HEADS:
        return "ORG"
    if len(words) > 1 and words[0] in ORG_HEADS and "of" in words:
        return "ORG"
    left = text[max(floor, start - 30) : start]
    if re.search(
        r"\b(?:city|town|village|province|capital|region|port|district|governorate)\s+of\s+(?:the\s+)?$",
        left,
        re.I,
    ):
        return "GPE"
    if re.search(r"\b(?:in|at|from|to|near|of|into|outside)\s+[A-Z][\w\-]+['’]s\s+$", left):
        return "GPE"
    if len(words) > 1 and words[-1] in PLACE_HEADS:
        return "LOC"
    if len(words) > 1 and _is_acronym(name.split()[0]) and len(name.split()[0]) > 1:
        return "ORG"  # "NBC Bay Area", "ICE Air Operations"
    right = text[end : end + 25]
    if re.match(
        r"\s+(?:province|region|city|district|county|state|village|town|governorate|prefecture)\b", right
    ):
        return "GPE"
    if (
        re.search(r"\bthe\s+$", left)
        and len(words) == 1
        and name.endswith("s")
        and name[:1].isupper()
        and not _is_acronym(name)
    ):
        return "ORG"  # "the Houthis", "the Taliban"-like plural group names
    return None


def _candidates(parsed: Parsed, text: str) -> list[_Cand]:
    """Named spans from spaCy plus the rule layer, as offsets into `Document.text`."""
    off = parsed.offset
    floor, ceil = off, off + len(parsed.text)
    out: list[_Cand] = []
    headlines = _headline_lines(text, floor, ceil)
    for ent in parsed.doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        s, e = _trim(text, ent.start_char + off, ent.end_char + off)
        if e <= s:
            continue
        if any(a <= s < b for a, b in headlines):
            continue  # Title Case lines fool NER; names there are recovered from the body later
        if len(ent) == 1 and ent[0].tag_ == "JJ" and ent.label_ != "NORP":
            out.append(_Cand(s, e, "NORP"))  # "a Guatemalan man": an adjective, not an organisation
            continue
        label = ent.label_
        # "Likewise Reagan", "Whom": a function word or sentence adverb is not part of a name.
        while ent.start < ent.end and s < e:
            i, _ = parsed.token_range(s, s + 1)
            tok = parsed.doc[i] if i < len(parsed.doc) else None
            if tok is None or not (tok.is_stop or tok.tag_ in {"RB", "UH"}) or tok.text.isupper():
                break
            nxt = re.search(r"\s+", text[s:e])
            if nxt is None:
                s = e  # the whole span was one such word
                break
            s += nxt.end()
        if e <= s:
            continue
        s2, titles = _split_titles(text, s, e)
        if titles and label == "ORG" and len(text[s2:e].split()) == 1:
            s2, titles = s, ()  # "General Motors" is a company, not a general called Motors
        if s2 >= e or not any(ch.isupper() for ch in text[s2:e]):
            continue  # only titles ("Supreme", "Major General") or no proper name at all
        words = list(re.finditer(r"\S+", text[s2:e]))
        if label == "PERSON" and len(words) > 1 and words[-1].group().rstrip(".").lower() in PERSON_TITLES:
            continue  # "Roman Catholic Bishop": a title with no name
        for k in range(len(words) - 2, 0, -1):
            # "Melkite Greek Catholic Archbishop Jean-Clément Jeanbart": a title inside the span.
            w = words[k].group()
            if w.lower() in PERSON_TITLES and w[0].isupper() and not w.isupper() and len(words) - k - 1 >= 2:
                titles = (*titles, *(x.group() for x in words[: k + 1]))
                s2 += words[k + 1].start()
                label = "PERSON"
                break
        s0, more = _title_before(text, s2 if titles else s, floor)
        titles = more + titles
        cand = _Cand(s2, e, label, titles, s0 if titles else None)
        if (
            titles
            and any(t.lower() in PERSON_TITLES for t in titles)
            and label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "WORK_OF_ART"}
        ):
            cand.hint = "PERSON"
        hint = _type_hint(text, s2, e, floor)
        if hint == "ORG" and label == "NORP" and text[e - 1 : e] == "s" and " " not in text[s2:e]:
            hint = None  # "the Iranians": a people, as NER says; "the Houthis" (NER: PERSON) a group
        cand.hint = hint or cand.hint
        root = ent.root
        if (
            cand.hint is None
            and label in {"WORK_OF_ART", "PRODUCT", "LAW", "EVENT", "FAC", "LOC", "GPE"}
            and root.dep_ == "nsubj"
            and root.head.lower_ in CUE_WORDS
            and 2 <= len(text[s2:e].split()) <= 3
        ):
            cand.hint = "PERSON"  # "Billie Winner-Davis said": places and works of art do not talk
        out.append(cand)
    out = _datelines(text, floor, ceil) + out
    out.extend(_title_names(text, floor, ceil, out))
    out.extend(_possessive_places(text, floor, ceil, out))
    out.extend(_acronym_expansions(text, floor, ceil, out))
    return _filter(_dedupe(out), parsed, text)


_CALENDAR_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _filter(cands: list[_Cand], parsed: Parsed, text: str) -> list[_Cand]:
    """Drop spans that are not names, and turn a title-only span into its neighbour's title."""
    sent_starts = {s.start_char + parsed.offset for s in parsed.doc.sents}
    lower_words = {w for w in re.findall(r"\b[a-z][a-z\-]+\b", parsed.text)}
    out: list[_Cand] = []
    for i, c in enumerate(cands):
        name = text[c.start : c.end]
        words = name.split()
        if name.lower() in _CALENDAR_WORDS:
            continue  # "Sunday", "March": dates, which the timeline stage reads
        if c.label == "PERSON" and c.hint != "GPE" and any(ch.isdigit() for ch in name):
            continue  # "Matthew 15:14", "Psalm 40:8": references, not people
        if (
            len(words) == 1
            and not name.isupper()
            and c.start in sent_starts
            and name.lower() in lower_words
            and c.hint is None
        ):
            continue  # "Email", "Court" opening a sentence, and used as a common noun elsewhere
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if (
            nxt is not None
            and words[-1].rstrip(".").lower() in PERSON_TITLES
            and not words[-1].isupper()  # "DR Congo" is no doctor
            and not text[c.end : nxt.start].strip()
            and nxt.start > c.end
        ):
            # "Melkite Greek Catholic Archbishop Jean-Clément Jeanbart": titles of the next name.
            nxt.titles = (*words, *nxt.titles)
            nxt.full_start = c.start
            nxt.hint = nxt.hint or "PERSON"
            continue
        out.append(c)
    return out


def _headline_lines(text: str, floor: int, ceil: int) -> list[tuple[int, int]]:
    """Lines written in Title Case (headlines): most words capitalised, no sentence inside."""
    spans = []
    for m in re.finditer(r"[^\n]+", text[floor:ceil]):
        words = re.findall(r"[A-Za-z][\w'’\-]*", m.group())
        if len(words) < 4:
            continue
        content = [
            w for w in words if w.lower() not in STOP_IN_NAMES | {"a", "an", "by", "with", "as", "is", "are"}
        ]
        caps = sum(w[0].isupper() for w in content)
        # A headline has no closing period; a sentence crowded with names has one.
        if (
            content
            and caps / len(content) >= 0.8
            and not m.group().isupper()
            and not m.group().rstrip().endswith(".")
        ):
            spans.append((floor + m.start(), floor + m.end()))
    return spans


_DATELINE = re.compile(
    r"(?:^|\n|\s)(?P<place>[A-Z][A-Z'.\-]+(?:[ \t]+[A-Z][A-Z'.\-]+){0,3})"
    r"(?:,[ \t]+(?P<region>[A-Z][a-z]+\.?))?"
    r"[ \t]*(?:\([A-Za-z ]+\)[ \t]*)?(?:\n[ \t]*)?[—–-]{1,2}[ \t]"
)


def _datelines(text: str, floor: int, ceil: int) -> list[_Cand]:
    """News datelines: "TUCSON, Ariz. –", "STOCKHOLM (Reuters) –": an upper-case place first."""
    out = []
    for m in _DATELINE.finditer(text, floor, ceil):
        s, e = m.span("place")
        if len(text[s:e].replace(".", "")) < 3:
            continue
        out.append(_Cand(s, e, "GPE", hint="GPE"))
        if m.group("region"):
            rs, re_ = m.span("region")
            out.append(_Cand(rs, re_, "GPE", hint="GPE"))
    return out


def _acronym_expansions(text: str, floor: int, ceil: int, known: list[_Cand]) -> list[_Cand]:
    """A capitalised sequence whose initials spell an initialism used in the text."""
    acronyms = {m.group() for m in re.finditer(r"\b[A-Z]{2,6}\b", text[floor:ceil])}
    out: list[_Cand] = []
    if not acronyms:
        return out
    for m in _CAP_SEQ.finditer(text, floor, ceil):
        seq = m.group()
        words = seq.split()
        # Try every start, so "Logistical issues ... Customs and Border Protection" still matches.
        for i in range(len(words)):
            if words[i].lower() in STOP_IN_NAMES:
                continue
            sub = " ".join(words[i:])
            if len(words) - i < 2:
                break
            acronym = _initials(sub) if _initials(sub) in acronyms else _initials_all(sub)
            if acronym in acronyms:
                s, e = _trim(text, m.start() + seq.index(sub), m.end())
                covered = [c for c in known if s <= c.start and c.end <= e]
                if not any(c.start == s and c.end == e for c in known):
                    for c in covered:
                        c.kind = "dropped"
                    out.append(_Cand(s, e, "ORG", hint=None))
                # The initialism itself is a name wherever it stands ("ICE custody").
                taken = [(c.start, c.end) for c in (*known, *out) if c.kind != "dropped"]
                for a in re.finditer(r"(?<![\w\-])" + acronym + r"(?![\w\-])", text[floor:ceil]):
                    a_s, a_e = a.start() + floor, a.end() + floor
                    if not any(x < a_e and a_s < y for x, y in taken):
                        out.append(_Cand(a_s, a_e, "ORG"))
                break
    return out


_CAP_SEQ = re.compile(r"[A-Z][\w’'\-]*(?:[ \t]+(?:(?:of|for|the|and|on|de|&)[ \t]+)?[A-Z][\w’'\-]*)+")


def _initials_all(name: str) -> str:
    return "".join(w[0].upper() for w in re.split(r"[\s\-]+", name) if w and w.lower() not in {"the", "&"})


_POSSESSIVE_PLACE = re.compile(
    r"\b(?:in|at|from|to|near|into|outside|of)\s+(?P<gpe>[A-Z][\w\-]+)['’]s\s+(?P<name>[A-Z][\w\-]+)(?=[\s,.;:)])"
)


def _possessive_places(text: str, floor: int, ceil: int, known: list[_Cand]) -> Iterable[_Cand]:
    """ "from Iraq's Mosul to Syria's Aleppo": a capitalised word after a place's possessive."""
    places = {text[c.start : c.end] for c in known if c.label in {"GPE", "LOC"}}
    taken = [(c.start, c.end) for c in known]
    for m in _POSSESSIVE_PLACE.finditer(text, floor, ceil):
        s, e = m.span("name")
        if m.group("gpe") in places and not any(a < e and s < b for a, b in taken):
            yield _Cand(s, e, "GPE", hint="GPE")


_TITLED_NAME = re.compile(
    r"\b(?P<title>(?:[A-Z][a-z]+\.?[ \t]+){1,4})"
    r"(?P<name>[A-Z][\w’'\-]+(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|van|von)[ \t\-]+)?"
    r"[A-Z][\w’'\-]+){0,3})"
)


def _title_names(text: str, floor: int, ceil: int, known: list[_Cand]) -> Iterable[_Cand]:
    """Capitalised names after honorifics that NER missed ("Sheikh Nimr al-Nimr")."""
    taken = [(c.start, c.end) for c in known]
    for m in _TITLED_NAME.finditer(text, floor, ceil):
        title_words = m.group("title").split()
        if not all(w.rstrip(".").lower() in PERSON_TITLES or w.lower() in TITLE_GLUE for w in title_words):
            continue
        if title_words[-1].rstrip(".").lower() not in PERSON_TITLES:
            continue
        s, e = _trim(text, m.start("name"), m.end("name"))
        name_words = text[s:e].split()
        while name_words and name_words[0].rstrip(".").lower() in PERSON_TITLES:
            s = text.index(name_words.pop(0), s) + len(text[s:].split()[0])
            while s < e and text[s] in " \t":
                s += 1
        if e <= s or any(a < e and s < b for a, b in taken):
            continue
        yield _Cand(s, e, "PERSON", tuple(title_words), m.start(), hint="PERSON")


def _dedupe(cands: list[_Cand]) -> list[_Cand]:
    cands = [c for c in cands if c.kind != "dropped"]
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Cand] = []
    for c in cands:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _vote(cands: list[_Cand], text: str) -> str:
    score: Counter[str] = Counter()
    for c in cands:
        if c.kind != "name":
            continue
        if c.hint:
            score[c.hint] += 4  # a rule's evidence replaces the NER label and outweighs a full name
            continue
        score[c.label] += 1
        if c.label == "PERSON" and " " in text[c.start : c.end].strip():
            score["PERSON"] += 2  # spaCy is far more reliable on full names than on bare surnames
    if not score:
        return "PERSON"
    if score["GPE"] and score["LOC"]:
        score["GPE"] += score.pop("LOC")
    names = [text[c.start : c.end] for c in cands if c.kind == "name"]
    if all(_is_acronym(n) for n in names) and score.most_common(1)[0][0] in {"PERSON", "WORK_OF_ART"}:
        return "ORG"
    return score.most_common(1)[0][0]


def _alias_links(text: str, floor: int, ceil: int) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Pairs of spans the text itself says are one entity: "Long Name (ABBR)", "X (also known as Y)"."""
    links: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    for m in _INITIALISM_DEF.finditer(text, floor, ceil):
        abbr = m.group("abbr").replace(".", "")
        long_start, long_end = m.span("long")
        # Walk the long name's start forward until its initials match the abbreviation.
        words = list(re.finditer(r"\S+", text[long_start:long_end]))
        for i in range(len(words)):
            cand = text[long_start + words[i].start() : long_end]
            if not cand[0].isupper() or cand.split()[0].lower() in STOP_IN_NAMES:
                continue
            if abbr.upper() in {_initials(cand).upper(), _initials_all(cand)}:
                links.append(((long_start + words[i].start(), long_end), m.span("abbr"), "ORG"))
                break
    for m in _AKA.finditer(text, floor, ceil):
        if " or " in m.group() and "(" not in m.group():
            continue  # "X or Y" is usually a choice, not an alias
        links.append((m.span("a"), m.span("b"), ""))
    return links


def _cluster(cands: list[_Cand], text: str, floor: int, ceil: int) -> list[_Cluster]:
    links = _alias_links(text, floor, ceil)
    # Spans named by alias definitions become candidates even when NER missed them.
    by_span = {(c.start, c.end): c for c in cands}
    for a, b, label in links:
        for span in (a, b):
            s, e = _trim(text, *span)
            if (s, e) not in by_span and not any(c.start < e and s < c.end for c in cands) and e > s:
                c = _Cand(s, e, label or "ORG", hint=label or None)
                cands.append(c)
                by_span[(s, e)] = c
    cands.sort(key=lambda c: c.start)
    uf = _UnionFind(len(cands))
    first: dict[str, int] = {}
    for i, c in enumerate(cands):
        key = _norm(text[c.start : c.end])
        if key in first:
            uf.union(first[key], i)
        else:
            first[key] = i

    def index_of(span: tuple[int, int]) -> int | None:
        s, e = _trim(text, *span)
        for i, c in enumerate(cands):
            if c.start < e and s < c.end:
                return i
        return None

    for a, b, _label in links:
        ia, ib = index_of(a), index_of(b)
        if ia is not None and ib is not None:
            uf.union(ia, ib)

    def groups() -> dict[int, list[int]]:
        g: dict[int, list[int]] = defaultdict(list)
        for i in range(len(cands)):
            g[uf.find(i)].append(i)
        return g

    def gtype(members: list[int]) -> str:
        return _vote([cands[i] for i in members], text)

    def gnames(members: list[int]) -> set[str]:
        return {text[cands[i].start : cands[i].end] for i in members}

    # Initialisms used without a definition: "IRGC" ↔ "Islamic Revolutionary Guard Corps".
    g = groups()
    acr = {r: n for r, m in g.items() for n in gnames(m) if _is_acronym(n)}
    for r, abbr in acr.items():
        key = abbr.replace(".", "")
        targets = {
            r2
            for r2, m2 in g.items()
            if r2 != r
            and any(len(n.split()) > 1 and key in {_initials(n), _initials_all(n)} for n in gnames(m2))
        }
        if len(targets) == 1:
            uf.union(r, targets.pop())

    # Transliteration variants and surnames: compare name tokens across groups of one class.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    # _same_name needs the same first letter: compare only groups that share one.
    buckets: dict[str, set[int]] = defaultdict(set)
    for r, (_t, names) in info.items():
        for n in names:
            if _norm(n):
                buckets[_norm(n)[0]].add(r)
    for members in buckets.values():
        roots = sorted(members)
        for i, r1 in enumerate(roots):
            t1, n1 = info[r1]
            for r2 in roots[i + 1 :]:
                t2, n2 = info[r2]
                if _class(t1) != _class(t2) and "PERSON" not in (t1, t2):
                    continue
                if any(_same_name(a, b) for a in n1 for b in n2 if len(a.split()) == len(b.split())):
                    uf.union(r1, r2)
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    # "Barack Obama" = "Barack Hussein Obama" = "Barack H. Obama": same first and last name.
    by_ends: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r, (t, names) in info.items():
        if t == "PERSON":
            for n in names:
                parts = n.split()
                if len(parts) > 1:
                    by_ends[(_norm(parts[0]), _norm(parts[-1]))].append(r)
    for roots_ in by_ends.values():
        for r2 in roots_[1:]:
            uf.union(roots_[0], r2)
    # "McGill" = "McGill University": an organisation's name without its head word.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    for r, (t, names) in info.items():
        if t != "ORG" or not all(len(n.split()) == 1 and not _is_acronym(n) for n in names):
            continue
        targets = {
            r2
            for r2, (t2, names2) in info.items()
            if r2 != r
            and t2 == "ORG"
            and any(
                n2.split()[0] in names and n2.split()[-1].lower() in ORG_HEADS and len(n2.split()) == 2
                for n2 in names2
            )
        }
        if len(targets) == 1:
            uf.union(r, targets.pop())
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    multi = {r: v for r, v in info.items() if v[0] == "PERSON" and any(len(n.split()) > 1 for n in v[1])}
    for r, (t, names) in info.items():
        if r in multi or not all(len(n.split()) == 1 for n in names):
            continue
        if t not in {"PERSON", "LOC", "GPE", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"}:
            continue
        exact: set[int] = set()
        fuzzy: set[int] = set()
        for r2, (_t2, names2) in multi.items():
            for full in names2:
                parts = [p for p in full.split() if p.lower() not in NAME_PARTICLES]
                if len(parts) < 2:
                    continue
                # A surname alone, or one half of a double-barrelled one ("Lopez" of "Lopez-Loyola").
                family = {parts[-1], *parts[-1].split("-")[:1]}
                if any(n in family for n in names):
                    exact.add(uf.find(r2))
                elif any(_same_name(n, parts[-1]) for n in names):
                    fuzzy.add(uf.find(r2))
        target = None
        if len(exact) == 1:
            target = exact.pop()
        elif not exact and len(fuzzy) == 1 and (t == "PERSON" or _person_context(cands, g[r], text)):
            target = fuzzy.pop()
        elif not exact and not fuzzy and t == "PERSON":
            # A first name alone ("Dwight" after "Dwight Hammond"), when only one person has it.
            firsts = {
                uf.find(r2)
                for r2, (_t2, names2) in multi.items()
                for full in names2
                if full.split()[0] in names
            }
            target = firsts.pop() if len(firsts) == 1 else None
        if target is not None:
            uf.union(r, target)
            for i in g[r]:
                # A surname of a person is a person, whatever NER called it on its own.
                cands[i].hint = cands[i].hint or "PERSON"
    # "Democratic Republic of Congo" ↔ "Congo": a state's formal name and its short name.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    for r, (t, names) in info.items():
        if _class(t) != "PLACE":
            continue
        for n in names:
            m = re.match(
                r"(?:the\s+)?(?:[A-Z]\w+\s+)*(?:Republic|Kingdom|State|States|Emirate|Federation|Commonwealth|"
                r"Principality|Sultanate)\s+(?:of\s+)?(?:the\s+)?(?P<short>[A-Z][\w\- ]+)$",
                n,
            )
            if not m:
                continue
            short = m.group("short")
            for r2, (_t2, names2) in info.items():
                if r2 != r and short in names2:
                    uf.union(r, r2)
                    for i in g[r2]:
                        cands[i].hint = cands[i].hint or "GPE"
    # "Ariz." ↔ "Arizona", "Mo." ↔ "Missouri": an abbreviation with a period and one place
    # whose name holds its letters in order, starting with the same letter.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    places = {r: names for r, (t, names) in info.items() if _class(t) == "PLACE"}
    for r, (_t, names) in info.items():
        abbrevs = [n[:-1] for n in names if re.fullmatch(r"[A-Z][a-z]{1,4}\.", n)]
        if not abbrevs:
            continue
        targets = {
            r2
            for r2, names2 in places.items()
            if r2 != r and any(_abbreviates(a, n2) for a in abbrevs for n2 in names2)
        }
        if len(targets) == 1:
            uf.union(r, targets.pop())
    return [_Cluster([cands[i] for i in sorted(m)]) for m in groups().values()]


def _abbreviates(abbrev: str, name: str) -> bool:
    if " " in name or len(name) <= len(abbrev) or name[0] != abbrev[0]:
        return False
    it = iter(name.lower())
    return all(ch in it for ch in abbrev.lower())


def _class(label: str) -> str:
    return "PLACE" if label in {"GPE", "LOC", "FAC"} else label


def _person_context(cands: list[_Cand], members: list[int], text: str) -> bool:
    """A surname NER mislabelled as a place: accept when most of its spaCy labels disagree."""
    labels = Counter(cands[i].label for i in members)
    total = sum(labels.values())
    return labels["PERSON"] > 0 or (total >= 2 and labels.most_common(1)[0][1] < total)


def _propagate(clusters: list[_Cluster], text: str, floor: int, ceil: int) -> None:
    """Every further occurrence of a known name (also inside a possessive) is a mention."""
    taken = sorted((c.start, c.end) for cl in clusters for c in cl.cands)

    def free(s: int, e: int) -> bool:
        i = bisect.bisect_left(taken, (s, e))
        return not any(a < e and s < b for a, b in taken[max(0, i - 1) : i + 1])

    variants: list[tuple[str, _Cluster, str]] = []
    surnames: dict[str, list[_Cluster]] = defaultdict(list)
    for cl in clusters:
        label = cl.cands[0].label
        for name in set(cl.names(text)):
            if len(name) >= 3:
                variants.append((name, cl, label))
            if name.isupper() and len(name) > 5 and not _is_acronym(name):
                variants.append((name.title(), cl, label))  # "LAS VEGAS" (dateline) → "Las Vegas"
        if _vote(cl.cands, text) == "PERSON":
            for name in set(cl.names(text)):
                parts = [p for p in name.split() if p.lower() not in NAME_PARTICLES]
                surname = parts[-1] if len(parts) > 1 else ""
                if len(surname) >= 3 and surname[0].isupper() and cl not in surnames[surname]:
                    surnames[surname].append(cl)
    # News style names a person in full once, then by surname: "Michael Hayden" … "Hayden".
    known = {v[0] for v in variants}
    for surname, owners in surnames.items():
        if len(owners) == 1 and surname not in known:
            variants.append((surname, owners[0], "PERSON"))
    variants.sort(key=lambda v: -len(v[0]))
    # One pass over the words, then each variant is looked up by its first word: linear in the
    # text instead of one regex scan per name.
    word_at: dict[str, list[int]] = defaultdict(list)
    for w in re.finditer(r"(?<![\w\-])\w[\w.]*", text[floor:ceil]):
        word_at[w.group().rstrip(".")].append(w.start() + floor)
    for name, cl, label in variants:
        head = re.match(r"\w[\w.]*", name)
        if head is None:
            continue
        for s in word_at.get(head.group().rstrip("."), ()):
            e = s + len(name)
            if (
                e > ceil
                or not text.startswith(name, s)
                or (e < len(text) and (text[e].isalnum() or text[e] in "_-"))
            ):
                continue
            if free(s, e):
                cl.cands.append(_Cand(s, e, label))
                bisect.insort(taken, (s, e))
    # Another romanisation of a known surname that NER did not tag ("Soleimani" after
    # "Qassem Suleimani"): a capitalised word with the same transliteration skeleton.
    by_initial: dict[str, list[tuple[str, _Cluster]]] = defaultdict(list)
    for surname, owners in surnames.items():
        if len(owners) == 1 and len(surname) >= 5:
            by_initial[surname[0]].append((surname, owners[0]))
    if not by_initial:
        return
    for m in re.finditer(r"(?<![\w\-])[A-Z][a-z]{4,}(?![\w\-])", text[floor:ceil]):
        word = m.group()
        s, e = m.start() + floor, m.end() + floor
        for surname, cl in by_initial.get(word[0], ()):
            if (
                abs(len(word) - len(surname)) <= 2
                and word != surname
                and _same_name(word, surname)
                and free(s, e)
            ):
                cl.cands.append(_Cand(s, e, "PERSON"))
                bisect.insort(taken, (s, e))
                break


_DESCRIPTION = re.compile(
    r"\b(?P<det>[Tt]he)\s+(?P<mod>(?:[A-Z][\w\-]*\s+){0,3})(?:(?:[a-z]+)\s+)?(?P<role>(?i:"
    + "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
    + r"))\b(?!\s+of\b)(?!['’]s)"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er|[Hh]imself|[Hh]erself)\b")


def _attach_references(clusters: list[_Cluster], parsed: Parsed, text: str, types: list[str]) -> None:
    """Attach "the general" and "he" to a person when exactly one person is in recent reach."""
    off = parsed.offset
    sents = [(s.start_char + off, s.end_char + off, s) for s in parsed.doc.sents]
    if not sents:
        return
    persons = [i for i, t in enumerate(types) if t == "PERSON"]
    if not persons:
        return
    titles = {i: {t.lower() for c in clusters[i].cands for t in c.titles} for i in persons}
    for i in persons:
        for c in clusters[i].cands:
            titles[i].update(w.lower() for w in text[c.start : c.end].split())
    owner: dict[tuple[int, int], int] = {}
    for i in persons:
        for c in clusters[i].cands:
            owner[(c.start, c.end)] = i
    taken = sorted((c.start, c.end) for cl in clusters for c in cl.cands)
    subjects = {tok.idx + off for tok in parsed.doc if tok.dep_ in {"nsubj", "nsubjpass"}}
    quoted = [(q.start, q.end) for q in quoted_spans(text, off, off + len(parsed.text))]
    quote_starts = [q[0] for q in quoted]

    def in_quote(pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(quote_starts, pos) - 1
        return quoted[i] if i >= 0 and pos < quoted[i][1] else None

    def overlaps_taken(s: int, e: int, nested_ok: bool) -> bool:
        i = bisect.bisect_left(taken, (s, -1))
        for a, b in taken[max(0, i - 3) : i + 8]:
            if a < e and s < b and not (nested_ok and s <= a and b <= e):
                return True
        return False

    recent: list[list[tuple[int, int, bool]]] = []  # per sentence: (cluster, start, is_subject)
    keys = sorted(owner)

    def mentions_in(s: int, e: int) -> list[tuple[int, int, bool]]:
        lo, hi = bisect.bisect_left(keys, (s, -1)), bisect.bisect_left(keys, (e, -1))
        return [(owner[k], k[0], k[0] in subjects) for k in keys[lo:hi]]

    for s, e, _sent in sents:
        refs: list[tuple[int, int, str, str]] = []
        for m in _DESCRIPTION.finditer(text, s, e):
            role = m.group("role").lower()
            if role in ROLE_NOUNS and not m.group("mod").strip().lower().startswith(("former", "new")):
                refs.append((m.start(), m.end(), "description", role))
        for m in _PRONOUN.finditer(text, s, e):
            refs.append((m.start(), m.end(), "pronoun", ""))
        refs.sort()
        here = mentions_in(s, e)
        for rs, re_, kind, role in refs:
            # A name nested inside a description ("the Qods Force leader") is no conflict.
            if overlaps_taken(rs, re_, nested_ok=kind == "description"):
                continue
            # Names inside a quotation are no antecedents for words outside it ("… Hillary …" he said).
            where = in_quote(rs)
            before = [m for m in here if m[1] < rs and in_quote(m[1]) == where]
            # Earlier sentences, skipping those that are nothing but a quotation.
            earlier: list[list[tuple[int, int, bool]]] = []
            for sent in reversed(recent[-6:]):
                kept = [m for m in sent if in_quote(m[1]) is None or in_quote(m[1]) == where]
                if kept:
                    earlier.insert(0, kept)
                if len(earlier) == (1 if kind == "pronoun" else 2):
                    break
            window = before + [m for sent in earlier for m in sent]
            if where is not None and kind == "pronoun":
                continue  # "I", "he" inside a quotation speak from the quoted speaker's view
            cands = {m[0] for m in window}
            choice: int | None = None
            if len(cands) == 1:
                choice = cands.pop()
            elif cands and role:
                titled = {c for c in cands if role in titles[c]}
                choice = titled.pop() if len(titled) == 1 else None
            elif cands and kind == "pronoun":
                # Prefer the subject of the nearest sentence that had a person subject.
                for sent in ([before] if before else []) + list(reversed(earlier)):
                    subj = {m[0] for m in sent if m[2]}
                    if subj:
                        choice = subj.pop() if len(subj) == 1 else None
                        break
            if choice is None:
                continue
            c = _Cand(rs, re_, "PERSON", kind=kind)
            clusters[choice].cands.append(c)
            owner[(rs, re_)] = choice
            bisect.insort(keys, (rs, re_))
            here = mentions_in(s, e)
        recent.append(here)


def _canonical(cl: _Cluster, text: str, label: str) -> str:
    names = cl.names(text)
    counts = Counter(names)

    def rank(n: str) -> tuple[int, int, int, int]:
        acronym = _is_acronym(n)
        words = len(n.split())
        # People and places: the fullest form; organisations: the long name over the initialism.
        return (
            0 if acronym and label != "GPE" else 1,
            words if label != "GPE" else -words,
            counts[n],
            -names.index(n),
        )

    return max(counts, key=rank)


def extract_entities(doc: Document) -> list[Entity]:
    """The entities of `doc`'s body, merged and sorted by first mention. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.body_range
    if not doc.text[start:end].strip():
        return []
    parsed = parse(doc)
    text = doc.text
    cands = _candidates(parsed, text)
    if not cands:
        return []
    clusters = _cluster(cands, text, start, end)
    _propagate(clusters, text, start, end)
    types = [_vote(cl.cands, text) for cl in clusters]
    _attach_references(clusters, parsed, text, types)
    out: list[Entity] = []
    for cl, label in zip(clusters, types, strict=True):
        cl.cands.sort(key=lambda c: c.start)
        name = _canonical(cl, text, label)
        aliases: list[str] = []
        for c in cl.cands:
            if c.kind == "pronoun":
                continue
            forms = [text[c.start : c.end]]
            if c.full_start is not None:
                forms.append(text[c.full_start : c.end])
            for f in forms:
                if c.kind == "description" and f[:1].isupper():
                    f = "t" + f[1:] if f.startswith("The ") else f
                if f != name and f not in aliases:
                    aliases.append(f)
        mentions = [Mention(start=c.start, end=c.end, text=text[c.start : c.end]) for c in cl.cands]
        out.append(Entity(name=name, type=label, aliases=aliases, mentions=mentions))
    out.sort(key=lambda e: e.mentions[0].start)
    return out


@register_stage("entities")
class EntityStage:
    """Pipeline stage: fills `doc.entities` (see the module docstring)."""

    name = "entities"

    def __call__(self, doc: Document) -> Document:
        doc.entities = extract_entities(doc)
        return doc


def entities_of(doc: Document) -> list[Entity]:
    """The entities later stages should use: the stage's output when it ran, else computed now."""
    if "entities" in doc.stages or doc.entities:
        return doc.entities
    if not is_english(doc) or not doc.text[slice(*doc.body_range)].strip():
        return []
    memo = parse(doc).memo
    if "entities" not in memo:
        memo["entities"] = extract_entities(doc)
    found: list[Entity] = memo["entities"]
    return found


def mention_owner(entities: list[Entity]) -> list[tuple[int, int, Entity, str]]:
    """Every mention as (start, end, entity, text), sorted: for looking up who a span names."""
    rows = [(m.start, m.end, e, m.text) for e in entities for m in e.mentions]
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows
