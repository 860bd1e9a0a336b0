"""`presslens search|profile|graph` over a small corpus: what the query layer finds, as a user
reads it in the terminal or as JSON.

South Front publishes a report on 2 January 2020, Global Research copies it on 10 February with a
credit, and a wire story on the plague from November 2019 stands alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from presslens.cli import _register_commands, app
from presslens.corpus.store import Store
from presslens.errors import InputError
from tests.corpus.factory import ARTICLE, OTHER, day, record


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-corpus') / 'corpus.sqlite'}"
    store = Store(url)
    store.add_batch(
        [
            record("https://southfront.org/a", ARTICLE, published=day(1)),
            record("https://www.globalresearch.ca/a", ARTICLE, published=day(40), credit="South Front"),
            record("https://who.example.org/b", OTHER, published="2019-11-01"),
        ]
    )
    store.replace_edges(
        [
            {
                "source_id": 1,
                "target_id": 2,
                "kind": "exact",
                "similarity": 1.0,
                "lag_days": 39.0,
                "evidence": json.dumps(["attribution", "date"]),
                "wrapper": "[]",
                "passages": "[]",
            }
        ]
    )
    store.close()
    _register_commands()
    return url


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def as_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_finds_words_with_filters_and_shows_the_matches(db: str) -> None:
    hits = as_json("search", "martyr", "--db", db, "--outlet", "SouthFront.org")
    assert [h["url"] for h in hits] == ["https://southfront.org/a"]
    assert set(hits[0]) == {"id", "url", "title", "outlet", "published", "snippet", "score"}
    assert "[martyr]" in hits[0]["snippet"]
    assert [h["url"] for h in as_json("search", "--db", db, "--until", "2019-12")] == [
        "https://who.example.org/b"
    ]
    table = run("search", "martyr", "--db", db)
    assert table.exit_code == 0 and "[martyr]" in table.stdout  # the match is printed, not taken for markup


def test_profile_reports_copiers_with_their_lag(db: str) -> None:
    p = as_json("profile", "southfront.org", "--db", db)
    assert set(p) == {
        "name",
        "domain",
        "documents",
        "first_published",
        "last_published",
        "words",
        "techniques_per_1000_words",
        "funding",
        "copies_from",
        "copied_by",
        "credited_from",
        "reuses_from",
        "reused_by",
        "common_sources",
        "top_entities",
    }
    assert p["documents"] == 1 and p["first_published"] == day(1)
    assert p["copied_by"] == [{"outlet": "globalresearch.ca", "documents": 1, "mean_lag_days": 39.0}]
    missing = run("profile", "no-such-outlet.example", "--db", db)
    assert isinstance(missing.exception, InputError)  # exit code 3 through `presslens.cli.main`


def test_graph_keeps_the_edges_of_a_period_or_an_outlet(db: str, tmp_path: Path) -> None:
    def edges(*args: str) -> list[tuple[int, int]]:
        result = run("graph", "--db", db, *args)
        assert result.exit_code == 0, result.output
        return [(e["source"], e["target"]) for e in json.loads(result.stdout)["edges"]]

    assert edges() == [(1, 2)]
    assert edges("--since", "2020-02") == [(1, 2)]  # the copy is from February, its original stays
    assert edges("--until", "2019") == []
    assert edges("--outlet", "example.org") == []  # the wire story's outlet copies no one
    out = tmp_path / "g.graphml"
    assert run("graph", "--db", db, "--format", "graphml", "-o", str(out), "--since", "2020").exit_code == 0
    assert "<graphml" in out.read_text()
