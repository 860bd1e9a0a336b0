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
from presslens.analyze.entities.words import AWARD_HEADS, ORG_HEADS, PLACE_HEADS


def type_hint(text: str, start: int, end: int, floor: int) -> str | None:
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
    if len(words) > 1 and is_acronym(name.split()[0]) and len(name.split()[0]) > 1:
        # "NBC Bay Area", "ICE Air Operations"; but "DR Congo", "US Navy" keep NER's word.
        return "ORG" if len(words) > 2 else None
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
        and not is_acronym(name)
    ):
        return "ORG"  # "the Houthis", "the Taliban"-like plural group names
    return None


def vote_type(cands: list[Candidate], text: str) -> str:
    """A cluster's type: its names' labels vote; a rule's hint and a full name weigh more."""
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
    if all(is_acronym(n) for n in names) and score.most_common(1)[0][0] in {"PERSON", "WORK_OF_ART"}:
        return "ORG"
    return score.most_common(1)[0][0]


def type_class(label: str) -> str:
    """Places are one class when merging: NER calls one place GPE here and LOC there."""
    return "PLACE" if label in {"GPE", "LOC", "FAC"} else label


def person_context(cands: list[Candidate], members: list[int], text: str) -> bool:
    """A surname NER mislabelled as a place: accept when most of its spaCy labels disagree."""
    labels = Counter(cands[i].label for i in members)
    total = sum(labels.values())
    return labels["PERSON"] > 0 or (total >= 2 and labels.most_common(1)[0][1] < total)
