"""Fuzzing the command line's contract with a handful of generated files per run, each through a
real `presslens` process: exit code 0, 2, 3, 4 or 5; stderr at most one line; no traceback, no
"internal error", no stage crash turned into an input error; never a hang.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILES, fuzz
from tests.fuzz.strategies import input_file

FOLDER = Path(tempfile.mkdtemp(prefix="presslens-fuzz-cli-"))  # one per process, removed at exit
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
_COUNTER = itertools.count()
EXTRACT = [["extract", "--format", "json"], ["extract", "--format", "text"], ["extract", "--format", "html"]]
#: The quick run starts `extract` only (no models to load); the full one adds `analyze`.
COMMANDS = {"fuzz-quick": EXTRACT, "fuzz": [*EXTRACT, ["analyze", "--format", "jsonl"]]}
PROCESS_SECONDS = 180  # a cold start loads spaCy and the technique model; a hang takes longer


def run_cli(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presslens", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=PROCESS_SECONDS,
        stdin=subprocess.DEVNULL,
    )


def check_contract(done: subprocess.CompletedProcess[str]) -> None:
    stderr = done.stderr.strip()
    where = f"exit {done.returncode}, stderr {stderr[:2000]!r}"
    assert done.returncode in (0, 2, 3, 4, 5), where
    assert "Traceback" not in stderr and "internal error" not in stderr, where
    assert "could not be analysed (" not in stderr, f"a stage crashed: {where}"
    assert len(stderr.splitlines()) <= 1, where


@pytest.mark.parametrize("profile", PROFILES)
def test_cli_keeps_its_contract_on_generated_files(profile: str) -> None:
    def check(case: tuple[tuple[str, bytes], list[str]]) -> None:
        (suffix, content), command = case
        path = FOLDER / f"input{next(_COUNTER)}{suffix}"
        path.write_bytes(content)
        check_contract(run_cli([command[0], str(path), *command[1:]]))

    cases = st.tuples(input_file(), st.sampled_from(COMMANDS[profile]))
    fuzz(profile, cases, check, quick=3, full=60, shrink=False)
