"""The `presslens` command line: one typer app; each command group lives in its own module.

Every `PresslensError` becomes one line on stderr and its exit code here, in one place
(`main`); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer

from presslens.errors import ExitCode, PresslensError

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

# Command modules; each adds its commands to `app`, `eval_app` or `train_app` on import.
COMMAND_MODULES: tuple[str, ...] = (
    "presslens.cli.analyze",  # analyze, extract
    "presslens.cli.techniques",  # techniques classify, eval techniques, train techniques
    "presslens.cli.extraction",  # eval extraction
    "presslens.cli.corpus",  # ingest, search, profile, graph
    "presslens.cli.serve",  # serve
)

_DEBUG = False


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    global _DEBUG
    _DEBUG = debug


def _register_commands() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(name)


def main() -> None:
    _register_commands()
    try:
        app(standalone_mode=False)
    except PresslensError as exc:
        if _DEBUG:
            raise
        print(f"presslens: error: {exc}", file=sys.stderr)
        sys.exit(int(exc.exit_code))
    except (typer.Abort, KeyboardInterrupt):
        print("presslens: aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unexpected
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(int(ExitCode.USAGE))
        if _DEBUG:
            raise
        print(f"presslens: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", file=sys.stderr)
        sys.exit(1)
