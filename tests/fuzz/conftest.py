"""Hypothesis profiles for the fuzz tests: a quick run in the default suite, a long one under `slow`.

Every fuzz test takes a `profile` parameter with two values: `quick` (a few dozen cases, part of
`python -m pytest -q`) and `full` (marked `slow` and `fuzz`, run by `pytest -m fuzz`; together
the full runs make well over 10,000 cases). `PRESSLENS_FUZZ_SCALE` multiplies the full runs'
case counts (`PRESSLENS_FUZZ_SCALE=0.1` for a rehearsal, `10` for a night).
`PRESSLENS_FUZZ_DERANDOMIZE=1` draws the same cases on every run (Hypothesis's `derandomize`):
`.ci/run` sets it, so a landing is judged on the cases a clean run here already passed, while a
run by hand (unset) explores new ones.

Hangs are caught per case by `tests.fuzz.invariants.time_limit`, not by Hypothesis's
`deadline`: a deadline only judges a case after it returns, and on two busy cores a slow but
finite case would be reported as flaky.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

# Imported whole before any pipeline exists: anatomy loads the language detector (which imports
# numpy) in a background thread, and Hypothesis's `sampled_from` looks at `sys.modules["numpy"]`;
# caught mid-import, that module has no `ndarray` yet and the strategy fails to build.
import numpy  # noqa: F401
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

# No example database: every fuzz test runs its cases through one inner function (below), whose
# database key would be shared between tests; a failure prints its reproduction blob instead.
_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": _SUPPRESSED,
    "print_blob": True,
    "database": None,
    "derandomize": os.environ.get("PRESSLENS_FUZZ_DERANDOMIZE", "") == "1",
}
settings.register_profile("fuzz-quick", max_examples=20, **_COMMON)
settings.register_profile("fuzz", max_examples=1000, **_COMMON)

QUICK = pytest.param("fuzz-quick", id="quick")
# The full runs are `slow` and `fuzz`: `pytest -m fuzz` runs just them (over 10,000 cases,
# 13 minutes on two shared cores); `.ci/run` runs them derandomized after the other slow tests.
FULL = pytest.param("fuzz", id="full", marks=[pytest.mark.slow, pytest.mark.fuzz])
PROFILES = [QUICK, FULL]


def fuzz(
    profile: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    *,
    quick: int,
    full: int,
    shrink: bool = True,
) -> None:
    """Run `check` on `quick` or `full` cases drawn from `strategy`, by `profile`.

    `shrink=False` reports a failing case as found: shrinking one that costs a process start
    (or a time-out) per try would take longer than the whole run.
    """
    scale = float(os.environ.get("PRESSLENS_FUZZ_SCALE", "1"))
    examples = quick if profile == "fuzz-quick" else max(1, round(full * scale))
    phases = list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate]

    @settings(settings.get_profile(profile), max_examples=examples, phases=phases)
    @given(strategy)
    def run(case: Any) -> None:
        check(case)

    run()
