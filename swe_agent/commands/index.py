"""Commands over the index: index, search, symbols, outline, status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    emit_json,
    open_repo,
    relative_path,
    repo_root,
    run_index,
    settings_for,
)
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.repo.gitrepo import GitRepo


def register(app: typer.Typer) -> None:
    for command in (index, search, symbols, outline, status):
        app.command()(command)


def index(
    path: Annotated[Path, typer.Argument(help="A directory inside the repository.")] = Path("."),
    rebuild: Annotated[bool, typer.Option(help="Delete the store and index from scratch.")] = False,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Index the repository: symbols, references and full-text search, incrementally."""
    from swe_agent.store.db import open_store, store_path

    repo = open_repo(repo_dir / path)  # PATH is read from -C DIR, like every other command's paths
    settings = settings_for(repo.root)
    if rebuild:
        for suffix in ("", ".wal"):
            Path(str(store_path(repo.root)) + suffix).unlink(missing_ok=True)
    with open_store(repo.root, create=True) as store:
        report = run_index(repo, store, settings)
    if as_json:
        emit_json(
            {
                "added": report.added, "changed": report.changed, "removed": report.removed,
                "unchanged": report.unchanged, "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
                "invalid_utf8": report.invalid_utf8, "parse_errors": report.parse_errors,
                "stale_notes": report.stale_notes, "seconds": round(report.seconds, 3), "head": report.head,
            }
        )
        return
    from swe_agent.commands.render import index_summary

    typer.echo(index_summary(report))


def search(
    query: Annotated[str, typer.Argument(help="Words, identifiers or a question.")],
    k: Annotated[int, typer.Option("-k", help="How many results.", min=1)] = 10,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over code chunks, ranked by BM25."""
    from swe_agent.watch.client import run_query

    if not query.strip():
        raise SweAgentError("the search query is empty", "give words, identifiers or a question to search for")
    hits = run_query(repo_root(repo_dir), "search_code", query=query, k=k)
    if as_json:
        emit_json(hits)
        return
    if not hits:
        typer.echo("no matches")
    for h in hits:
        typer.echo(f"{h['score']:7.2f}  {h['path']}:{h['start_line']}-{h['end_line']}  {h['symbol'] or ''}")


def symbols(
    name: Annotated[str, typer.Argument(help="A name or qualified name, e.g. Session.send.")],
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Definitions matching a name, with their references and callers."""
    from swe_agent.commands.render import symbol_text
    from swe_agent.watch.client import run_query

    result = run_query(repo_root(repo_dir), "lookup_symbol", name=name)
    if as_json:
        emit_json(result)
        return
    typer.echo(symbol_text(result))


def outline(
    path: Annotated[str, typer.Argument(help="A file of the repository.")],
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """A file's definitions, nested, with their lines."""
    from swe_agent.commands.render import outline_text
    from swe_agent.watch.client import run_query

    root = repo_root(repo_dir)
    result = run_query(root, "file_outline", path=relative_path(root, path))
    if as_json:
        emit_json(result)
        return
    typer.echo(outline_text(result))


def status(repo_dir: RepoOption = Path("."), as_json: JsonFlag = False) -> None:
    """How fresh the index is against HEAD, what it holds, and how big it is."""
    from swe_agent.commands.render import status_text

    result = _status(open_repo(repo_dir))
    if as_json:
        emit_json(result)
        return
    typer.echo(status_text(result))


def _status(repo: GitRepo) -> dict[str, Any]:
    """The store's status (from the daemon when it runs) with the work tree's and the file's."""
    from swe_agent.watch import client

    return client.status(repo)
