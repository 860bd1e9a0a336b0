"""The engines run the same stages on the same batches and give the same rows: inline, in a
process pool, and on a Dask LocalCluster. A page that breaks a stage is a counted failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from presslens.corpus.ingest import record_of
from presslens.corpus.store import DocRecord
from presslens.document import Document, RawPage
from presslens.engine import LocalEngine, make_engine
from presslens.errors import UsageError, failure_reason
from presslens.pipeline import BatchOutcome, Recipe, process_batch, register_stage

STORY = "The city council voted on Monday to close the old bridge for repairs after engineers found cracks. "


ANATOMY = Recipe(("anatomy",))


def pages(n: int = 12) -> list[RawPage]:
    return [
        RawPage(
            source=f"https://example.com/{i}",
            kind="text",
            text=f"Bridge story {i}\n\n" + STORY * (5 + i % 3),
            url=f"https://example.com/{i}",
        )
        for i in range(n)
    ]


def batches(items: list[RawPage], size: int = 4) -> Iterator[list[RawPage]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def summary(results: list[BatchOutcome]) -> tuple[list[tuple[str, str, int]], int]:
    records: list[DocRecord] = [r for res in results for r in res.documents]
    rows = sorted((r.key, r.body_hash, r.words) for r in records)
    return rows, sum(len(res.failures) for res in results)


@register_stage("explode_on_7")
class ExplodeOn7:
    """A stage that fails on one document, like a model choking on a strange page."""

    name = "explode_on_7"

    def __call__(self, doc: Document) -> Document:
        if doc.source.endswith("/7"):
            raise ValueError("cannot handle this page")
        return doc


def test_inline_engine_counts_a_failing_page_and_keeps_the_rest() -> None:
    results = list(LocalEngine(1).run(Recipe(("anatomy", "explode_on_7")), batches(pages()), record_of))
    rows, failures = summary(results)
    assert len(rows) == 11 and failures == 1
    (failure,) = [f for res in results for f in res.failures]
    assert failure.item.source == "https://example.com/7"
    assert failure.stage == "explode_on_7"
    assert failure_reason(failure.error) == "stage error (ValueError)"
    stats = [res.stats["explode_on_7"] for res in results]
    assert sum(s.errors for s in stats) == 1


@pytest.mark.slow  # starts worker processes
def test_process_pool_gives_the_same_rows_as_inline() -> None:
    items = pages()
    inline = summary(list(LocalEngine(1).run(ANATOMY, batches(items), record_of)))
    pooled = summary(list(LocalEngine(2).run(ANATOMY, batches(items), record_of)))
    assert pooled == inline
    assert len(inline[0]) == 12


@pytest.mark.slow  # starts a Dask cluster
def test_dask_local_cluster_gives_the_same_rows_as_inline() -> None:
    pytest.importorskip("distributed")
    from presslens.engine.dask import DaskEngine

    items = pages(8)
    inline = summary(list(LocalEngine(1).run(ANATOMY, batches(items), record_of)))
    engine = DaskEngine(n_workers=1, threads_per_worker=2, processes=False)
    try:
        on_dask = summary(list(engine.run(ANATOMY, batches(items, 3), record_of)))
    finally:
        engine.close()
    assert on_dask == inline


def test_process_batch_is_the_whole_contract() -> None:
    result = process_batch(ANATOMY, pages(2), record_of)
    assert [r.url for r in result.documents] == ["https://example.com/0", "https://example.com/1"]
    assert result.stats["document"].documents == 2
    docs = process_batch(ANATOMY, pages(2)).documents
    assert [d.source for d in docs] == ["https://example.com/0", "https://example.com/1"]
    assert all(isinstance(d, Document) and not d.user_data for d in docs)


def test_a_page_without_a_body_is_a_no_body_failure() -> None:
    empty = RawPage(source="https://example.com/nav", kind="text", text="* * *\n\n— — —")
    result = process_batch(ANATOMY, [empty, *pages(1)], record_of)
    assert [failure_reason(f.error) for f in result.failures] == ["no body"]
    assert len(result.documents) == 1


def test_engine_choice_errors_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(UsageError):
        make_engine("spark")
