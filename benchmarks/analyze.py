"""Throughput of `presslens analyze` — the whole pipeline, or the four text stages — beside
trafilatura's extraction on the same machine, in the same run.

Reads PTC articles of about 750 words (600–900) from `../shared/data/ptc/articles` and streams
them through the product pipeline exactly as `presslens analyze FILES --workers N` does:
`presslens.load(stages).pipe(pages, n_process=N)` from the raw page to the Document. Prints
articles/s and words/s, the time per stage from the pipeline's own statistics (summed over
workers), and trafilatura's pages/s on the article-extraction benchmark's HTML pages measured
in the same run — a yardstick for how fast this machine is right now.

    python benchmarks/analyze.py                          # full pipeline, 2 workers
    python benchmarks/analyze.py --stages text --workers 1   # parse, entities, quotes, claims, timeline

The goal in issue 12 is >= 10 articles/s of 750-word articles on 2 cores for the full pipeline.
On a shared machine the figure depends on what else runs; say so when reporting it.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from presslens.document import RawPage  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
TEXT_STAGES = ("parse", "entities", "quotes", "claims", "timeline")


def load_articles(folder: Path, lo: int, hi: int, limit: int) -> list[RawPage]:
    pages = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if lo <= len(text.split()) <= hi:
            pages.append(RawPage(source=str(path), kind="text", text=text))
    return pages[:limit]


def trafilatura_pages_per_s(folder: Path, limit: int = 40) -> float:
    """trafilatura.extract over the first `limit` HTML pages of the extraction benchmark."""
    import trafilatura

    pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in sorted(folder.glob("*.gz"))]
    pages = pages[:limit]
    trafilatura.extract(pages[0])  # warm up
    started = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return len(pages) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SHARED / "ptc" / "articles")
    parser.add_argument("--html", type=Path, default=SHARED / "article-extraction" / "html")
    parser.add_argument("--limit", type=int, default=60, help="how many ~750-word articles")
    parser.add_argument("--workers", type=int, default=2, help="processes (one per core)")
    parser.add_argument("--batch-size", type=int, default=8, help="documents per batch")
    parser.add_argument("--stages", choices=("full", "text"), default="full")
    args = parser.parse_args(argv)
    if not args.articles.is_dir():
        print(f"articles folder not found: {args.articles}", file=sys.stderr)
        return 3
    import presslens
    from presslens.pipeline import DEFAULT_STAGES

    stages = DEFAULT_STAGES if args.stages == "full" else TEXT_STAGES
    pages = load_articles(args.articles, 600, 900, args.limit)
    words = sum(len(p.text.split()) for p in pages)
    nlp = presslens.load(stages)
    # Warm up this process (models loaded once, as in a real run); worker processes load
    # theirs inside the timed run, as `presslens analyze --workers` does.
    list(nlp.pipe(pages[:2]))
    nlp.stats.clear()
    started = time.perf_counter()
    done = sum(1 for _ in nlp.pipe(pages, batch_size=args.batch_size, n_process=args.workers))
    wall = time.perf_counter() - started
    if done != len(pages):
        print(f"{len(pages) - done} articles failed", file=sys.stderr)
        return 1
    print(
        f"{len(pages)} articles, {words / len(pages):.0f} words each on average, "
        f"stages: {', '.join(stages)}; {args.workers} worker(s), {os.cpu_count()} CPUs visible"
    )
    print(f"throughput: {len(pages) / wall:.1f} articles/s, {words / wall:.0f} words/s ({wall:.1f} s)")
    # CPU seconds inside each stage, from the pipeline's own statistics (summed over worker
    # processes): what a loaded machine inflates least, so it gives the throughput two
    # dedicated cores reach with one worker each. Worker start-up (model loading) is outside.
    cpu = {name: st.cpu_seconds for name, st in nlp.stats.items()}
    total = sum(cpu.values())
    print(
        "CPU per article in each stage (summed over workers): "
        + ", ".join(f"{k} {v / len(pages) * 1000:.1f} ms ({v / total:.0%})" for k, v in cpu.items())
    )
    per_article = total / len(pages)
    print(
        f"CPU time: {per_article * 1000:.0f} ms per article -> {1 / per_article:.1f} articles/s per "
        f"core ({2 / per_article:.1f} on 2 dedicated cores)"
    )
    if args.html.is_dir():
        peer = trafilatura_pages_per_s(args.html)
        print(f"same run, trafilatura.extract: {peer:.1f} HTML pages/s on one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
