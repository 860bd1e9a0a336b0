"""Finding names: spaCy's entity spans corrected and completed by general rules.

Where it sits: first step of the entities stage. `find_candidates` turns the parse of the
body into `Candidate` spans (offsets into `Document.text`): each NER span is trimmed to the
name (no determiner, possessive or title), a title-only or calendar-word span is dropped, and
rules add what the small model misses on non-Western names and news layout — datelines
("TUCSON, Ariz. –"), names after honorifics ("Sheikh Nimr al-Nimr"), "Iraq's Mosul", and the
long names of initialisms used in the text. `aliases` then merges the candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from spacy.attrs import DEP, POS
from spacy.lang.en.stop_words import STOP_WORDS

from presslens.analyze.entities.candidates import Candidate
from presslens.analyze.entities.labels import type_hint
from presslens.analyze.entities.names import (
    initials,
    initials_all,
    is_acronym,
    split_titles,
    titles_before,
    trim_span,
)
from presslens.analyze.entities.words import (
    CALENDAR_WORDS,
    DISEASE_AFTER,
    FAITH_ADJECTIVES,
    FORM_WORDS,
    GROUP_NOUNS,
    INNER_CAPITAL_PREFIXES,
    INTERJECTIONS,
    KEEP_LABELS,
    NOT_NAMES,
    ORG_HEADS,
    PERSON_TITLES,
    PHOBIA_ENDINGS,
    PLACE_HEADS,
    PLANETS,
    PLATFORMS,
    STATE_BODY_HEADS,
    STOP_IN_NAMES,
    TIME_NOUNS,
    TITLE_GLUE,
    UNNAMED_PERSON_NOUNS,
    US_PRESIDENTS,
)
from presslens.analyze.nlp import CUE_WORDS, Parsed, quoted_spans
from presslens.lexicon.dates import MONTHS
from presslens.lexicon.persons import FIRST_NAMES, HONORIFICS
from presslens.lexicon.places import (
    US_STATE_CODES,
    US_STATES,
    country_code,
    demonym_of,
    is_region,
    nation_word,
)
from presslens.lexicon.quotes import MORE_SPEECH_VERBS, title_cased

if TYPE_CHECKING:
    from spacy.tokens import Token


def find_candidates(parsed: Parsed, text: str) -> list[Candidate]:
    """Named spans from spaCy plus the rule layer, as offsets into `Document.text`."""
    off = parsed.offset
    floor, ceil = off, off + len(parsed.text)
    out: list[Candidate] = []
    headlines = _headline_lines(text, floor, ceil)
    for ent in parsed.doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        s, e = trim_span(text, ent.start_char + off, ent.end_char + off)
        if e <= s:
            continue
        if any(a <= s < b for a, b in headlines) and not _headline_body_org(text, s, e, ent.label_, ceil):
            continue  # Title Case lines fool NER; names there are recovered from the body later
        if _is_storm(text, s, floor):
            continue  # "Hurricane Maria", "Hurricanes Irma, Harvey and Maria": a storm, an event
        if any(t.pos_ in {"VERB", "AUX"} and t.text[:1].islower() for t in ent):
            continue  # "Smith defines Gillum’s": a clause, not a name (its names are found again later)
        if len(ent) == 1 and ent[0].tag_ == "JJ" and ent.label_ != "NORP":
            out.append(Candidate(s, e, "NORP"))  # "a Guatemalan man": an adjective, not an organisation
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
        if (pro := _FOR_OR_AGAINST.fullmatch(text, s, e)) and country_code(pro.group(1)):
            # "anti-Israel": hyphens part words, and Israel is named (NER says NORP, or PERSON
            # for "deemed to be pro-Israel")
            s, label = pro.start(1), "GPE"
        elif pro and is_acronym(pro.group(1)):
            s, label = pro.start(1), "ORG"  # "the anti-BDS initiative": the movement is named
        forced_org = False
        if corp := _CORPORATE_SUFFIX.search(text, s, e):
            e, label, forced_org = corp.start(), "ORG", True  # "CQ-Roll Call, Inc." is "CQ-Roll Call"
        if label == "ORG" and (gov := _GOVERNMENT_OF.match(text, s, e)) and country_code(text[gov.end() : e]):
            s, label = gov.end(), "GPE"  # "the Government of the DRC": the country is the name
        elif (
            label == "GPE"
            and (m := _PARTY_AFTER.match(text, e, min(ceil, e + 16)))
            and country_code(text[s:e]) not in {None, "USA"}
        ):
            e, label, forced_org = m.end(), "ORG", True  # "Sweden Democrats": a party, not the country
        if dated := _DATED_TAIL.search(text, s, e):
            e = dated.start()  # "the Great Hall of the People in Beijing on Nov 9, 2017"
        if label in {"FAC", "LOC", "ORG"} and (where := _PLACE_TAIL.search(text, s, e)):
            # "… Great Hall of the People in Beijing": the building, then the city it is in.
            ps, pe = where.span("place")
            out.append(Candidate(ps, pe, "GPE", hint="GPE"))
            e = where.start()
        e = _first_name_extended(text, s, e, ceil)
        if (
            label == "PERSON"
            and e == ent.end_char + off
            and " " not in text[s:e]
            and ent.end < len(parsed.doc)
        ):
            e = _surname_after(parsed.doc[ent.end], text, s, e, off)
        if (
            label == "PERSON"
            and s == ent.start_char + off
            and re.fullmatch(r"[A-Z][a-z][\w’'\-]*", text[s:e])  # not a dateline's "STOCKHOLM"
            and ent.start > 0
        ):
            s = _given_name_before(parsed.doc[ent.start - 1], text, s, off)
        s2, titles = split_titles(text, s, e)
        if (
            titles
            and label == "ORG"
            and len(text[s2:e].split()) == 1
            and titles[-1].lower() not in HONORIFICS
        ):
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
        s0, more = titles_before(text, s2 if titles else s, floor)
        titles = more + titles
        cand = Candidate(s2, e, label, titles, s0 if titles else None)
        if (
            titles
            and any(t.lower() in PERSON_TITLES for t in titles)
            and label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "WORK_OF_ART"}
        ):
            cand.hint = "PERSON"
        hint = type_hint(text, s2, e, floor)
        if hint == "ORG" and label == "NORP" and text[e - 1 : e] == "s" and " " not in text[s2:e]:
            hint = None  # "the Iranians": a people, as NER says; "the Houthis" (NER: PERSON) a group
        cand.hint = hint or cand.hint
        root = ent.root
        n_words = len(text[s2:e].split())
        if (
            cand.hint is None
            and root.dep_ == "nsubj"
            and root.head.lower_ in _CUES
            and (
                (
                    label in {"WORK_OF_ART", "PRODUCT", "LAW", "EVENT", "FAC", "LOC", "GPE"}
                    and 2 <= n_words <= 3
                )
                # "“…,” Fauci insisted": a people, a work or an event does not talk either; one
                # word of them that is no demonym is a surname NER mistook.
                or (label in _MUTE_LABELS and n_words <= 3 and not demonym_of(text[s2:e]))
            )
        ):
            cand.hint = "PERSON"  # "Billie Winner-Davis said": places and works of art do not talk
        if cand.hint is None and label != "PERSON" and _person_cue(text, s2, e, floor):
            cand.hint = "PERSON"
        if (
            cand.hint is None
            and label == "PERSON"
            and " " not in text[s2:e]
            and re.search(
                r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y|[Yy]our)\s+$", text[max(floor, s2 - 7) : s2]
            )
        ):
            cand.hint = "ORG"  # "his Twitter thread": what a person owns is no person
        if cand.hint is None and label == "PERSON" and _cited_source(text, s2, e, floor):
            cand.hint = "ORG"  # "According to Breitbart,": a one-word source with no person cue
        cand.hint = _place_evidence(text, s2, e, label, ceil) or cand.hint
        if (
            label in {"GPE", "LOC", "ORG"}
            and cand.hint is None
            and text[s2:e] in US_PRESIDENTS
            and not re.search(r"\b(?:in|at|near|from|of)[ \t]+$", text[max(floor, s2 - 6) : s2])
        ):
            cand.hint = "PERSON"  # "donated thousands of dollars to Obama, Hillary and the DNC"
        if forced_org:
            cand.hint = "ORG"  # a party, or a company named with its corporate suffix
        out.append(cand)
    out = _datelines(text, floor, ceil) + out
    out.extend(_headline_countries(text, headlines, out))
    out.extend(_brand_names(text, floor, ceil, out))
    out.extend(_credited_outlets(text, floor, ceil, out))
    out.extend(_speaking_subjects(parsed, text, out))
    out.extend(_title_names(text, floor, ceil, out, headlines))
    out.extend(_first_name_names(text, floor, ceil, out, headlines))
    out.extend(_possessive_places(text, floor, ceil, out))
    out.extend(_possessor_outlets(text, floor, ceil, out))
    out.extend(_acronym_expansions(text, floor, ceil, out))
    out.extend(_repeated_initialisms(text, floor, ceil, out))
    out.extend(_party_states(text, floor, ceil, out))
    out.extend(_country_pairs(text, floor, ceil, out))
    out.extend(_presidents_years(text, floor, ceil, out))
    out.extend(_missions(text, floor, ceil, out))
    out.extend(_groups_named(text, floor, ceil, out))
    out.extend(Candidate(*m.span(), "ORG", hint="ORG") for m in _WEBSITE.finditer(text, floor, ceil))
    _quoted_titles(text, floor, ceil, out, headlines)
    out = [part for c in out for part in _run_together_people(c, text)]
    out = [_adjective_led_body(c, text, ceil) for c in out]
    cands = _leaders_offices(
        _state_bodies(_split_compounds(_filter(_dedupe(out), parsed, text), text), text), text
    )
    cands = _listed_places(_place_before_event(cands, text), text, floor, ceil)
    return _no_promo_places(_county_and_state(_field_offices(cands, text), text), text, floor, ceil)


# A site's newsletter sign-up line: "Sign up for POLITICO Playbook and get the latest news, every
# morning — in your inbox.", "Get The Times of Israel's Daily Edition by email".
_PROMO_LINE = re.compile(
    r"^(?:Sign[ \t]+up|Subscribe|Get)\b[^\n]*\b(?:e-?mail|inbox|newsletter)\b[^\n]*$", re.M | re.I
)


def _no_promo_places(cands: list[Candidate], text: str, floor: int, ceil: int) -> list[Candidate]:
    """A sign-up line names newsletters ("Playbook", "Daily Edition"), no places; a country
    there keeps its label."""
    lines = [m.span() for m in _PROMO_LINE.finditer(text, floor, ceil)]
    if not lines:
        return cands
    return [
        c
        for c in cands
        if not (
            (c.hint or c.label) in {"GPE", "LOC"}
            and any(a <= c.start < b for a, b in lines)
            and not country_code(text[c.start : c.end])
        )
    ]


# A website named by its domain ("GOP.com", "Visit The Virginian-Pilot at pilotonline.com"), not
# part of an address or a path ("jmagder@postmedia.com", "Twitter.com/JasonMagder").
_WEBSITE = re.compile(r"(?<![\w@/.\-])[A-Za-z][A-Za-z\d\-]*\.(?:com|org|net)(?![\w/@\-]|\.\w)")


def _run_together_people(c: Candidate, text: str) -> list[Candidate]:
    """A poll's list of names NER read as one ("John Bolton Richard Grenell"): a person's span
    of four or more words is cut before each inner common first name that follows a word that is
    none ("Mary Ann Smith Jones" stays whole) and has a surname after it."""
    if (c.hint or c.label) != "PERSON" or c.kind != "name":
        return [c]
    words = list(re.finditer(r"\S+", text[c.start : c.end]))
    if len(words) < 3:
        return [c]
    given = [w.group().lower() in FIRST_NAMES for w in words]
    # Three words can be names cut wrong at either end: "Dianne Feinstein Maxine" before
    # "Waters", and "Nauert Ivanka Trump" after "Heather", a first name NER left out ("Drummer
    # Lee Rigby" and "Mohamad Jamal Khweis" stay whole); four or more are cut inside only.
    before = re.search(r"([A-Z][a-z]+)[ \t]+$", text[max(0, c.start - 24) : c.start])
    lead = 1 if before is not None and before.group(1).lower() in FIRST_NAMES else 2
    inner = range(lead, 3) if len(words) == 3 else range(2, len(words) - 1)
    cuts = [k for k in inner if given[k] and not given[k - 1]]
    # A first name cut off at the end takes the surname NER left out after it.
    more = _NEXT_WORD.match(text, c.end, c.end + 24)
    if cuts and cuts[-1] == len(words) - 1 and more is None:
        cuts.pop()
    if not cuts:
        return [c]
    bounds = [0, *cuts, len(words)]
    out = [
        Candidate(c.start + words[a].start(), c.start + words[b - 1].end(), "PERSON", hint="PERSON")
        for a, b in pairwise(bounds)
    ]
    if cuts[-1] == len(words) - 1 and more is not None:
        out[-1].end = more.end()
    return out


_NEXT_WORD = re.compile(r"[ \t]+([A-Z][a-z]+)(?![\w\-’'])")


def _adjective_led_body(c: Candidate, text: str, ceil: int) -> Candidate:
    """ "the Islamic State", "the Catholic Church": NER tags the adjective alone a people (NORP)
    and leaves the capitalised head noun after it out; together they name one organisation."""
    if c.kind != "name" or c.label != "NORP" or c.hint is not None or " " in text[c.start : c.end]:
        return c
    m = _NEXT_WORD.match(text, c.end, min(ceil, c.end + 24))
    if m is None or (m.group(1).lower() not in ORG_HEADS and m.group(1) != "State"):
        return c
    return Candidate(c.start, m.end(), "ORG", hint="ORG")


_NAME_ITEM = r"[A-Z][\w.’'\-]*(?:[ \t]+[A-Z][\w.’'\-]*)*(?:[ \t]*\(\d+\))?"
# The list runs on by commas and "and" while names follow ("…, and the Central African
# Republic"), and stops at a clause (", the WHO said").
_PLACE_LIST = re.compile(
    r"\b(?P<kind>cities|towns|countries|states|counties|provinces|villages|municipalities)"
    r"(?:[ \t]+of|[ \t]*:|[ \t]+such[ \t]+as|[ \t]+including)[ \t]+(?P<items>(?:the[ \t]+)?"
    + _NAME_ITEM
    + r"(?:(?:,[ \t]+|,?[ \t]+and[ \t]+(?:the[ \t]+)?)"
    + _NAME_ITEM
    + r")*)"
)
_LIST_ITEM = re.compile(r"(?<![\w.])[A-Z][\w.’'\-]*(?:[ \t]+[A-Z][\w.’'\-]*)*")
_BEARING_OF = re.compile(
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?[ \t]+of[ \t]+"
    r"(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)\b"
)
_SUBUNIT = re.compile(
    r"(?<![\w\-])(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})[ \t]+(?:Station|Sector)\b"
)
_LOCATED = re.compile(r",[ \t]+(?:located|situated)[ \t]+(?:about[ \t]+|some[ \t]+)?(?:\d|in\b|on\b|near\b)")
_PLACE_KIND_AFTER = re.compile(r"[ \t]+(?:cities|towns|counties|villages)\b")


def _listed_places(cands: list[Candidate], text: str, floor: int, ceil: int) -> list[Candidate]:
    """ "arrests in the following Missouri cities: St. Joseph (6), Belton (1) … and Kansas City"
    and "the Kansas cities of Olathe and Lawrence": every name listed after a plural of places is
    a place, whatever NER made of it (persons, or nothing for "Independence"), and so is the name
    right before "cities"."""
    out = list(cands)
    for m in _PLACE_LIST.finditer(text, floor, ceil):
        a, b = m.span("items")
        for item in _LIST_ITEM.finditer(text, a, b):
            s, e = item.span()
            inside = [c for c in out if c.kind == "name" and c.start < e and s < c.end]
            if not inside:
                out.append(Candidate(s, e, "GPE", hint="GPE"))
            for c in inside:
                if (c.hint or c.label) in {"PERSON", "ORG"}:
                    c.hint = "GPE"
                if c.start > s and text[s : c.start].strip().endswith("."):
                    c.start = s  # "St. Joseph": NER kept "Joseph" alone
    for m in _BEARING_OF.finditer(text, floor, ceil):
        s, e = m.span("place")
        if not any(c.start < e and s < c.end for c in out):
            out.append(Candidate(s, e, "GPE", hint="GPE"))  # "patrolling east of Nogales"
    places = {text[c.start : c.end] for c in out if c.kind == "name" and (c.hint or c.label) == "GPE"}
    for m in _SUBUNIT.finditer(text, floor, ceil):
        if m.group("place") in places and not any(c.start == m.start() and c.end == m.end() for c in out):
            # "agents assigned to the Nogales Station": a unit named for its town, an organisation.
            out = [c for c in out if not (m.start() <= c.start and c.end <= m.end())]
            out.append(Candidate(m.start(), m.end(), "ORG", hint="ORG"))
    for c in out:
        if c.kind == "name" and (c.hint or c.label) == "ORG" and _PLACE_KIND_AFTER.match(text, c.end, ceil):
            c.hint = "GPE"
        elif (
            c.kind == "name"
            and (c.hint or c.label) in {"ORG", "PERSON"}
            and _LOCATED.match(text, c.end, ceil)
        ):
            c.hint = "GPE"  # "a clinic at Ilkoko Iponge, located about 30 kilometres from Bikoro"
    out.sort(key=lambda c: c.start)
    return out


_COUNTY_STATE = re.compile(
    r"(?P<county>.+?[ \t](?:County|Parish))[ \t]+(?P<state>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)"
)


def _county_and_state(cands: list[Candidate], text: str) -> list[Candidate]:
    """ "arrested in Johnson County Kansas": a county and its state written with no comma, two
    places NER read as one."""
    out: list[Candidate] = []
    for c in cands:
        m = _COUNTY_STATE.fullmatch(text, c.start, c.end)
        if c.kind == "name" and (c.hint or c.label) in {"GPE", "LOC"} and m and m.group("state") in US_STATES:
            out.append(Candidate(c.start, m.end("county"), "GPE", hint="GPE"))
            out.append(Candidate(m.start("state"), c.end, "GPE", hint="GPE"))
            continue
        out.append(c)
    return out


def _field_offices(cands: list[Candidate], text: str) -> list[Candidate]:
    """ "field office director for ERO Chicago", "HSI Phoenix": an organisation's initialism,
    named alone elsewhere in the text, then a capitalised word that is no organisation head and
    no common noun (the text never writes it in lower case) is the organisation and the city of
    its office, two mentions."""
    alone = {text[c.start : c.end] for c in cands if c.kind == "name" and is_acronym(text[c.start : c.end])}
    out: list[Candidate] = []
    for c in cands:
        words = text[c.start : c.end].split(" ")
        if (
            c.kind == "name"
            and (c.hint or c.label) == "ORG"
            and len(words) == 2
            and words[0] in alone
            and re.fullmatch(r"[A-Z][a-z]{2,}", words[1])
            and words[1].lower() not in ORG_HEADS
            and re.search(r"\b" + words[1].lower() + r"\b", text) is None
        ):
            split = c.start + len(words[0])
            out.append(Candidate(c.start, split, "ORG", hint="ORG"))
            out.append(Candidate(split + 1, c.end, "GPE", hint="GPE"))
            continue
        out.append(c)
    return out


_EVENT_NOUNS = frozenset(
    {"massacre", "shooting", "shootings", "attack", "attacks", "bombing", "bombings", "riot", "riots"}
)


def _place_before_event(cands: list[Candidate], text: str) -> list[Candidate]:
    """ "the Las Vegas Massacre", "Las Vegas Shooting": NER takes the capitalised event noun
    into the place's span; the place is the mention, a modifier of the event."""
    for c in cands:
        words = text[c.start : c.end].split()
        if (
            c.kind == "name"
            and (c.hint or c.label) in {"GPE", "LOC"}
            and len(words) >= 2
            and words[-1].lower() in _EVENT_NOUNS
        ):
            c.end = c.start + len(text[c.start : c.end].rsplit(None, 1)[0])
    return cands


