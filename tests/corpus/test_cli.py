"""The corpus commands as a user runs them (subprocess: real exit codes and output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.conftest import make_corpus_module

REPO = Path(__file__).resolve().parents[2]

# Every test runs presslens processes over a corpus ingested by one: slow tests.
pytestmark = pytest.mark.slow


def presslens(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", "from presslens.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    """A generated crawl as WARC, ingested once through the CLI."""
    make_corpus = make_corpus_module()
    out = tmp_path_factory.mktemp("cli")
    make_corpus.main(["--docs", "30", "--seed", "5", "--out", str(out), "--warc"])
    db = f"sqlite:///{out / 'corpus.sqlite'}"
    result = presslens(
        "ingest", str(out / "crawl.warc.gz"), "--db", db, "--stages", "anatomy", "--workers", "1"
    )
    assert result.returncode == 0, result.stderr
    assert "30 read, 30 added" in result.stderr
    # the per-stage summary: the anatomy group's stages and the document maker, each timed
    assert "stages" in result.stderr and "wrapper" in result.stderr and "document" in result.stderr
    return db, json.loads((out / "truth.json").read_text())


def test_rerun_adds_nothing(corpus: tuple[str, dict], tmp_path: Path) -> None:
    db, _ = corpus
    warc = Path(db.removeprefix("sqlite:///")).parent / "crawl.warc.gz"
    result = presslens("ingest", str(warc), "--db", db, "--stages", "anatomy", "--no-link", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "0 added, 30 already stored" in result.stderr


def test_graph_json_is_node_link_with_original_to_copy_edges(corpus: tuple[str, dict]) -> None:
    db, truth = corpus
    result = presslens("graph", "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    graph = json.loads(result.stdout)
    assert set(graph["nodes"][0]) >= {"id", "url", "outlet", "published"}
    assert set(graph["edges"][0]) >= {"source", "target", "lag_days", "similarity", "evidence"}
    urls = {n["id"]: n["url"] for n in graph["nodes"]}
    found = {(urls[e["source"]], urls[e["target"]]) for e in graph["edges"]}
    true = {(e["source"], e["target"]) for e in truth["edges"]}
    assert len(found & true) >= 0.8 * len(true)


def test_search_profile_and_exports(corpus: tuple[str, dict], tmp_path: Path) -> None:
    db, truth = corpus
    outlet = next(d["outlet"] for d in truth["documents"].values() if d["role"] == "original")
    prof = presslens("profile", outlet, "--db", db, "--format", "json")
    assert prof.returncode == 0, prof.stderr
    p = json.loads(prof.stdout)
    assert p["domain"] == outlet and p["documents"] >= 1
    assert p["funding"], "the generated wrappers carry PayPal/Patreon/Bitcoin/Substack handles"
    hits = presslens("search", "the", "--db", db, "--outlet", outlet, "--format", "json")
    assert hits.returncode == 0, hits.stderr
    assert all(h["outlet"] == outlet for h in json.loads(hits.stdout))
    for what, name in (("documents", "docs.csv"), ("edges", "edges.parquet")):
        r = presslens("export", what, "-o", str(tmp_path / name), "--db", db)
        assert r.returncode == 0, r.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "edges.parquet").num_rows >= 1
    assert (tmp_path / "docs.csv").read_text().startswith("id,url,outlet,published")
    r = presslens("graph", "--db", db, "--format", "graphml", "-o", str(tmp_path / "g.graphml"))
    assert r.returncode == 0 and "<graphml" in (tmp_path / "g.graphml").read_text()


def test_unknown_outlet_and_unusable_db_are_one_line_errors(corpus: tuple[str, dict], tmp_path: Path) -> None:
    db, _ = corpus
    r = presslens("profile", "no-such-outlet.example", "--db", db)
    assert r.returncode == 3 and r.stderr.count("\n") == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = presslens("search", "x", "--db", f"sqlite:///{blocker}/corpus.sqlite")
    assert r.returncode == 5, r.stderr
    assert r.stderr.startswith("presslens: error:") and r.stderr.count("\n") == 1


def test_graph_exports_copies_by_default_and_other_relations_when_asked(corpus: tuple[str, dict]) -> None:
    db, _ = corpus
    default = json.loads(presslens("graph", "--db", db).stdout)
    assert {e["relation"] for e in default["edges"]} == {"copy"}
    every = presslens("graph", "--db", db, "--relations", "copy,reuse,common_source")
    assert every.returncode == 0, every.stderr
    assert len(json.loads(every.stdout)["edges"]) >= len(default["edges"])
    bad = presslens("graph", "--db", db, "--relations", "copy,plagiarism")
    assert bad.returncode == 2 and "unknown relation 'plagiarism'" in bad.stderr
