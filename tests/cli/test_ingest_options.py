"""`presslens ingest|link --memory-limit`: a size a user types, read as bytes; linking under a
limit writes the graph an unlimited link writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from presslens.cli import _register_commands, app
from presslens.cli.corpus import parse_memory
from presslens.corpus.graph import edges
from presslens.corpus.store import Store
from presslens.errors import UsageError
from tests.corpus.factory import ARTICLE, OTHER, day, record


@pytest.mark.parametrize(
    ("typed", "size"),
    [("4G", 4 << 30), ("500M", 500 << 20), ("1.5GiB", 3 << 29), ("2gb", 2 << 30), ("2097152", 2 << 20)],
)
def test_memory_limits_read_as_bytes(typed: str, size: int) -> None:
    assert parse_memory(typed) == size


@pytest.mark.parametrize("typed", ["lots", "12X", "100K"])
def test_an_unreadable_or_tiny_limit_is_a_usage_error(typed: str) -> None:
    with pytest.raises(UsageError):
        parse_memory(typed)


def run(*args: str) -> Any:
    _register_commands()
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_link_under_a_memory_limit_writes_the_same_graph(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.sqlite'}"
    store = Store(url)
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published=day(1)),
            record("https://www.globalresearch.ca/a", ARTICLE, published=day(40), credit="South Front"),
            record("https://who.example.org/b", OTHER, published="2019-11-01"),
        ]
    )
    result = run("link", "--db", url)
    assert result.exit_code == 0, result.output
    unlimited = sorted((e.source.url, e.target.url, e.relation) for e in edges(store))
    assert unlimited  # the copy is found, or the comparison below proves nothing
    result = run("link", "--db", url, "--full", "--memory-limit", "1M")
    assert result.exit_code == 0, result.output
    assert sorted((e.source.url, e.target.url, e.relation) for e in edges(store)) == unlimited
    assert run("link", "--db", url, "--memory-limit", "lots").exit_code != 0
