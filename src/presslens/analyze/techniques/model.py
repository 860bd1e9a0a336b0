"""Run the span tagger: token logits over an article from overlapping windows.

Where it sits: between the tokenizer (`windows`) and the decoder (`decode`). The runner is any
`(input_ids, attention_mask) -> logits` callable — an onnxruntime session at run time
(`OnnxRunner`), a torch module while training — so out-of-fold scores and shipped inference go
through the same windowing and averaging code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.windows import TokenizedText, batch_inputs, make_windows

Runner = Callable[[np.ndarray, np.ndarray], np.ndarray]

DEFAULT_MAX_LEN = 128
DEFAULT_STRIDE = 96
DEFAULT_BATCH = 16


def article_token_logits(
    run: Runner,
    toks: TokenizedText,
    cls_id: int,
    sep_id: int,
    *,
    max_len: int = DEFAULT_MAX_LEN,
    stride: int = DEFAULT_STRIDE,
    batch_size: int = DEFAULT_BATCH,
) -> np.ndarray:
    """(n_tokens, n_channels) logits; tokens seen by two windows get the mean of both."""
    n = len(toks.ids)
    windows = make_windows(n, max_len, stride)
    if not windows:
        return np.zeros((0, 0), dtype=np.float32)
    acc: np.ndarray | None = None
    count = np.zeros(n, dtype=np.float32)
    for b in range(0, len(windows), batch_size):
        chunk = windows[b : b + batch_size]
        ids, mask = batch_inputs(toks, chunk, cls_id, sep_id)
        logits = np.asarray(run(ids, mask), dtype=np.float32)
        if acc is None:
            acc = np.zeros((n, logits.shape[-1]), dtype=np.float32)
        for r, w in enumerate(chunk):
            acc[w.lo : w.hi] += logits[r, 1 : w.hi - w.lo + 1]
            count[w.lo : w.hi] += 1.0
    assert acc is not None
    return acc / np.maximum(count, 1.0)[:, None]


class OnnxRunner:
    """An onnxruntime session over one exported network, pinned to a number of threads; called
    with numpy arrays in the order of `inputs`, it returns the "logits" output."""

    def __init__(self, path: Path, inputs: Sequence[str], threads: int = 2) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.inputs = tuple(inputs)
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        out = self.session.run(["logits"], dict(zip(self.inputs, arrays, strict=True)))
        return np.asarray(out[0])
