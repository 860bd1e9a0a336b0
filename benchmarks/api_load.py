"""Load benchmark of the REST API on loopback: analyze req/s and p50/p99 latency at several
concurrencies, and reads while analysis is saturated.

Starts `presslens serve` (one web process and its pool of analysis workers, `--workers`) on
127.0.0.1 over a temporary SQLite corpus of DOCS copies of the analysed example page, then
drives it from this process at a fixed concurrency for a bounded time per measurement:

- `POST /api/analyze` at concurrency 1, 2, 4 and 8, each request a different PTC article of
  about 750 words (600-900, from `../shared/data/ptc/articles`, taken in turn);
- `GET /api/documents/{id}` (random ids) alone, then while analyze runs at the highest
  concurrency (every worker busy, requests waiting) in the same time window.

The client is a minimal keep-alive HTTP/1.1 client over asyncio streams, not httpx: on a
2-core machine the load generator shares the cores with the server it measures, and httpx
spends about a millisecond of CPU per request. Nothing leaves the machine: the server binds
127.0.0.1 and the client connects nowhere else.

Goals (issue 12, on 2 cores): analyze at concurrency 4 >= 1.8x the concurrency-1 req/s;
p99 < 2 s; GET >= 200 req/s while analyze is saturated.

    python benchmarks/api_load.py                            # 10 s per measurement
    python benchmarks/api_load.py --seconds 20 --workers 2 --levels 1,2,4,8
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "globalresearch-soleimani.txt"
ARTICLES = REPO.parent / "shared" / "data" / "ptc" / "articles"
HOST = "127.0.0.1"  # loopback only
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


def load_articles(folder: Path, lo: int = 600, hi: int = 900) -> list[tuple[str, str]]:
    """(name, text) of the PTC articles of `lo`..`hi` words, in a fixed shuffled order."""
    found = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if lo <= len(text.split()) <= hi:
            found.append((path.name, text))
    random.Random(12).shuffle(found)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PRESSLENS_TOKEN": TOKEN,
        # The benchmark is one client hammering analyze: lift the per-client limit.
        "PRESSLENS_ANALYZE_PER_MINUTE": "1000000",
    }
    cmd = [sys.executable, "-m", "presslens", "serve", "--db", db_url, "--host", HOST, "--port", str(port)]
    cmd += ["--workers", str(workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)


class Connection:
    """One keep-alive HTTP/1.1 connection to the server: request line, headers, a body with
    Content-Length; the answer's status and body. Enough for this server, and cheap."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nContent-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        self.writer.write(head.encode("ascii") + b"\r\n" + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
            elif name == b"transfer-encoding":
                raise RuntimeError("chunked answers are not expected from this server")
        payload = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


Call = Callable[[Connection], Awaitable[int]]


class ServerCpu:
    """CPU seconds used by the server: its web process and every process under it (the
    forkserver and the analysis workers). On a shared machine this says how much of the cores
    the server actually got, and what one request costs whatever else runs. Needs psutil."""

    def __init__(self, pid: int) -> None:
        self._seen: dict[int, float] = {}  # workers that ended keep their last reading
        try:
            import psutil
        except ImportError:
            self.web = None
            return
        self.web = psutil.Process(pid)

    def read(self) -> tuple[float, float]:
        """(web process, workers) CPU seconds so far."""
        if self.web is None:
            return float("nan"), float("nan")
        import psutil

        web = sum(self.web.cpu_times()[:2])
        for child in self.web.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                self._seen[child.pid] = sum(child.cpu_times()[:2])
        return web, sum(self._seen.values())


@dataclass
class Run:
    name: str
    concurrency: int
    latencies: list[float]
    errors: int
    seconds: float
    web_cpu: float = float("nan")  # CPU seconds of the web process during the run
    worker_cpu: float = float("nan")  # and of the analysis workers

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        if q == 50:
            return statistics.median(ordered) * 1000
        return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))] * 1000

    @property
    def cores(self) -> float:
        """Cores the server (web + workers) kept busy on average during the run."""
        return (self.web_cpu + self.worker_cpu) / self.seconds

    def cpu_ms(self) -> float:
        """Server CPU per request, web process and workers together."""
        return (self.web_cpu + self.worker_cpu) / max(len(self.latencies), 1) * 1000

    def line(self) -> str:
        return (
            f"{self.name:26s} c={self.concurrency:<2d} {len(self.latencies):5d} requests "
            f"{self.rps:7.1f} req/s  p50 {self.percentile(50):7.1f} ms  p99 {self.percentile(99):7.1f} ms  "
            f"errors {self.errors}; server busy {self.cores:.2f} cores, {self.cpu_ms():.0f} ms CPU/request"
        )


