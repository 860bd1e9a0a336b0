"""The two baselines behave as documented on a tiny corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.analyze.techniques.baselines import LexiconBaseline, TfidfBaseline, repeated_phrases
from presslens.analyze.techniques.ptc import read_corpus


def test_lexicon_finds_labels_and_repetition(tiny_ptc: Path) -> None:
    art = {a.article_id: a for a in read_corpus(tiny_ptc)}["1"]
    base = LexiconBaseline().fit([art])
    found = {(s.technique, art.text[s.start : s.end]) for s in base.predict_spans(art)}
    assert ("Name_Calling,Labeling", "criminals") in found
    assert ("Doubt", "so-called") in found
    labels = {art.text[s.start : s.end]: s.technique for s in base.classify(art, art.spans)}
    assert labels["Never again"] == "Repetition"  # said twice in the article


def test_repeated_phrases_skips_stopword_only_ngrams() -> None:
    assert repeated_phrases("of the of the of the", 2, 2) == []


def test_tfidf_baseline_fits_and_predicts(tiny_ptc: Path) -> None:
    pytest.importorskip("sklearn")
    arts = read_corpus(tiny_ptc)
    base = TfidfBaseline().fit(arts)
    art = arts[0]
    assert len(base.classify(art, art.spans)) == len(art.spans)
    for s in base.predict_spans(art):
        assert 0 <= s.start < s.end <= len(art.text)
