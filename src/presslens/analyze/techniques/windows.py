"""Token windows over an article: the one tokenisation shared by training and inference.

Where it sits: `presslens.train.span_tagger` cuts training windows with it and the ONNX runtime
(`presslens.analyze.techniques.model`) cuts inference windows with it, so a token means the same
thing in both. Only the `tokenizers` package is used (no torch, no transformers).

An article is tokenised once (no truncation, character offsets into the text as read) and cut
into overlapping windows of `max_len` tokens, each `[CLS] … [SEP]`; a window thus sees several
sentences of context, which the SemEval-2020 winners found helps span identification.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer


@dataclass
class TokenizedText:
    """Word-piece ids of a whole text (no special tokens) and each piece's char offsets."""

    ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64, [start, end) into the text


@dataclass
class Window:
    """A slice `[lo, hi)` of a `TokenizedText`, framed by [CLS] and [SEP] when fed to the model."""

    lo: int
    hi: int


def load_tokenizer(path: Path) -> Tokenizer:
    tok = Tokenizer.from_file(str(path))
    # Stored tokenizers often carry a 128/256/512 truncation; we window ourselves instead.
    tok.no_truncation()
    tok.no_padding()
    return tok


def tokenize(tok: Tokenizer, text: str) -> TokenizedText:
    enc = tok.encode(text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    return TokenizedText(ids, offsets)


def make_windows(n_tokens: int, max_len: int, stride: int) -> list[Window]:
    """Windows of at most `max_len - 2` tokens starting every `stride` tokens, covering all.

    >>> [(w.lo, w.hi) for w in make_windows(10, 6, 3)]
    [(0, 4), (3, 7), (6, 10)]
    >>> make_windows(0, 6, 3)
    []
    """
    body = max_len - 2
    if n_tokens == 0:
        return []
    wins = []
    lo = 0
    while True:
        hi = min(lo + body, n_tokens)
        wins.append(Window(lo, hi))
        if hi >= n_tokens:
            break
        lo += stride
    return wins


def batch_inputs(
    toks: TokenizedText, windows: list[Window], cls_id: int, sep_id: int, pad_id: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Stack windows into `input_ids`, `attention_mask` arrays padded to the longest window."""
    width = max(w.hi - w.lo for w in windows) + 2
    ids = np.full((len(windows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for i, w in enumerate(windows):
        n = w.hi - w.lo
        ids[i, 0] = cls_id
        ids[i, 1 : n + 1] = toks.ids[w.lo : w.hi]
        ids[i, n + 1] = sep_id
        mask[i, : n + 2] = 1
    return ids, mask


def token_labels(toks: TokenizedText, spans: list[tuple[int, int, int]], n_channels: int) -> np.ndarray:
    """Multi-hot (n_tokens, n_channels) targets: channel c is on where a span of class c covers
    any character of the token. Channel 0 is "any technique" (the SI channel)."""
    y = np.zeros((len(toks.ids), n_channels), dtype=np.float32)
    if len(toks.ids) == 0:
        return y
    starts, ends = toks.offsets[:, 0], toks.offsets[:, 1]
    for s, e, c in spans:
        hit = (starts < e) & (ends > s)
        y[hit, c] = 1.0
        y[hit, 0] = 1.0
    return y
