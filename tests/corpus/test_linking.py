"""Linking is deterministic and incremental: the same crawl gives the same graph whatever order
its pages are stored in, however many workers analysed them, and whether it was linked in one
go or part by part (`ingest` links the new documents against the stored index; `link --full`
rebuilds) — also when a fingerprint becomes stock half-way or a document is deleted."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import presslens.corpus.linking as linking
from presslens.corpus.graph import edges
from presslens.corpus.ingest import ingest, record_of
from presslens.corpus.linking import link_corpus
from presslens.corpus.store import DocRecord, Store
from presslens.corpus.syndication import norm_name
from presslens.engine import LocalEngine
from presslens.ingest import ReadFailure, read_sources
from presslens.pipeline import EXTRACT_STAGES, Recipe, expand
from tests.corpus.conftest import make_corpus_module

Graph = set[tuple[Any, ...]]


def canonical(store: Store) -> Graph:
    """The graph as content (URLs, outlet names, relation, evidence), not as row ids."""
    out: Graph = set()
    for e in edges(store):
        src = e.source.url if e.source.kind == "document" else f"outlet:{norm_name(e.source.outlet or '')}"
        out.add(
            (src, e.target.url, e.relation, e.kind, e.directed, tuple(e.evidence), e.similarity, e.lag_days)
        )
    return out


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated crawl with the hard cases (needs ../shared/data/ptc)."""
    make_corpus = make_corpus_module()
    out = tmp_path_factory.mktemp("crawl") / "crawl.jsonl"
    make_corpus.write_jsonl(make_corpus.generate(90, seed=11), out)
    return out


@pytest.fixture(scope="module")
def records(crawl: Path) -> list[DocRecord]:
    """The crawl's store rows, analysed once (anatomy), in crawl order."""
    pages = [p for p in read_sources([str(crawl)]) if not isinstance(p, ReadFailure)]
    recipe = Recipe(tuple(expand(EXTRACT_STAGES)))
    out: list[DocRecord] = []
    for outcome in LocalEngine(1).run(
        recipe, [pages[i : i + 16] for i in range(0, len(pages), 16)], record_of
    ):
        out.extend(outcome.documents)
    return out


@pytest.fixture(scope="module")
def reference(records: list[DocRecord]) -> Graph:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/ref.sqlite")
        store.add_batch(records)
        link_corpus(store)
        graph = canonical(store)
        store.close()
    assert {r for _, _, r, *_ in graph} == {"copy", "reuse", "common_source"}  # every relation is there
    return graph


