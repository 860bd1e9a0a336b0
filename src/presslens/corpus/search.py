"""Full-text search over the corpus, with filters on outlet, date, technique and entity.

Where it sits: reads the store (never writes). On SQLite the query runs against the FTS5
table `documents_fts` (BM25 ranking, highlighted snippets); on PostgreSQL against the GIN
expression index with `plainto_tsquery`. An empty query lists the filtered documents, newest
first. Used by `presslens search` and the web API.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    id: int
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fts5_query(text: str) -> str:
    """User words as an FTS5 query: every word required, each quoted so `-`, `:` or `OR` in
    the input are words, not operators. A trailing `*` keeps prefix search.

    >>> fts5_query('soleimani "red flag" qom*')
    '"soleimani" "red" "flag" "qom"*'
    """
    parts = []
    for m in re.finditer(r"(\w+)(\*?)", text, re.UNICODE):
        parts.append(f'"{m.group(1)}"{m.group(2)}')
    return " ".join(parts)


def search(
    store: Store,
    query: str = "",
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    technique: str | None = None,
    entity: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    d = DocumentRow
    cols = [d.id, d.url, d.title, Outlet.name, d.published]
    filters: list[Any] = []
    if outlet:
        filters.append(sa.or_(Outlet.name == outlet, Outlet.domain == outlet.lower()))
    if since:
        filters.append(d.published >= since)
    if until:
        # "2020-01" and "2020" mean up to the end of that month or year.
        filters.append(d.published <= until + "-99" if len(until) < 10 else d.published <= until)
    for kind, label in (("technique", technique), ("entity", entity)):
        if label:
            a = sa.orm.aliased(AnnotationRow)
            filters.append(
                sa.exists().where(
                    a.document_id == d.id, a.kind == kind, sa.func.lower(a.label) == label.lower()
                )
            )
    words = _TOKEN.findall(query)
    snippet: Any
    rank: Any
    dialect = store.dialect
    if words and dialect == "sqlite":
        fts = sa.table("documents_fts", sa.column("rowid"))
        match = sa.text("documents_fts MATCH :q").bindparams(q=fts5_query(query))
        snippet = sa.literal_column("snippet(documents_fts, 1, '[', ']', '…', 16)")
        rank = sa.literal_column("bm25(documents_fts)")
        q = (
            sa.select(*cols, snippet, rank)
            .select_from(fts)
            .join(d, d.id == fts.c.rowid)
            .outerjoin(Outlet, Outlet.id == d.outlet_id)
            .where(match, *filters)
            .order_by(rank)
        )
    elif words and dialect == "postgresql":
        doc_vec = sa.func.to_tsvector("english", sa.func.coalesce(d.title, "") + " " + d.body_text)
        tsq = sa.func.plainto_tsquery("english", " ".join(words))
        rank = sa.func.ts_rank(doc_vec, tsq)
        snippet = sa.func.ts_headline(
            "english", d.body_text, tsq, "StartSel=[, StopSel=], MaxWords=30, MinWords=10"
        )
        q = (
            sa.select(*cols, snippet, rank)
            .outerjoin(Outlet, Outlet.id == d.outlet_id)
            .where(doc_vec.op("@@")(tsq), *filters)
            .order_by(rank.desc())
        )
    elif words:
        like = [d.body_text.ilike(f"%{w}%") for w in words]
        q = (
            sa.select(*cols, sa.func.substr(d.body_text, 1, 200), sa.literal(0.0))
            .outerjoin(Outlet, Outlet.id == d.outlet_id)
            .where(*like, *filters)
            .order_by(d.published.desc())
        )
    else:
        q = (
            sa.select(*cols, sa.func.substr(d.body_text, 1, 200), sa.literal(0.0))
            .outerjoin(Outlet, Outlet.id == d.outlet_id)
            .where(*filters)
            .order_by(d.published.desc(), d.id.desc())
        )
    with store.session() as s:
        rows: list[Any] = list(s.execute(q.limit(limit).offset(offset)).all())
    return [
        SearchHit(
            int(r[0]), r[1], r[2], r[3], r[4], " ".join(str(r[5] or "").split()), abs(float(r[6] or 0.0))
        )
        for r in rows
    ]
