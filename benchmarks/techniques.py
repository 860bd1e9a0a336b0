"""Benchmark the technique model: sentences/s, articles/s, peak memory and size, int8 vs fp32.

Where it sits: beside the shipped model (`src/presslens/models/techniques/`); the model card
quotes its output. Each variant runs in its own subprocess so peak memory (max RSS) is its own.
Both workloads run the product path — actor masking (spaCy NER), span tagger, decoding, span
classifier, calibration, evidence — with onnxruntime pinned to `--threads` (2: the target machine):

- sentence mode: the sentences of the articles as independent texts, 32 per
  `TechniqueModel.find_many` call (the figure the ≥150 sentences/s goal is about);
- article mode: `TechniqueModel.find` on whole articles (128-token windows with overlap), what
  the `techniques` stage does per document; sentences/s counts the same sentences.

The int8 model runs in two layouts: one process whose networks use `--threads` threads (what
`analyze` does with one page), and the engine's layout for many documents — `--workers` worker
processes (`analyze`/`ingest` default: one per core) started as `engine.LocalEngine` starts them
(forkserver, `pipeline.start_worker_process`, `cpu_count // workers` threads each), the same
workloads dealt out to them; its peak memory is the sum of the workers' peaks, its load time
the pool's start with both workers' model loads, and its CPU seconds the workers' own (the
parent's pickling not counted).

    python benchmarks/techniques.py --data ../shared/data/ptc --articles 40 \\
        --fp32 runs/techniques/export/final

`--fp32` is a folder holding `tagger.fp32.onnx` and `classifier.fp32.onnx`
(`presslens.train.export` leaves them in its work folder). On a shared machine the figures drop
with other load: the 1-minute load average is printed with them, and per-CPU-second figures
that other load does not change.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def model_folder(variant: str, fp32_dir: Path) -> Path:
    """The shipped folder, or a temporary copy of it whose networks are the fp32 files."""
    from presslens.analyze.techniques.runtime import CLASSIFIER_FILE, TAGGER_FILE, default_model_dir

    shipped = default_model_dir()
    if variant == "int8":
        return shipped
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    # everything but the networks: tokenizer, config, decoder and both stackers
    for path in shipped.iterdir():
        if path.is_file() and path.name not in (TAGGER_FILE, CLASSIFIER_FILE):
            shutil.copyfile(path, tmp / path.name)
    os.symlink((fp32_dir / "tagger.fp32.onnx").resolve(), tmp / TAGGER_FILE)
    os.symlink((fp32_dir / "classifier.fp32.onnx").resolve(), tmp / CLASSIFIER_FILE)
    return tmp


def workloads(data: Path, n_articles: int) -> tuple[list[str], list[str]]:
    """The first `n_articles` PTC articles, and their sentences."""
    from presslens.analyze.techniques.ptc import read_articles
    from presslens.analyze.techniques.sentences import sentence_spans

    texts = list(read_articles(data / "articles").values())[:n_articles]
    return texts, [t[s:e] for t in texts for s, e in sentence_spans(t)]


@dataclass(frozen=True)
class Timed:
    """One workload's wall-clock and CPU seconds and the findings it made."""

    seconds: float
    cpu_seconds: float  # CPU time does not grow when other processes compete for the cores
    findings: int


def figures(
    folder: Path,
    load_s: float,
    articles: int,
    sentences: int,
    sentence_mode: Timed,
    article_mode: Timed,
    peak_mb: float,
) -> dict[str, float]:
    """What the benchmark prints for one variant; `folder`: the model folder it ran."""
    from presslens.analyze.techniques.runtime import CLASSIFIER_FILE, TAGGER_FILE

    networks = sum((folder / n).resolve().stat().st_size for n in (TAGGER_FILE, CLASSIFIER_FILE))
    return {
        "onnx_mb": networks / 1e6,
        "load_s": load_s,
        "sentences": sentences,
        "sentences_per_s": sentences / sentence_mode.seconds,
        "sentences_per_cpu_s": sentences / sentence_mode.cpu_seconds,
        "articles": articles,
        "articles_per_s": articles / article_mode.seconds,
        "articles_per_cpu_s": articles / article_mode.cpu_seconds,
        "article_mode_sentences_per_s": sentences / article_mode.seconds,
        "spans_sentence_mode": sentence_mode.findings,
        "spans_article_mode": article_mode.findings,
        "peak_rss_mb": peak_mb,
    }


def run_variant(variant: str, fp32_dir: Path, data: Path, n_articles: int, threads: int) -> dict[str, float]:
    from presslens.analyze.techniques.runtime import TechniqueModel

    folder = model_folder(variant, fp32_dir)
    t0 = time.perf_counter()
    model = TechniqueModel.load(folder, threads=threads)
    load_s = time.perf_counter() - t0
    texts, sentences = workloads(data, n_articles)
    model.find(texts[0])  # warm-up: spaCy and both sessions loaded

    t0, c0 = time.perf_counter(), time.process_time()
    n_spans = sum(
        len(f) for b in range(0, len(sentences), 32) for f in model.find_many(sentences[b : b + 32])
    )
    sentence_mode = Timed(time.perf_counter() - t0, time.process_time() - c0, n_spans)

    t0, c0 = time.perf_counter(), time.process_time()
    n_found = sum(len(model.find(t)) for t in texts)
    article_mode = Timed(time.perf_counter() - t0, time.process_time() - c0, n_found)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures(folder, load_s, len(texts), len(sentences), sentence_mode, article_mode, peak)


