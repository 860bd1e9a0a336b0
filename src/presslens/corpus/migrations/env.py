"""Alembic environment for the corpus store; run programmatically by `Store.migrate()`.

`Store` passes its open connection in `config.attributes["connection"]`, so migrations run
inside the caller's transaction and against whichever database (SQLite or PostgreSQL) it opened.
"""

from __future__ import annotations

from alembic import context


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through presslens.corpus.store.Store, which passes a connection")
    context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


# Alembic executes this file with its context set up; a plain import (doctest collection,
# documentation tools) must not try to migrate anything.
if getattr(context, "config", None) is not None:
    run_migrations()
