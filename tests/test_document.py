"""The Document JSON contract: keys, round-trip, published schema, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from presslens.document import (
    SCHEMA_VERSION,
    Body,
    BoilerplateSegment,
    Document,
    TechniqueSpan,
    json_schema,
)

CONTRACT_KEYS = {
    "schema_version",
    "source",
    "text",
    "body",
    "boilerplate",
    "metadata",
    "techniques",
    "entities",
    "quotes",
    "claims",
    "timeline",
}
METADATA_KEYS = {
    "title",
    "authors",
    "publisher",
    "published",
    "language",
    "original_source",
    "tags",
    "media",
    "funding",
    "contacts",
    "links",
}


def sample() -> Document:
    text = "Title\n\nThe criminals struck.\n\nShare this article."
    doc = Document(source="sample.txt", text=text)
    doc.body = Body(start=7, end=28, text=text[7:28])
    doc.boilerplate = [BoilerplateSegment(kind="share_appeal", start=30, end=len(text), text=text[30:])]
    doc.techniques = [
        TechniqueSpan(
            technique="Name_Calling,Labeling",
            start=11,
            end=20,
            text=text[11:20],
            score=0.8,
            evidence="criminals",
        )
    ]
    return doc


def test_json_has_every_contract_key_and_round_trips() -> None:
    doc = sample()
    data = json.loads(doc.to_json())
    assert data.keys() >= CONTRACT_KEYS
    assert data["metadata"].keys() >= METADATA_KEYS
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["techniques"][0]["text"] == "criminals"
    assert Document.from_json(doc.to_json()) == doc


def test_text_is_fixed_after_creation() -> None:
    doc = sample()
    with pytest.raises(ValidationError):
        doc.text = "something else"


def test_span_with_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Body(start=5, end=2, text="")


def test_unknown_boilerplate_kind_is_rejected() -> None:
    with pytest.raises(ValidationError):
        BoilerplateSegment(kind="advert", start=0, end=1, text="x")


def test_published_schema_file_matches_the_model() -> None:
    published = Path(__file__).resolve().parents[1] / "src/presslens/schema/document.schema.json"
    assert json.loads(published.read_text()) == json_schema(), (
        "schema out of date: presslens schema > src/presslens/schema/document.schema.json"
    )
