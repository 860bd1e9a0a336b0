"""The one document model: a page as received (`RawPage`) and as analysed (`Document`).

Data flow: ingest yields `RawPage`s; anatomy turns one into a `Document` (normalized `text`)
and every later stage adds stand-off annotations — records with `start`/`end` character
offsets into `Document.text` — never copies of the text and never edits to another stage's
annotations. `Document.to_json()` is the public contract; `schema/document.schema.json` is
generated from these classes (`presslens schema > src/presslens/schema/document.schema.json`).

>>> doc = Document(source="demo", text="Hello world.")
>>> doc.span_text(0, 5)
'Hello'
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from presslens.limits import MAX_WORD_CHARS, MAX_WORDS_ANALYSED, cut_after_words
from presslens.vocab import BoilerplateKind, MediaKind, TagKind

SCHEMA_VERSION = "1.0"

InputKind = Literal["text", "html"]


class RawPage(BaseModel):
    """A page exactly as received, plus where and how it came."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="Path, URL, '-' for stdin, or 'file.jsonl#N' for a record")
    kind: InputKind
    text: str = Field(description="Decoded content: HTML markup or plain/markdown text")
    url: str | None = None
    outlet: str | None = Field(None, description="Outlet named by the record, if any")
    published: str | None = Field(None, description="Publication date named by the record")
    fetched_at: datetime | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    encoding: str | None = Field(None, description="Detected or declared encoding of the bytes")
    warc_record_id: str | None = None


