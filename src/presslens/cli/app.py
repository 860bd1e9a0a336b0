"""The typer apps every command module adds its commands to, and the `--debug` switch.

Kept apart from `presslens.cli` (which starts the command line) so that command modules import
this module and the package imports them, never the reverse.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="presslens",
    help="Take news pages apart: article vs wrapper, provenance, funding, claims, persuasion.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Sub-command groups shared by several command modules: `presslens eval techniques`,
# `presslens eval extraction`, `presslens train techniques`.
eval_app = typer.Typer(help="Score presslens components with their own scorers.", no_args_is_help=True)
train_app = typer.Typer(help="Train the shipped models from their data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

_DEBUG = False


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    global _DEBUG
    _DEBUG = debug


def is_debug() -> bool:
    """Whether `--debug` was given: errors then show their traceback."""
    return _DEBUG
