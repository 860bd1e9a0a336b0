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


@register_stage("test_suffix", assigns=("quotes",), default_config={"suffix": "!"})
class Suffix:
    name = "test_suffix"

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.batches: list[int] = []

    def __call__(self, doc: Document) -> Document:
        doc.quotes = [Quote(start=0, end=len(doc.text), text=doc.text + self.suffix)]
        return doc

    def pipe(self, docs: list[Document]) -> list[Document]:
        self.batches.append(len(docs))
        return [self(d) for d in docs]


@register_stage("test_needs_quotes", requires=("quotes",))
class NeedsQuotes:
    name = "test_needs_quotes"

    def __call__(self, doc: Document) -> Document:
        if doc.text == "bad":
            raise ValueError("bad document")
        return doc


def test_config_reaches_the_factory_and_unknown_keys_are_refused() -> None:
    nlp = Pipeline.from_names(["test_suffix"], {"test_suffix": {"suffix": "?"}})
    assert nlp(Document(source="t", text="hi")).quotes[0].text == "hi?"
    with pytest.raises(UsageError, match="no config key 'sufix'"):
        Pipeline.from_names(["test_suffix"], {"test_suffix": {"sufix": "?"}})
    with pytest.raises(UsageError, match="not in the pipeline"):
        Pipeline.from_names(["test_suffix"], {"anatomy": {}})


def test_a_missing_requirement_is_found_when_the_pipeline_is_built() -> None:
    with pytest.raises(UsageError, match=r"'test_needs_quotes' requires 'quotes'.*'test_suffix'"):
        Pipeline.from_names(["test_needs_quotes"])
    both = ["test_suffix", "test_needs_quotes"]
    assert Pipeline.from_names(both).names == both
    with pytest.raises(UsageError, match=r"requires 'user_data\.spacy'"):
        Pipeline.from_names(["entities"])


def test_pipe_batches_reach_stage_pipe_and_the_error_handler_drops_one_document() -> None:
    failed: list[tuple[str, str]] = []
    nlp = Pipeline.from_names(["test_suffix", "test_needs_quotes"])
    nlp.error_handler = lambda stage, item, exc: failed.append((stage, str(exc)))
    texts = ["a", "bad", "c", "d", "e"]
    docs = list(nlp.pipe((Document(source=t, text=t) for t in texts), batch_size=2))
    assert [d.text for d in docs] == ["a", "c", "d", "e"]
    assert failed == [("test_needs_quotes", "bad document")]
    assert nlp.stages[0].batches == [2, 2]  # the last batch has one document: plain call
    assert nlp.stats["test_needs_quotes"].errors == 1
    assert nlp.stats["test_suffix"].documents == 5


def test_groups_expand_and_making_the_document_is_timed() -> None:
    nlp = Pipeline.from_names(["anatomy"], exclude=["wrapper"])
    assert "wrapper" not in nlp.names and nlp.names
    doc = nlp("Title\n\nThe council voted on Tuesday to close the bridge.")
    assert doc.body is not None and doc.body.text.startswith("The council")
    assert nlp.stats["document"].documents == 1


def test_pipe_in_worker_processes_keeps_input_order() -> None:
    nlp = Pipeline.from_names(["anatomy"])
    texts = [f"Headline {i}\n\nBody number {i} says the council met on Tuesday." for i in range(6)]
    docs = list(nlp.pipe(texts, batch_size=2, n_process=2))
    assert [d.body.text.split()[2] for d in docs if d.body] == [str(i) for i in range(6)]
    assert all(not d.user_data for d in docs)
    assert nlp.stats["document"].documents == 6
