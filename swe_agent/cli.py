"""The command line: parse, load settings, build the parts, call, print.

Start-up stays light: heavy modules (anthropic, tree-sitter, the agent) are imported inside
the commands that need them. Domain errors become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import typer

from swe_agent.commands import agent, bench, daemon, mcp, sleep
from swe_agent.commands import index as index_commands
from swe_agent.errors import SweAgentError

app = typer.Typer(
    help="A coding assistant that studies your repository while you sleep.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for module in (index_commands, sleep, agent, daemon, mcp, bench):
    module.register(app)


def main() -> None:
    try:
        app()
    except SweAgentError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
