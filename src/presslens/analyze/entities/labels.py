"""Entity types: the evidence a name carries about what it names, and the vote over a cluster.

Where it sits: `mentions` asks `type_hint` while it finds names (a rule's evidence, such as an
organisation head word or "the city of …", outweighs spaCy's label); `aliases` and the stage
ask `vote_type` for the type of a merged cluster, where full names count for more than bare
surnames because the small NER model is far more reliable on them.
"""

from __future__ import annotations

import re
from collections import Counter

from presslens.analyze.entities.candidates import Candidate
from presslens.analyze.entities.names import is_acronym
from presslens.analyze.entities.words import AWARD_HEADS, LAW_HEADS, ORG_HEADS, PLACE_HEADS, PLACE_LEADS
from presslens.lexicon.persons import name_gender
from presslens.lexicon.places import US_STATE_CODES, country_code, demonym_of

# A name in apposition to the word for an organisation: "the group Everytown for Gun Safety",
# "the news site Breitbart", "the charity Oxfam".
_ORG_NOUN_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)[ \t]+(?:[A-Z]?[a-z\-]+[ \t]+)?(?:group|organi[sz]ation|company|firm|agency|outlet|"
    r"website|site|newspaper|tabloid|magazine|network|broadcaster|charity|nonprofit|non-profit|"
    r"think[ \t]+tank|union|party|militia|movement|coalition|lobby)[ \t]+$"
)
# Writing appears in a publication: "writes in The Atlantic", "wrote in the Guardian".
_WROTE_IN = re.compile(r"\b(?:write|writes|wrote|written|writing|published)[ \t]+in[ \t]+(?:[Tt]he[ \t]+)?$")


def type_hint(text: str, start: int, end: int, floor: int) -> str | None:
    """Type evidence from the name's own words and its left context."""
    name = text[start:end]
    words = [w.lower().strip(".,") for w in re.split(r"[\s\-]+", name) if w.strip(".,")]
    if not words:
        return None
    if len(words) == 1 and demonym_of(name):
        return None  # "the southern Swedish city", "the Danish tabloid": a people's adjective, no place
    if len(words) > 1 and words[-1] in LAW_HEADS and name[:1].isupper():
        return "LAW"  # "Red Flag Laws", "Affordable Care Act": a law, however NER typed it
    work = _work_evidence(text, start, end, floor)
    if work:
        return work
    if words[0] in AWARD_HEADS and len(words) > 2 and words[1] == "of":
        return "AWARD"
    if words[-1] in AWARD_HEADS and len(words) > 1 and words[-1] != "order":
        return "AWARD"
    if len(words) > 1 and words[-1] == "day" and name[:1].isupper():
        return "EVENT"  # "Armed Forces Day", "Election Day": a day, not the organisation in it
    if len(words) > 1 and words[-1] in ORG_HEADS:
        return "ORG"
    if len(words) > 1 and words[0] in ORG_HEADS and "of" in words:
        return "ORG"
    left = text[max(floor, start - 30) : start]
    if _ORG_NOUN_BEFORE.search(left):
        return "ORG"  # "the group Everytown", "the website Breitbart"
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
    if len(words) > 1 and words[0] in PLACE_LEADS and name[:1].isupper():
        return "LOC"  # "River Thames", "Lake Chad": no organisation's name starts so
    if len(words) > 1 and is_acronym(name.split()[0]) and len(name.split()[0]) > 1:
        # "NBC Bay Area", "ICE Air Operations"; but "DR Congo", "US Navy" keep NER's word.
        return "ORG" if len(words) > 2 else None
    right = text[end : end + 25]
    if re.match(
        r"\s+(?:province|region|city|district|county|state|village|town|governorate|prefecture)\b", right
    ):
        return "GPE"
    named_site = re.match(r"[ \t]+(?:website|site|blog|newspaper|magazine|tabloid)\b", right)
    if (named_site and re.search(r"\b[Tt]he[ \t]+$", left)) or _WROTE_IN.search(left):
        # "told the Jezebel website", "Tina Dupuy writes in The Atlantic"; "a British
        # newspaper" is a demonym's.
        return "ORG"
    if (
        re.search(r"\bthe\s+$", left)
        and len(words) == 1
        and name.endswith("s")
        and name[:1].isupper()
        and not is_acronym(name)
    ):
        return "ORG"  # "the Houthis", "the Taliban"-like plural group names
    return None


