"""Commands of the MCP server: mcp (serve over stdio), mcp install, mcp uninstall."""

from __future__ import annotations

from pathlib import Path

import typer

from swe_agent.commands.common import RepoOption, open_repo, settings_for

mcp_app = typer.Typer(
    help="The repository's memory for other agents over MCP: `swe-agent mcp` runs the stdio "
    "server (an agent starts it).",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(mcp_app, name="mcp")


@mcp_app.callback()
def serve(ctx: typer.Context, repo_dir: RepoOption = Path(".")) -> None:
    """Run the MCP server over stdio for the repository (an agent starts this, not a person).

    Without a daemon it indexes first when needed; with one, every call goes through it."""
    if ctx.invoked_subcommand is not None:
        return
    from swe_agent.mcp.memory import RepoMemory
    from swe_agent.mcp.server import serve as run_server

    repo = open_repo(repo_dir)
    run_server(RepoMemory(repo, settings_for(repo.root)))
