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
from collections.abc import Iterable

from presslens.analyze.entities.candidates import Candidate
from presslens.analyze.entities.labels import type_hint
from presslens.analyze.entities.names import initials, initials_all, split_titles, titles_before, trim_span
from presslens.analyze.entities.words import (
    CALENDAR_WORDS,
    KEEP_LABELS,
    PERSON_TITLES,
    STOP_IN_NAMES,
    TITLE_GLUE,
)
from presslens.analyze.nlp import CUE_WORDS, Parsed


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
        if any(a <= s < b for a, b in headlines):
            continue  # Title Case lines fool NER; names there are recovered from the body later
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
        s2, titles = split_titles(text, s, e)
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


def _filter(cands: list[Candidate], parsed: Parsed, text: str) -> list[Candidate]:
    """Drop spans that are not names, and turn a title-only span into its neighbour's title."""
    sent_starts = {s.start_char + parsed.offset for s in parsed.doc.sents}
    lower_words = {w for w in re.findall(r"\b[a-z][a-z\-]+\b", parsed.text)}
    out: list[Candidate] = []
    for i, c in enumerate(cands):
        name = text[c.start : c.end]
        words = name.split()
        if name.lower() in CALENDAR_WORDS:
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


def _datelines(text: str, floor: int, ceil: int) -> list[Candidate]:
    """News datelines: "TUCSON, Ariz. –", "STOCKHOLM (Reuters) –": an upper-case place first."""
    out = []
    for m in _DATELINE.finditer(text, floor, ceil):
        s, e = m.span("place")
        if len(text[s:e].replace(".", "")) < 3:
            continue
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
            if acronym in acronyms:
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


_TITLED_NAME = re.compile(
    r"\b(?P<title>(?:[A-Z][a-z]+\.?[ \t]+){1,4})"
    r"(?P<name>[A-Z][\w’'\-]+(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|van|von)[ \t\-]+)?"
    r"[A-Z][\w’'\-]+){0,3})"
)


def _title_names(text: str, floor: int, ceil: int, known: list[Candidate]) -> Iterable[Candidate]:
    """Capitalised names after honorifics that NER missed ("Sheikh Nimr al-Nimr")."""
    taken = [(c.start, c.end) for c in known]
    for m in _TITLED_NAME.finditer(text, floor, ceil):
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


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    cands = [c for c in cands if c.kind != "dropped"]
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in cands:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
