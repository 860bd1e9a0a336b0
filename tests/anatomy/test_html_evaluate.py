"""The extraction scorer, `presslens eval extraction`, and the benchmark against trafilatura.

The scorer must give the Scrapinghub benchmark's numbers: 4-token shingles of `\\w+` tokens,
per-page TP/FP/FN normalized to sum to 1, precision and recall averaged over pages, F1 of the
two averages.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import sys
from pathlib import Path
from types import ModuleType

import pytest
import trafilatura
from typer.testing import CliRunner

from presslens.anatomy.evaluate import aggregate, load_pages, score_page, shingles, tokenize
from presslens.document import RawPage
from presslens.errors import InputError
from presslens.pipeline import EXTRACT_STAGES, Pipeline

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "anatomy" / "html"


def test_tokens_and_shingles_follow_the_benchmark() -> None:
    assert tokenize("Don't stop—2,5 ok.") == ["Don", "t", "stop", "2", "5", "ok"]
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("short text") == {("short", "text"): 1}  # fewer than 4 tokens: one shingle
    assert shingles("") == {}


def test_page_scores() -> None:
    exact = score_page("one two three four five", "one two three four five")
    assert (exact.precision, exact.recall) == (1.0, 1.0)
    extra = score_page("a b c d e", "a b c d")  # tp 1, fp 1, fn 0 → normalized to halves
    assert (extra.tp, extra.fp, extra.fn) == (0.5, 0.5, 0.0)
    assert (extra.precision, extra.recall) == (0.5, 1.0)
    nothing = score_page("", "a b c d")
    assert (nothing.precision, nothing.recall) == (0.0, 0.0)
    assert score_page("", "").precision == 1.0  # both empty: the benchmark counts a hit


def test_aggregate_averages_over_pages_then_takes_f1() -> None:
    pages = [score_page("a b c d e", "a b c d"), score_page("", "w x y z")]
    total = aggregate(pages)
    # the empty prediction has no precision to average (tp + fp == 0), but zero recall
    assert total.precision == pytest.approx(0.5)
    assert total.recall == pytest.approx(0.5)
    assert total.f1 == pytest.approx(0.5)
    assert total.pages == 2


def make_dataset(folder: Path, pages: dict[str, tuple[str, str]]) -> Path:
    (folder / "html").mkdir(parents=True)
    truth = {}
    for key, (markup, body) in pages.items():
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(markup.encode("utf-8")))
        truth[key] = {"url": f"https://example.org/{key}", "articleBody": body}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    gr = (FIXTURES / "globalresearch-soleimani.html").read_text(encoding="utf-8")
    doc = Pipeline.from_names(EXTRACT_STAGES)(RawPage(source="gr", kind="html", text=gr))
    assert doc.body is not None
    blog = (
        "<html><body><h1>Notes</h1>"
        + "".join(
            f"<p>Entry {n}: the garden grew tomatoes, beans and a stubborn pumpkin this year.</p>"
            for n in range(8)
        )
        + "<footer>Copyright 2020 Notes</footer></body></html>"
    )
    blog_body = "\n".join(
        f"Entry {n}: the garden grew tomatoes, beans and a stubborn pumpkin this year." for n in range(8)
    )
    return make_dataset(tmp_path / "data", {"gr": (gr, doc.body.text), "blog": (blog, blog_body)})


def test_load_pages_reads_gzip_and_truth(dataset: Path) -> None:
    pages = list(load_pages(dataset))
    assert [p.key for p in pages] == ["blog", "gr"]
    assert pages[1].html.startswith("<!DOCTYPE html>") and pages[1].url == "https://example.org/gr"


def test_load_pages_errors_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no ground-truth\.json"):
        list(load_pages(tmp_path))
    folder = make_dataset(tmp_path / "broken", {"a": ("<p>x</p>", "x")})
    (folder / "html" / "a.html.gz").write_bytes(gzip.compress(b"<p>x</p>" * 100)[:20])
    with pytest.raises(InputError, match="unreadable page"):
        list(load_pages(folder))


def test_cli_eval_extraction(dataset: Path) -> None:
    import presslens.cli.extraction  # noqa: F401  (registers the command)
    from presslens.cli import app

    result = CliRunner().invoke(app, ["eval", "extraction", "--data", str(dataset), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["pages"] == 2
    assert figures["f1"] > 0.95
    table = CliRunner().invoke(app, ["eval", "extraction", "--data", str(dataset)])
    assert "presslens article-body extraction" in table.output and "F1" in table.output


def _benchmark_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extraction_benchmark", REPO / "benchmarks" / "extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_benchmark_script_prints_a_table(
    dataset: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bench = _benchmark_module()
    out = tmp_path / "figures.json"
    assert bench.main(["--data", str(dataset), "--tools", "presslens,trafilatura", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "presslens vs trafilatura (default): F1" in printed and "throughput ×" in printed
    figures = json.loads(out.read_text())
    assert set(figures) == {"presslens", "trafilatura"}
    assert figures["presslens"]["f1"] > 0.95
    assert figures["presslens"]["cpu_ms_per_page"] > 0  # CPU time: steadier than pages/s under load


@pytest.mark.slow  # large input: the whole shared benchmark, twice
def test_presslens_beats_trafilatura_on_the_shared_benchmark(shared_dir: Path) -> None:
    data = shared_dir / "data" / "article-extraction"
    if not (data / "ground-truth.json").is_file():
        pytest.skip("the article-extraction data is not in ../shared")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    ours, theirs = [], []
    extract = Pipeline.from_names(EXTRACT_STAGES)
    for page in load_pages(data):
        doc = extract(RawPage(source=page.key, kind="html", text=page.html, url=page.url))
        ours.append(score_page(doc.body.text if doc.body else "", page.article_body))
        theirs.append(score_page(trafilatura.extract(page.html, url=page.url) or "", page.article_body))
    assert aggregate(ours).f1 >= aggregate(theirs).f1 + 0.01
