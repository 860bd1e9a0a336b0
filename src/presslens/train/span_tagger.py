"""Stage (a) training: fine-tune all-MiniLM-L6-v2 as a token tagger for propaganda spans (SI).

Where it sits: the `train` side of the span tagger that `presslens.analyze.techniques.runtime`
runs as ONNX. One sigmoid channel per word piece: "inside some technique span". Which
technique is stage (b)'s job (`presslens.train.span_classifier`), as in the SemEval-2020 Task 11
winners' two-stage systems. Inputs are actor-masked (`presslens.analyze.techniques.actors`) and
cut into windows with the runtime's own code (`presslens.analyze.techniques.windows`).

Data: the PTC articles with technique labels (`../shared/data/ptc`) and, for span identification
only, the spans-only articles (`../shared/data/ptc-spans-only`: every gold span, no technique).
Cross-validation is by article over the labelled PTC articles; the spans-only articles join every
fold's training set and are never scored.

Run (from the repository root, `pip install -e .[train]`); each fold and the final model are
written as they finish and skipped when present, so an interrupted run resumes::

    python -m presslens.train.span_tagger --data ../shared/data/ptc \\
        --extra ../shared/data/ptc-spans-only --out runs/techniques/tagger --folds 0 1 2 3 4 final
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from presslens.analyze.techniques.actors import Mention, mask_tokens, placeholder_ids
from presslens.analyze.techniques.model import article_token_logits
from presslens.analyze.techniques.ptc import Article, GoldSpan, read_corpus, read_spans_only
from presslens.analyze.techniques.windows import TokenizedText, Window, batch_inputs, tokenize
from presslens.train.common import (
    FineTuneConfig,
    article_mentions,
    base_tokenizer,
    config_from_args,
    fold_assignment,
    fold_folder,
    fold_logger,
    initial_weights,
    load_checkpoint,
    load_encoder,
    optimise,
    save_checkpoint,
    seed_everything,
    special_ids,
    trained_already,
    training_parser,
    write_folds,
)
from presslens.vocab import TECHNIQUES

WEIGHTS = "tagger.pt"
OOF_FILE = "oof.npz"  # per fold: the fold model's span logits of its held-out articles


@dataclass
class TaggerConfig(FineTuneConfig):
    """The span tagger's hyperparameters: 128-piece windows, 2 epochs at lr 1e-4.

    `technique_channels`: 14 more sigmoid channels, one per technique, trained beside the "any
    technique" channel 0 as an auxiliary task (weight `technique_weight`; masked on spans-only
    articles, which have no technique labels). The runtime reads channel 0 only: the extra
    channels are there to make the encoder learn what each technique looks like."""

    technique_channels: bool = False
    technique_weight: float = 0.5


def technique_targets(toks: TokenizedText, spans: Sequence[GoldSpan]) -> np.ndarray:
    """(pieces, 14): 1.0 where a word piece overlaps a gold span of that technique.

    >>> t = TokenizedText(np.array([1, 2]), np.array([[0, 2], [3, 5]]))
    >>> technique_targets(t, [GoldSpan("a", TECHNIQUES[1], 3, 4)])[:, 1].tolist()
    [0.0, 1.0]
    """
    columns = [token_targets(toks, [(s.start, s.end) for s in spans if s.technique == t]) for t in TECHNIQUES]
    return np.stack(columns, axis=1)


def token_targets(toks: TokenizedText, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """1.0 for a word piece that overlaps a gold span, else 0.0.

    >>> t = TokenizedText(np.array([1, 2, 3]), np.array([[0, 2], [3, 5], [6, 8]]))
    >>> token_targets(t, [(3, 4)]).tolist()
    [0.0, 1.0, 0.0]
    """
    y = np.zeros(len(toks.ids), dtype=np.float32)
    if len(toks.ids):
        for s, e in spans:
            y[(toks.offsets[:, 0] < e) & (toks.offsets[:, 1] > s)] = 1.0
    return y


def shifted_windows(n: int, body: int, shift: int) -> list[Window]:
    """Non-overlapping windows whose cut points move by `shift` tokens (a new cut each epoch).

    >>> [(w.lo, w.hi) for w in shifted_windows(10, 4, 2)]
    [(0, 2), (2, 6), (6, 10)]
    """
    out = []
    lo = -shift if shift else 0
    while lo < n:
        a, b = max(lo, 0), min(lo + body, n)
        if b > a:
            out.append(Window(a, b))
        lo += body
    return out


def build_tagger(cfg: TaggerConfig) -> Any:
    import torch

    class SpanTagger(torch.nn.Module):
        """Encoder + one linear layer: one logit per word piece."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = load_encoder(cfg)
            self.dropout = torch.nn.Dropout(cfg.dropout)
            channels = 1 + (len(TECHNIQUES) if cfg.technique_channels else 0)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, channels)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))  # (batch, tokens, channels); 0 = any technique

    return SpanTagger()


