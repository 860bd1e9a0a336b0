"""The `presslens` command line: one typer app; each command group lives in its own module.

Every `PresslensError` becomes one line on stderr and its exit code here, in one place
(`main`); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer

from presslens.cli.app import app, is_debug
from presslens.errors import ExitCode, PresslensError
from presslens.pipeline import settle_gc

__all__ = ["app", "main"]


def _register_commands() -> None:
    """Import the command modules; each adds its commands to the apps in `presslens.cli.app`.

    Imported when the command line starts, not with the package, so `import presslens.cli`
    stays cheap for tests and the web server.
    """
    import presslens.cli.analyze  # analyze, extract, schema, eval analyze
    import presslens.cli.corpus  # ingest, link, search, profile, graph
    import presslens.cli.extraction  # eval extraction
    import presslens.cli.serve  # serve
    import presslens.cli.techniques  # noqa: F401  techniques classify, eval/train techniques


def main() -> None:
    _register_commands()
    settle_gc()  # after the imports, so the collector stops walking them (see its docstring)
    try:
        # Without standalone mode click returns (not raises) the code of a `typer.Exit`.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except PresslensError as exc:
        if is_debug():
            raise
        print(f"presslens: error: {exc}", file=sys.stderr)
        sys.exit(int(exc.exit_code))
    except (typer.Abort, KeyboardInterrupt):
        print("presslens: aborted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors and anything unexpected
        # Typer ships its own copy of click, so its usage errors are recognised by what they
        # do (click's ClickException: `show()` and an `exit_code`), not by a click class.
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(int(ExitCode.USAGE))
        if is_debug():
            raise
        print(f"presslens: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", file=sys.stderr)
        sys.exit(1)