async def hammer(
    name: str, port: int, seconds: float, concurrency: int, call: Call, cpu: ServerCpu | None = None
) -> Run:
    """`concurrency` connections, each sending `call` back to back for `seconds`."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def user() -> None:
        nonlocal errors
        conn = Connection(port)
        try:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                status = await call(conn)
                latencies.append(time.perf_counter() - t0)
                errors += status != 200
        finally:
            conn.close()

    before = cpu.read() if cpu else (float("nan"), float("nan"))
    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    after = cpu.read() if cpu else (float("nan"), float("nan"))
    return Run(name, concurrency, latencies, errors, elapsed, after[0] - before[0], after[1] - before[1])


def wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float = 300.0) -> None:
    """Until the server answers: it listens once every worker has loaded its models."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            status, _ = asyncio.run(Connection(port).request("GET", "/api/documents?limit=1"))
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="duration per measurement (max 120)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="analysis worker processes")
    parser.add_argument("--levels", default="1,2,4,8", help="analyze concurrencies, comma-separated")
    parser.add_argument("--get-concurrency", type=int, default=8)
    parser.add_argument("--docs", type=int, default=200, help="documents in the temporary corpus (max 5000)")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1.0), 120.0)  # bounded: this shares the machine
    levels = [max(1, int(x)) for x in args.levels.split(",")]
    articles = load_articles(args.articles)
    if not articles:
        print(f"no 600-900-word articles in {args.articles}", file=sys.stderr)
        return 3
    words = statistics.mean(len(text.split()) for _, text in articles)
    turn: Iterator[tuple[str, str]] = itertools.cycle(articles)

    async def analyze(conn: Connection) -> int:
        name, text = next(turn)
        status, _ = await conn.request(
            "POST", "/api/analyze", json.dumps({"text": text, "source": name}).encode()
        )
        return status

    with tempfile.TemporaryDirectory(prefix="presslens-bench-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'corpus.sqlite'}"
        ids = build_corpus(db_url, min(max(args.docs, 1), 5000))

        async def get_doc(conn: Connection) -> int:
            status, _ = await conn.request("GET", f"/api/documents/{random.choice(ids)}")
            return status

        port = free_port()
        server = start_server(db_url, port, args.workers)
        try:
            started = time.perf_counter()
            wait_ready(port, server)
            print(
                f"server: presslens serve --workers {args.workers} on {HOST}:{port}, ready in "
                f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs shared with the client; "
                f"load average {os.getloadavg()[0]:.1f} before the run"
            )
            print(
                f"analyze: {len(articles)} PTC articles of {words:.0f} words on average, a different one per "
                f"request (in turn); {seconds:g} s per measurement"
            )
            cpu = ServerCpu(server.pid)
            asyncio.run(hammer("warm-up", port, 2.0, args.workers, analyze))
            runs = []
            for c in levels:
                runs.append(asyncio.run(hammer("POST /api/analyze", port, seconds, c, analyze, cpu)))
                print(runs[-1].line(), flush=True)
            alone = asyncio.run(
                hammer("GET /api/documents/{id}", port, seconds, args.get_concurrency, get_doc, cpu)
            )
            print(alone.line())

            async def both() -> tuple[Run, Run]:
                busy = max(levels)
                a, g = await asyncio.gather(
                    hammer("POST /api/analyze (busy)", port, seconds, busy, analyze, cpu),
                    hammer("GET while analyze busy", port, seconds, args.get_concurrency, get_doc),
                )
                return a, g

            busy_analyze, busy_get = asyncio.run(both())
            print(busy_analyze.line())  # its server CPU counts the reads too
            print(busy_get.line())
            print(f"load average {os.getloadavg()[0]:.1f} after the run")
        finally:
            server.terminate()
            server.wait(timeout=60)

    by_level = {r.concurrency: r for r in runs}
    print(
        "\n| concurrency | analyze req/s | p50 ms | p99 ms | errors | server cores busy | CPU ms/request |"
        "\n|---|---|---|---|---|---|---|"
    )
    for r in runs:
        p50, p99 = r.percentile(50), r.percentile(99)
        print(
            f"| {r.concurrency} | {r.rps:.1f} | {p50:.0f} | {p99:.0f} | {r.errors} | {r.cores:.2f} | "
            f"{r.cpu_ms():.0f} |"
        )
    print(
        f"\n| GET /api/documents/{{id}}, c={alone.concurrency} | req/s | p50 ms | p99 ms | errors |"
        "\n|---|---|---|---|---|"
    )
    for label, r in (
        ("alone", alone),
        (f"while analyze runs at c={busy_analyze.concurrency} ({busy_analyze.rps:.1f} req/s)", busy_get),
    ):
        print(f"| {label} | {r.rps:.0f} | {r.percentile(50):.0f} | {r.percentile(99):.0f} | {r.errors} |")
    cheapest = min(r.cpu_ms() for r in runs)
    print(
        f"\nserver CPU per analyze request: {cheapest:.0f} ms at best -> at most {1000 / cheapest:.1f} req/s "
        f"per dedicated core, {2000 / cheapest:.1f} on 2"
    )
    if 1 in by_level and 4 in by_level:
        ratio = by_level[4].rps / by_level[1].rps
        print(
            f"goal concurrency 4 >= 1.8x concurrency 1: x{ratio:.2f} {'met' if ratio >= 1.8 else 'NOT met'}"
        )
    worst = max(r.percentile(99) for r in runs)
    print(f"goal p99 < 2 s at every concurrency: worst {worst:.0f} ms {'met' if worst < 2000 else 'NOT met'}")
    verdict = "met" if busy_get.rps >= 200 else "NOT met"
    print(f"goal GET >= 200 req/s while analyze is saturated: {busy_get.rps:.0f} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