# A work named after the word for its kind: "the encyclical Humanae Vitae", "the book Fire and
# Fury", "a film called …"; a comma between only when the name then ends the sentence
# ("Pope Francis's post-synodal exhortation, Amoris Laetitia.").
_WORK_NOUNS = (
    r"(?:book|novel|memoir|film|movie|documentary|song|album|poem|play|encyclical|exhortation|"
    r"apostolic\s+letter|bull|treatise|pamphlet|manifesto|essay|op-ed|column|newsletter|podcast|"
    r"series|sitcom|show|programme|program|video|game|bill|law|act|statute|ordinance)"
)
_WORK_BEFORE = re.compile(
    r"(?:\b(?i:the|a|an|his|her|their|its|this|that)|\w['’]s)\s+(?:[\w\-]+\s+){0,2}?(?i:"
    + _WORK_NOUNS
    + r")(?P<comma>,)?\s+(?i:(?:called|titled|entitled|named)\s+)?[“\"‘']?$"
)
_WORK_CALLED = re.compile(r"\b(?:titled|entitled)\s+[“\"‘']?$")
# "(see Familiaris Consortio, n. 84)": a document cited by its numbered paragraph or chapter.
_CITED_PART = re.compile(r"[’'”\"]?,?[ \t]+(?:n|nn|no|para|paras|art|ch|chap|sec)\.[ \t]*\d|,?[ \t]*§")


def _work_evidence(text: str, start: int, end: int, floor: int) -> str | None:
    """ "WORK_OF_ART" when the context names the kind of work `text[start:end]` is."""
    left = text[max(floor, start - 60) : start]
    m = _WORK_BEFORE.search(left)
    if m and (not m.group("comma") or re.match(r"[’'”\"]?[ \t]*(?:[.;)]|$)", text[end : end + 3])):
        return "WORK_OF_ART"
    if _WORK_CALLED.search(left) or _CITED_PART.match(text, end):
        return "WORK_OF_ART"
    return None


WORK_TYPES = frozenset({"WORK_OF_ART", "LAW"})


def _work_name(name: str) -> bool:
    """A name that can only be a work's: two words or more, the first no given name ("the film
    Weinstein produced" and "the book Michael Wolff wrote" name people after the noun)."""
    words = name.split()
    return len(words) > 1 and name_gender(words[0]) is None


def vote_type(cands: list[Candidate], text: str) -> str:
    """A cluster's type: its names' labels vote; a rule's hint and a full name weigh more.

    A name the text once presents as a work or a law ("the encyclical …", "… Act") is one
    throughout, whatever NER calls its other mentions.
    """
    works = [
        c.hint
        for c in cands
        if c.kind == "name" and c.hint in WORK_TYPES and _work_name(text[c.start : c.end])
    ]
    if works and not any(c.hint == "PERSON" for c in cands):
        return works[0] or "WORK_OF_ART"
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
    top = score.most_common(1)[0][0]
    if all(is_acronym(n) for n in names) and top in {"PERSON", "WORK_OF_ART"}:
        return "ORG"
    named = [c for c in cands if c.kind == "name"]
    if (
        top in {"GPE", "LOC"}
        and all(is_acronym(text[c.start : c.end]) and not c.hint for c in named)
        and not any(_place_initialism(text, c) for c in named)
    ):
        return "ORG"  # "DOJ or FBI": an initialism that names no country, state or city is a body
    return top


# Cities news names by their initials; countries and US states are in the places lexicon.
_CITY_INITIALISMS = frozenset({"NYC", "DC", "SF", "LA", "ATL", "OKC", "NOLA", "KC"})


def _place_initialism(text: str, c: Candidate) -> bool:
    """An initialism or a capitalised word that names a place: a country ("US", "UAE"), a US
    state's code ("NC"), a city's initials ("NYC"), or a dateline ("ROME, Italy –", "YUMA:")."""
    name = text[c.start : c.end]
    bare = name.replace(".", "")
    if country_code(name) or country_code(name.title()) or name in US_STATE_CODES:
        return True
    if bare in _CITY_INITIALISMS:
        return True
    line_start = text.rfind("\n", 0, c.start) + 1
    dateline = re.match(r"[ \t]*(?:[,:(]|[–—-])", text[c.end :]) is not None
    return dateline and not text[line_start : c.start].strip()


def type_class(label: str) -> str:
    """Places are one class when merging: NER calls one place GPE here and LOC there."""
    return "PLACE" if label in {"GPE", "LOC", "FAC"} else label


def person_context(cands: list[Candidate], members: list[int], text: str) -> bool:
    """A surname NER mislabelled as a place: accept when most of its spaCy labels disagree."""
    labels = Counter(cands[i].label for i in members)
    total = sum(labels.values())
    return labels["PERSON"] > 0 or (total >= 2 and labels.most_common(1)[0][1] < total)
