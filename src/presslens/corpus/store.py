"""The corpus store: SQLAlchemy 2 models and the one class that reads and writes them.

Where it sits: the sink of `presslens ingest` (the engine hands it batches of `DocRecord`s,
each batch written in one transaction) and the source of syndication, profiles, search,
exports and the web UI. SQLite by default (WAL, an FTS5 table kept in step by triggers),
PostgreSQL with the `postgres` extra (`postgresql+psycopg://…`, full text by a GIN index).
The schema is created and upgraded by the Alembic migrations in `corpus/migrations/`, run
programmatically every time a store is opened, so a user never runs Alembic by hand.

Documents are keyed by a content hash of (URL or source, text): re-reading the same crawl
adds nothing, and a run killed half-way leaves only whole batches behind.

>>> store = Store("sqlite://")
>>> store.count_documents()
0
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from presslens.document import Document
from presslens.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


class Base(DeclarativeBase):
    pass


class Outlet(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    domain: Mapped[str | None] = mapped_column(String(255), index=True)


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32), index=True)
    original_source_name: Mapped[str | None] = mapped_column(Text)
    original_source_url: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(40), index=True)
    words: Mapped[int] = mapped_column(default=0)
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    fingerprints: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The whole Document JSON, zlib-compressed: the one model everything else renders from.
    document: Mapped[bytes] = mapped_column(sa.LargeBinary)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    ingested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class AnnotationRow(Base):
    """Flattened annotations for filtering and counting (techniques, entities, funding, ...)."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int | None]
    end: Mapped[int | None]
    score: Mapped[float | None]

    # (document, kind) serves "this chunk's credits" and every lookup by document; with only
    # a document index SQLite chose (kind, label) and scanned every credit (migration 0005).
    __table_args__ = (
        Index("ix_annotations_kind_label", "kind", "label"),
        Index("ix_annotations_document_kind", "document_id", "kind"),
    )


class LinkRow(Base):
    __tablename__ = "links"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")


class SyndicationEdge(Base):
    """source → target: who published first and who copied, reused or shared text, with what
    evidence, how fast and with what wrapper.

    `relation` keeps the three apart (`RELATIONS`): a `copy` republishes the source's article
    (kinds exact, near, partial; `variant` is another URL of the same page), `reuse` puts a
    passage of the source inside the target's own text, `common_source` means both carry the
    same third-party text. Undirected edges (`directed` False) store their two documents in a
    content-derived order. The source is an outlet (`source_outlet_id`, no `source_id`) when a
    page credits an original that is not in the crawl.
    """

    __tablename__ = "syndication_edges"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    source_outlet_id: Mapped[int | None] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(16), default="copy", index=True)
    directed: Mapped[bool] = mapped_column(default=True)
    kind: Mapped[str] = mapped_column(String(16))  # exact | near | partial | variant | credit | passage
    similarity: Mapped[float]
    lag_days: Mapped[float | None]
    evidence: Mapped[str] = mapped_column(
        Text
    )  # JSON list: credit, attribution, canonical, date, quotation, ...
    wrapper: Mapped[str] = mapped_column(Text)  # JSON: what the copier added around the body
    passages: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of aligned passages

    __table_args__ = (UniqueConstraint("source_id", "target_id", name="uq_edge"),)


#: The syndication relations, strongest first; only `copy` (and credits) decide an original.
RELATIONS: tuple[str, ...] = ("copy", "reuse", "common_source")


class LinkedDocument(Base):
    """A document the linker has indexed: its LSH bands and fingerprints are in the index below
    and its verified matches are stored. Documents not listed here are what `link` adds next."""

    __tablename__ = "syndication_index"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


class LshBand(Base):
    """One MinHash band of a document's body: documents sharing a band are candidate copies."""

    __tablename__ = "lsh_bands"
    # Rows stored once, in key order, on SQLite (migration 0004); PostgreSQL ignores it.
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (SQLAlchemy reads it once)

    band: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FingerprintPosting(Base):
    """One sampled shingle of a document's body: documents sharing several share a passage."""

    __tablename__ = "fingerprint_postings"
    # Rows stored once, in key order, on SQLite (migration 0004); PostgreSQL ignores it.
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (SQLAlchemy reads it once)

    hash: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MatchRow(Base):
    """A verified pair of bodies (doc_a < doc_b): copy kinds or a shared passage, as `dedup.compare`
    found them. Kept so that linking new documents re-reads, not re-aligns, the old pairs."""

    __tablename__ = "syndication_matches"

    doc_a: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    doc_b: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    jaccard: Mapped[float]
    contain_a: Mapped[float]
    contain_b: Mapped[float]
    passages: Mapped[str] = mapped_column(
        Text, default="[]"
    )  # JSON [[a_start, a_end, b_start, b_end, words]]


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sources: Mapped[str] = mapped_column(Text)  # JSON list
    stages: Mapped[str] = mapped_column(Text)  # JSON list
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: added, skipped, failures by reason
    stats: Mapped[str] = mapped_column(Text, default="{}")  # JSON: per-stage documents/seconds/errors


