"""Merging names into entities: one cluster per person, organisation or place, every alias in it.

Where it sits: after `mentions`. `cluster_candidates` merges candidates that the text says are
one ("Long Name (ABBR)", "X, also known as Y"), then spellings of one name (exact, a
transliteration variant, a surname of a full name, an initialism of a long name, "Ariz." of
"Arizona"); `propagate_names` adds every further occurrence of a known name; `canonical_name`
picks the name an entity is shown under. Clusters are kept as networkx's union-find; every
step reads the groups ordered by their first candidate, so the result does not depend on which
member the union-find happens to use as a root.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from networkx.utils import UnionFind

from presslens.analyze.entities.candidates import Candidate, Cluster
from presslens.analyze.entities.labels import person_context, type_class, vote_type
from presslens.analyze.entities.names import (
    abbreviates,
    initial_key,
    initials,
    initials_all,
    is_acronym,
    norm_name,
    same_name,
    trim_span,
)
from presslens.analyze.entities.words import (
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_HEADS,
    PERSON_TITLES,
    PLACE_HEADS,
    STOP_IN_NAMES,
    US_PRESIDENTS,
)
from presslens.lexicon.persons import HONORIFICS
from presslens.lexicon.places import US_STATE_CODES, US_STATES, country_code, is_region

_INITIALISM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w’'\-]*[ \t]+)(?:(?:of|for|the|and|on|in|de|al|&|[A-Z][\w’'\-]*)[ \t]+){0,8}"
    r"[A-Z][\w’'\-]*)[ \t]*\((?P<abbr>[A-Z][A-Za-z.&]{1,10})\)"
)
# An outlet's initials written after its article as one word ("TheDC", "TheDCNF").
_PROGRAMME_AFTER = re.compile(r"[ \t]+program(?:me)?s?\b")
_OUTLET_INITIALS = re.compile(r"The[A-Z]{2,6}")
_AKA = re.compile(
    # A party-and-state bracket may stand between: "Keith Ellison (D-MN), aka Hakim Muhammad".
    r"(?P<a>(?:[A-Z][\w’'\-]*)(?:[ \t]+[A-Z][\w’'\-]*){0,4})(?:[ \t]*\([^()\n]{1,12}\))?"
    r"[ \t]*(?P<sep>[(,])[ \t]*"
    r"(?:also[ \t]+known[ \t]+as|aka|a\.k\.a\.|"
    r"better[ \t]+known[ \t]+as|or)[ \t]+(?:the[ \t]+)?(?P<b>[A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*){0,4})"
)


def _alias_links(text: str, floor: int, ceil: int) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Pairs of spans the text itself says are one entity: "Long Name (ABBR)", "X (also known as Y)"."""
    links: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    for m in _INITIALISM_DEF.finditer(text, floor, ceil):
        if _PROGRAMME_AFTER.match(text, m.end()):
            continue  # "the Community Development Block Grant (CDBG) program": a programme's name
        abbr = m.group("abbr").replace(".", "")
        long_start, long_end = m.span("long")
        # Walk the long name's start forward until its initials match the abbreviation.
        words = list(re.finditer(r"\S+", text[long_start:long_end]))
        for i in range(len(words)):
            cand = text[long_start + words[i].start() : long_end]
            if not cand[0].isupper() or cand.split()[0].lower() in STOP_IN_NAMES:
                continue
            if abbr.upper() in {initials(cand).upper(), initials_all(cand)}:
                links.append(((long_start + words[i].start(), long_end), m.span("abbr"), "ORG"))
                break
    for m in _AKA.finditer(text, floor, ceil):
        if " or " in m.group() and m.group("sep") != "(":
            continue  # "X or Y" is usually a choice, not an alias
        links.append((m.span("a"), m.span("b"), ""))
    return links


