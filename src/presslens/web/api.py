"""The REST API under `/api`: analyze a page, store and list documents, outlets, the graph.

Data flow: request model → analyzer (ingest + pipeline) or the corpus query layer
(`presslens.corpus.query`, `.search`, `.profiles`, `.graph`) → JSON rendered here. Response
bodies are the public contract: a Document is `Document.to_json()` (plus `id`, `outlet`,
`stored_published` when it comes from the corpus), a listing is `{items, total, offset, limit,
next_offset}`, an error is `{error: {type, message, exit_code}}` with the CLI's exit codes.
Document ids are the store's integer keys, sent as strings. Reads are open; writes need
`Authorization: Bearer <token>`; analyze is rate-limited per client.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator, model_validator

from presslens.corpus.graph import CopyLink, EdgeFilter, Graph, copies, parse_relations
from presslens.corpus.graph import graph as build_graph
from presslens.corpus.profiles import OutletProfile, profile
from presslens.corpus.query import (
    DocSummary,
    Page,
    StoredDocument,
    add_document,
    document_json,
    outlets,
    recent,
)
from presslens.corpus.search import SearchHit, SearchQuery, SearchResult
from presslens.corpus.search import search as run_search
from presslens.corpus.store import Store
from presslens.document import Document, RawPage
from presslens.web.analysis import Analyzer

router = APIRouter(prefix="/api", tags=["api"])


class AnalyzeRequest(BaseModel):
    """Exactly one of `text`, `html` or `url`."""

    text: str | None = Field(None, description="Plain text or markdown, analysed verbatim")
    html: str | None = Field(None, description="An HTML page")
    url: str | None = Field(None, description="An http(s) URL, fetched by the safe fetcher")
    source: str | None = Field(None, max_length=2000, description="A name for the input (default: 'api')")

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        given = [k for k in ("text", "html", "url") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text', 'html' or 'url'")
        return self


class StoreRequest(AnalyzeRequest):
    outlet: str | None = Field(None, max_length=200, description="Outlet name (default: from the URL)")
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD")

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value[:10])
        return value


class ErrorDetail(BaseModel):
    type: str
    message: str
    exit_code: int


class ErrorResponse(BaseModel):
    error: ErrorDetail


class StoredDocumentModel(Document):
    id: str
    outlet: str | None = None
    stored_published: str | None = None


class DocSummaryModel(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    url: str | None
    words: int
    techniques: int
    snippet: str | None = None


class DocumentPage(BaseModel):
    items: list[DocSummaryModel]
    total: int
    offset: int
    limit: int
    next_offset: int | None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": why}
    for code, why in {
        400: "Usage error (exit code 2)",
        403: "URL refused by the safe fetcher (exit code 4)",
        413: "Body over the size limit",
        422: "Unreadable or invalid input (exit code 3)",
        502: "URL could not be fetched (exit code 4)",
        503: "Storage error (exit code 5), or every analysis worker busy (exit code 2, Retry-After)",
        504: "Not analysed within the server's time limit (exit code 3)",
    }.items()
}


#: The graph endpoint is bounded so one request cannot serialise a whole million-page crawl.
MAX_GRAPH_EDGES = 5000
#: Entries of each list in an outlet profile (funding, entities, sources, copiers).
PROFILE_TOP = 20
#: The largest document id a URL can name (the store's ids are 32-bit on PostgreSQL).
MAX_DOC_ID = 2**31 - 1
PERIOD_HELP = "a publication date or period, inclusive: YYYY-MM-DD, YYYY-MM or YYYY"


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def analyzer_of(request: Request) -> Analyzer:
    analyzer: Analyzer = request.app.state.analyzer
    return analyzer


def require_token(request: Request) -> None:
    request.app.state.auth(request)


def rate_limited(request: Request) -> None:
    request.app.state.analyze_limit(request)


StoreDep = Annotated[Store, Depends(store_of)]
AnalyzerDep = Annotated[Analyzer, Depends(analyzer_of)]


def doc_id_of(value: str) -> int | None:
    """The store id a URL's `{doc_id}` names; None for anything else (a 404, not a 422)."""
    if (
        value.isascii()
        and value.isdigit()
        and len(value) <= len(str(MAX_DOC_ID))
        and int(value) <= MAX_DOC_ID
    ):
        return int(value)
    return None


# -- rendering: the query layer's records as the API's JSON ------------------------------------
def summary_json(d: DocSummary) -> dict[str, Any]:
    """A listing line; search hits add their `snippet`."""
    out: dict[str, Any] = {
        "id": str(d.id),
        "title": d.title,
        "outlet": d.outlet,
        "published": d.published,
        "source": d.source,
        "url": d.url,
        "words": d.words,
        "techniques": d.techniques,
    }
    if isinstance(d, SearchHit) and d.snippet:
        out["snippet"] = d.snippet
    return out


def page_json(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": [summary_json(d) for d in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.next_offset,
    }


