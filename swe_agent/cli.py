"""The command line: parse, load settings, build the parts, call, print.

Start-up stays light: heavy modules (anthropic, tree-sitter, the agent) are imported inside
the commands that need them. Domain errors become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from swe_agent.commands import agent, bench, daemon, hooks, mcp, sleep
from swe_agent.commands import index as index_commands
from swe_agent.errors import SweAgentError, interrupted

app = typer.Typer(
    help="A coding assistant that studies your repository while you sleep.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for module in (index_commands, sleep, agent, daemon, hooks, mcp, bench):
    module.register(app)


def _version(shown: bool) -> None:
    if shown:
        from swe_agent import __version__

        typer.echo(f"swe-agent {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    directory: Annotated[
        Path | None,
        typer.Option(
            "-C",
            help="Run as if started in this directory (before the command, like git).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """A coding assistant that studies your repository while you sleep."""
    if directory is not None:
        try:
            os.chdir(directory)
        except OSError as exc:
            raise SweAgentError(
                f"cannot change to {directory} ({exc.strerror})", "give a directory that exists"
            ) from None


def main() -> None:
    try:
        _refuse_undecodable(sys.argv[1:])
        app()
    except SweAgentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
    except Exception as exc:
        if interrupted(exc):
            typer.echo("interrupted", err=True)
            raise SystemExit(130) from None
        line = _store_failure(exc)
        if line is None:
            raise
        typer.echo(f"error: {line}", err=True)
        raise SystemExit(1) from None


def _refuse_undecodable(args: list[str]) -> None:
    """Text that is not UTF-8 reaches Python as lone surrogates, which no store or model takes;
    a path that exists is left alone (file names are bytes on POSIX)."""
    import os

    for arg in args:
        if any("\udc80" <= ch <= "\udcff" for ch in arg) and not os.path.exists(arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise SweAgentError(
                f"the argument {shown!r} is not valid UTF-8", "give it as UTF-8 text"
            )


def _store_failure(exc: Exception) -> str | None:
    """One line for a store that failed under a command: its folder removed meanwhile, or a
    block that a query could not read back (bad checksum, truncation); None for anything else."""
    if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
        return None
    import re
    from pathlib import Path

    from swe_agent.store.db import REBUILD_HINT

    text = str(exc)
    folder = re.search(r'"(/[^"]*/\.swe_agent)/[^"/]*"', text)
    if folder and not Path(folder.group(1)).is_dir():
        return f"{folder.group(1)} was removed while this command ran, and its work with it: run the command again"
    if type(exc).__name__ == "IOException" or "Corrupt database file" in text:
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        return f"the store under .swe_agent/ is damaged ({first}): {REBUILD_HINT}"
    return None
