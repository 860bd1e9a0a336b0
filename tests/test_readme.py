"""The README's Python examples run, as written, from the repository root."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pycon_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```pycon\n(.*?)```", text, flags=re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(pycon_blocks()) >= 3


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    # One session for the whole section, as a reader types it: later blocks use earlier names.
    test = parser.get_doctest("\n".join(pycon_blocks()), {}, "README.md", "README.md", 0)
    runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, "".join(report)
    assert results.attempted >= 10
    assert os.getcwd() == str(ROOT)
