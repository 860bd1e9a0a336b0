"""Fuzzing the readers: random and damaged bytes, pages in wrong encodings, broken gzip, JSONL,
WARC, feeds and URL lists, read as `presslens analyze` reads them; every page they yield then
goes through anatomy (what `presslens extract` runs).

Invariant: `page_from_bytes` returns a page or raises a one-line `PresslensError`;
`read_sources` never raises and yields only pages and one-line `ReadFailure`s; anatomy of each
page is a valid Document or a one-line `PresslensError`; nothing hangs. Feed links and URL
lists are fetched through a `SafeFetcher` on a mock transport: no socket is ever opened.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
from hypothesis import strategies as st

import presslens
from presslens.document import RawPage
from presslens.ingest import read_sources
from presslens.ingest.fetch import SafeFetcher
from presslens.ingest.files import page_from_bytes
from tests.fuzz.conftest import PROFILES, fuzz
from tests.fuzz.invariants import check_document, check_page, check_read_item, outcome, time_limit
from tests.fuzz.strategies import input_file, page_bytes

EXTRACT = presslens.load(["anatomy"])
NAMES = st.sampled_from([None, "page.html", "page.txt", "page.md", "page", "page.xhtml", "p.html.gz"])
LIMITS = st.sampled_from([50 * 1024 * 1024, 50 * 1024 * 1024, 100_000, 300])


def extract_checked(page: RawPage) -> None:
    doc = outcome(lambda: EXTRACT(page))
    if not isinstance(doc, Exception):
        check_document(doc)


@pytest.mark.parametrize("profile", PROFILES)
def test_page_from_bytes_gives_a_page_or_one_line_error(profile: str) -> None:
    def check(case: tuple[bytes, str | None, int]) -> None:
        data, name, limit = case
        page = outcome(lambda: page_from_bytes(data, source="fuzz", name=name, max_bytes=limit))
        if isinstance(page, RawPage):
            check_page(page)
            extract_checked(page)

    fuzz(profile, st.tuples(page_bytes, NAMES, LIMITS), check, quick=25, full=3000)


class _Site:
    """What the mock network serves this case: one body, one media type, one status."""

    def __init__(self, body: bytes, media: str, status: int) -> None:
        self.body, self.media, self.status = body, media, status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(self.status, content=self.body, headers={"Content-Type": self.media})


def public_resolver(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]  # every name looks public; the mock transport answers, not the host


FOLDER = Path(tempfile.mkdtemp(prefix="presslens-fuzz-"))  # one per process, removed at exit
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
_COUNTER = itertools.count()

served = st.builds(
    _Site,
    page_bytes,
    st.sampled_from(["text/html", "text/plain", "application/rss+xml", "application/pdf", ""]),
    st.sampled_from([200, 200, 404, 500, 301]),
)


@pytest.mark.parametrize("profile", PROFILES)
def test_read_sources_yields_pages_and_one_line_failures(profile: str) -> None:
    def check(case: tuple[list[tuple[str, bytes]], _Site, int, bool]) -> None:
        files, site, limit, fetch_links = case
        folder = FOLDER / str(next(_COUNTER))
        folder.mkdir()
        for i, (suffix, content) in enumerate(files):
            (folder / f"input{i}{suffix}").write_bytes(content)
        sources = [str(folder)] if len(files) > 1 else [str(folder / f"input0{files[0][0]}")]
        with (
            time_limit(),
            SafeFetcher(resolver=public_resolver, transport=httpx.MockTransport(site), timeout=5) as fetcher,
        ):
            items = list(
                read_sources(sources, fetcher=fetcher, max_bytes=limit, fetch_feed_links=fetch_links)
            )
        for item in items:
            page = check_read_item(item)
            if page is not None:
                extract_checked(page)

    cases = st.tuples(st.lists(input_file(), min_size=1, max_size=3), served, LIMITS, st.booleans())
    fuzz(profile, cases, check, quick=25, full=2500)
