"""Stage (b) training: fine-tune all-MiniLM-L6-v2 to name the technique of a marked span (TC).

Where it sits: the `train` side of the span classifier that `presslens.analyze.techniques.runtime`
runs as ONNX after the span tagger (stage a, `presslens.train.span_tagger`). The classifier reads
the span marked inside its line (`presslens.analyze.techniques.span_inputs`, actor-masked) and
returns a distribution over the 14 PTC techniques from the [CLS] state and the mean of the span's
own states. A span with several gold techniques (PTC lists it once per label) is one example
whose target spreads evenly over them, so the output is a distribution and a span listed k times
takes its k most likely techniques.

With `--found-spans TAGGER_RUN` the classifier also learns from the spans stage (a) *finds*: a
found span rarely has a gold span's exact extent (it stops short, runs on, joins two), and a
classifier that only ever saw gold extents names such spans worse. Every span the tagger run's
out-of-fold outputs give in a training article (`common.CANDIDATE_DECODER`) that overlaps gold
becomes one more example, marked as found (`span_inputs.FOUND_TOKEN`, so given spans keep their
own reading) and labelled by the techniques of the gold spans it overlaps, weighted by the
characters it shares with each (what FLC credits it for). The runtime marks the spans it finds
the same way when the model's config says so.

Run (from the repository root, `pip install -e .[train]`); folds and the final model are written
as they finish and skipped when present, so an interrupted run resumes::

    python -m presslens.train.span_classifier --data ../shared/data/ptc \\
        --out runs/techniques/classifier --folds 0 1 2 3 4 final
"""

from __future__ import annotations

import json
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
from presslens.analyze.techniques.decode import sigmoid
from presslens.analyze.techniques.ptc import Article, read_corpus
from presslens.analyze.techniques.span_inputs import SpanEncoder, stack
from presslens.analyze.techniques.windows import TokenizedText, tokenize
from presslens.train.common import (
    CANDIDATE_DECODER,
    FineTuneConfig,
    article_mentions,
    base_tokenizer,
    config_from_args,
    fold_assignment,
    fold_folder,
    fold_logger,
    gold_overlap,
    initial_weights,
    load_checkpoint,
    load_encoder,
    optimise,
    save_checkpoint,
    seed_everything,
    trained_already,
    training_parser,
    write_folds,
)
from presslens.vocab import TECHNIQUES

INDEX = {t: i for i, t in enumerate(TECHNIQUES)}
WEIGHTS = "classifier.pt"
OOF_FILE = "oof.json"  # per fold: the fold model's logits of its held-out articles' gold spans