def _stored(records: Sequence[DocRecord], parts: Sequence[int], link_each: bool) -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/corpus.sqlite")
        start = 0
        for end in [*parts, len(records)]:
            store.add_batch(records[start:end])
            if link_each:
                report = link_corpus(store)
                assert report.documents == end - start  # only the new documents are linked
            start = end
        yield store
        store.close()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_the_graph_does_not_depend_on_the_order_pages_are_stored_in(
    records: list[DocRecord], reference: Graph, rnd: random.Random
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    for store in _stored(shuffled, [], link_each=False):
        link_corpus(store)
        assert canonical(store) == reference


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_linking_in_three_parts_equals_a_full_rebuild(
    records: list[DocRecord], reference: Graph, rnd: random.Random
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    cuts = sorted(rnd.sample(range(1, len(shuffled)), 2))
    for store in _stored(shuffled, cuts, link_each=True):
        incremental = canonical(store)
        full = link_corpus(store, full=True)
        assert full.documents == len(records)
        assert canonical(store) == incremental == reference


@pytest.mark.parametrize("scan", [True, False], ids=["stock-scanned", "stock-looked-up"])
def test_a_fingerprint_turning_stock_half_way_is_followed(
    records: list[DocRecord], monkeypatch: pytest.MonkeyPatch, scan: bool
) -> None:
    # With a tiny stock threshold, fingerprints of a story's copies cross it as parts arrive:
    # the old pairs proposed only through them, and the passages made of them, change. The
    # stock set is found by one pass over the index, or fingerprint by fingerprint: the same.
    monkeypatch.setattr(linking, "STOCK_DF", 4)
    monkeypatch.setattr(linking, "STOCK_SCAN_SHARE", 10**9 if scan else 0)
    scans = []
    scanned = linking._StockCache.scanned.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        linking._StockCache, "scanned", classmethod(lambda cls, st: scans.append(1) or scanned(cls, st))
    )
    for store in _stored(records, [30, 60], link_each=True):
        incremental = canonical(store)
        link_corpus(store, full=True)
        assert canonical(store) == incremental
    assert bool(scans) == scan


def test_the_scanned_stock_set_is_the_one_fingerprint_lookups_find(
    records: list[DocRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linking, "STOCK_DF", 4)
    for store in _stored(records, [], link_each=True):
        with store.session() as s:
            hashes = list(s.scalars(sa.select(linking.FingerprintPosting.hash).distinct()))
            scanned = linking._StockCache.scanned(store)
            looked_up = linking._StockCache().split(s, hashes)
            assert scanned.split(s, hashes) == looked_up
            assert looked_up[0] and looked_up[1]  # both kinds are there to be told apart
            assert set(scanned.known().tolist()) == looked_up[0]  # type: ignore[union-attr]


def test_deleting_a_document_and_linking_again_equals_a_full_rebuild(records: list[DocRecord]) -> None:
    for store in _stored(records, [], link_each=True):
        # Delete the document with the most edges: its components must be re-decided.
        counts: dict[int, int] = {}
        for e in edges(store):
            for n in (e.source, e.target):
                if n.kind == "document":
                    counts[n.id] = counts.get(n.id, 0) + 1
        busiest = max(counts, key=lambda i: (counts[i], -i))
        assert store.delete_document(busiest)
        link_corpus(store)
        after = canonical(store)
        link_corpus(store, full=True)
        assert canonical(store) == after


def test_a_document_deleted_while_a_bulk_index_is_written_leaves_no_rows_behind(
    records: list[DocRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk index is written without SQLite's reference checks (they were most of its
    cost): a document deleted after its rows were read and before they are written has rows
    no cascade removes; the link finds and drops them, and the graph is the one a link of the
    crawl without that document gives."""
    monkeypatch.setattr(linking, "BULK_MIN", 0)
    real_write = linking._BulkRows.write
    gone: list[int] = []

    def write(self: linking._BulkRows, store: Store, pairs: linking._Pairs | None = None) -> None:
        with store.session() as s:  # its rows are read (spilled), not written yet
            doc = s.scalar(sa.select(linking.DocumentRow.id).where(linking.DocumentRow.words > 50).limit(1))
        assert doc is not None and store.delete_document(doc)
        gone.append(doc)
        real_write(self, store, pairs)

    monkeypatch.setattr(linking._BulkRows, "write", write)
    for store in _stored(records, [], link_each=False):
        link_corpus(store)
        with store.session() as s:
            for table in (linking.LshBand, linking.FingerprintPosting, linking.LinkedDocument):
                orphans = sa.select(sa.func.count()).select_from(table).where(table.document_id == gone[0])
                assert s.scalar(orphans) == 0
        after = canonical(store)
        monkeypatch.setattr(linking._BulkRows, "write", real_write)
        link_corpus(store, full=True)
        assert canonical(store) == after
        assert link_corpus(store).documents == 0  # every document left is marked linked


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_with_shuffled_input_and_one_or_two_workers_gives_the_same_graph(
    crawl: Path, reference: Graph, tmp_path: Path, workers: int
) -> None:
    lines = crawl.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(workers).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("".join(lines), encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'corpus.sqlite'}")
    report = ingest([str(shuffled)], store, engine=LocalEngine(workers), batch_size=8, stages=EXTRACT_STAGES)
    assert report.added == len(lines)
    assert canonical(store) == reference


def _two_sharing(n_fingerprints: int) -> tuple[str, str]:
    """Two unrelated bodies around one 45-word passage that shares exactly this many sampled
    fingerprints (the sampling is data-independent, so a seed is searched for)."""
    import numpy as np

    from presslens.corpus.dedup import features

    vocab = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in "aeiou" for c in "nrsl"]
    for seed in range(1000):
        rng = random.Random(seed)
        passage = " ".join(rng.choice(vocab) for _ in range(45))
        a = (
            " ".join(rng.choice(vocab) for _ in range(150))
            + " "
            + passage
            + " "
            + " ".join(rng.choice(vocab) for _ in range(80))
        )
        b = (
            " ".join(rng.choice(vocab) for _ in range(120))
            + " "
            + passage
            + " "
            + " ".join(rng.choice(vocab) for _ in range(90))
        )
        fa, fb = (np.frombuffer(features(t).fingerprints, dtype=np.uint32) for t in (a, b))
        if len(np.intersect1d(fa, fb)) == n_fingerprints:
            return a, b
    raise AssertionError("no seed found")


def test_a_pair_is_proposed_by_the_same_fingerprint_count_in_one_link_or_two(tmp_path: Path) -> None:
    from tests.corpus.factory import record

    a, b = _two_sharing(linking.MIN_SHARED_FINGERPRINTS - 1)
    together = Store(f"sqlite:///{tmp_path / 'together.sqlite'}")
    together.add_batch([record("https://a.org/1", a), record("https://b.org/2", b)])
    assert link_corpus(together).candidate_pairs == 0  # two new documents met from both sides count once
    apart = Store(f"sqlite:///{tmp_path / 'apart.sqlite'}")
    apart.add_batch([record("https://a.org/1", a)])
    link_corpus(apart)
    apart.add_batch([record("https://b.org/2", b)])
    assert link_corpus(apart).candidate_pairs == 0


def test_linking_in_a_tiny_memory_limit_gives_the_same_graph(
    records: list[DocRecord], reference: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A limit of a few bytes: every candidate pair spills to the temporary file, and the
    fingerprint counts and the verification run in several partitions — in a full link and in
    one in parts, where (with a tiny stock threshold) fingerprints turn stock half-way."""
    monkeypatch.setattr(linking, "MAX_PARTITIONS", 3)
    spilled: list[bool] = []
    crossings: list[list[int]] = []
    real_add, real_crossings = linking._Pairs.add, linking._stock_crossings

    def add(self: linking._Pairs, keys: np.ndarray) -> None:
        real_add(self, keys)
        spilled.append(self._file is not None)

    def stock_crossings(store: Store, crossed: Sequence[int], new: set[int]) -> set[int]:
        crossings.append(sorted(crossed))
        return real_crossings(store, crossed, new)

    monkeypatch.setattr(linking._Pairs, "add", add)
    monkeypatch.setattr(linking, "_stock_crossings", stock_crossings)
    for store in _stored(records, [], link_each=False):
        limited = link_corpus(store, memory_limit=8)
        assert spilled and all(spilled)
        assert canonical(store) == reference
        unbounded = link_corpus(store, full=True)
        assert (limited.candidate_pairs, limited.verified) == (unbounded.candidate_pairs, unbounded.verified)

    monkeypatch.setattr(linking, "STOCK_DF", 4)
    graphs, crossed = [], []
    for limit in (None, 8):
        crossings.clear()
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(f"sqlite:///{tmp}/corpus.sqlite")
            for part in (records[:30], records[30:60], records[60:]):
                store.add_batch(part)
                link_corpus(store, memory_limit=limit)
            graphs.append(canonical(store))
            store.close()
        assert any(crossings)  # fingerprints did turn stock between the parts
        crossed.append(list(crossings))
    assert graphs[0] == graphs[1]
    assert crossed[0] == crossed[1]


def test_linking_on_two_workers_gives_the_same_graph(
    records: list[DocRecord], reference: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Candidates, verification (each worker writing its matches) and deciding as tasks on a
    two-process engine, in one link and in parts: the graph the linking process alone makes."""
    monkeypatch.setattr(linking, "PARALLEL_MIN", 0)  # even this small crawl goes to the workers
    tasks: list[str] = []
    real_map = LocalEngine.map_unordered

    def map_unordered(self: LocalEngine, fn: Any, items: Any) -> Any:
        tasks.append(fn.fn.__name__)
        return real_map(self, fn, items)

    monkeypatch.setattr(LocalEngine, "map_unordered", map_unordered)
    engine = LocalEngine(2)
    for store in _stored(records, [], link_each=False):
        report = link_corpus(store, engine=engine)
        assert tasks == ["_candidate_task", "_verify_task", "_decide_task"]
        assert canonical(store) == reference
        assert (report.candidate_pairs, report.verified) == (
            (full := link_corpus(store, full=True)).candidate_pairs,
            full.verified,
        )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/corpus.sqlite")
        for part in (records[:40], records[40:]):
            store.add_batch(part)
            link_corpus(store, engine=engine)
        assert canonical(store) == reference
        store.close()


def test_a_verify_task_run_twice_stores_each_match_once(records: list[DocRecord]) -> None:
    """A cluster re-runs the task of a lost worker: its matches are not stored twice."""
    for store in _stored(records, [], link_each=False):
        link_corpus(store)
        with store.session() as s:
            rows = s.execute(linking.sa.select(linking.MatchRow.doc_a, linking.MatchRow.doc_b))
            pairs = [(int(a), int(b)) for a, b in rows]
        assert pairs
        task = linking._Task(pairs, store.url, "run", 0)
        first = linking._verify_task(task)
        again = linking._verify_task(task)
        assert first == again and sum(first.values()) == len(pairs)
        with store.session() as s:
            assert s.scalar(linking.sa.select(linking.sa.func.count()).select_from(linking.MatchRow)) == len(
                pairs
            )


def _index_rows(store: Store) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    with store.session() as s:
        bands = sorted((r.band, r.document_id) for r in s.scalars(sa.select(linking.LshBand)))
        postings = sorted((r.hash, r.document_id) for r in s.scalars(sa.select(linking.FingerprintPosting)))
        marked = sorted(s.scalars(sa.select(linking.LinkedDocument.document_id)))
    return bands, postings, marked


def test_a_bulk_index_holds_the_same_rows_and_gives_the_same_graph(
    records: list[DocRecord], reference: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first link (and a `--full` one) writes the index in bulk: spilled by key range (a tiny
    memory limit makes several), sorted, the document-id indexes dropped and built again. The
    index rows, the marks and the graph equal the row-by-row path's; a link in parts after it
    (fewer new documents than indexed ones) goes row by row, and a dropped index is rebuilt."""
    for store in _stored(records[:60], [], link_each=False):
        link_corpus(store)
        straight = _index_rows(store)
    monkeypatch.setattr(linking, "BULK_MIN", 0)
    monkeypatch.setattr(linking, "MAX_PARTITIONS", 4)
    written: list[int] = []
    real_write = linking._BulkRows.write

    def write(self: linking._BulkRows, store: Store, pairs: linking._Pairs | None = None) -> None:
        written.append(1 << self.bits)
        real_write(self, store, pairs)

    monkeypatch.setattr(linking._BulkRows, "write", write)
    for store in _stored(records[:60], [], link_each=False):
        link_corpus(store, memory_limit=8)
        assert written == [4] and _index_rows(store) == straight
        indexes = {
            ix["name"]
            for t in ("lsh_bands", "fingerprint_postings")
            for ix in sa.inspect(store.engine).get_indexes(t)
        }
        assert indexes == {"ix_lsh_bands_document_id", "ix_fingerprint_postings_document_id"}
        with store.session() as s:  # as if a bulk link died before building it again
            sa.Index("ix_lsh_bands_document_id", linking.LshBand.document_id).drop(s.connection())
        store.add_batch(records[60:])
        link_corpus(store)  # 30 new against 60 indexed: row by row
        assert written == [4]
        assert canonical(store) == reference
        assert "ix_lsh_bands_document_id" in {
            ix["name"] for ix in sa.inspect(store.engine).get_indexes("lsh_bands")
        }
        link_corpus(store, full=True)
        assert len(written) == 2 and canonical(store) == reference


def _pair_set(store: Store, monkeypatch: pytest.MonkeyPatch, **link: Any) -> tuple[set[int], int]:
    """The candidate pair keys a full link proposes (as `_Pairs` receives them), and their count."""
    seen: list[np.ndarray] = []
    real_add = linking._Pairs.add

    def add(self: linking._Pairs, keys: np.ndarray) -> None:
        assert np.all(keys[1:] > keys[:-1])  # sorted and unique, as `_Pairs.add` expects
        seen.append(keys)
        real_add(self, keys)

    with monkeypatch.context() as m:
        m.setattr(linking._Pairs, "add", add)
        report = link_corpus(store, full=True, **link)
    keys = np.concatenate(seen) if seen else np.zeros(0, np.uint64)
    assert len(keys) == report.candidate_pairs == len(set(keys.tolist()))  # no pair twice
    return set(keys.tolist()), report.candidate_pairs


def test_a_first_bulk_link_reads_the_same_candidate_pairs_off_its_sorted_rows(
    records: list[DocRecord], reference: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first link's bulk index proposes its candidates by a self-join of the sorted index rows
    (`_SelfJoin`), not by looking each new document's keys up: the pairs are the lookup path's,
    one by one — with a stock threshold low enough that fingerprints turn stock, outlets that
    share fingerprints, several key ranges, several pair files and several passes over each."""
    joined: list[int] = []
    real_emit = linking._SelfJoin.emit

    def emit(self: linking._SelfJoin, store: Store, pairs: linking._Pairs) -> None:
        joined.append(self.parts)
        real_emit(self, store, pairs)

    monkeypatch.setattr(linking._SelfJoin, "emit", emit)
    # First round: fingerprints in more than 4 documents are stock. Second: none is, and one
    # shared fingerprint is enough, so pages of one outlet share enough (its house style) and
    # must not be proposed through fingerprints.
    for stock_df, min_shared in ((4, linking.MIN_SHARED_FINGERPRINTS), (100, 1)):
        monkeypatch.setattr(linking, "STOCK_DF", stock_df)
        monkeypatch.setattr(linking, "MIN_SHARED_FINGERPRINTS", min_shared)
        monkeypatch.setattr(linking, "BULK_MIN", 10**9)
        joined.clear()
        for store in _stored(records, [], link_each=False):
            looked_up, n = _pair_set(store, monkeypatch)  # the lookup path
            assert joined == [] and n > 0
            monkeypatch.setattr(linking, "BULK_MIN", 0)
            monkeypatch.setattr(linking, "MAX_PARTITIONS", 4)
            monkeypatch.setattr(linking._SelfJoin, "_BLOCK", 64)  # many blocks of pairs per range
            self_joined, _ = _pair_set(store, monkeypatch, memory_limit=8)
            assert joined == [4]  # four pair files, each read in four passes
            assert self_joined == looked_up
            with store.session() as s:  # in the first round a fingerprint was stock
                fp = linking.FingerprintPosting
                counts = s.execute(sa.select(sa.func.count()).select_from(fp).group_by(fp.hash)).scalars()
                assert max(counts.all()) > 4
    monkeypatch.setattr(linking, "STOCK_DF", 100)
    monkeypatch.setattr(linking, "MIN_SHARED_FINGERPRINTS", 3)
    for store in _stored(records, [], link_each=False):
        link_corpus(store)  # bulk, pairs self-joined
        assert canonical(store) == reference


def test_run_pairs_pairs_every_two_documents_of_a_run_once() -> None:
    keys = np.array([1, 1, 1, 2, 3, 3, 4, 4, 4, 4], dtype=np.int64)
    docs = np.array([5, 7, 9, 1, 2, 8, 1, 2, 3, 4], dtype=np.int64)
    expected = {(5, 7), (5, 9), (7, 9), (2, 8)} | {(a, b) for a in range(1, 5) for b in range(a + 1, 5)}
    for block in (1, 3, 100):
        made = np.concatenate(list(linking._run_pairs(keys, docs, None, block)))
        assert sorted(made.tolist()) == sorted((a << 32) | b for a, b in expected)
    capped = np.concatenate(list(linking._run_pairs(keys, docs, 3, 100)))  # the run of four is stock
    assert sorted(capped.tolist()) == sorted((a << 32) | b for a, b in [(5, 7), (5, 9), (7, 9), (2, 8)])
