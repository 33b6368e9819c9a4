"""Commands of the MCP server: mcp (serve over stdio), mcp install, mcp uninstall."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from swe_agent.commands.common import RepoOption, open_repo, repo_root, settings_for

if TYPE_CHECKING:
    from swe_agent.mcp.install import Target

mcp_app = typer.Typer(
    help="The repository's memory for other agents over MCP: `swe-agent mcp` runs the stdio "
    "server (an agent starts it); `mcp install CLIENT` registers it with an agent.",
    invoke_without_command=True,
)
ClientArgument = Annotated[
    str,
    typer.Argument(help="claude-code, cursor, codex, gemini, vscode or zed.", show_default=False),
]
UserFlag = Annotated[
    bool, typer.Option("--user", help="Every project of this user, not just this repository.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(mcp_app, name="mcp")


@mcp_app.callback()
def serve(ctx: typer.Context, repo_dir: RepoOption = Path(".")) -> None:
    """Run the MCP server over stdio for the repository (an agent starts this, not a person).

    Without a daemon it indexes first when needed; with one, every call goes through it."""
    if ctx.invoked_subcommand is not None:
        return
    from swe_agent.mcp.memory import RepoMemory

    repo = open_repo(repo_dir)
    memory = RepoMemory(repo, settings_for(repo.root))
    memory.warm_in_background()  # while the MCP SDK loads and the client says hello

    from swe_agent.mcp.server import serve as run_server

    run_server(memory)


@mcp_app.command()
def install(
    client: ClientArgument,
    user: UserFlag = False,
    instructions: Annotated[
        bool,
        typer.Option(
            "--instructions",
            help="Also write a short note on when to call which tool into the file the client "
            "reads (CLAUDE.md, AGENTS.md, GEMINI.md); uninstall removes exactly it.",
        ),
    ] = False,
    repo_dir: RepoOption = Path("."),
) -> None:
    """Add the server to a client's MCP configuration (this repository's, or with --user the
    user's); running it again changes nothing."""
    from swe_agent.mcp.install import install as add

    for line in add(_target(client, user, repo_dir), instructions=instructions):
        typer.echo(line)


@mcp_app.command()
def uninstall(
    client: ClientArgument, user: UserFlag = False, repo_dir: RepoOption = Path(".")
) -> None:
    """Remove the server, and the instructions block if one was written, from a client."""
    from swe_agent.mcp.install import uninstall as remove

    changes = remove(_target(client, user, repo_dir))
    for line in changes or [f"nothing to remove: {client} has no swe-agent entry here"]:
        typer.echo(line)


def _target(name: str, user: bool, repo_dir: Path) -> Target:
    from swe_agent.mcp.clients import client_named
    from swe_agent.mcp.install import Target

    client = client_named(name)
    if user:
        return Target(client, Path.home(), None, _command())
    root = repo_root(repo_dir)
    return Target(client, root, root, _command())


def _command() -> str:
    """How a client starts us: plain `swe-agent` when that is what PATH finds, else the full
    path of this executable (a virtual environment's, say)."""
    here = Path(sys.argv[0]).resolve()
    found = shutil.which("swe-agent")
    if not here.name.startswith("swe-agent") or (found and Path(found).resolve() == here):
        return "swe-agent"
    return str(here)
