"""References to people that are not names: "the general", "he", attached only when unambiguous.

Where it sits: last step of the entities stage, after the clusters are typed. A definite
description or a personal pronoun becomes a mention of a person only when exactly one person
is in recent reach (the same sentence before it, or the last one or two sentences), or when
the role word or the sentence subject settles it. Names inside a quotation are no antecedents
for words outside it, and pronouns inside a quotation speak from the quoted speaker's view. A
pronoun never goes to a person of the other gender (as a first name or a title tells it: "Ms
Geller", "Tommy Robinson"), and a name is a sentence's subject when any of its words is.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from spacy.attrs import DEP, HEAD, IDX

if TYPE_CHECKING:
    from spacy.tokens import Span

from presslens.analyze.entities.candidates import Candidate, Cluster
from presslens.analyze.entities.words import ROLE_NOUNS, UNNAMED_PERSON_NOUNS
from presslens.analyze.nlp import Parsed, quoted_spans
from presslens.lexicon.persons import name_gender

_DESCRIPTION = re.compile(
    r"\b(?P<det>[Tt]he)\s+(?P<mod>(?:[A-Z][\w\-]*\s+){0,3})(?:(?:[a-z]+)\s+)?(?P<role>(?i:"
    + "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
    + r"))\b(?!\s+of\b)(?!['’]s)"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er|[Hh]imself|[Hh]erself)\b")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "herself": "f"}


def _gender(cluster: Cluster, text: str) -> str | None:
    """'m' or 'f' when the first names and titles of a person's name mentions agree on one."""
    votes: set[str] = set()
    for c in cluster.cands:
        if c.kind != "name":
            continue
        words = text[c.start : c.end].split()
        # A lone word may be a surname that is also a first name elsewhere ("Kim"): not evidence.
        for word in (*c.titles, *words[:1]) if len(words) > 1 else c.titles:
            if g := name_gender(word):
                votes.add(g)
    return votes.pop() if len(votes) == 1 else None


def attach_references(clusters: list[Cluster], parsed: Parsed, text: str, types: list[str]) -> None:
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
    # Subject offsets from the parse's arrays: a Token object per word would cost more.
    doc = parsed.doc
    attrs = doc.to_array([DEP, IDX, HEAD]).astype("int64")
    is_subject = (attrs[:, 0] == doc.vocab.strings["nsubj"]) | (attrs[:, 0] == doc.vocab.strings["nsubjpass"])
    # Sorted, so that a name is a subject when any of its words is ("Tommy Robinson criticised");
    # 2 marks the subject of a sentence's main verb, 1 a subject in a clause below it.
    rows = is_subject.nonzero()[0]
    root = doc.vocab.strings["ROOT"]
    subjects = sorted((int(attrs[i, 1]) + off, 2 if attrs[i + attrs[i, 2], 0] == root else 1) for i in rows)
    genders = {i: _gender(clusters[i], text) for i in persons}
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

    recent: list[list[tuple[int, int, int]]] = []  # per sentence: (cluster, start, subject rank)
    keys = sorted(owner)

    def mentions_in(s: int, e: int) -> list[tuple[int, int, int]]:
        lo, hi = bisect.bisect_left(keys, (s, -1)), bisect.bisect_left(keys, (e, -1))
        return [(owner[k], k[0], _has_subject(subjects, k)) for k in keys[lo:hi]]

    unnamed_before = False  # the sentence before has an unnamed person as its subject
    for s, e, sent_span in sents:
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
            earlier: list[list[tuple[int, int, int]]] = []
            for sent in reversed(recent[-6:]):
                kept = [m for m in sent if in_quote(m[1]) is None or in_quote(m[1]) == where]
                if kept:
                    earlier.insert(0, kept)
                if len(earlier) == (1 if kind == "pronoun" else 2):
                    break
            if kind == "pronoun" and unnamed_before and not before:
                continue  # "A government spokesman said … He added: …"
            if kind == "pronoun":
                said = _PRONOUN_GENDER[text[rs:re_].lower()]
                before = [m for m in before if genders.get(m[0]) in (None, said)]
                earlier = [[m for m in sent if genders.get(m[0]) in (None, said)] for sent in earlier]
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
                # The main verb's subject outranks one in a clause below ("Tommy Robinson said
                # Ms Geller … where Drummer Rigby died. “…,” he said").
                for sent in ([before] if before else []) + list(reversed(earlier)):
                    subj = {m[0] for m in sent if m[2] == 2} or {m[0] for m in sent if m[2]}
                    if subj:
                        choice = subj.pop() if len(subj) == 1 else None
                        break
            if choice is None:
                continue
            c = Candidate(rs, re_, "PERSON", kind=kind)
            clusters[choice].cands.append(c)
            owner[(rs, re_)] = choice
            bisect.insort(keys, (rs, re_))
            here = mentions_in(s, e)
        recent.append(here)
        unnamed_before = has_unnamed_subject(sent_span)


def has_unnamed_subject(sent: Span) -> bool:
    """The sentence's main verb has an indefinite person as subject ("A government spokesman
    said …", "an aide told …"): someone the text does not name."""
    for child in sent.root.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ in UNNAMED_PERSON_NOUNS:
            return any(d.dep_ == "det" and d.lower_ in {"a", "an"} for d in child.children)
    return False


def _has_subject(subjects: list[tuple[int, int]], span: tuple[int, int]) -> int:
    """The highest subject rank of a word of the name at `span` (`subjects`: sorted
    (token offset, rank) pairs), 0 when none is a subject."""
    i = bisect.bisect_left(subjects, (span[0], 0))
    rank = 0
    while i < len(subjects) and subjects[i][0] < span[1]:
        rank = max(rank, subjects[i][1])
        i += 1
    return rank