def stored_json(stored: StoredDocument) -> dict[str, Any]:
    """The Document JSON plus where the corpus filed it (`id`, `outlet`, `stored_published`)."""
    return {**_filed(stored.summary), **stored.document.to_dict()}


def _filed(summary: DocSummary) -> dict[str, Any]:
    return {"id": str(summary.id), "outlet": summary.outlet, "stored_published": summary.published}


def spliced_json(summary: DocSummary, document: bytes) -> bytes:
    """`stored_json` without parsing the stored Document JSON: the corpus fields are spliced in
    front of its first key. This is the API's hot path."""
    head = json.dumps(_filed(summary))
    return head[:-1].encode("utf-8") + b"," + document.lstrip()[1:]


def copy_json(c: CopyLink) -> dict[str, Any]:
    """Another copy of a document (or a text sharing passages with it); `evidence` reads
    "kind: what decided the direction". A credited original outside the crawl has no `doc_id`."""
    return {
        "doc_id": str(c.document.id) if c.document.kind == "document" else None,
        "outlet": c.document.outlet,
        "published": c.document.published,
        "url": c.document.url,
        "relation": c.relation,
        "syndication": c.syndication,
        "lag_days": c.lag_days,
        "similarity": c.similarity,
        "evidence": f"{c.kind}: {', '.join(c.evidence)}" if c.evidence else c.kind,
    }


def profile_json(p: OutletProfile) -> dict[str, Any]:
    return {
        "name": p.name,
        "documents": p.documents,
        "first": p.first_published,
        "last": p.last_published,
        "words": p.words,
        "volume": [{"month": m, "documents": n} for m, n in p.volume],
        "technique_rates": {
            t: [{"month": m, "per_1000_words": round(r, 3)} for m, r in rows]
            for t, rows in p.technique_series.items()
        },
        "top_techniques": [
            {"technique": t, "per_1000_words": round(p.techniques_per_1000_words[t], 3)}
            for t in p.technique_series
        ],
        "funding": [
            {"channel": f.channel, "value": f.value or "", "documents": f.documents} for f in p.funding
        ],
        **{
            key: [{"outlet": c.outlet, "documents": c.documents} for c in getattr(p, key)]
            for key in OUTLET_LINKS
        },
        "top_entities": [{"name": e.name, "documents": e.documents} for e in p.top_entities],
        "recent": [summary_json(d) for d in p.recent],
    }


#: The outlet-profile lists of other outlets, by relation (`corpus.profiles.OutletProfile`).
OUTLET_LINKS = ("copies_from", "credited_from", "copied_by", "reuses_from", "reused_by", "common_sources")


def graph_json(g: Graph) -> dict[str, Any]:
    """Node-link JSON with string ids ("12" for a document, "outlet:3" for a credited outlet
    outside the crawl), as the graph page's script and `/api/graph` send it."""
    return {
        "directed": True,
        "nodes": [
            {
                "id": n.key,
                "kind": n.kind,
                "url": n.url,
                "outlet": n.outlet,
                "published": n.published,
                "title": n.title,
            }
            for n in g.nodes
        ],
        "edges": [
            {
                "source": e.source.key,
                "target": e.target.key,
                "relation": e.relation,
                "directed": e.directed,
                "lag_days": e.lag_days,
                "similarity": e.similarity,
                "evidence": e.evidence,
                "kind": e.kind,
            }
            for e in g.edges
        ],
        "truncated": g.truncated,
    }


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        **page_json(result.hits),
        "facets": {k: [{"value": v, "documents": n} for v, n in rows] for k, rows in result.facets.items()},
    }


