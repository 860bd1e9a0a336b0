"""Article-body extraction benchmark: presslens vs trafilatura on the same pages, same run.

Data: a folder shaped like the Scrapinghub article-extraction-benchmark (`html/KEY.html.gz` and
`ground-truth.json` with `articleBody`); by default `../shared/data/article-extraction`.
Metric: the benchmark's own — 4-token shingle precision/recall per page, averaged over pages,
F1 from the two averages (`presslens.anatomy.evaluate`).

All tools run page by page, interleaved (warm-up page first, not timed), each call timed with
`time.perf_counter` (pages/s) and `time.process_time` (CPU ms/page, which load from other
processes on a shared machine disturbs less), so load hits every tool alike; both count the
whole call (presslens: what `presslens extract` runs — the document maker and the `anatomy`
stages `body`, `metadata` and `wrapper`, i.e. parsing, blocks, body, HTML and text metadata,
boilerplate kinds, funding, contacts, language; trafilatura: `trafilatura.extract`).

    python benchmarks/extraction.py [--data DIR] [--repeat N] [--per-page] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from presslens.anatomy.evaluate import BenchmarkPage, PageScore, aggregate, load_pages, score_page
from presslens.anatomy.language import warm_up as language_warm_up
from presslens.document import RawPage
from presslens.errors import InputError
from presslens.pipeline import EXTRACT_STAGES, Pipeline, settle_gc

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "article-extraction"

Extractor = Callable[[BenchmarkPage], str]


_EXTRACT = Pipeline.from_names(EXTRACT_STAGES)


def presslens_body(page: BenchmarkPage) -> str:
    try:
        doc = _EXTRACT(RawPage(source=page.key, kind="html", text=page.html, url=page.url))
    except InputError:
        return ""
    return doc.body.text if doc.body else ""


def _trafilatura(*, favor_precision: bool = False, favor_recall: bool = False) -> Extractor:
    def run(page: BenchmarkPage) -> str:
        out = trafilatura.extract(
            page.html, url=page.url, favor_precision=favor_precision, favor_recall=favor_recall
        )
        return out or ""

    return run


TOOLS: dict[str, Extractor] = {
    "presslens": presslens_body,
    "trafilatura": _trafilatura(),  # default settings: the reference peer
    "trafilatura (precision)": _trafilatura(favor_precision=True),
    "trafilatura (recall)": _trafilatura(favor_recall=True),
}


def run_tools(
    tools: dict[str, Extractor], pages: list[BenchmarkPage], repeat: int
) -> dict[str, tuple[list[PageScore], float, float]]:
    """Run every tool on every page, interleaved page by page, and time each call.

    Interleaving matters on a shared machine: a burst of load from another process then
    slows every tool alike instead of whichever one happened to be running.
    """
    for extract in tools.values():
        extract(pages[0])  # warm-up: imports, caches
    # presslens loads its language model in a background thread when the pipeline is built (a
    # one-off, like the imports); pages that declare their language never wait for it, so wait
    # here, or its load would be timed as part of whichever calls it overlaps.
    language_warm_up(background=False)
    outputs: dict[str, list[str]] = {name: [] for name in tools}
    seconds: dict[str, float] = dict.fromkeys(tools, 0.0)
    cpu: dict[str, float] = dict.fromkeys(tools, 0.0)
    names = list(tools)
    for rep in range(repeat):
        for n, page in enumerate(pages):
            # rotate the order so no tool always runs first on a page (warm caches)
            shift = (n + rep) % len(names)
            for name in names[shift:] + names[:shift]:
                start, start_cpu = time.perf_counter(), time.process_time()
                out = tools[name](page)
                seconds[name] += time.perf_counter() - start
                cpu[name] += time.process_time() - start_cpu
                if rep == 0:
                    outputs[name].append(out)
    return {
        name: (
            [score_page(out, p.article_body) for out, p in zip(outputs[name], pages, strict=True)],
            len(pages) * repeat / seconds[name],
            1000 * cpu[name] / (len(pages) * repeat),
        )
        for name in tools
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the pages for timing")
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of: " + ", ".join(TOOLS)
    )
    parser.add_argument(
        "--per-page", action="store_true", help="print per-page F1 of presslens vs trafilatura"
    )
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--bootstrap", type=int, default=1000, help="resamples for the ± figures")
    args = parser.parse_args(argv)
    # The garbage-collector settings the `presslens` command makes at start-up (cli.main), so
    # the benchmark measures what users run; they apply to every tool in this process alike.
    settle_gc()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)

    try:
        pages = list(load_pages(args.data.resolve()))
    except InputError as exc:
        print(f"extraction benchmark: {exc}", file=sys.stderr)
        return 3
    if not pages:
        print("extraction benchmark: no pages", file=sys.stderr)
        return 3
    names = [n.strip() for n in args.tools.split(",") if n.strip()]
    results: dict[str, dict[str, float]] = {}
    per_page: dict[str, list[PageScore]] = {}
    unknown = [n for n in names if n not in TOOLS]
    if unknown:
        print(f"extraction benchmark: unknown tool(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name, (scores, pps, cpu_ms) in run_tools({n: TOOLS[n] for n in names}, pages, args.repeat).items():
        agg = aggregate(scores)
        per_page[name] = scores
        results[name] = {
            "precision": agg.precision,
            "recall": agg.recall,
            "f1": agg.f1,
            "f1_std": _bootstrap_std(scores, args.bootstrap),
            "pages_per_s": pps,
            "cpu_ms_per_page": cpu_ms,
        }

    print(f"article-extraction benchmark: {len(pages)} pages from {args.data.resolve()}")
    print(
        f"{'tool':<26} {'precision':>9} {'recall':>7} {'F1':>7} {'± std':>6} {'pages/s':>8} "
        f"{'CPU ms/page':>11}"
    )
    for name, r in results.items():
        print(
            f"{name:<26} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} "
            f"{r['f1_std']:>6.4f} {r['pages_per_s']:>8.1f} {r['cpu_ms_per_page']:>11.1f}"
        )
    print(f"(± std: bootstrap over pages, {args.bootstrap} resamples, as the benchmark's evaluate.py)")
    if "presslens" in results and "trafilatura" in results:
        ours, ref = results["presslens"], results["trafilatura"]
        diff, diff_std = _bootstrap_diff(per_page["presslens"], per_page["trafilatura"], args.bootstrap)
        print(
            f"presslens vs trafilatura (default): F1 {ours['f1'] - ref['f1']:+.4f} "
            f"(paired bootstrap {diff:+.4f} ± {diff_std:.4f}), "
            f"throughput ×{ours['pages_per_s'] / ref['pages_per_s']:.2f} "
            f"(by CPU time ×{ref['cpu_ms_per_page'] / ours['cpu_ms_per_page']:.2f})"
        )
        if args.per_page:
            print(f"\n{'page':<44} {'presslens F1':>12} {'trafilatura F1':>14}")
            for page, a, b in zip(pages, per_page["presslens"], per_page["trafilatura"], strict=True):
                fa = _f1(a)
                fb = _f1(b)
                if abs(fa - fb) > 0.005:
                    print(f"{page.key:<44} {fa:>12.3f} {fb:>14.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _bootstrap_std(scores: list[PageScore], n: int, seed: int = 0) -> float:
    """Spread of the F1 over page resamples (the benchmark's own way of giving ±)."""
    rng = random.Random(seed)
    values = [aggregate(rng.choices(scores, k=len(scores))).f1 for _ in range(n)]
    return statistics.stdev(values) if len(values) > 1 else 0.0


def _bootstrap_diff(
    ours: list[PageScore], ref: list[PageScore], n: int, seed: int = 0
) -> tuple[float, float]:
    """Mean and spread of the F1 difference over paired page resamples."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(n):
        idx = [rng.randrange(len(ours)) for _ in ours]
        diffs.append(aggregate([ours[i] for i in idx]).f1 - aggregate([ref[i] for i in idx]).f1)
    if len(diffs) < 2:
        return (diffs[0] if diffs else 0.0), 0.0
    return statistics.mean(diffs), statistics.stdev(diffs)


def _f1(score: PageScore) -> float:
    p, r = score.precision, score.recall
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    sys.exit(main())
