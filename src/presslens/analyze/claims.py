"""Claims stage: the body sentences a fact-checker could check, with why and what they involve.

Data flow: anatomy → entities → **claims**. Fills `Document.claims` with
`Claim(start, end, text, kind, score, numbers, entities)`, one per check-worthy sentence in
text order; `score` in [0, 1] ranks them (sort by it to triage), `kind` is the strongest reason:

- `statistic` — percentages, polls, surveys, rates, money, counts ("76% of Iranians");
- `superlative` — "the highest", "the most effective", "the first time in history";
- `attribution` — something reported by a named source ("X said that", "according to");
- `causal` — "because", "led to", "caused", "as a result of", "attributed to";
- `factual` — a dated event involving a named entity ("In March 2019, X was awarded …").

How: features of the shared spaCy parse (number entities, JJS/RBS tags, cue verbs) plus a few
lexical patterns; the score is a capped weighted sum. Questions and sentences with no entity
and no number score low and are left out.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text="A poll showed that 76% of Iranians approve. It rained.")
>>> [(c.kind, c.numbers) for c in extract_claims(doc)]
[('statistic', ['76%'])]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from presslens.analyze.entities import entities_of
from presslens.analyze.nlp import CUE_WORDS, is_english, parse
from presslens.document import Claim, Document
from presslens.lexicon.dates import MONTH
from presslens.pipeline import register_stage

THRESHOLD = 0.35
_NUMBER_LABELS = frozenset({"PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
_STAT_WORDS = re.compile(
    r"\b(?:poll|polls|survey|surveys|percent|per cent|percentage|rate|rates|average|median|majority|"
    r"statistics?|census|data|estimated?|doubled|tripled|halved|increased|decreased|rose|fell)\b",
    re.I,
)
_SUPERLATIVE = re.compile(
    r"\b(?:the\s+(?:first|last|only|largest|biggest|highest|lowest|worst|best)\b|for the first time|"
    r"in (?:the )?history|ever\b|record[- ]breaking|unprecedented|most\s+\w+|least\s+\w+)",
    re.I,
)
_CAUSAL = re.compile(
    r"\b(?:because(?: of)?|due to|caused|causes|causing|led to|leads to|lead to|result(?:ed|s)? in|"
    r"as a result of|"
    r"attributed to|thanks to|responsible for|triggered|sparked|blamed (?:for|on)|so that|therefore|"
    r"consequently|owing to)\b",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"\b(?:according to|reported(?:ly)?|claimed|said that|says that|confirmed|"
    r"revealed|announced|showed that|shows that|found that)\b",
    re.I,
)
_DATE_WORD = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)\b|\b" + MONTH + r"(?!\w)")
_EVENT_VERB = re.compile(
    r"\b(?:was|were|had been)\s+(?:awarded|elected|appointed|arrested|killed|sentenced|"
    r"convicted|charged|born|promoted|founded|established|signed|approved|passed|"
    r"assassinated|named|fired|indicted)\b|\b(?:won|signed|launched|founded|killed|"
    r"invaded|joined|announced|approved|banned)\b",
    re.I,
)
WEIGHTS = {"statistic": 0.5, "superlative": 0.35, "attribution": 0.3, "causal": 0.3, "factual": 0.3}


def extract_claims(doc: Document) -> list[Claim]:
    """Check-worthy sentences of `doc`'s body, in text order. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.analysis_range()
    text = doc.text
    if not text[start:end].strip():
        return []
    parsed = parse(doc)
    off = parsed.offset
    entities = entities_of(doc)
    mentions = sorted((m.start, e.name, e.type) for e in entities for m in e.mentions)
    mention_starts = [m[0] for m in mentions]
    # Number entities by sentence, computed once (Span.ents rescans the whole document).
    number_ents: dict[int, list[str]] = defaultdict(list)
    for ent in parsed.doc.ents:
        if ent.label_ in _NUMBER_LABELS and re.search(r"\d|percent|half|million|billion|thousand", ent.text):
            number_ents[ent.sent.start].append(ent.text)
    claims: list[Claim] = []
    for sent in parsed.doc.sents:
        s, e = sent.start_char + off, sent.end_char + off
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        stext = text[s:e]
        if len(stext.split()) < 5 or stext.rstrip().endswith("?"):
            continue
        numbers: list[str] = []
        for number in number_ents.get(sent.start, ()):
            if number not in numbers:
                numbers.append(number)
        involved: list[str] = []
        lo, hi = bisect.bisect_left(mention_starts, s), bisect.bisect_left(mention_starts, e)
        for _ms, name, etype in mentions[lo:hi]:
            if name not in involved and etype != "NORP":
                involved.append(name)
        reasons: dict[str, float] = {}
        if any("%" in n or "percent" in n.lower() for n in numbers) or (
            numbers and _STAT_WORDS.search(stext)
        ):
            reasons["statistic"] = WEIGHTS["statistic"] + 0.1 * min(len(numbers), 3)
        elif numbers:
            reasons["statistic"] = 0.3
        if any(t.tag_ in {"JJS", "RBS"} for t in sent) or _SUPERLATIVE.search(stext):
            reasons["superlative"] = WEIGHTS["superlative"]
        if _CAUSAL.search(stext):
            reasons["causal"] = WEIGHTS["causal"]
        if _ATTRIBUTION.search(stext) or any(t.lower_ in CUE_WORDS and t.pos_ == "VERB" for t in sent):
            reasons["attribution"] = WEIGHTS["attribution"] if involved else 0.15
        if _DATE_WORD.search(stext) and involved and _EVENT_VERB.search(stext):
            reasons["factual"] = WEIGHTS["factual"]
        if not reasons:
            continue
        score = sum(reasons.values()) + (0.1 if involved else -0.1)
        score = max(0.0, min(1.0, score))
        if score < THRESHOLD:
            continue
        kind = max(reasons, key=lambda k: reasons[k])
        claims.append(
            Claim(
                start=s,
                end=e,
                text=stext,
                kind=kind,
                score=round(score, 3),
                numbers=numbers,
                entities=involved,
            )
        )
    return claims


@register_stage("claims", requires=("user_data.spacy", "entities"), assigns=("claims",))
class ClaimStage:
    """Pipeline stage: fills `doc.claims` (see the module docstring)."""

    name = "claims"

    def __call__(self, doc: Document) -> Document:
        doc.claims = extract_claims(doc)
        return doc
