"""From network outputs to technique spans: the one decoder every surface uses.

Where it sits: `presslens.analyze.techniques.runtime` calls it after both networks ran;
`presslens.train.postproc` fits its parameters (`PostProcessor`, shipped as `postproc.json`) on
out-of-fold outputs. `analyze`, `techniques classify`, the web and `eval techniques` all get their
spans from here, so what is scored is what users see.

Stage (a), span identification, with hysteresis: word pieces whose tagger probability passes
`si_low` form runs (runs split by at most `bridge` weaker pieces join), and a run is kept only
if one of its pieces passes `si_threshold` — a confident core grown over its less confident
neighbours, which finds whole phrases where one threshold finds fragments. A run's span is
grown to whole words and to the other mark of a quotation it holds half of, trimmed of spaces,
and dropped when it is only stop words and punctuation (nothing a reader could check) or when
its calibrated score is under `min_score` (the documented minimum score, fitted with the
thresholds). A span's score is the isotonic map of its mean piece probability to P(the span
overlaps a gold span) fitted out of fold.

Stage (b), technique: the classifier's logits over 14 techniques, softmax at `temperature`; the
most likely technique is reported, and a second one too where its probability reaches
`second_label` (PTC spans often carry two labels). A finding's score is P(span) × P(technique),
mapped by a second isotonic fit to P(a gold span of that technique overlaps it). A finding whose
unmapped score is under `min_finding` is not reported, and a span left with no finding is not
either: a span the tagger is unsure of whose technique the classifier is unsure of too is more
often wrong than right about both (fitted for SI F1 + FLC F1, `presslens.train.postproc`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from presslens.vocab import TECHNIQUES


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -30, 30))))


def softmax(x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = x / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


@dataclass
class PostProcessor:
    """The learned decoding (JSON-serialisable; see the module docstring)."""

    si_threshold: float = 0.5
    si_low: float = 0.5
    bridge: int = 0
    min_score: float = 0.0
    span_iso_x: list[float] = field(default_factory=lambda: [0.0, 1.0])
    span_iso_y: list[float] = field(default_factory=lambda: [0.0, 1.0])
    temperature: float = 1.0
    second_label: float = 1.01  # > 1: never a second technique
    finding_iso_x: list[float] = field(default_factory=lambda: [0.0, 1.0])
    finding_iso_y: list[float] = field(default_factory=lambda: [0.0, 1.0])
    min_finding: float = 0.0  # P(span) × P(technique) below this: not reported
    # Found spans: the found-span stacker's `none` keeps its share, so P(technique) =
    # P(the span has one) × P(technique | it has one), rows summing to under 1 (False: `none`
    # is left out and the techniques share all the mass, v2.5's decoding).
    found_none: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def load(cls, path: Path) -> PostProcessor:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def span_score(self, raw: np.ndarray) -> np.ndarray:
        return np.asarray(np.interp(raw, self.span_iso_x, self.span_iso_y))

    def finding_score(self, raw: np.ndarray) -> np.ndarray:
        return np.asarray(np.interp(raw, self.finding_iso_x, self.finding_iso_y))

    def spans(self, text: str, offsets: np.ndarray, probs: np.ndarray) -> list[tuple[SpanCandidate, float]]:
        """Stage (a): decoded spans with their calibrated score, those under `min_score` left out."""
        cands = decode_spans(text, offsets, probs, self.si_threshold, self.bridge, self.si_low)
        scores = self.span_score(np.array([c.raw for c in cands], dtype=float))
        return [(c, float(s)) for c, s in zip(cands, scores, strict=True) if s >= self.min_score]

    def technique_probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Stage (b): (n_spans, 14) P(technique) from stacked logits — 14 columns, or 15 from a
        found-span stacker whose last one is `none` (see `found_none`).

        >>> lg = np.log(np.r_[np.full(14, 0.05), 0.3])[None]  # each technique 0.05, `none` 0.3
        >>> float(PostProcessor(found_none=True).technique_probabilities(lg).sum().round(3))
        0.7
        >>> float(PostProcessor().technique_probabilities(lg).sum().round(3))
        1.0
        """
        n = min(logits.shape[-1], len(TECHNIQUES))
        if self.found_none:
            return softmax(logits, self.temperature)[:, :n]
        return softmax(logits[:, :n], self.temperature)

    def labels(self, span_score: float, dist: np.ndarray) -> list[tuple[int, float]]:
        """Stage (b): the techniques reported for one span (index into TECHNIQUES) with their
        raw finding score P(span) × P(technique): the most likely, and the runner-up where its
        probability reaches `second_label`, each only where its raw score reaches `min_finding`
        (none at all: the span is not reported).

        >>> pp = PostProcessor(second_label=0.3, min_finding=0.2)
        >>> [(j, round(r, 2)) for j, r in pp.labels(0.5, np.array([0.6, 0.35, 0.05]))]
        [(0, 0.3)]
        """
        order = np.argsort(-dist)
        picked = [int(order[0])] + ([int(order[1])] if dist[order[1]] >= self.second_label else [])
        scored = [(j, span_score * float(dist[j])) for j in picked]
        return [(j, raw) for j, raw in scored if raw >= self.min_finding]


@dataclass(frozen=True)
class SpanCandidate:
    """A stage-(a) span: char offsets, mean piece probability, token range."""

    start: int
    end: int
    raw: float
    tok_lo: int
    tok_hi: int


