"""The syndication graph as stored: edges with both ends described, a document's copies and
shared texts, and which outlets copy (reuse, share sources with) an outlet.

Where it sits: reads the `syndication_edges` that `corpus/linking.py` writes. The one place
that table is joined to its documents and outlets: `presslens graph` and `export` (through
`corpus/export.py`), the web's graph page and `/api/graph`, a document's copies and the outlet
profiles all ask here, with the same filters:

- `start`/`end`: an edge is kept when at least one of its two documents was published inside
  the period (periods as `corpus.query` reads them), so a copy made in the window shows with
  its older original;
- `outlet`: at least one end is of that outlet (name or domain, any case);
- `document`: the edge touches that document;
- `variants=False` leaves out AMP/print/canonical variants of one page, which are not copies;
- `relations`: only edges of these relations (`copy`, `reuse`, `common_source`; all by default).

An edge's source is a document, or an outlet (a `Node` of kind "outlet") when a page credits
an original that is not in the crawl. Undirected edges (common sources, reuse without evidence
of direction) say "these two share text"; their source and target are in no particular order.

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
from presslens.corpus.store import RELATIONS, DocumentRow, Outlet, Store, SyndicationEdge
from presslens.errors import UsageError

#: The edge kind for another URL of the same page (AMP, print, canonical), not a copy.
VARIANT = "variant"
__all__ = [
    "RELATIONS",
    "VARIANT",
    "CopyLink",
    "EdgeFilter",
    "Graph",
    "Node",
    "OutletLink",
    "StoredEdge",
    "copies",
    "edges",
    "graph",
    "outlet_links",
    "parse_relations",
]


@dataclass(frozen=True)
class Node:
    """A document as the graph shows it, or (kind "outlet") a credited outlet outside the crawl."""

    id: int  # the document's id, or the outlet's for an outlet node
    url: str | None
    outlet: str | None
    published: str | None
    title: str | None
    kind: str = "document"

    @property
    def key(self) -> str:
        """An id unique across both kinds of node: "12" for a document, "outlet:3" for an outlet."""
        return str(self.id) if self.kind == "document" else f"outlet:{self.id}"


@dataclass(frozen=True)
class StoredEdge:
    """source → target: `target` copies, reuses or shares text with `source` (`relation`)."""

    source: Node
    target: Node
    kind: str  # exact | near | partial | variant | credit (copies), passage (shared text)
    similarity: float
    lag_days: float | None
    evidence: list[str]  # what decided the direction: attribution, canonical, credit, date, ...
    wrapper: Any  # JSON: what the copier added around the body
    relation: str = "copy"  # copy | reuse | common_source
    directed: bool = True


@dataclass(frozen=True)
class EdgeFilter:
    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    document: int | None = None
    variants: bool = True
    limit: int | None = None
    relations: tuple[str, ...] | None = None  # None: every relation


def parse_relations(value: str | None) -> tuple[str, ...] | None:
    """'copy,reuse' -> ('copy', 'reuse'); None or '' -> None (every relation).

    >>> parse_relations("common_source, copy")
    ('copy', 'common_source')
    """
    if not value or not value.strip():
        return None
    asked = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in asked if v not in RELATIONS]
    if unknown:
        raise UsageError(f"unknown relation {unknown[0]!r}; use {', '.join(RELATIONS)}")
    return tuple(r for r in RELATIONS if r in asked)


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]  # every document an edge touches, by id
    edges: list[StoredEdge]
    truncated: bool  # more edges matched than the filter's limit


@dataclass(frozen=True)
class CopyLink:
    """Another copy of a document's text (or a text sharing some of it), seen from that document."""

    document: Node
    # "original": `document` is this one's source (its original, or the text it reuses);
    # "copy": it copies or reuses this one; "shared": an undirected edge (a common source)
    relation: str
    kind: str
    lag_days: float | None
    similarity: float
    evidence: list[str]
    syndication: str = "copy"  # the edge's relation: copy | reuse | common_source


@dataclass(frozen=True)
class OutletLink:
    """Another outlet that an outlet copies from (or is copied by): documents, mean lag."""

    outlet: str
    documents: int
    mean_lag_days: float | None


