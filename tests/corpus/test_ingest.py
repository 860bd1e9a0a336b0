"""`ingest` end to end: a generated crawl in, documents and edges out; re-runs add nothing; a
run killed with SIGKILL and restarted stores every document exactly once; bad records are
counted by reason and never stop the run."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from presslens.corpus.ingest import ingest
from presslens.corpus.store import Store
from tests.corpus.conftest import make_corpus_module

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A small crawl from the generator (needs ../shared/data/ptc)."""
    make_corpus = make_corpus_module()
    out = tmp_path_factory.mktemp("crawl")
    pages = make_corpus.generate(40, seed=3)
    make_corpus.write_jsonl(pages, out / "crawl.jsonl")
    return out / "crawl.jsonl", make_corpus.truth_of(pages)


def test_ingest_links_copies_and_rerun_adds_nothing(crawl: tuple[Path, dict], store_url: str) -> None:
    path, truth = crawl
    store = Store(store_url)
    first = ingest([str(path)], store)
    assert first.read == 40
    assert first.added + sum(first.failures.values()) == 40
    assert first.added >= 38
    assert first.link is not None and first.link.edges
    again = ingest([str(path)], store)
    assert again.added == 0
    assert again.already_stored == 40 - sum(first.failures.values())
    assert store.count_documents() == first.added
    true_edges = {(e["source"], e["target"]) for e in truth["edges"]}
    from presslens.corpus.export import edge_rows

    found = {(e["source_url"], e["target_url"]) for e in edge_rows(store)}
    assert len(found & true_edges) >= 0.8 * len(true_edges)


def test_bad_records_are_counted_with_reasons(tmp_path: Path, store_url: str) -> None:
    src = tmp_path / "crawl"
    src.mkdir()
    (src / "good.txt").write_text(
        "A headline\n\n" + "The council met on Monday and voted on the budget. " * 20
    )
    (src / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (src / "empty.html").write_text("")
    (src / "records.jsonl").write_text(
        json.dumps({"url": "https://ex.org/1", "text": "Another story about the budget vote. " * 15}) + "\n"
        "{not json\n"
    )
    with gzip.open(src / "broken.warc.gz", "wb") as fh:
        fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\ntruncated")
    report = ingest([str(src)], Store(store_url), link=False)
    assert report.added == 2
    assert sum(report.failures.values()) >= 3
    assert report.failures  # reasons, e.g. 'binary', 'empty', 'bad JSON record', 'broken WARC record'
    assert "unknown outlet" in report.warnings  # good.txt has no URL and names no outlet
    assert all(report.examples[r] for r in report.failures)


CHILD = """
import sys, time
from presslens.pipeline import register_stage
from presslens.corpus.ingest import ingest
from presslens.corpus.store import Store
from presslens.engine import LocalEngine

@register_stage("slow")
class Slow:
    name = "slow"
    def __call__(self, doc):
        time.sleep(float(sys.argv[3]))
        return doc

ingest([sys.argv[1]], Store(sys.argv[2]), stages=["slow"], engine=LocalEngine(1), batch_size=4, link=False)
"""


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


@pytest.mark.slow  # two ingest processes
def test_kill_9_mid_ingest_then_rerun_stores_each_document_once(tmp_path: Path) -> None:
    n = 60
    src = tmp_path / "crawl.jsonl"
    with src.open("w") as fh:
        for i in range(n):
            body = (
                f"Report number {i} from the district. "
                + f"Residents of ward {i} described the flooding. " * 12
            )
            fh.write(json.dumps({"url": f"https://news{i % 5}.example.com/{i}", "text": body}) + "\n")
    db = tmp_path / "corpus.sqlite"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, str(script), str(src), f"sqlite:///{db}", "0.05"], env=env)
    try:
        deadline = time.time() + 120
        while _count(db) < 8:
            assert child.poll() is None, "child ended before it could be killed"
            assert time.time() < deadline, "child made no progress"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    partial = _count(db)
    assert 8 <= partial < n  # killed mid-run, whole batches only

    done = subprocess.run(
        [sys.executable, str(script), str(src), f"sqlite:///{db}", "0"], env=env, timeout=300
    )
    assert done.returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute(
            "SELECT count(*), count(DISTINCT key), count(DISTINCT url) FROM documents"
        ).fetchone() == (
            n,
            n,
            n,
        )
        assert con.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == n
        for (blob,) in con.execute("SELECT document FROM documents"):
            assert json.loads(zlib.decompress(blob))["text"]  # every row whole
        statuses = [s for (s,) in con.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["running", "done"]  # the killed run never finished; the rerun did
