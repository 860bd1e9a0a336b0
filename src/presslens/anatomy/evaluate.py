"""Scoring article-body extraction: the Scrapinghub article-extraction-benchmark's metric.

Where it sits: beside the anatomy stage, used by `benchmarks/extraction.py` and by
`presslens eval extraction --data DIR`. It never extracts anything itself; it compares a
predicted body text with a ground-truth one.

The metric is the benchmark's own (scrapinghub/article-extraction-benchmark, `evaluate.py`):
texts are tokenized into `\\w+` runs, cut into 4-token shingles (a multiset), and each page
gets TP/FP/FN normalized to sum to 1 so long pages weigh no more than short ones. Precision
and recall are averaged over pages; F1 is the harmonic mean of those two averages (not an
average of per-page F1s).

>>> s = score_page("the cat sat on the mat today", "the cat sat on the mat")
>>> round(s.precision, 2), round(s.recall, 2)
(0.75, 1.0)
>>> round(aggregate([s]).f1, 3)
0.857
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from presslens.errors import InputError

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

SHINGLE_SIZE = 4


def tokenize(text: str) -> list[str]:
    """The benchmark's tokenizer: runs of word characters, any language."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of `n`-token shingles; a text shorter than `n` tokens is one shingle."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


@dataclass(frozen=True)
class PageScore:
    """One page's shingle TP/FP/FN, normalized so they sum to 1 (0s when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


@dataclass(frozen=True)
class Scores:
    """Precision and recall averaged over pages, their F1, and how many pages were scored."""

    precision: float
    recall: float
    f1: float
    pages: int


def score_page(pred: str, true: str, n: int = SHINGLE_SIZE) -> PageScore:
    """Compare a predicted body with the ground truth, as the benchmark's `string_shingle_matching`."""
    true_sh = shingles(true, n)
    pred_sh = shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp, fp, fn)


def aggregate(scores: Iterable[PageScore]) -> Scores:
    """Average precision over pages that predicted something, recall over pages that have truth."""
    scores = list(scores)
    precisions = [s.precision for s in scores if s.tp + s.fp > 0]
    recalls = [s.recall for s in scores if s.tp + s.fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return Scores(precision=p, recall=r, f1=f1, pages=len(scores))


@dataclass(frozen=True)
class BenchmarkPage:
    """One page of an article-extraction data set: its key, URL, markup and true body."""

    key: str
    url: str | None
    html: str
    article_body: str


def _decode(data: bytes) -> str:
    # The benchmark's pages are UTF-8 almost always; fall back on charset detection otherwise.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


def load_pages(data_dir: Path) -> Iterator[BenchmarkPage]:
    """Read `ground-truth.json` and `html/KEY.html.gz` from a benchmark-shaped folder, keys sorted."""
    truth_path = data_dir / "ground-truth.json"
    if not truth_path.is_file():
        raise InputError(f"no ground-truth.json in {data_dir}")
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"unreadable ground truth {truth_path}: {exc}") from None
    for key in sorted(truth):
        path = data_dir / "html" / f"{key}.html.gz"
        if not path.is_file():
            path = data_dir / "html" / f"{key}.html"
        try:
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputError(f"unreadable page {path}: {exc}") from None
        entry = truth[key]
        yield BenchmarkPage(key, entry.get("url"), _decode(raw), entry.get("articleBody") or "")
