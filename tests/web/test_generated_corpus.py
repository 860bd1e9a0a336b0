"""Acceptance: every page and API listing renders from a crawl made by the corpus generator.

`benchmarks/make_corpus.py` writes a small synthetic crawl (PTC articles republished by several
outlets with wrappers, plus unrelated same-topic pages); `presslens.corpus.ingest` stores it and
links the copies; the app then serves it. Needs ../shared/data/ptc (skipped without it).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from presslens.corpus.store import Store
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from tests.web.web_corpus import TOKEN

REPO = Path(__file__).resolve().parents[2]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "benchmarks" / "make_corpus.py")
    if spec is None or spec.loader is None:
        pytest.skip("benchmarks/make_corpus.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def crawl_client(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Iterator[TestClient]:
    generator = load_generator()
    if not generator.PTC_ARTICLES.is_dir():
        pytest.skip(f"PTC articles not found at {generator.PTC_ARTICLES}")
    from presslens.corpus.ingest import ingest

    tmp = tmp_path_factory.mktemp("crawl")
    pages = generator.generate(60, seed=3)
    generator.write_jsonl(pages, tmp / "crawl.jsonl")
    store = Store(f"sqlite:///{tmp / 'corpus.sqlite'}")
    report = ingest([str(tmp / "crawl.jsonl")], store)
    assert report.added > 40, report.counts()
    with TestClient(create_app(token=TOKEN, store=store, analyzer=analyzer)) as client:
        yield client
    store.close()


def test_every_page_renders_from_the_generated_crawl(crawl_client: TestClient) -> None:
    listing = crawl_client.get("/api/documents", params={"limit": 100}).json()
    assert listing["total"] > 40
    graph = crawl_client.get("/api/graph").json()
    assert graph["edges"], "the generator's copies are linked"
    copy_id = graph["edges"][0]["target"]
    busiest = crawl_client.get("/api/outlets").json()[0]["name"]

    for path in ("/", f"/documents/{copy_id}", f"/outlets/{busiest}", "/outlets", "/graph", "/search"):
        r = crawl_client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    doc_page = crawl_client.get(f"/documents/{copy_id}").text
    assert "original of this" in doc_page  # its original is linked from the copy
    outlet_page = crawl_client.get(f"/outlets/{busiest}").text
    assert "Documents per month" in outlet_page

    word = listing["items"][0]["title"].split()[0]
    found = crawl_client.get("/api/search", params={"q": word}).json()
    assert found["total"] >= 1 and found["facets"]["outlet"]
    profile = crawl_client.get(f"/api/outlets/{busiest}").json()
    assert profile["documents"] >= 1 and profile["volume"]