def _start_worker(threads: int, warm_text: str) -> None:
    """A worker of the engine's layout: the engine's start-up, then the shipped model loaded
    and warmed (engine workers load it on their first document; here that is not timed)."""
    from presslens.pipeline import start_worker_process

    start_worker_process(threads)
    from presslens.analyze.techniques.runtime import get_model

    get_model().find(warm_text)


def _ready(_: int) -> int:
    time.sleep(0.2)  # long enough for a second worker still loading to be there for the next
    return os.getpid()


def _find_in_worker(texts: list[str]) -> tuple[int, float, int, float]:
    """(spans found, CPU seconds, process id, peak RSS in MB) of one work item in a worker."""
    from presslens.analyze.techniques.runtime import get_model

    c0 = time.process_time()
    n = sum(len(f) for f in get_model().find_many(texts))
    return n, time.process_time() - c0, os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_engine_layout(data: Path, n_articles: int, workers: int) -> dict[str, float]:
    """Both workloads over `workers` worker processes set up as `engine.LocalEngine` sets them up:
    sentence batches of 32 and single articles dealt out as they free up."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from presslens.analyze.techniques.runtime import default_model_dir
    from presslens.pipeline import threads_per_worker

    texts, sentences = workloads(data, n_articles)
    t0 = time.perf_counter()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_start_worker,
        initargs=(threads_per_worker(workers), texts[0]),
    )
    # every worker started and warm before the clock runs: a worker takes items once loaded
    seen: set[int] = set()
    while len(seen) < workers:
        seen.update(pool.map(_ready, range(workers)))
    load_s = time.perf_counter() - t0
    peaks: dict[int, float] = {}

    def timed(items: list[list[str]]) -> Timed:
        t0 = time.perf_counter()
        results = list(pool.map(_find_in_worker, items))
        for _, _, pid, peak in results:
            peaks[pid] = max(peaks.get(pid, 0.0), peak)
        return Timed(time.perf_counter() - t0, sum(r[1] for r in results), sum(r[0] for r in results))

    with pool:
        sentence_mode = timed([sentences[b : b + 32] for b in range(0, len(sentences), 32)])
        article_mode = timed([[t] for t in texts])
    return figures(
        default_model_dir(),
        load_s,
        len(texts),
        len(sentences),
        sentence_mode,
        article_mode,
        sum(peaks.values()),
    )


def cpu_description() -> str:
    """The CPU model and its widest int8 dot-product instructions. The same int8 networks ran
    77.7 sentences per CPU-second on the machine of the model card's first figures (its CPU not
    recorded) and 36 on an AVX2-only AMD EPYC of the same 2-core kind: int8 matrix products
    hang on these instructions, so a figure means little without them."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "cpu: unknown"
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)  # every CPU repeats them
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    model, flags = fields.get("model name", "?"), set(fields.get("flags", "").split())
    isa = next((f for f in ("avx512_vnni", "avx_vnni", "avx512bw", "avx2") if f in flags), "no AVX2")
    return f"cpu: {model} ({isa})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ptc")
    ap.add_argument("--fp32", type=Path, default=REPO / "runs" / "techniques" / "export" / "final")
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="worker processes of the engine's layout"
    )
    ap.add_argument("--variant", help=argparse.SUPPRESS)  # child mode
    args = ap.parse_args()
    if args.variant == "engine":
        print(json.dumps(run_engine_layout(args.data, args.articles, args.workers)))
        return
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.fp32, args.data, args.articles, args.threads)))
        return
    if not (args.data / "articles").is_dir():
        raise SystemExit(f"PTC data not found at {args.data}")
    variants = {"int8 (shipped)": "int8"}
    if args.workers > 1:
        variants[f"int8, {args.workers} workers"] = "engine"
    if (args.fp32 / "tagger.fp32.onnx").exists():
        variants["fp32"] = "fp32"
    else:
        print(f"(no fp32 networks in {args.fp32}: run presslens.train.export to compare)")
    results = {}
    for name, path in variants.items():
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--variant",
                path,
                "--fp32",
                str(args.fp32),
                "--data",
                str(args.data),
                "--articles",
                str(args.articles),
                "--threads",
                str(args.threads),
                "--workers",
                str(args.workers),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    load1 = os.getloadavg()[0]
    print(
        f"threads={args.threads}  articles={args.articles}  "
        f"load average (1 min) {load1:.1f}  cpus={os.cpu_count()}  {cpu_description()}"
    )
    keys = [
        ("onnx_mb", "model size (MB)", "{:.1f}"),
        ("sentences_per_s", "sentences/s (sentence mode)", "{:.1f}"),
        ("sentences_per_cpu_s", "sentences per CPU-second", "{:.1f}"),
        ("articles_per_s", "articles/s (article mode)", "{:.2f}"),
        ("articles_per_cpu_s", "articles per CPU-second", "{:.2f}"),
        ("article_mode_sentences_per_s", "sentences/s (article mode)", "{:.1f}"),
        ("peak_rss_mb", "peak memory (MB RSS)", "{:.0f}"),
        ("load_s", "load time (s)", "{:.2f}"),
    ]
    names = list(results)
    fp32 = "fp32" in results
    print(f"{'':32s}" + "".join(f"{n:>20s}" for n in names) + ("   int8/fp32" if fp32 else ""))
    for key, label, fmt in keys:
        vals = [results[n][key] for n in names]
        ratio = f"   {vals[0] / results['fp32'][key]:.2f}×" if fp32 and results["fp32"][key] else ""
        print(f"{label:32s}" + "".join(f"{fmt.format(v):>20s}" for v in vals) + ratio)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
