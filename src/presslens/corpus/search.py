"""Full-text search over the corpus: a page of hits with snippets, the total, and facets.

Where it sits: reads the store (never writes), for `presslens search`, the web's search page
and `/api/search` alike. On SQLite the words are matched in the FTS5 table `documents_fts`
(porter stemming, BM25 ranking, highlighted snippets); on PostgreSQL against the GIN
expression index (`plainto_tsquery`, `ts_rank`, `ts_headline`); any other database scans
with LIKE. Filters on outlet and dates mean what `corpus.query` says.

One behaviour for every surface (the CLI and the web used to differ; the choices are what a
researcher would expect):

- every word is required; FTS syntax in the input (`OR`, `NEAR(`, quotes, `-`) is words,
  never operators; a trailing `*` asks for a prefix (SQLite);
- technique and entity filters match labels in any letter case ("loaded_language" finds
  `Loaded_Language`), as outlet names do;
- hits come best first (relevance, then newest, then newest stored); without words, newest
  first;
- a hit's snippet is the passage around the words, matches in [brackets], or the opening of
  the body when there are no words;
- facets count documents per outlet, technique, entity and year over ALL matches, not the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from presslens.corpus.query import (
    SUMMARY_COLUMNS,
    DocSummary,
    Page,
    check_page,
    newest_first,
    outlet_named,
    published_within,
    summary_select,
    to_summary,
)
from presslens.corpus.store import AnnotationRow, DocumentRow, Outlet, Store

_TOKEN = re.compile(r"\w+", re.UNICODE)
_FTS = sa.table("documents_fts", sa.column("rowid"))
#: How many values each facet lists; years are all listed, in order.
FACET_SIZES = {"outlet": 10, "technique": 14, "entity": 10}
SNIPPET_CHARS = 200
#: How a snippet marks the words that matched (the CLI prints them so, the web emphasises them).
MATCH_START, MATCH_END = "[", "]"


@dataclass(frozen=True)
class SearchQuery:
    """What to find: words (may be empty) and filters; dates are periods (`corpus.query`)."""

    q: str = ""
    outlet: str | None = None
    technique: str | None = None
    entity: str | None = None
    start: str | None = None
    end: str | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class SearchHit(DocSummary):
    """A listing line plus why it matched: the snippet and the engine's score (higher better)."""

    snippet: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class SearchResult:
    hits: Page[SearchHit]
    facets: dict[str, list[tuple[str, int]]]  # facet name -> [(value, documents)], biggest first


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


class _Words:
    """How this store's engine finds, ranks and quotes the query's words.

    `rank` sorts best first when ascending (bm25 is negative, so is minus ts_rank).
    """

    def __init__(self, dialect: str, text: str) -> None:
        self.text = text
        self.words = _TOKEN.findall(text)
        self.dialect = dialect if self.words else "none"
        self.rank: Any = sa.literal(0.0)
        self.snippet: Any = sa.func.substr(DocumentRow.body_text, 1, SNIPPET_CHARS)
        if self.dialect == "sqlite":
            self.rank = sa.literal_column("bm25(documents_fts)")
            self.snippet = sa.literal_column(
                f"snippet(documents_fts, 1, '{MATCH_START}', '{MATCH_END}', '…', 16)"
            )
        elif self.dialect == "postgresql":
            self.rank = -sa.func.ts_rank(_pg_vector(), self._tsquery())
            self.snippet = sa.func.ts_headline(
                "english",
                DocumentRow.body_text,
                self._tsquery(),
                f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=10",
            )

    def _tsquery(self) -> Any:
        return sa.func.plainto_tsquery("english", " ".join(self.words))

    def restrict(self, query: sa.Select[Any]) -> sa.Select[Any]:
        """`query` (over documents) narrowed to the documents that have every word."""
        if self.dialect == "sqlite":
            match = sa.text("documents_fts MATCH :fts").bindparams(fts=fts5_query(self.text))
            return query.join(_FTS, _FTS.c.rowid == DocumentRow.id).where(match)
        if self.dialect == "postgresql":
            return query.where(_pg_vector().op("@@")(self._tsquery()))
        if self.words:
            return query.where(*[DocumentRow.body_text.ilike(f"%{w}%") for w in self.words])
        return query

    def order(self) -> tuple[Any, ...]:
        ranked = self.dialect in ("sqlite", "postgresql")
        return (self.rank, *newest_first()) if ranked else newest_first()


