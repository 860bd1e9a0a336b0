"""The decoder's span shaping on hand-made tagger outputs: what a reader is shown."""

from __future__ import annotations

import numpy as np

from presslens.analyze.techniques.decode import close_quotes, decode_spans, quotation_pairs


def _word_pieces(text: str) -> np.ndarray:
    """(start, end) of each space-separated word: one piece a word."""
    offsets, at = [], 0
    for word in text.split(" "):
        offsets.append((at, at + len(word)))
        at += len(word) + 1
    return np.array(offsets)


def _decoded(text: str, flagged: set[str]) -> list[str]:
    offsets = _word_pieces(text)
    probs = np.array([0.9 if text[a:b].strip('"“”,.') in flagged else 0.0 for a, b in offsets])
    return [text[c.start : c.end] for c in decode_spans(text, offsets, probs, 0.5, 0)]


def test_a_span_holding_an_opening_quote_runs_to_its_closing_one() -> None:
    text = 'Officials called him a "living martyr of the resistance" on Friday.'
    assert _decoded(text, {"living", "martyr"}) == ['"living martyr of the resistance"']


def test_a_span_holding_a_closing_quote_reaches_back_to_its_opening_one() -> None:
    text = "They spoke of “state terrorism and murder” again."
    assert _decoded(text, {"murder"}) == ["“state terrorism and murder”"]


def test_a_far_or_next_line_quote_mark_is_not_reached_for() -> None:
    far = 'A "brutal ' + "and long " * 12 + 'story" ended.'
    assert _decoded(far, {"brutal"}) == ['"brutal']
    text = 'A "brutal\nregime" fell.'
    assert close_quotes(text, 2, 9) == (2, 9)


def test_straight_quotes_pair_by_turn_and_curly_ones_by_shape() -> None:
    assert quotation_pairs('"a" b "c" "d') == [(0, 2), (6, 8)]
    assert quotation_pairs("“a “b” c”") == [(0, 8), (3, 5)]
    assert quotation_pairs("” stray “") == []
