"""Outlet profiles: what one outlet publishes, how it persuades, who funds it, whom it copies.

Where it sits: reads the store after ingest and linking, for `presslens profile`, the web's
outlet page and `/api/outlets/{name}`. Everything is counted in SQL over the flattened
`annotations` table, so a profile never decodes a Document. Technique rates are spans per
1,000 body words (so long-form and short outlets compare), overall and per month; funding
channels and entities count the documents that carry them; "copies from" / "copied by" come
from the syndication edges (`corpus.graph.outlet_links`), copies apart from reuse of passages
and common sources, and copies of originals outside the crawl (known by credits) apart from
copies of pages in it. An outlet known only because pages credit it has a profile too: no
documents, the outlets that copy it.

An outlet is found by name or domain in any letter case; a name wins over another outlet's
domain. Months are `YYYY-MM`; a document dated only by its year, or not at all, is counted
under "unknown", which comes last.

>>> from presslens.corpus.store import Store
>>> profile(Store("sqlite://"), "southfront.org") is None
True
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from presslens.corpus.graph import OutletLink, outlet_links
from presslens.corpus.query import DocSummary, newest_first, outlet_named, summary_select, to_summary
from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store

UNKNOWN_MONTH = "unknown"


@dataclass(frozen=True)
class FundingCount:
    channel: str  # paypal, patreon, bitcoin, ...
    value: str | None  # the handle, address or URL
    documents: int


@dataclass(frozen=True)
class EntityCount:
    name: str
    type: str | None
    documents: int


@dataclass(frozen=True)
class OutletProfile:
    name: str
    domain: str | None
    documents: int
    first_published: str | None
    last_published: str | None
    words: int  # article-body words over all its documents
    volume: list[tuple[str, int]]  # (month, documents), oldest first
    techniques_per_1000_words: dict[str, float]  # every technique found, most used first
    # The `series` most used techniques: (month, spans per 1,000 words that month), as `volume`.
    technique_series: dict[str, list[tuple[str, float]]]
    funding: list[FundingCount]
    copies_from: list[OutletLink]  # outlets whose pages in the crawl this one's pages copy
    copied_by: list[OutletLink]  # outlets whose pages copy this one's (credits included)
    credited_from: list[OutletLink]  # originals outside the crawl its pages credit
    reuses_from: list[OutletLink]  # outlets whose text its pages quote or reuse
    reused_by: list[OutletLink]
    common_sources: list[OutletLink]  # outlets carrying the same third-party texts
    top_entities: list[EntityCount]
    recent: list[DocSummary]  # newest first


def find_outlet(store: Store, name: str) -> Outlet | None:
    """The outlet a user means by `name` (see the module docstring); None when there is none."""
    exact_name = sa.case((sa.func.lower(Outlet.name) == name.strip().lower(), 0), else_=1)
    with store.session() as s:
        return s.scalar(sa.select(Outlet).where(outlet_named(name)).order_by(exact_name, Outlet.id).limit(1))


def profile(
    store: Store, name: str, *, top: int = 10, series: int = 5, recent: int = 10
) -> OutletProfile | None:
    """The profile of the outlet named `name`; None when there is no outlet of that name with
    documents or with pages copying it.

    `top` bounds the funding, entity and copy lists, `series` the techniques followed month by
    month, `recent` the newest documents listed.
    """
    outlet = find_outlet(store, name)
    if outlet is None:
        return None
    d, a = DocumentRow, AnnotationRow
    mine = d.outlet_id == outlet.id
    month = sa.case((sa.func.length(d.published) >= 7, sa.func.substr(d.published, 1, 7)), else_=None)
    words_sum = sa.func.coalesce(sa.func.sum(d.words), 0)
    with store.session() as s:
        n, first, last, words = s.execute(
            sa.select(
                sa.func.count(d.id), sa.func.min(d.published), sa.func.max(d.published), words_sum
            ).where(mine)
        ).one()
        copied_by = outlet_links(s, outlet.id, incoming=False, top=top)
        if not n and not copied_by:
            return None
        per_month = s.execute(sa.select(month, sa.func.count(), words_sum).where(mine).group_by(month)).all()
        spans = s.execute(
            sa.select(month, a.label, sa.func.count())
            .join(d, d.id == a.document_id)
            .where(mine, a.kind == "technique")
            .group_by(month, a.label)
        ).all()
        funding = _documents_per_label(s, outlet.id, "funding", top)
        entities = _documents_per_label(s, outlet.id, "entity", top)
        copies_from = outlet_links(s, outlet.id, incoming=True, top=top, credited=False)
        credited_from = outlet_links(s, outlet.id, incoming=True, top=top, credited=True)
        reuses_from = outlet_links(s, outlet.id, incoming=True, top=top, relation="reuse")
        reused_by = outlet_links(s, outlet.id, incoming=False, top=top, relation="reuse")
        common = outlet_links(s, outlet.id, incoming=True, top=top, relation="common_source")
        newest = s.execute(summary_select().where(mine).order_by(*newest_first()).limit(recent)).all()

    months = sorted(
        ((m or UNKNOWN_MONTH, int(k), int(w)) for m, k, w in per_month),
        key=lambda r: (r[0] == UNKNOWN_MONTH, r[0]),
    )
    by_technique: dict[str, Counter[str]] = defaultdict(Counter)
    for m, technique, k in spans:
        by_technique[technique][m or UNKNOWN_MONTH] += int(k)
    totals = Counter({t: sum(c.values()) for t, c in by_technique.items()})
    ranked = sorted(totals.items(), key=lambda tc: (-tc[1], tc[0])) if words else []
    return OutletProfile(
        name=outlet.name,
        domain=outlet.domain,
        documents=int(n),
        first_published=first,
        last_published=last,
        words=int(words),
        volume=[(m, k) for m, k, _ in months],
        techniques_per_1000_words={t: 1000 * k / words for t, k in ranked},
        technique_series={
            t: [(m, 1000 * by_technique[t][m] / w if w else 0.0) for m, _, w in months]
            for t, _ in ranked[:series]
        },
        funding=[FundingCount(label, value, k) for label, value, k in funding],
        copies_from=copies_from,
        copied_by=copied_by,
        credited_from=credited_from,
        reuses_from=reuses_from,
        reused_by=reused_by,
        common_sources=common,
        top_entities=[EntityCount(label, value, k) for label, value, k in entities],
        recent=[to_summary(r) for r in newest],
    )


def _documents_per_label(s: sa.orm.Session, outlet_id: int, kind: str, top: int) -> list[Any]:
    """(label, value, documents) of one annotation kind in the outlet's documents, most first."""
    a = AnnotationRow
    docs = sa.func.count(sa.distinct(a.document_id))
    return list(
        s.execute(
            sa.select(a.label, a.value, docs)
            .join(DocumentRow, DocumentRow.id == a.document_id)
            .where(DocumentRow.outlet_id == outlet_id, a.kind == kind)
            .group_by(a.label, a.value)
            .order_by(docs.desc(), a.label)
            .limit(top)
        ).all()
    )
