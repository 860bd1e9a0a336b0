"""Fixtures for the analyze text stages: the example page as a Document with its body set.

The body is set by hand from its known first and last sentence so these tests do not depend
on the anatomy stage.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.document import Body, Document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "globalresearch-soleimani.txt"
FIRST = "*For the first time in the history of Iran"
LAST = "viewed by many as a declaration of war."


def example_document() -> Document:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index(FIRST)
    end = text.index(LAST) + len(LAST)
    doc = Document(source=str(EXAMPLE), text=text)
    doc.body = Body(start=start, end=end, text=text[start:end])
    doc.metadata.published = "2020-01-06"
    return doc


@pytest.fixture()
def soleimani() -> Document:
    if not EXAMPLE.is_file():
        pytest.skip(f"example page missing: {EXAMPLE}")
    return example_document()
