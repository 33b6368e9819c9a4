"""What the command modules share: options, JSON output, opening the repository and settings."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swe_agent.errors import SweAgentError

if TYPE_CHECKING:  # the commands import these late: start-up stays light
    from swe_agent.config import Settings
    from swe_agent.index import Indexer, IndexReport
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import Store

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
RepoOption = Annotated[
    Path,
    typer.Option("--repo", "-C", help="Run as if started in this directory.", show_default=False),
]


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def interactive() -> bool:
    return sys.stdout.isatty()


def repo_root(path: Path) -> Path:
    """The work tree's root, found without GitPython: the query commands' fast path."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return open_repo(path).root  # GitPython then says what is wrong, in one line


def checked_root(path: Path) -> Path:
    """The work tree's root, its settings checked: a query refuses a broken config as index does."""
    root = repo_root(path)
    settings_for(root)
    return root


def open_repo(path: Path) -> GitRepo:
    from swe_agent.repo.gitrepo import GitRepo

    return GitRepo(path)


def settings_for(root: Path | None) -> Settings:
    """The settings in effect, every one checked; a SWE_AGENT_* variable naming none is warned of."""
    import os

    from swe_agent.config import load_settings, unknown_variables

    for name in unknown_variables(dict(os.environ)):
        typer.echo(
            f"warning: {name} names no setting and is ignored (see `swe-agent config`)", err=True
        )
    return load_settings(root)


def open_checked(root: Path, *, salvage_damaged: bool = False) -> Store:
    """The store, opened to write and read back whole; a damaged one is an error, or with
    `salvage_damaged` is moved aside for a fresh one that keeps what can still be read."""
    from swe_agent.errors import StoreCorrupt
    from swe_agent.store.db import open_store, store_path
    from swe_agent.store.salvage import check_readable, salvage

    try:
        created = not store_path(root).exists()  # a store made here has nothing to read back
        store = open_store(root, create=True)  # waits for the lock; nothing is deleted
        try:
            if not created:
                check_readable(store)
        except StoreCorrupt:
            store.close()
            raise
        return store
    except StoreCorrupt as exc:
        if not salvage_damaged:
            raise
        typer.echo(f"{exc.message}: moving it aside and copying what can still be read", err=True)
    saved = salvage(root)
    kept = ", ".join(
        f"{saved.copied[t]:,} {word}"
        for t, word in (("notes", "notes"), ("agent_sessions", "sessions"))
        if t in saved.copied
    )
    lost = f"; could not read {', '.join(saved.lost)}" if saved.lost else ""
    typer.echo(f"kept {kept or 'nothing'}{lost}; the damaged file is {saved.kept_at}", err=True)
    return open_store(root, create=True)


def still_there(store: Store) -> None:
    """Refuse to report success for work written into a store removed meanwhile."""
    if store.vanished():
        raise SweAgentError(
            f"{store.path.parent} was removed while this command ran, and its work with it",
            "run the command again",
        )


def run_index(
    repo: GitRepo,
    store: Store,
    settings: Settings,
    *,
    quiet: bool = False,
    indexer: Indexer | None = None,
) -> IndexReport:
    """Index with a progress bar when a person is watching; shared by index, ask and sleep.
    `indexer` is index_repository unless given (a rebuild)."""
    from swe_agent.index import index_repository

    index: Indexer = indexer or index_repository
    if quiet or not interactive():
        return index(repo, store, max_bytes=settings.max_file_bytes, workers=settings.workers)
    with ExitStack() as stack:
        shown: list[Callable[[int, int], None]] = []

        def progress(done: int, total: int) -> None:
            if not shown and done < total:  # work is left after a first batch: show a bar
                shown.append(_progress_bar(stack))
            for update in shown:
                update(done, total)

        return index(
            repo,
            store,
            max_bytes=settings.max_file_bytes,
            workers=settings.workers,
            progress=progress,
        )


def _progress_bar(stack: ExitStack) -> Callable[[int, int], None]:
    """A bar on the terminal until the stack closes. Made only for an index of more than one
    batch of files: importing rich costs ~0.05 s, a tenth of a small repository's first index."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = stack.enter_context(Progress(*columns, transient=True))
    task = bar.add_task("index", total=None)
    return lambda done, total: bar.update(task, completed=done, total=total)


def relative_path(root: Path, path: str) -> str:
    """A path given on the command line, relative to the root, in POSIX form."""
    candidate = Path(path)
    if candidate.is_absolute() or (Path.cwd() / candidate).exists():
        try:
            return (Path.cwd() / candidate).resolve().relative_to(root).as_posix()
        except ValueError:
            raise SweAgentError(
                f"{path} is outside the repository {root}", "give a path inside it"
            ) from None
    return candidate.as_posix()
