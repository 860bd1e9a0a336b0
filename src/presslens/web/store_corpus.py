"""`StoreCorpus`: the web app's `Corpus` answered from the SQLAlchemy store of `presslens.corpus`.

Data flow: corpus store (tables `documents`, `annotations`, `outlets`, `syndication_edges`,
FTS5 `documents_fts` on SQLite or a GIN tsvector index on PostgreSQL) → these queries →
web views. Aggregations (outlet profiles, facets) run in SQL over the flattened `annotations`
table so a page never decompresses hundreds of Document blobs; only a single document view
loads one. Document ids in URLs are the store's integer primary keys, as strings.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from presslens.corpus.profiles import edge_outlets
from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store, SyndicationEdge
from presslens.document import Document, RawPage
from presslens.errors import StorageError
from presslens.web.queries import (
    CopyLink,
    DocSummary,
    OutletProfile,
    Page,
    SearchQuery,
    SearchResult,
    StoredDocument,
    clamp_page,
    snippet_around,
)

_MONTH_LEN = 7
#: The graph endpoint is bounded so one request cannot serialise a whole million-page crawl.
MAX_GRAPH_EDGES = 5000
_TOKEN = re.compile(r"\w+", re.UNICODE)


_GET_JSON = (
    sa.select(DocumentRow.document, Outlet.name, DocumentRow.published)
    .outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)
    .where(DocumentRow.id == sa.bindparam("doc_id"))
)


def _doc_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


class StoreCorpus:
    """Answers `presslens.web.queries.Corpus` from a `presslens.corpus.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, url: str) -> StoreCorpus:
        return cls(Store(url))

    # -- listings ---------------------------------------------------------------------------
    def _summary_select(self) -> sa.Select[Any]:
        techniques = (
            sa.select(sa.func.count())
            .where(AnnotationRow.document_id == DocumentRow.id, AnnotationRow.kind == "technique")
            .correlate(DocumentRow)
            .scalar_subquery()
        )
        return sa.select(
            DocumentRow.id,
            DocumentRow.title,
            Outlet.name,
            DocumentRow.published,
            DocumentRow.source,
            DocumentRow.url,
            DocumentRow.words,
            techniques,
        ).outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)

    @staticmethod
    def _summary(row: Any, snippet: str | None = None) -> DocSummary:
        return DocSummary(
            id=str(row[0]),
            title=row[1],
            outlet=row[2],
            published=row[3],
            source=row[4],
            url=row[5],
            words=row[6] or 0,
            techniques=row[7] or 0,
            snippet=snippet,
        )

    def recent(self, offset: int = 0, limit: int = 20, outlet: str | None = None) -> Page[DocSummary]:
        offset, limit = clamp_page(offset, limit)
        query = self._summary_select()
        count = sa.select(sa.func.count()).select_from(DocumentRow)
        if outlet:
            query = query.where(Outlet.name == outlet)
            count = count.join(Outlet, Outlet.id == DocumentRow.outlet_id).where(Outlet.name == outlet)
        query = query.order_by(DocumentRow.published.desc().nulls_last(), DocumentRow.id.desc())
        with self.store.session() as s:
            total = int(s.scalar(count) or 0)
            rows = s.execute(query.offset(offset).limit(limit)).all()
        return Page([self._summary(r) for r in rows], total, offset, limit)

    # -- one document -----------------------------------------------------------------------
    def get(self, doc_id: str) -> StoredDocument | None:
        key = _doc_id(doc_id)
        if key is None:
            return None
        with self.store.session() as s:
            row = s.execute(self._summary_select().where(DocumentRow.id == key)).first()
            blob = s.scalar(sa.select(DocumentRow.document).where(DocumentRow.id == key)) if row else None
        if row is None or blob is None:
            return None
        return StoredDocument(self._summary(row), Document.from_json(zlib.decompress(blob)))

    def get_json(self, doc_id: str) -> bytes | None:
        key = _doc_id(doc_id)
        if key is None:
            return None
        # A bare connection, not an ORM session: this is the API's hot path.
        try:
            with self.store.engine.connect() as conn:
                row = conn.execute(_GET_JSON, {"doc_id": key}).first()
        except SQLAlchemyError as exc:
            raise StorageError(f"store: {str(exc).splitlines()[0]}") from exc
        if row is None:
            return None
        body = zlib.decompress(row[0])
        # Splice the corpus fields in front of the stored Document JSON instead of parsing and
        # re-serialising it: this is the API's hot path.
        head = json.dumps({"id": str(key), "outlet": row[1], "stored_published": row[2]})
        return head[:-1].encode("utf-8") + b"," + body.lstrip()[1:]

    def add(
        self, doc: Document, *, outlet: str | None = None, published: str | None = None
    ) -> StoredDocument:
        from presslens.corpus.records import content_key, registered_domain, to_record

        raw = doc.raw or RawPage(source=doc.source, kind=doc.input_kind, text=doc.text, url=doc.metadata.url)
        if outlet or published:
            raw = raw.model_copy(
                update={k: v for k, v in (("outlet", outlet), ("published", published)) if v}
            )
        key = content_key(raw)
        record = to_record(doc, key, raw)
        if outlet:
            record.outlet, record.outlet_domain = outlet, registered_domain(record.url)
        if published:
            record.published = published
        self.store.add_batch([record])
        with self.store.session() as s:
            new_id = s.scalar(sa.select(DocumentRow.id).where(DocumentRow.key == key))
        stored = self.get(str(new_id))
        if stored is None:  # pragma: no cover - the row was just committed
            from presslens.errors import StorageError

            raise StorageError("the stored document could not be read back")
        return stored

    def delete(self, doc_id: str) -> bool:
        key = _doc_id(doc_id)
        if key is None:
            return False
        with self.store.session() as s:
            # Explicit child deletes: PostgreSQL cascades, but SQLite only with foreign_keys on.
            for table, column in ((AnnotationRow, AnnotationRow.document_id),):
                s.execute(sa.delete(table).where(column == key))
            s.execute(
                sa.delete(SyndicationEdge).where(
                    sa.or_(SyndicationEdge.source_id == key, SyndicationEdge.target_id == key)
                )
            )
            result = s.execute(sa.delete(DocumentRow).where(DocumentRow.id == key))
            return bool(getattr(result, "rowcount", 0))

    def copies(self, doc_id: str) -> list[CopyLink]:
        key = _doc_id(doc_id)
        if key is None:
            return []
        other = aliased(DocumentRow)
        out: list[CopyLink] = []
        with self.store.session() as s:
            for relation, mine, theirs in (
                ("copy", SyndicationEdge.source_id, SyndicationEdge.target_id),
                ("original", SyndicationEdge.target_id, SyndicationEdge.source_id),
            ):
                rows = s.execute(
                    sa.select(
                        other.id,
                        Outlet.name,
                        other.published,
                        other.url,
                        SyndicationEdge.lag_days,
                        SyndicationEdge.similarity,
                        SyndicationEdge.evidence,
                        SyndicationEdge.kind,
                    )
                    .join(other, other.id == theirs)
                    .outerjoin(Outlet, Outlet.id == other.outlet_id)
                    .where(mine == key)
                    .order_by(other.published)
                ).all()
                for r in rows:
                    evidence = ", ".join(_json_list(r[6]))
                    out.append(
                        CopyLink(
                            str(r[0]),
                            r[1],
                            r[2],
                            r[3],
                            relation,
                            r[4],
                            r[5],
                            f"{r[7]}: {evidence}" if evidence else r[7],
                        )
                    )
        return out

    # -- outlets ----------------------------------------------------------------------------
    def outlets(self) -> list[tuple[str, int]]:
        query = (
            sa.select(Outlet.name, sa.func.count(DocumentRow.id))
            .join(DocumentRow, DocumentRow.outlet_id == Outlet.id)
            .group_by(Outlet.name)
            .order_by(sa.func.count(DocumentRow.id).desc(), Outlet.name)
        )
        with self.store.session() as s:
            return [(name, int(n)) for name, n in s.execute(query)]

    def outlet_profile(self, name: str, top: int = 5) -> OutletProfile | None:
        month = sa.func.substr(DocumentRow.published, 1, _MONTH_LEN)
        with self.store.session() as s:
            outlet_id = s.scalar(sa.select(Outlet.id).where(Outlet.name == name))
            if outlet_id is None:
                return None
            mine = DocumentRow.outlet_id == outlet_id
            total, first, last, words = s.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.min(DocumentRow.published),
                    sa.func.max(DocumentRow.published),
                    sa.func.coalesce(sa.func.sum(DocumentRow.words), 0),
                ).where(mine)
            ).one()
            if not total:
                return None
            per_month = s.execute(
                sa.select(month, sa.func.count(), sa.func.coalesce(sa.func.sum(DocumentRow.words), 0))
                .where(mine)
                .group_by(month)
                .order_by(month)
            ).all()
            spans = s.execute(
                sa.select(month, AnnotationRow.label, sa.func.count())
                .join(DocumentRow, DocumentRow.id == AnnotationRow.document_id)
                .where(mine, AnnotationRow.kind == "technique")
                .group_by(month, AnnotationRow.label)
            ).all()

            def annotation_counts(kind: str, limit: int, with_value: bool) -> Sequence[Any]:
                cols = [AnnotationRow.label, AnnotationRow.value] if with_value else [AnnotationRow.label]
                return s.execute(
                    sa.select(*cols, sa.func.count(sa.distinct(AnnotationRow.document_id)))
                    .join(DocumentRow, DocumentRow.id == AnnotationRow.document_id)
                    .where(mine, AnnotationRow.kind == kind)
                    .group_by(*cols)
                    .order_by(sa.func.count(sa.distinct(AnnotationRow.document_id)).desc())
                    .limit(limit)
                ).all()

            funding = annotation_counts("funding", 20, True)
            entities = annotation_counts("entity", 10, False)
            # The same edge query as `presslens profile` (variants of one URL are not copies).
            copies_from = edge_outlets(s, outlet_id, incoming=True, top=20)
            copied_by = edge_outlets(s, outlet_id, incoming=False, top=20)
        months = [(m or "unknown", int(n), int(w)) for m, n, w in per_month]
        words_by_month = {m: w for m, _, w in months}
        by_technique: dict[str, Counter[str]] = defaultdict(Counter)
        for m, technique, n in spans:
            by_technique[technique][m or "unknown"] += int(n)
        totals = Counter({t: sum(c.values()) for t, c in by_technique.items()})
        top_techniques = [(t, 1000 * n / words) for t, n in totals.most_common(top)] if words else []
        rates = {
            t: [
                (m, 1000 * by_technique[t][m] / words_by_month[m] if words_by_month[m] else 0.0)
                for m, _, _ in months
            ]
            for t, _ in top_techniques
        }
        return OutletProfile(
            name=name,
            documents=int(total),
            first=first,
            last=last,
            words=int(words),
            volume=[(m, n) for m, n, _ in months],
            technique_rates=rates,
            top_techniques=top_techniques,
            funding=[(c, v or "", int(n)) for c, v, n in funding],
            copies_from=[(r["outlet"], int(r["documents"])) for r in copies_from],
            copied_by=[(r["outlet"], int(r["documents"])) for r in copied_by],
            top_entities=[(e, int(n)) for e, n in entities],
            recent=self.recent(0, 10, outlet=name).items,
        )

    # -- graph ------------------------------------------------------------------------------
    def graph(
        self,
        start: str | None = None,
        end: str | None = None,
        outlet: str | None = None,
        limit: int = MAX_GRAPH_EDGES,
    ) -> dict[str, Any]:
        src, dst = aliased(DocumentRow), aliased(DocumentRow)
        src_outlet, dst_outlet = aliased(Outlet), aliased(Outlet)
        query = (
            sa.select(
                SyndicationEdge.source_id,
                SyndicationEdge.target_id,
                SyndicationEdge.lag_days,
                SyndicationEdge.similarity,
                SyndicationEdge.evidence,
                SyndicationEdge.kind,
            )
            .join(src, src.id == SyndicationEdge.source_id)
            .join(dst, dst.id == SyndicationEdge.target_id)
            .outerjoin(src_outlet, src_outlet.id == src.outlet_id)
            .outerjoin(dst_outlet, dst_outlet.id == dst.outlet_id)
        )
        if start:
            query = query.where(sa.or_(src.published >= start, dst.published >= start))
        if end:
            upper = end + "\uffff"  # so '2020-01-31' keeps '2020-01-31T...' values too
            query = query.where(sa.or_(src.published <= upper, dst.published <= upper))
        if outlet:
            query = query.where(sa.or_(src_outlet.name == outlet, dst_outlet.name == outlet))
        query = query.order_by(SyndicationEdge.id).limit(limit)
        with self.store.session() as s:
            edges = s.execute(query).all()
            ids = sorted({e[0] for e in edges} | {e[1] for e in edges})
            nodes: list[Any] = []
            for i in range(0, len(ids), 500):
                nodes += s.execute(
                    sa.select(
                        DocumentRow.id, DocumentRow.url, Outlet.name, DocumentRow.published, DocumentRow.title
                    )
                    .outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)
                    .where(DocumentRow.id.in_(ids[i : i + 500]))
                ).all()
        return {
            "directed": True,
            "nodes": [
                {"id": str(n[0]), "url": n[1], "outlet": n[2], "published": n[3], "title": n[4]}
                for n in nodes
            ],
            "edges": [
                {
                    "source": str(e[0]),
                    "target": str(e[1]),
                    "lag_days": e[2],
                    "similarity": e[3],
                    "evidence": _json_list(e[4]),
                    "kind": e[5],
                }
                for e in edges
            ],
            "truncated": len(edges) >= limit,
        }

    # -- search -----------------------------------------------------------------------------
    def _matching_ids(self, query: SearchQuery) -> sa.Select[Any, Any]:
        """A SELECT of (id, rank) of matching documents, for hits and facets alike.

        `rank` sorts best first (ascending): bm25 on SQLite, minus ts_rank on PostgreSQL, 0 when
        there are no words.
        """
        words = _TOKEN.findall(query.q)
        ids: sa.Select[Any, Any]
        if words and self.store.dialect == "sqlite":
            # Each word quoted: user input never reaches FTS5's query syntax.
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            fts = (
                sa.text(
                    "SELECT rowid, bm25(documents_fts) AS rank FROM documents_fts "
                    "WHERE documents_fts MATCH :match"
                )
                .bindparams(match=match)
                .columns(sa.column("rowid", sa.Integer), sa.column("rank", sa.Float))
                .subquery()
            )
            ids = sa.select(DocumentRow.id, fts.c.rank.label("rank")).join(fts, fts.c.rowid == DocumentRow.id)
        elif words:
            vector = sa.func.to_tsvector(
                "english", sa.func.coalesce(DocumentRow.title, "") + " " + DocumentRow.body_text
            )
            tsquery = sa.func.plainto_tsquery("english", " ".join(words))
            ids = sa.select(DocumentRow.id, (-sa.func.ts_rank(vector, tsquery)).label("rank")).where(
                vector.op("@@")(tsquery)
            )
        else:
            ids = sa.select(DocumentRow.id, sa.literal(0.0).label("rank"))
        if query.outlet:
            ids = ids.join(Outlet, Outlet.id == DocumentRow.outlet_id).where(Outlet.name == query.outlet)
        for kind, label in (("technique", query.technique), ("entity", query.entity)):
            if label:
                ids = ids.where(
                    sa.exists().where(
                        AnnotationRow.document_id == DocumentRow.id,
                        AnnotationRow.kind == kind,
                        AnnotationRow.label == label,
                    )
                )
        if query.start:
            ids = ids.where(DocumentRow.published >= query.start)
        if query.end:
            ids = ids.where(DocumentRow.published <= query.end + "\uffff")
        return ids

    def search(self, query: SearchQuery) -> SearchResult:
        offset, limit = clamp_page(query.offset, query.limit)
        matching = self._matching_ids(query).subquery()
        in_match = DocumentRow.id.in_(sa.select(matching.c.id))
        with self.store.session() as s:
            total = int(s.scalar(sa.select(sa.func.count()).select_from(matching)) or 0)
            rows = s.execute(
                self._summary_select()
                .join(matching, matching.c.id == DocumentRow.id)
                .order_by(matching.c.rank, DocumentRow.published.desc().nulls_last(), DocumentRow.id.desc())
                .offset(offset)
                .limit(limit)
            ).all()
            snippets: dict[int, str] = {}
            if query.q.strip() and rows:
                for doc_id, body in s.execute(
                    sa.select(DocumentRow.id, DocumentRow.body_text).where(
                        DocumentRow.id.in_([r[0] for r in rows])
                    )
                ):
                    snippets[doc_id] = snippet_around(body, query.q)
            year = sa.func.substr(DocumentRow.published, 1, 4)
            facets = {
                "outlet": [
                    (o, int(n))
                    for o, n in s.execute(
                        sa.select(Outlet.name, sa.func.count())
                        .join(DocumentRow, DocumentRow.outlet_id == Outlet.id)
                        .where(in_match)
                        .group_by(Outlet.name)
                        .order_by(sa.func.count().desc())
                        .limit(10)
                    )
                ],
                "technique": self._label_facet(s, "technique", in_match, 14),
                "entity": self._label_facet(s, "entity", in_match, 10),
                "year": [
                    (y, int(n))
                    for y, n in s.execute(
                        sa.select(year, sa.func.count())
                        .where(in_match, DocumentRow.published.is_not(None))
                        .group_by(year)
                        .order_by(year)
                    )
                ],
            }
        hits = [self._summary(r, snippets.get(r[0])) for r in rows]
        return SearchResult(Page(hits, total, offset, limit), facets)

    @staticmethod
    def _label_facet(s: Any, kind: str, in_match: Any, limit: int) -> list[tuple[str, int]]:
        docs = sa.func.count(sa.distinct(AnnotationRow.document_id))
        rows = s.execute(
            sa.select(AnnotationRow.label, docs)
            .join(DocumentRow, DocumentRow.id == AnnotationRow.document_id)
            .where(in_match, AnnotationRow.kind == kind)
            .group_by(AnnotationRow.label)
            .order_by(docs.desc())
            .limit(limit)
        )
        return [(label, int(n)) for label, n in rows]


def _json_list(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return [value]
    return [str(x) for x in data] if isinstance(data, list) else [str(data)]
