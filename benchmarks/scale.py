"""How presslens scales: ingest and link rates, peak memory, store size and P/R by crawl size.

    python benchmarks/scale.py                          # 2,000 text-only documents
    python benchmarks/scale.py --sizes 10000,100000 --memory-limit 4G
    python benchmarks/scale.py --sizes 2000 --stages anatomy --cluster 1,2 \\
        --db postgresql+psycopg://presslens@127.0.0.1:55432/presslens_test

For each size a crawl is generated (`make_corpus.py`, seeded, cached under --workdir; text
records unless --html), ingested into a fresh store with linking off, then linked
(`link --full`), each phase in a fresh process so its peak memory (RSS of the process and
its workers, sampled) is its own. Printed per size: docs/s for ingest and link, peak memory of
each phase, store size, and copy-edge precision/recall against the generator's truth. With two
or more sizes the last line extrapolates to 1M documents (rates from the largest size; memory
linear in size through the two largest).

`--cluster 1,2` (needs --db on PostgreSQL and dask's CLI) also ingests the smallest size on a
real `dask scheduler` with 1 and then 2 `dask worker` processes on 127.0.0.1, the workers
reading and writing their shards, and prints the scaling efficiency rate(k) / (k * rate(1)).
Loopback only; the processes are torn down at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus
import sqlalchemy as sa
import syndication

from presslens.cli.corpus import parse_memory
from presslens.corpus.ingest import ingest
from presslens.corpus.linking import link_corpus
from presslens.corpus.store import Store


def crawl_for(n: int, seed: int, workdir: Path, text: bool) -> tuple[Path, Path]:
    """The generated crawl and its truth (the same cache as syndication.py's)."""
    work = workdir / f"{n}-{seed}{'-text' if text else ''}"
    crawl, truth = work / "crawl.jsonl", work / "truth.json"
    if not crawl.exists() or not truth.exists():
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        pages = make_corpus.generate(n, seed)
        make_corpus.write_jsonl(pages, crawl, text=text)
        truth.write_text(json.dumps(make_corpus.truth_of(pages)))
        print(f"  generated {len(pages)} documents in {time.perf_counter() - started:.0f}s", flush=True)
    return crawl, truth


def fresh_db(db: str | None, work: Path) -> str:
    if db is None:
        path = work / "scale.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    engine = sa.create_engine(db)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return db


def store_bytes(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        size = int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one())
    engine.dispose()
    return size


class PeakMemory:
    """The peak of this process's RSS plus its descendants' (pool workers), sampled every
    0.2 s by a thread. (`ru_maxrss` will not do: Linux carries it over fork and exec, so a
    child would report its parent's peak, and a forkserver's workers are no waited-for child.)"""

    def __init__(self) -> None:
        import psutil  # dask's distributed depends on it

        self.me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        total = 0
        for proc in [self.me, *self.me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except Exception:  # a worker that just exited
                continue
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self._total())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def _ingest_phase(
    crawl: str, url: str, stages: list[str], workers: int, scheduler: str | None
) -> dict[str, Any]:
    from presslens.engine import make_engine

    engine = make_engine("dask" if scheduler else "local", workers=workers, scheduler=scheduler)
    store = Store(url)
    try:
        report = ingest([crawl], store, stages=stages, engine=engine, link=False)
    finally:
        engine.close()
        store.close()
    return {"seconds": report.seconds, "added": report.added, "failures": dict(report.failures)}


def _link_phase(url: str, memory_limit: int | None, workers: int) -> dict[str, Any]:
    from presslens.engine import LocalEngine

    store = Store(url)
    try:
        # Candidates, verification and deciding on `workers` processes, as `presslens link` does.
        lk = link_corpus(store, full=True, memory_limit=memory_limit, engine=LocalEngine(workers))
    finally:
        store.close()
    return {"seconds": lk.seconds, "pairs": lk.candidate_pairs, "edges": lk.edges}


def _child(fn: Callable[..., dict[str, Any]], args: tuple[Any, ...], out: Any) -> None:
    with PeakMemory() as mem:
        result = fn(*args)
    result["peak_mb"] = mem.peak / 2**20
    out.put(result)


def in_fresh_process(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """`fn(*args)` in a spawned process, with that process's peak memory added."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, out))
    proc.start()
    result: dict[str, Any] = out.get()
    proc.join()
    return result


def measure(n: int, args: argparse.Namespace, stages: list[str]) -> dict[str, Any]:
    crawl, truth_path = crawl_for(n, args.seed, args.workdir, not args.html)
    url = fresh_db(args.db, crawl.parent)
    ing = in_fresh_process(_ingest_phase, str(crawl), url, stages, args.workers, None)
    # Each phase as it ends: at a million documents the whole row is hours away.
    print(
        f"  ingest {ing['seconds']:.0f}s ({n / ing['seconds']:.0f} docs/s, peak {ing['peak_mb']:.0f} MB)",
        flush=True,
    )
    lk = in_fresh_process(_link_phase, url, parse_memory(args.memory_limit), args.workers)
    print(
        f"  link {lk['seconds']:.0f}s ({n / lk['seconds']:.0f} docs/s, peak {lk['peak_mb']:.0f} MB)",
        flush=True,
    )
    store = Store(url)
    try:
        scores = syndication.evaluate(store, json.loads(truth_path.read_text()))
    finally:
        store.close()
    row = {
        "docs": n,
        "added": ing["added"],
        "ingest_s": ing["seconds"],
        "ingest_docs_s": n / ing["seconds"],
        "ingest_peak_mb": ing["peak_mb"],
        "link_s": lk["seconds"],
        "link_docs_s": n / lk["seconds"],
        "link_peak_mb": lk["peak_mb"],
        "pairs": lk["pairs"],
        "store_mb": store_bytes(url) / 2**20,
        "copy_precision": scores["copy_precision"],
        "copy_recall": scores["copy_recall"],
    }
    print(
        f"{n:>9} docs: ingest {row['ingest_s']:.0f}s ({row['ingest_docs_s']:.0f} docs/s, peak "
        f"{row['ingest_peak_mb']:.0f} MB) | link {row['link_s']:.0f}s ({row['link_docs_s']:.0f} docs/s, "
        f"{row['pairs']} candidate pairs, peak {row['link_peak_mb']:.0f} MB) | store "
        f"{row['store_mb']:.0f} MB | copy P {row['copy_precision']:.3f} R {row['copy_recall']:.3f}",
        flush=True,
    )
    return row


def extrapolate(rows: list[dict[str, Any]], target: int = 1_000_000) -> None:
    big = rows[-1]
    ingest_min = target / big["ingest_docs_s"] / 60
    link_min = target / big["link_docs_s"] / 60
    a, b = rows[-2], rows[-1]
    per_doc = {
        k: (b[k] - a[k]) / (b["docs"] - a["docs"]) for k in ("link_peak_mb", "ingest_peak_mb", "store_mb")
    }
    at = {k: b[k] + v * (target - b["docs"]) for k, v in per_doc.items()}
    print(
        f"extrapolated to {target:,} documents: ingest ~{ingest_min:.0f} min, link ~{link_min:.0f} min "
        f"(rates of {big['docs']:,}; linking's cost grows with the candidate pairs, near-linear here); "
        f"peak memory ingest ~{at['ingest_peak_mb'] / 1024:.1f} GB, "
        f"link ~{at['link_peak_mb'] / 1024:.1f} GB; "
        f"store ~{at['store_mb'] / 1024:.1f} GB (linear through {a['docs']:,} and {b['docs']:,})"
    )


def _quiet(cmd: list[str]) -> subprocess.Popen[bytes]:
    """A dask process in its own session (killed as a group), its chatter discarded."""
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cluster_efficiency(n: int, args: argparse.Namespace, stages: list[str], counts: list[int]) -> None:
    """Ingest rate on a real scheduler with k workers (1 thread each), for each k in counts."""
    from distributed import Client

    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    if dask is None or not args.db:
        print("--cluster needs dask's CLI and --db on PostgreSQL: skipped")
        return
    crawl, _ = crawl_for(n, args.seed, args.workdir, not args.html)
    rates: dict[int, float] = {}
    for k in counts:
        port = _free_port()
        address = f"tcp://127.0.0.1:{port}"
        procs = [_quiet([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])]
        try:
            for _ in range(k):
                worker = [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard"]
                procs.append(_quiet(worker))
            with Client(address, timeout="60s") as client:
                client.wait_for_workers(k, timeout=120)
            url = fresh_db(args.db, crawl.parent)
            Store(url).close()
            result = in_fresh_process(_ingest_phase, str(crawl), url, stages, k, address)
            rates[k] = n / result["seconds"]
            eff = rates[k] / (k * rates[counts[0]] / counts[0])
            print(
                f"cluster, {k} worker(s): ingest {result['seconds']:.0f}s, {rates[k]:.1f} docs/s, "
                f"{result['added']} stored; efficiency vs {counts[0]}: {eff:.2f}",
                flush=True,
            )
        finally:
            for proc in reversed(procs):
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000", help="comma-separated crawl sizes, e.g. 10000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="local worker processes for ingest")
    ap.add_argument("--stages", default="", help="comma-separated stages; '' (default) stores and links only")
    ap.add_argument("--html", action="store_true", help="HTML records (default: text, no extraction)")
    ap.add_argument("--memory-limit", default=None, help="linking's memory limit, e.g. 4G")
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (emptied!) instead of a SQLite file")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/presslens-syndication"))
    ap.add_argument("--cluster", default="", help="worker counts on a real dask scheduler, e.g. 1,2")
    args = ap.parse_args(argv)
    stages = [s for s in args.stages.split(",") if s]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        f"stages: {','.join(stages) or '(none: store + link)'}; {'html' if args.html else 'text'} records; "
        f"{args.workers} local workers; link memory limit {args.memory_limit or 'none'}; "
        f"store {'PostgreSQL' if args.db else 'SQLite'}; {os.cpu_count()} CPUs",
        flush=True,
    )
    rows = [measure(n, args, stages) for n in sizes]
    if len(rows) >= 2:
        extrapolate(rows)
    if args.cluster:
        cluster_efficiency(min(sizes), args, stages, [int(k) for k in args.cluster.split(",")])


if __name__ == "__main__":
    main()
