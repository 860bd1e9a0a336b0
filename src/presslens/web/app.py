"""The FastAPI application: `create_app()` wires the corpus, analyzer, guards and routes.

Data flow: corpus store → the corpus query layer (`presslens.corpus.query`, `.search`,
`.profiles`, `.graph`) → views (`api.py` for JSON under `/api`, `pages.py` for
server-rendered HTML) → the browser. The app imports corpus and analysis code, never the
reverse, and holds no SQL of its own. Errors are the library's `PresslensError` classes,
mapped to HTTP statuses in one place here (`ERROR_STATUS`), with the CLI's exit code in the
body. Analysis runs in the analyzer's pool of worker processes, started with the app (its
lifespan) so models are loaded before the first request; reads never wait for it.

>>> app = create_app(token="t")
>>> app.state.settings.token
't'
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from presslens.corpus.store import Store
from presslens.errors import (
    FetchError,
    FetchRefused,
    InputError,
    PresslensError,
    StorageError,
    UsageError,
)
from presslens.web.analysis import DEFAULT_TIMEOUT, AnalysisBusy, AnalysisTimeout, Analyzer
from presslens.web.security import (
    BodyLimitMiddleware,
    RateLimiter,
    SecurityHeadersMiddleware,
    TokenAuth,
    new_token,
)

log = logging.getLogger("presslens.web")

STATIC = Path(__file__).parent / "static"

#: Library error → HTTP status; the first matching class wins (subclasses first).
ERROR_STATUS: tuple[tuple[type[PresslensError], int], ...] = (
    (FetchRefused, 403),
    (FetchError, 502),
    (StorageError, 503),
    (UsageError, 400),
    (AnalysisBusy, 503),
    (AnalysisTimeout, 504),
    (InputError, 422),
    (PresslensError, 422),
)

DEFAULT_MAX_BODY = 5 * 1024 * 1024  # bytes; a news page is rarely over 1 MB of HTML
DEFAULT_ANALYZE_PER_MINUTE = 30.0


@dataclass
class Settings:
    token: str
    max_body: int = DEFAULT_MAX_BODY
    analyze_per_minute: float = DEFAULT_ANALYZE_PER_MINUTE
    allow_private: bool = False
    db_url: str | None = None


def status_for(exc: PresslensError) -> int:
    for cls, code in ERROR_STATUS:
        if isinstance(exc, cls):
            return code
    return 422


def error_body(kind: str, message: str, exit_code: int) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "exit_code": exit_code}}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def env_number(name: str) -> float | None:
    """A number from the environment (the `uvicorn --factory` way to set the app's options)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"${name} must be a number, not {value!r}") from None


def env_int(name: str) -> int | None:
    value = env_number(name)
    return None if value is None else int(value)


def open_store(db_url: str | None) -> Store:
    """The corpus behind the app: the store at a URL, or for None an empty in-memory SQLite
    one (a demo or a test: it answers like any store and is gone when the app stops)."""
    return Store(db_url or "sqlite://")


def create_app(
    db_url: str | None = None,
    token: str | None = None,
    *,
    store: Store | None = None,
    analyzer: Analyzer | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    analyze_per_minute: float | None = None,
    allow_private: bool = False,
    workers: int | None = None,
    queue_size: int | None = None,
    timeout: float | None = None,
) -> FastAPI:
    """Build the app. `token` defaults to `$PRESSLENS_TOKEN`, else a random one (logged).

    `store` overrides `db_url` (tests pass one they seeded); `analyze_per_minute` defaults to
    `$PRESSLENS_ANALYZE_PER_MINUTE` or 30; `allow_private` lets the URL analyzer reach private
    addresses (tests serving pages from 127.0.0.1, intranets).

    Without an `analyzer`, the app makes its own and owns it: its pool starts (models loaded)
    before the app takes requests and stops with the app. `workers` (default
    `$PRESSLENS_ANALYZE_WORKERS`, else one per CPU core), `queue_size`
    (`$PRESSLENS_ANALYZE_QUEUE`, else 4 per worker) and `timeout` in seconds
    (`$PRESSLENS_ANALYZE_TIMEOUT`, else 30) shape it. A given `analyzer` is started but left
    to its owner to close (tests share one across apps).
    """
    token = token or os.environ.get("PRESSLENS_TOKEN") or None
    if token is None:
        token = new_token()
        log.warning("no PRESSLENS_TOKEN given; writes need this generated token: %s", token)
    if analyze_per_minute is None:
        analyze_per_minute = float(os.environ.get("PRESSLENS_ANALYZE_PER_MINUTE", DEFAULT_ANALYZE_PER_MINUTE))
    settings = Settings(
        token=token,
        max_body=max_body,
        analyze_per_minute=analyze_per_minute,
        allow_private=allow_private,
        db_url=db_url,
    )

    owns_analyzer = analyzer is None
    if analyzer is None:
        analyzer = Analyzer(
            allow_private=allow_private,
            workers=workers if workers is not None else env_int("PRESSLENS_ANALYZE_WORKERS"),
            queue_size=queue_size if queue_size is not None else env_int("PRESSLENS_ANALYZE_QUEUE"),
            timeout=timeout or env_number("PRESSLENS_ANALYZE_TIMEOUT") or DEFAULT_TIMEOUT,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Workers load their models before the first request, not during it.
        await asyncio.to_thread(app.state.analyzer.start)
        try:
            yield
        finally:
            if owns_analyzer:
                await asyncio.to_thread(app.state.analyzer.close)

    app = FastAPI(
        lifespan=lifespan,
        title="presslens",
        version="0.1.0",
        summary="Take news pages apart: article vs wrapper, provenance, funding, claims, persuasion.",
        description=(
            "Analyze a page (`POST /api/analyze`), store documents (`POST /api/documents`, needs "
            "`Authorization: Bearer <token>`), and browse a corpus: documents, outlet profiles and "
            "the syndication graph. Errors carry `{error: {type, message, exit_code}}` with the "
            "CLI's exit codes: 2 usage, 3 input, 4 fetch, 5 storage."
        ),
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(db_url)
    app.state.analyzer = analyzer
    app.state.auth = TokenAuth(token)
    app.state.analyze_limit = RateLimiter(analyze_per_minute)

    _install_error_handlers(app)
    from presslens.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # Outermost first: the size cap must run before anything reads the body.
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    async def presslens_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PresslensError)
        code = status_for(exc)
        response: Response
        if wants_html(request):
            from presslens.web.pages import render_error

            response = render_error(request, code, str(exc))
        else:
            body = error_body(type(exc).__name__, str(exc), int(exc.exit_code))
            response = JSONResponse(body, status_code=code)
        if isinstance(exc, AnalysisBusy):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        kind = {401: "Unauthorized", 404: "NotFound", 413: "PayloadTooLarge", 429: "RateLimited"}.get(
            exc.status_code, "HTTPError"
        )
        if wants_html(request):
            from presslens.web.pages import render_error

            response: Response = render_error(request, exc.status_code, str(exc.detail))
        else:
            exit_code = 2 if exc.status_code in (400, 401, 404, 405, 429) else 3
            response = JSONResponse(error_body(kind, str(exc.detail), exit_code), status_code=exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg')}"
            for e in exc.errors()
        )
        if wants_html(request):
            from presslens.web.pages import render_error

            return render_error(request, 422, problems)
        return JSONResponse(error_body("InputError", problems, 3), status_code=422)

    app.add_exception_handler(PresslensError, presslens_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory`: `$PRESSLENS_DB`, `$PRESSLENS_TOKEN`, and the
    `$PRESSLENS_ANALYZE_*` options `create_app` reads."""
    return create_app(
        os.environ.get("PRESSLENS_DB") or None,
        os.environ.get("PRESSLENS_TOKEN") or None,
        allow_private=bool(os.environ.get("PRESSLENS_ALLOW_PRIVATE")),
    )
