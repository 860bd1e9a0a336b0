"""The analysis pool behind `POST /api/analyze` and the analyze form, as a client meets it:
requests analysed at once in worker processes, a full queue answered `503` with `Retry-After`
while reads stay open, a request over the time limit answered `504`, a crashing stage `422`
without internals, a dead worker replaced.

The pool runs the test stage of `tests.web.pool_stages` (held, met or crashed on request);
its workers import that module, as they would a plugin's stages.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presslens.corpus.store import Store
from presslens.web.analysis import Analyzer
from presslens.web.app import create_app
from tests.web import pool_stages
from tests.web.web_corpus import TOKEN, Seeded, seed

TIMEOUT = 3.0  # seconds per request: the 504 test waits this long once


@pytest.fixture(scope="module")
def pool() -> Iterator[Analyzer]:
    """Two workers and room for one waiting request: three requests fill it."""
    with Analyzer(
        stage_names=(pool_stages.NAME,),
        workers=2,
        queue_size=1,
        timeout=TIMEOUT,
        worker_modules=("tests.web.pool_stages",),
    ) as analyzer:
        yield analyzer


@pytest.fixture
def corpus() -> Iterator[Seeded]:
    seeded = seed(Store("sqlite://"))
    yield seeded
    seeded.store.close()


@pytest.fixture
def pool_client(pool: Analyzer, corpus: Seeded) -> Iterator[TestClient]:
    app = create_app(token=TOKEN, store=corpus.store, analyzer=pool, analyze_per_minute=10_000)
    with TestClient(app) as client:
        yield client


def wait_idle(pool: Analyzer) -> None:
    """Until every admitted job has finished (a timed-out one keeps its place until then)."""
    deadline = time.monotonic() + 30
    while pool.admitted:
        assert time.monotonic() < deadline, f"{pool.admitted} jobs still in the pool"
        time.sleep(0.05)


def test_two_requests_are_analysed_at_once_in_two_worker_processes(
    pool_client: TestClient, tmp_path: Path
) -> None:
    # Each job waits at the barrier until the other has arrived: served one after the other,
    # the first would give up and fail.
    text = f"barrier {tmp_path} 2\n\nTwo requests meet here."
    with ThreadPoolExecutor(2) as threads:
        replies = list(threads.map(lambda _: pool_client.post("/api/analyze", json={"text": text}), range(2)))
    assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
    assert all(r.json()["text"] == text for r in replies)
    assert len(list(tmp_path.iterdir())) == 2, "one process each"


def test_a_full_queue_is_503_with_retry_after_and_reads_stay_open(
    pool: Analyzer, pool_client: TestClient, corpus: Seeded, tmp_path: Path
) -> None:
    gate = tmp_path / "open"
    held = [pool.submit(pool.page(f"gate {gate}", source=f"held {i}")) for i in range(pool.capacity)]
    try:
        r = pool_client.post("/api/analyze", json={"text": "One more article, please."})
        assert r.status_code == 503, r.text
        assert int(r.headers["retry-after"]) >= 1
        error = r.json()["error"]
        assert error["type"] == "AnalysisBusy" and error["exit_code"] == 2
        assert "busy" in error["message"] and "\n" not in error["message"]

        form = pool_client.post("/analyze", data={"text": "One more."}, headers={"Accept": "text/html"})
        assert form.status_code == 503 and int(form.headers["retry-after"]) >= 1
        assert "busy" in form.text

        # Reads share neither the pool nor a lock with it.
        doc = pool_client.get(f"/api/documents/{corpus.ids['original']}")
        assert doc.status_code == 200 and doc.json()["outlet"] == "southfront.org"
        assert pool_client.get("/api/documents", params={"limit": 2}).status_code == 200
    finally:
        gate.touch()
    assert [f.result(timeout=30).error for f in held] == [None] * len(held)
    wait_idle(pool)
    assert pool_client.post("/api/analyze", json={"text": "Room again."}).status_code == 200


def test_a_request_over_the_timeout_is_504_and_others_go_on(
    pool: Analyzer, pool_client: TestClient, tmp_path: Path
) -> None:
    gate = tmp_path / "open"
    try:
        r = pool_client.post("/api/analyze", json={"text": f"gate {gate}", "source": "slow.txt"})
        assert r.status_code == 504, r.text
        error = r.json()["error"]
        assert error == {
            "type": "AnalysisTimeout",
            "message": f"slow.txt: not analysed within the server's limit of {TIMEOUT:g} s",
            "exit_code": 3,
        }
        # The held job keeps one worker; the other serves the next request.
        again = pool_client.post("/api/analyze", json={"text": "Meanwhile, a short article."})
        assert again.status_code == 200, again.text
    finally:
        gate.touch()
    wait_idle(pool)  # the job left to finish gave its place back


def test_a_crash_in_a_stage_is_422_without_internals(pool_client: TestClient) -> None:
    r = pool_client.post("/api/analyze", json={"text": "crash\n\nA page that breaks a stage."})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == {
        "type": "InputError",
        "message": "api: could not be analysed (test-pool: RuntimeError)",
        "exit_code": 3,
    }
    assert "secret" not in r.text and "Traceback" not in r.text

    page = pool_client.post("/analyze", data={"text": "crash\n\nAgain."}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and "RuntimeError" in page.text
    assert "secret" not in page.text and "Traceback" not in page.text


def test_workers_run_their_models_on_one_thread_each(pool_client: TestClient) -> None:
    for name in ("PRESSLENS_ORT_THREADS", "OMP_NUM_THREADS"):
        r = pool_client.post("/api/analyze", json={"text": f"env {name}\n\nThreads."})
        assert r.status_code == 200, r.text
        assert r.json()["metadata"]["title"] == "1", name


def test_a_worker_that_dies_is_replaced(pool: Analyzer, pool_client: TestClient) -> None:
    r = pool_client.post("/api/analyze", json={"text": "exit\n\nA page that kills its worker."})
    assert r.status_code == 503, r.text
    assert r.json()["error"]["type"] == "AnalysisBusy" and int(r.headers["retry-after"]) >= 1
    wait_idle(pool)
    after = pool_client.post("/api/analyze", json={"text": "A new worker reads this."})
    assert after.status_code == 200, after.text


def test_pool_options_come_from_the_app_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(token=TOKEN, workers=3, queue_size=5, timeout=7.5)
    analyzer = app.state.analyzer
    assert (analyzer.workers, analyzer.queue_size, analyzer.timeout) == (3, 5, 7.5)
    assert analyzer.capacity == 8 and analyzer.admitted == 0

    monkeypatch.setenv("PRESSLENS_ANALYZE_WORKERS", "1")
    monkeypatch.setenv("PRESSLENS_ANALYZE_QUEUE", "0")
    monkeypatch.setenv("PRESSLENS_ANALYZE_TIMEOUT", "12")
    analyzer = create_app(token=TOKEN).state.analyzer
    assert (analyzer.workers, analyzer.queue_size, analyzer.timeout) == (1, 0, 12.0)
