"""The syndication graph as stored: edges original → copy with both documents described, a
document's copies, and which outlets copy an outlet.

Where it sits: reads the `syndication_edges` that `corpus/syndication.py` writes. The one
place that table is joined to its documents and outlets: `presslens graph` and `export`
(through `corpus/export.py`), the web's graph page and `/api/graph`, a document's copies and
the outlet profiles all ask here, with the same filters:

- `start`/`end`: an edge is kept when at least one of its two documents was published inside
  the period (periods as `corpus.query` reads them), so a copy made in the window shows with
  its older original;
- `outlet`: at least one end is of that outlet (name or domain, any case);
- `document`: the edge touches that document;
- `variants=False` leaves out AMP/print/canonical variants of one page, which are not copies.

>>> from presslens.corpus.store import Store
>>> graph(Store("sqlite://"), EdgeFilter(start="2020", outlet="southfront.org")).edges
[]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from presslens.corpus.query import outlet_named, published_within
from presslens.corpus.store import DocumentRow, Outlet, Store, SyndicationEdge

#: The edge kind for another URL of the same page (AMP, print, canonical), not a copy.
VARIANT = "variant"


@dataclass(frozen=True)
class Node:
    """A document as the graph shows it."""

    id: int
    url: str | None
    outlet: str | None
    published: str | None
    title: str | None


@dataclass(frozen=True)
class StoredEdge:
    """source → target: `target` copies (or reuses, or is a variant of) `source`."""

    source: Node
    target: Node
    kind: str  # exact | near | partial | passage | variant
    similarity: float
    lag_days: float | None
    evidence: list[str]  # what decided the direction: attribution, canonical, date, ...
    wrapper: Any  # JSON: what the copier added around the body


@dataclass(frozen=True)
class EdgeFilter:
    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    document: int | None = None
    variants: bool = True
    limit: int | None = None


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]  # every document an edge touches, by id
    edges: list[StoredEdge]
    truncated: bool  # more edges matched than the filter's limit


@dataclass(frozen=True)
class CopyLink:
    """Another copy of a document's text, seen from that document."""

    document: Node
    relation: str  # "original": `document` is this one's original; "copy": it copies this one
    kind: str
    lag_days: float | None
    similarity: float
    evidence: list[str]


@dataclass(frozen=True)
class OutletLink:
    """Another outlet that an outlet copies from (or is copied by): documents, mean lag."""

    outlet: str
    documents: int
    mean_lag_days: float | None


class _EdgeJoin:
    """Edges joined to both documents and their outlets (outer: an outlet may be unknown)."""

    def __init__(self) -> None:
        self.src, self.dst = aliased(DocumentRow), aliased(DocumentRow)
        self.src_outlet, self.dst_outlet = aliased(Outlet), aliased(Outlet)

    def select(self, *columns: Any) -> sa.Select[Any]:
        e = SyndicationEdge
        return (
            sa.select(*columns)
            .select_from(e)
            .join(self.src, self.src.id == e.source_id)
            .join(self.dst, self.dst.id == e.target_id)
            .outerjoin(self.src_outlet, self.src_outlet.id == self.src.outlet_id)
            .outerjoin(self.dst_outlet, self.dst_outlet.id == self.dst.outlet_id)
        )

    def where(self, flt: EdgeFilter) -> list[Any]:
        e = SyndicationEdge
        out: list[Any] = []
        if flt.start or flt.end:
            out.append(
                sa.or_(
                    sa.and_(*published_within(self.src.published, flt.start, flt.end)),
                    sa.and_(*published_within(self.dst.published, flt.start, flt.end)),
                )
            )
        if flt.outlet:
            out.append(
                sa.or_(outlet_named(flt.outlet, self.src_outlet), outlet_named(flt.outlet, self.dst_outlet))
            )
        if flt.document is not None:
            out.append(sa.or_(e.source_id == flt.document, e.target_id == flt.document))
        if not flt.variants:
            out.append(e.kind != VARIANT)
        return out

    def nodes(self) -> tuple[Any, ...]:
        return tuple(
            column
            for doc, outlet in ((self.src, self.src_outlet), (self.dst, self.dst_outlet))
            for column in (doc.id, doc.url, outlet.name, doc.published, doc.title)
        )


def edges(store: Store, flt: EdgeFilter | None = None) -> list[StoredEdge]:
    """The stored edges `flt` keeps (all by default), by source then target id."""
    flt = flt or EdgeFilter()
    j, e = _EdgeJoin(), SyndicationEdge
    query = (
        j.select(*j.nodes(), e.kind, e.similarity, e.lag_days, e.evidence, e.wrapper)
        .where(*j.where(flt))
        .order_by(e.source_id, e.target_id)
    )
    if flt.limit is not None:
        query = query.limit(flt.limit)
    with store.session() as s:
        rows = s.execute(query).all()
    return [_edge(r) for r in rows]


def _edge(row: Sequence[Any]) -> StoredEdge:
    return StoredEdge(
        source=Node(*row[0:5]),
        target=Node(*row[5:10]),
        kind=row[10],
        similarity=row[11],
        lag_days=row[12],
        evidence=json.loads(row[13]),
        wrapper=json.loads(row[14]),
    )


def graph(store: Store, flt: EdgeFilter | None = None) -> Graph:
    """Nodes and edges `flt` keeps; with a limit, says whether more edges matched."""
    flt = flt or EdgeFilter()
    found = edges(store, flt if flt.limit is None else replace(flt, limit=flt.limit + 1))
    truncated = flt.limit is not None and len(found) > flt.limit
    kept = found[: flt.limit] if flt.limit is not None else found
    nodes = {n.id: n for e in kept for n in (e.source, e.target)}
    return Graph([nodes[i] for i in sorted(nodes)], kept, truncated)


def copies(store: Store, doc_id: int) -> list[CopyLink] | None:
    """The original of a document and the copies made of it, oldest first; None for an
    unknown document (a stored document with no copies has an empty list)."""
    with store.session() as s:
        if s.scalar(sa.select(DocumentRow.id).where(DocumentRow.id == doc_id)) is None:
            return None
    out = [
        CopyLink(
            document=e.target if e.source.id == doc_id else e.source,
            relation="copy" if e.source.id == doc_id else "original",
            kind=e.kind,
            lag_days=e.lag_days,
            similarity=e.similarity,
            evidence=e.evidence,
        )
        for e in edges(store, EdgeFilter(document=doc_id))
    ]
    return sorted(
        out, key=lambda c: (c.document.published is None, c.document.published or "", c.document.id)
    )


def outlet_links(s: Session, outlet_id: int, *, incoming: bool, top: int) -> list[OutletLink]:
    """Outlets this one copies from (`incoming` edges) or that copy it, most documents first.

    Copies and passage reuse count; variants of one page and an outlet's copies of itself do not.
    """
    j, e = _EdgeJoin(), SyndicationEdge
    mine, theirs, their_outlet = (j.dst, j.src, j.src_outlet) if incoming else (j.src, j.dst, j.dst_outlet)
    n = sa.func.count()
    rows = s.execute(
        j.select(their_outlet.name, n, sa.func.avg(e.lag_days))
        .where(
            mine.outlet_id == outlet_id, theirs.outlet_id != outlet_id, *j.where(EdgeFilter(variants=False))
        )
        .group_by(their_outlet.name)
        .order_by(n.desc(), their_outlet.name)
        .limit(top)
    ).all()
    return [OutletLink(name, int(k), None if lag is None else round(float(lag), 1)) for name, k, lag in rows]
