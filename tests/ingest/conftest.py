"""Fixtures for the reader tests: fixture paths, a fetcher that cannot reach the network, and a
loopback HTTP server for end-to-end fetches (the only traffic any test sends is to 127.0.0.1).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from presslens.ingest.fetch import SafeFetcher

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"

# Names a fake resolver knows; anything else fails the test (no real DNS lookups either).
FAKE_DNS: dict[str, list[str]] = {
    "news.example": ["93.184.216.34"],
    "other.example": ["93.184.216.35"],
    "intranet.example": ["10.0.0.5"],
    "rebind.example": ["93.184.216.34", "192.168.0.10"],  # one public, one private answer
    "v6only.example": ["2606:2800:220:1:248:1893:25c8:1946"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "xn--bcher-kva.example": ["93.184.216.36"],  # bücher.example
}


def fake_resolver(host: str, port: int) -> list[str]:
    if host not in FAKE_DNS:
        raise AssertionError(f"the test resolver was asked for an unknown host {host!r}")
    return FAKE_DNS[host]


def refuse_to_connect(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a connection was attempted: {request.method} {request.url}")


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def guarded_fetcher() -> Iterator[SafeFetcher]:
    """A fetcher whose transport fails the test if the guard ever lets a request through."""
    with SafeFetcher(resolver=fake_resolver, transport=httpx.MockTransport(refuse_to_connect)) as fetcher:
        yield fetcher


Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def mock_fetcher() -> Callable[..., tuple[SafeFetcher, list[httpx.Request]]]:
    """Build a fetcher on a mock transport (no sockets); returns it and the requests it sent."""
    made: list[SafeFetcher] = []

    def make(handler: Handler, **options: object) -> tuple[SafeFetcher, list[httpx.Request]]:
        seen: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return handler(request)

        options.setdefault("resolver", fake_resolver)
        fetcher = SafeFetcher(transport=httpx.MockTransport(record), **options)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher, seen

    yield make  # type: ignore[misc]
    for fetcher in made:
        fetcher.close()


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class LoopbackServer:
    """A real HTTP server on 127.0.0.1; `routes` maps a path to what it answers."""

    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture
def loopback_server() -> Iterator[LoopbackServer]:
    routes: dict[str, Route] = {}
    requests: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append((self.path, dict(self.headers.items())))
            route = routes.get(self.path, Route(404, {"Content-Type": "text/plain"}, b"not found"))
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in route.headers:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LoopbackServer(f"http://127.0.0.1:{server.server_address[1]}", routes, requests)
    finally:
        server.shutdown()
        server.server_close()
