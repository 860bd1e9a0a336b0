"""The REST API under `/api`: analyze a page, store and list documents, outlets, the graph.

Data flow: request model → analyzer (ingest + pipeline) or corpus queries → JSON. Response
bodies are the public contract: a Document is `Document.to_json()` (plus `id`, `outlet`,
`stored_published` when it comes from the corpus), a listing is `{items, total, offset, limit,
next_offset}`, an error is `{error: {type, message, exit_code}}` with the CLI's exit codes.
Reads are open; writes need `Authorization: Bearer <token>`; analyze is rate-limited per client.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator, model_validator

from presslens.document import Document
from presslens.errors import InputError
from presslens.web.analysis import Analyzer
from presslens.web.queries import Corpus, SearchQuery, StoredDocument

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
        503: "Storage error (exit code 5)",
    }.items()
}


def corpus_of(request: Request) -> Corpus:
    corpus: Corpus = request.app.state.corpus
    return corpus


def analyzer_of(request: Request) -> Analyzer:
    analyzer: Analyzer = request.app.state.analyzer
    return analyzer


def require_token(request: Request) -> None:
    request.app.state.auth(request)


def rate_limited(request: Request) -> None:
    request.app.state.analyze_limit(request)


CorpusDep = Annotated[Corpus, Depends(corpus_of)]
AnalyzerDep = Annotated[Analyzer, Depends(analyzer_of)]


def run_analysis(analyzer: Analyzer, body: AnalyzeRequest) -> Document:
    source = body.source or body.url or "api"
    if body.url is not None:
        return analyzer.analyze_url(body.url)
    if body.html is not None:
        return analyzer.analyze_text(body.html, source=source, kind="html")
    return analyzer.analyze_text(body.text or "", source=source, kind="text")


def json_bytes(payload: bytes, status_code: int = 200) -> Response:
    return Response(payload, status_code=status_code, media_type="application/json")


@router.post(
    "/analyze",
    response_model=Document,
    dependencies=[Depends(rate_limited)],
    responses={**ERRORS, 429: {"model": ErrorResponse, "description": "Rate limit"}},
)
async def analyze(body: AnalyzeRequest, analyzer: AnalyzerDep) -> Response:
    """Run the pipeline on one page and return its Document (nothing is stored)."""
    doc = await run_in_threadpool(run_analysis, analyzer, body)
    return json_bytes(doc.to_json().encode("utf-8"))


@router.get("/documents", response_model=DocumentPage)
def list_documents(
    corpus: CorpusDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    outlet: str | None = None,
) -> dict[str, Any]:
    """Documents in the corpus, newest first."""
    page = corpus.recent(offset, limit, outlet=outlet)
    return {
        "items": [d.to_dict() for d in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.next_offset,
    }


@router.post(
    "/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=StoredDocumentModel,
    dependencies=[Depends(require_token)],
    responses={**ERRORS, 401: {"model": ErrorResponse, "description": "No or wrong token"}},
)
async def store_document(body: StoreRequest, corpus: CorpusDep, analyzer: AnalyzerDep) -> Response:
    """Analyze a page and store it in the corpus; returns the Document with its `id`."""
    doc = await run_in_threadpool(run_analysis, analyzer, body)
    stored: StoredDocument = await run_in_threadpool(
        corpus.add, doc, outlet=body.outlet, published=body.published
    )
    return JSONResponse(
        stored.to_dict(),
        status_code=status.HTTP_201_CREATED,
        headers={"Location": f"/api/documents/{stored.id}"},
    )


@router.get(
    "/documents/{doc_id}", response_model=StoredDocumentModel, responses={404: {"model": ErrorResponse}}
)
def get_document(doc_id: str, corpus: CorpusDep) -> Response:
    """One stored Document with its annotations."""
    payload = corpus.get_json(doc_id)
    if payload is None:
        raise _not_found(f"no document {doc_id!r}")
    return json_bytes(payload)


@router.delete(
    "/documents/{doc_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    responses={401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def delete_document(doc_id: str, corpus: CorpusDep) -> Response:
    """Remove a document from the corpus."""
    if not corpus.delete(doc_id):
        raise _not_found(f"no document {doc_id!r}")
    return Response(status_code=204)


@router.get("/documents/{doc_id}/copies")
def document_copies(doc_id: str, corpus: CorpusDep) -> list[dict[str, Any]]:
    """Other copies of this document's text: its original and the copies made of it."""
    if corpus.get_json(doc_id) is None:
        raise _not_found(f"no document {doc_id!r}")
    return [vars(c) for c in corpus.copies(doc_id)]


@router.get("/outlets")
def list_outlets(corpus: CorpusDep) -> list[dict[str, Any]]:
    """Every outlet with its number of documents."""
    return [{"name": name, "documents": n} for name, n in corpus.outlets()]


@router.get("/outlets/{name}", responses={404: {"model": ErrorResponse}})
def outlet_profile(name: str, corpus: CorpusDep) -> dict[str, Any]:
    """An outlet's profile: volume and technique rates per month, funding, sources and copiers."""
    profile = corpus.outlet_profile(name)
    if profile is None:
        raise _not_found(f"no outlet {name!r}")
    return profile.to_dict()


@router.get("/graph")
def graph(
    corpus: CorpusDep,
    start: Annotated[str | None, Query(description="Earliest publication date, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(description="Latest publication date, YYYY-MM-DD")] = None,
    outlet: str | None = None,
) -> dict[str, Any]:
    """The syndication graph in node-link form: edges go original → copy."""
    for value in (start, end):
        _check_date(value)
    return corpus.graph(start=start or None, end=end or None, outlet=outlet or None)


@router.get("/search")
def search(
    corpus: CorpusDep,
    q: str = "",
    outlet: str | None = None,
    technique: str | None = None,
    entity: str | None = None,
    start: str | None = None,
    end: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Full-text search with filters; `facets` count the matching documents per value."""
    for value in (start, end):
        _check_date(value)
    result = corpus.search(
        SearchQuery(
            q=q,
            outlet=outlet or None,
            technique=technique or None,
            entity=entity or None,
            start=start or None,
            end=end or None,
            offset=offset,
            limit=limit,
        )
    )
    page = result.hits
    return {
        "items": [d.to_dict() for d in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.next_offset,
        "facets": {k: [{"value": v, "documents": n} for v, n in rows] for k, rows in result.facets.items()},
    }


def _check_date(value: str | None) -> None:
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _not_found(message: str) -> Exception:
    from fastapi import HTTPException

    return HTTPException(status.HTTP_404_NOT_FOUND, detail=message)
