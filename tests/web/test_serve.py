"""`presslens serve`: the token a fresh install prints once and keeps, and the app it serves."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from presslens.cli import _register_commands, app
from presslens.cli.serve import server_token, token_file


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("PRESSLENS_TOKEN", raising=False)
    return tmp_path


def test_first_start_generates_a_private_token_and_keeps_it(config_home: Path) -> None:
    token, origin = server_token()
    assert origin == "new" and len(token) >= 24
    path = token_file()
    assert path.is_relative_to(config_home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server_token() == (token, str(path))  # a restart keeps the same token


def test_the_environment_token_wins(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSLENS_TOKEN", "from-env")
    assert server_token() == ("from-env", "PRESSLENS_TOKEN")
    assert not token_file().exists()


def served(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, dict[str, Any]]:
    """`presslens serve ARGS` with uvicorn's `run` replaced: the CLI result and what it was given."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(application: Any, **kwargs: Any) -> None:
        seen["app"] = application
        seen.update(kwargs)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    _register_commands()
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output
    return result, seen


def test_serve_options_shape_the_analysis_pool(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{config_home / 'corpus.sqlite'}"
    result, seen = served(monkeypatch, "--db", db, "--workers", "1", "--queue", "3", "--timeout", "12.5")
    pool = seen["app"].state.analyzer
    assert (pool.workers, pool.queue_size, pool.timeout) == (1, 3, 12.5)
    assert "analysis in 1 worker processes, 3 more requests may wait, 12.5 s each" in result.output


@pytest.mark.slow  # starts an analysis worker with every model: about 6 s on 2 busy cores
def test_serve_builds_the_app_on_loopback_and_prints_the_token(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = config_home / "corpus.sqlite"
    result, seen = served(monkeypatch, "--db", f"sqlite:///{db}", "--port", "8123", "--workers", "1")
    assert "generated an API token" in result.output and token_file().read_text().strip() in result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123 and seen["proxy_headers"] is False
    token = token_file().read_text().strip()
    with TestClient(seen["app"]) as client:
        assert client.get("/").status_code == 200
        body = {"text": "Stored through the served app."}
        assert client.post("/api/documents", json=body).status_code == 401
        stored = client.post("/api/documents", json=body, headers={"Authorization": f"Bearer {token}"})
        assert stored.status_code == 201
    assert db.exists()  # the store behind the app is the --db file
