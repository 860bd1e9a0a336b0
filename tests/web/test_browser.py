"""The web app in a real browser: Debian's chromium, headless, driven by Playwright.

A uvicorn server on 127.0.0.1 serves the seeded SQLite corpus. A visitor analyzes the example
page through the form, reads highlighted spans with the keyboard, opens an outlet page and the
syndication graph; a hostile page never runs a script; axe-core finds no WCAG 2 A/AA violation.
Screenshots go to `$PRESSLENS_ARTIFACTS/web` (or a pytest temporary directory).
Skipped when /usr/bin/chromium or the playwright package is absent (`.ci/browser.sh` installs
chromium; `playwright install` is never used: it downloads browsers).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presslens.corpus.store import Store
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from tests.web.test_security import HOSTILE_HTML
from tests.web.web_corpus import DATA, TOKEN, Seeded, seed

CHROMIUM = Path(os.environ.get("PRESSLENS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (.ci/browser.sh)", allow_module_level=True)
playwright_sync = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

# A real browser (chromium through Playwright): a slow test.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = os.environ.get("PRESSLENS_ARTIFACTS")
    path = Path(base) / "web" if base else tmp_path_factory.mktemp("web-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {path}")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Iterator[tuple[str, Seeded]]:
    import uvicorn

    db = tmp_path_factory.mktemp("browser-db") / "corpus.sqlite"
    seeded = seed(Store(f"sqlite:///{db}"))
    app = create_app(token=TOKEN, store=seeded.store, analyzer=analyzer, analyze_per_minute=600)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", seeded
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A fresh page that records every request and dialog, to check none leaves the app."""

    def __init__(self, browser: Any, base: str, **context_args: Any) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, **context_args)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dismiss)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dismiss(self, dialog: Any) -> None:
        """A dialog means a script ran: note its message, then close it so the page goes on."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, path
        return self.page

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base, "data:"))]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, server: tuple[str, Seeded]) -> Iterator[Visit]:
    v = Visit(browser, server[0])
    yield v
    assert not v.foreign_requests(), f"requests left the app: {v.foreign_requests()}"
    assert not v.errors, v.errors
    v.close()


def test_example_analyzed_in_one_click(visit: Visit, artifacts: Path, analyzer: Analyzer) -> None:
    page = visit.go("/")
    page.click("#analyze-example")
    page.wait_for_selector("header.card")
    card = page.locator("header.card")
    assert "Qassem Soleimani" in card.locator("h2").inner_text()
    assert "southfront@list.ru" in card.inner_text() or "paypal" in card.inner_text().lower()
    assert page.locator(".body mark").count() > 0
    assert page.locator("section.wrapper .bp").count() > 0  # wrapper shown apart, by kind
    page.screenshot(path=str(artifacts / "analysis.png"), full_page=True)


def test_spans_are_highlighted_and_keyboard_focus_shows_details(
    visit: Visit, server: tuple[str, Seeded], artifacts: Path
) -> None:
    page = visit.go(f"/documents/{server[1].ids['original']}")
    marks = page.locator(".body mark")
    assert marks.count() == 3
    # Distinguishable without colour: a different underline style and a text tag per technique.
    styles = page.evaluate(
        "() => [...document.querySelectorAll('.body mark')].map("
        "m => [m.className, getComputedStyle(m).textDecorationStyle])"
    )
    by_class = dict(styles)
    assert by_class["t-nc"] != by_class["t-ll"], styles
    assert [t.inner_text() for t in page.locator(".body mark sup.tag").all()] == ["NC", "LL", "LL"]
    # Keyboard: Tab until a span has focus; its details become visible.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "MARK":
            break
    else:
        pytest.fail("no technique span is reachable with Tab")
    tip = page.locator("mark:focus .tip")
    assert tip.is_visible()
    assert "Name calling / labeling" in tip.inner_text() and "0.91" in tip.inner_text()
    page.screenshot(path=str(artifacts / "document-focus.png"), full_page=True)


def test_outlet_page_and_its_charts(visit: Visit, artifacts: Path) -> None:
    page = visit.go("/outlets/southfront.org")
    assert page.locator("figure.chart > svg").count() == 2
    assert page.locator("figure.chart > svg rect").count() >= 1
    page.get_by_role("link", name="globalresearch.ca").first.click()
    page.wait_for_url("**/outlets/globalresearch.ca")
    assert "southfront.org" in page.inner_text("body")
    visit.go("/outlets/southfront.org").screenshot(path=str(artifacts / "outlet.png"), full_page=True)


def test_graph_draws_nodes_and_opens_a_document(visit: Visit, artifacts: Path) -> None:
    page = visit.go("/graph")
    page.wait_for_selector("#graph[data-ready]", timeout=15_000)
    nodes = page.locator("#graph .node")
    assert nodes.count() == 3
    assert page.locator("#graph line").count() == 2
    assert page.locator("#graph-legend li").count() == 3
    nodes.first.focus()
    assert page.locator(".graph-tip").is_visible()
    page.screenshot(path=str(artifacts / "graph.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/*")
    assert page.locator("header.card").is_visible()


def test_hostile_page_never_runs_a_script(visit: Visit, artifacts: Path) -> None:
    page = visit.go("/")
    page.fill("#text", HOSTILE_HTML)
    page.click("#analyze-submit")
    page.wait_for_selector("header.card")
    page.wait_for_timeout(300)
    for link in page.locator(".body a").all():  # nothing from the page is a live link
        assert not (link.get_attribute("href") or "").startswith("javascript")
    assert page.evaluate("() => window.__pwned") is None
    assert visit.dialogs == []
    article = page.evaluate(  # the article text without the span tags and tooltips
        "() => { const c = document.querySelector('.body .text').cloneNode(true);"
        " c.querySelectorAll('.tip, sup.tag').forEach(e => e.remove()); return c.textContent; }"
    )
    assert "The council voted on Monday." in article
    assert "<script>alert(8)</script> was printed literally" in article  # shown as text
    page.screenshot(path=str(artifacts / "hostile.png"), full_page=True)


AXE = DATA / "axe" / "axe.min.js"


@pytest.mark.parametrize(
    "path", ["/", "doc", "example", "/outlets/southfront.org", "/graph", "/search?q=Soleimani"]
)
def test_pages_pass_axe_core(browser: Any, server: tuple[str, Seeded], path: str) -> None:
    base, seeded = server
    if path == "doc":
        path = f"/documents/{seeded.ids['original']}"
    # axe is injected as an inline script, which the app's CSP (rightly) forbids.
    visit = Visit(browser, base, bypass_csp=True)
    try:
        page = visit.go("/" if path == "example" else path)
        if path == "example":  # the analysis of the example page, every stage's output on it
            page.click("#analyze-example")
            page.wait_for_selector("header.card")
        if path == "/graph":
            page.wait_for_selector("#graph[data-ready]", timeout=15_000)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map("
            "v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
        assert result == [], "\n".join(result)
    finally:
        visit.close()
