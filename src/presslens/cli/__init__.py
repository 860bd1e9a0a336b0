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

_DEBUG = False


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    global _DEBUG
    _DEBUG = debug


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`; kept here so the list of
    # command modules is in one place.
    from presslens.cli import analyze  # noqa: F401


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
