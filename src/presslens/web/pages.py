"""Server-rendered pages: analyze form, document view, outlet profile, graph, search.

Data flow: the corpus query layer (through the same calls and JSON renderings as `api.py`,
so a page and its JSON never disagree) / analyzer → Jinja2 templates → HTML. The document view is the HTML
report's own `_document.html.j2` (one renderer for the report file and the web page), found
through a `ChoiceLoader` over this app's templates and `presslens/report/templates` with the
report environment's globals. Every page reads without JavaScript; the graph page adds a small
vendored script. Page text is always escaped (autoescape), and the app's CSP forbids inline and
foreign scripts, so a scraped page's markup is shown as inert text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from presslens.corpus.graph import RELATIONS, copies, parse_relations
from presslens.corpus.query import get_document, outlets, recent
from presslens.corpus.search import MATCH_END, MATCH_START
from presslens.corpus.search import search as run_search
from presslens.document import Document
from presslens.errors import InputError, UsageError
from presslens.report.html import TEMPLATES as REPORT_TEMPLATES
from presslens.report.html import environment as report_environment
from presslens.report.html import technique_css
from presslens.report.style import TECHNIQUE_TAGS, technique_label
from presslens.vocab import TECHNIQUES
from presslens.web.analysis import EXAMPLE_NAME, example_text
from presslens.web.api import (
    SearchDep,
    analyzer_of,
    copy_json,
    doc_id_of,
    graph_json,
    read_graph,
    read_profile,
    store_of,
)
from presslens.web.charts import bar_chart, fill_months, line_chart

TEMPLATES = Path(__file__).parent / "templates"

router = APIRouter(include_in_schema=False)

_MATCHED = re.compile(re.escape(MATCH_START) + "(.*?)" + re.escape(MATCH_END))


def highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with the words that matched in bold instead of in brackets."""
    return Markup(_MATCHED.sub(r"<b>\1</b>", str(escape(snippet))))


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(REPORT_TEMPLATES))]),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(report_environment().globals)
    env.filters["highlight"] = highlight
    env.globals.update(
        technique_tags=TECHNIQUE_TAGS,
        all_techniques=TECHNIQUES,
        technique_label=technique_label,
        quote=lambda s: quote(str(s), safe=""),
        example_name=EXAMPLE_NAME,
    )
    return env


@cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status_code)


def render_error(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "error.html.j2", status_code=status_code, code=status_code, message=message)


@router.get("/assets/report.css")
def report_css() -> Response:
    """The report's stylesheet and technique colours, served as a file (the CSP has no inline CSS)."""
    css = environment().get_template("_style.css.j2").render() + "\n" + technique_css() + "\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    store = store_of(request)
    return render(
        request,
        "index.html.j2",
        recent=recent(store, limit=10),
        outlets=outlets(store)[:12],
        max_mb=request.app.state.settings.max_body / 1024 / 1024,
    )


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_form(
    request: Request,
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    example: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """One of: the bundled example, an uploaded file, a URL, or pasted text (in that order)."""
    request.app.state.analyze_limit(request)
    analyzer = analyzer_of(request)
    doc: Document
    if example:
        doc = await analyzer.analyze_text(example_text(), source=EXAMPLE_NAME, kind="text")
    elif file is not None and file.filename:
        data = await file.read()
        if not data:
            raise InputError(f"{file.filename}: empty file")
        doc = await analyzer.analyze_upload(data, file.filename)
    elif url.strip():
        doc = await analyzer.analyze_url(url.strip())
    elif text.strip():
        doc = await analyzer.analyze_text(text, source="pasted text")
    else:
        raise UsageError("paste a text, choose a file or give a URL")
    return render(request, "document.html.j2", doc=doc, stored=None, copies=[])


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    store = store_of(request)
    key = doc_id_of(doc_id)
    stored = None if key is None else get_document(store, key)
    if key is None or stored is None:
        return render_error(request, 404, f"no document {doc_id!r}")
    return render(
        request,
        "document.html.j2",
        doc=stored.document,
        stored=stored.summary,
        copies=[copy_json(c) for c in copies(store, key) or []],
    )


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request) -> HTMLResponse:
    return render(request, "outlets.html.j2", outlets=outlets(store_of(request)))


@router.get("/outlets/{name}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str) -> HTMLResponse:
    profile = read_profile(store_of(request), name)
    if profile is None:
        return render_error(request, 404, f"no outlet {name!r}")
    volume = bar_chart(fill_months(profile.volume))
    series = profile.technique_series
    rates = line_chart(series, {t: technique_label(t) for t in series})
    return render(request, "outlet.html.j2", profile=profile, volume=volume, rates=rates)


@router.get("/graph", response_class=HTMLResponse)
def graph_page(
    request: Request,
    start: str = "",
    end: str = "",
    outlet: str = "",
    relation: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    """The graph with a form: dates, outlet and the relations to show (checkboxes, all three
    by default; the script draws the same filter from `/api/graph`)."""
    store = store_of(request)
    relations = parse_relations(",".join(relation or [])) or RELATIONS
    wanted = ",".join(relations) if relations != RELATIONS else ""
    data = graph_json(read_graph(store, start or None, end or None, outlet or None, wanted or None))
    query = (("start", start), ("end", end), ("outlet", outlet), ("relation", wanted))
    params = urlencode({k: v for k, v in query if v})
    counts = Counter(e["relation"] for e in data["edges"])
    return render(
        request,
        "graph.html.j2",
        graph=data,
        nodes={n["id"]: n for n in data["nodes"]},
        start=start,
        end=end,
        outlet=outlet,
        relations=relations,
        counts={r: counts[r] for r in RELATIONS if counts[r]},
        api_url="/api/graph" + (f"?{params}" if params else ""),
        outlets=outlets(store),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, query: SearchDep) -> HTMLResponse:
    result = run_search(store_of(request), query)
    base = {k: v for k in ("q", "outlet", "technique", "entity", "start", "end") if (v := getattr(query, k))}

    def link(**changes: Any) -> str:
        params = {**base, **{k: v for k, v in changes.items()}}
        return "/search?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return render(request, "search.html.j2", query=query, result=result, link=link, filters=base)
