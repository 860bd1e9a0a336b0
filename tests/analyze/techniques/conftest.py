"""Fixtures for the technique tests: the tiny PTC folder in tests/data and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
TINY_PTC = TESTS / "data" / "techniques" / "ptc"
TINY_TEMPLATE = TESTS / "data" / "techniques" / "spans-template.txt"


@pytest.fixture(scope="session")
def tiny_ptc() -> Path:
    return TINY_PTC


@pytest.fixture(scope="session")
def tiny_template() -> Path:
    return TINY_TEMPLATE


@pytest.fixture(scope="session")
def technique_model():  # type: ignore[no-untyped-def]
    from presslens.analyze.techniques.runtime import TechniqueModel

    return TechniqueModel.load()
