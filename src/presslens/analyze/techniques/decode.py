"""From token logits to technique spans, span labels and calibrated scores (numpy only).

Where it sits: after `model.article_token_logits`, before the `techniques` stage and the
`classify` / `eval` commands. Everything learned after the network — per-channel Platt
scaling of the token logits, span thresholds, the span classifier used for TC, the isotonic
map that turns a span's raw score into a calibrated probability — is a `PostProcessor`,
fitted on out-of-fold predictions by `presslens.train.fit` and shipped as `postproc.json`
beside the ONNX file.

Channels: 0 is "any technique" (SI), 1..14 are `presslens.vocab.TECHNIQUES` in order.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.cues import CUE_PATTERNS
from presslens.vocab import TECHNIQUES

N_CHANNELS = 1 + len(TECHNIQUES)
REPETITION = TECHNIQUES.index("Repetition")  # index among the 14 techniques

_WORD = re.compile(r"\w+", re.UNICODE)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class PostProcessor:
    """The learned decoding of token logits (JSON-serialisable; see module docstring)."""

    # Token-level Platt scaling per channel: p = sigmoid(scale * logit + bias). It generalises
    # temperature scaling (bias 0) because the class-weighted loss also shifts the logits.
    scale: list[float] = field(default_factory=lambda: [1.0] * N_CHANNELS)
    bias: list[float] = field(default_factory=lambda: [0.0] * N_CHANNELS)
    thresholds: list[float] = field(default_factory=lambda: [0.5] * N_CHANNELS)
    tc_coef: list[list[float]] = field(default_factory=list)  # (14, n_features)
    tc_intercept: list[float] = field(default_factory=list)
    iso_x: list[float] = field(default_factory=lambda: [0.0, 1.0])
    iso_y: list[float] = field(default_factory=lambda: [0.0, 1.0])
    # "any": SI spans (channel 0) labelled by the span classifier; "channels": one run per
    # technique channel. `presslens.train.fit` keeps whichever scores the better FLC.
    span_mode: str = "channels"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, data: str) -> PostProcessor:
        return cls(**json.loads(data))

    @classmethod
    def load(cls, path: Path) -> PostProcessor:
        return cls.from_json(path.read_text(encoding="utf-8"))

    def probs(self, logits: np.ndarray) -> np.ndarray:
        """Platt-scaled sigmoid probabilities per token and channel."""
        return sigmoid(
            logits * np.asarray(self.scale, dtype=np.float32) + np.asarray(self.bias, dtype=np.float32)
        )

    def calibrate(self, raw: float | np.ndarray) -> np.ndarray:
        """Isotonic map from a span's raw score to P(the span is right)."""
        return np.asarray(np.interp(raw, self.iso_x, self.iso_y))


@dataclass(frozen=True)
class RawSpan:
    """A decoded span: char offsets, technique channel (1..14), raw score, token range."""

    start: int
    end: int
    channel: int
    raw: float
    tok_lo: int
    tok_hi: int


def _runs(on: np.ndarray) -> list[tuple[int, int]]:
    """[lo, hi) index runs where `on` is true.

    >>> _runs(np.array([0, 1, 1, 0, 1], dtype=bool))
    [(1, 3), (4, 5)]
    """
    if not len(on):
        return []
    padded = np.concatenate([[False], on, [False]]).astype(np.int8)
    d = np.diff(padded)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span so it never cuts a word in two (word pieces can start mid-word)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _inside(text: str, offsets: np.ndarray, lo: int, hi: int | None) -> np.ndarray:
    hi = len(text) if hi is None else hi
    return np.asarray((offsets[:, 0] >= lo) & (offsets[:, 1] <= hi))


def channel_runs(
    text: str, offsets: np.ndarray, p: np.ndarray, threshold: float, inside: np.ndarray
) -> list[tuple[int, int, int, int]]:
    """(start, end, tok_lo, tok_hi) of each run of tokens with p >= threshold, snapped to words."""
    out = []
    for a, b in _runs((p >= threshold) & inside):
        s, e = snap_to_words(text, int(offsets[a, 0]), int(offsets[b - 1, 1]))
        out.append((s, e, a, b))
    return out


def extract_spans(
    text: str, offsets: np.ndarray, probs: np.ndarray, pp: PostProcessor, lo: int = 0, hi: int | None = None
) -> list[RawSpan]:
    """Technique spans: runs of tokens whose channel-c probability passes its threshold,
    restricted to tokens inside text[lo:hi]."""
    if len(offsets) == 0:
        return []
    inside = _inside(text, offsets, lo, hi)
    out = []
    for c in range(1, N_CHANNELS):
        for s, e, a, b in channel_runs(text, offsets, probs[:, c], pp.thresholds[c], inside):
            out.append(RawSpan(s, e, c, float(probs[a:b, c].mean()), a, b))
    return out