def cluster_candidates(cands: list[Candidate], text: str, floor: int, ceil: int) -> list[Cluster]:
    """Merge candidates into one cluster per entity, in the order of their first mention.

    Each step compares groups as they stood after the previous step, so the order in which
    groups are visited within a step does not change the result.
    """
    links = _alias_links(text, floor, ceil)
    # Spans named by alias definitions become candidates even when NER missed them.
    by_span = {(c.start, c.end): c for c in cands}
    for a, b, label in links:
        for span in (a, b):
            s, e = trim_span(text, *span)
            if (s, e) in by_span or e <= s:
                continue
            inside = [c for c in cands if s <= c.start and c.end <= e]
            if (
                label
                and inside
                and len(text[s:e].split()) > 1
                and not any(c.start < e and s < c.end for c in cands if c not in inside)
            ):
                # "the Office of the Director of National Intelligence (ODNI)": the defined long
                # name outranks the pieces NER cut from it ("of National Intelligence").
                kind = next((c.label for c in inside if c.label in {"GPE", "LOC", "FAC", "ORG"}), "ORG")
                cands[:] = [c for c in cands if c not in inside]
                c = Candidate(s, e, kind, hint=kind)
                cands.append(c)
                by_span[(s, e)] = c
            elif not any(c.start < e and s < c.end for c in cands):
                c = Candidate(s, e, label or "ORG", hint=label or None)
                cands.append(c)
                by_span[(s, e)] = c
    cands.sort(key=lambda c: c.start)
    uf = UnionFind(range(len(cands)))
    first: dict[str, int] = {}
    for i, c in enumerate(cands):
        # "ColumbiaBugle" = "Columbia Bugle": a name run together is the same name.
        name = text[c.start : c.end]
        key = norm_name(name).replace(" ", "")
        if "ORG" in (c.label, c.hint) and " " in name and key.endswith("s"):
            key = key[:-1]  # "the Sweden Democrats" and "a Sweden Democrat leader": one party
        if key in first:
            uf.union(first[key], i)
        else:
            first[key] = i

    def index_of(span: tuple[int, int]) -> int | None:
        s, e = trim_span(text, *span)
        for i, c in enumerate(cands):
            if c.start < e and s < c.end:
                return i
        return None

    for a, b, _label in links:
        ia, ib = index_of(a), index_of(b)
        if ia is not None and ib is not None:
            uf.union(ia, ib)

    def groups() -> dict[int, list[int]]:
        # Each group under its first candidate, in the order of first candidates.
        g: dict[int, list[int]] = defaultdict(list)
        for i in range(len(cands)):
            g[uf[i]].append(i)
        return {members[0]: members for members in g.values()}

    def gtype(members: list[int]) -> str:
        return vote_type([cands[i] for i in members], text)

    def gnames(members: list[int]) -> set[str]:
        return {text[cands[i].start : cands[i].end] for i in members}

    # Initialisms used without a definition: "IRGC" ↔ "Islamic Revolutionary Guard Corps".
    g = groups()
    acr = {r: n for r, m in g.items() for n in gnames(m) if is_acronym(n) or _OUTLET_INITIALS.fullmatch(n)}
    for r, abbr in acr.items():
        # "TheDC" of "The Daily Caller": an outlet's initials run on after its article.
        key = abbr.removeprefix("The").replace(".", "")
        targets = {
            r2
            for r2, m2 in g.items()
            if r2 != r
            and any(
                len(n.split()) > 1
                and key in {initials(n), initials_all(n), _initialism_led(n)}
                # "US Senate" starts with "US": a name that holds the initialism ("U.S.") as a
                # word is that country's institution, not the initialism's long form.
                and key not in {w.replace(".", "") for w in n.split()}
                for n in gnames(m2)
            )
        }
        if not targets:
            targets = {
                r2
                for r2, m2 in g.items()
                if r2 != r
                and gtype(m2) == "ORG"
                and any(len(n.split()) > 1 and _initialism_beyond(key, n) for n in gnames(m2))
            }
        if len(targets) == 1:
            uf.union(r, targets.pop())

    # Transliteration variants and surnames: compare name tokens across groups of one class.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    # same_name needs the same first letter: compare only groups that share one.
    buckets: dict[str, set[int]] = defaultdict(set)
    for r, (_t, names) in info.items():
        for n in names:
            if norm_name(n):
                buckets[initial_key(n)].add(r)
    for members in buckets.values():
        roots = sorted(members)
        for i, r1 in enumerate(roots):
            t1, n1 = info[r1]
            for r2 in roots[i + 1 :]:
                t2, n2 = info[r2]
                if type_class(t1) != type_class(t2) and "PERSON" not in (t1, t2):
                    continue
                if any(same_name(a, b) for a in n1 for b in n2 if len(a.split()) == len(b.split())):
                    uf.union(r1, r2)
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    # "Barack Obama" = "Barack Hussein Obama" = "Barack H. Obama": same first and last name.
    by_ends: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for r, (t, names) in info.items():
        if t == "PERSON":
            for n in names:
                parts = n.split()
                # "Donald Trump Jr." is not "Donald Trump": the suffix is part of the key.
                suffix = parts.pop() if len(parts) > 2 and _suffix(parts[-1]) else ""
                if len(parts) > 1:
                    by_ends[(norm_name(parts[0]), norm_name(parts[-1]), suffix.lower().rstrip("."))].append(r)
    for roots_ in by_ends.values():
        for r2 in roots_[1:]:
            uf.union(roots_[0], r2)
    # "McGill" = "McGill University": an organisation's name without its head word. NER often
    # calls the bare word a person ("Breitbart" of "Breitbart News"): that counts too, unless a
    # person named in full has it as a surname ("Trump" of "Trump Organization").
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    surnames = {
        name_parts(n)[-1]
        for t, names in info.values()
        if t == "PERSON"
        for n in names
        if len(name_parts(n)) > 1
    }
    for r, (t, names) in info.items():
        if t not in {"ORG", "PERSON"} or not all(len(n.split()) == 1 and not is_acronym(n) for n in names):
            continue
        if t == "PERSON" and names & surnames:
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
            for i in g[r]:
                cands[i].hint = cands[i].hint or "ORG"
    # "Justice Department" = "U.S. Department of Justice": an organisation's head word before or
    # after "of", with or without its country in front.
    g = groups()
    by_key: dict[str, set[int]] = defaultdict(set)
    for r, group in g.items():
        if gtype(group) == "ORG":
            for n in gnames(group):
                org = _org_key(n)
                if org:
                    by_key[org].add(r)
    for same_org in by_key.values():
        first_root, *others = sorted(same_org)
        for r2 in others:
            uf.union(first_root, r2)
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    # "Bin Salman", "al-Baghdadi": a surname with its particle is still a surname alone.
    info = {r: (t, {_without_particle(n) for n in names}) for r, (t, names) in info.items()}
    multi = {r: v for r, v in info.items() if v[0] == "PERSON" and any(len(n.split()) > 1 for n in v[1])}
    for r, (t, names) in info.items():
        if r in multi or not all(len(n.split()) == 1 for n in names):
            continue
        if t not in {"PERSON", "LOC", "GPE", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"}:
            continue
        if any(w.lower() in _REGNAL_TITLES for i in g[r] for w in cands[i].titles):
            continue  # "King Salman" beside "Mohammed bin Salman": a monarch's name is no surname
        exact: set[int] = set()
        fuzzy: set[int] = set()
        president = any(w.lower() == "president" for i in g[r] for w in cands[i].titles)
        juniors: set[int] = set()
        for r2, (_t2, names2) in multi.items():
            for full in names2:
                parts = name_parts(full)
                if len(parts) < 2:
                    continue
                # A surname alone, or one half of a double-barrelled one ("Lopez" of "Lopez-Loyola").
                family = {parts[-1], *parts[-1].split("-")[:1]}
                if "-" in parts[-1] and _other_given_name(text, parts[-1].split("-")[0], parts[0]):
                    family = {parts[-1]}  # "Reality Winner" is not her mother "Billie Winner-Davis"
                if president and parts[0] != US_PRESIDENTS.get(parts[-1], parts[0]):
                    continue  # "President Trump" is not "Ivanka Trump", named in a poll's list
                if any(n in family for n in names):
                    (juniors if _suffix(full.split()[-1]) else exact).add(uf[r2])
                elif any(same_name(n, parts[-1]) for n in names):
                    fuzzy.add(uf[r2])
        # "Trump" beside "Donald Trump" and "Donald Trump Jr." is the one without the suffix;
        # beside "Robert S. Mueller III" alone it is him.
        exact = exact or juniors
        target = None
        if len(exact) == 1:
            target = exact.pop()
        elif len(exact) > 1:
            # "Page" after "Lisa Page" and "Carter Page": news names a person in full, then by
            # surname; the one named in full last before the surname first stands alone.
            target = _last_named_before(exact, multi, g, uf, cands, text, min(cands[i].start for i in g[r]))
        elif not exact and len(fuzzy) == 1 and (t == "PERSON" or person_context(cands, g[r], text)):
            target = fuzzy.pop()
        elif not exact and not fuzzy and t == "PERSON":
            # A first name alone ("Dwight" after "Dwight Hammond"), when only one person has it.
            firsts = {
                uf[r2] for r2, (_t2, names2) in multi.items() for full in names2 if full.split()[0] in names
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
        if type_class(t) != "PLACE":
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
    # "DRC" = "Democratic Republic of the Congo", "USA" = "United States": one ISO country.
    g = groups()
    by_country: dict[str, list[int]] = defaultdict(list)
    mixed: dict[str, list[int]] = defaultdict(list)
    for r, group in g.items():
        codes = {country_code(n) for n in gnames(group)} - {None}
        if type_class(gtype(group)) not in {"PLACE", "ORG", "PERSON"}:
            continue
        if len(codes) == 1:
            by_country[codes.pop() or ""].append(r)
        else:
            for code in codes - {None}:
                mixed[code or ""].append(r)
    for code, roots_ in by_country.items():
        for r2 in roots_[1:]:
            uf.union(roots_[0], r2)
        # "DRC" alone, and "Congo" merged with "Democratic Republic of the Congo" (two codes,
        # Congo's name being both states'): the one group that holds the country joins it.
        if len(mixed[code]) == 1:
            uf.union(roots_[0], mixed[code][0])
    _merge_short_forms(cands, text, uf, groups)
    _merge_place_prefixes(cands, text, uf, groups)
    # "Ariz." ↔ "Arizona", "Mo." ↔ "Missouri": an abbreviation with a period and one place
    # whose name holds its letters in order, starting with the same letter.
    g = groups()
    info = {r: (gtype(m), gnames(m)) for r, m in g.items()}
    places = {r: names for r, (t, names) in info.items() if type_class(t) == "PLACE"}
    for r, (_t, names) in info.items():
        abbrevs = [n[:-1] for n in names if re.fullmatch(r"[A-Z][a-z]{1,4}\.", n)]
        # "(R-AZ)" ↔ "Arizona": a state's postal code and its name.
        states = {US_STATE_CODES[n] for n in names if n in US_STATE_CODES and r in places}
        if not abbrevs and not states:
            continue
        targets = {
            r2
            for r2, names2 in places.items()
            if r2 != r and (any(abbreviates(a, n2) for a in abbrevs for n2 in names2) or states & set(names2))
        }
        if len(targets) > 1 and abbrevs:
            # "Mo." holds the letters of "Mexico" too: a US state's is the abbreviation's usual reading.
            targets = {r2 for r2 in targets if US_STATES & places[r2]}
        if len(targets) == 1:
            uf.union(r, targets.pop())
    return [Cluster([cands[i] for i in sorted(m)]) for m in groups().values()]


# Titles of monarchs and popes, who are named by one name of their own ("King Salman", "Pope
# Francis"): that name is no surname of someone named in full.
_REGNAL_TITLES = frozenset({"king", "queen", "pope", "emperor", "empress", "sultan", "emir", "shah", "tsar"})


def _initialism_beyond(key: str, name: str) -> bool:
    """An initialism of three or more letters that covers a name after its first word
    ("Columbia Asian American Alliance" - "AAA", a school's name before its club's), or runs on
    past the name's own initials ("Islamic State" - "ISIS", of Iraq and Syria)."""
    if len(key) < 3:
        return False
    whole = initials(name)
    rest = initials(" ".join(name.split()[1:]))
    return (len(rest) >= 3 and key == rest) or (
        len(whole) >= 2 and len(key) > len(whole) and key.startswith(whole)
    )


def _initialism_led(name: str) -> str | None:
    """ "DRC" of "DR Congo": an initialism that opens a name, then the initials of the rest; not
    after a country's code ("US Army" is no "USA")."""
    first, *rest = name.split()
    if not rest or not is_acronym(first) or country_code(first):
        return None
    return first.replace(".", "") + initials(" ".join(rest))


def _last_named_before(
    owners: set[int],
    multi: dict[int, tuple[str, set[str]]],
    g: dict[int, list[int]],
    uf: UnionFind,
    cands: list[Candidate],
    text: str,
    pos: int,
) -> int | None:
    """Of the `owners` (union-find roots of people named in full), the one the text names in
    full last before `pos`; of several in that sentence the first ("Ammon Bundy, whose father
    Cliven Bundy …" then "Bundy said" is Ammon). None when none is named before `pos`."""
    full: list[tuple[int, int]] = []
    for r2 in multi:
        root = uf[r2]
        if root not in owners:
            continue
        for i in g[r2]:
            c = cands[i]
            if c.start < pos and " " in text[c.start : c.end].strip():
                full.append((c.start, root))
    if not full:
        return None
    last = max(full)[0]
    sentence = max(text.rfind("\n", 0, last), text.rfind(". ", 0, last)) + 1
    return min(f for f in full if f[0] >= sentence)[1]


def _other_given_name(text: str, surname: str, given: str) -> bool:
    """Whether the text writes `surname` after a capitalised word that is no title and not
    `given`: someone else of that name ("Reality Winner" beside "Billie Winner-Davis")."""
    for m in re.finditer(r"(?<![\w\-])([A-Z][a-z]+)[ \t]+" + re.escape(surname) + r"(?![\w\-])", text):
        word = m.group(1)
        if word != given and word.lower() not in PERSON_TITLES | HONORIFICS | STOP_IN_NAMES:
            return True
    return False


def _without_particle(name: str) -> str:
    """ "Bin Salman" → "Salman", "al-Baghdadi" → "Baghdadi"; other names unchanged ("Al Franken"
    is a given name and a surname)."""
    m = re.fullmatch(r"(\w+)[ \-](\w[\w’'\-]*)", name)
    if m and m.group(1).lower() in NAME_PARTICLES and not _given_al(name.split()):
        return m.group(2)
    return name


def _given_al(words: list[str]) -> bool:
    """ "Al Franken", "Al Gore": "Al" written apart before one capitalised surname is a given name."""
    return len(words) == 2 and words[0] == "Al" and words[1][:1].isupper()


def _org_key(name: str) -> str | None:
    """ "justice department" for "Justice Department", "Department of Justice" and "U.S.
    Department of Justice"; None for a name without an organisation head word."""
    words = name.split()
    if len(words) > 2 and country_code(words[0]):
        words = words[1:]
    m = re.fullmatch(r"(\w+) of (?:the )?(\w+(?: \w+)?)", " ".join(words))
    if m and m.group(1).lower() in ORG_HEADS:
        return f"{m.group(2)} {m.group(1)}".lower()
    if len(words) in {2, 3} and words[-1].lower() in ORG_HEADS and words[0][:1].isupper():
        return " ".join(words).lower()
    return None


def _suffix(word: str) -> bool:
    return word.lower().rstrip(".,") in NAME_SUFFIXES


def name_parts(name: str) -> list[str]:
    """A person's name words that can be a surname: no particles ("al", "van"), no generational
    suffix ("Robert S. Mueller III" → surname "Mueller")."""
    words = name.split()
    if _given_al(words):
        return words
    return [p for p in words if p.lower() not in NAME_PARTICLES and not _suffix(p)]


# A nation's legislature or armed service, named alone: "the Senate", "the Army".
_NATIONAL_BODIES = frozenset(
    {"senate", "house", "congress", "parliament", "assembly", "army", "navy", "marines"}
)


def _short_form_of(short: str, full: str) -> bool:
    """Whether `short` is how news writes `full` again: its name without a leading initialism
    ("Congo" of "DR Congo"), its last two or more words ("Bay Area" of "San Francisco Bay
    Area", "Air Force" of "U.S. Air Force"), or its head before "of" ("U.S. Conference" of
    "U.S. Conference of Mayors")."""
    a, b = short.split(), full.split()
    if len(a) >= len(b):
        return False
    if b[-len(a) :] == a:
        rest = b[: -len(a)]
        if any(w.lower() in {"of", "for", "at"} for w in rest):
            # "McGill University" or "University" of "Students’ Society of McGill University":
            # words after "of" name its owner, and the name's head is before them.
            return False
        if len(a) == 1 and a[0].lower() in _NATIONAL_BODIES:
            # "Senate" of "US Senate", "Army" of "U.S. Army": a state's body named again, but not
            # the Hungarian "Parliament" of "European Parliament" nor "Army" of "Muslim Army".
            return all(is_acronym(w) for w in rest) or country_code(" ".join(rest)) is not None
        # "the Times" of "The New York Times": one word, when it is an organisation's head word.
        return len(a) >= 2 or all(is_acronym(w) for w in rest) or a[0].lower() in ORG_HEADS
    if b[: len(a)] == a and len(a) >= 2:
        return b[len(a)].lower() == "of"
    if len(a) == 1 and len(b) == 2 and b[0] == a[0] and b[1].lower() in _SCHOOL_HEADS:
        # "McGill" of "McGill University", "Harvard" of "Harvard College": a school is named by
        # its first word alone, but a country or a state is its own name ("Texas University").
        return country_code(a[0]) is None and a[0] not in US_STATES
    return False


_SCHOOL_HEADS = frozenset({"university", "college"})


# Articles that open foreign names of outlets and groups ("Die Tagespost", "Le Monde", "Il
# Foglio"); English text often drops them on a second mention.
_FOREIGN_ARTICLES = frozenset({"Die", "Der", "Das", "Le", "La", "Les", "Il", "Lo", "Los", "Las", "El"})


def _without_article(short: str, full: str) -> bool:
    """ "Tagespost" of "Die Tagespost": the name again without its foreign article."""
    b = full.split()
    return len(b) >= 2 and b[0] in _FOREIGN_ARTICLES and b[1:] == short.split()


def _acronym_tail(a: str, b: str) -> bool:
    """ "Travis AFB" = "Travis Air Force Base": the same first words, then an initialism of the rest."""
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) <= len(wa) or not is_acronym(wa[-1]):
        return False
    head = len(wa) - 1
    return wa[:head] == wb[:head] and wa[-1].replace(".", "") == initials(" ".join(wb[head:]))


def _merge_short_forms(
    cands: list[Candidate], text: str, uf: UnionFind, groups: Callable[[], dict[int, list[int]]]
) -> None:
    """Organisations and places named again by a short form, whatever NER called each form.

    NER types "Travis AFB" PERSON and "Travis Air Force Base" FAC, "DR Congo" ORG and "Congo"
    GPE: the type is no evidence here, so a group merges with the one other non-person group
    whose name it shortens; a group typed PERSON only by its initialism tail ("Travis AFB").
    """
    g = groups()
    info = {r: (vote_type([cands[i] for i in m], text), gnames(cands, m, text)) for r, m in g.items()}
    people = {r for r, (t, _n) in info.items() if t == "PERSON"}
    for r, (_t, names) in info.items():
        short = set()
        tail = set()
        for r2, (_t2, names2) in info.items():
            if r2 == r or r2 in people:
                continue
            pairs = [(n, n2) for n in names for n2 in names2]
            if any(_acronym_tail(n, n2) or _without_article(n, n2) for n, n2 in pairs):
                tail.add(r2)  # NER may type the bare word a person ("Tagespost")
            elif any(_short_form_of(n, n2) for n, n2 in pairs):
                short.add(r2)
        targets = tail | (short if r not in people else set())
        if len(targets) == 1:
            uf.union(r, targets.pop())


def _merge_place_prefixes(
    cands: list[Candidate], text: str, uf: UnionFind, groups: Callable[[], dict[int, list[int]]]
) -> None:
    """ "Rio" of "Rio de Janeiro": a one-word name that opens exactly one multiword place's name,
    whatever NER called it. Not a country or a state ("Mexico" of "Mexico City", "Kansas" of
    "Kansas City"), not before a place's head word ("Santa Cruz County"), and no person."""
    g = groups()
    info = {r: (vote_type([cands[i] for i in m], text), gnames(cands, m, text)) for r, m in g.items()}
    firsts: dict[str, set[int]] = defaultdict(set)
    for r, (t, names) in info.items():
        if type_class(t) != "PLACE":
            continue
        for n in names:
            words = n.split()
            if len(words) > 1 and words[-1].lower() not in PLACE_HEADS | {"city", "town"}:
                firsts[words[0]].add(r)
    if not firsts:
        return
    for r, (t, names) in info.items():
        if t not in {"ORG", "GPE", "LOC", "FAC"} or len(names) != 1:
            continue
        (name,) = names
        targets = firsts.get(name, set()) - {r}
        if (
            len(targets) == 1
            and " " not in name
            and not is_acronym(name)
            and not country_code(name)
            and not is_region(name)
            and not any(cands[i].hint in {"PERSON", "WORK_OF_ART", "LAW"} for i in g[r])
        ):
            uf.union(r, targets.pop())


def gnames(cands: list[Candidate], members: list[int], text: str) -> set[str]:
    """The distinct name strings of a group of candidates."""
    return {text[cands[i].start : cands[i].end] for i in members}


def propagate_names(clusters: list[Cluster], text: str, floor: int, ceil: int) -> None:
    """Every further occurrence of a known name (also inside a possessive) is a mention."""
    taken = sorted((c.start, c.end) for cl in clusters for c in cl.cands)

    def free(s: int, e: int) -> bool:
        i = bisect.bisect_left(taken, (s, e))
        return not any(a < e and s < b for a, b in taken[max(0, i - 1) : i + 1])

    variants: list[tuple[str, Cluster, str]] = []
    surnames: dict[str, list[Cluster]] = defaultdict(list)
    for cl in clusters:
        label = cl.cands[0].label
        for name in set(cl.names(text)):
            if len(name) >= 3:
                variants.append((name, cl, label))
            if name.isupper() and len(name) > 5 and not is_acronym(name):
                variants.append((name.title(), cl, label))  # "LAS VEGAS" (dateline) → "Las Vegas"
            lead, _, rest = name.partition(" ")
            if label == "ORG" and len(rest.split()) >= 2 and country_code(lead) and rest[:1].isupper():
                # "U.S. Conference of Mayors" named again without its country ("Conference of
                # Mayors passes resolutions"), as the guidelines take "Air Force".
                variants.append((rest, cl, label))
        if vote_type(cl.cands, text) == "PERSON":
            for name in set(cl.names(text)):
                parts = name_parts(name)
                surname = parts[-1] if len(parts) > 1 else ""
                if len(surname) >= 3 and surname[0].isupper() and cl not in surnames[surname]:
                    surnames[surname].append(cl)
    # News style names a person in full once, then by surname: "Michael Hayden" … "Hayden".
    known = {v[0] for v in variants}
    for surname, owners in surnames.items():
        # A surname that is a title word ("Mark Judge") is not searched alone: "Judge Brett
        # Kavanaugh" is a title.
        if len(owners) == 1 and surname not in known and surname.lower() not in PERSON_TITLES:
            variants.append((surname, owners[0], "PERSON"))
    variants.sort(key=lambda v: -len(v[0]))
    # One pass over the words, then each variant is looked up by its first word: linear in the
    # text instead of one regex scan per name.
    word_at: dict[str, list[int]] = defaultdict(list)
    for w in re.finditer(r"(?<![\w\-])\w[\w.]*|(?<=[a-z.]-)[A-Z][\w.]*", text[floor:ceil]):
        word_at[w.group().rstrip(".")].append(w.start() + floor)
    for name, cl, label in variants:
        head = re.match(r"\w[\w.]*", name)
        if head is None:
            continue
        place = label in {"GPE", "LOC"}
        for s in word_at.get(head.group().rstrip("."), ()):
            e = s + len(name)
            if (
                e > ceil
                or not text.startswith(name, s)
                or (e < len(text) and (text[e].isalnum() or text[e] == "_"))
            ):
                continue
            # Hyphens part words, but only a place joins a hyphenated pair of names ("the
            # Mexico-Guatemala border", "U.S.-Mexico"), not a person ("Winner-Davis").
            hyphened = text[s - 1 : s] == "-" or (text[e : e + 1] == "-" and text[e + 1 : e + 2].isupper())
            if (text[e : e + 1] == "-" and not hyphened) or (hyphened and not place):
                continue
            if free(s, e):
                cl.cands.append(Candidate(s, e, label))
                bisect.insort(taken, (s, e))
    # Another romanisation of a known surname that NER did not tag ("Soleimani" after
    # "Qassem Suleimani"): a capitalised word with the same transliteration skeleton.
    by_initial: dict[str, list[tuple[str, Cluster]]] = defaultdict(list)
    for surname, owners in surnames.items():
        if len(owners) == 1 and len(surname) >= 5:
            by_initial[initial_key(surname)].append((surname, owners[0]))
    if not by_initial:
        return
    for m in re.finditer(r"(?<![\w\-])[A-Z][a-z]{4,}(?![\w\-])", text[floor:ceil]):
        word = m.group()
        s, e = m.start() + floor, m.end() + floor
        for surname, cl in by_initial.get(initial_key(word), ()):
            if (
                abs(len(word) - len(surname)) <= 2
                and word != surname
                and same_name(word, surname)
                and free(s, e)
            ):
                cl.cands.append(Candidate(s, e, "PERSON"))
                bisect.insort(taken, (s, e))
                break


def canonical_name(cl: Cluster, text: str, label: str) -> str:
    """The name an entity is shown under: not an initialism, the fullest form (a country's
    shortest), then the most frequent, then the first."""
    names = cl.names(text)
    counts = Counter(names)

    def rank(n: str) -> tuple[int, int, int, int, int]:
        acronym = is_acronym(n)
        words = len(n.split())
        # People, places and organisations: the fullest form, the long name over the initialism;
        # a country: its shortest common name ("Rio de Janeiro" over "Rio", "Congo" over "Republic of …").
        country = label == "GPE" and country_code(n) is not None
        return (
            0 if acronym and label != "GPE" else 1,
            1 if country else 0,
            -words if country else words,
            counts[n],
            -names.index(n),
        )

    return max(counts, key=rank)
