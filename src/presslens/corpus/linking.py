"""Linking a corpus: index new documents, verify their candidate pairs, re-decide what they touch.

Where it sits: `ingest` calls `link_corpus(store)` after writing its batches, `presslens link`
too (`--full` rebuilds from nothing). The linker keeps its own index in the store: each
indexed document's MinHash bands (`lsh_bands`) and sampled shingle fingerprints
(`fingerprint_postings`), and every verified pair (`syndication_matches`). Linking then costs
what the new documents cost:

1. index the documents not linked yet;
2. candidate pairs: a new document and any indexed one sharing an LSH band (near-duplicates
   and partial copies) or at least `MIN_SHARED_FINGERPRINTS` fingerprints (a shared passage);
   fingerprints in more than `STOCK_DF` documents are stock text and propose nothing;
3. verify each candidate on the bodies (`dedup.compare`) and store the matches;
4. re-decide (`syndication.decide`) every connected component of matches that a new document
   joined, and replace those components' edges.

`link --full` clears the index and runs the same steps with every document new, so an
incremental link and a full one give the same graph by construction. Two global facts can
change an old component without a new document joining it, and both are followed: a
fingerprint crossing `STOCK_DF` (its old pairs may stop being candidates, its passages become
stock) and a new outlet taking over a credited name (a credit edge from a placeholder outlet
now points at an outlet of the crawl). Deleting a document marks its neighbours for re-linking.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Generic, TypeVar, cast

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from presslens.corpus.dedup import (
    MIN_SHARED_FINGERPRINTS,
    NUM_PERM,
    SHINGLE,
    Match,
    Passage,
)
from presslens.corpus.records import registered_domain
from presslens.corpus.store import (
    AnnotationRow,
    Base,
    DocumentRow,
    FingerprintPosting,
    LinkedDocument,
    LinkRow,
    LshBand,
    MatchRow,
    Outlet,
    Store,
    SyndicationEdge,
)
from presslens.corpus.syndication import (
    CREDIT,
    Component,
    DocInfo,
    Edge,
    ExternalCredit,
    Texts,
    decide,
    domain_label,
    norm_name,
    outlet_keys,
    sorted_edges,
)
from presslens.engine import Engine

# LSH banding of the 64 MinHash values: 21 bands of 3 rows, the split datasketch's MinHashLSH
# chooses for a Jaccard threshold of 0.3 (low enough that a copy truncated to ~40% of the
# original is still proposed; every candidate is verified exactly).
BANDS, ROWS = 21, 3
assert BANDS * ROWS <= NUM_PERM
# A fingerprint carried by more documents than this is stock text, not a reuse signal. It also
# bounds the work: a fingerprint shared by n documents proposes up to n(n-1)/2 pairs. Copies of
# an article syndicated more widely are still found by LSH.
STOCK_DF = 100
# Bodies shorter than this say nothing about copying.
MIN_WORDS = 2 * SHINGLE
# Candidate components are verified a chunk of documents at a time, so memory stays bounded.
CHUNK_DOCS = 2000
_IN = 900  # ids per IN (...) clause: below SQLite's default bound of variables
# Most passes a memory limit may cost (fingerprint counting, verification): 256 passes of a
# 1M-document index is hours; a limit that needs more is not one anybody means.
MAX_PARTITIONS = 256

# Less work than this (candidate pairs to verify, documents to decide) is done in the linking
# process even with an engine: starting a pool's processes costs more than it would save.
PARALLEL_MIN = 5000
#: New documents from which a link that adds at least as many as are indexed writes the index in
#: bulk (`_BulkRows`); below it the rows go straight in.
BULK_MIN = 20_000
#: A link touching at least 1/STOCK_SCAN_SHARE of the indexed documents finds every stock
#: fingerprint in one grouped pass over the index (8.7M postings of 100k documents: 0.65 s)
#: instead of counting, chunk after chunk, the postings of each fingerprint it meets: at a
#: million documents those lookups were some 200k B-tree searches for each chunk decided.
STOCK_SCAN_SHARE = 20

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class LinkReport:
    documents: int = 0  # documents linked in this run (all of them with --full)
    candidate_pairs: int = 0
    verified: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)  # edges written, by relation
    components: int = 0  # components re-decided
    clusters: int = 0  # copy clusters among them (two or more pages of one article)
    full: bool = False
    seconds: float = 0.0


def link_corpus(
    store: Store,
    *,
    full: bool = False,
    on_progress: Callable[[str, int, int], None] | None = None,
    memory_limit: int | None = None,
    engine: Engine | None = None,
) -> LinkReport:
    """Link the documents not linked yet (all of them with `full`) and update the graph.

    `memory_limit` (bytes) bounds what linking holds at once: the candidate pairs spill to a
    temporary file and the fingerprint counts and verification run in partitions (by
    fingerprint hash, by component of candidate pairs) sized to fit. The graph is the same
    whatever the limit; only the number of passes over the index changes.

    With an `engine` of more than one slot (a local process pool, a Dask cluster), the
    candidate search (a chunk of new documents a task), the verification (a group of connected
    pairs a task; the worker stores its matches) and the deciding (a chunk of components a
    task) run on its workers, which read the store by its URL. This process writes the index
    and the decided edges, in chunk order. The graph is the same whatever the engine: chunks,
    groups and the order edges are written in do not depend on it."""
    started = time.perf_counter()
    report = LinkReport(full=full)
    budget = _Budget(memory_limit)
    workers = _Workers(store, engine)
    _ensure_indexes(store)
    if full:
        _clear(store)
    new = _unlinked(store)
    report.documents = len(new)
    touched = set(new)
    with _Pairs(budget) as pairs:
        # A first link's bulk index also yields the candidate pairs (a self-join of its sorted
        # rows); otherwise each new document's keys are looked up in the index.
        changed, paired = _index(store, new, budget, pairs)
        touched |= changed
        if len(touched) * STOCK_SCAN_SHARE >= _indexed_count(store):
            workers.stock = _StockCache.scanned(store)
        if not paired:
            _candidate_pairs(store, new, pairs, workers)
        report.candidate_pairs = len(pairs)
        for kind, n in _verify(store, pairs, budget, on_progress, workers).items():
            report.verified[kind] = n
    touched |= _credit_takeovers(store)
    done = 0
    chunks = workers.map_ordered(_decide_task, _component_chunks(store, touched), len(touched))
    for chunk, decided in chunks:
        edges = _write_chunk(store, chunk, decided)
        report.components += len(chunk)
        report.clusters += decided.clusters
        for e in edges:
            report.edges[e.relation] = report.edges.get(e.relation, 0) + 1
        done += sum(len(c) for c in chunk)
        if on_progress:
            on_progress("deciding", done, len(touched))
    report.seconds = time.perf_counter() - started
    return report


class _Workers:
    """Where verification and deciding run: in this process, or as tasks on an engine's workers
    (which then open the store themselves, by its URL). An in-memory store exists in this
    process only, so it always links here."""

    def __init__(self, store: Store, engine: Engine | None) -> None:
        self.store = store
        url = sa.engine.make_url(store.url)
        shared = url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")
        self.engine = engine if engine is not None and engine.slots > 1 and shared else None
        self.run = uuid.uuid4().hex  # a worker's stock cache holds for one link run only
        self.stock = _StockCache()

    def map_ordered(
        self, fn: Callable[[_Task[T]], R], items: Iterable[T], size: int
    ) -> Iterator[tuple[T, R]]:
        """(item, fn(task of item)) in the order of `items`: results that finish early wait
        for the ones before them. `size` (pairs or documents) below PARALLEL_MIN runs here."""
        if self.engine is None or size < PARALLEL_MIN:
            for item in items:
                yield item, fn(_Task(item, self.store.url, self.run, 0, self.store, self.stock))
            return
        known = self.stock.known()
        tasks = (_Task(item, self.store.url, self.run, i, known_stock=known) for i, item in enumerate(items))
        waiting: dict[int, tuple[T, R]] = {}
        nxt = 0
        for index, item, result in self.engine.map_unordered(_indexed(fn), tasks):
            waiting[index] = (item, result)
            while nxt in waiting:
                yield waiting.pop(nxt)
                nxt += 1


@dataclass
class _Task(Generic[T]):
    """One unit of linking work: the item, and how a worker reaches the store. `store` and
    `stock` are set only when the task runs in the linking process itself."""

    item: T
    url: str
    run: str
    index: int
    store: Store | None = None
    stock: _StockCache | None = None
    known_stock: np.ndarray | None = None  # the run's complete stock set, when it was scanned

    def open(self) -> tuple[Store, _StockCache]:
        if self.store is not None and self.stock is not None:
            return self.store, self.stock
        return _worker_store(self.url), _worker_stock(self.url, self.run, self.known_stock)


@dataclass(frozen=True)
class _indexed(Generic[T, R]):
    """`fn` made to say which task its result answers (engines return results unordered)."""

    fn: Callable[[_Task[T]], R]

    def __call__(self, task: _Task[T]) -> tuple[int, T, R]:
        return task.index, task.item, self.fn(task)


# A worker process keeps its store open across tasks, and its stock cache for one link run.
_STORES: dict[str, Store] = {}
_STOCK: dict[tuple[str, str], _StockCache] = {}


def _worker_store(url: str) -> Store:
    if url not in _STORES:
        _STORES[url] = Store(url, migrate=False)
    return _STORES[url]


def _worker_stock(url: str, run: str, known: np.ndarray | None) -> _StockCache:
    if (url, run) not in _STOCK:
        _STOCK.clear()  # an earlier run's stock set may be wrong now
        _STOCK[(url, run)] = _StockCache(known)
    return _STOCK[(url, run)]


# -- the index -----------------------------------------------------------------------------------
def _clear(store: Store) -> None:
    """Empty the linker's tables (`--full`). Unchecked: with foreign keys on, SQLite deletes a
    table that references another row by row (its truncate shortcut needs no key to check),
    33 s for a 100k-document index; none of these tables is referenced, so nothing cascades."""
    with store.unchecked_writes() as conn:
        for table in (SyndicationEdge, MatchRow, FingerprintPosting, LshBand, LinkedDocument):
            conn.execute(sa.delete(table))


def _indexed_count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(LinkedDocument)) or 0


def _unlinked(store: Store) -> list[int]:
    with store.session() as s:
        q = (
            sa.select(DocumentRow.id)
            .outerjoin(LinkedDocument, LinkedDocument.document_id == DocumentRow.id)
            .where(LinkedDocument.document_id.is_(None))
            .order_by(DocumentRow.id)
        )
        return list(s.scalars(q))


def bands_of(signature: bytes) -> list[int]:
    """The LSH band keys of a MinHash signature: 63-bit hashes of (band number, its rows)."""
    values = np.frombuffer(signature, dtype=np.uint32)
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(bytes([b]) + values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8)
        out.append(int.from_bytes(digest.digest(), "big") & 0x7FFF_FFFF_FFFF_FFFF)
    return out


def _index(store: Store, new: Sequence[int], budget: _Budget, pairs: _Pairs) -> tuple[set[int], bool]:
    """Write the bands and fingerprints of `new`, mark them linked; returns the documents whose
    components change besides the new ones (old neighbours of re-linked documents, and the
    carriers of fingerprints that just became stock, whose matches are re-checked), and
    whether `pairs` now holds the candidate pairs.

    With at least BULK_MIN new documents and no more indexed ones (a first link, `--full`) the
    rows are written in bulk (`_BulkRows`): sorted by key, so the index B-trees are appended to
    instead of written at random pages, which stops fitting any cache near a million documents.
    When nothing was indexed before, those sorted rows are the whole index, and the candidate
    pairs are read off them (`_SelfJoin`) instead of looked up document by document."""
    touched: set[int] = set()
    postings_written = 0
    # Only documents indexed before this run can see a fingerprint become stock under them
    # (a full rebuild has none: it skips the count, a pass over every posting).
    indexed = _indexed_count(store)
    had_old = indexed > 0
    bulk = _BulkRows(budget, len(new)) if len(new) >= max(BULK_MIN, indexed) else None
    # The bulk rows' temporary files go with the block, whether the index is written or not.
    with bulk or nullcontext():
        for chunk in _in_chunks(new):
            postings_written += _index_chunk(store, chunk, touched, bulk)
        if bulk is not None:
            bulk.write(store, None if had_old else pairs)
            # A document deleted after its rows were read left rows no cascade removed (they
            # were written after it went, unchecked): they go now, and it is not marked.
            present = _existing(store, set(new))
            gone = [d for d in new if d not in present]
            with store.session() as s:
                for chunk in _in_chunks(gone):
                    _drop_index_rows(s.connection(), chunk)
            for chunk in _in_chunks([d for d in new if d in present]):
                with store.session() as s:
                    _mark_linked(s.connection(), chunk)
    if not had_old:
        return touched - set(new), bulk is not None
    # int64 hashes, their sorted copy and the counts: ~24 bytes a posting at the peak.
    crossed = list(_crossed_stock(store, new, budget.partitions(postings_written * 24)))
    if crossed:
        touched |= _stock_crossings(store, crossed, set(new))
    return touched - set(new), False


def _index_chunk(store: Store, chunk: list[int], touched: set[int], bulk: _BulkRows | None) -> int:
    """Index one chunk of new documents (into the store, or into `bulk`'s files); adds the old
    neighbours of re-linked documents to `touched`; returns the postings it wrote.

    The rows go in unchecked (`Store.unchecked_writes`): their documents are read in this same
    transaction, after its first write took SQLite's one writer lock, so none can go before the
    commit. Checked, a 10k link into a 1M store read 5.6 GB of document pages to check them."""
    with store.unchecked_writes() as conn:  # Core statements: the ORM's bulk paths add nothing
        # A document linked before (marked for re-linking): drop what the index held of it.
        for a, b in conn.execute(
            sa.select(MatchRow.doc_a, MatchRow.doc_b).where(
                sa.or_(MatchRow.doc_a.in_(chunk), MatchRow.doc_b.in_(chunk))
            )
        ):
            touched.update((a, b))
        _drop_index_rows(conn, chunk)
        conn.execute(sa.delete(MatchRow).where(sa.or_(MatchRow.doc_a.in_(chunk), MatchRow.doc_b.in_(chunk))))
        columns = (DocumentRow.id, DocumentRow.signature, DocumentRow.fingerprints, DocumentRow.words)
        rows = conn.execute(sa.select(*columns).where(DocumentRow.id.in_(chunk))).all()
        band_keys: list[int] = []
        band_docs: list[int] = []
        hashes: list[np.ndarray] = []
        carriers: list[int] = []  # the document of each entry of `hashes`
        for doc_id, signature, fingerprints, words in rows:
            if words < MIN_WORDS:
                continue
            carriers.append(doc_id)
            keys = set(bands_of(signature))
            band_keys.extend(keys)
            band_docs.extend([doc_id] * len(keys))
            fps = np.frombuffer(fingerprints, dtype=np.uint32)
            # `dedup.features` stores them sorted and unique; the check costs less than a sort.
            hashes.append(fps if bool(np.all(fps[1:] > fps[:-1])) else np.unique(fps))
        bands = np.column_stack([np.array(band_keys, np.int64), np.array(band_docs, np.int64)])
        postings = np.column_stack(
            [
                np.concatenate(hashes).astype(np.int64) if hashes else np.zeros(0, np.int64),
                np.repeat(np.array(carriers, np.int64), [len(h) for h in hashes]),
            ]
        )
        if bulk is None:
            _insert_tuples(conn, LshBand, ("band", "document_id"), bands.tolist())
            _insert_tuples(conn, FingerprintPosting, ("hash", "document_id"), postings.tolist())
            _mark_linked(conn, chunk)
        else:
            bulk.add(bands, postings)
    return len(postings)


def _drop_index_rows(conn: sa.Connection, ids: Sequence[int]) -> None:
    """Delete the bands and fingerprints the index holds of `ids`."""
    for table in (LshBand, FingerprintPosting):
        conn.execute(sa.delete(table).where(table.document_id.in_(ids)))


def _mark_linked(conn: sa.Connection, ids: Sequence[int]) -> None:
    _insert_tuples(conn, LinkedDocument, ("document_id",), [(i,) for i in ids])


class _BulkRows:
    """Index rows (key, document) of a bulk link, spilled to one file per key range and per table,
    then written range by range in key order with the tables' document-id indexes dropped and
    built again at the end (a sort, not millions of random B-tree inserts).

    A run that dies in between leaves those indexes missing and its documents unmarked:
    `_ensure_indexes` builds them again at the next link, which re-indexes the documents."""

    # (table, its columns, bits of its key): band keys are 63-bit, fingerprint hashes 32-bit.
    _TABLES: tuple[tuple[type[Base], tuple[str, str], int], ...] = (
        (LshBand, ("band", "document_id"), 63),
        (FingerprintPosting, ("hash", "document_id"), 32),
    )

    def __init__(self, budget: _Budget, documents: int) -> None:
        self.budget = budget
        # ~115 rows of 16 bytes a document, twice over while a range is sorted, and a first
        # link's join (`_SelfJoin.run`) holds a range of its own meanwhile.
        parts = budget.partitions(documents * 115 * 16 * 4)
        self.bits = (parts - 1).bit_length()  # 2**bits key ranges
        self._dir = tempfile.TemporaryDirectory(prefix="presslens-index-")
        self._files = [
            [open(f"{self._dir.name}/{t}-{r}.bin", "ab") for r in range(1 << self.bits)]  # noqa: SIM115
            for t in range(len(self._TABLES))
        ]

    def __enter__(self) -> _BulkRows:
        return self

    def __exit__(self, *exc: object) -> None:
        for files in self._files:
            for f in files:
                f.close()
        self._dir.cleanup()

    def add(self, bands: np.ndarray, postings: np.ndarray) -> None:
        """Spill (key, document) rows, each an int64 array of shape (n, 2)."""
        for files, array, (_, _, key_bits) in zip(self._files, (bands, postings), self._TABLES, strict=True):
            if not len(array):
                continue
            ranges = array[:, 0] >> (key_bits - self.bits) if self.bits else np.zeros(len(array), np.int64)
            for r in np.unique(ranges).tolist():
                array[ranges == r].tofile(files[r])

    def write(self, store: Store, pairs: _Pairs | None = None) -> None:
        """Write the spilled rows; with `pairs` (the rows are the whole index), also add the
        candidate pairs they make (`_SelfJoin`)."""
        with store.session() as s:
            for table, _, _ in self._TABLES:
                for index in _table(table).indexes:
                    index.drop(s.connection(), checkfirst=True)
        for f in chain.from_iterable(self._files):
            f.flush()
        postings = sum(os.path.getsize(f.name) for f in self._files[1]) // 16
        join = _SelfJoin(self.budget, postings) if pairs is not None else None
        # The join reads (and sorts again) the spilled rows on a thread of its own while this one
        # inserts them: its sorts and counts, like SQLite's steps, release the GIL, so the index
        # phase keeps two cores busy instead of one (at 1M: 21 minutes of one busy, one idle).
        with join or nullcontext(), ThreadPoolExecutor(max_workers=1) as pool:
            spilled = [[f.name for f in files] for files in self._files]
            joined = pool.submit(join.run, spilled, store, pairs) if join and pairs is not None else None
            # Unchecked: every row's document was read from the store by this run; one deleted
            # meanwhile is found afterwards (`_index` drops its rows).
            with store.unchecked_writes() as conn:
                for (model, columns, _), files in zip(self._TABLES, self._files, strict=True):
                    for f in files:
                        rows = _sorted_rows(f.name)
                        for i in range(0, len(rows), 500_000):
                            # Lists of two ints are parameter rows the driver takes as they are.
                            _insert_tuples(conn, model, columns, rows[i : i + 500_000].tolist())
                        del rows
                        conn.commit()
            _ensure_indexes(store)
            if joined is not None:
                joined.result()


def _sorted_rows(path: str) -> np.ndarray:
    """One spill file's (key, document) rows, sorted by key, then document."""
    rows = np.fromfile(path, dtype=np.int64).reshape(-1, 2)
    return rows[np.lexsort((rows[:, 1], rows[:, 0]))]


class _SelfJoin:
    """The candidate pairs of a first link, read off the index's rows sorted by key: every two
    documents in a run of one band, and every two documents of different outlets (or of no
    known outlet) sharing at least MIN_SHARED_FINGERPRINTS fingerprints that no more than
    STOCK_DF documents carry — `_candidate_task`'s rule, as one sort-merge pass instead of an
    index lookup per key of every new document (which grew to a third of a 100k link).

    A fingerprint pair is counted over every fingerprint the two share, and their keys fall in
    different key ranges: pair keys are spilled to files by low document id, and each file is
    counted whole (in a few passes if it outgrows the budget)."""

    KINDS = ("band", "fingerprint")
    _BLOCK = 1 << 22  # pair keys made at once from the runs
    # Fingerprint pairs made per posting: ~5.6 on the generated crawl; sizes the files.
    _PAIRS_PER_POSTING = 8

    def __init__(self, budget: _Budget, postings: int) -> None:
        self.budget = budget
        # A file's keys, their sorted copy and the counts: ~24 bytes a key while counted.
        self.parts = budget.partitions(postings * self._PAIRS_PER_POSTING * 24)
        self._dir = tempfile.TemporaryDirectory(prefix="presslens-pairs-")
        self._files = {
            kind: [open(f"{self._dir.name}/{kind}-{p}.bin", "ab") for p in range(self.parts)]  # noqa: SIM115
            for kind in self.KINDS
        }

    def __enter__(self) -> _SelfJoin:
        return self

    def __exit__(self, *exc: object) -> None:
        for files in self._files.values():
            for f in files:
                f.close()
        self._dir.cleanup()

    def run(self, spilled: Sequence[Sequence[str]], store: Store, pairs: _Pairs) -> None:
        """Join the spilled rows (a list of range files per kind, as `KINDS`) into `pairs`."""
        for kind, paths in zip(self.KINDS, spilled, strict=True):
            for path in paths:
                self.add(kind, _sorted_rows(path))
        self.emit(store, pairs)

    def add(self, kind: str, rows: np.ndarray) -> None:
        """The pairs of `rows` (key, document), sorted by key then document."""
        files = self._files[kind]
        longest = STOCK_DF if kind == "fingerprint" else None
        for keys in _run_pairs(rows[:, 0], rows[:, 1], longest, self._BLOCK):
            part = (keys >> np.uint64(32)) % np.uint64(self.parts)
            for p in np.unique(part).tolist():
                keys[part == p].tofile(files[p])

    def emit(self, store: Store, pairs: _Pairs) -> None:
        """Add the candidate pairs to `pairs`, file by file (they share no pair)."""
        outlet = _outlet_table(store)
        for band_file, fp_file in zip(self._files["band"], self._files["fingerprint"], strict=True):
            band_file.flush()
            fp_file.flush()
            size = os.path.getsize(band_file.name) + os.path.getsize(fp_file.name)
            passes = self.budget.partitions(size * 3)
            for sub in range(passes):
                bands = np.unique(_keys_in(band_file.name, self.parts, passes, sub))
                keys, shared = np.unique(_keys_in(fp_file.name, self.parts, passes, sub), return_counts=True)
                keys = keys[shared >= MIN_SHARED_FINGERPRINTS]
                pairs.add(np.union1d(bands, _across_outlets(keys, outlet.take)))


def _run_pairs(keys: np.ndarray, docs: np.ndarray, longest: int | None, block: int) -> Iterator[np.ndarray]:
    """Pair keys (`_pair_keys`) of every two documents in a run of equal `keys` (runs longer
    than `longest` skipped), about `block` keys at a time (one long run may make more).
    Within a run `docs` ascend and repeat no document."""
    if len(keys) < 2:
        return
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    lengths = np.diff(np.r_[starts, len(keys)])
    keep = lengths >= 2
    if longest is not None:
        keep &= lengths <= longest
    starts, lengths = starts[keep], lengths[keep]
    made = np.cumsum(lengths * (lengths - 1) // 2)  # pairs made up to and with each run
    i = 0
    while i < len(starts):
        before = int(made[i - 1]) if i else 0
        j = max(i + 1, int(np.searchsorted(made, before + block, "right")))
        run_starts, run_lengths = starts[i:j], lengths[i:j]
        # Each row of a run pairs with the rows after it in the run.
        offset = np.arange(int(run_lengths.sum())) - np.repeat(
            np.cumsum(run_lengths) - run_lengths, run_lengths
        )
        row = np.repeat(run_starts, run_lengths) + offset
        after = np.repeat(run_lengths, run_lengths) - 1 - offset
        first = np.repeat(row, after)
        step = np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after)
        yield _pair_keys(docs[first], docs[first + 1 + step])
        i = j


def _keys_in(path: str, parts: int, passes: int, sub: int) -> np.ndarray:
    """The pair keys of one spill file; with several passes, those of pass `sub` (by low id)."""
    if passes == 1:
        return np.fromfile(path, dtype=np.uint64)
    picked = []
    with open(path, "rb") as f:
        while (block := np.fromfile(f, dtype=np.uint64, count=_Pairs._BLOCK)).size:
            picked.append(block[(block >> np.uint64(32)) // np.uint64(parts) % np.uint64(passes) == sub])
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.uint64)


def _outlet_table(store: Store) -> np.ndarray:
    """Every document's outlet id, indexed by document id; -1 for none (or no document)."""
    with store.session() as s:
        rows = _int_rows(
            s.connection(), sa.select(DocumentRow.id, sa.func.coalesce(DocumentRow.outlet_id, -1))
        )
    table = np.full(int(rows[:, 0].max()) + 1 if len(rows) else 1, -1, dtype=np.int64)
    table[rows[:, 0]] = rows[:, 1]
    return table


def _ensure_indexes(store: Store) -> None:
    """The index tables' secondary indexes, built again if a bulk link died without them."""
    with store.session() as s:
        for model in (LshBand, FingerprintPosting):
            for index in _table(model).indexes:
                index.create(s.connection(), checkfirst=True)


def _crossed_stock(store: Store, new: Sequence[int], parts: int) -> Iterator[int]:
    """Fingerprints that became stock with `new`: carried by more than STOCK_DF documents now,
    by no more before. The new documents' fingerprints are counted in numpy arrays (4 bytes a
    posting), a `parts`-th of the hashes (by hash modulo `parts`) per pass over `new`."""
    for part in range(parts):
        arrays: list[np.ndarray] = []
        with store.session() as s:
            for chunk in _in_chunks(new):
                q = sa.select(FingerprintPosting.hash).where(FingerprintPosting.document_id.in_(chunk))
                found = np.fromiter(s.scalars(q), dtype=np.int64)
                arrays.append(found[found % parts == part] if parts > 1 else found)
        hashes, fresh = np.unique(
            np.concatenate(arrays) if arrays else np.zeros(0, np.int64), return_counts=True
        )
        del arrays
        for i in range(0, len(hashes), _IN):
            sub = hashes[i : i + _IN]
            df = _document_frequency(store, sub.tolist())
            for h, n_fresh in zip(sub.tolist(), fresh[i : i + _IN].tolist(), strict=True):
                n = df.get(h, 0)
                if n > STOCK_DF >= n - n_fresh:
                    yield h


def _document_frequency(store: Store, hashes: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    with store.session() as s:
        for chunk in _in_chunks(sorted(hashes)):
            fp = FingerprintPosting
            q = sa.select(fp.hash, sa.func.count()).where(fp.hash.in_(chunk)).group_by(fp.hash)
            out.update({h: int(n) for h, n in s.execute(q)})
    return out


class _StockCache:
    """Which fingerprints are stock (in more than STOCK_DF documents), for one link run after
    indexing, while the index does not change.

    Either complete (`scanned`: every stock hash, from one pass over the index; nothing is
    looked up after) or learnt as asked: a stock hash is counted once and remembered, so the
    boilerplate every page of an outlet carries is not counted again for every chunk; the rest
    are counted each time they are asked about (at most STOCK_DF postings each) and not kept,
    so memory follows the stock set."""

    def __init__(self, known: np.ndarray | None = None) -> None:
        self.stock: set[int] = set(known.tolist()) if known is not None else set()
        self.complete = known is not None

    @classmethod
    def scanned(cls, store: Store) -> _StockCache:
        fp = FingerprintPosting
        q = sa.select(fp.hash).group_by(fp.hash).having(sa.func.count() > STOCK_DF)
        with store.session() as s:
            return cls(np.fromiter(s.connection().scalars(q), dtype=np.int64))

    def known(self) -> np.ndarray | None:
        """The complete stock set (to hand to workers), or None when it is learnt as asked."""
        return np.array(sorted(self.stock), dtype=np.int64) if self.complete else None

    def split(self, s: Session, hashes: Iterable[int]) -> tuple[set[int], set[int]]:
        """(stock, not stock) among `hashes`."""
        if self.complete:
            common = {h for h in hashes if h in self.stock}
            return common, {h for h in hashes if h not in common}
        unknown = sorted({h for h in hashes if h not in self.stock})
        common = {h for h in hashes if h in self.stock}
        fp = FingerprintPosting
        for chunk in _in_chunks(unknown):
            q = sa.select(fp.hash).where(fp.hash.in_(chunk)).group_by(fp.hash)
            common.update(s.connection().scalars(q.having(sa.func.count() > STOCK_DF)))
        self.stock |= common
        return common, set(unknown) - common


def _stock_crossings(store: Store, crossed: Sequence[int], new: set[int]) -> set[int]:
    """Fingerprints that just became stock: the old documents carrying them change (their
    passages may now be stock), and old pairs proposed only through them are no candidates."""
    carriers: set[int] = set()
    with store.session() as s:
        for chunk in _in_chunks(crossed):
            carriers.update(
                s.scalars(sa.select(FingerprintPosting.document_id).where(FingerprintPosting.hash.in_(chunk)))
            )
        old = carriers - new
        stale = []
        for chunk in _in_chunks(sorted(old)):
            for a, b in s.execute(sa.select(MatchRow.doc_a, MatchRow.doc_b).where(MatchRow.doc_a.in_(chunk))):
                if b in old and not _is_candidate(s, a, b):
                    stale.append((a, b))
        for a, b in stale:
            s.execute(sa.delete(MatchRow).where(MatchRow.doc_a == a, MatchRow.doc_b == b))
    return carriers


def _is_candidate(s: Session, a: int, b: int) -> bool:
    """The candidate rule for one pair of indexed documents, on the index as it is now."""
    bands = [set(s.scalars(sa.select(LshBand.band).where(LshBand.document_id == d))) for d in (a, b)]
    if bands[0] & bands[1]:
        return True
    fp = FingerprintPosting
    shared = (
        sa.select(fp.hash).where(fp.document_id == a).intersect(sa.select(fp.hash).where(fp.document_id == b))
    )
    hashes = list(s.scalars(shared))
    if len(hashes) < MIN_SHARED_FINGERPRINTS or _same_outlet(s, a, b):
        return False
    df = dict(
        s.execute(sa.select(fp.hash, sa.func.count()).where(fp.hash.in_(hashes)).group_by(fp.hash)).all()
    )
    return sum(1 for h in hashes if df.get(h, 0) <= STOCK_DF) >= MIN_SHARED_FINGERPRINTS


def _same_outlet(s: Session, a: int, b: int) -> bool:
    outlets = s.execute(sa.select(DocumentRow.outlet_id).where(DocumentRow.id.in_((a, b)))).scalars().all()
    return len(outlets) == 2 and outlets[0] is not None and outlets[0] == outlets[1]


def _candidate_pairs(store: Store, new: Sequence[int], pairs: _Pairs, workers: _Workers) -> None:
    """Pairs (low id, high id) with at least one new document that share a band or enough
    non-stock fingerprints (fingerprint pairs only across outlets: one outlet's pages share
    its house style, and its real duplicates are near-duplicates, found by LSH), added to
    `pairs` a chunk of new documents at a time (`_candidate_task`, on the workers when there
    are any: it only reads the index). A pair of two new documents is found from the chunks
    of both and kept by the first, so no chunk needs to know the others' pairs."""
    ranges = _IdRanges.of(new)
    tasks = ((chunk, ranges) for chunk in _in_chunks(new))
    for _, keys in workers.map_ordered(_candidate_task, tasks, len(new)):
        pairs.add(keys)


@dataclass(frozen=True)
class _IdRanges:
    """A sorted set of document ids as runs of consecutive ids: the new documents of a link are
    mostly one or a few runs (a crawl's pages are stored in order), so every candidate task can
    carry the whole set."""

    starts: np.ndarray
    ends: np.ndarray  # inclusive

    @classmethod
    def of(cls, ids: Sequence[int]) -> _IdRanges:
        values = np.unique(np.asarray(ids, dtype=np.int64))
        cut = np.flatnonzero(np.diff(values) != 1) + 1
        return cls(
            values[np.r_[0, cut]] if len(values) else values,
            values[np.r_[cut - 1, -1]] if len(values) else values,
        )

    def contains(self, docs: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.starts, docs, "right") - 1
        inside = at >= 0
        out = np.zeros(len(docs), dtype=bool)
        out[inside] = docs[inside] <= self.ends[at[inside]]
        return out


def _candidate_task(task: _Task[tuple[list[int], _IdRanges]]) -> np.ndarray:
    """The candidate pair keys of one chunk of new documents (sorted, unique).

    Everything past the SQL reads is numpy: the postings of a chunk are joined with the
    postings sharing their key (`_join`), so the cost per candidate is a few array entries, not
    a Python loop step (the loops were half of `link --full`)."""
    store, stock = task.open()
    chunk, new = task.item
    fp = FingerprintPosting
    with store.session() as s:
        conn = s.connection()  # Core rows: the ORM's row loading costs more than the query
        first = chunk[0]  # a new document below it is an earlier chunk's: so are its pairs
        mine = np.asarray(chunk, dtype=np.int64)
        band_rows = _int_rows(
            conn, sa.select(LshBand.band, LshBand.document_id).where(LshBand.document_id.in_(chunk))
        )
        bands = np.unique(band_rows[:, 0])
        sharing = _int_rows_in(
            conn,
            lambda ks: sa.select(LshBand.band, LshBand.document_id).where(LshBand.band.in_(ks)),
            bands,
        )
        doc, other = _join(band_rows, sharing)
        keep = (other != doc) & ~_earlier_new(other, first, new)
        found = [_pair_keys(doc[keep], other[keep])]
        hash_rows = _int_rows(conn, sa.select(fp.hash, fp.document_id).where(fp.document_id.in_(chunk)))
        # Stock fingerprints propose nothing: their (many) postings are never read.
        _, usable_set = stock.split(s, np.unique(hash_rows[:, 0]).tolist())
        usable = np.array(sorted(usable_set), dtype=np.int64)
        hash_rows = hash_rows[np.isin(hash_rows[:, 0], usable)]
        postings = _int_rows_in(
            conn, lambda hs: sa.select(fp.hash, fp.document_id).where(fp.hash.in_(hs)), usable
        )
        doc, other = _join(hash_rows, postings)
        # A pair of two documents of this chunk is met from both sides: count it once (from
        # its lower id), or it would need half the shared fingerprints.
        keep = (other != doc) & ~(np.isin(other, mine) & (other < doc)) & ~_earlier_new(other, first, new)
        keys, shared = np.unique(_pair_keys(doc[keep], other[keep]), return_counts=True)
        keys = keys[shared >= MIN_SHARED_FINGERPRINTS]
        found.append(_across_outlets(keys, _outlet_array(s, np.union1d(*_pair_ids(keys)))))
        return np.unique(np.concatenate(found))


def _int_rows(conn: sa.Connection, q: sa.Select[int, int]) -> np.ndarray:
    """The rows of a query of two integer columns, as an (n, 2) int64 array."""
    result = conn.execute(q)
    # The DBAPI cursor's fetchall: no Row object, no per-row fetch call (millions at 10k docs).
    flat = np.fromiter(chain.from_iterable(result.cursor.fetchall()), dtype=np.int64)
    result.close()
    return flat.reshape(-1, 2)


def _int_rows_in(
    conn: sa.Connection, query: Callable[[list[int]], sa.Select[int, int]], keys: np.ndarray
) -> np.ndarray:
    """`_int_rows` of `query(some keys)` over all `keys`, _IN keys a statement."""
    parts = [_int_rows(conn, query(ks)) for ks in _in_chunks(keys.tolist())]
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


def _join(mine: np.ndarray, theirs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (my document, their document) pair of rows (key, document) with an equal key: their
    rows sorted by key, each of my rows repeated over its key's run."""
    order = np.argsort(theirs[:, 0], kind="stable")
    their_keys, their_docs = theirs[order, 0], theirs[order, 1]
    lo = np.searchsorted(their_keys, mine[:, 0], "left")
    n = np.searchsorted(their_keys, mine[:, 0], "right") - lo
    total = int(n.sum())
    doc = np.repeat(mine[:, 1], n)
    # Position of each output row in its run, added to the run's start.
    at = np.repeat(lo - (np.cumsum(n) - n), n) + np.arange(total)
    return doc, their_docs[at]


def _earlier_new(other: np.ndarray, first: int, new: _IdRanges) -> np.ndarray:
    """Whether each document is new and below `first`: an earlier chunk's, which found its pairs."""
    below = other < first
    out = np.zeros(len(other), dtype=bool)
    if below.any():
        out[below] = new.contains(other[below])
    return out


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """uint64 keys (low id << 32 | high id) of the pairs (a[i], b[i])."""
    if len(a) and int(max(a.max(), b.max())) >= 1 << 32:
        raise ValueError("document ids beyond 2**32 do not fit a pair key")
    lo, hi = np.minimum(a, b).astype(np.uint64), np.maximum(a, b).astype(np.uint64)
    return (lo << np.uint64(32)) | hi


def _pair_ids(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (low ids, high ids) of pair keys: `_pair_keys` undone."""
    return (keys >> np.uint64(32)).astype(np.int64), (keys & np.uint64(0xFFFF_FFFF)).astype(np.int64)


def _across_outlets(keys: np.ndarray, outlet_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The pair keys whose documents are of different outlets, or of no known one (-1 from
    `outlet_of`): one outlet's pages share its house style, so fingerprints propose only pairs
    across outlets (its real duplicates are near-duplicates, found by LSH)."""
    lo, hi = (outlet_of(ids) for ids in _pair_ids(keys))
    return keys[(lo < 0) | (lo != hi)]


def _outlet_array(s: Session, ids: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A lookup of the outlet id of each of `ids` (sorted) as an array function; -1 for none."""
    outlet_of = _outlets_of(s, set(ids.tolist()))
    values = np.array([-1 if (o := outlet_of.get(i)) is None else o for i in ids.tolist()], dtype=np.int64)

    def lookup(docs: np.ndarray) -> np.ndarray:
        return values[np.searchsorted(ids, docs)]

    return lookup


def _outlets_of(s: Session, ids: set[int]) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for chunk in _in_chunks(sorted(ids)):
        out.update(
            dict(
                s.execute(
                    sa.select(DocumentRow.id, DocumentRow.outlet_id).where(DocumentRow.id.in_(chunk))
                ).all()
            )
        )
    return out


# -- verification ------------------------------------------------------------------------------
def _verify(
    store: Store,
    pairs: _Pairs,
    budget: _Budget,
    on_progress: Callable[[str, int, int], None] | None,
    workers: _Workers,
) -> Counter[str]:
    """Compare every candidate pair on the bodies and store the matches that are not `none`.

    Pairs are taken a connected group at a time so each body is read and shingled once per
    group; groups larger than CHUNK_DOCS are split by pair order (a bounded body cache). The
    groups are partitioned (by component label) so one partition's pairs fit the budget."""
    verified: Counter[str] = Counter()
    done = 0
    labels = pairs.component_labels()
    parts = budget.partitions(len(pairs) * 24)
    for part in range(parts):
        keys = pairs.in_partition(labels, parts, part)
        for group, counts in workers.map_ordered(_verify_task, _pair_groups(keys, labels), len(keys)):
            verified.update(counts)
            done += len(group)
            if on_progress:
                on_progress("verifying", done, len(pairs))
    return verified


def _verify_task(task: _Task[list[tuple[int, int]]]) -> Counter[str]:
    """Compare one group of pairs and store its matches (in one transaction; the worker writes
    them, so the linking process is not every worker's writer); how many of each kind.
    Run twice (a cluster re-runs the task of a lost worker), it stores each match once."""
    store, _ = task.open()
    group = task.item
    texts = Texts(_bodies(store, sorted({d for p in group for d in p})))
    counts: Counter[str] = Counter()
    rows = []
    for a, b in group:
        if a not in texts.texts or b not in texts.texts:
            continue  # deleted since the pair was proposed: its cascade took the rest
        m = texts.compare(a, b)
        counts[m.kind] += 1
        if m.kind != "none":
            rows.append(_match_row(a, b, m))
    with store.session() as s:
        _insert_tuples(s.connection(), MatchRow, _MATCH_COLUMNS, rows, skip_stored=True)
    return counts


def _pair_graph(nodes: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
    """The pairs (a[i], b[i]) of document ids as a scipy sparse graph over `nodes` (sorted ids,
    every end among them), with each end's position in `nodes`."""
    from scipy.sparse import coo_matrix

    ia, ib = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
    n = len(nodes)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (ia, ib)), shape=(n, n)).tocsr()
    return graph, ia, ib


def _pair_groups(keys: np.ndarray, labels: np.ndarray) -> Iterator[list[tuple[int, int]]]:
    """The pairs of `keys` a connected group after another, cut where a batch would hold more
    than CHUNK_DOCS documents.

    A component larger than that is cut by pair order, and a document whose pairs fall in
    several batches is read and shingled once for each. So pairs are ordered by a reverse
    Cuthill-McKee numbering of the documents (scipy's: a breadth-first order that keeps every
    pair's two ends close, one component after another): by the later end's number, then the
    earlier's. A batch then spans a window of neighbouring documents, and few documents recur
    in the next one (a 10k crawl, whose largest component has 37,564 pairs: 9,895 documents
    shingled in verification in 5 batches, against 21,683 in 11 by component and pair)."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    if not len(keys):
        return
    a, b = _pair_ids(keys)
    nodes = np.unique(np.concatenate([a, b]))
    graph, ia, ib = _pair_graph(nodes, a, b)
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[reverse_cuthill_mckee(graph, symmetric_mode=False)] = np.arange(len(nodes))
    ra, rb = rank[ia], rank[ib]
    order = np.lexsort((keys, np.minimum(ra, rb), np.maximum(ra, rb)))
    batch: list[tuple[int, int]] = []
    docs: set[int] = set()
    for key in keys[order].tolist():
        p = (key >> 32, key & 0xFFFF_FFFF)
        adds = sum(1 for d in p if d not in docs)
        if len(docs) + adds > CHUNK_DOCS and batch:
            yield batch
            batch, docs = [], set()
        batch.append(p)
        docs.update(p)
    if batch:
        yield batch


class _Budget:
    """The memory linking may use for its large arrays: a quarter of `--memory-limit` (the rest
    is the interpreter, the store's caches and one chunk's bodies); unbounded without one."""

    def __init__(self, memory_limit: int | None) -> None:
        self.arrays = None if memory_limit is None else max(1, memory_limit // 4)

    def partitions(self, needed: int) -> int:
        """Passes that keep `needed` bytes within the budget (each pass costs a read of the
        index or of the pairs, so an absurd limit is capped at MAX_PARTITIONS passes)."""
        return 1 if self.arrays is None else max(1, min(MAX_PARTITIONS, -(-needed // self.arrays)))


class _Pairs:
    """Candidate pairs as uint64 keys (low id << 32 | high id): 8 bytes a pair instead of a
    Python tuple's ~100, kept in memory up to the budget, appended to a temporary file beyond."""

    _BLOCK = 1 << 20  # keys per block read back from the file

    def __init__(self, budget: _Budget) -> None:
        self.limit = None if budget.arrays is None else budget.arrays // 8
        self._memory: list[np.ndarray] = []
        self._held = 0
        self._file: Any = None
        self.count = 0
        self.max_id = 0

    def __enter__(self) -> _Pairs:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    def __len__(self) -> int:
        return self.count

    def add(self, keys: np.ndarray) -> None:
        """Add pair keys (`_pair_keys`), sorted and unique."""
        if not len(keys):
            return
        self.count += len(keys)
        self.max_id = max(self.max_id, int((keys & np.uint64(0xFFFF_FFFF)).max()))
        if self.limit is not None and self._held + len(keys) > self.limit:
            if self._file is None:
                # Closed by __exit__ (link_corpus holds the pairs in a with block).
                self._file = tempfile.TemporaryFile(prefix="presslens-pairs-")  # noqa: SIM115
            keys.tofile(self._file)
        else:
            self._memory.append(keys)
            self._held += len(keys)

    def blocks(self) -> Iterator[np.ndarray]:
        yield from self._memory
        if self._file is not None:
            self._file.flush()
            self._file.seek(0)
            while (block := np.fromfile(self._file, dtype=np.uint64, count=self._BLOCK)).size:
                yield block

    def in_partition(self, labels: np.ndarray, parts: int, part: int) -> np.ndarray:
        """The keys whose component label is `part` modulo `parts`."""
        picked = [b[labels[(b >> 32).astype(np.int64)] % parts == part] for b in self.blocks()]
        return np.concatenate(picked) if picked else np.zeros(0, dtype=np.uint64)

    def component_labels(self) -> np.ndarray:
        """For each document id, the smallest id of its connected component of pairs: label
        propagation with pointer jumping, a pass over the pair blocks per round."""
        parent = np.arange(self.max_id + 1, dtype=np.int64)
        changed = True
        while changed:
            changed = False
            for block in self.blocks():
                a, b = (parent[ids] for ids in _pair_ids(block))
                lo, hi = np.minimum(a, b), np.maximum(a, b)
                moved = lo != hi
                if moved.any():
                    np.minimum.at(parent, hi[moved], lo[moved])
                    changed = True
            while not np.array_equal(jumped := parent[parent], parent):
                parent = jumped
        return parent


_MATCH_COLUMNS = ("doc_a", "doc_b", "kind", "jaccard", "contain_a", "contain_b", "passages")


def _match_row(a: int, b: int, m: Match) -> tuple[Any, ...]:
    passages = [[p.a_start, p.a_end, p.b_start, p.b_end, p.words] for p in m.passages]
    return (a, b, m.kind, m.jaccard, m.contain_a, m.contain_b, json.dumps(passages))


def _match_of(row: Sequence[Any]) -> Match:
    _a, _b, kind, jac, ca, cb, passages = row
    return Match(kind, jac, ca, cb, [Passage(*p) for p in json.loads(passages)])


# -- components ----------------------------------------------------------------------------------
def _component_chunks(store: Store, touched: set[int]) -> Iterator[list[list[int]]]:
    """The connected components (over stored matches) of the touched documents, a chunk of
    about CHUNK_DOCS documents at a time, in the order of each component's lowest touched
    document.

    One breadth-first search from all touched documents at once (a level is a few IN queries,
    whatever the number of components), then scipy's connected components over the matches it
    read: a search per component cost a round of queries each (110k documents: 21 s)."""
    from scipy.sparse.csgraph import connected_components

    present = np.array(sorted(_existing(store, touched)), dtype=np.int64)
    if not len(present):
        return
    found: list[np.ndarray] = []
    reached = set(present.tolist())
    frontier = present.tolist()
    with store.session() as s:
        conn = s.connection()
        while frontier:
            level = _int_rows_in(
                conn,
                lambda ids: sa.select(MatchRow.doc_a, MatchRow.doc_b).where(
                    sa.or_(MatchRow.doc_a.in_(ids), MatchRow.doc_b.in_(ids))
                ),
                np.asarray(frontier, dtype=np.int64),
            )
            found.append(level)
            ends = set(np.unique(level).tolist())
            frontier = sorted(ends - reached)
            reached |= ends
    pairs = np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), dtype=np.int64)
    nodes = np.array(sorted(reached), dtype=np.int64)
    n = len(nodes)
    graph, _, _ = _pair_graph(nodes, pairs[:, 0], pairs[:, 1])
    _, label = connected_components(graph, directed=False)
    # A component comes where its lowest touched document comes (present is sorted).
    first = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, label[np.searchsorted(nodes, present)], np.arange(len(present)))
    by_first = np.argsort(first[label], kind="stable")  # nodes sorted by id within a component
    cuts = np.flatnonzero(np.diff(label[by_first])) + 1
    chunk: list[list[int]] = []
    size = 0
    for members in np.split(nodes[by_first], cuts):
        chunk.append(members.tolist())
        size += len(members)
        if size >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _existing(store: Store, ids: set[int]) -> set[int]:
    out: set[int] = set()
    with store.session() as s:
        for chunk in _in_chunks(sorted(ids)):
            out.update(s.scalars(sa.select(DocumentRow.id).where(DocumentRow.id.in_(chunk))))
    return out


@dataclass
class _Decided:
    edges: list[Edge]
    external: list[ExternalCredit]
    infos: dict[int, DocInfo]
    clusters: int


def _decide_task(task: _Task[list[list[int]]]) -> _Decided:
    """Decide one chunk of components (reads only; `_write_chunk` stores the outcome)."""
    store, stock_cache = task.open()
    chunk = task.item
    ids = [i for comp in chunk for i in comp]
    infos = _infos(store, ids)
    texts = Texts(_bodies(store, ids))
    wrappers = _boilerplate(store, ids)
    matches = _matches(store, ids)
    stock = _stock(store, ids, stock_cache)
    edges: list[Edge] = []
    external: list[ExternalCredit] = []
    clusters = 0
    # Each match to its component in one pass: filtering the chunk's matches once per component
    # cost components x matches (2 s of a 25 s link of 1,000 pages into 9,000).
    component_of = {d: c for c, members in enumerate(chunk) for d in members}
    by_component: list[dict[tuple[int, int], Match]] = [{} for _ in chunk]
    for pair, m in matches.items():
        c = component_of.get(pair[0])
        if c is not None:
            by_component[c][pair] = m
    for members, comp_matches in zip(chunk, by_component, strict=True):
        comp = Component(members, comp_matches, infos, texts, wrappers, stock)
        decided = decide(comp)
        edges.extend(decided.edges)
        external.extend(decided.external)
        clusters += decided.clusters
    return _Decided(edges, external, infos, clusters)


def _write_chunk(store: Store, chunk: list[list[int]], decided: _Decided) -> list[Edge]:
    """Replace the chunk's edges by the decided ones, credits to outside outlets resolved here
    (they may create placeholder outlets: one writer, in chunk order, so their ids are stable)."""
    ids = [i for comp in chunk for i in comp]
    with store.session() as s:
        edges = decided.edges + _credit_edges(s, decided.external, decided.infos)
        edges = sorted_edges(edges, decided.infos)
        for sub in _in_chunks(ids):
            e = SyndicationEdge
            s.execute(sa.delete(e).where(sa.or_(e.target_id.in_(sub), e.source_id.in_(sub))))
        rows = [e.row() for e in edges]
        for i in range(0, len(rows), 1000):
            s.execute(sa.insert(_table(SyndicationEdge)), rows[i : i + 1000])
    return edges


def _infos(store: Store, ids: Sequence[int]) -> dict[int, DocInfo]:
    out: dict[int, DocInfo] = {}
    with store.session() as s:
        for chunk in _in_chunks(sorted(ids)):
            q = (
                sa.select(
                    DocumentRow.id,
                    DocumentRow.key,
                    DocumentRow.url,
                    DocumentRow.canonical_url,
                    Outlet.name,
                    Outlet.domain,
                    DocumentRow.published,
                    DocumentRow.words,
                )
                .outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)
                .where(DocumentRow.id.in_(chunk))
            )
            for r in s.connection().execute(q):
                out[r[0]] = DocInfo(*r)
            for doc_id, name, url in s.connection().execute(_annotations_of("credit", chunk)):
                out[doc_id].credits.append((name or None, url))
    return out


def _annotations_of(kind: str, ids: Sequence[int]) -> sa.Select[int, str, str | None]:
    """(document, label, value) of the `kind` annotations of `ids`, in the order they were
    written; found by the (document, kind) index, whatever the store's size (migration 0005)."""
    a = AnnotationRow
    return (
        sa.select(a.document_id, a.label, a.value)
        .where(a.document_id.in_(ids), a.kind == kind)
        .order_by(a.id)
    )


def _bodies(store: Store, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    with store.session() as s:
        for chunk in _in_chunks(ids):
            q = sa.select(DocumentRow.id, DocumentRow.body_text).where(DocumentRow.id.in_(chunk))
            out.update({i: t for i, t in s.connection().execute(q)})
    return out


def _boilerplate(store: Store, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    with store.session() as s:
        for chunk in _in_chunks(ids):
            for doc_id, label, value in s.connection().execute(_annotations_of("boilerplate", chunk)):
                out.setdefault(doc_id, []).append((label, value or ""))
    return out


def _matches(store: Store, ids: Sequence[int]) -> dict[tuple[int, int], Match]:
    out: dict[tuple[int, int], Match] = {}
    with store.session() as s:
        for chunk in _in_chunks(sorted(ids)):
            q = sa.select(
                MatchRow.doc_a,
                MatchRow.doc_b,
                MatchRow.kind,
                MatchRow.jaccard,
                MatchRow.contain_a,
                MatchRow.contain_b,
                MatchRow.passages,
            ).where(MatchRow.doc_a.in_(chunk))
            for row in s.connection().execute(q):
                out[(row[0], row[1])] = _match_of(row)
    return out


def _stock(store: Store, ids: Sequence[int], cache: _StockCache) -> np.ndarray:
    """The fingerprints of these documents that more than STOCK_DF documents carry."""
    hashes: set[int] = set()
    with store.session() as s:
        for chunk in _in_chunks(sorted(ids)):
            hashes.update(
                s.connection().scalars(
                    sa.select(FingerprintPosting.hash).where(FingerprintPosting.document_id.in_(chunk))
                )
            )
        common, _ = cache.split(s, hashes)
    return np.array(sorted(common), dtype=np.uint64)


# -- credited originals outside the crawl ------------------------------------------------------
def _credit_edges(s: Session, external: list[ExternalCredit], infos: dict[int, DocInfo]) -> list[Edge]:
    """An outlet node and a `copy` edge (kind `credit`) for each credit naming no document."""
    if not external:
        return []
    resolver = _OutletResolver(s)
    out = []
    for ext in external:
        outlet_id = resolver.resolve(ext.name, ext.url, _links(s, ext.target_id))
        if outlet_id is None:
            continue
        out.append(
            Edge(
                None,
                ext.target_id,
                "copy",
                CREDIT,
                0.0,
                None,
                ["credit"],
                source_outlet_id=outlet_id,
            )
        )
    return out


def _links(s: Session, doc_id: int) -> list[str]:
    return list(s.scalars(sa.select(LinkRow.url).where(LinkRow.document_id == doc_id).order_by(LinkRow.id)))


class _OutletResolver:
    """Finds the outlet a credit names: an outlet of the crawl whose name or domain answers to
    the credit, else a placeholder outlet (no documents) named by the credit, created once."""

    def __init__(self, s: Session) -> None:
        self.s = s
        with_docs = (
            sa.select(Outlet.id, Outlet.name, Outlet.domain)
            .where(sa.exists().where(DocumentRow.outlet_id == Outlet.id))
            .order_by(Outlet.name)
        )
        self.keyed: dict[str, int] = {}
        for oid, name, domain in s.execute(with_docs):
            for key in sorted(outlet_keys(name, domain)):
                self.keyed.setdefault(key, oid)

    def resolve(self, name: str | None, url: str | None, links: list[str]) -> int | None:
        domain = registered_domain(url) if url else None
        if domain is None and name:
            # A credit without a URL: the page often links to the original's site somewhere.
            domain = next(
                (
                    d
                    for link in links
                    if (d := registered_domain(link)) and domain_label(d) == norm_name(name)
                ),
                None,
            )
        for key in ([norm_name(name)] if name else []) + [
            k for k in (domain and norm_name(domain), domain_label(domain)) if k
        ]:
            if key in self.keyed:
                return self.keyed[key]
        label = (name or domain or "").strip()
        if not label:
            return None
        found = self.s.scalar(sa.select(Outlet.id).where(sa.func.lower(Outlet.name) == label.lower()))
        if found is None:
            outlet = Outlet(name=label, domain=domain)
            self.s.add(outlet)
            self.s.flush()
            found = outlet.id
        for key in outlet_keys(label, domain):
            self.keyed.setdefault(key, found)
        return int(found)


def _credit_takeovers(store: Store) -> set[int]:
    """Pages whose credit edge comes from a placeholder outlet that an outlet of the crawl now
    answers to (its first page arrived after the credit): their components are re-decided."""
    with store.session() as s:
        e = SyndicationEdge
        placeholders = s.execute(
            sa.select(Outlet.id, Outlet.name, Outlet.domain).where(
                sa.exists().where(e.source_outlet_id == Outlet.id),
                ~sa.exists().where(DocumentRow.outlet_id == Outlet.id),
            )
        ).all()
        if not placeholders:
            return set()
        resolver = _OutletResolver(s)
        moved = [oid for oid, name, domain in placeholders if outlet_keys(name, domain) & set(resolver.keyed)]
        if not moved:
            return set()
        return set(s.scalars(sa.select(e.target_id).where(e.source_outlet_id.in_(moved))))


def _insert_tuples(
    conn: sa.Connection,
    model: type[Base],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    skip_stored: bool = False,
) -> None:
    """INSERT plain tuples straight through the driver's executemany: the index holds ~115 rows
    a document, and SQLAlchemy's per-row parameter building cost a third of indexing (a 10k
    link's index: 6.9 s, 2.3 of them building parameters). `skip_stored`: a row whose primary
    key is stored already is skipped (ON CONFLICT DO NOTHING: SQLite and PostgreSQL)."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {_table(model).name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
        f"{' ON CONFLICT DO NOTHING' if skip_stored else ''}"
    )
    # The DBAPI cursor itself, in the connection's transaction: SQLAlchemy would want every row
    # a tuple, and converting the index's lists of two ints cost more than inserting them.
    cursor = conn.connection.cursor()
    try:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])
    finally:
        cursor.close()


def _table(model: type[Base]) -> sa.Table:
    """The model's table: inserting into it is one Core executemany, not the ORM's bulk path."""
    return cast(sa.Table, model.__table__)


def _in_chunks(ids: Iterable[int], n: int = _IN) -> Iterator[list[int]]:
    ids = list(ids)
    for i in range(0, len(ids), n):
        yield ids[i : i + n]
