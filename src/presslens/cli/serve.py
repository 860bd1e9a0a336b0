"""`presslens serve`: run the web app and REST API (FastAPI under uvicorn).

Data flow: the corpus store (`--db`, default the SQLite file in the user data dir) → the web
app (`presslens.web.app.create_app`), one process serving pages and the API, which hands
analysis to a pool of `--workers` processes (each loads the models once, at start-up) with
room for `--queue` waiting requests (503 with Retry-After beyond) and a `--timeout` per
request (504). Writes need a bearer token: `$PRESSLENS_TOKEN` if set,
else the one saved at first start in the user config dir (created with mode 0600 and printed
once, so a restart keeps working clients working).
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from presslens.cli.app import app
from presslens.errors import UsageError


def token_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("presslens", appauthor=False)) / "api-token"


def server_token() -> tuple[str, str]:
    """(token, where it came from); generates and saves one on first start."""
    env = os.environ.get("PRESSLENS_TOKEN", "").strip()
    if env:
        return env, "PRESSLENS_TOKEN"
    path = token_file()
    if path.is_file():
        saved = path.read_text(encoding="utf-8").strip()
        if saved:
            return saved, str(path)
    from presslens.web.security import new_token

    token = new_token()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, "new"


@app.command()
def serve(
    db: str | None = typer.Option(
        None, "--db", help="Corpus database URL (default: SQLite in the user data dir)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Let the URL analyzer reach private/loopback addresses (intranets)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Analysis worker processes (default: one per CPU core)."
    ),
    queue: int | None = typer.Option(
        None,
        "--queue",
        min=0,
        help="Analyze requests that may wait for a worker (default: 4 per worker); more get 503.",
    ),
    timeout: float | None = typer.Option(
        None, "--timeout", min=0.1, help="Seconds an analyze request may take, waiting included (default 30)."
    ),
) -> None:
    """Serve the web pages and the REST API (OpenAPI docs at /docs)."""
    try:
        import uvicorn

        from presslens.web.app import create_app
    except ImportError as exc:
        raise UsageError(
            f"the web app needs the web extra: pip install 'presslens[web]' ({exc.name} missing)"
        ) from None
    if db is None:
        from presslens.corpus.store import default_db_url

        db = default_db_url()
    token, origin = server_token()
    if origin == "new":
        typer.echo(f"presslens: generated an API token for writes (saved in {token_file()}):\n  {token}")
    else:
        typer.echo(f"presslens: API token for writes from {origin}")
    application = create_app(
        db, token, allow_private=allow_private, workers=workers, queue_size=queue, timeout=timeout
    )
    pool = application.state.analyzer
    typer.echo(
        f"presslens: serving http://{host}:{port}/ (API docs at /docs); analysis in {pool.workers} "
        f"worker processes, {pool.queue_size} more requests may wait, {pool.timeout:g} s each at most"
    )
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=False)
