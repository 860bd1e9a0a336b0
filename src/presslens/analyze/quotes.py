"""Quotes stage: who is quoted saying what — direct quotes, scare quotes and indirect speech.

Data flow: anatomy → entities → **quotes**. Fills `Document.quotes` with
`Quote(start, end, text, speaker, kind, cue)`: `start`/`end` cover the quoted words without the
quote marks; `speaker` is the canonical name of an entity from `doc.entities` (a person,
organisation or country), or None when the words are unattributed or said by something that is
not a named entity ("read the words of the war flag"); `cue` is the verb that attributes them.

How: quote marks of every common style are paired per paragraph (“…”, "…", ‘…’, '…', «…», „…“);
short quoted phrases inside a sentence are `scare` quotes ("criminals"); the speaker comes from
the dependency parse — the cue verb governing the quote ("said", "described by … as",
"emphasized"), its subject or its passive agent, mapped through entity mentions (so "he" is
whoever the entities stage attached it to). Cue verbs with a reported clause and no quote
marks give `indirect` quotes ("He denied the rumors, saying he hoped …").

When the subject is no name, the speaker is resolved further: a title alone ("the AG said") is
the person the text names with it ("Attorney General Jeff Sessions"); "he"/"she" is the last
person of that gender who is not a listener ("told X", "a letter to X"); "the group said" is
the organisation named last; a quote after a colon belongs to the subject of the clause the
colon ends; and a quote its own sentence does not attribute takes the speaker of the cue in
the sentence before. An organisation speaks only when no person is named for the words.

>>> from presslens.document import Document
>>> doc = Document(source="demo", text='Angela Merkel said: "We will manage this."')
>>> [(q.text, q.speaker, q.kind) for q in extract_quotes(doc)]
[('We will manage this.', 'Angela Merkel', 'direct')]
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from presslens.analyze.entities import entities_of
from presslens.analyze.entities.labels import WORK_TYPES
from presslens.analyze.entities.references import has_unnamed_subject
from presslens.analyze.entities.words import ORG_HEADS, PERSON_TITLES, ROLE_NOUNS, UNNAMED_PERSON_NOUNS
from presslens.analyze.entities.words import TITLE_GLUE as TITLE_WORDS_GLUE
from presslens.analyze.nlp import CUE_WORDS, Parsed, QuotedSpan, is_english, parse, quoted_spans
from presslens.document import Document, Entity, Quote
from presslens.lexicon.persons import name_gender
from presslens.lexicon.places import country_code, demonym_of
from presslens.lexicon.quotes import (
    CLOSE_ONLY,
    JUDGING_VERBS,
    MORE_SPEECH_VERBS,
    PAIRS_BY_LANGUAGE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
    title_cased,
)
from presslens.pipeline import register_stage

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Verbs that give something a name ("called her a …", "referred to the team as a …").
# (Word forms: the parse runs without a lemmatizer.)
_NAMING_VERBS = frozenset(
    {
        "call",
        "calls",
        "called",
        "calling",
        "dub",
        "dubs",
        "dubbed",
        "dubbing",
        "label",
        "labels",
        "labeled",
        "labelled",
        "labeling",
        "labelling",
        "brand",
        "brands",
        "branded",
        "branding",
        "term",
        "terms",
        "termed",
        "terming",
        "describe",
        "describes",
        "described",
        "describing",
        "refer",
        "refers",
        "referred",
        "referring",
        "nickname",
        "nicknames",
        "nicknamed",
    }
)
# Cue verbs that only introduce reported speech with a clause ("said that …"), not "believe";
# naming verbs name things, they do not report speech ("called it a disgrace").
INDIRECT_CUES = CUE_WORDS - _NAMING_VERBS - {"read", "reads"}
# Verbs that attribute quoted words: the shared cue list and the many other ways of saying
# "said" ("“…,” Fauci cautioned"). Reported speech without marks keeps to INDIRECT_CUES.
QUOTE_CUES = CUE_WORDS | MORE_SPEECH_VERBS
SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE"})
# Words whose report a short quoted term inside makes that term someone's (partial, not scare)
# though they are no cue for a speaker: thinking and fearing, talking about, uttering, judging
# ("attacking victims for “Slander”"), and the nouns "came to the conclusion that …".
_REPORTING_WORDS = QUOTE_CUES | frozenset(
    """fear fears feared fearing worry worries worried worrying concerned speak speaks spoke
        speaking talk talks talked talking discuss discusses discussed discussing utter utters
        uttered uttering conclusion conclusions""".split()  # noqa: SIM905 - a word list reads best as prose
)
SCARE_MAX_WORDS = 3


class _Mentions:
    """Char offset → entity, for mapping a speaker token to its entity."""

    def __init__(self, entities: list[Entity], text: str = "") -> None:
        rows = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
        self.entities = entities
        self.text = text
        self.starts = [r[0] for r in rows]
        self.rows = rows
        self._genders: dict[int, str | None] = {}

    def person_before(self, pos: int, reach: int = 800, gender: str | None = None) -> Entity | None:
        """The person named (not a pronoun) most recently before `pos`: whom "he said" means
        when the entities stage attached the pronoun to nobody (or to a place). A listener
        ("told X", "a letter to X") is skipped, and so is a person of the other gender."""
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and self.rows[i][0] > pos - reach:
            s, e, ent = self.rows[i]
            if (
                ent.type == "PERSON"
                and e <= pos
                and self.text[s : s + 1].isupper()
                and not _is_listener(self.text, s)
                and (gender is None or self.gender(ent) in (None, gender))
            ):
                return ent
            i -= 1
        return None

    def gender(self, ent: Entity) -> str | None:
        """'m' or 'f' as the first name, a title before a mention ("Mr Salama") or the pronouns
        the entities stage attached tell it; None when nothing does or the evidence disagrees."""
        key = id(ent)
        if key not in self._genders:
            votes: set[str] = set()
            first = ent.name.split()[0] if ent.name.split() else ""
            if g := name_gender(first):
                votes.add(g)
            for m in ent.mentions:
                word = self.text[m.start : m.end].lower()
                if word in _PRONOUN_GENDER:
                    votes.add(_PRONOUN_GENDER[word])
                    continue
                before = re.search(r"([A-Za-z]+)\.?[ \t]+$", self.text[max(0, m.start - 14) : m.start])
                if before and (g := name_gender(before.group(1))):
                    votes.add(g)  # "Mr Salama", "Cardinal Burke", "Peter Salama"
            self._genders[key] = votes.pop() if len(votes) == 1 else None
        return self._genders[key]

    def nearest(self, pos: int, types: frozenset[str], reach: int = 1500) -> Entity | None:
        """The entity of `types` named most recently before `pos` ("the group said")."""
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and self.rows[i][0] > pos - reach:
            s, e, ent = self.rows[i]
            if ent.type in types and e <= pos and self.text[s : s + 1].isupper():
                return ent
            i -= 1
        return None

    def at(self, start: int, end: int) -> Entity | None:
        i = bisect.bisect_right(self.starts, end) - 1
        while i >= 0 and self.rows[i][1] > start - 200:
            s, e, ent = self.rows[i]
            if s < end and start < e:
                return ent
            i -= 1
        return None


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "herself": "f"}
# "told X", "a letter to X", "asked X": X listens. Titles may stand between ("to Pope Francis");
# "according to X" names a source, not a listener.
_LISTENER = re.compile(
    r"(?<!according )\b(?:to|told|tells|tell|telling|asked|asks|ask|addressed|dear|Dear)[ \t]+"
    r"(?:(?:the|his|her)[ \t]+)?(?:[A-Z][\w.]*[ \t]+){0,3}$"
)


def _is_listener(text: str, start: int) -> bool:
    """The name at `start` is the addressee of a letter or the listener of a "told"."""
    return _LISTENER.search(text[max(0, start - 60) : start]) is not None


def _speaker_of(verb: Token, mentions: _Mentions, off: int, depth: int = 0) -> tuple[Entity | None, bool]:
    """The entity that a cue verb attributes speech to, and whether a subject/agent was found."""
    head = verb
    for _ in range(3):
        subj = None
        for child in head.children:
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        subj = g
            elif child.dep_ in {"nsubj", "nsubjpass"} and (
                # Two subjects in a parse (Obama's “pastor,” Jeremiah Wright uttered …): the one
                # next to the verb speaks; an agent ("by X") outranks them.
                subj is None or (subj.dep_ != "pobj" and child.i < head.i)
            ):
                subj = child
        if subj is None:
            # "The Pope Is Now Openly Attacking …": a Title-Case line may hang the subject on the
            # auxiliary instead of the verb.
            subj = next(
                (
                    g
                    for a in head.children
                    if a.dep_ in {"aux", "auxpass"}
                    for g in a.children
                    if g.dep_ == "nsubj"
                ),
                None,
            )
        if subj is not None and not (subj.dep_ == "nsubjpass" and _has_agent(head)):
            ent = mentions.at(subj.idx + off, subj.idx + len(subj) + off)
            if ent is None and subj.lower_ in {"who", "that"} and head.dep_ == "relcl":
                ent = _antecedent(head.head, mentions, off)  # "Mike Pompeo, who said …"
            if ent is None and subj.lower_ in PERSON_TITLES:
                # 'said Sgt. Tom Baker': the tokenizer ended a sentence at the title's period,
                # so the name after it is no part of the subject.
                after = subj.idx + len(subj) + off
                gap = re.match(r"\.?[ \t]+", mentions.text[after : after + 4])
                if gap:
                    ent = mentions.at(after + gap.end(), after + gap.end() + 1)
            if ent is None or ent.type != "PERSON":
                # "said witness Kamren Hernandez", "WHO official Peter Salama said": a person
                # named inside the subject phrase speaks, not the organisation around them.
                ent = _person_in(subj, mentions, off) or ent
            if subj.lower_ in {"he", "she"} and (ent is None or ent.type != "PERSON"):
                sent = subj.sent
                if sent.start > 0 and has_unnamed_subject(subj.doc[sent.start - 1].sent):
                    return None, True  # "A government spokesman said … He added: “…”"
                # A pronoun the entities stage left alone or gave to a place ("the spread to
                # Mbandaka … he told the BBC"): the last named person of that gender, further
                # back than a name alone would reach (a long quote and a page's poll between).
                gender = _PRONOUN_GENDER[subj.lower_]
                ent = mentions.person_before(subj.idx + off, reach=1500, gender=gender)
            if ent is None or ent.type != "PERSON":
                # "the AG said": the title's holder, even where an office shares the words.
                ent = _title_holder(subj, mentions, off) or ent
            if ent is None:
                ent = _described_org(subj, mentions, off) or _record_owner(subj, mentions, off)
            if ent is None and subj.lower_ == "it" and depth < 2:
                ent = _it_speaker(subj, mentions, off, depth)
            if ent is not None and ent.type != "PERSON" and _unnamed_member(subj, mentions, off):
                return None, True  # "the ADL official told JTA": one unnamed person, not the ADL
            if ent is not None and ent.type in SPEAKER_TYPES:
                return ent, True
            if subj.dep_ == "nsubjpass":
                # "X was described as ..." names the described, not the speaker.
                return None, False
            return None, True
        if subj is not None:
            return None, True
        # "…, saying …": a participle borrows the subject of the verb it hangs on.
        if head.dep_ in {"advcl", "xcomp", "conj", "ccomp"} and head.head is not head:
            head = head.head
            continue
        if head.dep_ == "acl" and head.tag_ == "VBG":
            # "blew it off with a joke saying, “…”", "issued a statement saying …": the one
            # who makes the joke or the statement, the subject of the verb above the noun.
            above = next((a for a in head.ancestors if a.pos_ in {"VERB", "AUX"}), None)
            if above is not None:
                head = above
                continue
        break
    if verb.dep_ == "ROOT" and verb.pos_ == "VERB":
        return _unparsed_subject(verb, mentions, off)
    if verb.tag_ == "VBG" and (author := _record_by(verb, mentions, off)) is not None:
        return author, True
    return None, False


def _record_by(verb: Token, mentions: _Mentions, off: int) -> Entity | None:
    """ "… incidents, including a tweet by Igor Sadikov, an elected representative …, saying:
    “…”": a participle with no subject of its own quotes the record (a tweet, a post, a
    statement) named last before it, whose author is the person after its "by"."""
    for tok in reversed(verb.doc[verb.sent.start : verb.i]):
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ != "amod":
            return None  # another clause stands between
        if tok.lower_ in _RECORD_NOUNS:
            for by in tok.children:
                if by.dep_ == "prep" and by.lower_ == "by":
                    for g in by.children:
                        ent = mentions.at(g.idx + off, g.idx + len(g) + off) if g.dep_ == "pobj" else None
                        if ent is not None and ent.type == "PERSON":
                            return ent
            return None
    return None


def _unparsed_subject(verb: Token, mentions: _Mentions, off: int) -> tuple[Entity | None, bool]:
    """A sentence's cue verb the parse gave no subject, where the words before it hold no other
    verb: they are its subject phrase, misparsed ("On Monday, D.C.’s archbishop, Cardinal Donald
    Wuerl, former leader of the Pittsburgh diocese, warned …", NER hung it all on "On"); the
    last person named there speaks."""
    before = verb.doc[verb.sent.start : verb.i]
    if not before or any(t.pos_ in {"VERB", "AUX"} for t in before):
        return None, False
    found = None
    for tok in before:
        ent = mentions.at(tok.idx + off, tok.idx + len(tok) + off)
        if ent is not None and ent.type == "PERSON" and tok.pos_ == "PROPN":
            found = ent
    return (found, True) if found is not None else (None, False)


# What a person says or has said, as the subject of the sentence that quotes it.
_RECORD_NOUNS = frozenset(
    """history record comments remarks statement statements words tweet tweets post posts letter
    message speech speeches interview testimony""".split()  # noqa: SIM905 - a word list reads best as prose
)


def _it_speaker(subj: Token, mentions: _Mentions, off: int, depth: int) -> Entity | None:
    """ "In Geneva, the World Health Organization said …" then "“…,” it said": the organisation
    (or country) that spoke in the sentence before; none when that was an unnamed statement."""
    sent = subj.sent
    if sent.start == 0:
        return None
    prev = subj.doc[sent.start - 1].sent
    cues = [t for t in prev if t.lower_ in QUOTE_CUES and t.pos_ in {"VERB", "AUX"}]
    if not cues:
        return None
    # The sentence's main cue ("the WHO said lab tests confirmed …": "said", not "confirmed").
    main = min(cues, key=lambda t: sum(1 for _ in t.ancestors))
    speaker, _ = _speaker_of(main, mentions, off, depth + 1)
    return speaker if speaker is not None and speaker.type in {"ORG", "GPE"} else None


def _record_owner(subj: Token, mentions: _Mentions, off: int) -> Entity | None:
    """ "Farrakhan’s history of comments includes …, saying white people “deserve to die”": the
    person whose record it is says the words."""
    if subj.lower_ not in _RECORD_NOUNS:
        return None
    for c in subj.children:
        if c.dep_ == "poss":
            ent = mentions.at(c.idx + off, c.idx + len(c) + off)
            if ent is not None and ent.type == "PERSON":
                return ent
    return None


def _unnamed_member(subj: Token, mentions: _Mentions, off: int) -> bool:
    """ "a Justice Department spokesperson", "the ADL official": one person the text does not
    name, of a body it does; "ICE officials announced" is the body speaking through several."""
    own = mentions.at(subj.idx + off, subj.idx + len(subj) + off)
    return subj.tag_ == "NN" and subj.lower_ in UNNAMED_PERSON_NOUNS and own is None


# Nouns that stand for an organisation already named ("the group said", "the newspaper added").
_ORG_DESCRIPTIONS = ORG_HEADS | {"group", "newspaper", "paper", "firm", "outlet", "website", "charity"}
_TITLE_WORDS = PERSON_TITLES | ROLE_NOUNS


def _title_holder(subj: Token, mentions: _Mentions, off: int) -> Entity | None:
    """'the AG said', 'the minister told reporters': the person the text names with that title
    ("Attorney General Jeff Sessions"), never an organisation named after the office. An
    initialism stands for a title written out ("AG" for "Attorney General")."""
    words = [c for c in subj.lefts if c.dep_ == "compound"] + [subj]
    # "Hungary’s Prime Minister said": a country's title holder is as definite as "the".
    definite = any(
        d.lower_ in {"the", "our", "their", "its"} or _place_at(d, mentions, off)
        for d in subj.lefts
        if d.dep_ in {"det", "poss"}
    )
    if not definite:
        return None
    head = subj.text
    if head.isupper() and 2 <= len(head) <= 4:
        pattern = r"[ \t]+".join(ch + r"[a-z]+" for ch in head)
    elif all(w.lower_ in _TITLE_WORDS or w.lower_ in TITLE_WORDS_GLUE for w in words):
        pattern = r"[ \t]+".join(re.escape(w.text) for w in words)
    else:
        return None
    return _named_with_title(pattern, subj.idx + off, mentions)


def _place_at(tok: Token, mentions: _Mentions, off: int) -> bool:
    ent = mentions.at(tok.idx + off, tok.idx + len(tok) + off)
    return ent is not None and ent.type in {"GPE", "LOC"}


def _named_with_title(pattern: str, pos: int, mentions: _Mentions) -> Entity | None:
    """The person the text names right after the title `pattern` ("Prime Minister Viktor
    Orbán"): the last one before `pos`, else the first after it."""
    text = mentions.text
    found: Entity | None = None
    for m in re.finditer(r"\b(?i:" + pattern + r")\b[ \t]+", text):
        if m.start() >= pos and found is not None:
            break
        ent = mentions.at(m.end(), m.end() + 1)
        if ent is not None and ent.type == "PERSON" and mentions.text[m.end() : m.end() + 1].isupper():
            found = ent
    return found


def _described_org(subj: Token, mentions: _Mentions, off: int) -> Entity | None:
    """'the group said': the organisation named most recently before."""
    if subj.lower_ not in _ORG_DESCRIPTIONS:
        return None
    if not any(d.lower_ == "the" for d in subj.lefts if d.dep_ == "det"):
        return None
    return mentions.nearest(subj.idx + off, frozenset({"ORG"}))


def _person_in(subj: Token, mentions: _Mentions, off: int) -> Entity | None:
    """A person named in the subject phrase itself (compounds, appositions), not in a possessive:
    "Winner's mother said" is the mother's speech, not Winner's. With no person there, an
    organisation there speaks ("ICE officials announced")."""
    # An apposition is the subject itself ("Hernandez’ father, Lamar, saw"), so it comes first;
    # a name the tokenizer split from its possessive mark ("Hernandez" "’") is a possessor.
    todo = sorted(
        (c for c in subj.children if c.dep_ in {"compound", "appos", "nmod"}), key=lambda c: c.dep_ != "appos"
    )
    org: Entity | None = None
    while todo:
        tok = todo.pop(0)
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.text in {"’", "'", "’s", "'s"} and nxt.idx == tok.idx + len(tok):
            continue
        ent = mentions.at(tok.idx + off, tok.idx + len(tok) + off)
        if ent is not None and ent.type == "PERSON":
            return ent
        if ent is not None and ent.type == "ORG" and org is None:
            org = ent
        todo.extend(c for c in tok.children if c.dep_ in {"compound", "appos", "nmod"})
    return org


def _antecedent(noun: Token, mentions: _Mentions, off: int) -> Entity | None:
    """The named entity a relative clause hangs on: the noun itself or a name in apposition."""
    for tok in (
        noun,
        *(c for c in noun.children if c.dep_ == "appos"),
        noun.head if noun.dep_ == "appos" else noun,
    ):
        ent = mentions.at(tok.idx + off, tok.idx + len(tok) + off)
        if ent is not None and ent.type in SPEAKER_TYPES:
            return ent
    return None


def _according_to(parsed: Parsed, s: int, e: int, mentions: _Mentions) -> Entity | None:
    """'“…,” according to X' in the quote's sentence: X is the source."""
    i, j = parsed.token_range(s, e)
    if i >= j:
        return None
    sdoc = parsed.doc
    first, last = sdoc[i].sent, sdoc[j - 1].sent
    for tok in sdoc[first.start : last.end]:
        if tok.lower_ == "according" and tok.i + 1 < len(sdoc) and sdoc[tok.i + 1].lower_ == "to":
            if i <= tok.i < j:
                continue
            clause = tok.head
            if not (i <= clause.i < j) and not any(
                clause.left_edge.i <= k <= clause.right_edge.i for k in (i, j - 1)
            ):
                # "… to “accompany us” in the “synodal Church” …, headed by a pope who, according
                # to X, “breaks …”": X is the source of the clause it stands in, not of quotes
                # in other clauses of the sentence.
                continue
            for obj in sdoc[tok.i + 1].children:
                if obj.dep_ == "pobj":
                    ent = _antecedent(obj, mentions, parsed.offset)
                    if ent is not None:
                        return ent
    return None


def _has_agent(tok: Token) -> bool:
    return any(c.dep_ == "agent" for c in tok.children)


def _agentless_passive(verb: Token) -> bool:
    return any(c.dep_ == "nsubjpass" for c in verb.children) and not _has_agent(verb)


def _governing_cue(parsed: Parsed, s: int, e: int) -> Token | None:
    """A cue verb that the parse makes the head of the quote at [s, e): the words are its speech."""
    sdoc = parsed.doc
    i, j = parsed.token_range(s, e)
    if i >= j:
        return None
    seen: set[int] = set()
    for tok in sdoc[i:j]:
        child = tok
        for anc in tok.ancestors:
            if anc.i in seen:
                break
            seen.add(anc.i)
            # 'saying when he attempts to “FIGHT BACK …,” his critics “scream …”': words inside
            # an adverbial clause of a speech verb are not that verb's speech.
            if anc.lower_ in QUOTE_CUES and not i <= anc.i < j and child.dep_ != "advcl":
                return anc
            child = anc
    return None


def _reporting_word(parsed: Parsed, s: int, e: int) -> Token | None:
    """The word of saying, thinking or judging whose report holds the quote at [s, e): one above
    it in the parse, reached neither across an adverbial or a relative clause ("issued an alert
    after an employee experienced an “abnormal” sound" reports no sound) nor from its own
    subject (Obama's “pastor,” Wright uttered …); a judging verb only through what it judges
    ("attacking victims for “Slander”", not "defend the “peaceful” migrants"). A passive with
    no agent reports nobody's words ("was confirmed as “100 percent likely”")."""
    sdoc = parsed.doc
    i, j = parsed.token_range(s, e)
    if i >= j:
        return None
    heads = [t for t in sdoc[i:j] if not i <= t.head.i < j or t.head is t]
    if not heads:
        return None
    aside = _sentence_cue(sdoc, i, j)
    if aside is not None:
        return aside
    child = heads[0]
    for anc in child.ancestors:
        if child.dep_ in {"advcl", "relcl"}:
            return None
        judging = anc.lower_ in JUDGING_VERBS and child.dep_ == "prep" and child.lower_ in {"as", "for", "of"}
        if anc.lower_ in _REPORTING_WORDS or judging:
            if child.dep_ in {"nsubj", "nsubjpass", "agent"}:
                return None
            return None if _agentless_passive(anc) else anc
        child = anc
    return None


def _sentence_cue(sdoc: Doc, i: int, j: int) -> Token | None:
    """A cue that attributes the whole sentence of tokens [i, j) from aside: "As Kyle Olsen
    concludes, … the ‘Roseanne treatment’", "Morality, Müller explained, is …; that is why any
    teaching about “rules and exceptions” …"."""
    sent = sdoc[i].sent
    for tok in sent:
        if i <= tok.i < j or tok.lower_ not in QUOTE_CUES or tok.pos_ != "VERB":
            continue
        as_clause = tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
        if as_clause or tok.dep_ == "parataxis":
            return tok
    return None


def _cue_for(parsed: Parsed, s: int, e: int) -> Token | None:
    """The cue verb attributing the quote at inner offsets [s, e) of `Document.text`."""
    governing = _governing_cue(parsed, s, e)
    if governing is not None:
        return governing
    off = parsed.offset
    sdoc = parsed.doc
    i, j = parsed.token_range(s, e)
    if i >= j:
        return None
    # No governing cue: the nearest cue word in the same sentence(s), outside the quote.
    first, last = sdoc[i].sent, sdoc[j - 1].sent
    near = [
        t
        for t in sdoc[first.start : last.end]
        if not i - 1 <= t.i <= j and t.lower_ in QUOTE_CUES and t.pos_ in {"VERB", "AUX"}
    ]
    if not near:
        return None
    return min(near, key=lambda t: min(abs(t.idx + off - s), abs(t.idx + off - e)))


def _cue_after(parsed: Parsed, end: int) -> Token | None:
    """'“How dare you!” Jeff Sessions said': the cue opens the sentence right after the quote."""
    off = parsed.offset
    k, _ = parsed.token_range(end + 1, end + 1)
    after = [t for t in parsed.doc[k : k + 16] if not (t.is_punct or t.is_space)][:8]
    if not after:
        return None
    gap = parsed.text[end - off : after[0].idx]
    if "\n" in gap or gap.strip(" ," + CLOSE_ONLY + STRAIGHT_DOUBLE + STRAIGHT_SINGLE):
        return None
    for n, tok in enumerate(after):
        if tok.lower_ in QUOTE_CUES and tok.pos_ in {"VERB", "AUX"}:
            return tok
        # '“…,” Jeff Sessions said' names the speaker right away; 'the “optics” of the campaign.
        # Khamenei warned' has moved on to another phrase or sentence.
        # "Sgt. Baker said": the tokenizer may end a sentence at a title's period.
        after_title = n and after[n - 1].lower_ in PERSON_TITLES
        if (n and tok.is_sent_start and not after_title) or tok.pos_ in {"ADP", "VERB", "AUX"}:
            break
    return None


def _colon_speaker(
    text: str, sp: QuotedSpan, mentions: _Mentions, quotes: list[Quote], in_headline: bool = False
) -> Entity | None:
    """Headline style "Farrakhan Speech: 'Jews …', 'White …'": the name before the colon speaks;
    in the headline also of words further on ("Cardinal Müller: Blessing … an ‘atrocity’")."""
    line_start = text.rfind("\n", 0, sp.start) + 1
    prefix = text[line_start : sp.start]
    colon = prefix.rfind(":")
    if colon < 0:
        return None
    between = prefix[colon + 1 :]
    for q in quotes:
        if line_start + colon < q.start and q.end < sp.start:
            between = between.replace(q.text, "")
    english_marks = STRAIGHT_SINGLE + STRAIGHT_DOUBLE + "".join(o + c for o, c in PAIRS_BY_LANGUAGE["en"])
    if (between.strip(" \t,;" + english_marks) and not in_headline) or colon == 0:
        return None
    head = prefix[:colon].rstrip()
    # "Cardinal Burke to Michael Matt: '…'": the name after "to" is the one addressed.
    addressed = re.search(r"[ \t]+to[ \t]+", head)
    if addressed:
        head = head[: addressed.start()]
    words = list(re.finditer(r"\S+", head))
    for k in range(len(words) - 1, max(-1, len(words) - 4), -1):
        w = words[k]
        ent = mentions.at(line_start + w.start(), line_start + w.end())
        if ent is not None and ent.type == "PERSON":
            # "Farrakhan Speech:" names the speaker; "GILLUM ELECTION STRATEGY:" a topic.
            rest = {re.sub(r"[’']s$", "", x.group().lower()).strip(".,") for x in words[k + 1 :]}
            return ent if rest <= _SPEECH_NOUNS else None
    # "Hungarian Prime Minister: ‘…’": the person the text names with that title.
    titles = [w.group() for w in words]
    if titles and (demonym_of(titles[0]) or country_code(titles[0])):
        titles = titles[1:]
    if 1 <= len(titles) <= 3 and all(w.lower() in _TITLE_WORDS | TITLE_WORDS_GLUE for w in titles):
        return _named_with_title(r"[ \t]+".join(map(re.escape, titles)), sp.start, mentions)
    return None


# Words between a speaker's name and a headline's colon ("Farrakhan Speech: '…'").
_SPEECH_NOUNS = frozenset(
    """speech remarks remark statement says said tweet tweets interview letter message warns
    video op-ed testimony sermon address""".split()  # noqa: SIM905 - a word list reads best as prose
)


_HEADLINE_SOURCE = re.compile(r"[^:\n]*:[ \t]+(?P<source>[A-Z][^\n:]{0,40}?)[ \t.]*$")


def _headline_source(text: str, sp: QuotedSpan, headline_end: int, mentions: _Mentions) -> Entity | None:
    """A headline's closing ": Source" ("Outbreak could be 'stronger': WHO") names whose words it
    quotes, when the source is a name the article mentions."""
    m = _HEADLINE_SOURCE.match(text, sp.end + 1, headline_end)
    if m is None:
        return None
    s, e = m.span("source")
    ent = mentions.at(s, e)
    if ent is None or not any(mt.start == s and mt.end == e for mt in ent.mentions):
        return None
    return ent if ent.type in {"PERSON", "ORG", "NORP"} else None


def _introducing_line(text: str, sp: QuotedSpan, mentions: _Mentions) -> Entity | None:
    """'Which Clinton quickly corrected:' then a paragraph that is a quote: the first person
    named in the sentence that ends with the colon speaks."""
    line_start = text.rfind("\n", 0, sp.start) + 1
    if text[line_start : sp.start - 1].strip():
        return None
    prev_end = line_start - 1
    while prev_end > 0 and text[prev_end - 1] in " \t\n":
        prev_end -= 1
    if prev_end <= 0 or text[prev_end - 1] != ":":
        return None
    prev_start = text.rfind("\n", 0, prev_end) + 1
    sentence_start = max(prev_start, *(text.rfind(m, prev_start, prev_end) + 2 for m in (". ", "? ", "! ")))
    for s, _e, ent in mentions.rows:
        if (
            sentence_start <= s < prev_end
            and ent.type == "PERSON"
            and text[s : s + 1].isupper()
            and not _is_listener(text, s)
        ):
            return ent
    return None


def _colon_subject(parsed: Parsed, sp: QuotedSpan, mentions: _Mentions) -> Entity | None:
    """'Coccopalmerio made it very clear …: “…”', 'Trump offered this assessment: “…”': with no
    cue, the subject of the clause that the colon ends speaks."""
    off = parsed.offset
    text = mentions.text
    line_start = text.rfind("\n", 0, sp.start) + 1
    before = text[line_start : max(line_start, sp.start - 1)].rstrip()
    if not before.endswith(":"):
        return None
    k, _ = parsed.token_range(line_start + len(before) - 1, line_start + len(before))
    if k >= len(parsed.doc) or parsed.doc[k].text != ":":
        return None
    colon = parsed.doc[k]
    verbs = [t for t in parsed.doc[colon.sent.start : colon.i] if t.pos_ in {"VERB", "AUX"}]
    if not verbs:
        return None
    # The clause's main verb is the one highest in the tree (the parse may hang it on a verb
    # inside the quote, so "ROOT" is no guide).
    main = min(verbs, key=lambda t: sum(1 for _ in t.ancestors))
    speaker, _ = _speaker_of(main, mentions, off)
    return speaker


def _previous_clause(parsed: Parsed, start: int, mentions: _Mentions) -> Entity | None:
    """'ICE said last week that the raid led to 232 arrests. Of those, 180 “were convicted …”':
    a quote no clause of its own sentence attributes takes the speaker of the nearest cue in
    the sentence before, when that sentence ends right before the quote's own."""
    i, _ = parsed.token_range(start, start + 1)
    if i >= len(parsed.doc):
        return None
    sent = parsed.doc[i].sent
    if sent.start == 0:
        return None
    off = parsed.offset
    quote_end = mentions.text.find("\n", start)
    for tok in sent:
        pos = tok.idx + off
        if (pos < start - 1 or pos > quote_end) and mentions.at(pos, pos + len(tok)) is not None:
            return None  # 'Francis made it clear that … “…”': its own sentence names someone
    prev = parsed.doc[sent.start - 1].sent
    cues = [t for t in prev if t.lower_ in INDIRECT_CUES and t.pos_ in {"VERB", "AUX"}]
    for cue in reversed(cues):
        speaker, _ = _speaker_of(cue, mentions, parsed.offset)
        if speaker is not None:
            return speaker
    return _previous_paragraph_subject(mentions.text, start, prev, mentions, off)


def _previous_paragraph_subject(
    text: str, start: int, prev: Span, mentions: _Mentions, off: int
) -> Entity | None:
    """'Hernandez’ father, Lamar, saw it too.' then a paragraph that is only a quote with no cue:
    the person who is the subject of the sentence that ends the paragraph before speaks."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start : start - 1].strip():
        return None  # the quote does not open its paragraph
    if text[prev.end_char + off : line_start].strip() or prev.root.pos_ not in {"VERB", "AUX"}:
        return None  # the sentence before is not the one that ends the paragraph before
    speaker, _ = _speaker_of(prev.root, mentions, off)
    return speaker if speaker is not None and speaker.type == "PERSON" else None


def _opens_sentence(text: str, inner_start: int) -> bool:
    """The quote's opening mark starts a line or follows a sentence end or a colon."""
    line_start = text.rfind("\n", 0, inner_start) + 1
    before = text[line_start : max(line_start, inner_start - 1)].rstrip()
    # '… “one of the guys.” “He wasn’t …”': a quote that ended a sentence ends it too; an
    # ellipsis opening a paragraph ("… “People are shot …”") is no sentence before the quote.
    before = before.rstrip(CLOSE_ONLY + STRAIGHT_DOUBLE + STRAIGHT_SINGLE + "”’").rstrip()
    return not before or before[-1] in ".!?:…"


_TITLE_AFTER = re.compile(
    r"[ \t]*(?:by[ \t]+[A-Z]|[A-Z][\w&.\- ]{1,40},[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]*\d{4})"
)


# A thing a slogan is printed on: 'a “Make America Great Again” hat' names no one's words.
_THING_AFTER = re.compile(
    r"[ \t]+(?:[Tt]-?[Ss]hirts?|hats?|caps?|shirts?|signs?|banners?|stickers?|placards?|posters?"
    r"|mugs?|badges?|buttons?|flags?|slogans?|billboards?)\b"
)


# A work named as one: "a section titled “…”", "an op-ed headlined “…”"; "“Rubble Rubble”, a
# play by Dan Fishback".
_TITLED_BEFORE = re.compile(r"\b(?:titled|entitled|headlined|subtitled)[ \t]*[:,]?[ \t]*$")
_WORK_AFTER = re.compile(
    r"[,”\"’']*[ \t]+(?:an?|the|his|her|their)[ \t]+(?:new[ \t]+|recent[ \t]+)?"
    r"(?:play|book|film|movie|documentary|song|novel|report|article|essay|poem|album|show|series"
    r"|column|op-ed|memoir|speech|sermon|painting)[ \t]+(?:by|about|on|that|which)\b"
)


def _is_title(text: str, sp: QuotedSpan, inner: str, headline_end: int, is_name: bool = False) -> bool:
    """A quoted title of a work: a cited headline ("…," by Name / "…," Outlet, May 1, 2018),
    a slogan printed on a thing ("…" hat) or a Title-Cased name in the body ("List of Grenade
    Attacks in Sweden", "Fox & Friends").

    A headline line is all Title Case, so there the casing says nothing and only the citation
    pattern counts. A cited headline ends with its comma inside the marks or has a title's form:
    'a “cover up” by French authorities' is an agent, not a byline. The name of an organisation
    or a place (`is_name`) has a title's casing without being a work: only the citation or the
    thing it is printed on makes it one.
    """
    if _TITLED_BEFORE.search(text[max(0, sp.start - 30) : max(0, sp.start - 1)]):
        return True
    if _WORK_AFTER.match(text, sp.end + 1):
        return True
    cited = _TITLE_AFTER.match(text, sp.end + 1)
    byline = cited is not None and cited.group().strip().startswith("by")
    if cited and (not byline or inner.rstrip()[-1:] == "," or title_cased(inner)):
        return True
    if _THING_AFTER.match(text, sp.end + 1):
        return True
    if sp.start < headline_end or is_name:
        return False
    return title_cased(inner)


def _introduced(text: str, inner_start: int) -> bool:
    """'Sessions said, “…”' or 'he added: “…”': a cue and a comma or colon right before the mark."""
    line_start = text.rfind("\n", 0, inner_start) + 1
    before = text[line_start : max(line_start, inner_start - 1)].rstrip()
    if before.endswith(":"):
        return True
    if not before.endswith(","):
        return False
    words = before[:-1].split()
    return bool(words) and words[-1].lower() in QUOTE_CUES


def _after_cue(text: str, inner_start: int) -> bool:
    """A cue word right before the opening mark, with no comma ('saying “…”')."""
    line_start = text.rfind("\n", 0, inner_start) + 1
    words = text[line_start : max(line_start, inner_start - 1)].split()
    return bool(words) and words[-1].lower() in QUOTE_CUES


# A term the writer names, not words anyone said: "so-called", or a passive naming verb with no
# speaker ("a period, called the …", "what is known as …"); "Trump called it a “witch hunt”"
# has its speaker before the verb and stays his words.
_NAMED_TERM = re.compile(
    r"(?:\b[Ss]o[- ]called|(?:,|\b(?:is|are|was|were|be|been|being))[ \t]+"
    r"(?:(?:now|also|often|sometimes|commonly|widely)[ \t]+)?"
    r"(?:called|dubbed|termed|known[ \t]+as|referred[ \t]+to[ \t]+as|nicknamed))"
    r"[ \t]+(?:(?:the|a|an)[ \t]+)?$"
    # 'The term “Jewish Question” is used by …', 'the word “counsel”': a word mentioned, not used.
    r"|\b(?:[Tt]he|[Aa]|[Tt]his|[Tt]hat)[ \t]+"
    r"(?:term|word|phrase|expression|label|epithet|slur|moniker)[ \t]+$"
    # 'I explained … the concept of “blowback.”': an idea named, not words reported.
    r"|\b(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+(?:concept|notion)[ \t]+of[ \t]+$"
)


def _quote_kind(
    text: str,
    sp: QuotedSpan,
    inner: str,
    attributed: bool,
    name_type: str | None,
    headline_end: int,
    cue_before: bool = False,
) -> str:
    """direct, partial, scare or title (see `presslens.document.Quote`); indirect is found apart.

    Direct words stand as the speaker's own sentence (they open it, or follow a colon or
    "said,"); a fragment worked into the writer's sentence is partial when the sentence
    attributes it (or when it is too long to be a mere term), scare when it is a few words
    nobody is said to have said.
    """
    if name_type == "PERSON":
        return "scare"  # “Stephen Paddock”: a person's name in quotes is nobody's words
    # A work's name (NER or the entities stage's work evidence) may be a title; an
    # organisation's or a place's name in quotes is a name, not a work.
    if _is_title(text, sp, inner, headline_end, is_name=name_type not in (None, *WORK_TYPES)):
        return "title"
    words = len(inner.split())
    # A short quote that opens a sentence is speech when it ends like one (“Fine.”). One that
    # follows "said," but starts in lower case goes on the writer's sentence ("Their findings,
    # Pompeo said, “will be transparent …”"): partial. A sentence of its own right after a
    # cue with no comma is direct (walks away saying “Bitch ass …”).
    stripped = inner.lstrip(" '\"‘“(")
    # An elided start ("“… supporting the president.”") still stands as the speaker's sentence.
    continues_writer = stripped[:1].islower()
    opens = _opens_sentence(text, sp.start) or (_introduced(text, sp.start) and not continues_writer)
    whole = stripped[:1].isupper() and inner.rstrip()[-1:] in {".", "!", "?"}
    if not opens and whole and (cue_before or words > SCARE_MAX_WORDS):
        # 'told an audience at the Royal Castle in Budapest, “Christianity is …”': the cue's
        # clause ends at the comma and a whole sentence of the speaker's follows; so does a
        # long one after any comma ('As the old saying goes, "If you lie down with dogs …"').
        before = text[max(0, sp.start - 9) : sp.start].rstrip(" " + STRAIGHT_DOUBLE + STRAIGHT_SINGLE + "“‘")
        # 'said in his speech that, “Christianity is …”': "that" makes it reported, partial.
        opens = before.endswith(",") and words > 1 and not re.search(r"\bthat[ \t]*,$", before)
    if (
        not opens
        and _after_cue(text, sp.start)
        and stripped[:1].isupper()
        and inner.rstrip()[-1:] in {".", "!", "?"}
    ):
        opens = words > 1
    # 'while screaming, “Allahu Akbar”.': the sentence's end after the closing mark ends the
    # short utterance as well as one inside the marks would.
    ends = inner.rstrip()[-1:] in {".", "!", "?", ","} or text[sp.end + 1 : sp.end + 2] in {".", "!", "?"}
    if opens and (words > SCARE_MAX_WORDS or ends):
        return "direct"
    if words <= SCARE_MAX_WORDS and _NAMED_TERM.search(text, max(0, sp.start - 60), max(0, sp.start - 1)):
        return "scare"  # 'a period called the “Maunder Minimum”', 'the so-called “deep state”'
    if attributed or words > SCARE_MAX_WORDS:
        return "partial"
    return "scare"


def _quoted_name_types(text: str, entities: list[Entity], spans: list[QuotedSpan]) -> dict[str, str]:
    """Each entity mention's words → its entity's type, for telling a quoted name from a quoted
    work. A work's type (WORK_OF_ART, LAW) stands only for a name the text writes inside quote
    marks alone: one it also writes bare ("the Bureau of Land Management said …") names an
    organisation or a place, whatever a Title-Case quotation made the entities stage call it."""
    starts = [sp.start for sp in spans]

    def quoted(s: int, e: int) -> bool:
        i = bisect.bisect_right(starts, s) - 1
        return i >= 0 and spans[i].end >= e

    out: dict[str, str] = {}
    for ent in entities:
        kind = ent.type
        if kind in WORK_TYPES and not all(quoted(m.start, m.end) for m in ent.mentions):
            kind = "ORG"
        for m in ent.mentions:
            out[text[m.start : m.end]] = kind
    return out


def _continues(text: str, prev: Quote, sp: QuotedSpan) -> bool:
    """`sp` follows `prev` with nothing between, or is a whole new paragraph that starts with a
    quote, at most two lines after `prev`."""
    if not text[prev.end : sp.start - 1].strip(" \t" + CLOSE_ONLY + STRAIGHT_DOUBLE + STRAIGHT_SINGLE):
        return True  # '“…party.” “And I don’t think …”': one speaker goes on
    line_start = text.rfind("\n", 0, sp.start) + 1
    if text[line_start : sp.start - 1].strip():
        return False
    between = text[prev.end : line_start]
    return between.count("\n") <= 2 and len(between) < 400


def _resumes(text: str, prev: Quote, sp: QuotedSpan) -> bool:
    """`sp` takes up the direct quote `prev` after a cue inside one sentence: '“…,” X said, “…'."""
    if prev.kind != "direct" or not prev.text.rstrip().endswith(","):
        return False
    gap = text[prev.end : sp.start]
    return len(gap) < 60 and "\n" not in gap and gap.rstrip(" " + STRAIGHT_DOUBLE + "“").endswith(",")


def extract_quotes(doc: Document) -> list[Quote]:
    """Direct, scare and indirect quotes in `doc`'s body, in text order. Pure: `doc` is unchanged."""
    if not is_english(doc):
        return []
    start, end = doc.analysis_range()
    text = doc.text
    if not text[start:end].strip():
        return []
    parsed = parse(doc)
    off = parsed.offset
    mentions = _Mentions(entities_of(doc), text)
    quotes: list[Quote] = []
    used_cues: set[int] = set()
    spans = quoted_spans(text, start, end)
    headline_end = text.find("\n", start, end)
    headline_end = end if headline_end < 0 else headline_end
    names = _quoted_name_types(text, mentions.entities, spans)
    for sp in spans:
        inner = text[sp.start : sp.end]
        governing = _governing_cue(parsed, sp.start, sp.end)
        after = _cue_after(parsed, sp.end)
        cue = governing or _cue_for(parsed, sp.start, sp.end) or after
        speaker: Entity | None = None
        according = None
        if cue is not None:
            speaker, _ = _speaker_of(cue, mentions, off)
        elif according := _according_to(parsed, sp.start, sp.end, mentions):
            speaker = according
        elif sp.start < headline_end and (source := _headline_source(text, sp, headline_end, mentions)):
            speaker = according = source  # "Next outbreak could be 'stronger': WHO"
        elif intro := _introducing_line(text, sp, mentions):
            speaker = intro  # 'Which Clinton quickly corrected:' outranks the last speaker
        elif quotes and quotes[-1].speaker and _continues(text, quotes[-1], sp):
            # A quote paragraph with no cue goes on with the previous paragraph's speaker.
            quotes.append(
                Quote(
                    start=sp.start,
                    end=sp.end,
                    text=inner,
                    speaker=quotes[-1].speaker,
                    kind="direct",
                    cue=quotes[-1].cue,
                )
            )
            continue
        else:
            speaker = _colon_speaker(
                text, sp, mentions, quotes, in_headline=sp.start < headline_end
            ) or _colon_subject(parsed, sp, mentions)
        # Only a cue that governs the words, follows them, or a named source attributes
        # them; a cue elsewhere in the sentence does not make a scare quote speech.
        # "has been confirmed as “100 percent likely”": a passive with no agent says nobody said it.
        agentless = governing is not None and _agentless_passive(governing)
        attributed = (governing is not None and not agentless) or after is not None or according is not None
        judge = _judged_as(parsed, sp.start)
        reporting = _reporting_word(parsed, sp.start, sp.end)
        attributed = attributed or judge is not None or reporting is not None
        kind = _quote_kind(
            text,
            sp,
            inner,
            attributed or (speaker is not None and cue is None),
            names.get(inner.strip(" ,.")),
            headline_end,
            cue_before=governing is not None and governing.idx + off < sp.start,
        )
        if kind == "partial" and quotes and _resumes(text, quotes[-1], sp):
            # '“…,” O’Malley said, “and they are his commitment.”': the same sentence of his
            # goes on after the cue, however it starts.
            kind = "direct"
            speaker = speaker or next((e for e in mentions.entities if e.name == quotes[-1].speaker), None)
        unnamed = False
        if kind == "partial" and governing is None and reporting is not None and speaker is None:
            # "Wright uttered “God damn, America!”", "The Pope Is Attacking Victims For “Slander”":
            # the one who thinks, talks or judges; "people who talk about the “…”" name nobody.
            speaker, unnamed = _speaker_of(reporting, mentions, off)
        if kind in {"scare", "title"}:
            speaker = None  # a scare quote or a title is nobody's speech
        elif speaker is None and cue is None and not unnamed:
            speaker = _previous_clause(parsed, sp.start, mentions)
        if (
            kind in {"direct", "partial"}
            and governing is None
            and (speaker is None or speaker.type != "PERSON")
        ):
            # "Tedros voiced alarm that “…”", "Francis made it clear that … “…”": with no cue above
            # the words, the person who is the subject of a clause they belong to.
            speaker = _clause_subject(parsed, sp.start, sp.end, mentions) or speaker
        if kind == "partial" and judge is not None:
            # 'praised Hitler as a “very great man”': the one who judges speaks.
            judged_by, _ = _speaker_of(judge, mentions, off)
            if judged_by is not None and judged_by.type in {"PERSON", "ORG"}:
                speaker = judged_by
        elif kind == "partial" and (namer := _naming_verb(parsed, sp.start)) is not None and namer is not cue:
            # 'the daughter said that Traore called her a “dirty Jewess”': the one who names
            # speaks, not the one who reports the naming.
            named_by, _ = _speaker_of(namer, mentions, off)
            if named_by is not None and named_by.type in {"PERSON", "ORG"}:
                speaker = named_by
        if cue is not None and kind == "direct":
            used_cues.add(cue.i)
        quotes.append(
            Quote(
                start=sp.start,
                end=sp.end,
                text=inner,
                speaker=speaker.name if speaker else None,
                kind=kind,
                cue=cue.text if cue is not None and kind not in {"scare", "title"} else None,
            )
        )
    _repeated_words(quotes, headline_end)
    quotes.extend(_indirect(parsed, text, mentions, used_cues, spans))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _naming_verb(parsed: Parsed, s: int) -> Token | None:
    """An active naming verb with a subject, at most eight words before the quote opening at `s`
    in its sentence, with no other verb between ("Traore called her, the daughter, a “…”")."""
    i, _ = parsed.token_range(s, s + 1)
    if i >= len(parsed.doc) or i == 0:
        return None
    tok = _last_verb(parsed.doc, i, 9)  # any other verb standing between: not named by it
    if tok is not None and tok.lower_ in _NAMING_VERBS and any(c.dep_ == "nsubj" for c in tok.children):
        return tok
    return None


def _last_verb(doc: Doc, end: int, back: int) -> Token | None:
    """The last verb or auxiliary among the `back` tokens before token `end`, in its sentence."""
    window = doc[max(doc[end].sent.start, end - back) : end]
    return next((t for t in reversed(window) if t.pos_ in {"VERB", "AUX"}), None)


def _judged_as(parsed: Parsed, s: int) -> Token | None:
    """A judging verb with its object, then "as" right before the quote opening at `s`
    ("defended Farrakhan on Monday as an “…”", "denounced Jews as “…”"), at most eight words
    back in its sentence with no other verb between."""
    doc = parsed.doc
    i, _ = parsed.token_range(s, s + 1)
    if i >= len(doc) or i == 0:
        return None
    sent_start = doc[i].sent.start
    k = i - 1
    while k > sent_start and doc[k].is_punct:
        k -= 1  # the opening mark
    if k > sent_start and doc[k].lower_ in {"a", "an", "the"}:
        k -= 1
    if k <= sent_start or doc[k].lower_ != "as":
        return None
    tok = _last_verb(doc, k, 8)
    if tok is None or tok.lower_ not in JUDGING_VERBS:
        return None  # no verb, or another verb stands between
    if any(c.dep_ == "nsubj" and c.i > tok.i for c in tok.children):
        # "… denounced Jews as “…,” praised Hitler as a “…”": a parse that makes the object
        # after a judging verb its subject; the verb before, with its subject, shares it.
        return next(
            (
                v
                for v in reversed(doc[sent_start : tok.i])
                if v.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.i < v.i for c in v.children)
            ),
            None,
        )
    return tok
    return None


def _clause_subject(parsed: Parsed, s: int, e: int, mentions: _Mentions) -> Entity | None:
    """The person who is the subject of the nearest verbs above the quote in the parse (at most
    three), whatever the verb: a cue list cannot hold every way of saying ("voiced alarm that",
    "made it clear that", "called her a “…”")."""
    i, j = parsed.token_range(s, e)
    if i >= j:
        return None
    heads = [t for t in parsed.doc[i:j] if not i <= t.head.i < j or t.head is t]
    if not heads:
        return None
    verbs = 0
    for anc in heads[0].ancestors:
        if i <= anc.i < j:
            continue
        if anc.pos_ not in {"VERB", "AUX"}:
            continue
        verbs += 1
        if verbs > 3:
            break
        subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        ent, _ = _speaker_of(anc, mentions, parsed.offset)
        return ent if ent is not None and ent.type == "PERSON" else None
    return None


def _words_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _repeats(a: str, b: str) -> bool:
    """One quote's words are the other's, give or take a word in four (a headline's “We Now Have
    Urban Ebola” of the body's “We have urban Ebola, which is …”)."""
    if a in b or b in a:
        return True
    short, long_ = sorted((a.split(), b.split()), key=len)
    return len(short) >= 4 and len(set(short) - set(long_)) <= len(short) // 4


def _repeated_words(quotes: list[Quote], headline_end: int) -> None:
    """A direct quote that the body repeats later with a speaker (a headline's “We Now Have Urban
    Ebola” … “We now have urban Ebola,” Salama said; an opening quote said again with "Khweis
    said"): the same words have the same speaker. A quote in the headline takes the body's
    speaker over its own (a headline's "WHO warns" names the organisation for what its official
    said); elsewhere only an unattributed quote does."""
    named = [(q, _words_key(q.text)) for q in quotes if q.speaker and q.kind in {"direct", "partial"}]
    for k, q in enumerate(quotes):
        if q.kind != "direct" or (q.speaker and q.start >= headline_end):
            continue
        key = _words_key(q.text)
        if len(key.split()) < 3:
            continue
        for other, okey in named:
            if other.start > q.end and other.start >= headline_end and _repeats(key, okey):
                quotes[k] = q.model_copy(update={"speaker": other.speaker})
                break


def _indirect(
    parsed: Parsed, text: str, mentions: _Mentions, used: set[int], spans: list[QuotedSpan]
) -> list[Quote]:
    """Reported speech without quote marks: a cue verb with a clausal complement."""
    off = parsed.offset
    out: list[Quote] = []
    for tok in parsed.doc:
        if tok.i in used or tok.lower_ not in INDIRECT_CUES or tok.pos_ not in {"VERB", "AUX"}:
            continue
        comp = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if comp is None:
            continue
        first = comp.left_edge
        last = comp.right_edge
        while last.i > first.i and (last.is_punct or last.is_space):
            last = last.doc[last.i - 1]
        s, e = first.idx + off, last.idx + len(last) + off
        if first.lower_ == "that" and first.i < last.i:
            nxt = first.doc[first.i + 1]
            s = nxt.idx + off
        # A clause that *is* a quotation is already a direct quote; one inside a quotation is
        # the quoted speaker's reporting, part of that quote ("“In 1993, Farrakhan told women: …”").
        if any(s <= sp.start and sp.end <= e and sp.end - sp.start > 0.6 * (e - s) for sp in spans):
            continue
        if any(sp.start <= s and e <= sp.end for sp in spans):
            continue
        if len(text[s:e].split()) < 3:
            continue
        speaker, found = _speaker_of(tok, mentions, off)
        if not found:
            continue
        out.append(
            Quote(
                start=s,
                end=e,
                text=text[s:e],
                speaker=speaker.name if speaker else None,
                kind="indirect",
                cue=tok.text,
            )
        )
    return out


@register_stage("quotes", requires=("user_data.spacy", "entities"), assigns=("quotes",))
class QuoteStage:
    """Pipeline stage: fills `doc.quotes` (see the module docstring)."""

    name = "quotes"

    def __call__(self, doc: Document) -> Document:
        doc.quotes = extract_quotes(doc)
        return doc