def search_query(
    q: str = "",
    outlet: str | None = None,
    technique: str | None = None,
    entity: str | None = None,
    start: Annotated[str | None, Query(description=f"From: {PERIOD_HELP}")] = None,
    end: Annotated[str | None, Query(description=f"To: {PERIOD_HELP}")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchQuery:
    """The search a query string asks for, the same for `/api/search` and the `/search` page
    (an empty filter, as an HTML form sends it, filters nothing)."""
    return SearchQuery(q, outlet, technique, entity, start, end, offset, limit)


SearchDep = Annotated[SearchQuery, Depends(search_query)]


def read_graph(
    store: Store, start: str | None, end: str | None, outlet: str | None, relation: str | None = None
) -> Graph:
    """The graph the page and the API show: the relations asked for (all by default), at most
    `MAX_GRAPH_EDGES` edges."""
    flt = EdgeFilter(
        start=start, end=end, outlet=outlet, limit=MAX_GRAPH_EDGES, relations=parse_relations(relation)
    )
    return build_graph(store, flt)


def read_profile(store: Store, name: str) -> OutletProfile | None:
    return profile(store, name, top=PROFILE_TOP)


async def request_page(analyzer: Analyzer, body: AnalyzeRequest) -> RawPage:
    """The page a request names: its text or HTML as given, or its URL through the safe fetcher."""
    if body.url is not None:
        return await analyzer.fetch_page(body.url)
    source = body.source or "api"
    if body.html is not None:
        return analyzer.page(body.html, source=source, kind="html")
    return analyzer.page(body.text or "", source=source, kind="text")


async def run_analysis(analyzer: Analyzer, body: AnalyzeRequest) -> Document:
    return await analyzer.analyze(await request_page(analyzer, body))


def json_bytes(payload: bytes, status_code: int = 200) -> Response:
    return Response(payload, status_code=status_code, media_type="application/json")


@router.post(
    "/analyze",
    response_model=Document,
    dependencies=[Depends(rate_limited)],
    responses={**ERRORS, 429: {"model": ErrorResponse, "description": "Rate limit"}},
)
async def analyze(body: AnalyzeRequest, analyzer: AnalyzerDep) -> Response:
    """Run the pipeline on one page and return its Document (nothing is stored).

    Pages are analysed in a pool of worker processes; when every worker is busy and the
    queue is full the answer is 503 with `Retry-After`, and past the server's time limit 504.
    """
    page = await request_page(analyzer, body)
    return json_bytes(await analyzer.analyze_json(page))


@router.get("/documents", response_model=DocumentPage)
def list_documents(
    store: StoreDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    outlet: str | None = None,
) -> dict[str, Any]:
    """Documents in the corpus, newest first."""
    return page_json(recent(store, outlet=outlet or None, offset=offset, limit=limit))


@router.post(
    "/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=StoredDocumentModel,
    dependencies=[Depends(require_token)],
    responses={**ERRORS, 401: {"model": ErrorResponse, "description": "No or wrong token"}},
)
async def store_document(body: StoreRequest, store: StoreDep, analyzer: AnalyzerDep) -> Response:
    """Analyze a page and store it in the corpus; returns the Document with its `id`."""
    doc = await run_analysis(analyzer, body)
    stored: StoredDocument = await run_in_threadpool(
        add_document, store, doc, outlet=body.outlet, published=body.published
    )
    return JSONResponse(
        stored_json(stored),
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/api/documents/{stored.id}"},
    )


@router.get(
    "/documents/{doc_id}", response_model=StoredDocumentModel, responses={404: {"model": ErrorResponse}}
)
def get_document(doc_id: str, store: StoreDep) -> Response:
    """One stored Document with its annotations."""
    key = doc_id_of(doc_id)
    found = None if key is None else document_json(store, key)
    if found is None:
        raise _not_found(f"no document {doc_id!r}")
    return json_bytes(spliced_json(*found))


@router.delete(
    "/documents/{doc_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    responses={401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def delete_document(doc_id: str, store: StoreDep) -> Response:
    """Remove a document from the corpus, with its annotations and syndication edges."""
    key = doc_id_of(doc_id)
    if key is None or not store.delete_document(key):
        raise _not_found(f"no document {doc_id!r}")
    return Response(status_code=204)


@router.get("/documents/{doc_id}/copies")
def document_copies(doc_id: str, store: StoreDep) -> list[dict[str, Any]]:
    """Other copies of this document's text: its original and the copies made of it."""
    key = doc_id_of(doc_id)
    found = None if key is None else copies(store, key)
    if found is None:
        raise _not_found(f"no document {doc_id!r}")
    return [copy_json(c) for c in found]


@router.get("/outlets")
def list_outlets(store: StoreDep) -> list[dict[str, Any]]:
    """Every outlet with its number of documents."""
    return [{"name": name, "documents": n} for name, n in outlets(store)]


@router.get("/outlets/{name}", responses={404: {"model": ErrorResponse}})
def outlet_profile(name: str, store: StoreDep) -> dict[str, Any]:
    """An outlet's profile (by name or domain, any case): volume and technique rates per month,
    funding, sources and copiers."""
    found = read_profile(store, name)
    if found is None:
        raise _not_found(f"no outlet {name!r}")
    return profile_json(found)


@router.get("/graph")
def graph(
    store: StoreDep,
    start: Annotated[str | None, Query(description=f"Earliest: {PERIOD_HELP}")] = None,
    end: Annotated[str | None, Query(description=f"Latest: {PERIOD_HELP}")] = None,
    outlet: str | None = None,
    relation: Annotated[
        str | None,
        Query(description="Comma-separated relations: copy, reuse, common_source (default: all three)"),
    ] = None,
) -> dict[str, Any]:
    """The syndication graph in node-link form: edges go original → copy (or source → reuser;
    `directed` false for a shared common source). An edge is kept when one of its documents is
    in the period, or of the outlet, and its relation is one asked for."""
    return graph_json(read_graph(store, start or None, end or None, outlet or None, relation or None))


@router.get("/search")
def search(store: StoreDep, query: SearchDep) -> dict[str, Any]:
    """Full-text search with filters; `facets` count the matching documents per value."""
    return search_json(run_search(store, query))


def _not_found(message: str) -> Exception:
    from fastapi import HTTPException

    return HTTPException(status.HTTP_404_NOT_FOUND, detail=message)