class Failure(Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")


@dataclass
class DocRecord:
    """One analysed document as the store wants it; built in the workers, written in batches."""

    key: str
    source: str
    url: str | None
    canonical_url: str | None
    outlet: str | None
    outlet_domain: str | None
    title: str | None
    published: str | None
    original_source_name: str | None
    original_source_url: str | None
    body_text: str
    body_hash: str
    words: int
    signature: bytes
    fingerprints: bytes
    document: bytes  # zlib(Document JSON)
    annotations: list[tuple[str, str, str | None, int | None, int | None, float | None]] = field(
        default_factory=list
    )
    links: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def default_db_url() -> str:
    """A SQLite file in the user data dir (platformdirs), created on first use."""
    import platformdirs

    path = Path(platformdirs.user_data_dir("presslens", appauthor=False)) / "corpus.sqlite"
    return f"sqlite:///{path}"


def _normalize_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver the `postgres` extra installs.
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers never block the writer, and a killed writer leaves the last committed
    # batch intact. NORMAL sync is durable at checkpoints and safe against corruption in WAL.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 128 MiB of page cache a connection instead of SQLite's 2 MiB: linking reads and writes
    # index B-trees (bands, fingerprint postings) far larger than 2 MiB, and every page missed
    # is a read through the OS (a 10k-document `link --full`: 42 -> 39 s, its index writes
    # 7.4 -> 5.6 s). Pages are only held as they are used, so a small store stays small.
    cur.execute("PRAGMA cache_size=-131072")
    cur.close()


_MIGRATION_LOCK = threading.Lock()


class Store:
    """A corpus database. Open it with a SQLAlchemy URL; the schema is migrated on open."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = _normalize_url(url or default_db_url())
        try:
            self.engine = self._create_engine()
            if migrate:
                self.migrate()
        except (SQLAlchemyError, OSError) as exc:
            raise StorageError(f"cannot open store {self._safe_url()}: {_one_line(exc)}") from exc
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        # An in-memory SQLite database is one connection shared by every thread; two sessions
        # on it at once would share (and commit or roll back) each other's transaction.
        self._serial: AbstractContextManager[Any] = (
            threading.RLock() if isinstance(self.engine.pool, sa.pool.StaticPool) else nullcontext()
        )

    def _safe_url(self) -> str:
        try:
            return sa.engine.make_url(self.url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            return "(unparsable URL)"

    def _create_engine(self) -> sa.Engine:
        parsed = sa.engine.make_url(self.url)
        if parsed.get_backend_name() == "sqlite":
            db = parsed.database
            if db and db != ":memory:":
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs: dict[str, Any] = {}
            if not db or db == ":memory:":
                # One shared connection, or each session would see its own empty database.
                kwargs["poolclass"] = sa.pool.StaticPool
                kwargs["connect_args"] = {"check_same_thread": False}
            engine = sa.create_engine(parsed, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if parsed.get_backend_name() == "postgresql":
            try:
                import psycopg  # noqa: F401
            except ImportError as exc:
                raise StorageError(
                    "PostgreSQL needs the postgres extra: pip install 'presslens[postgres]'"
                ) from exc
        return sa.create_engine(parsed, pool_pre_ping=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        # Alembic installs its `context` and `op` proxies as module globals for the length of a
        # command: two threads of one process migrating at once (two stores opened by a web
        # request and a background job) remove each other's and fail with KeyError('script').
        with _MIGRATION_LOCK, self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back (and reported) on error."""
        with self._serial:
            session = self._session()
            try:
                with self._committed(session):
                    yield session
            finally:
                session.close()

    @contextmanager
    def unchecked_writes(self) -> Iterator[sa.Connection]:
        """A connection whose writes SQLite does not check against the rows they reference
        (foreign keys off; the caller commits as it goes and vouches for its references).

        For bulk index rows: each of a million documents' ~115 rows cost a lookup of its
        document in the documents B-tree, whose leaves hold whole pages of text — 21 µs a row
        against 0.8 µs unchecked (2M rows into a copy of a 100k store). Cascades still remove
        the rows when their document goes (deleted on another connection): only the check at
        insert is skipped. Nor does a delete on this connection cascade: delete no parent row
        on it. PostgreSQL: an ordinary connection."""
        with self._serial, self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            try:
                with self._committed(conn):
                    if sqlite:  # a no-op inside a transaction: before anything else
                        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                        conn.commit()
                    yield conn
            finally:
                if sqlite:
                    self._checks_back_on(conn)

    @staticmethod
    def _checks_back_on(conn: sa.Connection) -> None:
        """Foreign keys on again before the pool reuses `conn`; a connection that cannot be
        switched back (a locked or broken database) is discarded, never pooled unchecked."""
        try:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            restored = conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        except SQLAlchemyError:
            restored = False
        if not restored:
            conn.invalidate()

    @contextmanager
    def _committed(self, txn: Session | sa.Connection) -> Iterator[None]:
        """Commit `txn` when the block ends; roll it back on error, a database error reported
        as a StorageError."""
        try:
            yield
            txn.commit()
        except SQLAlchemyError as exc:
            txn.rollback()
            raise StorageError(f"store {self._safe_url()}: {_one_line(exc)}") from exc
        except BaseException:
            txn.rollback()
            raise

    def close(self) -> None:
        self.engine.dispose()

    # -- ingest ---------------------------------------------------------------------------
    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        found: set[str] = set()
        with self.session() as s:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i : i + 500])
                found.update(s.scalars(sa.select(DocumentRow.key).where(DocumentRow.key.in_(chunk))))
        return found

    def begin_run(self, sources: Sequence[str], stages: Sequence[str]) -> int:
        with self.session() as s:
            run = Run(started_at=_now(), sources=json.dumps(list(sources)), stages=json.dumps(list(stages)))
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, *, status: str, counts: dict[str, Any], stats: dict[str, Any]) -> None:
        with self.session() as s:
            run = s.get(Run, run_id)
            if run is not None:
                run.finished_at = _now()
                run.status = status
                run.counts = json.dumps(counts, sort_keys=True)
                run.stats = json.dumps(stats, sort_keys=True)

    def add_batch(
        self,
        records: Sequence[DocRecord],
        failures: Sequence[tuple[str, str, str]] = (),
        run_id: int | None = None,
    ) -> int:
        """Write a batch in ONE transaction; documents already present are skipped. Returns added.

        Workers writing at once (cluster ingest) can race: two insert the same page or create
        the same outlet, or lock each other's new keys in opposite orders. The loser's
        transaction is rolled back whole and the batch tried again; it then sees the winner's
        rows as present."""
        for attempt in range(_RACE_RETRIES):
            try:
                return self._add_batch_once(records, failures, run_id)
            except StorageError as exc:
                if attempt + 1 == _RACE_RETRIES or not _is_race(exc.__cause__):
                    raise
        raise AssertionError("unreachable")

    def _add_batch_once(
        self,
        records: Sequence[DocRecord],
        failures: Sequence[tuple[str, str, str]] = (),
        run_id: int | None = None,
    ) -> int:
        added = 0
        with self.session() as s:
            keys = [r.key for r in records]
            present = (
                set(s.scalars(sa.select(DocumentRow.key).where(DocumentRow.key.in_(keys)))) if keys else set()
            )
            outlets = self._outlet_ids(s, records)
            now = _now()
            fresh: dict[str, DocRecord] = {}
            for r in records:
                if r.key not in present and r.key not in fresh:
                    fresh[r.key] = r
            if fresh:
                rows = [
                    {
                        "key": r.key,
                        "source": r.source,
                        "url": r.url,
                        "canonical_url": r.canonical_url,
                        "outlet_id": outlets.get(r.outlet) if r.outlet else None,
                        "title": r.title,
                        "published": r.published,
                        "original_source_name": r.original_source_name,
                        "original_source_url": r.original_source_url,
                        "body_text": r.body_text,
                        "body_hash": r.body_hash,
                        "words": r.words,
                        "signature": r.signature,
                        "fingerprints": r.fingerprints,
                        "document": r.document,
                        "run_id": run_id,
                        "ingested_at": now,
                    }
                    for r in fresh.values()
                ]
                # One multi-row INSERT ... RETURNING instead of a flush per document.
                ids = dict(
                    s.execute(
                        sa.insert(DocumentRow).returning(
                            DocumentRow.key, DocumentRow.id, sort_by_parameter_order=True
                        ),
                        rows,
                    ).all()
                )
                annotations = [
                    {
                        "document_id": ids[r.key],
                        "kind": k,
                        "label": lab,
                        "value": v,
                        "start": st,
                        "end": en,
                        "score": sc,
                    }
                    for r in fresh.values()
                    for k, lab, v, st, en, sc in r.annotations
                ]
                if annotations:
                    s.execute(sa.insert(AnnotationRow), annotations)
                links = [
                    {"document_id": ids[r.key], "url": u, "text": t}
                    for r in fresh.values()
                    for u, t in r.links
                ]
                if links:
                    s.execute(sa.insert(LinkRow), links)
                added = len(fresh)
            if failures and run_id is not None:
                s.execute(
                    sa.insert(Failure),
                    [
                        {"run_id": run_id, "source": src, "reason": why, "message": msg}
                        for src, why, msg in failures
                    ],
                )
        return added

    def _outlet_ids(self, s: Session, records: Sequence[DocRecord]) -> dict[str, int]:
        wanted = {r.outlet: r.outlet_domain for r in records if r.outlet}
        if not wanted:
            return {}
        rows = s.execute(sa.select(Outlet.name, Outlet.id).where(Outlet.name.in_(list(wanted))))
        ids: dict[str, int] = {name: oid for name, oid in rows}
        for name, domain in wanted.items():
            if name not in ids:
                outlet = Outlet(name=name, domain=domain)
                s.add(outlet)
                s.flush()
                ids[name] = outlet.id
        return ids

    # -- reading --------------------------------------------------------------------------
    def count_documents(self) -> int:
        with self.session() as s:
            return int(s.scalar(sa.select(sa.func.count()).select_from(DocumentRow)) or 0)

    def document(self, doc_id: int) -> Document | None:
        """The stored Document, decoded; None when no document has this id."""
        with self.session() as s:
            blob = s.scalar(sa.select(DocumentRow.document).where(DocumentRow.id == doc_id))
        return None if blob is None else decode_document(blob)

    def delete_document(self, doc_id: int) -> bool:
        """Remove one document; False when there was none. Returns after the whole cascade.

        Its annotations, links and syndication edges go with it through the schema's
        `ON DELETE CASCADE` (SQLite enforces it because every connection turns `foreign_keys`
        on), and the SQLite FTS index through its delete trigger; the documents it was linked
        with are marked for the next `link`, which re-decides their part of the graph. The
        outlet row stays: other documents may still name it, and an outlet without documents
        is listed nowhere.
        """
        with self.session() as s:
            # Its neighbours in the syndication graph are linked again by the next `link`: the
            # components they were decided in have lost a member (maybe their original).
            e, m = SyndicationEdge, MatchRow
            neighbours = {
                *s.scalars(sa.select(m.doc_b).where(m.doc_a == doc_id)),
                *s.scalars(sa.select(m.doc_a).where(m.doc_b == doc_id)),
                *s.scalars(sa.select(e.target_id).where(e.source_id == doc_id)),
                *s.scalars(sa.select(e.source_id).where(e.target_id == doc_id, e.source_id.is_not(None))),
            }
            neighbours.discard(doc_id)
            if neighbours:
                s.execute(sa.delete(LinkedDocument).where(LinkedDocument.document_id.in_(sorted(neighbours))))
            result = s.execute(sa.delete(DocumentRow).where(DocumentRow.id == doc_id))
            return bool(getattr(result, "rowcount", 0))

    def replace_edges(self, edges: Sequence[dict[str, Any]]) -> None:
        """Swap the whole syndication graph in one transaction (it is recomputed, not patched)."""
        with self.session() as s:
            s.execute(sa.delete(SyndicationEdge))
            for i in range(0, len(edges), 1000):
                s.execute(sa.insert(SyndicationEdge), list(edges[i : i + 1000]))


#: Attempts at a batch that lost a race with another writer (see `Store.add_batch`).
_RACE_RETRIES = 5


def _is_race(exc: BaseException | None) -> bool:
    """A unique key taken meanwhile, a deadlock or a serialization failure: worth one more try."""
    if isinstance(exc, sa.exc.IntegrityError):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in ("40P01", "40001")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def compress_document(doc: Document) -> bytes:
    return zlib.compress(doc.to_json().encode("utf-8"), 6)


def document_bytes(blob: bytes) -> bytes:
    """The Document JSON of a stored blob, undecoded: what a reader that only forwards it needs."""
    return zlib.decompress(blob)


def decode_document(blob: bytes) -> Document:
    """The stored blob (`compress_document`) back as a `Document`."""
    return Document.from_json(document_bytes(blob))
