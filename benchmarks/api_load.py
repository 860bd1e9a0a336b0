"""Load benchmark of the REST API on loopback: requests/s and p50/p99 latency.

Starts `presslens serve`'s app (uvicorn, one process) on 127.0.0.1 over a temporary SQLite
corpus of DOCS copies of the analysed example page, then drives it from this process with an
asyncio httpx client at a fixed concurrency for a bounded time per endpoint:

- `GET /api/documents/{id}` (random ids): the read path; goal ≥ 50 req/s with p99 < 500 ms;
- `POST /api/analyze` with the example page's text: the full pipeline per request.

Nothing leaves the machine: the server binds 127.0.0.1 and the client refuses other hosts.

    python benchmarks/api_load.py                     # 10 s per endpoint, concurrency 8
    python benchmarks/api_load.py --seconds 20 --docs 500 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "globalresearch-soleimani.txt"
TOKEN = "bench-token"


def build_corpus(db_url: str, n: int) -> list[str]:
    """Store `n` variants of the analysed example page; returns their ids."""
    import presslens
    from presslens.corpus.query import add_document
    from presslens.corpus.store import Store

    base = presslens.analyze(EXAMPLE)
    store = Store(db_url)
    ids = []
    for i in range(n):
        doc = base.model_copy(deep=True)
        doc.source = f"https://outlet{i % 20}.example/article/{i}"
        day = 1 + i % 28
        stored = add_document(store, doc, outlet=f"outlet{i % 20}.example", published=f"2020-01-{day:02d}")
        ids.append(str(stored.id))
    store.close()
    print(f"corpus: {n} documents of {len(base.text)} chars, stages {', '.join(base.stages)}")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PRESSLENS_DB": db_url,
        "PRESSLENS_TOKEN": TOKEN,
        # The benchmark is one client hammering analyze: lift the per-client limit.
        "PRESSLENS_ANALYZE_PER_MINUTE": "1000000",
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "presslens.web.app:app_from_env",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(cmd, env=env)


def wait_ready(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/documents?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def hammer(
    base: str, seconds: float, concurrency: int, make_request: Request
) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                response = await make_request(client)
                latencies.append(time.perf_counter() - t0)
                if response.status_code >= 400:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, errors, int(elapsed * 1000)


def report(name: str, latencies: list[float], errors: int, elapsed_ms: int) -> dict[str, float]:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")
    rps = len(ordered) / (elapsed_ms / 1000) if elapsed_ms else 0.0
    print(
        f"{name:28s} {len(ordered):6d} requests  {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
        f"errors {errors}"
    )
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per endpoint (max 120)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--docs", type=int, default=200, help="documents in the temporary corpus (max 5000)")
    parser.add_argument("--skip-analyze", action="store_true", help="only benchmark the GET endpoint")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1.0), 120.0)  # bounded: this shares the machine
    docs = min(max(args.docs, 1), 5000)

    with tempfile.TemporaryDirectory(prefix="presslens-bench-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'corpus.sqlite'}"
        ids = build_corpus(db_url, docs)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        assert urlsplit(base).hostname == "127.0.0.1"  # loopback only
        server = start_server(db_url, port)
        try:
            wait_ready(base)
            example = EXAMPLE.read_text(encoding="utf-8")

            async def get_doc(client: httpx.AsyncClient) -> httpx.Response:
                return await client.get(f"/api/documents/{random.choice(ids)}")

            async def analyze(client: httpx.AsyncClient) -> httpx.Response:
                return await client.post("/api/analyze", json={"text": example, "source": "bench"})

            print(
                f"server: uvicorn, 1 process, {base}; client: asyncio httpx, concurrency {args.concurrency}, "
                f"{seconds:.0f} s per endpoint, {os.cpu_count()} CPUs shared by both"
            )
            asyncio.run(hammer(base, 1.0, 2, get_doc))  # warm-up
            get = report(
                "GET /api/documents/{id}", *asyncio.run(hammer(base, seconds, args.concurrency, get_doc))
            )
            if not args.skip_analyze:
                asyncio.run(hammer(base, 1.0, 1, analyze))  # loads the pipeline's models
                report("POST /api/analyze", *asyncio.run(hammer(base, seconds, args.concurrency, analyze)))
            ok = get["rps"] >= 50 and get["p99_ms"] < 500 and not get["errors"]
            print(f"goal GET >= 50 req/s with p99 < 500 ms: {'met' if ok else 'NOT met'}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