_LEADERS_OFFICES = frozenset({"administration", "campaign", "presidency", "government", "cabinet"})


def _leaders_offices(cands: list[Candidate], text: str) -> list[Candidate]:
    """ "the Trump Administration", "the Trump Campaign": a person's name used as a modifier of
    the office or campaign they lead, which NER tags as one organisation when capitalised. The
    name is the mention, a person's, when the text names that person elsewhere."""
    people = {
        text[c.start : c.end].split()[-1]
        for c in cands
        if c.kind == "name" and (c.hint or c.label) == "PERSON"
    }
    for c in cands:
        words = text[c.start : c.end].split()
        if (
            c.kind == "name"
            and (c.hint or c.label) == "ORG"
            and 2 <= len(words) <= 3
            and words[-1].lower() in _LEADERS_OFFICES
            and words[-2] in people
        ):
            c.end = c.start + len(text[c.start : c.end].rsplit(None, 1)[0])
            c.label, c.hint = "PERSON", "PERSON"
    return cands


def _state_bodies(cands: list[Candidate], text: str) -> list[Candidate]:
    """A country and the state body named right after it are one organisation's name: "US
    Senate", "U.S. State Department", whether NER tagged them together or as a place and an
    organisation. The body named alone elsewhere ("the Senate") joins it as a short form."""
    out: list[Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "name"
            and c.kind == "name"
            and text[prev.end : c.start] == " "
            and (prev.hint or prev.label) in {"GPE", "LOC"}
            # "Pennsylvania Supreme Court": a US state's own bodies too
            and (country_code(text[prev.start : prev.end]) or text[prev.start : prev.end] in US_STATES)
            and (c.hint or c.label) == "ORG"
            and (
                _body_head(text[c.start : c.end]) in STATE_BODY_HEADS
                # "Florida Democrat Party": a US state's branch of a party is one organisation
                or (text[prev.start : prev.end] in US_STATES and text[c.start : c.end].split()[-1] == "Party")
            )
        ):
            out[-1] = Candidate(prev.start, c.end, "ORG", hint="ORG")
            continue
        out.append(c)
    return out


