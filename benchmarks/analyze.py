"""Throughput of the four text stages together: entities, quotes, claims, timeline.

Reads PTC articles of about 750 words (600–900) from `../shared/data/ptc/articles`, builds a
`Document` per article (the whole file is the body) and streams them through the product
pipeline, `presslens.load(["parse", "entities", "quotes", "claims", "timeline"]).pipe(...)` —
the `parse` stage runs spaCy once per batch — then prints articles/s and words/s, and the time
per stage from the pipeline's own statistics.

    python benchmarks/analyze.py                 # one process
    python benchmarks/analyze.py --workers 2     # nlp.pipe(n_process=2): one process per core
    python benchmarks/analyze.py --gold          # also print the gold-set P/R/F1

The goal in issue 5 is >= 10 articles/s on 2 cores. On a shared machine the figure depends on
what else runs; say so when reporting it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from presslens.document import Document  # noqa: E402

STAGES = ("parse", "entities", "quotes", "claims", "timeline")


def load_articles(folder: Path, lo: int, hi: int, limit: int) -> list[tuple[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if lo <= len(text.split()) <= hi:
            rows.append((path.stem, text))
    return rows[:limit]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared" / "data" / "ptc" / "articles")
    parser.add_argument("--limit", type=int, default=60, help="how many ~750-word articles")
    parser.add_argument("--workers", type=int, default=1, help="processes (one per core)")
    parser.add_argument("--batch-size", type=int, default=16, help="documents per nlp.pipe batch")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the articles")
    parser.add_argument("--gold", action="store_true", help="also score the gold set")
    args = parser.parse_args(argv)
    if not args.articles.is_dir():
        print(f"articles folder not found: {args.articles}", file=sys.stderr)
        return 3
    articles = load_articles(args.articles, 600, 900, args.limit) * args.repeat
    words = sum(len(t.split()) for _, t in articles)
    import presslens

    nlp = presslens.load(STAGES)
    # Warm up: load the model before the clock starts (once per process, as in a real run;
    # worker processes load theirs inside the timed run, as `presslens analyze --workers` does).
    list(nlp.pipe(Document(source=aid, text=text) for aid, text in articles[:4]))
    nlp.stats.clear()
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    docs = (Document(source=aid, text=text) for aid, text in articles)
    done = sum(1 for _ in nlp.pipe(docs, batch_size=args.batch_size, n_process=args.workers))
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    assert done == len(articles), f"{len(articles) - done} articles failed"
    times = {name: st.seconds for name, st in nlp.stats.items() if name in STAGES}
    print(
        f"{len(articles)} articles, {words / len(articles):.0f} words each on average, "
        f"{args.workers} worker(s), {os.cpu_count()} CPUs visible"
    )
    print(f"throughput: {len(articles) / wall:.1f} articles/s, {words / wall:.0f} words/s ({wall:.1f} s)")
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
