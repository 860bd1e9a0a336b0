"""`presslens eval techniques` scores exactly what `presslens analyze FILE` returns.

The identity is checked on real PTC articles: the technique spans of `analyze FILE --format
jsonl` are, span by span, what the evaluation scores. Offsets are mapped back to the file when
the analysed text differs from it, and cross-validation scores each article with its own
fold's model, beside baselines trained on the same folds.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from spacy.lang.en.stop_words import STOP_WORDS
from typer.testing import CliRunner

from presslens.analyze.techniques import evaluate as ev
from presslens.analyze.techniques.ptc import Article, GoldSpan, read_corpus
from presslens.analyze.techniques.scorers import merge_intervals
from presslens.cli import _register_commands, app
from presslens.document import RawPage

N_ARTICLES = 2


@pytest.fixture(scope="module")
def ptc(shared_dir: Path) -> Path:
    data = shared_dir / "data" / "ptc"
    if not (data / "articles").is_dir():
        pytest.skip(f"PTC data not found at {data}")
    return data


@pytest.fixture(scope="module")
def first_articles(ptc: Path) -> list[Article]:
    return read_corpus(ptc)[:N_ARTICLES]


def cli(*args: str) -> str:
    _register_commands()
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output


def analyze_spans(path: Path) -> list[tuple[str, int, int]]:
    """(technique, start, end) of every span `presslens analyze PATH --format jsonl` prints."""
    lines = [ln for ln in cli("analyze", str(path), "--format", "jsonl").splitlines() if ln.startswith("{")]
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["text"] == path.read_text(encoding="utf-8")  # plain text: offsets index the file
    return [(t["technique"], t["start"], t["end"]) for t in doc["techniques"]]


@pytest.mark.slow  # the full eval over the PTC sample
def test_eval_scores_exactly_what_analyze_returns(
    ptc: Path, first_articles: list[Article], technique_model: object, tmp_path: Path
) -> None:
    from presslens.analyze.techniques.runtime import get_model

    model = get_model()
    result = ev.evaluate(first_articles, ptc, lambda _: model)
    n_shown = 0
    for art in first_articles:
        shown = analyze_spans(ev.article_path(ptc, art.article_id))
        n_shown += len(shown)
        pred = result.predictions[art.article_id]
        assert sorted(shown) == sorted((s.technique, s.start, s.end) for s in pred.flc)
        assert sorted({(s, e) for _, s, e in shown}) == [(s.start, s.end) for s in pred.si]
        si, flc = ev.predict_article(art, ev.article_path(ptc, art.article_id), ev.product_pipeline(model))
        assert (si, flc) == (pred.si, pred.flc)
    assert n_shown > 0

    # The command prints and writes the same figures: as many merged spans as analyze showed.
    out = tmp_path / "figures.json"
    cli("eval", "techniques", "--data", str(ptc), "--limit", str(N_ARTICLES), "--json-out", str(out))
    pooled = json.loads(out.read_text())["systems"]["product path"]["pooled"]
    merged_si = merged_flc = 0
    for art in first_articles:
        shown = analyze_spans(ev.article_path(ptc, art.article_id))
        merged_si += len(merge_intervals((s, e) for _, s, e in shown))
        for tech in {t for t, _, _ in shown}:
            merged_flc += len(merge_intervals((s, e) for t, s, e in shown if t == tech))
    assert pooled["si"]["n_pred"] == merged_si
    assert pooled["flc"]["n_pred"] == merged_flc
    assert pooled["tc"]["n_gold"] == sum(len(a.spans) for a in first_articles)
    assert pooled["si"] == vars(result.report().si)


def _only_stop_words(text: str) -> bool:
    """Every word a stop word (contractions split as spaCy does: "isn't" = "is" + "n't")."""
    for word in re.findall(r"\w+(?:['’]\w+)*", text):
        w = word.lower().replace("’", "'")
        parts = [w[:-3], "n't"] if w.endswith("n't") else w.split("'", 1)
        if w in STOP_WORDS:
            continue
        if len(parts) == 2 and all(not p or p in STOP_WORDS or f"'{p}" in STOP_WORDS for p in parts):
            continue
        return False
    return True


def test_no_span_is_only_stop_words_or_punctuation(
    ptc: Path, first_articles: list[Article], technique_model: object
) -> None:
    from presslens.analyze.techniques.runtime import get_model

    model = get_model()
    pipeline = ev.product_pipeline(model)
    texts = []
    for art in first_articles:
        _, flc = ev.predict_article(art, ev.article_path(ptc, art.article_id), pipeline)
        texts += [art.text[s.start : s.end] for s in flc]
    assert texts
    assert [t for t in texts if _only_stop_words(t)] == []
    assert _only_stop_words("-- and") and _only_stop_words("isn't it") and not _only_stop_words("traitors")


# --- offsets: analysed text -> file ------------------------------------------------------------
def test_alignment_maps_spans_back_to_the_file() -> None:
    file_text = "\ufeffTraitors rule\r\n\r\nThe thugs came.\r\n"
    doc_text = "Traitors rule\n\nThe thugs came.\n"
    m = ev.align(doc_text, file_text)
    for word in ("Traitors", "thugs", "came."):
        s = doc_text.index(word)
        fs, fe = m.span(s, s + len(word)) or (0, 0)
        assert file_text[fs:fe] == word
    assert ev.align(file_text, file_text).span(3, 9) == (3, 9)
    assert ev.align("abc", "xyz").span(0, 3) is None


@dataclass(frozen=True)
class Flag:
    technique: str
    start: int
    end: int
    score: float = 0.9
    evidence: str = "fake"


class WordModel:
    """Flags one word wherever it occurs; labels every span Loaded_Language."""

    def __init__(self, word: str = "thugs") -> None:
        self.word = word
        self.texts: list[str] = []

    def find(self, text: str) -> list[Flag]:
        self.texts.append(text)
        return [Flag("Loaded_Language", m.start(), m.end()) for m in re.finditer(self.word, text)]

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[str]:
        return ["Loaded_Language"] * len(spans)


def test_predictions_are_in_file_offsets_when_the_reader_changes_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_text = (
        "\ufeffTraitors rule the land\r\n\r\nThe regime's thugs came at night, said the witnesses.\r\n"
    )
    path = tmp_path / "article9.txt"
    path.write_text(file_text, encoding="utf-8", newline="")
    # A reader that normalises (strips the BOM, CRLF -> LF): offsets must still index the file.
    normalised = file_text.lstrip("\ufeff").replace("\r\n", "\n")
    monkeypatch.setattr(ev, "read_page", lambda p: RawPage(source=str(p), kind="text", text=normalised))
    art = Article("9", file_text, [GoldSpan("9", "Loaded_Language", 0, 9)])
    si, flc = ev.predict_article(art, path, ev.product_pipeline(WordModel()))
    assert [file_text[s.start : s.end] for s in flc] == ["thugs"]
    assert [(s.start, s.end) for s in si] == [(s.start, s.end) for s in flc]


# --- cross-validation ---------------------------------------------------------------------------
def _cv_folder(tmp_path: Path, articles: list[Article], model_dir: Path | None) -> Path:
    cv = tmp_path / "cv"
    cv.mkdir()
    folds = {a.article_id: i % 2 for i, a in enumerate(articles)}
    (cv / "folds.json").write_text(json.dumps(folds))
    for k in (0, 1):
        if model_dir is None:
            (cv / f"fold{k}").mkdir()
        else:
            (cv / f"fold{k}").symlink_to(model_dir, target_is_directory=True)
    return cv


def test_cv_scores_each_article_with_its_own_folds_model(
    ptc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presslens.analyze.techniques.runtime import TechniqueModel

    articles = read_corpus(ptc)[:4]
    cv = _cv_folder(tmp_path, articles, None)
    loaded: dict[str, WordModel] = {}

    def load(cls: type, model_dir: Path | None = None) -> WordModel:
        loaded[Path(str(model_dir)).name] = WordModel("the")
        return loaded[Path(str(model_dir)).name]

    monkeypatch.setattr(TechniqueModel, "load", classmethod(load))
    out = tmp_path / "cv.json"
    text = cli("eval", "techniques", "--data", str(ptc), "--cv", str(cv), "--json-out", str(out))
    assert "product path" in text and "mean ± sd" in text
    assert sorted(loaded) == ["fold0", "fold1"]
    for k in (0, 1):
        mine = [a.text for i, a in enumerate(articles) if i % 2 == k]
        assert len(loaded[f"fold{k}"].texts) >= len(mine)
        for region in loaded[f"fold{k}"].texts:
            assert any(region in text for text in mine)
    figures = json.loads(out.read_text())
    assert figures["mode"] == "cv"
    assert set(figures["systems"]["product path"]["per_fold"]) == {"0", "1"}


@pytest.mark.slow  # the full eval over the PTC sample
@pytest.mark.filterwarnings("ignore:Label not :UserWarning")  # a technique absent from 3 articles
def test_cv_with_baselines_prints_one_table(ptc: Path, tmp_path: Path, technique_model: object) -> None:
    from presslens.analyze.techniques.runtime import default_model_dir

    corpus = tmp_path / "ptc"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "labels-tc").mkdir()
    articles = read_corpus(ptc)[:6]
    for a in articles:
        shutil.copy(ptc / "articles" / f"article{a.article_id}.txt", corpus / "articles")
        shutil.copy(ptc / "labels-tc" / f"article{a.article_id}.task2-TC.labels", corpus / "labels-tc")
    cv = _cv_folder(tmp_path, articles, default_model_dir())
    out = tmp_path / "cv.json"
    text = cli(
        "eval", "techniques", "--data", str(corpus), "--cv", str(cv), "--baselines", "--json-out", str(out)
    )
    for row in ("product path", "lexicon/rules", "TF-IDF + logistic", "majority (TC only)"):
        assert row in text
    figures = json.loads(out.read_text())
    assert list(figures["systems"]) == [
        "product path",
        "lexicon/rules",
        "TF-IDF + logistic",
        "majority (TC only)",
    ]
    for system in figures["systems"].values():
        assert set(system["per_fold"]) == {"0", "1"}
        assert set(system["mean"]) == {"si", "tc", "flc"}
        assert system["articles"] == 6
    one = tmp_path / "fold1.json"
    cli("eval", "techniques", "--data", str(corpus), "--cv", str(cv), "--fold", "1", "--json-out", str(one))
    assert json.loads(one.read_text())["systems"]["product path"]["articles"] == 3


def test_articles_sent_to_workers_get_the_predictions_of_one_process(
    ptc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tasks of one fold's model each, run in any order: the same predictions as `evaluate`."""
    from presslens.analyze.techniques.runtime import TechniqueModel

    articles = read_corpus(ptc)[:5]
    folds = {a.article_id: i % 2 for i, a in enumerate(articles)}
    models = {"fold0": WordModel("the"), "fold1": WordModel("said")}
    monkeypatch.setattr(TechniqueModel, "load", classmethod(lambda cls, d=None: models[Path(str(d)).name]))
    monkeypatch.setattr(ev, "_worker_models", {})
    sent: list[tuple[Path | None, int]] = []

    def backwards(fn, tasks):  # type: ignore[no-untyped-def]
        tasks = list(tasks)
        sent.extend((t.model_dir, len(t.articles)) for t in tasks)
        return map(fn, reversed(tasks))

    def model_dir_for(article_id: str) -> Path:
        return tmp_path / f"fold{folds[article_id]}"

    shown: list[str] = []
    spread = ev.evaluate_in_workers(
        articles, ptc, model_dir_for, backwards, folds, progress=lambda a: shown.append(a.article_id), chunk=2
    )
    one = ev.evaluate(articles, ptc, lambda aid: models[model_dir_for(aid).name], folds)
    assert sorted(sent, key=str) == sorted(
        [(tmp_path / "fold0", 2), (tmp_path / "fold0", 1), (tmp_path / "fold1", 2)], key=str
    )
    assert sorted(shown) == sorted(a.article_id for a in articles)
    assert spread.predictions == one.predictions
    assert spread.to_dict() == one.to_dict()


