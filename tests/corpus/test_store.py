"""The store: schema migrated on open, batches written whole, keys unique, errors as StorageError."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from presslens.corpus.search import SearchQuery, search
from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store
from presslens.errors import StorageError
from tests.corpus.factory import ARTICLE, OTHER, day, record


def test_open_twice_migrates_once_and_keeps_data(store_url: str) -> None:
    first = Store(store_url)
    first.add_batch([record("https://a.org/1", ARTICLE)])
    first.close()
    again = Store(store_url)
    assert again.count_documents() == 1
    with again.session() as s:
        assert s.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()


def test_batch_is_idempotent_and_keys_are_unique(store: Store) -> None:
    batch = [record("https://a.org/1", ARTICLE, published=day(1)), record("https://b.org/2", OTHER)]
    assert store.add_batch(batch) == 2
    assert store.add_batch(batch + batch) == 0  # already stored, and duplicates inside a batch
    assert store.count_documents() == 2
    assert store.existing_keys([batch[0].key, "nope"]) == {batch[0].key}


def test_document_round_trips_and_outlet_comes_from_the_domain(store: Store) -> None:
    rec = record("https://www.globalresearch.ca/video/5699", ARTICLE, published=day(6))
    store.add_batch([rec])
    with store.session() as s:
        row = s.execute(sa.select(DocumentRow.id, Outlet.name).join(Outlet)).one()
        kinds = set(s.scalars(sa.select(AnnotationRow.kind).where(AnnotationRow.document_id == row.id)))
    assert row.name == "globalresearch.ca"
    doc = store.document(row.id)
    assert doc is not None and doc.body is not None and doc.body.text == ARTICLE
    assert store.document(row.id + 1) is None
    assert "boilerplate" not in kinds  # no wrapper on this page


def test_outlet_named_by_the_record_wins_over_the_domain(store: Store) -> None:
    store.add_batch([record("https://www.globalresearch.ca/x", ARTICLE, outlet="Global Research")])
    with store.session() as s:
        row = s.execute(sa.select(Outlet.name, Outlet.domain)).one()
    assert tuple(row) == ("Global Research", "globalresearch.ca")


def test_full_text_search_with_filters(store: Store) -> None:
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published="2020-01-06"),
            record("https://who.example.org/b", OTHER, published="2019-11-01"),
        ]
    )

    def urls(query: SearchQuery) -> list[str | None]:
        return [h.url for h in search(store, query).hits.items]

    hits = search(store, SearchQuery("Soleimani martyr")).hits.items
    assert [h.url for h in hits] == ["https://southfront.org/a"]
    assert "[" in hits[0].snippet or store.dialect != "sqlite"
    assert urls(SearchQuery("plague", outlet="southfront.org")) == []
    assert urls(SearchQuery(start="2020-01")) == ["https://southfront.org/a"]
    assert urls(SearchQuery(end="2019-12")) == ["https://who.example.org/b"]
    assert urls(SearchQuery('OR "unbalanced')) == []  # operators in the input are words, not syntax


def test_unusable_database_is_a_one_line_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError) as err:
        Store(f"sqlite:///{blocker}/corpus.sqlite")
    assert "\n" not in str(err.value)


def test_a_failed_batch_leaves_earlier_data_untouched(store: Store) -> None:
    store.add_batch([record("https://a.org/1", ARTICLE)])
    bad = record("https://b.org/2", OTHER)
    bad.body_text = None  # type: ignore[assignment]  # violates NOT NULL inside the transaction
    with pytest.raises(StorageError):
        store.add_batch([record("https://c.org/3", OTHER.upper()), bad])
    assert store.count_documents() == 1  # the whole batch rolled back, nothing half-written


def _head() -> str:
    """The newest migration's revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from presslens.corpus.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_the_migrations_build_the_tables_and_indexes_the_models_declare(store_url: str) -> None:
    """What the models say (and the code's queries are written for) is what a migrated store
    has: no table or index one side lacks. Column types are left out (SQLite reports a Double
    as FLOAT), and so are the full-text tables and index the migrations add by hand."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from presslens.corpus.store import Base

    store = Store(store_url)
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    structural = [
        (d[0], getattr(d[1], "name", d[1]))
        for d in flat
        if d[0] in ("add_table", "remove_table", "add_index", "remove_index", "add_column", "remove_column")
    ]
    assert [d for d in structural if "fts" not in str(d[1])] == []


def test_a_chunks_annotations_of_one_kind_are_found_by_document_not_by_scanning_the_kind(
    tmp_path: Path,
) -> None:
    """Linking reads each chunk's credits and wrapper lines; found through the kind index, the
    query read every annotation of that kind in the store for every chunk (quadratic)."""
    from presslens.corpus.linking import _annotations_of

    store = Store(f"sqlite:///{tmp_path / 'plan.sqlite'}")
    query = _annotations_of("credit", [1, 2, 3]).compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
    store.close()
    assert "ix_annotations_document_kind (document_id=? AND kind=?)" in plan, plan


def _store_at(store_url: str, revision: str) -> Store:
    """A store migrated only up to `revision`, as an older presslens left it."""
    from alembic import command
    from alembic.config import Config

    from presslens.corpus.store import MIGRATIONS

    old = Store(store_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return old


def test_upgrading_a_store_from_0001_keeps_its_edges_and_names_their_relations(store_url: str) -> None:
    from presslens.corpus.graph import edges

    old = _store_at(store_url, "0001")
    old.add_batch([record(f"https://o{i}.org/a", ARTICLE, published=day(i)) for i in range(3)])
    with old.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
        for target, kind in ((ids[1], "near"), (ids[2], "passage")):
            conn.execute(
                sa.text(
                    "INSERT INTO syndication_edges (source_id, target_id, kind, similarity, evidence, "
                    "wrapper, passages) VALUES (:s, :t, :k, 0.9, '[\"date\"]', '[]', '[]')"
                ),
                {"s": ids[0], "t": target, "k": kind},
            )
    old.close()
    upgraded = Store(store_url)
    found = {e.target.url: (e.relation, e.kind, e.directed) for e in edges(upgraded)}
    assert found == {
        "https://o1.org/a": ("copy", "near", True),
        "https://o2.org/a": ("reuse", "passage", True),
    }
    with upgraded.session() as s:
        assert s.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
    upgraded.close()


def test_stores_opened_by_threads_at_once_all_migrate(tmp_path: Path) -> None:
    """Alembic's proxies are process globals: without a lock, two threads opening a store at the
    same moment failed with KeyError('script') (seen with a poller beside a cluster ingest)."""
    import threading

    n = 6
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def open_one(i: int) -> None:
        barrier.wait()
        try:
            Store(f"sqlite:///{tmp_path / f'c{i}.sqlite'}").close()
        except BaseException as exc:
            errors.append(exc)

    for _ in range(3):
        threads = [threading.Thread(target=open_one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_upgrading_a_linked_store_to_0004_links_it_again_to_the_same_graph(store_url: str) -> None:
    """On SQLite 0004 makes the linker's index tables again, without rowid and empty: the next
    `link` indexes every document and gives the graph the store had. PostgreSQL keeps its index."""
    from presslens.corpus.graph import edges
    from presslens.corpus.linking import link_corpus

    old = _store_at(store_url, "0003")
    old.add_batch([record(f"https://o{i}.org/a", ARTICLE, published=day(i)) for i in range(3)])
    link_corpus(old)
    before = {(e.source.url, e.target.url, e.relation) for e in edges(old)}
    assert before
    old.close()
    upgraded = Store(store_url)
    sqlite = upgraded.dialect == "sqlite"
    with upgraded.session() as s:
        assert (s.scalar(sa.text("SELECT count(*) FROM syndication_index")) == 0) == sqlite
        assert (s.scalar(sa.text("SELECT count(*) FROM lsh_bands")) == 0) == sqlite
        if sqlite:
            ddl = s.scalar(sa.text("SELECT sql FROM sqlite_master WHERE name = 'fingerprint_postings'"))
            assert "WITHOUT ROWID" in ddl
    assert link_corpus(upgraded).documents == (3 if sqlite else 0)
    assert {(e.source.url, e.target.url, e.relation) for e in edges(upgraded)} == before
    upgraded.close()


def test_a_connection_that_cannot_check_again_is_never_pooled(tmp_path: Path) -> None:
    """If foreign keys cannot be switched back on after unchecked writes, that connection is
    discarded: every later session still checks references."""
    store = Store(f"sqlite:///{tmp_path / 'c.sqlite'}")
    failing = {"on": True}

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def refuse(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if failing["on"] and statement == "PRAGMA foreign_keys=ON":
            failing["on"] = False
            raise sa.exc.OperationalError(statement, None, Exception("database is locked"))

    with store.unchecked_writes() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    assert not failing["on"]  # the switch back was refused once
    for _ in range(3):
        with store.session() as s:
            assert s.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_unchecked_writes_skip_reference_checks_on_that_connection_only(store_url: str) -> None:
    """SQLite: inside, a row may name a document that is not there (the bulk index vouches for
    its own); the connection goes back to the pool checking again, and others never stopped."""
    store = Store(store_url)
    orphan = sa.text("INSERT INTO lsh_bands (band, document_id) VALUES (1, 999)")
    if store.dialect == "sqlite":
        with store.unchecked_writes() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            conn.execute(orphan)
        for _ in range(3):  # whichever pooled connection a session gets checks again
            with store.session() as s:
                assert s.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        with store.session() as s:
            assert s.scalar(sa.text("SELECT count(*) FROM lsh_bands")) == 1
    with pytest.raises(StorageError), store.unchecked_writes() as conn:  # an error still rolls back
        conn.execute(sa.text("INSERT INTO lsh_bands (band, document_id) VALUES (2, 1)"))
        conn.execute(sa.text("INSERT INTO no_such_table VALUES (1)"))
    with store.session() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM lsh_bands WHERE band = 2")) == 0
    store.close()
