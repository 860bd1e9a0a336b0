"""The query layer's common part: documents as listed, the filters every query shares, and
reading, adding and listing single documents.

Where it sits: between the store (`corpus/store.py`, tables and transactions) and the
surfaces. `presslens search|profile|graph` and the web app ask the corpus only through this
module, `corpus/search.py` (full text, totals, facets), `corpus/profiles.py` (outlet profiles
with monthly series) and `corpus/graph.py` (syndication edges), all of which build on the
filters here, so an outlet name or a date means the same thing on every surface:

- an outlet is named by its name or its domain, in any letter case (`outlet_named`);
- a date bound is a whole period, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, inclusive at both ends:
  `start="2020-01"` keeps January 2020 on, `end="2020-01"` keeps everything up to the last
  moment of January 2020 — also a stored `2020-01-31T22:00` (`published_within`);
- documents with no publication date never pass a date filter.

Document ids are the store's integer keys; the surfaces render them as they like.

>>> from presslens.corpus.store import Store
>>> from presslens.document import Document
>>> store = Store("sqlite://")
>>> stored = add_document(store, Document(source="a.txt", text="One two three."), outlet="example.org")
>>> recent(store, outlet="EXAMPLE.org").items[0].words
3
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from presslens.corpus.store import (
    AnnotationRow,
    DocumentRow,
    Outlet,
    Store,
    decode_document,
    document_bytes,
)
from presslens.document import Document, RawPage
from presslens.errors import InputError, StorageError, UsageError

T = TypeVar("T")

_PERIOD = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True)
class DocSummary:
    """One line of a listing: enough to show and link a document without loading its text."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    url: str | None
    words: int
    techniques: int  # technique spans found in it


@dataclass(frozen=True)
class StoredDocument:
    """A stored Document, decoded, with where the corpus filed it."""

    summary: DocSummary
    document: Document

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: `total` counts the whole list, not this page."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


def check_page(offset: int, limit: int) -> None:
    """Refuse a page no database agrees on (PostgreSQL rejects a negative OFFSET, SQLite not)."""
    if offset < 0 or limit < 1:
        raise UsageError(f"a page needs offset >= 0 and limit >= 1 (got offset {offset}, limit {limit})")


# -- filters shared by search, profiles and the graph -------------------------------------------
def outlet_named(name: str, outlet: Any = Outlet) -> sa.ColumnElement[bool]:
    """`outlet` (the table or an alias of it) is the one a user means by `name`: its name or
    its domain, in any letter case, since people type "SouthFront.org" or "South Front"."""
    wanted = name.strip().lower()
    return sa.or_(sa.func.lower(outlet.name) == wanted, outlet.domain == wanted)


def period_after(value: str) -> str | None:
    """The first date after the period `value` names (None after the year 9999).

    The upper bound is exclusive and in the same form as stored dates, so one string comparison
    keeps every date inside the period, whatever its precision or time of day, on SQLite and on
    PostgreSQL whatever the column's collation.

    >>> [period_after(v) for v in ("2020", "2020-12", "2020-02-29")]
    ['2021', '2021-01', '2020-03-01']
    """
    day = _check_period(value)
    try:
        if len(value) == 4:
            return f"{day.year + 1:04d}" if day.year < 9999 else None
        if len(value) == 7:
            return f"{day.year + 1:04d}-01" if day.month == 12 else f"{day.year:04d}-{day.month + 1:02d}"
        return (day + timedelta(days=1)).isoformat()
    except OverflowError:  # 9999-12-31 has no next day: nothing stored is after it
        return None


def _check_period(value: str) -> date:
    if not _PERIOD.fullmatch(value):
        raise InputError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def published_within(
    column: Any, start: str | None = None, end: str | None = None
) -> list[sa.ColumnElement[bool]]:
    """Conditions keeping `column` (a publication date) inside [start, end], both periods whole."""
    out: list[sa.ColumnElement[bool]] = []
    if start:
        _check_period(start)
        out.append(column >= start)
    if end:
        after = period_after(end)
        out.append(column < after if after is not None else column.is_not(None))
    return out


def _technique_count() -> sa.ScalarSelect[Any]:
    """Technique spans of the document in the enclosing query (a correlated count)."""
    return (
        sa.select(sa.func.count())
        .where(AnnotationRow.document_id == DocumentRow.id, AnnotationRow.kind == "technique")
        .correlate(DocumentRow)
        .scalar_subquery()
    )


