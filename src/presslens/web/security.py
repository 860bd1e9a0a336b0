"""The web app's guards: body size cap, security headers, bearer token, analyze rate limit.

Data flow: every request passes these before reaching a view. They are plain ASGI middleware
and FastAPI dependencies so each can be tested alone and none depends on the corpus.

- `BodyLimitMiddleware` answers 413 when `Content-Length` is over the cap, and also counts the
  bytes of bodies that arrive without one (chunked uploads), so no request body larger than the
  cap is ever read into memory.
- `SecurityHeadersMiddleware` sets a Content-Security-Policy that lets the app's own pages load
  only the app's own files (no inline script, no other origin), so even a page-text escaping bug
  could not run a script; `/docs` gets FastAPI's CDN-hosted Swagger UI and a looser policy.
- `TokenAuth` checks `Authorization: Bearer <token>` in constant time (401 otherwise).
- `RateLimiter` is a per-client token bucket (client = peer address).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request, status

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# FastAPI's /docs page loads Swagger UI from a CDN and runs one inline script to start it.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


async def _send_json(send: Send, status_code: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_413(send: Send, error: dict[str, Any], page: bool) -> None:
    if not page:
        await _send_json(send, 413, {"error": error})
        return
    # A browser posting the form gets a readable page, not JSON (static text: nothing to escape).
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large · presslens</title>'
        "</head><body><main><h1>Error 413</h1><p>The page or file is larger than this server accepts "
        f"({error['message'].split('the ', 1)[-1]}).</p>"
        '<p><a href="/">Back to the start page</a></p></main></body></html>'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        wants_page = not scope.get("path", "").startswith("/api") and any(
            name == b"accept" and b"text/html" in value for name, value in scope.get("headers", [])
        )
        too_large = {
            "type": "PayloadTooLarge",
            "exit_code": 3,
            "message": f"request body is larger than the {limit}-byte limit",
        }
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(
                        send,
                        400,
                        {
                            "error": {
                                "type": "UsageError",
                                "exit_code": 2,
                                "message": "bad Content-Length header",
                            }
                        },
                    )
                    return
                if declared > limit:
                    await _send_413(send, too_large, wants_page)
                    return
        seen = 0
        started = False
        rejected = False

        async def counting_receive() -> Message:
            # Over the cap: answer 413 ourselves and tell the app the client went away, so
            # whatever the app does with the error (FastAPI turns body errors into 400) is
            # dropped by `guarded_send` and the rest of the body is never read.
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    rejected = True
                    if not started:
                        await _send_413(send, too_large, wants_page)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not rejected:
                raise


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        csp = DOCS_CSP if path in ("/docs", "/redoc") else APP_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class TokenAuth:
    """FastAPI dependency: the request must carry `Authorization: Bearer <token>`."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if (
            scheme.lower() != "bearer"
            or not given
            or not secrets.compare_digest(given.strip().encode("utf-8"), self.token.encode("utf-8"))
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="writes need 'Authorization: Bearer <token>' (the token printed by presslens serve)",
                headers={"WWW-Authenticate": "Bearer"},
            )


class RateLimiter:
    """Per-client token bucket: `per_minute` requests a minute, bursts up to `burst`.

    Clients are keyed by peer address; the table is bounded (least recently seen dropped) so a
    flood of addresses cannot grow memory without limit.
    """

    def __init__(
        self,
        per_minute: float,
        burst: int | None = None,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, int(per_minute // 6) or 1))
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> tuple[bool, float]:
        """Whether `client` may make a request now, and else how many seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            ok = tokens >= 1.0
            if ok:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        wait = 0.0 if ok else (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
        return ok, wait

    def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        ok, wait = self.allow(client)
        if not ok:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"analyze rate limit reached; retry in {wait:.0f} s",
                headers={"Retry-After": str(max(1, round(wait)))},
            )


def new_token() -> str:
    return secrets.token_urlsafe(24)
