"""Fixtures for the training tests: the tiny PTC folder shared with the technique tests."""

from __future__ import annotations

from pathlib import Path

import pytest

TINY_PTC = Path(__file__).resolve().parents[1] / "data" / "techniques" / "ptc"


@pytest.fixture(scope="session")
def tiny_ptc() -> Path:
    return TINY_PTC
