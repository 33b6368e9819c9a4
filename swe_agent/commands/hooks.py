"""Commands of the post-commit hook, for those who want no daemon: hooks install|uninstall."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from swe_agent.commands.common import RepoOption, open_checked, open_repo, settings_for

if TYPE_CHECKING:
    from swe_agent.repo.gitrepo import GitRepo

hooks_app = typer.Typer(
    help="A git post-commit hook, for those who want no daemon.", no_args_is_help=True
)
HOOK_START = "# >>> swe-agent >>>"
HOOK_END = "# <<< swe-agent <<<"


def register(app: typer.Typer) -> None:
    app.add_typer(hooks_app, name="hooks")


def _hook_path(repo: GitRepo) -> Path:
    return repo.hook_path("post-commit")


@hooks_app.command()
def install(repo_dir: RepoOption = Path(".")) -> None:
    """Add a post-commit hook: it pokes the daemon, or indexes and sleeps when none runs."""
    repo = open_repo(repo_dir)
    hook = _hook_path(repo)
    text = hook.read_text() if hook.exists() else "#!/bin/sh\n"
    if HOOK_START in text:
        typer.echo(f"already installed in {hook}")
        return
    block = (
        f'{HOOK_START}\n"{sys.executable}" -m swe_agent hooks run -C "$(git rev-parse --show-toplevel)" '
        f">/dev/null 2>&1 &\n{HOOK_END}\n"
    )
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(text + ("" if text.endswith("\n") else "\n") + block)
    hook.chmod(0o755)
    typer.echo(f"installed in {hook}")


@hooks_app.command()
def uninstall(repo_dir: RepoOption = Path(".")) -> None:
    """Remove only what `hooks install` added."""
    repo = open_repo(repo_dir)
    hook = _hook_path(repo)
    text = hook.read_text() if hook.exists() else ""
    if HOOK_START not in text:
        typer.echo("not installed")
        return
    before, _, rest = text.partition(HOOK_START)
    _, _, after = rest.partition(HOOK_END + "\n")
    left = before + after
    if left.strip() in ("", "#!/bin/sh"):
        hook.unlink()
    else:
        hook.write_text(left)
    typer.echo(f"removed from {hook}")


@hooks_app.command("run", hidden=True)
def hook_run(repo_dir: RepoOption = Path(".")) -> None:
    """What the hook runs: poke the daemon, or index and sleep here."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    if client.try_query(repo.root, "index", {})[0]:
        return
    from swe_agent.index import index_repository
    from swe_agent.sleep import run_sleep

    settings = settings_for(repo.root)
    with open_checked(repo.root) as store:
        index_repository(repo, store, max_bytes=settings.max_file_bytes)
        run_sleep(repo, store, budget=settings.sleep_budget_for(None), level=settings.sleep_level)