class _EdgeJoin:
    """Edges joined to both documents and their outlets (outer: an outlet may be unknown, and
    a credited original outside the crawl is an outlet with no document)."""

    def __init__(self) -> None:
        self.src, self.dst = aliased(DocumentRow), aliased(DocumentRow)
        self.src_outlet, self.dst_outlet = aliased(Outlet), aliased(Outlet)

    def select(self, *columns: Any) -> sa.Select[Any]:
        e = SyndicationEdge
        return (
            sa.select(*columns)
            .select_from(e)
            .outerjoin(self.src, self.src.id == e.source_id)
            .join(self.dst, self.dst.id == e.target_id)
            .outerjoin(
                self.src_outlet,
                self.src_outlet.id == sa.func.coalesce(self.src.outlet_id, e.source_outlet_id),
            )
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
        if flt.relations is not None:
            out.append(e.relation.in_(flt.relations))
        return out

    def nodes(self) -> tuple[Any, ...]:
        return (
            sa.func.coalesce(self.src.id, self.src_outlet.id),
            self.src.url,
            self.src_outlet.name,
            self.src.published,
            self.src.title,
            self.src_outlet.domain,
            SyndicationEdge.source_id,
            self.dst.id,
            self.dst.url,
            self.dst_outlet.name,
            self.dst.published,
            self.dst.title,
        )


def edges(store: Store, flt: EdgeFilter | None = None) -> list[StoredEdge]:
    """The stored edges `flt` keeps (all by default), by source then target id."""
    flt = flt or EdgeFilter()
    j, e = _EdgeJoin(), SyndicationEdge
    query = (
        j.select(*j.nodes(), e.kind, e.similarity, e.lag_days, e.evidence, e.wrapper, e.relation, e.directed)
        .where(*j.where(flt))
        .order_by(sa.func.coalesce(e.source_id, 0), e.source_outlet_id, e.target_id)
    )
    if flt.limit is not None:
        query = query.limit(flt.limit)
    with store.session() as s:
        rows = s.execute(query).all()
    return [_edge(r) for r in rows]


def _edge(row: Sequence[Any]) -> StoredEdge:
    src_id, url, outlet, published, title, domain, source_doc = row[0:7]
    if source_doc is None:  # a credited outlet outside the crawl
        source = Node(src_id, f"https://{domain}/" if domain else None, outlet, None, None, "outlet")
    else:
        source = Node(src_id, url, outlet, published, title)
    return StoredEdge(
        source=source,
        target=Node(*row[7:12]),
        kind=row[12],
        similarity=row[13],
        lag_days=row[14],
        evidence=json.loads(row[15]),
        wrapper=json.loads(row[16]),
        relation=row[17],
        directed=bool(row[18]),
    )


def graph(store: Store, flt: EdgeFilter | None = None) -> Graph:
    """Nodes and edges `flt` keeps; with a limit, says whether more edges matched."""
    flt = flt or EdgeFilter()
    found = edges(store, flt if flt.limit is None else replace(flt, limit=flt.limit + 1))
    truncated = flt.limit is not None and len(found) > flt.limit
    kept = found[: flt.limit] if flt.limit is not None else found
    nodes = {(n.kind, n.id): n for e in kept for n in (e.source, e.target)}
    return Graph([nodes[k] for k in sorted(nodes)], kept, truncated)


def copies(store: Store, doc_id: int) -> list[CopyLink] | None:
    """The original of a document, the copies made of it and the texts it shares passages
    with, oldest first; None for an unknown document (one with no links has an empty list)."""
    with store.session() as s:
        if s.scalar(sa.select(DocumentRow.id).where(DocumentRow.id == doc_id)) is None:
            return None
    out = []
    for e in edges(store, EdgeFilter(document=doc_id)):
        mine = e.source.kind == "document" and e.source.id == doc_id
        out.append(
            CopyLink(
                document=e.target if mine else e.source,
                relation="shared" if not e.directed else "copy" if mine else "original",
                kind=e.kind,
                lag_days=e.lag_days,
                similarity=e.similarity,
                evidence=e.evidence,
                syndication=e.relation,
            )
        )
    return sorted(
        out, key=lambda c: (c.document.published is None, c.document.published or "", c.document.key)
    )


def outlet_links(
    s: Session,
    outlet_id: int,
    *,
    incoming: bool,
    top: int,
    relation: str = "copy",
    credited: bool | None = None,
) -> list[OutletLink]:
    """Outlets this one takes from (`incoming` edges) or that take from it, most documents first.

    `relation` picks copies, reuse or common sources (undirected: both sides count as either
    way). `credited` True keeps only credits naming an original outside the crawl, False only
    document-to-document edges, None both. Variants of one page and an outlet's edges with
    itself do not count.
    """
    j, e = _EdgeJoin(), SyndicationEdge
    n = sa.func.count()
    lag = sa.func.avg(e.lag_days)
    flt = j.where(EdgeFilter(variants=False, relations=(relation,)))
    if credited is True:
        flt.append(e.source_id.is_(None))
    elif credited is False:
        flt.append(e.source_id.is_not(None))
    src_outlet = sa.func.coalesce(j.src.outlet_id, e.source_outlet_id)
    sides = [(j.dst.outlet_id, src_outlet, j.src_outlet), (src_outlet, j.dst.outlet_id, j.dst_outlet)]
    if relation != "common_source":
        sides = [sides[0] if incoming else sides[1]]
    counts: dict[str, list[Any]] = {}
    for mine, theirs, their_outlet in sides:
        q = (
            j.select(their_outlet.name, n, lag)
            .where(mine == outlet_id, theirs != outlet_id, *flt)
            .group_by(their_outlet.name)
        )
        for name, k, mean in s.execute(q).all():
            if name is None:
                continue
            c = counts.setdefault(name, [0, []])
            c[0] += int(k)
            if mean is not None:
                c[1].append((float(mean), int(k)))
    out = []
    for name, (k, means) in counts.items():
        weight = sum(w for _, w in means)
        mean_lag = round(sum(m * w for m, w in means) / weight, 1) if weight else None
        out.append(OutletLink(name, k, mean_lag))
    return sorted(out, key=lambda o: (-o.documents, o.outlet))[:top]
