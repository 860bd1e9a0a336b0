"""Corpus test fixtures: a store on SQLite always, and on PostgreSQL when PRESSLENS_TEST_PG is set.

`PRESSLENS_TEST_PG` is a SQLAlchemy URL of a throw-away database (`.ci/postgres.sh` starts one
and prints it); each test gets an empty schema there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from presslens.corpus.store import Store

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def make_corpus_module() -> Any:
    """`benchmarks/make_corpus.py`, the crawl generator, imported; the test is skipped when
    the PTC articles it draws from are not in ../shared."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(BENCHMARKS))
    if not make_corpus.PTC_ARTICLES.is_dir():
        pytest.skip(f"PTC articles not found at {make_corpus.PTC_ARTICLES}")
    return make_corpus


PG_URL = os.environ.get("PRESSLENS_TEST_PG")
_NO_PG = pytest.mark.skipif(not PG_URL, reason="PRESSLENS_TEST_PG not set")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=_NO_PG)]


def _reset_pg(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        assert PG_URL
        _reset_pg(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'corpus.sqlite'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()