@dataclass
class ClassifierConfig(FineTuneConfig):
    """The span classifier's hyperparameters: 96-piece inputs, 3 epochs at lr 5e-5."""

    max_len: int = 96
    epochs: int = 3
    lr: float = 5e-5
    # A span tagger run folder whose folds' out-of-fold outputs give found-span examples (module
    # doc); empty: gold spans only.
    found_spans: str = ""


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

    class SpanClassifier(torch.nn.Module):
        """Encoder; [CLS] state ⊕ mean of the span's states → 14 technique logits."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = load_encoder(cfg)
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


def _masked(
    articles: Sequence[Article], mentions: dict[str, list[Mention]], max_len: int
) -> Iterator[tuple[Article, TokenizedText, SpanEncoder]]:
    """Each article with its actor-masked word pieces, and the encoder of its spans."""
    tok = base_tokenizer()
    enc = SpanEncoder.from_tokenizer(tok, max_len)
    pid = placeholder_ids(tok)
    for art in articles:
        yield art, mask_tokens(tokenize(tok, art.text), mentions.get(art.article_id, []), pid), enc


def examples(
    articles: Sequence[Article], mentions: dict[str, list[Mention]], max_len: int
) -> dict[str, list[Example]]:
    """Article id -> its distinct gold spans as classifier examples."""
    out: dict[str, list[Example]] = {}
    for art, toks, enc in _masked(articles, mentions, max_len):
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


def found_examples(
    articles: Sequence[Article], mentions: dict[str, list[Mention]], tagger_dir: Path, max_len: int
) -> dict[str, list[Example]]:
    """Article id -> the spans the tagger run finds in it out of fold that overlap gold, as
    found-marked examples; target: each technique's share of the gold characters the span
    covers (a span over a Loaded language word inside a longer Doubt span leans to Loaded)."""
    from presslens.train.span_tagger import load_oof_logits as load_tagger_logits

    outputs = load_tagger_logits(tagger_dir)
    missing = [a.article_id for a in articles if a.article_id not in outputs]
    if missing:
        raise ValueError(
            f"{tagger_dir} has no out-of-fold tagger outputs for {len(missing)} articles "
            f"({', '.join(missing[:3])}…): train its five CV folds first"
        )
    out: dict[str, list[Example]] = {}
    for art, toks, enc in _masked(articles, mentions, max_len):
        rows = []
        d = outputs[art.article_id]
        for cand, _ in CANDIDATE_DECODER.spans(art.text, d["offsets"], sigmoid(d["logits"])):
            target = np.zeros(len(TECHNIQUES), dtype=np.float32)
            for technique, n in gold_overlap(art, cand.start, cand.end).items():
                target[INDEX[technique]] = n
            if target.sum() == 0:
                continue
            ids, flags = enc.one(art.text, toks, cand.start, cand.end, found=True)
            rows.append(Example(art.article_id, cand.start, cand.end, ids, flags, target / target.sum()))
        out[art.article_id] = rows
    return out


def marks_found(folder: Path) -> bool:
    """Whether the classifier in `folder` was trained with found spans marked as found."""
    return bool(json.loads((folder / "train.json").read_text())["config"].get("found_spans"))


Encoded = tuple[list[int], list[int]]  # piece ids and span flags of one span (`SpanEncoder.one`)


def _tensors(rows: Sequence[Encoded], device: str) -> tuple[Any, Any, Any]:
    import torch

    batch = stack(rows)
    return (
        torch.from_numpy(batch.input_ids).to(device),
        torch.from_numpy(batch.attention_mask).to(device),
        torch.from_numpy(batch.span_mask).to(device),
    )


def train(
    rows: Sequence[Example], cfg: ClassifierConfig, log: Callable[[str], None] = print, fold: str = "final"
) -> Any:
    """Fine-tune on examples (soft-target cross-entropy); returns the module in eval mode."""
    import torch

    torch.set_num_threads(cfg.threads)
    seed_everything(cfg.seed)
    total = math.ceil(len(rows) / cfg.batch_size) * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    log(f"examples={len(rows)} steps={total}")
    model = initial_weights(build_classifier(cfg), cfg, fold, WEIGHTS).to(cfg.device)
    rng = random.Random(cfg.seed)
    order = list(range(len(rows)))

    def epoch_batches(epoch: int) -> Iterator[list[Example]]:
        rng.shuffle(order)
        for b in range(0, len(order), cfg.batch_size):
            yield [rows[i] for i in order[b : b + cfg.batch_size]]

    def loss_of(model: Any, chunk: list[Example]) -> Any:
        target = torch.from_numpy(np.stack([r.target for r in chunk])).to(cfg.device)
        logits = model(*_tensors([(r.ids, r.flags) for r in chunk], cfg.device))
        return -(target * torch.log_softmax(logits, dim=-1)).sum(-1).mean()

    return optimise(model, cfg, total, epoch_batches, loss_of, log)


def predict_logits(model: Any, rows: Sequence[Encoded], batch_size: int = 64) -> np.ndarray:
    """Classifier logits of encoded spans, (n, 14), on the CPU."""
    import torch

    out = []
    with torch.inference_mode():
        for b in range(0, len(rows), batch_size):
            out.append(model(*_tensors(rows[b : b + batch_size], "cpu")).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(TECHNIQUES)), dtype=np.float32)


def load_oof_logits(out: Path) -> dict[tuple[str, int, int], np.ndarray]:
    """Every fold's out-of-fold logits of gold spans (`fold*/oof.json` under a `run` output
    folder), by (article id, start, end)."""
    logits: dict[tuple[str, int, int], np.ndarray] = {}
    for path in sorted(out.glob(f"fold*/{OOF_FILE}")):
        for row in json.loads(path.read_text()):
            key = (row["article_id"], row["start"], row["end"])
            logits[key] = np.asarray(row["logits"], dtype=np.float64)
    return logits


def load_model(folder: Path) -> Any:
    return load_checkpoint(folder, WEIGHTS, ClassifierConfig, build_classifier)


def run(data: Path, out: Path, cfg: ClassifierConfig, targets: Sequence[str], n_folds: int = 5) -> None:
    articles = read_corpus(data)
    mentions = article_mentions(articles, out / "mentions.json")
    folds = fold_assignment([a.article_id for a in articles], n_folds, cfg.seed)
    write_folds(out, folds)
    by_article = examples(articles, mentions, cfg.max_len)
    found: dict[str, list[Example]] = {}
    if cfg.found_spans:
        tagger_dir = Path(cfg.found_spans)
        if json.loads((tagger_dir / "folds.json").read_text()) != folds:
            # a found span is out of fold only if its tagger fold held out the same articles
            raise ValueError(f"{tagger_dir} split the articles into other folds than this run")
        found = found_examples(articles, mentions, tagger_dir, cfg.max_len)
    for target in targets:
        folder = fold_folder(out, target)
        if trained_already(folder, WEIGHTS, cfg):
            print(f"{folder}: exists, skipped", flush=True)
            continue
        k = -1 if target == "final" else int(target)
        train_rows = [r for aid, rows in by_article.items() if folds[aid] != k for r in rows]
        train_rows += [r for aid, rows in found.items() if folds[aid] != k for r in rows]
        test_rows = [r for aid, rows in by_article.items() if folds[aid] == k for r in rows]
        log = fold_logger(f"classifier {folder.name}")
        started = time.time()
        model = train(train_rows, cfg, log, folder.name)
        seconds = time.time() - started
        folder.mkdir(parents=True, exist_ok=True)
        if test_rows:
            logits = predict_logits(model, [(r.ids, r.flags) for r in test_rows])
            oof = [
                {"article_id": r.article_id, "start": r.start, "end": r.end, "logits": lg.round(4).tolist()}
                for r, lg in zip(test_rows, logits, strict=True)
            ]
            (folder / OOF_FILE).write_text(json.dumps(oof))
            hits = sum(
                float(r.target[int(np.argmax(lg))] > 0) for r, lg in zip(test_rows, logits, strict=True)
            )
            log(f"top-1 in gold for {hits / len(test_rows):.3f} of {len(test_rows)} held-out spans")
        save_checkpoint(model, folder, WEIGHTS, cfg, seconds, train_examples=len(train_rows))
        log(f"wrote {folder} ({seconds:.0f}s)")


def main(argv: Sequence[str] | None = None) -> None:
    ap = training_parser(__doc__, ClassifierConfig)
    ap.add_argument(
        "--found-spans",
        type=Path,
        default=None,
        metavar="TAGGER_RUN",
        help="a span tagger run folder with its 5 CV folds: learn from the spans it finds too",
    )
    args = ap.parse_args(argv)
    cfg = config_from_args(args, ClassifierConfig)
    cfg.found_spans = str(args.found_spans) if args.found_spans else ""
    run(args.data, args.out, cfg, args.folds)


if __name__ == "__main__":
    main(sys.argv[1:])
