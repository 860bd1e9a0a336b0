"""Throughput of the four text stages together: entities, quotes, claims, timeline.

Reads PTC articles of about 750 words (600–900) from `../shared/data/ptc/articles`, builds a
`Document` per article (the whole file is the body) and runs the stages exactly as the
pipeline does — one shared spaCy parse per document, batched with `nlp.pipe` — then prints
articles/s and words/s, and the time per stage.

    python benchmarks/analyze.py                 # one process
    python benchmarks/analyze.py --workers 2     # one process per core (fork)
    python benchmarks/analyze.py --gold          # also print the gold-set P/R/F1

The goal in issue 5 is >= 10 articles/s on 2 cores. On a shared machine the figure depends on
what else runs; say so when reporting it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from presslens.document import Document  # noqa: E402

STAGES = ("entities", "quotes", "claims", "timeline")


def load_articles(folder: Path, lo: int, hi: int, limit: int) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if lo <= len(text.split()) <= hi:
            rows.append((path.stem, text))
    return rows[:limit]


def run(articles: Sequence[tuple[str, str]], batch_size: int = 16) -> dict[str, float]:
    """Run the stages on `articles`; seconds per step, spaCy parse counted apart."""
    from presslens.analyze.nlp import clear_cache, get_nlp, prime
    from presslens.pipeline import create_stage

    get_nlp()
    stages = [create_stage(name) for name in STAGES]
    times = dict.fromkeys(("parse", *STAGES), 0.0)
    cpu_started = time.process_time()
    for i in range(0, len(articles), batch_size):
        docs = [Document(source=aid, text=text) for aid, text in articles[i : i + batch_size]]
        started = time.perf_counter()
        prime(docs, batch_size=batch_size)
        times["parse"] += time.perf_counter() - started
        for doc in docs:
            for stage in stages:
                started = time.perf_counter()
                doc = stage(doc)
                times[stage.name] += time.perf_counter() - started
                doc.stages = [*doc.stages, stage.name]
        clear_cache()
    times["cpu"] = time.process_time() - cpu_started
    return times


def _worker(chunk: Sequence[tuple[str, str]]) -> dict[str, float]:
    return run(chunk)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared" / "data" / "ptc" / "articles")
    parser.add_argument("--limit", type=int, default=60, help="how many ~750-word articles")
    parser.add_argument("--workers", type=int, default=1, help="processes (one per core)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the articles")
    parser.add_argument("--gold", action="store_true", help="also score the gold set")
    args = parser.parse_args(argv)
    if not args.articles.is_dir():
        print(f"articles folder not found: {args.articles}", file=sys.stderr)
        return 3
    articles = load_articles(args.articles, 600, 900, args.limit) * args.repeat
    words = sum(len(t.split()) for _, t in articles)
    # Warm up: load the model before the clock starts (once per process, as in a real run).
    from presslens.analyze.nlp import get_nlp

    get_nlp()
    run(articles[:4])
    started = time.perf_counter()
    if args.workers <= 1:
        times = run(articles)
    else:
        chunks = [articles[i :: args.workers] for i in range(args.workers)]
        with get_context("fork").Pool(args.workers) as pool:
            parts = pool.map(_worker, chunks)
        times = {k: sum(p[k] for p in parts) for k in parts[0]}
    wall = time.perf_counter() - started
    print(
        f"{len(articles)} articles, {words / len(articles):.0f} words each on average, "
        f"{args.workers} worker(s), {os.cpu_count()} CPUs visible"
    )
    print(f"throughput: {len(articles) / wall:.1f} articles/s, {words / wall:.0f} words/s ({wall:.1f} s)")
    cpu = times.pop("cpu")
    total = sum(times.values())
    print(
        "time per step (summed over workers): "
        + ", ".join(f"{k} {v / len(articles) * 1000:.1f} ms ({v / total:.0%})" for k, v in times.items())
    )
    # CPU seconds are what a shared machine's load inflates least: they give the throughput
    # two dedicated cores would reach with one worker each.
    per_article = cpu / len(articles)
    print(
        f"CPU time: {per_article * 1000:.0f} ms per article -> {2 / per_article:.1f} articles/s "
        f"on 2 dedicated cores ({1 / per_article:.1f} per core)"
    )
    if args.gold:
        from presslens.analyze.evaluate import main as evaluate_main

        evaluate_main(["--gold", str(REPO / "tests" / "data" / "gold")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
