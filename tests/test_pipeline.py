"""Pipelines are assembled from stage names; each stage's work is counted."""

from __future__ import annotations

import pytest

from presslens.document import Document, Quote
from presslens.errors import UsageError
from presslens.pipeline import Pipeline, available_stages, create_stage, register_stage


@register_stage("test_shout")
class Shout:
    name = "test_shout"

    def __call__(self, doc: Document) -> Document:
        doc.quotes = [Quote(start=0, end=len(doc.text), text=doc.text.upper())]
        return doc


def test_named_stage_runs_and_is_recorded() -> None:
    nlp = Pipeline.from_names(["test_shout"])
    doc = nlp(Document(source="t", text="hello"))
    assert doc.quotes[0].text == "HELLO"
    assert doc.stages == ["test_shout"]
    assert nlp.stats["test_shout"].documents == 1


def test_pipe_processes_every_document_lazily() -> None:
    nlp = Pipeline.from_names(["test_shout"])
    docs = list(nlp.pipe(Document(source=str(i), text=f"d{i}") for i in range(3)))
    assert [d.quotes[0].text for d in docs] == ["D0", "D1", "D2"]
    assert nlp.stats["test_shout"].documents == 3


def test_failing_stage_is_counted_and_raises() -> None:
    @register_stage("test_fail")
    class Fail:
        name = "test_fail"

        def __call__(self, doc: Document) -> Document:
            raise ValueError("boom")

    nlp = Pipeline.from_names(["test_fail"])
    with pytest.raises(ValueError):
        nlp(Document(source="t", text="x"))
    assert nlp.stats["test_fail"].errors == 1


def test_unknown_stage_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown stage 'nope'"):
        create_stage("nope")
    assert "anatomy" in available_stages()
