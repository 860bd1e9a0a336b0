"""The technique model scored on the product path: what `presslens analyze FILE` returns.

Where it sits: behind `presslens eval techniques`. Each PTC article file is read by the same
reader as `presslens analyze FILE` (`presslens.ingest.read_sources`) and run through the same
stages (`anatomy`, then `techniques`); the spans that land in `Document.techniques` are what
is scored — SI: their distinct (start, end); FLC: the spans with their techniques. TC labels
the gold spans with `model.classify(article_text, gold_spans)`. Offsets are mapped from
`Document.text` back to the file (`align`); for plain-text files the two are the same text.

Cross-validation: each article is scored with the model of its own fold (a CV folder holds
`folds.json` and `fold0/ … foldK/`, one model folder per fold), and the baselines are trained on
the other folds' articles, so every figure is from articles the scored system never saw.

>>> from presslens.analyze.techniques.runtime import TechniqueModel   # doctest: +SKIP
>>> arts = read_corpus(Path("../shared/data/ptc"))[:5]                  # doctest: +SKIP
>>> model = TechniqueModel.load(None)                                   # doctest: +SKIP
>>> evaluate(arts, Path("../shared/data/ptc"), lambda aid: model).report().si.f1  # doctest: +SKIP
0.38…
"""

from __future__ import annotations

import difflib
import json
import statistics
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from presslens.analyze.techniques.ptc import UNKNOWN, Article, GoldSpan
from presslens.analyze.techniques.scorers import (
    Report,
    expected_calibration_error,
    overlaps_any,
    score_all,
    si_score,
)
from presslens.analyze.techniques.stage import SpanFinder, TechniquesStage
from presslens.document import RawPage
from presslens.errors import InputError
from presslens.pipeline import Pipeline, Stage, create_stage, expand
from presslens.vocab import TECHNIQUES

PRODUCT_STAGES: tuple[str, ...] = ("anatomy", "techniques")
TASKS: tuple[str, ...] = ("si", "tc", "flc")


class TechniqueTagger(SpanFinder, Protocol):
    """The model calls the evaluation makes: `find` (through the stage) and `classify` (TC)."""

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]: ...


class Baseline(Protocol):
    """A scikit-learn-shaped baseline (`presslens.analyze.techniques.baselines`)."""

    def fit(self, articles: Sequence[Article]) -> Any: ...
    def predict_spans(self, article: Article) -> list[GoldSpan]: ...
    def classify(self, article: Article, spans: Sequence[GoldSpan]) -> list[GoldSpan]: ...


# --- reading and running, as `presslens analyze FILE` does ---------------------------------
def article_path(data_dir: Path, article_id: str) -> Path:
    return Path(data_dir) / "articles" / f"article{article_id}.txt"


def read_page(path: Path) -> RawPage:
    """The `RawPage` `presslens analyze PATH` makes of a file (same reader, same checks)."""
    from presslens.ingest import ReadFailure, read_sources

    items = list(read_sources([path]))
    if len(items) != 1:
        raise InputError(f"{path}: read as {len(items)} pages, expected one")
    item = items[0]
    if isinstance(item, ReadFailure):
        raise item.error
    return item


def anatomy_stages() -> list[Stage]:
    """The anatomy group's stages, built once and shared by the pipelines of several models."""
    return [create_stage(name) for name in expand(["anatomy"])]


def product_pipeline(model: SpanFinder, anatomy: Sequence[Stage] | None = None) -> Pipeline:
    """The anatomy stages + `techniques`, as `presslens analyze` runs them, with the given model."""
    return Pipeline([*(anatomy if anatomy is not None else anatomy_stages()), TechniquesStage(model=model)])


# --- offsets: Document.text -> the file as read -----------------------------------------
@dataclass(frozen=True)
class OffsetMap:
    """Monotone map of `Document.text` offsets to file offsets: `pairs` are the (doc, file)
    positions of characters the two texts share, in order. Identity when the texts are equal.

    >>> m = align("Title\\n\\nBody", "\\ufeffTitle\\r\\n\\r\\nBody")
    >>> m.span(7, 11), m.span(0, 5)
    ((10, 14), (1, 6))
    """

    identity: bool
    doc_pos: list[int] = field(default_factory=list)
    file_pos: list[int] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """File offsets of the shared characters of doc[start:end]; None when none is shared."""
        if self.identity:
            return (start, end)
        i = bisect_left(self.doc_pos, start)
        j = bisect_left(self.doc_pos, end) - 1
        if i > j:
            return None
        return (self.file_pos[i], self.file_pos[j] + 1)