class Annotation(BaseModel):
    """A stand-off span: `Document.text[start:end]`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Annotation:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Body(Annotation):
    text: str


class BoilerplateSegment(Annotation):
    kind: BoilerplateKind
    text: str


class Provenance(BaseModel):
    """Where a metadata value came from: a span of `text` and/or an HTML element."""

    start: int | None = None
    end: int | None = None
    element: str | None = Field(None, description="XPath or selector of the HTML source element")
    method: str | None = Field(None, description="e.g. 'json-ld', 'meta[og:title]', 'byline'")


class OriginalSource(BaseModel):
    name: str | None = None
    url: str | None = None
    published: str | None = None
    relation: Literal["original", "source", "according_to", "via"] = "original"
    start: int | None = None
    end: int | None = None


class Tag(BaseModel):
    kind: TagKind
    value: str
    start: int | None = None
    end: int | None = None


class Media(BaseModel):
    kind: MediaKind
    url: str
    start: int | None = None
    end: int | None = None


class Funding(BaseModel):
    channel: str = Field(description="paypal, patreon, donate_page, substack, ko-fi, crypto:BTC, bank, ...")
    value: str
    start: int | None = None
    end: int | None = None


class Contact(BaseModel):
    kind: Literal["email", "phone", "postal", "social"]
    value: str
    role: str | None = Field(None, description="e.g. 'media inquiries', when the page states it")
    start: int | None = None
    end: int | None = None


class Link(BaseModel):
    url: str
    text: str = ""
    start: int | None = None
    end: int | None = None


class Metadata(BaseModel):
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    publisher: str | None = None
    published: str | None = Field(None, description="ISO date YYYY-MM-DD (or YYYY-MM, YYYY)")
    updated: str | None = None
    language: str | None = Field(None, description="ISO 639-1 code from an offline detector")
    url: str | None = None
    canonical_url: str | None = None
    original_source: OriginalSource | None = None
    republication_chain: list[OriginalSource] = Field(
        default_factory=list, description="Every credit found, the original first"
    )
    tags: list[Tag] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="Field name -> where its value was found"
    )


class TechniqueSpan(Annotation):
    technique: str = Field(description="PTC technique name, verbatim (see presslens.vocab)")
    text: str
    score: float = Field(ge=0.0, le=1.0, description="Calibrated probability")
    evidence: str = ""


class Mention(Annotation):
    text: str


class Entity(BaseModel):
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Quote(Annotation):
    text: str
    speaker: str | None = None
    # direct: quoted speech; partial: a quoted fragment inside reported speech (keeps the
    # speaker); indirect: reported speech without marks; scare: short quoted words with no
    # speech attribution (never a speaker); title: a quoted title of a work.
    kind: Literal["direct", "partial", "indirect", "scare", "title"] = "direct"
    cue: str | None = None


class Claim(Annotation):
    text: str
    kind: str
    score: float = 0.0
    numbers: list[str] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)


class TimelineEvent(Annotation):
    date: str
    end_date: str | None = None
    text: str
    event: str = ""
    entities: list[str] = Field(default_factory=list)


# Bound once: `HtmlBlock.trusted` runs for every block of every page.
_new_object = object.__new__
_set_slot = object.__setattr__


class HtmlBlock(Annotation):
    """For HTML input: which element a stretch of `text` was extracted from."""

    element: str = Field(description="XPath of the source element")
    tag: str

    @classmethod
    def trusted(cls, start: int, end: int, element: str, tag: str) -> HtmlBlock:
        """`model_construct(start=…, end=…, element=…, tag=…)` without its generic walk over the
        fields (a page makes thousands of blocks, their offsets ordered by construction): the
        same instance state, ~3× cheaper; `tests/anatomy` checks it against `model_construct`."""
        block = _new_object(cls)
        _set_slot(block, "__dict__", {"start": start, "end": end, "element": element, "tag": tag})
        _set_slot(block, "__pydantic_fields_set__", {"start", "end", "element", "tag"})
        _set_slot(block, "__pydantic_extra__", None)
        _set_slot(block, "__pydantic_private__", None)
        return block


class Document(BaseModel):
    """A page's normalized text and every stand-off annotation on it.

    `text` is fixed at creation; stages fill their own fields. For plain-text input `text` is
    the input exactly as read, so PTC offsets round-trip.
    """

    model_config = ConfigDict(validate_assignment=True)

    schema_version: str = SCHEMA_VERSION
    source: str
    text: str = Field(frozen=True)
    input_kind: InputKind = "text"
    body: Body | None = None
    boilerplate: list[BoilerplateSegment] = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=Metadata)
    techniques: list[TechniqueSpan] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    html_blocks: list[HtmlBlock] = Field(default_factory=list)
    # Which stages ran, in order, so a reader knows an empty list means "none found".
    stages: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="What was not fully analysed and why (e.g. a limit reached)"
    )

    _raw: RawPage | None = PrivateAttr(default=None)
    _user_data: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def raw(self) -> RawPage | None:
        """The page this document was made from, when it was made in this process."""
        return self._raw

    def attach_raw(self, raw: RawPage) -> Document:
        self._raw = raw
        return self

    @property
    def user_data(self) -> dict[str, Any]:
        """Private extension data: what one stage makes for later ones (the HTML tree, the
        spaCy parse), keyed `"package.name"`. Lives and dies with this object; never
        serialised, never shared between documents (spaCy's `Doc.user_data`)."""
        return self._user_data

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    @property
    def body_range(self) -> tuple[int, int]:
        """The article body's offsets, or the whole text when anatomy found none."""
        if self.body is None:
            return (0, len(self.text))
        return (self.body.start, self.body.end)

    def analysis_range(self) -> tuple[int, int]:
        """The part of the body the text stages read: `body_range`, cut at the end of the line
        holding its `limits.MAX_WORDS_ANALYSED`-th word. The first call on a longer body adds
        a warning to `warnings`, so every renderer can say what was left out."""
        start, end = self.body_range
        cut = cut_after_words(self.text, start, end, MAX_WORDS_ANALYSED)
        if cut is None:
            return start, end
        note = (
            f"text stages read the body up to offset {cut} of {end} (limits: {MAX_WORDS_ANALYSED:,} "
            f"words, no run of over {MAX_WORD_CHARS:,} characters without a space); the rest was "
            "not analysed"
        )
        if note not in self.warnings:
            self.warnings = [*self.warnings, note]
        return start, cut

    def to_json(self, *, indent: int | None = None) -> str:
        return self.model_dump_json(indent=indent)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: str | bytes) -> Document:
        return cls.model_validate_json(data)


def json_schema() -> dict[str, Any]:
    schema = Document.model_json_schema()
    schema["$id"] = f"https://presslens.invalid/schema/document-{SCHEMA_VERSION}.json"
    schema["title"] = "presslens Document"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2) + "\n"
