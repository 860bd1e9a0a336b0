"""Benchmark the technique model: sentences/s, articles/s, peak memory and size, int8 vs fp32.

Where it sits: beside the shipped model (`src/presslens/models/techniques/`); the model card
quotes its output. Each variant runs in its own subprocess so peak memory (max RSS) is its own.
Two workloads, both with onnxruntime pinned to `--threads` (2: the target machine):

- sentence mode: independent sentences from PTC articles, tokenised and batched (32 per batch,
  padded to the longest), tagger + span decoding — the figure the ≥150 sentences/s goal is about;
- article mode: `TechniqueModel.find` on whole articles (128-token windows with overlap,
  decoding, calibration, evidence strings) — what the `techniques` stage does per document.

    python benchmarks/techniques.py --data ../shared/data/ptc \\
        --fp32 runs/techniques/export/model.fp32.onnx --articles 40

On a shared machine the figures drop with other load: the 1-minute load average is printed
with them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_variant(onnx: Path, data: Path, n_articles: int, threads: int, batch: int) -> dict[str, float]:
    import numpy as np

    from presslens.analyze.techniques.decode import decode_spans
    from presslens.analyze.techniques.ptc import read_articles
    from presslens.analyze.techniques.runtime import TechniqueModel, default_model_dir
    from presslens.analyze.techniques.sentences import sentence_spans

    model_dir = default_model_dir()
    if onnx.parent.resolve() != model_dir.resolve():
        # The fp32 file lives in the work folder; borrow the shipped tokenizer/config/postproc.
        import shutil
        import tempfile

        tmp = Path(tempfile.mkdtemp())
        for name in ("tokenizer.json", "config.json", "postproc.json"):
            shutil.copyfile(model_dir / name, tmp / name)
        os.symlink(onnx.resolve(), tmp / onnx.name)
        model_dir = tmp
    t0 = time.perf_counter()
    model = TechniqueModel.load(model_dir, onnx.name, threads=threads)
    load_s = time.perf_counter() - t0
    texts = list(read_articles(data / "articles").values())[:n_articles]
    sentences = [t[s:e] for t in texts for s, e in sentence_spans(t)]

    model.find(texts[0])  # warm-up
    tok = model.tokenizer
    t0 = time.perf_counter()
    c0 = time.process_time()
    n_spans = 0
    for b in range(0, len(sentences), batch):
        chunk = sentences[b : b + batch]
        encs = tok.encode_batch(chunk, add_special_tokens=False)
        # Pad to a multiple of 16 tokens: a few distinct shapes let onnxruntime reuse its plans.
        width = min(-(-(max(len(e.ids) for e in encs) + 2) // 16) * 16, model.max_len)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, e in enumerate(encs):
            n = min(len(e.ids), width - 2)
            ids[r, 0], ids[r, 1 : n + 1], ids[r, n + 1] = model.cls_id, e.ids[:n], model.sep_id
            mask[r, : n + 2] = 1
        probs = model.pp.probs(model.tagger(ids, mask))
        for r, e in enumerate(encs):
            n = min(len(e.ids), width - 2)
            offs = np.asarray(e.offsets[:n], dtype=np.int64).reshape(-1, 2)
            n_spans += len(decode_spans(chunk[r], offs, probs[r, 1 : n + 1], model.pp))
    sent_s = time.perf_counter() - t0
    sent_cpu = time.process_time() - c0

    t0 = time.perf_counter()
    c0 = time.process_time()
    n_found = sum(len(model.find(t)) for t in texts)
    art_s = time.perf_counter() - t0
    art_cpu = time.process_time() - c0
    return {
        "onnx_mb": onnx.stat().st_size / 1e6,
        "load_s": load_s,
        "sentences": len(sentences),
        "sentences_per_s": len(sentences) / sent_s,
        # CPU time does not grow when other processes compete for the cores: sentences per
        # CPU-second x threads is what an otherwise idle machine would give (an upper bound).
        "sentences_per_cpu_s": len(sentences) / sent_cpu,
        "articles_per_cpu_s": len(texts) / art_cpu,
        "articles": len(texts),
        "articles_per_s": len(texts) / art_s,
        "article_mode_sentences_per_s": len(sentences) / art_s,
        "spans_sentence_mode": n_spans,
        "spans_article_mode": n_found,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ptc")
    ap.add_argument("--fp32", type=Path, default=REPO / "runs" / "techniques" / "export" / "model.fp32.onnx")
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--variant", type=Path, help=argparse.SUPPRESS)  # child mode
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.data, args.articles, args.threads, args.batch)))
        return
    if not (args.data / "articles").is_dir():
        raise SystemExit(f"PTC data not found at {args.data}")
    from presslens.analyze.techniques.runtime import MODEL_FILE, default_model_dir

    variants = {"int8 (shipped)": default_model_dir() / MODEL_FILE}
    if args.fp32.exists():
        variants["fp32"] = args.fp32
    else:
        print(f"(no fp32 model at {args.fp32}: run presslens.train.export to compare)")
    results = {}
    for name, path in variants.items():
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--variant",
                str(path),
                "--data",
                str(args.data),
                "--articles",
                str(args.articles),
                "--threads",
                str(args.threads),
                "--batch",
                str(args.batch),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    load1 = os.getloadavg()[0]
    print(
        f"threads={args.threads}  articles={args.articles}  "
        f"load average (1 min) {load1:.1f}  cpus={os.cpu_count()}"
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
    print(f"{'':32s}" + "".join(f"{n:>18s}" for n in names) + ("   int8/fp32" if len(names) == 2 else ""))
    for key, label, fmt in keys:
        vals = [results[n][key] for n in names]
        ratio = f"   {vals[0] / vals[1]:.2f}×" if len(vals) == 2 and vals[1] else ""
        print(f"{label:32s}" + "".join(f"{fmt.format(v):>18s}" for v in vals) + ratio)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
