"""Outlet profiles: what one outlet publishes, how it persuades, who funds it, whom it copies.

Where it sits: reads the store after ingest and linking. Technique rates are per 1,000 body
words (so long-form and short outlets compare), funding channels are the ones its pages
carry, "copies from" / "copied by" come from the syndication edges (copies and passage reuse,
not AMP variants), entities from the entity stage when it ran.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store, SyndicationEdge
from presslens.errors import InputError


@dataclass
class OutletProfile:
    name: str
    domain: str | None
    documents: int
    first_published: str | None
    last_published: str | None
    words: int
    techniques_per_1000_words: dict[str, float] = field(default_factory=dict)
    funding: list[dict[str, Any]] = field(default_factory=list)
    copies_from: list[dict[str, Any]] = field(default_factory=list)
    copied_by: list[dict[str, Any]] = field(default_factory=list)
    top_entities: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_outlet(store: Store, name: str) -> Outlet:
    with store.session() as s:
        outlet = s.scalar(
            sa.select(Outlet).where(
                sa.or_(
                    Outlet.name == name,
                    Outlet.domain == name.lower(),
                    sa.func.lower(Outlet.name) == name.lower(),
                )
            )
        )
    if outlet is None:
        raise InputError(f"no outlet {name!r} in the corpus (try `presslens search` to see outlet names)")
    return outlet


def profile(store: Store, name: str, *, top: int = 10) -> OutletProfile:
    outlet = find_outlet(store, name)
    d, a = DocumentRow, AnnotationRow
    with store.session() as s:
        n, first, last, words = s.execute(
            sa.select(
                sa.func.count(d.id),
                sa.func.min(d.published),
                sa.func.max(d.published),
                sa.func.coalesce(sa.func.sum(d.words), 0),
            ).where(d.outlet_id == outlet.id)
        ).one()
        mine = sa.select(d.id).where(d.outlet_id == outlet.id).scalar_subquery()
        techniques = s.execute(
            sa.select(a.label, sa.func.count())
            .where(a.kind == "technique", a.document_id.in_(mine))
            .group_by(a.label)
            .order_by(sa.func.count().desc())
        ).all()
        funding = s.execute(
            sa.select(a.label, a.value, sa.func.count())
            .where(a.kind == "funding", a.document_id.in_(mine))
            .group_by(a.label, a.value)
            .order_by(sa.func.count().desc())
            .limit(top)
        ).all()
        entities = s.execute(
            sa.select(a.label, a.value, sa.func.count())
            .where(a.kind == "entity", a.document_id.in_(mine))
            .group_by(a.label, a.value)
            .order_by(sa.func.count().desc())
            .limit(top)
        ).all()
        copies_from = edge_outlets(s, outlet.id, incoming=True, top=top)
        copied_by = edge_outlets(s, outlet.id, incoming=False, top=top)
    per_k = 1000.0 / words if words else 0.0
    return OutletProfile(
        name=outlet.name,
        domain=outlet.domain,
        documents=int(n),
        first_published=first,
        last_published=last,
        words=int(words),
        techniques_per_1000_words={t: round(c * per_k, 3) for t, c in techniques},
        funding=[{"channel": c, "value": v, "documents": k} for c, v, k in funding],
        copies_from=copies_from,
        copied_by=copied_by,
        top_entities=[{"name": e, "type": t, "documents": k} for e, t, k in entities],
    )


def edge_outlets(s: sa.orm.Session, outlet_id: int, *, incoming: bool, top: int) -> list[dict[str, Any]]:
    """Outlets this one copies from (incoming edges) or that copy it (outgoing), with counts."""
    src, dst = aliased(DocumentRow), aliased(DocumentRow)
    other = aliased(Outlet)
    e = SyndicationEdge
    mine, theirs = (dst, src) if incoming else (src, dst)
    rows = s.execute(
        sa.select(other.name, sa.func.count(), sa.func.avg(e.lag_days))
        .select_from(e)
        .join(src, src.id == e.source_id)
        .join(dst, dst.id == e.target_id)
        .join(other, other.id == theirs.outlet_id)
        .where(mine.outlet_id == outlet_id, theirs.outlet_id != outlet_id, e.kind != "variant")
        .group_by(other.name)
        .order_by(sa.func.count().desc())
        .limit(top)
    ).all()
    return [
        {"outlet": o, "documents": n, "mean_lag_days": None if lag is None else round(float(lag), 1)}
        for o, n, lag in rows
    ]
