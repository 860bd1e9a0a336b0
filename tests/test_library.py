"""The Python front door: `presslens.load`, `analyze`, `extract`, `read` mirror the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

import presslens
from presslens.errors import InputError, UsageError


def test_the_full_default_pipeline_takes_a_fragment_of_html() -> None:
    doc = presslens.load()("<p>Hello</p>")
    assert doc.input_kind == "html" and doc.body is not None and doc.body.text == "Hello"
    assert doc.stages[-1] == "timeline"


def test_analyze_and_extract_return_what_the_cli_prints(example_path: Path) -> None:
    analysed = presslens.analyze(example_path)
    extracted = presslens.extract(example_path)
    assert analysed.techniques and analysed.entities and not extracted.techniques
    assert analysed.body == extracted.body and analysed.boilerplate == extracted.boilerplate
    assert analysed.metadata.original_source is not None
    assert analysed.metadata.original_source.name == "South Front"


def test_a_source_of_several_pages_is_refused_by_analyze_and_read_by_read(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"{i}.txt").write_text(f"Title {i}\n\nThe council met on Tuesday.\n")
    with pytest.raises(UsageError, match="several pages"):
        presslens.extract(tmp_path)
    docs = list(presslens.load(["anatomy"]).pipe(presslens.read(tmp_path)))
    assert sorted(Path(d.source).name for d in docs) == ["0.txt", "1.txt"]


def test_read_raises_the_error_of_an_unreadable_source(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(presslens.read(tmp_path / "missing.txt"))


def test_the_analyze_package_and_the_function_share_a_name_without_clashing(example_path: Path) -> None:
    import presslens.analyze.nlp  # sets the attribute presslens.analyze to the package

    assert presslens.analyze(example_path).source == str(example_path)