def extract_any_spans(
    text: str, offsets: np.ndarray, probs: np.ndarray, pp: PostProcessor, lo: int = 0, hi: int | None = None
) -> list[tuple[int, int]]:
    """SI spans: runs of the "any technique" channel (0) above its threshold."""
    if len(offsets) == 0:
        return []
    inside = _inside(text, offsets, lo, hi)
    return [(s, e) for s, e, _, _ in channel_runs(text, offsets, probs[:, 0], pp.thresholds[0], inside)]


def decode_spans(
    text: str, offsets: np.ndarray, probs: np.ndarray, pp: PostProcessor, lo: int = 0, hi: int | None = None
) -> list[RawSpan]:
    """Labelled spans as `pp.span_mode` says; `raw` is the score `pp.calibrate` maps to P(right)."""
    if pp.span_mode == "channels" or not pp.tc_coef:
        return extract_spans(text, offsets, probs, pp, lo, hi)
    if len(offsets) == 0:
        return []
    inside = _inside(text, offsets, lo, hi)
    runs = channel_runs(text, offsets, probs[:, 0], pp.thresholds[0], inside)
    if not runs:
        return []
    feats = np.stack([span_features(text, offsets, probs, s, e) for s, e, _, _ in runs])
    dist = technique_distribution(pp, feats)
    out = []
    for (s, e, a, b), row in zip(runs, dist, strict=True):
        j = int(np.argmax(row))
        out.append(RawSpan(s, e, j + 1, float(probs[a:b, 0].mean() * row[j]), a, b))
    return out


def tokens_in(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """Token index range [a, b) of the tokens overlapping text[start:end] (a == b when none)."""
    a = int(np.searchsorted(offsets[:, 1], start, side="right"))
    b = int(np.searchsorted(offsets[:, 0], end, side="left"))
    return a, max(a, b)


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


def repetition_count(text: str, start: int, end: int) -> int:
    """How often the span's words occur in the article, the span itself included.

    >>> t = "Never again. They said never again, and meant it."
    >>> repetition_count(t, 0, 11)
    2
    >>> repetition_count("Never again! Never again.", 0, 11)
    2
    """
    needle = _norm(text[start:end])
    if not needle:
        return 0
    hay = " " + _norm(text) + " "
    probe = " " + needle + " "
    # Overlapping matches: in "never again never again" the space between the two belongs to both.
    count, i = 0, hay.find(probe)
    while i >= 0:
        count += 1
        i = hay.find(probe, i + 1)
    return count


FEATURE_NAMES: tuple[str, ...] = (
    *(f"mean:{t}" for t in TECHNIQUES),
    *(f"max:{t}" for t in TECHNIQUES),
    "mean:any",
    "repeated",
    "log_repeats",
    "log_chars",
    "log_words",
    "question",
    "exclaim",
    *(f"cues:{t}" for t in TECHNIQUES),
)


def span_features(text: str, offsets: np.ndarray, probs: np.ndarray, start: int, end: int) -> np.ndarray:
    """Features of a given span for the TC span classifier (see FEATURE_NAMES)."""
    a, b = tokens_in(offsets, start, end)
    if b > a:
        seg = probs[a:b]
        mean, mx = seg.mean(0), seg.max(0)
    else:
        mean = mx = np.zeros(N_CHANNELS, dtype=np.float32)
    frag = text[start:end]
    reps = repetition_count(text, start, end)
    extra = np.array(
        [
            mean[0],
            float(reps >= 2),
            np.log1p(max(reps - 1, 0)),
            np.log1p(len(frag)),
            np.log1p(len(_WORD.findall(frag))),
            float("?" in frag),
            float("!" in frag),
            # Hand-written cue counts (log1p) per technique: lexical evidence the tagger's
            # pooled probabilities can miss on rare techniques.
            *(np.log1p(len(CUE_PATTERNS[t].findall(frag))) if t in CUE_PATTERNS else 0.0 for t in TECHNIQUES),
        ],
        dtype=np.float32,
    )
    return np.concatenate([mean[1:], mx[1:], extra]).astype(np.float32)


def technique_distribution(pp: PostProcessor, feats: np.ndarray) -> np.ndarray:
    """P(technique | span) from the span classifier, or the pooled token probabilities
    renormalised when no classifier is fitted. `feats`: (n, n_features) -> (n, 14)."""
    feats = np.atleast_2d(feats)
    if pp.tc_coef:
        z = feats @ np.asarray(pp.tc_coef, dtype=np.float32).T + np.asarray(pp.tc_intercept, dtype=np.float32)
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(1, keepdims=True))
    m = feats[:, : len(TECHNIQUES)]
    return np.asarray(m / np.maximum(m.sum(1, keepdims=True), 1e-9))