def runs(on: np.ndarray, bridge: int = 0) -> list[tuple[int, int]]:
    """[lo, hi) index runs where `on` is true; runs separated by ≤ `bridge` false items join.

    >>> runs(np.array([0, 1, 1, 0, 1], dtype=bool))
    [(1, 3), (4, 5)]
    >>> runs(np.array([0, 1, 1, 0, 1], dtype=bool), bridge=1)
    [(1, 5)]
    """
    if not len(on):
        return []
    padded = np.concatenate([[False], on, [False]]).astype(np.int8)
    d = np.diff(padded)
    found = list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))
    out: list[tuple[int, int]] = []
    for a, b in found:
        if out and a - out[-1][1] <= bridge:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _joins(text: str, i: int) -> bool:
    """Whether text[i-1] and text[i] belong to one word: letters/digits on both sides, or a
    hyphen/apostrophe between them ("oil-rich", "Iran's")."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if a.isalnum() and b.isalnum():
        return True
    if b in "-'’" and a.isalnum():
        return i + 1 < len(text) and text[i + 1].isalnum()
    if a in "-'’" and b.isalnum():
        return i >= 2 and text[i - 2].isalnum()
    return False


_EDGE_PUNCT = "-–—,;:.)]}"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span so it never cuts a word in two (hyphenated words count as one), then trim
    spaces and dangling punctuation at its edges (quote marks stay: PTC spans keep them).

    >>> t = "They are crimin-als and oil-rich"
    >>> snap_to_words(t, 10, 14)
    (9, 19)
    >>> snap_to_words(t, 27, 32)
    (24, 32)
    """
    while _joins(text, start):
        start -= 1
    while _joins(text, end):
        end += 1
    while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_PUNCT[:4]):
        end -= 1
    return start, end


# How far (characters, same line) a span reaches for the other mark of a quotation it opens or
# closes. Quoted phrases are short: a longer reach would swallow the rest of a quoted sentence.
QUOTE_REACH = 80


def quotation_pairs(line: str) -> list[tuple[int, int]]:
    """(opening, closing) positions of the double quotation marks of one line: curly marks by
    their shape, straight ones by turn (first opens, next closes); unmatched marks are left out.

    >>> quotation_pairs('He said "no" and “yes”, then "maybe')
    [(8, 11), (17, 21)]
    """
    pairs: list[tuple[int, int]] = []
    curly_open: list[int] = []
    straight_open: int | None = None
    for i, ch in enumerate(line):
        if ch == "“":
            curly_open.append(i)
        elif ch == "”" and curly_open:
            pairs.append((curly_open.pop(), i))
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                pairs.append((straight_open, i))
                straight_open = None
    return sorted(pairs)


def close_quotes(text: str, start: int, end: int, reach: int = QUOTE_REACH) -> tuple[int, int]:
    """Grow a span to the other mark of a quotation it holds only half of, when that mark is on
    the same line within `reach` characters: a reader sees `"living martyr"`, not `a "living
    martyr`. On fold 0's out-of-fold tagger outputs (1,340 spans, decoder refitted in-sample),
    spans holding an odd number of double quotes went 68 → 4 and SI F1 0.4609 → 0.4606: PTC's
    annotators cut quotations either way (of its gold spans with double quotes, 244 hold an
    odd number, 225 an even one), so this is for the reader, not the score.

    >>> t = 'It was a "living martyr" they said'
    >>> close_quotes(t, 7, 22)
    (7, 24)
    >>> close_quotes(t, 10, 24)
    (9, 24)
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    for a, b in quotation_pairs(text[line_start:line_end]):
        a, b = a + line_start, b + line_start
        if start <= a < end <= b and b + 1 - end <= reach:
            end = b + 1
        elif a < start <= b < end and start - a <= reach:
            start = a
    return start, end


@lru_cache(maxsize=1)
def stop_word_test() -> Callable[[str], bool]:
    """A test for "nothing but stop words, punctuation and spaces", by spaCy's English
    tokenizer and stop list (so "isn't" is "is" + "n't", both stop words).

    >>> only = stop_word_test()
    >>> only("-- and"), only("isn't it"), only("traitors")
    (True, True, False)
    """
    import spacy

    tokenizer = spacy.blank("en").tokenizer

    @lru_cache(maxsize=65536)
    def only_stop_words(text: str) -> bool:
        return all(t.is_stop or t.is_punct or t.is_space for t in tokenizer(text))

    return only_stop_words


def decode_spans(
    text: str, offsets: np.ndarray, probs: np.ndarray, threshold: float, bridge: int, low: float | None = None
) -> list[SpanCandidate]:
    """Stage (a) spans before scoring: runs over `low` holding a piece over `threshold` → whole
    words → quotations closed → no stop-word-only span."""
    if len(offsets) == 0:
        return []
    only_stop = stop_word_test()
    out: list[SpanCandidate] = []
    for a, b in runs(probs >= (threshold if low is None else min(low, threshold)), bridge):
        if probs[a:b].max() < threshold:
            continue
        s, e = close_quotes(text, *snap_to_words(text, int(offsets[a, 0]), int(offsets[b - 1, 1])))
        if e <= s or only_stop(text[s:e]):
            continue
        if out and s < out[-1].end:  # two runs snapped onto the same word: one span
            prev = out.pop()
            a, s = prev.tok_lo, prev.start
            e = max(e, prev.end)
        out.append(SpanCandidate(s, e, float(probs[a:b].mean()), a, b))
    return out