def _pg_vector() -> Any:
    """The text vector exactly as the GIN index spells it (constants inline, not bound
    parameters), so PostgreSQL can answer the match from the index."""
    text = (
        sa.func.coalesce(DocumentRow.title, sa.literal_column("''"))
        .op("||")(sa.literal_column("' '"))
        .op("||")(DocumentRow.body_text)
    )
    return sa.func.to_tsvector(sa.literal_column("'english'"), text)


def _filters(query: SearchQuery) -> list[Any]:
    out: list[Any] = published_within(DocumentRow.published, query.start, query.end)
    if query.outlet:
        out.append(outlet_named(query.outlet))
    for kind, label in (("technique", query.technique), ("entity", query.entity)):
        if label:
            a = sa.orm.aliased(AnnotationRow)
            out.append(
                sa.exists().where(
                    a.document_id == DocumentRow.id,
                    a.kind == kind,
                    sa.func.lower(a.label) == label.strip().lower(),
                )
            )
    return out


def search(store: Store, query: SearchQuery, *, facets: bool = True) -> SearchResult:
    """The page of hits `query` asks for, the number of all matches, and (unless `facets` is
    False, for callers that show none) the facets over all matches."""
    check_page(query.offset, query.limit)
    words = _Words(store.dialect, query.q)
    filters = _filters(query)
    ids = words.restrict(
        sa.select(DocumentRow.id).outerjoin(Outlet, Outlet.id == DocumentRow.outlet_id)
    ).where(*filters)
    hits = (
        words.restrict(summary_select(words.snippet, words.rank))
        .where(*filters)
        .order_by(*words.order())
        .offset(query.offset)
        .limit(query.limit)
    )
    with store.session() as s:
        total = int(s.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0)
        rows = s.execute(hits).all()
        counts = _facets(s, ids) if facets else {}
    page = [
        SearchHit(
            **vars(to_summary(r)),
            snippet=" ".join(str(r[SUMMARY_COLUMNS] or "").split()),
            score=abs(float(r[SUMMARY_COLUMNS + 1] or 0.0)),
        )
        for r in rows
    ]
    return SearchResult(Page(page, total, query.offset, query.limit), counts)


def _facets(s: sa.orm.Session, ids: sa.Select[Any]) -> dict[str, list[tuple[str, int]]]:
    d, a = DocumentRow, AnnotationRow
    n = sa.func.count()
    docs = sa.func.count(sa.distinct(a.document_id))
    year = sa.func.substr(d.published, 1, 4)
    queries: dict[str, sa.Executable] = {
        "outlet": sa.select(Outlet.name, n)
        .join(d, d.outlet_id == Outlet.id)
        .where(d.id.in_(ids))
        .group_by(Outlet.name)
        .order_by(n.desc(), Outlet.name)
        .limit(FACET_SIZES["outlet"]),
        **{
            kind: sa.select(a.label, docs)
            .where(a.document_id.in_(ids), a.kind == kind)
            .group_by(a.label)
            .order_by(docs.desc(), a.label)
            .limit(FACET_SIZES[kind])
            for kind in ("technique", "entity")
        },
        "year": sa.select(year, n)
        .where(d.id.in_(ids), d.published.is_not(None))
        .group_by(year)
        .order_by(year),
    }
    return {name: [(str(v), int(k)) for v, k in s.execute(q)] for name, q in queries.items()}
