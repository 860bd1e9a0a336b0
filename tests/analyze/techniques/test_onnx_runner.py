"""The network runner: calls side by side give each call's own output, in order, and a process
forked after the runner made its thread pool makes its own instead of waiting on threads that
did not survive the fork."""

from __future__ import annotations

import multiprocessing
import sys

import numpy as np
import pytest

from presslens.analyze.techniques.model import OnnxRunner
from presslens.analyze.techniques.runtime import TAGGER_FILE, default_model_dir


def _calls(n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    out = []
    for i in range(n):
        ids = rng.integers(1000, 20000, size=(1, 8 + 3 * i))
        out.append((ids, np.ones_like(ids)))
    return out


@pytest.fixture(scope="module")
def runner() -> OnnxRunner:
    return OnnxRunner(default_model_dir() / TAGGER_FILE, ("input_ids", "attention_mask"), threads=2)


def test_calls_side_by_side_give_each_calls_own_output_in_order(runner: OnnxRunner) -> None:
    calls = _calls(12)
    alone = [runner(*c) for c in calls]
    together = runner.map(calls)
    assert [a.shape for a in together] == [a.shape for a in alone]  # in order: lengths differ
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))


def _map_in_child(runner: OnnxRunner, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put([o.shape for o in runner.map(_calls(4))])


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_process_makes_its_own_pool(runner: OnnxRunner) -> None:
    runner.map(_calls(4))  # the parent's pool exists, its threads started
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_map_in_child, args=(runner, queue))
    child.start()
    child.join(timeout=60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive, "the forked process hung on its parent's thread pool"
    assert queue.get(timeout=5) == [(1, 8 + 3 * i, 1) for i in range(4)]
