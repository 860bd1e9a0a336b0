"""End to end through the command line, as a user runs it (subprocess: real exit codes)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _no_network_prefix() -> list[str]:
    """`unshare -n` runs the command in a namespace with no network at all, when permitted."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def presslens(
    *args: str, stdin: bytes | None = None, timeout: float = 300, offline: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    prefix = _no_network_prefix() if offline else []
    return subprocess.run(
        [*prefix, sys.executable, "-c", "from presslens.cli import main; main()", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="module")
def example_json(example_path: Path) -> dict:
    result = presslens("extract", str(example_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_extract_takes_the_example_page_apart(example_json: dict) -> None:
    md = example_json["metadata"]
    assert md["title"] == "Video: Qassem Soleimani: Martyr of Iranian Revolution"
    assert md["authors"] == ["South Front"]
    assert md["publisher"] == "Global Research"
    assert md["published"] == "2020-01-07"
    assert md["original_source"]["name"] == "South Front"
    assert md["original_source"]["published"] == "2020-01-06"
    tags = {(t["kind"], t["value"]) for t in md["tags"]}
    assert {
        ("region", "Middle East & North Africa"),
        ("theme", "US NATO War Agenda"),
        ("report", "IRAN: THE NEXT WAR?"),
    } <= tags
    assert any(m["kind"] == "video" and m["url"].endswith("06_01_20_FPD_Soleimani.mp4") for m in md["media"])
    funding = " ".join(f"{f['channel']} {f['value']}" for f in md["funding"]).lower()
    for needle in ("paypal southfront@list.ru", "southfront.org/donate", "patreon.com/southfront"):
        assert needle in funding
    assert any(c["value"] == "publications@globalresearch.ca" for c in md["contacts"])


def test_extract_separates_body_from_wrapper(example_json: dict) -> None:
    body = example_json["body"]
    assert body["text"].lstrip("*").startswith("For the first time in the history of Iran")
    assert body["text"].rstrip("*\n ").endswith("declaration of war.")
    assert example_json["text"][body["start"] : body["end"]] == body["text"]
    for wrapper_word in ("PayPal", "share buttons", "Copyright", "fair use", "Disclaimer"):
        assert wrapper_word not in body["text"]
    kinds = {b["kind"] for b in example_json["boilerplate"]}
    assert {
        "share_appeal",
        "donation_appeal",
        "attribution",
        "copyright",
        "comments",
        "membership",
        "disclaimer",
        "fair_use",
        "contact",
    } <= kinds


def test_plain_text_offsets_index_the_input_exactly(example_json: dict, example_path: Path) -> None:
    assert example_json["text"] == example_path.read_text(encoding="utf-8")


def test_html_report_is_written_to_a_file(tmp_path: Path, example_path: Path) -> None:
    out = tmp_path / "report.html"
    result = presslens("extract", str(example_path), "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Qassem Soleimani" in html and 'class="wrapper"' in html


def test_stdin_is_read_when_input_is_dash(example_path: Path) -> None:
    result = presslens("extract", "-", "--format", "json", stdin=example_path.read_bytes())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"] == "-"


def test_several_inputs_give_one_document_per_line(tmp_path: Path, example_path: Path) -> None:
    (tmp_path / "b.txt").write_text(
        "A short second page.\n\nWith a body paragraph that is prose.", encoding="utf-8"
    )
    result = presslens("extract", str(example_path), str(tmp_path / "b.txt"), "--format", "json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in lines] == [str(example_path), str(tmp_path / "b.txt")]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", 3),
        ("junk.bin", bytes(range(256)) * 64, 3),
        (
            "cut.html.gz",
            gzip.compress(b"<html><body><p>" + bytes(range(32, 127)) * 500 + b"</p></body></html>")[:-30],
            3,
        ),
    ],
)
def test_bad_input_is_one_line_and_its_exit_code(
    tmp_path: Path, name: str, content: bytes, code: int
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = presslens("extract", str(path))
    assert result.returncode == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_an_input_error() -> None:
    result = presslens("extract", "/nonexistent/page.html")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1/admin", "http://169.254.169.254/latest/meta-data/"])
def test_private_and_metadata_urls_are_refused_before_connecting(url: str) -> None:
    # Run in a network namespace without interfaces where possible, so even a bug could not
    # send a packet; the refusal must come from the guard, before any connection.
    result = presslens("extract", url, offline=True)
    assert result.returncode == 4, result.stderr
    assert "refused: private address" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_stage_is_a_usage_error(example_path: Path) -> None:
    result = presslens("analyze", str(example_path), "--stages", "anatomy,nope")
    assert result.returncode == 2
    assert "unknown stage 'nope'" in result.stderr


@pytest.mark.slow  # analyses the whole held-out gold set in a process
def test_eval_analyze_scores_the_held_out_gold_set(shared_dir: Path) -> None:
    gold = Path(__file__).resolve().parents[1] / "data" / "gold" / "heldout"
    result = presslens(
        "eval", "analyze", "--gold", str(gold), "--articles", str(shared_dir / "data/ptc/articles")
    )
    assert result.returncode == 0, result.stderr
    assert "entity clusters" in result.stdout and "dates (value)" in result.stdout


def test_eval_analyze_errors_lists_errors_then_scores(tmp_path: Path, shared_dir: Path) -> None:
    gold = Path(__file__).resolve().parents[1] / "data" / "gold" / "article111111111.json"
    shutil.copy(gold, tmp_path / gold.name)
    result = presslens(
        "eval",
        "analyze",
        "--gold",
        str(tmp_path),
        "--articles",
        str(shared_dir / "data/ptc/articles"),
        "--errors",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "== error classes" in out and "entity clusters" in out
    assert out.index("== error classes") < out.index("entity clusters")


def test_eval_analyze_on_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    result = presslens("eval", "analyze", "--gold", str(tmp_path / "nope"))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
