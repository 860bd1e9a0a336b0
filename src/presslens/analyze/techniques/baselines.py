"""Two baselines for the technique model, so its gain is visible in the same table.

Where it sits: beside the ONNX model, scored by the same cross-validation
(`presslens.analyze.techniques.evaluate`) and by `presslens eval techniques --baselines`. Both follow the
scikit-learn shape: `fit(articles)`, then `predict_spans(article)` (SI/FLC: labelled spans)
and `classify(article, spans)` (TC: one technique per given span).

- `LexiconBaseline`: hand-written cue lists (loaded words, labels, doubt and fear cues, flag
  words, authority cues…) matched as whole words, plus a repetition rule (a multi-word phrase
  that recurs in the article). TC: the technique whose cues the span holds, Repetition when the
  span's words recur in the article, else the most frequent technique seen in training.
- `TfidfBaseline`: sentence-level one-vs-rest logistic regression on word n-gram TF-IDF (a
  flagged sentence becomes one span per technique), and a span-text TF-IDF logistic regression
  for TC. Needs scikit-learn (the `dev`/`train` extras).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from presslens.analyze.techniques.cues import CUE_PATTERNS
from presslens.analyze.techniques.ptc import Article, GoldSpan
from presslens.analyze.techniques.sentences import sentence_spans
from presslens.analyze.techniques.span_inputs import repetition_count
from presslens.vocab import TECHNIQUES

# Which cue lists the lexicon baseline uses to *find* spans: the general-purpose lists (fear
# words, "all", "because") flag far too much text to be useful as span detectors.
SPAN_TECHNIQUES: tuple[str, ...] = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Doubt",
    "Flag-Waving",
    "Slogans",
    "Bandwagon,Reductio_ad_hitlerum",
    "Thought-terminating_Cliches",
)

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "and",
        "or",
        "for",
        "on",
        "at",
        "by",
        "with",
        "from",
        "that",
        "this",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "as",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "not",
        "but",
        "have",
        "has",
        "had",
        "will",
        "would",
        "said",
    ]
)


_PATTERNS = CUE_PATTERNS


def repeated_phrases(text: str, min_words: int = 2, max_words: int = 4) -> list[tuple[int, int]]:
    """Later occurrences of word n-grams (with a content word) that already occurred earlier.

    >>> t = "Stop the steal now. They chanted stop the steal."
    >>> [t[s:e] for s, e in repeated_phrases(t, 3, 3)]
    ['stop the steal']
    """
    words = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"\w+", text)]
    seen: set[tuple[str, ...]] = set()
    out: list[tuple[int, int]] = []
    for n in range(max_words, min_words - 1, -1):
        for i in range(len(words) - n + 1):
            gram = tuple(w for _, _, w in words[i : i + n])
            if all(w in _STOP for w in gram):
                continue
            if gram in seen:
                out.append((words[i][0], words[i + n - 1][1]))
            else:
                seen.add(gram)
        if out:
            break  # keep the longest repeated phrases only
    return out


class LexiconBaseline:
    """Cue-list and repetition rules; `fit` only learns the fallback (majority) technique."""

    def __init__(self) -> None:
        self.majority_: str = "Loaded_Language"

    def fit(self, articles: Sequence[Article]) -> LexiconBaseline:
        counts = Counter(s.technique for a in articles for s in a.spans)
        if counts:
            self.majority_ = counts.most_common(1)[0][0]
        return self

    def predict_spans(self, article: Article) -> list[GoldSpan]:
        out = []
        for tech in SPAN_TECHNIQUES:
            for m in _PATTERNS[tech].finditer(article.text):
                out.append(GoldSpan(article.article_id, tech, m.start(), m.end()))
        for s, e in repeated_phrases(article.text, 3, 5):
            out.append(GoldSpan(article.article_id, "Repetition", s, e))
        return sorted(set(out))

    def classify_one(self, text: str, start: int, end: int) -> str:
        if end - start < 80 and repetition_count(text, start, end) >= 2:
            return "Repetition"
        frag = text[start:end]
        hits = {t: len(p.findall(frag)) for t, p in _PATTERNS.items()}
        best = max(TECHNIQUES, key=lambda t: (hits.get(t, 0), t == self.majority_))
        return best if hits.get(best, 0) else self.majority_

    def classify(self, article: Article, spans: Sequence[GoldSpan]) -> list[GoldSpan]:
        return [
            GoldSpan(s.article_id, self.classify_one(article.text, s.start, s.end), s.start, s.end)
            for s in spans
        ]


class TfidfBaseline:
    """Sentence-level TF-IDF + logistic regression (SI/FLC) and span-level (TC)."""

    def __init__(self, threshold: float = 0.5, seed: int = 13) -> None:
        self.threshold = threshold
        self.seed = seed
        self.sent_model_: Any = None
        self.span_model_: Any = None
        self.sent_classes_: list[str] = []

    def _sentences(self, article: Article) -> list[tuple[int, int, set[str]]]:
        out = []
        for s, e in sentence_spans(article.text):
            labels = {g.technique for g in article.spans if g.start < e and g.end > s}
            out.append((s, e, labels))
        return out

    def fit(self, articles: Sequence[Article]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MultiLabelBinarizer

        texts, labels = [], []
        for a in articles:
            for s, e, lab in self._sentences(a):
                texts.append(a.text[s:e])
                labels.append(sorted(lab))
        mlb = MultiLabelBinarizer(classes=list(TECHNIQUES))
        y = mlb.fit_transform(labels)
        self.sent_classes_ = list(mlb.classes_)
        self.sent_model_ = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            OneVsRestClassifier(LogisticRegression(max_iter=1000, class_weight="balanced", C=1.0)),
        ).fit(texts, y)
        span_texts = [a.text[g.start : g.end] for a in articles for g in a.spans]
        span_labels = [g.technique for a in articles for g in a.spans]
        self.span_model_ = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=5.0, random_state=self.seed),
        ).fit(span_texts, span_labels)
        return self

    def predict_spans(self, article: Article) -> list[GoldSpan]:
        sents = sentence_spans(article.text)
        if not sents:
            return []
        proba = self.sent_model_.predict_proba([article.text[s:e] for s, e in sents])
        out = []
        for (s, e), row in zip(sents, proba, strict=True):
            for tech, p in zip(self.sent_classes_, row, strict=True):
                if p >= self.threshold:
                    out.append(GoldSpan(article.article_id, tech, s, e))
        return out

    def classify(self, article: Article, spans: Sequence[GoldSpan]) -> list[GoldSpan]:
        if not spans:
            return []
        pred = self.span_model_.predict([article.text[s.start : s.end] for s in spans])
        return [GoldSpan(s.article_id, str(t), s.start, s.end) for s, t in zip(spans, pred, strict=True)]
