"""Run the span tagger: token logits over an article from overlapping windows.

Where it sits: between the tokenizer (`windows`) and the decoder (`decode`). The runner is any
`(input_ids, attention_mask) -> logits` callable — an onnxruntime session at run time
(`OnnxRunner`), a torch module while training — so out-of-fold scores and shipped inference go
through the same windowing and averaging code.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.windows import TokenizedText, batch_inputs, make_windows

Runner = Callable[[np.ndarray, np.ndarray], np.ndarray]

DEFAULT_MAX_LEN = 128
DEFAULT_STRIDE = 96
# One window a network call. The shipped networks are dynamically quantized: each call scales
# its activations to int8 by the largest value in the whole input tensor, padding included, so
# a window run beside others got different logits (up to 0.57 apart on PTC articles) and a text
# found different spans alone than in a batch (38 of 40 articles differed). One window a call
# makes a text's output depend on the text only, at little cost on 2 AVX2 cores (40 PTC
# articles through `find`: 22.9 s batched by 16, 21.7 s one by one; benchmarks/techniques.py:
# 74.9 -> 71.8 sentences/s, within its run-to-run noise). Unquantized networks may batch.
DEFAULT_BATCH = 1


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
    (out,) = texts_token_logits(
        run, [toks], cls_id, sep_id, max_len=max_len, stride=stride, batch_size=batch_size
    )
    return out


def texts_token_logits(
    run: Runner,
    texts: Sequence[TokenizedText],
    cls_id: int,
    sep_id: int,
    *,
    max_len: int = DEFAULT_MAX_LEN,
    stride: int = DEFAULT_STRIDE,
    batch_size: int = DEFAULT_BATCH,
) -> list[np.ndarray]:
    """`article_token_logits` of many texts at once: the windows of all texts in `batch_size`
    groups, shortest first (one window a call by default, see `DEFAULT_BATCH`; an unquantized
    network given a larger `batch_size` fills its batches with short texts' windows)."""
    jobs = [(i, w) for i, toks in enumerate(texts) for w in make_windows(len(toks.ids), max_len, stride)]
    jobs.sort(key=lambda job: job[1].hi - job[1].lo)
    acc: list[np.ndarray | None] = [None] * len(texts)
    count = [np.zeros(len(t.ids), dtype=np.float32) for t in texts]
    chunks, inputs = [], []
    for b in range(0, len(jobs), batch_size):
        chunk = jobs[b : b + batch_size]
        width = max(w.hi - w.lo for _, w in chunk) + 2
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for r, (i, w) in enumerate(chunk):
            one_ids, one_mask = batch_inputs(texts[i], [w], cls_id, sep_id)
            ids[r, : one_ids.shape[1]], mask[r, : one_ids.shape[1]] = one_ids[0], one_mask[0]
        chunks.append(chunk)
        inputs.append((ids, mask))
    outputs = run.map(inputs) if isinstance(run, OnnxRunner) else [run(*x) for x in inputs]
    for chunk, out in zip(chunks, outputs, strict=True):
        logits = np.asarray(out, dtype=np.float32)
        for r, (i, w) in enumerate(chunk):
            a = acc[i]
            if a is None:
                a = acc[i] = np.zeros((len(texts[i].ids), logits.shape[-1]), dtype=np.float32)
            a[w.lo : w.hi] += logits[r, 1 : w.hi - w.lo + 1]
            count[i][w.lo : w.hi] += 1.0
    return [
        np.zeros((0, 0), dtype=np.float32) if a is None else a / np.maximum(c, 1.0)[:, None]
        for a, c in zip(acc, count, strict=True)
    ]


class OnnxRunner:
    """An onnxruntime session over one exported network; called with numpy arrays in the order
    of `inputs`, it returns the "logits" output.

    `threads` calls run side by side (`map`), each on one intra-op thread: the networks see one
    short window or span a call (see `DEFAULT_BATCH`), too little work to share between
    threads, so two calls at once beat one call on two threads (the tagger over 782 sentence
    windows on 2 AVX2 cores: 2.13 s against 2.62-2.76 s), and each output is the same to the
    bit whichever thread computed it. The thread pool belongs to the process that made it: a
    process forked after the model loaded makes its own."""

    def __init__(self, path: Path, inputs: Sequence[str], threads: int = 2) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.inputs = tuple(inputs)
        self.threads = max(1, threads)
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._pool: tuple[int, ThreadPoolExecutor] | None = None
        self._lock = threading.Lock()

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        out = self.session.run(["logits"], dict(zip(self.inputs, arrays, strict=True)))
        return np.asarray(out[0])

    def map(self, calls: Sequence[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
        """`self(*call)` for every call, in order, up to `threads` at once."""
        if self.threads == 1 or len(calls) < 2:
            return [self(*call) for call in calls]
        return list(self._executor().map(lambda call: self(*call), calls))

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None or self._pool[0] != os.getpid():
                # a pool inherited through fork has no threads behind it: never reuse one
                self._pool = (os.getpid(), ThreadPoolExecutor(self.threads, thread_name_prefix="onnx"))
            return self._pool[1]