# -- listings -----------------------------------------------------------------------------------
SUMMARY_COLUMNS = 8


def summary_select(*extra: Any) -> sa.Select[Any]:
    """Every `DocSummary` column (then `extra`) of documents, with their outlet joined."""
    d = DocumentRow
    return sa.select(
        d.id, d.title, Outlet.name, d.published, d.source, d.url, d.words, _technique_count(), *extra
    ).outerjoin(Outlet, Outlet.id == d.outlet_id)


def to_summary(row: Sequence[Any]) -> DocSummary:
    """The `DocSummary` of a row whose first columns are `summary_select`'s."""
    return DocSummary(
        id=int(row[0]),
        title=row[1],
        outlet=row[2],
        published=row[3],
        source=row[4],
        url=row[5],
        words=int(row[6] or 0),
        techniques=int(row[7] or 0),
    )


def newest_first() -> tuple[Any, ...]:
    """Listing order: newest publication first, undated last, then newest stored first."""
    return DocumentRow.published.desc().nulls_last(), DocumentRow.id.desc()


def recent(store: Store, *, outlet: str | None = None, offset: int = 0, limit: int = 20) -> Page[DocSummary]:
    """Documents newest first, optionally of one outlet (`outlet_named`), with their total."""
    check_page(offset, limit)
    query = summary_select()
    count = sa.select(sa.func.count()).select_from(DocumentRow)
    if outlet:
        query = query.where(outlet_named(outlet))
        count = count.join(Outlet, Outlet.id == DocumentRow.outlet_id).where(outlet_named(outlet))
    with store.session() as s:
        total = int(s.scalar(count) or 0)
        rows = s.execute(query.order_by(*newest_first()).offset(offset).limit(limit)).all()
    return Page([to_summary(r) for r in rows], total, offset, limit)


def outlets(store: Store) -> list[tuple[str, int]]:
    """Every outlet that has documents, with how many; the biggest first."""
    n = sa.func.count(DocumentRow.id)
    query = (
        sa.select(Outlet.name, n)
        .join(DocumentRow, DocumentRow.outlet_id == Outlet.id)
        .group_by(Outlet.name)
        .order_by(n.desc(), Outlet.name)
    )
    with store.session() as s:
        return [(name, int(k)) for name, k in s.execute(query)]


# -- one document -------------------------------------------------------------------------------
def get_document(store: Store, doc_id: int) -> StoredDocument | None:
    """The decoded Document and its listing line; None for an unknown id."""
    with store.session() as s:
        row = s.execute(summary_select(DocumentRow.document).where(DocumentRow.id == doc_id)).first()
    if row is None:
        return None
    return StoredDocument(to_summary(row), decode_document(row[SUMMARY_COLUMNS]))


def document_json(store: Store, doc_id: int) -> tuple[DocSummary, bytes] | None:
    """The listing line and the stored Document JSON, not decoded: for a reader that only
    forwards it (the API's hot path), parsing and re-serialising would be the whole cost."""
    with store.session() as s:
        row = s.execute(summary_select(DocumentRow.document).where(DocumentRow.id == doc_id)).first()
    return None if row is None else (to_summary(row), document_bytes(row[SUMMARY_COLUMNS]))


def add_document(
    store: Store, doc: Document, *, outlet: str | None = None, published: str | None = None
) -> StoredDocument:
    """Store one analysed Document (a no-op when the same page is stored already) and read it
    back. `outlet` and `published` override what the page says, as an ingest record's do."""
    # The record builder needs the dedup features (numpy, datasketch): loaded on first write,
    # so a reader of the corpus never pays for them.
    from presslens.corpus.records import content_key, registered_domain, to_record

    raw = doc.raw or RawPage(source=doc.source, kind=doc.input_kind, text=doc.text, url=doc.metadata.url)
    given = {k: v for k, v in (("outlet", outlet), ("published", published)) if v}
    if given:
        raw = raw.model_copy(update=given)
    key = content_key(raw)
    record = to_record(doc, key, raw)
    if outlet:
        record.outlet, record.outlet_domain = outlet, registered_domain(record.url)
    if published:
        record.published = published
    store.add_batch([record])
    with store.session() as s:
        new_id = s.scalar(sa.select(DocumentRow.id).where(DocumentRow.key == key))
    stored = None if new_id is None else get_document(store, new_id)
    if stored is None:
        raise StorageError("the stored document could not be read back")
    return stored
