"""The `techniques` stage on short texts: valid offsets, body only, English only, scores in [0, 1]."""

from __future__ import annotations

import pytest

from presslens.analyze.techniques.stage import TechniquesStage
from presslens.document import Body, Document
from presslens.pipeline import create_stage
from presslens.vocab import TECHNIQUES

TEXT = (
    "WRAPPER: share this outrageous story with the criminals at the top!\n\n"
    "The regime's thugs unleashed a brutal, barbaric massacre on peaceful protesters, and the "
    "so-called leaders in Washington did nothing. They are traitors, traitors to our nation. "
    "Only a fool would believe their lies.\n\nDonate now."
)
BODY = (TEXT.index("The regime"), TEXT.index("\n\nDonate"))


def _doc() -> Document:
    return Document(
        source="test", text=TEXT, body=Body(start=BODY[0], end=BODY[1], text=TEXT[BODY[0] : BODY[1]])
    )


def test_stage_is_registered_under_its_name(technique_model: object) -> None:
    assert create_stage("techniques").name == "techniques"


def test_spans_lie_in_the_body_and_point_at_their_text(technique_model: object) -> None:
    doc = TechniquesStage()(_doc())
    assert doc.techniques, "a text full of loaded words and labels should be flagged"
    for span in doc.techniques:
        assert BODY[0] <= span.start < span.end <= BODY[1]
        assert span.text == doc.text[span.start : span.end]
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.score <= 1.0
        assert span.evidence


def test_loaded_or_labelling_words_are_found(technique_model: object) -> None:
    doc = TechniquesStage()(_doc())
    flagged = " ".join(s.text.lower() for s in doc.techniques)
    assert any(w in flagged for w in ("thugs", "brutal", "barbaric", "massacre", "traitors", "lies"))


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_non_english_documents_are_skipped(lang: str) -> None:
    doc = _doc()
    doc.metadata.language = lang
    assert TechniquesStage()(doc).techniques == []


def test_empty_body_gives_no_spans(technique_model: object) -> None:
    doc = Document(source="t", text="   \n")
    assert TechniquesStage()(doc).techniques == []
