"""`presslens techniques classify` and `presslens eval techniques`, as a user runs them
(a subprocess, so exit codes and stdout are the real ones)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.vocab import TECHNIQUES

# Every test runs a presslens process that loads the technique model: slow tests.
pytestmark = pytest.mark.slow


def presslens(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-c", "from presslens.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_classify_prints_one_tc_line_per_template_line(
    tiny_ptc: Path, tiny_template: Path, technique_model: object
) -> None:
    result = presslens(
        "techniques", "classify", "--articles", str(tiny_ptc / "articles"), "--spans", str(tiny_template)
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    template = tiny_template.read_text().splitlines()
    assert len(lines) == len(template)
    for got, asked in zip(lines, template, strict=True):
        aid, tech, start, end = got.split("\t")
        assert tech in TECHNIQUES
        assert [aid, start, end] == [asked.split("\t")[i] for i in (0, 2, 3)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\t?\t0\t99999\n", "past the article's end"),
        ("42\t?\t0\t4\n", "unknown article id"),
        ("1\t?\tx\t4\n", "integers"),
    ],
)
def test_classify_bad_spans_exit_3_with_one_line(
    tiny_ptc: Path, tmp_path: Path, line: str, message: str
) -> None:
    spans = tmp_path / "spans.txt"
    spans.write_text(line)
    result = presslens(
        "techniques", "classify", "--articles", str(tiny_ptc / "articles"), "--spans", str(spans)
    )
    assert result.returncode == 3
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_classify_missing_paths_exit_3(tmp_path: Path, tiny_template: Path) -> None:
    result = presslens(
        "techniques", "classify", "--articles", str(tmp_path / "nope"), "--spans", str(tiny_template)
    )
    assert result.returncode == 3 and "not found" in result.stderr
    result = presslens("eval", "techniques", "--data", str(tmp_path / "nope"))
    assert result.returncode == 3 and "not found" in result.stderr


def test_eval_prints_si_tc_flc_and_the_technique_table(
    tiny_ptc: Path, technique_model: object, tmp_path: Path
) -> None:
    out = tmp_path / "figures.json"
    result = presslens("eval", "techniques", "--data", str(tiny_ptc), "--json-out", str(out))
    assert result.returncode == 0, result.stderr
    for word in ("SI", "TC (micro)", "FLC", "Loaded language", "Name calling / labeling"):
        assert word in result.stdout
    figures = json.loads(out.read_text())
    product = figures["systems"]["product path"]
    assert product["articles"] == 2 and product["pooled"]["tc"]["n_gold"] == 8


def test_eval_cv_and_model_together_is_a_usage_error(tiny_ptc: Path, tmp_path: Path) -> None:
    result = presslens(
        "eval", "techniques", "--data", str(tiny_ptc), "--cv", str(tmp_path), "--model", str(tmp_path)
    )
    assert result.returncode == 2 and "not both" in result.stderr


def test_eval_cv_folder_without_fold_models_exits_3(tiny_ptc: Path, tmp_path: Path) -> None:
    (tmp_path / "folds.json").write_text('{"1": 0, "2": 1}')
    result = presslens("eval", "techniques", "--data", str(tiny_ptc), "--cv", str(tmp_path))
    assert result.returncode == 3 and "no model folder for fold 0" in result.stderr