class Encoded:
    """An article as the tagger sees it: masked word pieces, their "any technique" targets and,
    for a labelled article, their per-technique targets (None for a spans-only article)."""

    def __init__(self, toks: TokenizedText, y: np.ndarray, y_techniques: np.ndarray | None = None) -> None:
        self.toks, self.y, self.y_techniques = toks, y, y_techniques


def encode(
    articles: Sequence[Article], mentions: dict[str, list[Mention]], techniques: bool = False
) -> list[Encoded]:
    tok = base_tokenizer()
    pid = placeholder_ids(tok)
    out = []
    for art in articles:
        toks = mask_tokens(tokenize(tok, art.text), mentions.get(art.article_id, []), pid)
        labelled = techniques and any(s.technique in TECHNIQUES for s in art.spans)
        out.append(
            Encoded(
                toks,
                token_targets(toks, [(s.start, s.end) for s in art.spans]),
                technique_targets(toks, art.spans) if labelled else None,
            )
        )
    return out


def train(
    encoded: Sequence[Encoded], cfg: TaggerConfig, log: Callable[[str], None] = print, fold: str = "final"
) -> Any:
    """Fine-tune on already-encoded articles; returns the torch module in eval mode."""
    import torch

    torch.set_num_threads(cfg.threads)
    seed_everything(cfg.seed)
    cls_id, sep_id = special_ids(base_tokenizer())
    body = cfg.max_len - 2
    n_windows = sum(len(shifted_windows(len(e.toks.ids), body, 0)) for e in encoded)
    total = math.ceil(n_windows / cfg.batch_size) * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    pos = float(sum(e.y.sum() for e in encoded))
    log(f"articles={len(encoded)} windows={n_windows} steps={total} positive tokens={pos:.0f}")

    model = initial_weights(build_tagger(cfg), cfg, fold, WEIGHTS).to(cfg.device)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    rng = random.Random(cfg.seed)

    def epoch_batches(epoch: int) -> Iterator[list[tuple[int, Window]]]:
        # each epoch cuts the articles elsewhere: at 0, 1/2, 1/4, 3/4 of a window
        shift = body * (0, 2, 1, 3)[epoch % 4] // 4
        items = [(i, w) for i, e in enumerate(encoded) for w in shifted_windows(len(e.toks.ids), body, shift)]
        rng.shuffle(items)
        for b in range(0, len(items), cfg.batch_size):
            yield items[b : b + cfg.batch_size]

    def loss_of(model: Any, chunk: list[tuple[int, Window]]) -> Any:
        width = max(w.hi - w.lo for _, w in chunk) + 2
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        y = np.zeros((len(chunk), width), dtype=np.float32)
        ymask = np.zeros((len(chunk), width), dtype=np.float32)
        yt = np.zeros((len(chunk), width, len(TECHNIQUES)), dtype=np.float32)
        ytmask = np.zeros((len(chunk), width), dtype=np.float32)
        for r, (i, w) in enumerate(chunk):
            e = encoded[i]
            one_ids, one_mask = batch_inputs(e.toks, [w], cls_id, sep_id)
            n = one_ids.shape[1]
            ids[r, :n], mask[r, :n] = one_ids[0], one_mask[0]
            y[r, 1 : n - 1] = e.y[w.lo : w.hi]
            ymask[r, 1 : n - 1] = 1.0  # no loss on [CLS]/[SEP]/padding
            if e.y_techniques is not None:
                yt[r, 1 : n - 1] = e.y_techniques[w.lo : w.hi]
                ytmask[r, 1 : n - 1] = 1.0
        logits = model(torch.from_numpy(ids).to(cfg.device), torch.from_numpy(mask).to(cfg.device))
        per = loss_fn(logits[..., 0], torch.from_numpy(y).to(cfg.device))
        tm = torch.from_numpy(ymask).to(cfg.device)
        loss = (per * tm).sum() / tm.sum()
        if cfg.technique_channels and ytmask.any():
            per_t = loss_fn(logits[..., 1:], torch.from_numpy(yt).to(cfg.device)).mean(dim=-1)
            ttm = torch.from_numpy(ytmask).to(cfg.device)
            loss = loss + cfg.technique_weight * (per_t * ttm).sum() / ttm.sum()
        return loss

    return optimise(model, cfg, total, epoch_batches, loss_of, log)