def _body_head(name: str) -> str:
    """ "department" of "State Department" and of "Department of Justice"."""
    words = name.split()
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1].lower()
    return words[-1].lower()


_MONTH_WORDS = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
# A date NER ran into a name: "… on Nov 9, 2017", "… in March 2016".
_DATED_TAIL = re.compile(r"[ \t]+(?:on|in)[ \t]+(?:" + _MONTH_WORDS + r")\.?[ \t]+\d")
# A place after a building or a body's name: "… of the People in Beijing" (one to three
# capitalised words that end the span).
_PLACE_TAIL = re.compile(r"[ \t]+in[ \t]+(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})$")
_NOT_WORKS = frozenset({"GPE", "LOC", "FAC", "NORP", "PERSON"})


def _quoted_titles(
    text: str, floor: int, ceil: int, cands: list[Candidate], headlines: list[tuple[int, int]]
) -> None:
    """Names inside a quoted title ("the “Profession of Immutable Truths about Sacramental
    Marriage”", "a “Make America Great Again” hat") are the work's words, not an organisation
    or a person: a multiword name there that no rule calls a place or a person, and whose first
    word is no given name, is a work. The title's form is the quotes stage's (`title_cased`)."""
    if not any(c.label in {"ORG", "PERSON", "EVENT", "PRODUCT", "WORK_OF_ART"} for c in cands):
        return
    spans = [
        sp
        for sp in quoted_spans(text, floor, ceil)
        if not any(a <= sp.start < b for a, b in headlines) and title_cased(text[sp.start : sp.end])
    ]
    for sp in spans:
        for c in cands:
            if not (sp.start <= c.start and c.end <= sp.end) or c.kind != "name":
                continue
            if c.hint in _NOT_WORKS or c.label in _NOT_WORKS - {"PERSON"}:
                continue
            words = text[c.start : c.end].split()
            if len(words) > 1 and words[0].lower() not in FIRST_NAMES:
                c.hint = "WORK_OF_ART"


# A country's mission abroad, named by the nation's adjective ("the Saudi Consulate").
_MISSION = re.compile(r"\b([A-Z][a-z]+)[ \t]+(?:Consulate(?:[ \t]+General)?|Embassy|High[ \t]+Commission)\b")
# A storm's name, which is an event's: "Hurricane Maria", "Tropical Storm Harvey", and each
# name of a list after the plural ("Hurricanes Irma, Harvey and Maria").
_STORMS = r"(?:Hurricanes?|Typhoons?|Cyclones?|Superstorm|(?:Tropical|Winter)[ \t]+(?:Storms?|Depression))"
_STORM_NAME = re.compile(_STORMS + r"[ \t]+[A-Z]")
_STORM_BEFORE = re.compile(
    _STORMS + r"[ \t]+$|\b(?:Hurricanes|Typhoons|Cyclones|Tropical[ \t]+Storms)[ \t]+"
    r"(?:[A-Z][\w\-]+(?:,[ \t]+|,?[ \t]+(?:and|or)[ \t]+))+$"
)


def _is_storm(text: str, start: int, floor: int) -> bool:
    """Whether the name at `start` is a storm's, or its head word starts it ("Storm Harvey" of
    "Tropical Storm Harvey", as NER cuts it)."""
    lead = re.search(r"\b(?:Tropical|Winter)[ \t]+$", text[max(floor, start - 12) : start])
    return bool(
        _STORM_NAME.match(text, lead.start() + max(floor, start - 12) if lead else start)
        or _STORM_BEFORE.search(text, max(floor, start - 80), start)
    )


_FOR_OR_AGAINST = re.compile(r"(?:[Pp]ro|[Aa]nti)-(\S+)")
# "Sen. Jeff Flake (R-AZ)", "(D-Conn.)", "(R-Texas)": a member of Congress's party and state.
# "(R-AZ)", "(D-Conn.)", and between commas ", D-Calif., who": a member of Congress's party and state.
_PARTY_STATE = re.compile(
    r"(?:\(|(?<=,[ \t]))(?:R|D|I)[-–](?P<state>[A-Z]{2}|[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?\.?)(?:\)|(?=[,;]))"
)
_CORPORATE_SUFFIX = re.compile(r"(?<=\w),?[ \t]+(?:Inc|Ltd|LLC|Corp|PLC|plc)\.?$")
_GOVERNMENT_OF = re.compile(r"(?:[Tt]he\s+)?[Gg]overnment\s+of\s+(?:the\s+)?")
# A country's name before a party's word is the party's name ("Sweden Democrats", "Sweden
# Democrat leader …"); only a foreign country counts: "US Democrats" are the members of one.
_PARTY_AFTER = re.compile(r"[ \t]+(?:Democrats?|Republicans?|Socialists?|Liberals?|Greens|Party)\b")
_ACCORDING_TO = re.compile(r"\b(?:[Aa]ccording\s+to|told|[Tt]elling)\s+$")


def _cited_source(text: str, s: int, e: int, floor: int) -> bool:
    """A one-word name cited as a source or told something ("according to Breitbart", "told
    Politico") that is nobody's surname and no first name.

    A person cited so is named in full somewhere ("Mr. Smith", "John Smith"); an outlet or a
    group is not, so a bare word after "according to" that never follows a capitalised word
    in the text is an organisation, whatever NER's person label says.
    """
    name = text[s:e]
    if " " in name or not _ACCORDING_TO.search(text[max(floor, s - 16) : s]):
        return False
    if name.lower() in FIRST_NAMES:
        return False  # "told Maria": a person called by her first name
    return re.search(r"[A-Z][\w’'\-]*\.?[ \t]+" + re.escape(name) + r"\b", text) is None


def _split_compounds(cands: list[Candidate], text: str) -> list[Candidate]:
    """NER spans that run two names together, cut into the names the text uses apart.

    "Mueller-McGahn sessions", "Rio Grande City Border Patrol agents": both halves are names
    found on their own elsewhere (a dateline in capitals counts, title-cased), or both halves of
    a hyphenated pair are surnames of people named in full. "Trump Campaign":
    a person's surname (from a full name elsewhere) and a word the text also writes in lower
    case (a common noun, "the campaign"): the surname alone is the name.
    """
    names: dict[str, str] = {}
    counts = Counter(text[c.start : c.end] for c in cands)
    for c in cands:
        name = text[c.start : c.end]
        names.setdefault(name, c.hint or c.label)
        if name.isupper() and " " in name:
            names.setdefault(name.title(), c.hint or c.label)
    surnames = {
        text[c.start : c.end].split()[-1]
        for c in cands
        if (c.hint or c.label) == "PERSON" and len(text[c.start : c.end].split()) >= 2
    }
    # Only a candidate whose first word is a known surname is cut at a common noun.
    lower_words = (
        set(re.findall(r"\b[a-z][a-z\-]+\b", text))
        if any(text[c.start : c.end].split()[0] in surnames for c in cands if " " in text[c.start : c.end])
        else set()
    )
    out: list[Candidate] = []
    for c in cands:
        # A name the text writes whole more than once is one name ("Travis Air Force Base").
        split = (
            _split_one(c, text, names, surnames, lower_words) if counts[text[c.start : c.end]] == 1 else None
        )
        out.extend(split or [c])
    return out


