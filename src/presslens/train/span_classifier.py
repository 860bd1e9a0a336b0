"""Stage (b) training: fine-tune all-MiniLM-L6-v2 to name the technique of a marked span (TC).

Where it sits: the `train` side of the span classifier that `presslens.analyze.techniques.runtime`
runs as ONNX after the span tagger (stage a, `presslens.train.span_tagger`). The classifier reads
the span marked inside its line (`presslens.analyze.techniques.span_inputs`, actor-masked) and
returns a distribution over the 14 PTC techniques from the [CLS] state and the mean of the span's
own states. A span with several gold techniques (PTC lists it once per label) is one example
whose target spreads evenly over them, so the output is a distribution and a span listed k times
takes its k most likely techniques.

Run (from the repository root, `pip install -e .[train]`); folds and the final model are written
as they finish and skipped when present, so an interrupted run resumes::

    python -m presslens.train.span_classifier --data ../shared/data/ptc \\
        --out runs/techniques/classifier --folds 0 1 2 3 4 final
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presslens.analyze.techniques.actors import Mention, mask_tokens, placeholder_ids
from presslens.analyze.techniques.ptc import Article, read_corpus
from presslens.analyze.techniques.span_inputs import SpanEncoder, stack
from presslens.analyze.techniques.windows import tokenize
from presslens.train.common import (
    SEED,
    article_mentions,
    base_model_path,
    base_tokenizer,
    fold_assignment,
    fold_logger,
    make_optimizer,
    seed_everything,
)
from presslens.vocab import TECHNIQUES

INDEX = {t: i for i, t in enumerate(TECHNIQUES)}


@dataclass
class ClassifierConfig:
    """Hyperparameters (fixed seeds: a rerun gives the same model on the same machine)."""

    max_len: int = 96
    epochs: int = 3
    batch_size: int = 16
    lr: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = SEED
    threads: int = 2
    device: str = "cpu"
    base_model: str = ""  # a transformers encoder folder; empty: all-MiniLM-L6-v2
    max_steps: int = 0  # >0 stops early: smoke tests only


@dataclass
class Example:
    """One distinct gold span: its input pieces and its target distribution."""

    article_id: str
    start: int
    end: int
    ids: list[int]
    flags: list[int]
    target: np.ndarray  # (14,), sums to 1


def build_classifier(cfg: ClassifierConfig) -> Any:
    import torch
    from transformers import AutoModel

    class SpanClassifier(torch.nn.Module):
        """Encoder; [CLS] state ⊕ mean of the span's states → 14 technique logits."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(cfg.base_model or str(base_model_path()))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(cfg.dropout)
            self.head = torch.nn.Linear(2 * hidden, len(TECHNIQUES))

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, span_mask: torch.Tensor
        ) -> torch.Tensor:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = span_mask.unsqueeze(-1)
            pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.head(self.dropout(torch.cat([states[:, 0], pooled], dim=-1)))

    return SpanClassifier()


def examples(
    articles: Sequence[Article], mentions: dict[str, list[Mention]], max_len: int
) -> dict[str, list[Example]]:
    """Article id -> its distinct gold spans as classifier examples."""
    tok = base_tokenizer()
    enc = SpanEncoder.from_tokenizer(tok, max_len)
    pid = placeholder_ids(tok)
    out: dict[str, list[Example]] = {}
    for art in articles:
        toks = mask_tokens(tokenize(tok, art.text), mentions.get(art.article_id, []), pid)
        labels: dict[tuple[int, int], list[str]] = {}
        for span in art.spans:
            labels.setdefault((span.start, span.end), []).append(span.technique)
        rows = []
        for (s, e), techs in sorted(labels.items()):
            target = np.zeros(len(TECHNIQUES), dtype=np.float32)
            for t in techs:
                target[INDEX[t]] += 1.0 / len(techs)
            ids, flags = enc.one(art.text, toks, s, e)
            rows.append(Example(art.article_id, s, e, ids, flags, target))
        out[art.article_id] = rows
    return out


def _tensors(rows: Sequence[Example], device: str) -> tuple[Any, Any, Any]:
    import torch

    batch = stack([(r.ids, r.flags) for r in rows])
    return (
        torch.from_numpy(batch.input_ids).to(device),
        torch.from_numpy(batch.attention_mask).to(device),
        torch.from_numpy(batch.span_mask).to(device),
    )


