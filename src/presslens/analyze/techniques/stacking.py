"""Stage (b), second step: the span classifier's logits stacked with the span's own words.

Where it sits: between the span classifier (`runtime.TechniqueModel`) and the decoder's softmax
(`decode.PostProcessor`). The fine-tuned classifier reads a span inside its line; a linear model
over its 14 log-probabilities, a TF-IDF of the span's word uni- and bigrams, and a few surface
facts (length, repetition in the article, capitals, ! and ?, the cue lists of
`presslens.analyze.techniques.cues`) corrects what the network gets wrong about rare techniques
whose wording is formulaic (Slogans, Thought-terminating clichés, Appeal to authority). The
SemEval-2020 Task 11 TC winners stacked their networks with such features too.

Trained by `presslens.train.stacker` on the classifier's *out-of-fold* logits of gold spans (a
model never stacks its own training outputs), shipped as `stacker.npz` beside the networks;
a model folder without it runs the classifier alone. Run time needs numpy only: the analyzer
below is written out (not scikit-learn's) so training and run time share one definition.

The output is logits (the linear model's decision values): the decoder applies its fitted
temperature and softmax to them exactly as it did to the network's own logits.

A model folder may ship a second one, `span_stacker.npz`: the same features and form, fitted
on the spans stage (a) *finds* (out of fold, each labelled with the techniques of the gold spans
it overlaps, or `none`) instead of on gold spans. A found span is rarely a gold span's exact
extent — it is cut short, runs on, or covers nothing — and a model that has seen such spans
names their technique better (FLC +0.02 out of fold). It labels found spans; the gold-span
stacker stays for `classify` (TC), where the spans are given. Its last class is `none`: with the
decoder's `found_none` its probability lowers every technique's (and so the finding's score),
without it the techniques share the whole mass (`PostProcessor.technique_probabilities`).

>>> terms("So-called experts LIE!")
['so', 'called', 'experts', 'lie', 'so called', 'called experts', 'experts lie']
>>> surface_features("They lie. They lie!", 10, 19)[:4].round(3).tolist()
[2.303, 1.099, 1.0, 0.0]
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from presslens.analyze.techniques.actors import BlindText
from presslens.analyze.techniques.cues import CUE_PATTERNS
from presslens.analyze.techniques.span_inputs import repetition_count
from presslens.vocab import TECHNIQUES

STACKER_FILE = "stacker.npz"
SPAN_STACKER_FILE = "span_stacker.npz"
#: The span stacker's classes: the techniques, then "no gold span overlaps this one".
SPAN_LABELS: tuple[str, ...] = (*TECHNIQUES, "none")
# scikit-learn's default token pattern: words of two or more characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# The classifier's log-probabilities span about [-20, 0]; this keeps them on the TF-IDF's scale
# so one regularisation strength suits both blocks.
LOGIT_SCALE = 5.0
SURFACE_NAMES: tuple[str, ...] = (
    "log chars",
    "log words",
    "recurs twice",
    "recurs 3+",
    "all capitals",
    "exclamations",
    "questions",
    *(f"cues: {t}" for t in TECHNIQUES),
)


def terms(span_text: str) -> list[str]:
    """Lower-cased word unigrams then bigrams of a span (scikit-learn's default analyzer with
    `ngram_range=(1, 2)`)."""
    words = _TOKEN.findall(span_text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def surface_features(text: str, start: int, end: int) -> np.ndarray:
    """Length, repetition in the article, capitals, ! and ?, and cue matches per technique."""
    span = text[start:end]
    reps = repetition_count(text, start, end)
    cues = [min(len(CUE_PATTERNS[t].findall(span)), 3) if t in CUE_PATTERNS else 0 for t in TECHNIQUES]
    letters = [c for c in span if c.isalpha()]
    head = [
        math.log1p(len(span)),
        math.log1p(len(span.split())),
        float(reps >= 2),
        float(reps >= 3),
        float(bool(letters) and all(c.isupper() for c in letters)),
        float(min(span.count("!"), 3)),
        float(min(span.count("?"), 3)),
    ]
    return np.asarray(head + cues, dtype=np.float64)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    return np.asarray(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)))


@dataclass
class Stacker:
    """A multinomial linear model over [TF-IDF terms | classifier log-probs | surface facts]."""

    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_terms,)
    surface_mean: np.ndarray  # (n_surface,)
    surface_scale: np.ndarray
    coef: np.ndarray  # (n_classes, n_terms + 14 + n_surface); 14 classes, or 15 with `none`
    intercept: np.ndarray  # (n_classes,)

    def tfidf(self, span_text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and l2-normalised sublinear TF-IDF weights of a span's known terms."""
        counts = Counter(t for t in terms(span_text) if t in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        w = tf * self.idf[cols]
        return cols, w / np.linalg.norm(w)

    def dense(self, text: str, start: int, end: int, classifier_logits: np.ndarray) -> np.ndarray:
        """The non-TF-IDF block of one span's features."""
        surface = (surface_features(text, start, end) - self.surface_mean) / self.surface_scale
        return np.concatenate([log_softmax(classifier_logits) / LOGIT_SCALE, surface])

    def logits(self, spans: Sequence[tuple[str, int, int]], classifier_logits: np.ndarray) -> np.ndarray:
        """Stacked logits, (n_spans, n_classes), of spans `(text, start, end)` given the
        classifier's."""
        n_terms = len(self.idf)
        out = np.zeros((len(spans), len(self.intercept)))
        for r, ((text, start, end), lg) in enumerate(zip(spans, classifier_logits, strict=True)):
            cols, w = self.tfidf(text[start:end])
            out[r] = self.coef[:, cols] @ w + self.coef[:, n_terms:] @ self.dense(text, start, end, lg)
        return np.asarray(out + self.intercept)

    def save(self, path: Path) -> None:
        vocab = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            terms=np.asarray(vocab, dtype=str),
            idf=self.idf.astype(np.float32),
            surface_mean=self.surface_mean,
            surface_scale=self.surface_scale,
            coef=self.coef.astype(np.float32),
            intercept=self.intercept,
        )

    @classmethod
    def load(cls, path: Path) -> Stacker:
        # allow_pickle stays off: the file holds plain arrays (terms as a unicode array).
        with np.load(path, allow_pickle=False) as data:
            vocab = {str(t): i for i, t in enumerate(data["terms"].tolist())}
            return cls(
                vocabulary=vocab,
                idf=data["idf"].astype(np.float64),
                surface_mean=data["surface_mean"],
                surface_scale=data["surface_scale"],
                coef=data["coef"].astype(np.float64),
                intercept=data["intercept"],
            )

    @classmethod
    def load_optional(cls, folder: Path, name: str = STACKER_FILE) -> Stacker | None:
        """The folder's stacker `name`, or None when it ships none."""
        path = folder / name
        return cls.load(path) if path.exists() else None


def stack_logits(
    gold: Stacker | None,
    found: Stacker | None,
    spans: Sequence[tuple[str, int, int]],
    classifier_logits: np.ndarray,
    blind: Sequence[BlindText] | None = None,
) -> np.ndarray:
    """Stacked logits of spans `(text, start, end)`, as the runtime and the decoder fit both
    route them: spans stage (a) found (`blind`: each one's text's actor-blind copy) through the
    found-span stacker, which reads their words with actors replaced; other spans — given ones,
    or found ones where a model has no found-span stacker — through the gold-span stacker,
    which reads the words as written; no stacker: the classifier's logits unchanged."""
    if blind is not None and found is not None:
        blind_spans = [b.span(s, e) for b, (_, s, e) in zip(blind, spans, strict=True)]
        return found.logits(blind_spans, classifier_logits)
    if gold is not None:
        return gold.logits(spans, classifier_logits)
    return classifier_logits