def _split_one(
    c: Candidate, text: str, names: dict[str, str], surnames: set[str], lower_words: set[str]
) -> list[Candidate] | None:
    name = text[c.start : c.end]
    own = re.search(r"(?<=s)['’][ \t]+(?=[A-Z])", name)
    if own and name[: own.start()] in names:
        # "WikiLeaks’ Julian Assange": a name the text writes alone, in the possessive, before
        # another name ("Veterans’ Affairs" stays whole: "Veterans" is no name of its own).
        left, right = name[: own.start()], name[own.end() :]
        kind = names.get(right) or ("PERSON" if len(right.split()) >= 2 else c.hint or c.label)
        return [
            Candidate(c.start, c.start + len(left), names[left], hint=names[left]),
            Candidate(c.start + own.end(), c.end, kind, hint=kind),
        ]
    # "U.S.-Mexico border": an abbreviation's closing point before the hyphen ends a name too.
    for m in re.finditer(r"[ \t]+|(?<=[a-z.])-(?=[A-Z])", name):
        left, right = name[: m.start()], name[m.end() :]
        # An initialism after a name is usually its head ("Travis AFB", "Chicago PD").
        # A person's first name and surname are both names too ("Elizabeth" … "Warren").
        both = (
            left in names
            and right in names
            # An initialism after a name is usually its head ("Travis AFB"), unless both are
            # organisations the text names alone ("the McGill BDS movement").
            and (not is_acronym(right) or (names[left] == "ORG" and names[right] == "ORG"))
            and (c.hint or c.label) != "PERSON"
            # "McGill University" is one name even where "the University" is written alone: an
            # organisation's head word is no name of its own.
            and not (" " not in right and right.lower() in ORG_HEADS)
        )
        if m.group() == "-" and {left, right} <= surnames:
            both = True  # "Mueller-McGahn sessions": two people the text names in full
            names = {**names, left: "PERSON", right: "PERSON"}
        noun = (
            left in surnames
            and " " not in right
            and right.lower() in lower_words - PLACE_HEADS - ORG_HEADS  # "Trump Tower" is a building
            and m.group() != "-"
        )
        # "aired on Tucker Carlson Tonight": a programme named after a person the text names
        # alone; the programme is a work, the person's name in it a mention.
        show = names.get(left) == "PERSON" and right.lower() in _SHOW_WORDS and m.group() != "-"
        noun = noun or show
        if not (both or noun):
            continue
        a = Candidate(c.start, c.start + len(left), names[left], hint=names[left])
        if noun:
            return [a]
        b = Candidate(c.start + m.end(), c.end, names[right], hint=names[right])
        return [a, b]
    return None


_SHOW_WORDS = frozenset({"tonight", "today", "live", "show", "hour", "report", "now", "unfiltered"})


_PERSON_NOUNS = "|".join(
    sorted(
        UNNAMED_PERSON_NOUNS
        | {"head", "specialist", "reporter", "writer", "host", "anchor", "author", "activist"},
        key=len,
        reverse=True,
    )
)
_ROLE_BEFORE = re.compile(r"(?<![\w\-])(?:" + _PERSON_NOUNS + r")[ \t]+$")
# An apposition, not a new clause's subject ("…, a reporter wrote"): the noun goes on with
# "of", "for", "at", "in", "with" or a comma.
_ROLE_AFTER = re.compile(
    r",[ \t]+(?:the|a|an)[ \t]+(?:[a-z]+[ \t]+){0,2}(?:"
    + _PERSON_NOUNS
    + r")(?:[ \t]+(?:of|for|at|in|with)\b|,)"
)


def _person_cue(text: str, s: int, e: int, floor: int) -> bool:
    """Evidence in and around a name that it is a person's, whatever NER's label said.

    A name of two or three capitalised words with no organisation or place head is a person's
    when it starts with a common first name ("Leah Millis"), stands in a byline ("by Justin
    Carissimo, CBS News") or a photo credit ("[Leah Millis/ Reuters]"), or takes "who"
    ("Khashoggi, who vanished"); a name with an honorific inside ("Raymond Cardinal Burke") too.
    """
    words = text[s:e].split()
    if any(w.rstrip(".").lower() in HONORIFICS and w[:1].isupper() for w in words[1:-1]):
        return True
    right = text[e : e + 8]
    left = text[max(floor, s - 6) : s]
    # "Khashoggi, who vanished", but not "the mayor of Oakland, who …" nor "Catholics who …".
    if re.match(r",\s+who\b", right) and not re.search(r"\b(?:of|from|in|to|at|for)\s+(?:the\s+)?$", left):
        return True
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and not is_acronym(w) for w in words):
        return False
    if {w.lower() for w in words} & (ORG_HEADS | PLACE_HEADS):
        return False
    return (
        words[0].lower() in FIRST_NAMES
        # "specialist Adrian Young", "Eliana Murillo, the former head of …": a person's noun
        # in lower case before the name, or an apposition after it.
        or bool(_ROLE_BEFORE.search(text, max(floor, s - 24), s))
        or bool(_ROLE_AFTER.match(text, e))
        # A byline, not "backed by Saudi Arabia": "by" opens the line or follows a cited title.
        or bool(re.search(r"(?:^|[\n\"”’,])[ \t]*[Bb]y[ \t]+$", left))
        or bool(re.match(r"\s*/\s*[A-Z]", right))
    )


# A town named with its state or country after a comma: "Feldkirch, Austria," "Corpus Christi,
# Texas, USA". The region must end the phrase, so "Smith, Texas governor" is no town.
_IN_REGION = re.compile(r",[ \t]+(?P<region>[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,3})(?=[ \t]*(?:[,.;:)\n]|$))")


# A lower-case noun of a place's part or unit after a one-word name, which is then the place:
# "the Santiago parish", "the Westchester chapter of JVP", "the Birkenau concentration and
# death-camp" (not "the Trump camp", a faction, nor "the NAACP chapter", an initialism).
_PLACE_NOUN_AFTER = re.compile(
    r"[ \t]+(?:parish|diocese|archdiocese|neighbou?rhood|suburb|district|concentration|chapter[ \t]+of)\b"
)


def _place_evidence(text: str, s: int, e: int, label: str, ceil: int) -> str | None:
    """What the world's lists say a name is: a platform or run-together outlet name (ORG), a
    country (GPE), a people ("Guatemalan": NORP), or
    a town written before its state or country (GPE). A one-word country name tagged PERSON that
    is also a first name ("Chad") keeps NER's word."""
    name = text[s:e]
    if _is_brand(name):
        return "ORG"
    if country_code(name):
        if label == "PERSON" and " " not in name and name.lower() in FIRST_NAMES:
            return None
        return "GPE"
    if label != "NORP" and demonym_of(name):
        return "NORP"
    if _after_place_preposition(text, s, e, label, name):
        return "GPE"
    if re.fullmatch(r"[A-Z][a-z]+", name) and _PLACE_NOUN_AFTER.match(text, e, min(ceil, e + 30)):
        return "GPE"  # "the swank Santiago parish", "the Westchester chapter of JVP"
    m = _IN_REGION.match(text[e : min(ceil, e + 40)])
    words = {w.lower() for w in name.split()}
    if m and is_region(m.group("region")) and not words & (ORG_HEADS | PERSON_TITLES):
        if label == "PERSON" and any(w in FIRST_NAMES for w in words):
            return None  # "John Smith, Texas," is a man from Texas
        return "GPE"
    return None


# "LifeSiteNews", "PressTV", "WikiLeaks", "Kurdistan24", "KENS5": words run together or with
# digits, as outlets, sites and brands write their names (a person's "McCabe" aside).
# A Twitter handle ("@RealKyleMorris") is no outlet; "CO2" is a formula.
_BRAND = re.compile(r"(?<![\w\-@#])(?:[A-Z][a-z]+(?:[A-Z][a-z]*)+|[A-Z](?:[a-z]{2,}|[A-Z]{3,})\d+)(?![\w\-])")


def _is_brand(name: str) -> bool:
    if name.lower() in PLATFORMS:
        return True
    return bool(_BRAND.fullmatch(name)) and not name.startswith(INNER_CAPITAL_PREFIXES)