@pytest.mark.slow  # two worker processes load the shipped model
def test_eval_with_workers_gives_the_same_figures(ptc: Path, tmp_path: Path, technique_model: object) -> None:
    from presslens.analyze.techniques.runtime import default_model_dir

    cv = _cv_folder(tmp_path, read_corpus(ptc)[:4], default_model_dir())

    def product_path(*options: str) -> dict[str, object]:
        out = tmp_path / f"figures{len(options)}.json"
        cli("eval", "techniques", "--data", str(ptc), "--cv", str(cv), *options, "--json-out", str(out))
        figures: dict[str, object] = json.loads(out.read_text())["systems"]["product path"]
        return figures

    alone = product_path()
    assert alone["articles"] == 4
    assert product_path("--workers", "2") == alone


def test_figures_do_not_depend_on_the_order_predictions_arrive_in() -> None:
    # Workers return articles as they finish. SemEval's SI precision is a float sum over
    # predicted spans (here 0.1, 0.2 and 0.3 of one span each), and (0.1 + 0.2) + 0.3 is not
    # 0.1 + (0.2 + 0.3) in floating point: a pooled figure summed in arrival order changed in its
    # last digit between `--workers 2` and one process.
    text = "x" * 40
    articles = [Article(f"a{i}", text, [GoldSpan(f"a{i}", "Doubt", 0, 10)]) for i in (1, 2, 3)]
    predictions = [
        ev.ArticlePrediction(f"a{i}", [GoldSpan(f"a{i}", "Doubt", 10 - i, 20 - i)], []) for i in (1, 2, 3)
    ]
    forwards = ev.score(predictions, articles)
    assert ev.score(predictions[::-1], articles) == forwards
    assert ev.score(predictions[1:] + predictions[:1], articles) == forwards
