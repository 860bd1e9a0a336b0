"""The guards: size cap (413), analyze rate limit (429), hostile pages shown inert, headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from presslens.corpus.store import Store
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from presslens.web.security import RateLimiter
from tests.web.web_corpus import TOKEN, Seeded

HOSTILE_HTML = """<!doctype html><html><head><title>Hostile <script>window.__pwned=1</script></title>
<script>window.__pwned = 2; alert('head')</script></head>
<body onload="window.__pwned=3">
<article>
<h1 onclick="alert(4)">Breaking news about the council</h1>
<p>The council voted on Monday. <img src="x" onerror="window.__pwned=5">Residents were
<a href="javascript:window.__pwned=6">told</a> to <iframe src="javascript:alert(7)"></iframe>wait.</p>
<p>&lt;script&gt;alert(8)&lt;/script&gt; was printed literally in the article.</p>
<svg onload="alert(9)"><script>alert(10)</script></svg>
<p>More ordinary reporting text follows here so that the extractor keeps a body.</p>
</article></body></html>"""


def assert_inert(page: str) -> None:
    """No script, handler or javascript: URL from the analysed page survives as markup."""
    scripts = re.findall(r"<script\b[^>]*>", page, re.I)
    assert all(re.fullmatch(r'<script src="/static/[\w.]+\.js" defer>', s) for s in scripts), scripts
    assert not re.search(r"<[^>]+\son\w+\s*=", page, re.I), "an event-handler attribute survived"
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", page, re.I)
    assert not re.search(r"<(iframe|object|embed|img)\b", page, re.I)


@pytest.fixture(scope="module")
def anatomy_only() -> Iterator[Analyzer]:
    with Analyzer(stage_names=("anatomy",), workers=1) as analyzer:
        yield analyzer


@pytest.fixture
def small_app(anatomy_only: Analyzer) -> Iterator[TestClient]:
    app = create_app(
        token=TOKEN,
        store=Store("sqlite://"),
        analyzer=anatomy_only,
        max_body=10_000,
        analyze_per_minute=6,
    )
    with TestClient(app) as c:
        yield c


def test_declared_oversize_body_is_413_before_reading(small_app: TestClient) -> None:
    r = small_app.post("/api/analyze", json={"text": "x" * 20_000})
    assert r.status_code == 413
    assert r.json()["error"]["type"] == "PayloadTooLarge"


def test_streamed_oversize_body_without_length_is_413(small_app: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(50):
            yield b"y" * 1000
        yield b'"}'

    r = small_app.post("/api/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_oversize_upload_through_the_form_is_413(small_app: TestClient) -> None:
    big = {"file": ("big.html", b"<p>" + b"z" * 50_000 + b"</p>", "text/html")}
    r = small_app.post("/analyze", files=big)
    assert r.status_code == 413
    page = small_app.post("/analyze", files=big, headers={"Accept": "text/html"})
    assert page.status_code == 413 and "Error 413" in page.text  # a browser gets a page, not JSON


def test_binary_upload_is_an_input_error(small_app: TestClient) -> None:
    r = small_app.post(
        "/analyze",
        files={"file": ("x.bin", b"\x00\x01\x02" * 10, "application/octet-stream")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 422 and "looks binary" in r.text


def test_analyze_is_rate_limited_per_client(small_app: TestClient) -> None:
    codes = [small_app.post("/api/analyze", json={"text": "Short news text."}).status_code for _ in range(3)]
    assert codes == [200, 429, 429]  # 6 a minute: a burst of one, then one every 10 s
    r = small_app.post("/api/analyze", json={"text": "Short news text."})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json()["error"]["type"] == "RateLimited"
    assert small_app.get("/api/documents").status_code == 200  # reads are not limited


def test_rate_limiter_refills_with_time() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.allow("a")[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")[0]  # another client has its own bucket
    now[0] += 1.0
    assert limiter.allow("a")[0] and not limiter.allow("a")[0]


def test_hostile_html_is_shown_inert_on_the_analysis_page(client: TestClient) -> None:
    r = client.post("/analyze", data={"text": HOSTILE_HTML})
    assert r.status_code == 200, r.text
    assert "The council voted on Monday." in r.text
    assert_inert(r.text)


def test_hostile_text_is_escaped_on_a_stored_document_page(client: TestClient, auth: dict[str, str]) -> None:
    stored = client.post(
        "/api/documents", json={"text": HOSTILE_HTML, "outlet": "evil.example"}, headers=auth
    )
    assert stored.status_code == 201
    page = client.get(f"/documents/{stored.json()['id']}")
    assert page.status_code == 200
    assert "&lt;script&gt;" in page.text  # shown, as text
    assert_inert(page.text)
    search = client.get("/search", params={"q": "council"})
    assert_inert(search.text)


def test_pages_send_a_strict_content_security_policy(client: TestClient, seeded: Seeded) -> None:
    for path in ("/", f"/documents/{seeded.ids['original']}", "/graph", "/search", "/outlets/southfront.org"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r'(src|href)="(https?:)?//', r.text), f"{path} references another origin"


def test_only_the_api_docs_page_may_load_swagger_from_its_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert "cdn.jsdelivr.net" not in client.get("/").headers["content-security-policy"]
