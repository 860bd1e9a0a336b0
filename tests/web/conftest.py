"""Fixtures for the web tests: the seeded corpus (memory and SQLite), apps over it, a token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_corpus import TOKEN, Seeded, seed

from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from presslens.web.queries import MemoryCorpus
from presslens.web.store_corpus import StoreCorpus


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """One analyzer for the session: the pipeline's models load once."""
    return Analyzer()


@pytest.fixture(params=["memory", "sqlite"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Seeded]:
    if request.param == "memory":
        yield seed(MemoryCorpus())
        return
    corpus = StoreCorpus.open(f"sqlite:///{tmp_path / 'corpus.sqlite'}")
    yield seed(corpus)
    corpus.store.close()


@pytest.fixture
def client(seeded: Seeded, analyzer: Analyzer) -> Iterator[TestClient]:
    app = create_app(token=TOKEN, corpus=seeded.corpus, analyzer=analyzer)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
