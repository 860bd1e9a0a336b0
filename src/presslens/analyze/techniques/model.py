"""Run the technique tagger: token logits over an article from overlapping windows.

Where it sits: between the tokenizer (`windows`) and the decoder (`decode`). The runner is any
`(input_ids, attention_mask) -> logits` callable — an onnxruntime session at run time
(`OnnxTagger`), a torch module while training — so out-of-fold scores and shipped inference go
through the same windowing and averaging code.
"""

from __future__ import annotations

from collections.abc import Callable
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


class OnnxTagger:
    """An onnxruntime session over the exported tagger, pinned to a number of threads."""

    def __init__(self, path: Path, threads: int = 2) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
        return np.asarray(out[0])
