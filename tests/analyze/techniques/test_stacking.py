"""The stage-(b) stacker: one analyzer for training and run time, a fit that learns from the
span's words, and a file that loads back to the same logits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from presslens.analyze.techniques.stacking import Stacker, surface_features, terms
from presslens.vocab import TECHNIQUES

SAMPLES = [
    "So-called experts LIE!",
    "Make America great again",
    "the 2 of us, café au lait — naïve résumé",
    "x y z",
    "",
]


def test_terms_are_scikit_learns_analyzer() -> None:
    """The run time has no scikit-learn: its analyzer must give the same terms as the one the
    training vocabulary was counted with."""
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    analyzer = sklearn_text.TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    for text in SAMPLES:
        assert terms(text) == analyzer(text)


def test_surface_features_see_repetition_and_capitals() -> None:
    text = "STOP THE STEAL. They shouted stop the steal, stop the steal."
    shouted = surface_features(text, 0, 14)
    assert shouted[2:5].tolist() == [1.0, 1.0, 1.0]  # recurs twice, three times, all capitals
    quiet = surface_features(text, 16, 23)  # "They sh": once, lower case
    assert quiet[2:5].tolist() == [0.0, 0.0, 0.0]


def _rows(n: int) -> list:
    from presslens.train.stacker import SpanRow

    loaded = np.zeros(len(TECHNIQUES))
    loaded[TECHNIQUES.index("Loaded_Language")] = 4.0  # the classifier always says Loaded
    rows = []
    for i in range(n):
        slogan = i % 2 == 0
        words = "make the nation great again" if slogan else f"terrible awful decision number {i}"
        text = f"Intro line.\n{words} today."
        start = text.index(words)
        label = "Slogans" if slogan else "Loaded_Language"
        rows.append(SpanRow(text, start, start + len(words), (label,), loaded, i % 5))
    return rows


def test_fit_learns_what_the_classifier_missed_and_round_trips(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from presslens.train.stacker import fit, tc_hits

    rows = _rows(40)
    stacker = fit(rows, c=10.0)
    own = np.stack([r.logits for r in rows])
    spans = [(r.text, r.start, r.end) for r in rows]
    assert tc_hits(rows, own) == (20, 40)  # the classifier alone gets only the Loaded half
    stacked = stacker.logits(spans, own)
    assert tc_hits(rows, stacked) == (40, 40)

    stacker.save(tmp_path / "stacker.npz")
    again = Stacker.load_optional(tmp_path)
    assert again is not None and again.vocabulary == stacker.vocabulary
    assert np.allclose(again.logits(spans, own), stacked, atol=1e-4)  # float32 on disk
    assert Stacker.load_optional(tmp_path / "missing") is None


def test_found_span_stacker_learns_none_and_labels_with_techniques_only(tmp_path: Path) -> None:
    """The found-span stacker has a 15th class, `none`; labelling reads the 14 techniques only,
    so a span it thinks covers nothing still gets its most likely technique (the decoder's
    `found_none` decides whether `none` lowers that technique's probability)."""
    pytest.importorskip("sklearn")
    from dataclasses import replace

    from presslens.analyze.techniques.stacking import SPAN_LABELS
    from presslens.train.stacker import fit, found_label_hits

    rows = _rows(40)
    rows = [replace(r, labels=("none",)) if i % 4 == 1 else r for i, r in enumerate(rows)]
    stacker = fit(rows, c=10.0, classes=SPAN_LABELS)
    spans = [(r.text, r.start, r.end) for r in rows]
    own = np.stack([r.logits for r in rows])
    full = stacker.logits(spans, own)
    assert full.shape == (40, 15)
    techniques = full[:, :14]
    # Every span with a technique gets it back; `none` rows are not asked.
    assert found_label_hits(rows, techniques) == (30, 30)
    stacker.save(tmp_path / "span_stacker.npz")
    again = Stacker.load_optional(tmp_path, "span_stacker.npz")
    assert again is not None and np.allclose(again.logits(spans, own), full, atol=1e-4)
