"""A real Dask cluster on loopback — a `dask scheduler` and two `dask worker` processes — ingests a
generated crawl into PostgreSQL: the workers read their shards, run the stages and write; every
page is stored once and linking gives the same graph as a local run into SQLite. A worker
killed mid-run loses nothing: the scheduler re-runs its shard, and a re-run of the whole ingest
stores nothing twice.

Needs PostgreSQL (`PRESSLENS_TEST_PG`, printed by `.ci/postgres.sh`) and dask's CLI; skipped
without them. The processes are started on random free ports and always torn down.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from presslens.corpus.ingest import IngestReport, ingest
from presslens.corpus.store import DocumentRow, Store
from tests.corpus.conftest import PG_URL, _reset_pg, make_corpus_module
from tests.corpus.test_linking import canonical

pytestmark = pytest.mark.slow

DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
STAGES = ["anatomy"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_worker(self, tmp: Path) -> subprocess.Popen[bytes]:
        # --no-nanny: the worker is this process, so killing it is a worker dying, not a
        # nanny restarting it behind our back.
        args = ["worker", self.address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny"]
        args += ["--no-dashboard", "--local-directory", str(tmp), "--death-timeout", "60"]
        proc = subprocess.Popen(
            [DASK or "dask", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def wait_for_workers(self, n: int, timeout: float = 90.0) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=timeout)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if not PG_URL:
        pytest.skip("PRESSLENS_TEST_PG not set (.ci/postgres.sh prints one)")
    if DASK is None:
        pytest.skip("dask's CLI (dask scheduler / dask worker) not installed")
    pytest.importorskip("distributed")
    port = _free_port()
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    c = Cluster(f"tcp://127.0.0.1:{port}", scheduler)
    try:
        for _ in range(2):
            c.start_worker(tmp_path)
        c.wait_for_workers(2)
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    make_corpus = make_corpus_module()
    out = tmp_path_factory.mktemp("crawl") / "crawl.jsonl"
    make_corpus.write_jsonl(make_corpus.generate(300, seed=5), out, text=True)
    return out


@pytest.fixture(scope="module")
def local_graph(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[set[object], int]:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('local') / 'corpus.sqlite'}")
    report = ingest([str(crawl)], store, stages=STAGES)
    graph = canonical(store), report.added
    store.close()
    return graph


def _cluster_ingest(crawl: Path, cluster: Cluster, db: str) -> IngestReport:
    from presslens.engine.dask import DaskEngine

    engine = DaskEngine(cluster.address)
    store = Store(db)
    try:
        return ingest([str(crawl)], store, stages=STAGES, engine=engine, batch_size=16)
    finally:
        engine.close()
        store.close()


def presslens(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from presslens.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


def _stored_keys(db: str) -> list[str]:
    store = Store(db)
    try:
        with store.session() as s:
            return list(s.scalars(sa.select(DocumentRow.key)))
    finally:
        store.close()


def _assert_every_page_once_with(graph: set[object], n_local: int) -> None:
    """The PostgreSQL store holds each of the crawl's pages once and the local run's graph."""
    assert PG_URL
    keys = _stored_keys(PG_URL)
    assert len(keys) == len(set(keys)) == n_local
    store = Store(PG_URL)
    try:
        assert canonical(store) == graph
    finally:
        store.close()


def test_two_workers_store_every_page_once_with_the_local_graph(
    cluster: Cluster, crawl: Path, local_graph: tuple[set[object], int]
) -> None:
    assert PG_URL
    _reset_pg(PG_URL)
    args = ["ingest", str(crawl), "--engine", "dask", "--scheduler", cluster.address, "--db", PG_URL]
    args += ["--stages", ",".join(STAGES), "--batch-size", "16", "--no-progress"]
    result = presslens(*args)
    assert result.returncode == 0, result.stderr
    graph, n_local = local_graph
    assert f"{n_local} read, {n_local} added" in result.stderr
    _assert_every_page_once_with(graph, n_local)
    again = _cluster_ingest(crawl, cluster, PG_URL)
    assert again.added == 0 and again.already_stored == n_local
    assert len(_stored_keys(PG_URL)) == n_local


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(
    cluster: Cluster, crawl: Path, local_graph: tuple[set[object], int], tmp_path: Path
) -> None:
    assert PG_URL
    _reset_pg(PG_URL)
    Store(PG_URL).close()  # the schema, before the poller below counts rows
    outcome: list[BaseException | IngestReport] = []

    def run() -> None:
        try:
            outcome.append(_cluster_ingest(crawl, cluster, PG_URL or ""))
        except BaseException as exc:  # the run may fail with its worker: the rerun must mend it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    # Kill one worker once documents are being written (a batch may be half-way in its
    # transaction): not a timed assert, a poll for a state.
    victim = cluster.workers[0]
    deadline = time.monotonic() + 300
    while thread.is_alive() and time.monotonic() < deadline and len(_stored_keys(PG_URL)) < 40:
        time.sleep(0.2)
    killed_mid_run = thread.is_alive()
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    thread.join(timeout=600)
    assert not thread.is_alive()
    assert killed_mid_run, f"the ingest finished before a worker could be killed: {outcome}"

    cluster.start_worker(tmp_path)  # the user brings the cluster back and runs ingest again
    cluster.wait_for_workers(2)
    _cluster_ingest(crawl, cluster, PG_URL)
    graph, n_local = local_graph
    _assert_every_page_once_with(graph, n_local)


def test_linking_runs_on_the_cluster_workers_with_the_local_graph(
    cluster: Cluster,
    crawl: Path,
    local_graph: tuple[set[object], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Candidates, verification (each worker writing its matches to PostgreSQL) and deciding
    as tasks on the two `dask worker` processes: the graph of the local run."""
    import presslens.corpus.linking as linking
    from presslens.engine.dask import DaskEngine

    assert PG_URL
    _reset_pg(PG_URL)
    monkeypatch.setattr(linking, "PARALLEL_MIN", 0)  # this small crawl goes to the workers too
    engine = DaskEngine(cluster.address)
    shipped: list[str] = []
    real_map = engine.map_unordered

    def map_unordered(fn: Any, items: Any) -> Any:
        shipped.append(getattr(fn, "fn", fn).__name__)
        return real_map(fn, items)

    monkeypatch.setattr(engine, "map_unordered", map_unordered)
    store = Store(PG_URL)
    try:
        ingest([str(crawl)], store, stages=STAGES, engine=engine, batch_size=16, link=False)
        shipped.clear()  # the shards' tasks
        report = linking.link_corpus(store, engine=engine)
        assert shipped == ["_candidate_task", "_verify_task", "_decide_task"]
        graph, n_local = local_graph
        assert report.documents == n_local
        assert canonical(store) == graph
    finally:
        engine.close()
        store.close()
