"""Every exit path of `presslens analyze`/`extract` follows the contract (0 ok, 2 usage, 3 input,
4 fetch), with one line on stderr and never a traceback — run in-process through `main()`, the
function the `presslens` script calls, so the exit code is the one a shell sees."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from presslens.cli import main

PAGE = "Bridge closed\n\nThe council voted on Tuesday to close the old bridge for repairs.\n"


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["presslens", *args])
    with pytest.raises(SystemExit) as stop:
        main()
        raise SystemExit(0)  # main() returned: success
    out, err = capsys.readouterr()
    code = stop.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.fixture
def ok_page(tmp_path: Path) -> Path:
    path = tmp_path / "ok.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "x.txt", "--format", "nonsense"],
        ["extract", "--bogus"],
        ["no-such-command"],
        ["analyze", "x.txt", "--workers", "0"],
        ["analyze", "x.txt", "--stages", "no_such_stage"],
        ["analyze", "x.txt", "--stages", "quotes"],  # its requirement (parse, entities) is missing
    ],
)
def test_usage_errors_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(args, capsys, monkeypatch)
    assert code == 2, err
    assert "Traceback" not in err


def test_a_truncated_gzip_page_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cut = tmp_path / "page.html.gz"
    words = " ".join(f"word{i * 7919 % 10007}" for i in range(3000))  # does not compress to < 300 bytes
    cut.write_bytes(gzip.compress(f"<html><body><p>{words}</p></body></html>".encode())[:300])
    code, out, err = run(["extract", str(cut)], capsys, monkeypatch)
    assert code == 3 and out == ""
    assert err.strip().count("\n") == 0 and "truncated" in err


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "html"])
def test_mixed_inputs_output_every_readable_one_and_exit_with_the_worst_code(
    fmt: str,
    ok_page: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = run(["extract", str(ok_page), str(missing), "--format", fmt], capsys, monkeypatch)
    assert code == 3
    assert f"{missing}" in err and "Traceback" not in err
    assert "1 documents, 1 failed" in err
    if fmt in ("json", "jsonl"):  # several inputs: one Document per line
        (line,) = out.splitlines()
        assert json.loads(line)["source"] == str(ok_page)
    elif fmt == "html":
        assert "The council voted" in out and out.lstrip().startswith("<!")
    else:
        assert "The council voted" in out


def test_a_refused_fetch_beside_a_missing_file_exits_with_the_worse_code_4(
    ok_page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The safe fetcher refuses a loopback address before connecting: no traffic leaves.
    args = [
        "extract",
        str(ok_page),
        str(tmp_path / "missing.txt"),
        "http://127.0.0.1:9/page",
        "--format",
        "jsonl",
    ]
    code, out, err = run(args, capsys, monkeypatch)
    assert code == 4
    assert len(out.splitlines()) == 1
    assert "1 documents, 2 failed" in err


def test_one_good_input_exits_0(
    ok_page: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(["extract", str(ok_page), "--format", "json"], capsys, monkeypatch)
    assert code == 0, err
    assert json.loads(out)["body"]["text"].startswith("The council voted")
