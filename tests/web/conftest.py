"""Fixtures for the web tests: the seeded corpus (in-memory SQLite, a SQLite file, PostgreSQL
when configured), apps over it, a token."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from presslens.corpus.store import Store
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from tests.web.web_corpus import TOKEN, Seeded, seed


@pytest.fixture(scope="session")
def analyzer() -> Iterator[Analyzer]:
    """One analyzer for the session, one worker process: the pipeline's models load once."""
    with Analyzer(workers=1) as shared:
        yield shared


PG_URL = os.environ.get("PRESSLENS_TEST_PG")
_NO_PG = pytest.mark.skipif(not PG_URL, reason="PRESSLENS_TEST_PG not set (.ci/postgres.sh prints one)")


def web_pg_url() -> str:
    """An empty database of the web tests' own on the test cluster, so they never reset the
    schema the corpus tests are using at the same time."""
    assert PG_URL
    url = sa.engine.make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = 'presslens_web_test'")):
            conn.execute(sa.text("CREATE DATABASE presslens_web_test"))
    admin.dispose()
    web = url.set(database="presslens_web_test")
    engine = sa.create_engine(web)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return web.render_as_string(hide_password=False)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=_NO_PG)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Seeded]:
    urls = {"memory": "sqlite://", "sqlite": f"sqlite:///{tmp_path / 'corpus.sqlite'}"}
    store = Store(web_pg_url() if request.param == "postgresql" else urls[request.param])
    yield seed(store)
    store.close()


@pytest.fixture
def client(seeded: Seeded, analyzer: Analyzer) -> Iterator[TestClient]:
    app = create_app(token=TOKEN, store=seeded.store, analyzer=analyzer)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