def _brand_names(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """Platforms and run-together outlet names NER missed ("posted the video on Facebook")."""
    taken = [(c.start, c.end) for c in known]
    out = []
    for m in _BRAND_OR_PLATFORM.finditer(text, floor, ceil):
        s, e = m.span()
        if _is_brand(m.group()) and not any(a < e and s < b for a, b in taken):
            out.append(Candidate(s, e, "ORG", hint="ORG"))
    return out


_BRAND_OR_PLATFORM = re.compile(
    _BRAND.pattern + "|" + r"(?<![\w\-@#.])(?=[A-Z])(?i:" + "|".join(sorted(PLATFORMS)) + r")(?![\w\-])"
)


_PLACE_PAIR = re.compile(
    r"\b(?:in|into|near|outside)[ \t]+(?P<both>(?:both|either)[ \t]+)?"
    r"(?P<first>[A-Z][^\W\d_]+(?:[ \t]+[A-Z][^\W\d_]+)?)[ \t]+(?:and|or)[ \t]+$"
)


def _after_place_preposition(text: str, s: int, e: int, label: str, name: str) -> bool:
    """ "a case in Mbandaka", "move into Mbandaka": a name right after "in"/"into"/"near"/
    "outside" (no "the", no possessive after it) is a place, whatever NER said, unless it is a
    person's by its first name or an organisation's by its head word or initialism."""
    if label not in {"PERSON", "ORG", "GPE"}:
        return False
    if not re.search(
        r"\b(?:in|into|near|outside)[ \t]+(?:(?:both|either)[ \t]+)?$", text[max(0, s - 16) : s]
    ):
        # "in both Malmö and Helsingborg", "in Austria or Feldkirch": the second of two names
        # after the preposition, when "both"/"either" or a region's name says they are places.
        pair = _PLACE_PAIR.search(text, max(0, s - 48), s)
        if pair is None or not (pair.group("both") or is_region(pair.group("first"))):
            return False
    if re.match(r"['’]", text[e : e + 1]):
        return False  # "in Trump's White House"
    words = name.split()
    if words[0].lower() in FIRST_NAMES or is_acronym(words[-1]):
        return False  # "in Travis AFB": the initialism's own words say what it is
    return not {w.lower() for w in words} & (ORG_HEADS | PERSON_TITLES)


# Where a page credits an outlet: "© Provided by Quartz", "© AP Photo / Abbas Dulleh",
# "[Leah Millis/ Reuters]", "originally published by Tyler Durden at Zero Hedge".
_OUTLET_NAME = r"[A-Z][\w&’'\-]*(?:[ \t]+(?![Pp]hoto\b)[A-Z][\w&’'\-]*){0,3}"
_CREDITS = (
    re.compile(r"©[ \t]*(?:\d{4}[ \t]+)?(?:[Pp]rovided[ \t]+by[ \t]+)?(?P<org>" + _OUTLET_NAME + r")"),
    re.compile(r"\[[^\]\n/]{2,40}/[ \t]*(?P<org>" + _OUTLET_NAME + r")[ \t]*\]"),
    re.compile(
        r"(?:published|posted|appeared)[ \t]+(?:by[ \t]+[^\n]{2,40}?[ \t]+)?(?:at|on|in)[ \t]+(?:the[ \t]+)?"
        r"(?P<org>" + _OUTLET_NAME + r")(?=[ \t]*(?:[.\n]|$))"
    ),
    # "Rick Bowmer/AP Photo", "(AP file photo)": the agency that took the picture.
    re.compile(r"[A-Za-z]/[ \t]*(?P<org>" + _OUTLET_NAME + r")(?=[ \t]+[Pp]hoto\b)"),
    re.compile(r"\((?P<org>" + _OUTLET_NAME + r")(?=[ \t]+(?:file[ \t]+)?[Pp]hoto\))"),
)
# A photo credit on a line of its own, the photographer first: "Dibyangshu Sarkar/AFP/Getty
# Images" (Title Case, so read as a headline, where names are not taken).
_PHOTO_LINE = re.compile(
    r"^[ \t]*(?P<person>(?!Photo\b)[A-Z][a-z][\w’'\-]*(?:[ \t]+(?!Photo\b|Images\b)[A-Z][a-z][\w’'\-]*){1,2})"
    r"[ \t]*/[ \t]*(?P<org>" + _OUTLET_NAME + r")(?:[ \t]*/[ \t]*(?P<org2>" + _OUTLET_NAME + r"))?[ \t]*$",
    re.M,
)
# A wire story's staff line: "(Reporting by Nick Brown; Editing by Cynthia Osterman)".
_STAFF_LINE = re.compile(
    r"(?:^|(?<=[(;]))[ \t]*(?:[Aa]dditional[ \t]+)?(?:[Rr]eporting|[Ee]diting|[Ww]riting)[ \t]+by[ \t]+"
    r"(?P<names>[^;()\n]{3,160})",
    re.M,
)
_STAFF_NAME = re.compile(r"[A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'.\-]*){1,2}")
# A photographer's name of two words: a headline often runs on after the credit on one line.
_CREDIT_PERSON = re.compile(r"[ \t]+Photo[ \t]*/[ \t]*(?P<person>[A-Z][\w’'\-]+[ \t]+[A-Z][\w’'\-]+)")


def _credited_outlets(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """Outlets named in credit lines, the photographer of an "Outlet Photo / Name" credit or of
    a "Name/Outlet/Outlet" line, and the staff a wire story's "Reporting by …" line names."""
    out: list[Candidate] = []
    taken = [(c.start, c.end) for c in known]

    def add(s: int, e: int, label: str) -> None:
        if not any(a < e and s < b for a, b in taken):
            out.append(Candidate(s, e, label, hint=label))
            taken.append((s, e))
        else:
            for c in known:
                if c.start == s and c.end == e:
                    c.hint = label  # "Reuters" tagged PERSON in a credit is the agency

    for rx in _CREDITS:
        for m in rx.finditer(text, floor, ceil):
            s, e = m.span("org")
            photo = _CREDIT_PERSON.match(text, e)
            if photo:
                add(*m.span("org"), "ORG")
                add(*photo.span("person"), "PERSON")
            elif text[e : e + 6] in {" Photo", " photo"}:
                add(s, e, "ORG")
            else:
                add(*trim_span(text, s, e), "ORG")
    for m in _PHOTO_LINE.finditer(text, floor, ceil):
        add(*m.span("person"), "PERSON")
        for group in ("org", "org2"):
            if m.group(group):
                add(*trim_span(text, *m.span(group)), "ORG")
    for m in _STAFF_LINE.finditer(text, floor, ceil):
        base = m.start("names")
        for name in _STAFF_NAME.finditer(m.group("names")):
            add(base + name.start(), base + name.end(), "PERSON")
    return out


_MUTE_LABELS = frozenset({"NORP", "WORK_OF_ART", "PRODUCT", "LAW", "EVENT"})
_CUES = CUE_WORDS | MORE_SPEECH_VERBS


def _speaking_subjects(parsed: Parsed, text: str, known: list[Candidate]) -> list[Candidate]:
    """ "“…,” Fauci tweeted": a capitalised proper noun (with its compounds) that is the subject
    of a speech verb and that NER left untagged is a person: organisations and places that speak
    ("Google said", "Moscow warned") are the ones NER does tag. Initialisms, platforms, countries
    and demonyms are left alone."""
    off = parsed.offset
    taken = [(c.start, c.end) for c in known]
    out: list[Candidate] = []
    doc = parsed.doc
    # Proper-noun subjects found on the parse's arrays: making a Token for every word of the
    # article would cost more than the rest of this step.
    attrs = doc.to_array([DEP, POS])
    wanted = (attrs[:, 0] == doc.vocab.strings["nsubj"]) & (attrs[:, 1] == doc.vocab.strings["PROPN"])
    for i in wanted.nonzero()[0]:
        tok = doc[int(i)]
        if tok.head.lower_ not in _CUES or tok.ent_iob_ != "O":
            continue
        if tok.head.lower_.startswith("report") or any(c.dep_ == "det" for c in tok.children):
            continue  # "The Mail reports", "As Roll Call has reported": outlets report
        if tok.is_sent_start and "\n" in text[max(0, tok.idx + off - 1) : tok.idx + off + 1]:
            continue  # "Story highlights": a page's boilerplate label opening a line
        first = min(
            [tok, *(c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN")], key=lambda t: t.i
        )
        s, e = first.idx + off, tok.idx + len(tok) + off
        if first is not tok and _named_in_full_otherwise(text, tok.idx + off, doc[tok.i - 1].text):
            s = tok.idx + off  # "Outgoing Flake … said" when the text has "Jeff Flake"
        name = text[s:e]
        words = name.split()
        if (
            not all(re.fullmatch(r"[A-Z][a-z][\w’'\-]*", w) for w in words)
            or any(
                w.lower() in PERSON_TITLES | ORG_HEADS | PLACE_HEADS | CALENDAR_WORDS | STOP_IN_NAMES
                for w in words
            )
            or _is_brand(name)
            or country_code(name)
            or demonym_of(name)
            or any(a < e and s < b for a, b in taken)
        ):
            continue
        out.append(Candidate(s, e, "PERSON", hint="PERSON"))
        taken.append((s, e))
    return out


def _headline_countries(
    text: str, headlines: list[tuple[int, int]], known: list[Candidate]
) -> list[Candidate]:
    """Country and US state names in Title Case lines, where NER's word is not taken: "… Kills
    Two in Uganda", "… Apprehended by Border Patrol Agents In Arizona"."""
    out: list[Candidate] = []
    taken = [(c.start, c.end) for c in known]
    for a, b in headlines:
        for m in re.finditer(
            r"[A-Z][\w.\-]*(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z][\w.\-]*){0,4}", text[a:b]
        ):
            words = list(re.finditer(r"\S+", m.group()))
            # The longest run of words that is a place, from the left ("Sierra Leone Hit",
            # "Agents In Arizona").
            i = 0
            while i < len(words):
                for n in range(len(words) - i, 0, -1):
                    name = " ".join(w.group() for w in words[i : i + n])
                    if (country_code(name) or is_region(name)) and name.lower() not in FIRST_NAMES:
                        s = a + m.start() + words[i].start()
                        e = a + m.start() + words[i + n - 1].end()
                        if not any(x < e and s < y for x, y in taken):
                            out.append(Candidate(s, e, "GPE", hint="GPE"))
                        i += n - 1
                        break
                i += 1
    return out


def _given_name_before(prev: Token, text: str, s: int, off: int) -> int:
    """ "Imran Khan won": NER tags "Khan" alone; a proper noun right before a one-word person
    name, in no entity, no title, date or common word, is the given name."""
    word = prev.text
    if (
        prev.idx + off + len(word) + 1 != s
        or prev.ent_iob_ != "O"
        or prev.pos_ != "PROPN"
        or not re.fullmatch(r"[A-Z][a-z][\w’'\-]*[a-z]", word)
        or word.lower()
        in PERSON_TITLES | HONORIFICS | STOP_IN_NAMES | CALENDAR_WORDS | ORG_HEADS | PLACE_HEADS
        or demonym_of(word)
        or country_code(word)
        or re.search(r"\b" + re.escape(word.lower()) + r"\b", text)
    ):
        return s
    return s - 1 - len(word)


def _named_in_full_otherwise(text: str, s: int, word: str) -> bool:
    """The surname at `s` has another given name in the text ("Jeff Flake" … "Outgoing Flake"):
    the word before it is not its given name."""
    surname = re.match(r"[\w’'\-]+", text[s:])
    if surname is None:
        return False
    pattern = r"(?<![\w\-])([A-Z][a-z]+)[ \t]+" + re.escape(surname.group()) + r"(?![\w\-])"
    for m in re.finditer(pattern, text):
        given = m.group(1)
        if given != word and given.lower() not in PERSON_TITLES | HONORIFICS | STOP_IN_NAMES:
            return True
    return False


def _surname_after(nxt: Token, text: str, s: int, e: int, off: int) -> int:
    """ "Harrison" tagged PERSON alone before "Weinhold told": a one-word person name takes a
    proper noun right after it that NER gave to no entity and that is no common word."""
    word = nxt.text
    if (
        nxt.idx + off != e + 1
        or nxt.ent_iob_ != "O"
        or nxt.pos_ != "PROPN"
        or nxt.is_sent_start
        or not re.fullmatch(r"[A-Z][a-z][\w’'\-]*[a-z]", word)
        or word.lower() in PERSON_TITLES | STOP_IN_NAMES | CALENDAR_WORDS | ORG_HEADS | PLACE_HEADS
        or re.search(r"\b" + re.escape(word.lower()) + r"\b", text)
    ):
        return e
    return e + 1 + len(word)


def _first_name_extended(text: str, s: int, e: int, ceil: int) -> int:
    """ "Jamal" tagged alone before "Khashoggi": a first name takes the capitalised word after it."""
    if text[s:e].lower() not in FIRST_NAMES:
        return e
    m = re.match(r"[ \t]([A-Z][a-z][\w’'\-]*[a-z])(?=[\s,.;:’'])", text[e : min(ceil, e + 40)])
    if m is None or m.group(1).lower() in PERSON_TITLES | STOP_IN_NAMES | CALENDAR_WORDS:
        return e
    return e + m.end(1)


# Two Latin words, a genitive then a noun, as papal and church documents are named ("Amoris
# Laetitia", "Evangelii Gaudium", "Humanae Vitae", "Familiaris Consortio"); no person's name.
_LATIN_TITLE = re.compile(r"[A-Z][a-z]+(?:ae|ii|is)[ \t]+[A-Z][a-z]+(?:tia|tio|ium|ae)")


def _not_a_name(text: str, c: Candidate, floor: int) -> bool:
    """Common nouns, parts of office titles and diseases that NER took for names."""
    name = text[c.start : c.end]
    if name.lower() in NOT_NAMES or name.lower() in INTERJECTIONS or name.lower() in GROUP_NOUNS:
        return True
    if name.lower() in PLANETS and (c.hint or c.label) in {"GPE", "LOC", "FAC"}:
        return True  # "dreams of visiting Mars, Venus or an asteroid": a planet, no place
    if name.lower().endswith(PHOBIA_ENDINGS):
        return True  # "Islamophobic", "Muslim Judeophobia": a hatred, not a name
    stem = name[:-4] if name.endswith("ness") and " " not in name else ""
    if stem and (stem.lower() in FAITH_ADJECTIVES or demonym_of(stem)):
        return True  # "Jewishness", "Britishness": a quality of a people or a faith, no name
    if name.lower() in FAITH_ADJECTIVES and "PERSON" not in (c.label, c.hint):
        return True  # "Europe’s Christian nations": a faith's adjective is no place (a person
        # "Christian" keeps NER's or a title's word)
    if " " not in name and c.hint is None and c.label == "ORG" and not is_acronym(name):
        # "Health Minister", "Treasury Secretary", "Secretary of State": a word of an office
        # title (a place before a title, "US Secretary", stays a place).
        after = re.match(r"[ \t]+([A-Z][a-z]+)", text[c.end : c.end + 20])
        if after and after.group(1).lower() in PERSON_TITLES:
            return True
        before = re.search(r"\b([A-Z][a-z]+)\s+of\s+$", text[max(floor, c.start - 20) : c.start])
        if before and before.group(1).lower() in PERSON_TITLES:
            return True
    return False


def _disease_words(text: str, floor: int, ceil: int) -> set[str]:
    """Words written before "virus", "outbreak", "pestis"… ("Ebola outbreak"): diseases and germs."""
    heads = "|".join(sorted(DISEASE_AFTER))
    return {m.group(1) for m in re.finditer(r"([A-Z][\w\-]*)\s+(?i:" + heads + r")\b", text[floor:ceil])}


_PROGRAMME = re.compile(
    r"((?:[A-Z][\w\-]*[ \t]+){0,5}[A-Z][\w\-]*)[ \t]+(?:\(([A-Z]{2,6})\)[ \t]+)?"
    r"(?:programs?|programmes?|recipients?)\b"
)


def _programme_names(text: str, floor: int, ceil: int) -> set[str]:
    """Names written before "program" or "recipient" ("the Community Development Block Grant
    (CDBG) program", "a DACA recipient"): a government programme, named so everywhere in the
    text, which the guidelines do not take for an organisation. One word before "program" is
    left alone ("a NASA program" is an organisation's)."""
    out: set[str] = set()
    for m in _PROGRAMME.finditer(text, floor, ceil):
        name = m.group(1)
        first, _, rest = name.partition(" ")
        if rest and first.lower() in STOP_WORDS:
            name = rest  # "The Apollo program" at a sentence start: "The" is no part of the name
        if " " not in name and not m.group(2) and not m.group().endswith(("recipient", "recipients")):
            continue  # "a NASA program", "the FBI program": an organisation's own programme
        out.update(g for g in (name, m.group(2)) if g)
    for m in _WORN_SLOGAN.finditer(text, floor, ceil):
        out.update(m.groups())  # "a MAGA (Make America Great Again) hat": a slogan on a thing
    return out


# A slogan and its initials printed on a thing: "wearing a MAGA (Make America Great Again) hat".
_WORN_SLOGAN = re.compile(
    r"\b([A-Z]{2,6})[ \t]+\(([A-Z][\w’']*(?:[ \t]+[A-Z][\w’']*){1,5})\)[ \t]+"
    r"(?:[Hh]ats?|[Cc]aps?|[Tt]-[Ss]hirts?|[Ss]hirts?|[Ss]igns?|[Bb]anners?)\b"
)


def _title_acronyms(text: str, floor: int, ceil: int) -> set[str]:
    """Initialisms of offices written out in the text ("AG" when "Attorney General" is there)."""
    out = set()
    for m in re.finditer(r"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)+", text[floor:ceil]):
        words = m.group().split()
        if all(w.lower() in PERSON_TITLES or w.lower() in TITLE_GLUE for w in words):
            out.add("".join(w[0] for w in words))
    return out


# Words of a clause that no person's name holds ("… Who Went to College with …").
_CLAUSE_WORDS = frozenset({"who", "with", "to", "from", "went", "is", "was", "are", "were", "has", "had"})


_BREADCRUMB = re.compile(r"News(?=[A-Z][a-z])[\w ]*(?:,[ \t]+[A-Z][\w \-]*)*\n")
_HASHTAG_NAME = re.compile(r"[A-Z][a-z]+|[A-Z]{2,}")
_URL_PATH = re.compile(r"[\w\-]\.[a-z]{2,}(?:/[\w.\-]*)*/$")


def _shouted_words(words: list[str], lower_words: set[str]) -> bool:
    """Common words written in capitals for emphasis, which NER takes for a name: each word is
    one the text also writes in lower case, or a function word, and one word alone is at least
    five letters long ("WOMEN"), so an initialism that is also a word ("WHO", "CARE") stays."""
    if not all(w.isalpha() and w.isupper() for w in words):
        return False
    if len(words) == 1:
        return len(words[0]) >= 5 and words[0].lower() in lower_words
    return all(w.lower() in lower_words or w.lower() in STOP_WORDS for w in words)


def _filter(cands: list[Candidate], parsed: Parsed, text: str) -> list[Candidate]:
    """Drop spans that are not names, and turn a title-only span into its neighbour's title."""
    sent_starts = {s.start_char + parsed.offset for s in parsed.doc.sents}
    lower_words = {w for w in re.findall(r"\b[a-z][a-z\-]+\b", parsed.text)}
    floor, ceil = parsed.offset, parsed.offset + len(parsed.text)
    office_acronyms = _title_acronyms(text, floor, ceil)
    surnames = {
        text[c.start : c.end].split()[-1]
        for c in cands
        if "PERSON" in (c.label, c.hint) and len(text[c.start : c.end].split()) >= 2
    }
    diseases = _disease_words(text, floor, ceil) | _term_initialisms(text, floor, ceil)
    diseases |= _programme_names(text, floor, ceil)
    # "AL" for "Amoris Laetitia": a Latin document's initials name the document.
    works = {initials(t.group()) for t in re.finditer(r"\b" + _LATIN_TITLE.pattern, text[floor:ceil])}
    out: list[Candidate] = []
    for i, c in enumerate(cands):
        name = text[c.start : c.end]
        words = name.split()
        if name.lower() in CALENDAR_WORDS:
            continue  # "Sunday", "March": dates, which the timeline stage reads
        if name.lower() in TIME_NOUNS and name not in surnames:
            continue  # "Saviour’s Day", "Late Night with …": a word of an event's or a show's name
        if name in office_acronyms or name in diseases or _not_a_name(text, c, floor):
            continue
        if re.fullmatch(r"[A-Z]-\d{1,3}", name):
            continue  # "a G-1 or “minor” storm", "an F-16": a scale's grade or a model, no name
        if name in works or _LATIN_TITLE.fullmatch(name):
            c.hint = "WORK_OF_ART"  # "Amoris Laetitia", "Humanae Vitae": a Latin document's title
        if len(words) >= 3 and words[-1] in {"Live", "Tonight"} and c.hint != "PERSON":
            c.hint = "WORK_OF_ART"  # "Saturday Night Live": a programme, a work
        if all(w.lower() in PERSON_TITLES or w.lower() in TITLE_GLUE for w in words):
            continue  # "Attorney General": an office, not a name
        if "PERSON" in (c.label, c.hint) and len(words) >= 4 and {w.lower() for w in words} & _CLAUSE_WORDS:
            continue  # "Candidate Staffer Who Went to College with Gillum": a Title-Cased clause
        if _shouted_words(words, lower_words):
            continue  # "CLOSE OUR SOUTHERN BORDER", "the WOMEN in this country": common words in capitals
        if all(w in FORM_WORDS or w in STOP_IN_NAMES for w in words):
            continue  # "Email Sign", "Privacy Policy and Terms": a web form's labels
        if _BREADCRUMB.match(text, c.start) and text[c.start - 1 : c.start] in {"", "\n"}:
            continue  # "NewsCatholic Church, Family": a site's section line, "News" run into its topic
        if text[c.start - 1 : c.start] == "@" or _URL_PATH.search(text, max(floor, c.start - 60), c.start):
            continue  # "(@realDonaldTrump)", "Twitter.com/JaneDoe": a handle or a link's path, no name
        if text[c.start - 1 : c.start] == "#" and not _HASHTAG_NAME.fullmatch(name):
            continue  # "#BDStears": a hashtag that runs words together; "#Hamas", "#BDS" are names
        if c.label == "PERSON" and c.hint not in {"GPE", "ORG"} and any(ch.isdigit() for ch in name):
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


def _headline_body_org(text: str, s: int, e: int, label: str, ceil: int) -> bool:
    """An organisation NER found in a headline, named with its head word ("Senate Judiciary
    Committee Vote To Send …") and written the same way in the body, where NER may miss it
    ("The Senate Judiciary Committee voted"): kept, so the body's occurrence is found too."""
    words = text[s:e].split()
    if label != "ORG" or not 2 <= len(words) <= 5 or words[-1].lower() not in ORG_HEADS:
        return False
    return re.search(r"(?<![\w\-])" + re.escape(text[s:e]) + r"(?![\w\-])", text[e:ceil]) is not None


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
        # A headline has no closing period; a sentence crowded with names has one; a line
        # opened by a bullet is a list item ("• Cardinal Janis Pujats, … of Riga, Latvia").
        if (
            not m.group().lstrip().startswith(("•", "·", "*", "- ", "– "))
            and content
            and caps / len(content) >= 0.8
            and not m.group().isupper()
            and not m.group().rstrip().endswith(".")
        ):
            spans.append((floor + m.start(), floor + m.end()))
    return spans


_DATELINE = re.compile(
    r"(?:^|\n|\s)(?P<place>[A-Z][A-Z'.\-]+(?:[ \t]+[A-Z][A-Z'.\-]+){0,3})"
    r"(?:,[ \t]+(?P<region>[A-Z][a-z]+\.?))?"
    r"(?P<date>,[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]+\d{4})?"
    r"[ \t]*(?P<source>\([A-Za-z ]+\)[ \t]*)?(?:\n[ \t]*)?(?:[—–-]{1,2}[ \t]|(?P<colon>:[ \t]))"
)


def _datelines(text: str, floor: int, ceil: int) -> list[Candidate]:
    """News datelines: "TUCSON, Ariz. –", "STOCKHOLM (Reuters) –", "BUDAPEST, Hungary, February
    19, 2018 (LifeSiteNews) –", "BEIJING: …": an upper-case place first. Inside a line only a
    dateline with its region or its source in brackets counts ("… Reuters Staff STOCKHOLM
    (Reuters) –"), not an initialism before a dash ("done at DOJ or FBI – but"); one with a
    colon opens its line and names a place the text also writes in Title Case."""
    out = []
    for m in _DATELINE.finditer(text, floor, ceil):
        s, e = m.span("place")
        if len(text[s:e].replace(".", "")) < 3:
            continue
        opens_line = not text[text.rfind("\n", 0, s) + 1 : s].strip()
        if not opens_line and (m.group("colon") or not (m.group("region") or m.group("source"))):
            continue
        if m.group("colon") and not re.search(r"[^\s][ \t]+" + re.escape(text[s:e].title()) + r"\b", text):
            continue  # "WATCH:", "UPDATE:" head a paragraph; "BEIJING:" is "… in Beijing" elsewhere
        out.append(Candidate(s, e, "GPE", hint="GPE"))
        if m.group("region"):
            rs, re_ = m.span("region")
            out.append(Candidate(rs, re_, "GPE", hint="GPE"))
    return out


def _acronym_expansions(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """A capitalised sequence whose initials spell an initialism used in the text."""
    acronyms = {m.group() for m in re.finditer(r"\b[A-Z]{2,6}\b", text[floor:ceil])}
    out: list[Candidate] = []
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
            acronym = initials(sub) if initials(sub) in acronyms else initials_all(sub)
            if acronym in acronyms and not _LATIN_TITLE.fullmatch(sub):  # "AL": a work's initials
                s, e = trim_span(text, m.start() + seq.index(sub), m.end())
                covered = [c for c in known if s <= c.start and c.end <= e]
                if not any(c.start == s and c.end == e for c in known):
                    for c in covered:
                        c.kind = "dropped"
                    out.append(Candidate(s, e, "ORG", hint=None))
                # The initialism itself is a name wherever it stands ("ICE custody").
                taken = [(c.start, c.end) for c in (*known, *out) if c.kind != "dropped"]
                for a in re.finditer(r"(?<![\w\-])" + acronym + r"(?![\w\-])", text[floor:ceil]):
                    a_s, a_e = a.start() + floor, a.end() + floor
                    if not any(x < a_e and a_s < y for x, y in taken):
                        out.append(Candidate(a_s, a_e, "ORG"))
                break
    return out


_INITIALISM = re.compile(r"(?<![\w\-.&/@#])[A-Z]{2,6}(?![\w\-&/]|\.\w)")
_CAPS_WORD = re.compile(r"[A-Z]{2,}[\W]*$")
# Capitals that are no organisation's name: shouted words, units, terms, ranks.
_NOT_INITIALISMS = frozenset(
    {
        *("TV", "OK", "DNA", "RNA", "CEO", "CFO", "COO", "PM", "AM", "GDP", "HIV", "AIDS", "ID", "IQ"),
        *("UFO", "AI", "PR", "HQ", "DIY", "FAQ", "VIP", "MP", "MPS", "ASAP", "LOL", "OMG", "RIP", "PS"),
        *("UPDATE", "WATCH", "BREAKING", "NOTE", "NEWS", "VIDEO", "PHOTO", "PHOTOS", "READ", "MORE"),
        *("USD", "EUR", "GMT", "EST", "PST", "BC", "AD", "CE", "BCE", "PDF", "URL", "HTML", "SUV", "ATM"),
        *("LGBT", "LGBTQ", "MAGA", "COVID", "SARS", "MERS", "NOT", "AND", "THE", "ALL", "NO", "YES"),
        *("UV", "GPS", "IED", "EMP", "LED", "CCTV", "SMS", "DUI", "MRI", "CT", "IVF", "STD", "PTSD"),
    }
)


def _repeated_initialisms(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """An initialism written twice or more that NER left out is an organisation ("ICE custody",
    "a message from POGO"): capitals among other capitals (a shouted line, "UPDATE:"), roman
    numerals, units, country codes and offices are not."""
    seen: dict[str, list[tuple[int, int]]] = {}
    for m in _INITIALISM.finditer(text, floor, ceil):
        word, s, e = m.group(), m.start(), m.end()
        if word in _NOT_INITIALISMS or re.fullmatch(r"[IVXLCDM]+", word) or country_code(word):
            continue
        before = text[max(floor, s - 12) : s].split()
        after = text[e : e + 12].split()
        if (before and _CAPS_WORD.match(before[-1])) or (after and _CAPS_WORD.match(after[0])):
            continue  # "BREAKING NEWS", "ICE ERO": a run of capitals
        if text[e : e + 1] == ":" and text[s - 1 : s] in {"", "\n"}:
            continue  # "UPDATE:" opening a paragraph
        seen.setdefault(word, []).append((s, e))
    if not seen:
        return []
    terms = _term_initialisms(text, floor, ceil)
    taken = [(c.start, c.end) for c in known if c.kind != "dropped"]
    out: list[Candidate] = []
    for word, spans in seen.items():
        if word in terms:
            continue
        if len(spans) < 2 and not _named_once(text, *spans[0]):
            continue
        for s, e in spans:
            if not any(a < e and s < b for a, b in taken):
                out.append(Candidate(s, e, "ORG"))
    return out


# "mild traumatic brain injury (MTBI)": an initialism the text defines by lower-case words.
_BRACKETED_INITIALISM = re.compile(r"\(([A-Z]{2,6})\)")


def _term_initialisms(text: str, floor: int, ceil: int) -> set[str]:
    """Initialisms of common-noun terms ("MTBI" for "mild traumatic brain injury"): no names."""
    out = set()
    for m in _BRACKETED_INITIALISM.finditer(text, floor, ceil):
        abbr = m.group(1)
        words = re.split(r"[ \t\-]+", text[max(floor, m.start() - 80) : m.start()].strip())[-len(abbr) :]
        lower = len(words) == len(abbr) and all(w[:1].islower() for w in words)
        if lower and "".join(w[0] for w in words).upper() == abbr:
            out.add(abbr)
    return out


def _named_once(text: str, s: int, e: int) -> bool:
    """An initialism written once where a name stands: after "the" or "according to" ("Him, the
    PLO and the KKK", "according to WHO statistics")."""
    before = text[max(0, s - 14) : s]
    return re.search(r"(?:\b[Tt]he|\b[Aa]ccording[ \t]+to)[ \t]+$", before) is not None


def _missions(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """ "the Saudi Consulate in Istanbul": a nation's adjective and its mission are one building
    (NER tags the adjective alone, a NORP); the longer candidate wins in `_dedupe`."""
    nations = {c.start for c in known if c.label in {"NORP", "GPE"}}
    return [
        Candidate(m.start(), m.end(), "FAC", hint="GPE")
        for m in _MISSION.finditer(text, floor, ceil)
        if m.start() in nations or nation_word(m.group(1))
    ]


# A group's name with a small word inside, after the noun for its kind: "the criminal gang
# Loyal to Familia", "the group Everytown for Gun Safety". NER may cut such names at the small word.
_GROUP_NAMED = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)[ \t]+(?:[a-z\-]+[ \t]+)?"
    r"(?:gang|group|militia|cartel|movement|organi[sz]ation)[ \t]+"
    r"(?P<name>[A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*)*(?:[ \t]+(?:of|for|to|de|la|el)(?:[ \t]+the)?"
    r"(?:[ \t]+[A-Z][\w’'\-]*)+)+)"
)


def _groups_named(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """Group names with a small word inside, named after the noun for their kind (`_GROUP_NAMED`),
    where NER tagged the words after the small word as a name of their own ("Loyal" ORG,
    "Familia" GPE), and every further occurrence of them, which NER cuts the same way; the
    longer candidate wins in `_dedupe`. A name NER did not cut ("Everytown for Gun Safety") is
    left to the other rules."""
    starts = {c.start for c in known}
    names = set()
    for m in _GROUP_NAMED.finditer(text, floor, ceil):
        small = re.search(r"[ \t](?:of|for|to|de|la|el)[ \t]", m.group("name"))
        if small and any(m.start("name") + small.end() <= x < m.end("name") for x in starts):
            names.add(m.group("name"))
    return [
        Candidate(m.start(), m.end(), "ORG", hint="ORG")
        for name in names
        for m in re.finditer(r"(?<![\w\-])" + re.escape(name) + r"(?![\w\-])", text[:ceil])
        if m.start() >= floor
    ]


_COUNTRY_PAIR = re.compile(r"(?<![\w\-])([A-Z][\w.]*[\w.])-([A-Z]\w+)(?![\w\-])")


def _country_pairs(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """Two countries joined by a hyphen ("the Israel-Palestine conflict", "the U.S.-China trade
    war"): each is a place, where NER found one or neither."""
    out: list[Candidate] = []
    for m in _COUNTRY_PAIR.finditer(text, floor, ceil):
        if not (country_code(m.group(1)) and country_code(m.group(2))):
            continue
        for k in (1, 2):
            s, e = m.span(k)
            if not any(c.start < e and s < c.end for c in known):
                out.append(Candidate(s, e, "GPE", hint="GPE"))
    return out


_PRESIDENTS_TERM = re.compile(
    r"\b[Tt]he[ \t]+([A-Z][a-z]+)[ \t]+(?:years|era|presidency|administration|White[ \t]+House)\b"
)


def _presidents_years(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """ "during the Bush years", "the Obama era": a US president's surname as a modifier, a
    mention of the president, where NER left the word alone."""
    out: list[Candidate] = []
    for m in _PRESIDENTS_TERM.finditer(text, floor, ceil):
        s, e = m.span(1)
        if m.group(1) in US_PRESIDENTS and not any(c.start < e and s < c.end for c in known):
            out.append(Candidate(s, e, "PERSON", hint="PERSON"))
    return out


def _party_states(text: str, floor: int, ceil: int, known: list[Candidate]) -> list[Candidate]:
    """The state in "(R-AZ)", "(D-Conn.)" or ", D-Calif.," after a member of Congress: a place
    NER leaves out."""
    out: list[Candidate] = []
    for m in _PARTY_STATE.finditer(text, floor, ceil):
        state, s, e = m.group("state"), m.start("state"), m.end("state")
        if not (state in US_STATE_CODES or state.endswith(".") or state in US_STATES):
            continue
        if not any(c.start < e and s < c.end for c in known):
            out.append(Candidate(s, e, "GPE", hint="GPE"))
    return out


_CAP_SEQ = re.compile(r"[A-Z][\w’'\-]*(?:[ \t]+(?:(?:of|for|the|and|on|de|&)[ \t]+)?[A-Z][\w’'\-]*)+")


_POSSESSIVE_PLACE = re.compile(
    r"\b(?:in|at|from|to|near|into|outside|of)\s+(?P<gpe>[A-Z][\w\-]+)['’]s\s+(?P<name>[A-Z][\w\-]+)(?=[\s,.;:)])"
)


def _possessive_places(text: str, floor: int, ceil: int, known: list[Candidate]) -> Iterable[Candidate]:
    """ "from Iraq's Mosul to Syria's Aleppo": a capitalised word after a place's possessive."""
    places = {text[c.start : c.end] for c in known if c.label in {"GPE", "LOC"}}
    taken = [(c.start, c.end) for c in known]
    for m in _POSSESSIVE_PLACE.finditer(text, floor, ceil):
        s, e = m.span("name")
        if m.group("gpe") in places and not any(a < e and s < b for a, b in taken):
            yield Candidate(s, e, "GPE", hint="GPE")


_POSSESSOR_BEFORE = re.compile(
    r"(?:^|(?<=[\s(“\"]))(?:The[ \t]+)?(?P<owner>[A-Z][\w&\-]*(?:[ \t]+[A-Z][\w&\-]*){0,2})[’']s?[ \t]+$"
)


def _possessor_outlets(text: str, floor: int, ceil: int, known: list[Candidate]) -> Iterable[Candidate]:
    """ "Recode’s Kara Swisher", "The American Mirror’s Kyle Olsen": a name in the possessive
    right before a person's full name, that is no place, person or title, is who employs them,
    an organisation (NER tags the pair as one name, cut to the person)."""
    taken = [(c.start, c.end) for c in known]
    person_words = {
        w for c in known if (c.hint or c.label) == "PERSON" for w in text[c.start : c.end].split()
    }
    for c in known:
        if (c.hint or c.label) != "PERSON" or len(text[c.start : c.end].split()) < 2:
            continue
        m = _POSSESSOR_BEFORE.search(text, max(floor, c.start - 60), c.start)
        if m is None:
            continue
        s, e = m.span("owner")
        owner = m.group("owner")
        words = owner.split()
        if (
            any(a < e and s < b for a, b in taken)
            or country_code(owner)
            or is_region(owner)
            or demonym_of(owner)
            or words[0].lower() in FIRST_NAMES
            or any(w.lower() in PERSON_TITLES or w in person_words for w in words)
        ):
            continue
        taken.append((s, e))
        yield Candidate(s, e, "ORG", hint="ORG")


# Title words only in the title group, so that "Cardinal Janis Pujats" is not read as the
# titles "Cardinal Janis" (and then dropped because "Janis" is no title).
_TITLE_WORD = "(?=[A-Z])(?i:" + "|".join(sorted(PERSON_TITLES | TITLE_GLUE, key=len, reverse=True)) + ")"
_TITLED_NAME = re.compile(
    r"\b(?P<title>(?:" + _TITLE_WORD + r"\.?[ \t]+){1,4})"
    r"(?P<name>[A-Z][\w’'\-]+(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|van|von)[ \t\-]+)?"
    r"[A-Z][\w’'\-]+){0,3})"
)


def _title_names(
    text: str, floor: int, ceil: int, known: list[Candidate], headlines: list[tuple[int, int]]
) -> Iterable[Candidate]:
    """Capitalised names after honorifics that NER missed ("Sheikh Nimr al-Nimr"); not in a
    Title Case headline, where every word is capitalised ("… City Mayor Tip Off?")."""
    taken = [(c.start, c.end) for c in known]
    for m in _TITLED_NAME.finditer(text, floor, ceil):
        if any(a <= m.start() < b for a, b in headlines):
            continue
        title_words = m.group("title").split()
        if not all(w.rstrip(".").lower() in PERSON_TITLES or w.lower() in TITLE_GLUE for w in title_words):
            continue
        if title_words[-1].rstrip(".").lower() not in PERSON_TITLES:
            continue
        s, e = trim_span(text, m.start("name"), m.end("name"))
        name_words = text[s:e].split()
        while name_words and name_words[0].rstrip(".").lower() in PERSON_TITLES:
            s = text.index(name_words.pop(0), s) + len(text[s:].split()[0])
            while s < e and text[s] in " \t":
                s += 1
        if e <= s or any(a < e and s < b for a, b in taken):
            continue
        yield Candidate(s, e, "PERSON", tuple(title_words), m.start(), hint="PERSON")


# Tried at every capitalised word (a lookahead), so a first name after another capitalised word
# counts too ("fellow Democrat Gregory Meeks").
_FIRST_NAMED = re.compile(r"(?<![\w\-])(?=([A-Z][a-z]+)((?:[ \t]+[A-Z][\w’'\-]*[a-zà-ÿ]){1,2})(?![\w\-]))")


_NEXT_CAPITAL = re.compile(r"[ \t]+[A-Z]")


def _first_name_names(
    text: str, floor: int, ceil: int, known: list[Candidate], headlines: list[tuple[int, int]]
) -> Iterable[Candidate]:
    """ "Tomash Peta, Jan Pawel Lenga, and Athanasius Schneider": a common first name and one or
    two capitalised words that NER left untagged are a person, unless a word is an
    organisation's or place's head, a title or a date word, or the line is a headline."""
    taken = [(c.start, c.end) for c in known]
    for m in _FIRST_NAMED.finditer(text, floor, ceil):
        if m.group(1).lower() not in FIRST_NAMES or any(a <= m.start() < b for a, b in headlines):
            continue
        rest = m.group(2).split()
        if any(
            w.lower() in ORG_HEADS | PLACE_HEADS | STOP_IN_NAMES | CALENDAR_WORDS
            # A title word is a surname only last, before no other name ("friend Mark Judge said").
            or (w.lower() in PERSON_TITLES and (k < len(rest) - 1 or _NEXT_CAPITAL.match(text, m.end(2))))
            or (w.endswith("s") and _plural_of_common_word(text, w))
            for k, w in enumerate(rest)
        ):
            continue
        s, e = m.start(1), m.end(2)
        if not any(a < e and s < b for a, b in taken):
            taken.append((s, e))
            yield Candidate(s, e, "PERSON", hint="PERSON")


def _plural_of_common_word(text: str, word: str) -> bool:
    """ "Christian Democrats", "Joseph Stories": a capitalised plural of a word the text also
    writes in lower case is no surname; "Meeks", "Jones" are ("meek" is nowhere)."""
    stem = word[:-2] if word.endswith("es") else word[:-1]
    return re.search(r"\b" + re.escape(stem.lower()) + r"(?:e?s)?\b", text) is not None


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    cands = [c for c in cands if c.kind != "dropped"]
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in cands:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