def align(doc_text: str, file_text: str) -> OffsetMap:
    """Align the analysed text to the file (difflib, no junk heuristic)."""
    if doc_text == file_text:
        return OffsetMap(identity=True)
    doc_pos: list[int] = []
    file_pos: list[int] = []
    matcher = difflib.SequenceMatcher(None, doc_text, file_text, autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        doc_pos.extend(range(a, a + n))
        file_pos.extend(range(b, b + n))
    return OffsetMap(identity=False, doc_pos=doc_pos, file_pos=file_pos)


# --- predictions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticlePrediction:
    """One system's output on one article, in file offsets: labelled spans and TC labels."""

    article_id: str
    flc: list[GoldSpan]
    tc: list[GoldSpan]
    scores: dict[GoldSpan, float] = field(default_factory=dict)  # FLC span -> calibrated score

    @property
    def si(self) -> list[GoldSpan]:
        """SI: the distinct (start, end) of the labelled spans."""
        return [
            GoldSpan(self.article_id, UNKNOWN, s, e) for s, e in sorted({(x.start, x.end) for x in self.flc})
        ]


def predict_article(
    article: Article, path: Path, pipeline: Pipeline, scores: dict[GoldSpan, float] | None = None
) -> tuple[list[GoldSpan], list[GoldSpan]]:
    """(SI, FLC) spans of `presslens analyze PATH`'s Document, in offsets of `article.text`;
    each FLC span's score is put in `scores` when given."""
    doc = pipeline(read_page(path))
    to_file = align(doc.text, article.text)
    flc: set[GoldSpan] = set()
    for t in doc.techniques:
        span = to_file.span(t.start, t.end)
        if span is not None:
            g = GoldSpan(article.article_id, t.technique, *span)
            flc.add(g)
            if scores is not None:
                scores[g] = max(scores.get(g, 0.0), t.score)
    si = {GoldSpan(article.article_id, UNKNOWN, s.start, s.end) for s in flc}
    return sorted(si), sorted(flc)


def classify_gold(article: Article, model: TechniqueTagger) -> list[GoldSpan]:
    """TC: the model's technique for each gold span (a span listed k times gets k labels)."""
    labels = model.classify(article.text, [(s.start, s.end) for s in article.spans])
    return [GoldSpan(s.article_id, t, s.start, s.end) for s, t in zip(article.spans, labels, strict=True)]


# --- scoring ----------------------------------------------------------------------------------
def score(preds: Iterable[ArticlePrediction], articles: Sequence[Article]) -> Report:
    """SI, TC, FLC and the per-technique table of `preds` against the gold of `articles`, in the
    order of `articles` whatever the order of `preds`: the scorers sum floats, and workers hand
    predictions back as they finish."""
    by_id = {p.article_id: p for p in preds}
    chosen = [by_id[a.article_id] for a in articles if a.article_id in by_id]
    gold = [s for a in articles for s in a.spans]
    flc = [s for p in chosen for s in p.flc]
    tc = [s for p in chosen for s in p.tc]
    rep = score_all(flc, tc, gold)
    return Report(si_score([s for p in chosen for s in p.si], gold), rep.tc, rep.flc, rep.rows)


@dataclass
class Evaluation:
    """One system's predictions on scored articles, grouped by fold (one group when no CV)."""

    name: str
    articles: list[Article]
    predictions: dict[str, ArticlePrediction]
    folds: dict[str, int] = field(default_factory=dict)

    def report(self, fold: int | None = None) -> Report:
        arts = [a for a in self.articles if fold is None or self.folds.get(a.article_id) == fold]
        return score(self.predictions.values(), arts)

    @property
    def fold_ids(self) -> list[int]:
        return sorted({self.folds[a.article_id] for a in self.articles if a.article_id in self.folds})

    def per_fold(self) -> dict[int, Report]:
        return {k: self.report(k) for k in self.fold_ids}

    def mean_sd(self) -> dict[str, tuple[float, float]]:
        """Mean and sample sd over folds of each task's F1 (sd 0 with one fold)."""
        reps = list(self.per_fold().values())
        out = {}
        for task in TASKS:
            vals = [getattr(r, task).f1 for r in reps]
            out[task] = (
                statistics.fmean(vals) if vals else 0.0,
                statistics.stdev(vals) if len(vals) > 1 else 0.0,
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """Pooled report, one report per fold, and F1 mean/sd over folds (None without folds)."""
        per_fold = self.per_fold()
        mean_sd = self.mean_sd() if per_fold else None
        return {
            "articles": len(self.articles),
            "pooled": report_dict(self.report()),
            "per_fold": {str(k): report_dict(r) | {"articles": self._n(k)} for k, r in per_fold.items()},
            "mean": {t: m for t, (m, _) in mean_sd.items()} if mean_sd else None,
            "sd": {t: s for t, (_, s) in mean_sd.items()} if mean_sd else None,
            "ece": self.calibration_error(),
        }

    def calibration_error(self) -> float | None:
        """ECE (10 bins) of the span scores: does a span scored p overlap a gold span of its
        technique a share p of the time? None when the system gives no scores."""
        gold: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for a in self.articles:
            for g in a.spans:
                gold.setdefault((a.article_id, g.technique), []).append((g.start, g.end))
        probs, hits = [], []
        for a in self.articles:
            pred = self.predictions.get(a.article_id)
            for span, p in pred.scores.items() if pred else ():
                probs.append(p)
                hits.append(overlaps_any(span.start, span.end, gold.get((a.article_id, span.technique), [])))
        return expected_calibration_error(probs, hits) if probs else None

    def _n(self, fold: int) -> int:
        return sum(self.folds.get(a.article_id) == fold for a in self.articles)


def report_dict(rep: Report) -> dict[str, Any]:
    return {
        "si": vars(rep.si),
        "tc": vars(rep.tc),
        "flc": vars(rep.flc),
        "per_technique": {
            r.technique: {
                "support": r.support,
                "tc_p": r.tc.precision,
                "tc_r": r.tc.recall,
                "tc_f1": r.tc.f1,
                "flc_f1": r.flc.f1,
            }
            for r in rep.rows
        },
    }


def evaluate(
    articles: Sequence[Article],
    data_dir: Path,
    model_for: Callable[[str], TechniqueTagger],
    folds: dict[str, int] | None = None,
    name: str = "product path",
    progress: Callable[[Article], None] | None = None,
) -> Evaluation:
    """Score the product path: each article's file analysed with `model_for(article_id)`'s
    pipeline (one pipeline per model, one shared anatomy stage)."""
    anatomy = anatomy_stages()
    pipelines: dict[int, Pipeline] = {}
    preds: dict[str, ArticlePrediction] = {}
    for a in articles:
        model = model_for(a.article_id)
        pipeline = pipelines.get(id(model))
        if pipeline is None:
            pipeline = pipelines[id(model)] = product_pipeline(model, anatomy)
        preds[a.article_id] = _predict(a, data_dir, model, pipeline)
        if progress is not None:
            progress(a)
    return Evaluation(name, list(articles), preds, dict(folds or {}))


def _predict(
    article: Article, data_dir: Path, model: TechniqueTagger, pipeline: Pipeline
) -> ArticlePrediction:
    scores: dict[GoldSpan, float] = {}
    _, flc = predict_article(article, article_path(data_dir, article.article_id), pipeline, scores)
    return ArticlePrediction(article.article_id, flc, classify_gold(article, model), scores)


@dataclass(frozen=True)
class PredictionTask:
    """One unit of `evaluate_in_workers`: a few articles, all scored by one model folder
    (None: the shipped model)."""

    data_dir: Path
    model_dir: Path | None
    articles: tuple[Article, ...]


# A worker's loaded models and their pipelines, by model folder: loaded once per process.
_worker_models: dict[Path | None, tuple[TechniqueTagger, Pipeline]] = {}


def predict_task(task: PredictionTask) -> list[ArticlePrediction]:
    """Run where the task is sent (a worker process): its articles through the product path."""
    loaded = _worker_models.get(task.model_dir)
    if loaded is None:
        from presslens.analyze.techniques.runtime import TechniqueModel, get_model

        fresh = get_model() if task.model_dir is None else TechniqueModel.load(task.model_dir)
        loaded = _worker_models[task.model_dir] = (fresh, product_pipeline(fresh))
    model, pipeline = loaded
    return [_predict(a, task.data_dir, model, pipeline) for a in task.articles]


MapTasks = Callable[
    [Callable[[PredictionTask], list[ArticlePrediction]], Iterable[PredictionTask]],
    Iterable[list[ArticlePrediction]],
]


def evaluate_in_workers(
    articles: Sequence[Article],
    data_dir: Path,
    model_dir_for: Callable[[str], Path | None],
    map_tasks: MapTasks,
    folds: dict[str, int] | None = None,
    name: str = "product path",
    progress: Callable[[Article], None] | None = None,
    chunk: int = 8,
) -> Evaluation:
    """`evaluate` with the articles sent out in tasks of `chunk` articles of one model folder;
    `map_tasks(fn, tasks)` runs them anywhere and yields results in any order (an engine's
    `map_unordered`). The figures are `evaluate`'s: a text's findings depend on that text alone
    (one window, one span a network call), not on what else a worker was given."""
    groups: dict[Path | None, list[Article]] = {}
    for a in articles:
        groups.setdefault(model_dir_for(a.article_id), []).append(a)
    tasks = [
        PredictionTask(data_dir, model_dir, tuple(group[i : i + chunk]))
        for model_dir, group in groups.items()
        for i in range(0, len(group), chunk)
    ]
    by_id = {a.article_id: a for a in articles}
    preds: dict[str, ArticlePrediction] = {}
    for done in map_tasks(predict_task, tasks):
        for p in done:
            preds[p.article_id] = p
            if progress is not None:
                progress(by_id[p.article_id])
    return Evaluation(name, list(articles), preds, dict(folds or {}))


# --- baselines on the same folds ------------------------------------------------------------
class MajorityBaseline:
    """TC only: every span gets the technique most frequent in training; finds no spans."""

    def __init__(self) -> None:
        self.majority_: str = TECHNIQUES[0]

    def fit(self, articles: Sequence[Article]) -> MajorityBaseline:
        counts = Counter(s.technique for a in articles for s in a.spans)
        if counts:
            self.majority_ = max(TECHNIQUES, key=lambda t: counts[t])
        return self

    def predict_spans(self, article: Article) -> list[GoldSpan]:
        return []

    def classify(self, article: Article, spans: Sequence[GoldSpan]) -> list[GoldSpan]:
        return [GoldSpan(s.article_id, self.majority_, s.start, s.end) for s in spans]


def baseline_factories() -> dict[str, Callable[[], Baseline]]:
    """The baselines `--baselines` scores beside the product path, by name."""
    from presslens.analyze.techniques.baselines import LexiconBaseline, TfidfBaseline

    return {
        "lexicon/rules": LexiconBaseline,
        "TF-IDF + logistic": TfidfBaseline,
        "majority (TC only)": MajorityBaseline,
    }


TC_ONLY: frozenset[str] = frozenset({"majority (TC only)"})


def cross_validate_baseline(
    name: str,
    make: Callable[[], Baseline],
    scored: Sequence[Article],
    corpus: Sequence[Article],
    folds: dict[str, int],
) -> Evaluation:
    """Score `scored` articles fold by fold, each fold with a baseline fitted on the articles of
    `corpus` in the other folds (articles without a fold are never trained on)."""
    preds: dict[str, ArticlePrediction] = {}
    for k in sorted({folds[a.article_id] for a in scored if a.article_id in folds}):
        train = [a for a in corpus if a.article_id in folds and folds[a.article_id] != k]
        est = make().fit(train)
        for a in scored:
            if folds.get(a.article_id) == k:
                preds[a.article_id] = ArticlePrediction(
                    a.article_id, est.predict_spans(a), est.classify(a, a.spans)
                )
    return Evaluation(name, [a for a in scored if a.article_id in preds], preds, dict(folds))


# --- CV folders ---------------------------------------------------------------------------
def read_folds(path: Path) -> dict[str, int]:
    """`folds.json`: {article_id: fold}."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in raw.items()}
    except FileNotFoundError:
        raise InputError(f"no fold assignment at {path}") from None
    except (ValueError, AttributeError, TypeError) as exc:
        raise InputError(f"{path}: not a {{article_id: fold}} JSON object ({exc})") from None


def cv_model_dirs(cv_dir: Path, folds: dict[str, int]) -> dict[int, Path]:
    """fold -> model folder (`cv_dir/fold<k>/`) for every fold named in `folds`."""
    out = {}
    for k in sorted(set(folds.values())):
        d = cv_dir / f"fold{k}"
        if not d.is_dir():
            raise InputError(f"no model folder for fold {k}: {d}")
        out[k] = d
    return out


def summary_dict(evaluations: Sequence[Evaluation], **about: Any) -> dict[str, Any]:
    """Everything `--json-out` writes: per system, pooled, per fold, mean and sd over folds."""
    return about | {"systems": {e.name: e.to_dict() for e in evaluations}}
