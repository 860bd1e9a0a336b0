"""The figures people read about the shipped technique model are the ones its CV run recorded.

`cv/cv-eval.json` is written by `presslens eval techniques --cv … --json-out` and ships beside
the networks; the model card and the README quote its product-path row. Shipping a retrained
model without updating them fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.analyze.techniques.runtime import default_model_dir

README = Path(__file__).resolve().parents[3] / "README.md"


def product_path_figures() -> list[str]:
    """'0.424 ± 0.021' for SI, TC and FLC: the mean ± sd over folds of the product path."""
    record = json.loads((default_model_dir() / "cv" / "cv-eval.json").read_text(encoding="utf-8"))
    row = record["systems"]["product path"]
    return [f"{row['mean'][task]:.3f} ± {row['sd'][task]:.3f}" for task in ("si", "tc", "flc")]


def table_row(text: str, first_cell: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {first_cell}"))


@pytest.mark.parametrize(
    ("document", "first_cell"),
    [
        (default_model_dir() / "MODEL_CARD.md", "**presslens, product path**"),
        (README, "presslens (what `analyze` returns)"),
    ],
    ids=["model card", "README"],
)
def test_documents_quote_the_shipped_cv_record(document: Path, first_cell: str) -> None:
    row = table_row(document.read_text(encoding="utf-8"), first_cell)
    for figure in product_path_figures():
        assert figure in row, f"{document.name}: {figure} missing from {row!r}"