def torch_runner(model: Any) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Adapt a torch module to the numpy `(ids, mask) -> logits` runner the runtime takes."""
    import torch

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return np.asarray(model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy())

    return run


def predict(model: Any, encoded: dict[str, Encoded], max_len: int) -> dict[str, dict[str, np.ndarray]]:
    """Token logits per article with the runtime's windowing (out-of-fold scores)."""
    run = torch_runner(model)
    cls_id, sep_id = special_ids(base_tokenizer())
    out = {}
    for aid, e in encoded.items():
        # fp32 torch: batching changes a window's logits by float rounding only (int8 runtime: more)
        lg = article_token_logits(run, e.toks, cls_id, sep_id, max_len=max_len, batch_size=16)
        out[aid] = {"offsets": e.toks.offsets, "logits": lg[:, 0] if lg.size else np.zeros(0, np.float32)}
    return out


def save_logits(path: Path, preds: dict[str, dict[str, np.ndarray]]) -> None:
    arrays = {}
    for aid, d in preds.items():
        arrays[f"{aid}.offsets"] = d["offsets"]
        arrays[f"{aid}.logits"] = d["logits"].astype(np.float32)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load_logits(path: Path) -> dict[str, dict[str, np.ndarray]]:
    data = np.load(path)
    out: dict[str, dict[str, np.ndarray]] = {}
    for key in data.files:
        aid, kind = key.rsplit(".", 1)
        out.setdefault(aid, {})[kind] = data[key]
    return out


def load_oof_logits(run: Path) -> dict[str, dict[str, np.ndarray]]:
    """Every CV fold's out-of-fold outputs (`foldK/oof.npz` under a `run` output folder) by
    article id, fold by fold: word-piece offsets and span logits."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for k in range(5):
        path = fold_folder(run, k) / OOF_FILE
        if path.exists():
            out.update(load_logits(path))
    return out


def load_model(folder: Path) -> Any:
    return load_checkpoint(folder, WEIGHTS, TaggerConfig, build_tagger)


def run(
    data: Path, extra: Path | None, out: Path, cfg: TaggerConfig, targets: Sequence[str], n_folds: int = 5
) -> None:
    labelled = read_corpus(data)
    spans_only = read_spans_only(extra) if extra else []
    mentions = article_mentions([*labelled, *spans_only], out / "mentions.json")
    folds = fold_assignment([a.article_id for a in labelled], n_folds, cfg.seed)
    write_folds(out, folds)
    enc_labelled = dict(
        zip([a.article_id for a in labelled], encode(labelled, mentions, cfg.technique_channels), strict=True)
    )
    enc_extra = encode(spans_only, mentions)
    for target in targets:
        folder = fold_folder(out, target)
        if trained_already(folder, WEIGHTS, cfg):
            print(f"{folder}: exists, skipped", flush=True)
            continue
        k = -1 if target == "final" else int(target)
        train_ids = [aid for aid in enc_labelled if folds[aid] != k]
        test_ids = [aid for aid in enc_labelled if folds[aid] == k]
        log = fold_logger(f"tagger {folder.name}")
        log(f"train {len(train_ids)} labelled + {len(enc_extra)} spans-only articles, test {len(test_ids)}")
        started = time.time()
        model = train([enc_labelled[a] for a in train_ids] + enc_extra, cfg, log, folder.name)
        seconds = time.time() - started
        folder.mkdir(parents=True, exist_ok=True)
        if test_ids:
            save_logits(
                folder / OOF_FILE, predict(model, {a: enc_labelled[a] for a in test_ids}, cfg.max_len)
            )
        save_checkpoint(model, folder, WEIGHTS, cfg, seconds, train_articles=len(train_ids) + len(enc_extra))
        log(f"wrote {folder} ({seconds:.0f}s)")


def main(argv: Sequence[str] | None = None) -> None:
    ap = training_parser(__doc__, TaggerConfig)
    ap.add_argument("--extra", type=Path, default=None, help="spans-only PTC folder (SI training only)")
    ap.add_argument(
        "--technique-channels",
        action="store_true",
        help="train 14 per-technique channels beside the span channel (auxiliary task)",
    )
    args = ap.parse_args(argv)
    cfg = config_from_args(args, TaggerConfig)
    cfg.technique_channels = args.technique_channels
    run(args.data, args.extra, args.out, cfg, args.folds)


if __name__ == "__main__":
    main(sys.argv[1:])