def train(rows: Sequence[Example], cfg: ClassifierConfig, log: Callable[[str], None] = print) -> Any:
    """Fine-tune on examples (soft-target cross-entropy); returns the module in eval mode."""
    import torch

    torch.set_num_threads(cfg.threads)
    seed_everything(cfg.seed)
    total = math.ceil(len(rows) / cfg.batch_size) * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    log(f"examples={len(rows)} steps={total}")
    model = build_classifier(cfg).to(cfg.device)
    model.train()
    opt, sched = make_optimizer(model, cfg.lr, cfg.weight_decay, total, cfg.warmup)
    rng = random.Random(cfg.seed)
    step, running, started = 0, 0.0, time.time()
    order = list(range(len(rows)))
    for epoch in range(cfg.epochs):
        rng.shuffle(order)
        for b in range(0, len(order), cfg.batch_size):
            chunk = [rows[i] for i in order[b : b + cfg.batch_size]]
            ids, mask, span = _tensors(chunk, cfg.device)
            target = torch.from_numpy(np.stack([r.target for r in chunk])).to(cfg.device)
            logits = model(ids, mask, span)
            loss = -(target * torch.log_softmax(logits, dim=-1)).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if step % 25 == 0 or step == total:
                elapsed = time.time() - started
                log(f"epoch {epoch + 1} step {step}/{total} loss {running / 25:.4f} {elapsed:.0f}s")
                running = 0.0
            if step >= total:
                break
        if step >= total:
            break
    model.eval()
    return model.to("cpu")


def predict_logits(model: Any, rows: Sequence[Example], batch_size: int = 64) -> np.ndarray:
    import torch

    out = []
    with torch.inference_mode():
        for b in range(0, len(rows), batch_size):
            out.append(model(*_tensors(rows[b : b + batch_size], "cpu")).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(TECHNIQUES)), dtype=np.float32)


def save_model(model: Any, out: Path, cfg: ClassifierConfig, seconds: float, n_examples: int) -> None:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "classifier.pt")
    meta = {"config": asdict(cfg), "train_seconds": round(seconds, 1), "train_examples": n_examples}
    (out / "train.json").write_text(json.dumps(meta, indent=2))


def load_model(folder: Path) -> Any:
    import torch

    cfg = ClassifierConfig(**json.loads((folder / "train.json").read_text())["config"])
    cfg.device = "cpu"
    model = build_classifier(cfg)
    model.load_state_dict(torch.load(folder / "classifier.pt", map_location="cpu"))
    model.eval()
    return model


def run(data: Path, out: Path, cfg: ClassifierConfig, targets: Sequence[str], n_folds: int = 5) -> None:
    articles = read_corpus(data)
    mentions = article_mentions(articles, out / "mentions.json")
    folds = fold_assignment([a.article_id for a in articles], n_folds, cfg.seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "folds.json").write_text(json.dumps(folds, indent=0, sort_keys=True))
    by_article = examples(articles, mentions, cfg.max_len)
    for target in targets:
        folder = out / ("final" if target == "final" else f"fold{target}")
        if (folder / "classifier.pt").exists():
            print(f"{folder}: exists, skipped", flush=True)
            continue
        k = -1 if target == "final" else int(target)
        train_rows = [r for aid, rows in by_article.items() if folds[aid] != k for r in rows]
        test_rows = [r for aid, rows in by_article.items() if folds[aid] == k for r in rows]
        log = fold_logger(f"classifier {folder.name}")
        started = time.time()
        model = train(train_rows, cfg, log)
        seconds = time.time() - started
        folder.mkdir(parents=True, exist_ok=True)
        if test_rows:
            logits = predict_logits(model, test_rows)
            oof = [
                {"article_id": r.article_id, "start": r.start, "end": r.end, "logits": lg.round(4).tolist()}
                for r, lg in zip(test_rows, logits, strict=True)
            ]
            (folder / "oof.json").write_text(json.dumps(oof))
            hits = sum(
                float(r.target[int(np.argmax(lg))] > 0) for r, lg in zip(test_rows, logits, strict=True)
            )
            log(f"top-1 in gold for {hits / len(test_rows):.3f} of {len(test_rows)} held-out spans")
        save_model(model, folder, cfg, seconds, len(train_rows))
        log(f"wrote {folder} ({seconds:.0f}s)")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder with labels-tc/")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", nargs="+", default=["0", "1", "2", "3", "4", "final"])
    ap.add_argument("--epochs", type=int, default=ClassifierConfig.epochs)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--threads", type=int, default=ClassifierConfig.threads)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with a GPU")
    ap.add_argument("--base-model", default="", help="a transformers encoder folder (default MiniLM-L6)")
    args = ap.parse_args(argv)
    cfg = ClassifierConfig(
        epochs=args.epochs,
        max_steps=args.max_steps,
        threads=args.threads,
        device=args.device,
        base_model=args.base_model,
    )
    run(args.data, args.out, cfg, args.folds)


if __name__ == "__main__":
    main(sys.argv[1:])
