"""`presslens train techniques` runs its two trainings in spawned processes: they must end
with it, and a failure must name the stage that failed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from presslens.train.pipeline import side_by_side

ROOT = Path(__file__).resolve().parents[2]


def sleeper(pid_file: Path) -> None:
    """A stand-in for a training: says who it is, then runs for a long time."""
    pid_file.write_text(str(os.getpid()))
    time.sleep(120)


def quick(done: Path) -> None:
    done.write_text("done")


def fails() -> None:
    raise ValueError("no GPU here")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (dead, not yet reaped by init) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def _wait_for(predicate: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_terminating_the_parent_ends_both_trainings(tmp_path: Path) -> None:
    files = [tmp_path / "tagger.pid", tmp_path / "classifier.pid"]
    script = (
        "from pathlib import Path\n"
        "from presslens.train.pipeline import side_by_side\n"
        "from tests.train.test_side_by_side import sleeper\n"
        "if __name__ == '__main__':\n"
        f"    side_by_side([(sleeper, (Path({str(files[0])!r}),)), (sleeper, (Path({str(files[1])!r}),))])\n"
    )
    (tmp_path / "parent.py").write_text(script)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], env=env, cwd=ROOT)
    try:
        assert _wait_for(lambda: all(f.exists() and f.read_text() for f in files)), "jobs never started"
        children = [int(f.read_text()) for f in files]
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) != 0
        assert _wait_for(lambda: not any(_alive(pid) for pid in children), 15), "orphaned trainings"
    finally:
        parent.kill()
        for f in files:
            if f.exists() and f.read_text():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(f.read_text()), signal.SIGKILL)


def test_a_failed_stage_is_named_after_the_other_finishes(tmp_path: Path) -> None:
    done = tmp_path / "done"
    with pytest.raises(RuntimeError, match=r"test_side_by_side\.fails \(exit 1\)"):
        side_by_side([(fails, ()), (quick, (done,))])
    assert done.read_text() == "done"
