"""Commands over the index: index, search, symbols, outline, status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    checked_root,
    emit_json,
    open_checked,
    open_repo,
    relative_path,
    run_index,
    settings_for,
    still_there,
)
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.config import Settings
    from swe_agent.repo.gitrepo import GitRepo

REFERENCES, CALLERS = 50, 30  # the most store.symbols returns of each


def register(app: typer.Typer) -> None:
    for command in (index, search, symbols, outline, status, config):
        app.command()(command)


def index(
    path: Annotated[Path, typer.Argument(help="A directory inside the repository.")] = Path("."),
    rebuild: Annotated[
        bool,
        typer.Option(help="Parse every file again; notes about unchanged code and sessions stay."),
    ] = False,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Index the repository: symbols, references and full-text search, incrementally."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir / path)  # PATH is read from -C DIR, like every other command's paths
    settings = settings_for(repo.root)
    answered, report = client.try_query(repo.root, "index", {"rebuild": rebuild})
    if not answered:
        report = _index_here(repo, settings, rebuild)
    if as_json:
        emit_json(report)
        return
    from swe_agent.commands.render import index_summary

    typer.echo(
        index_summary(report) + ("\n(done by the daemon, which owns the store)" if answered else "")
    )


def _index_here(repo: GitRepo, settings: Settings, rebuild: bool) -> dict[str, Any]:
    from swe_agent.index import rebuild_index

    store = open_checked(repo.root, salvage_damaged=rebuild)
    with store:
        report = run_index(
            repo, store, settings, indexer=rebuild_index if rebuild else None
        ).as_dict()
        still_there(store)
        return report


def search(
    query: Annotated[str, typer.Argument(help="Words, identifiers or a question.")],
    k: Annotated[int, typer.Option("-k", help="How many results.", min=1, max=1000)] = 10,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Full-text search over code chunks, ranked by BM25."""
    from swe_agent.watch.client import run_query

    if not query.strip():
        raise SweAgentError(
            "the search query is empty", "give words, identifiers or a question to search for"
        )
    hits = run_query(checked_root(repo_dir), "search_code", query=query, k=k)
    if as_json:
        emit_json(hits)
        return
    if not hits:
        typer.echo("no matches")
    for h in hits:
        typer.echo(
            f"{h['score']:7.2f}  {h['path']}:{h['start_line']}-{h['end_line']}  {h['symbol'] or ''}"
        )


def symbols(
    name: Annotated[str, typer.Argument(help="A name or qualified name, e.g. Session.send.")],
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Definitions matching a name, with their references and callers."""
    from swe_agent.commands.render import SHOWN, symbol_text
    from swe_agent.watch.client import run_query

    if not name.strip():
        raise SweAgentError(
            "the name is empty", "give a name or a qualified name, e.g. Session.send"
        )
    most = SHOWN + 1  # one more than is shown, to know that the list was cut
    result = run_query(checked_root(repo_dir), "lookup_symbol", name=name, limit=most)
    if as_json:
        emit_json(result)
    elif result["definitions"]:
        typer.echo(
            symbol_text(result, {"definitions": most, "references": REFERENCES, "callers": CALLERS})
        )
    else:
        typer.echo(symbol_text(result), err=True)
    if not result["definitions"]:
        raise typer.Exit(1)  # like grep: nothing matched


def outline(
    path: Annotated[str, typer.Argument(help="A file of the repository.")],
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """A file's definitions, nested, with their lines."""
    from swe_agent.commands.render import outline_text
    from swe_agent.watch.client import run_query

    root = checked_root(repo_dir)
    result = run_query(root, "file_outline", path=relative_path(root, path))
    if as_json:
        emit_json(result)
        return
    typer.echo(outline_text(result))


def status(repo_dir: RepoOption = Path("."), as_json: JsonFlag = False) -> None:
    """How fresh the index is against HEAD, what it holds, and how big it is."""
    from swe_agent.commands.render import status_text

    repo = open_repo(repo_dir)
    settings_for(repo.root)  # a broken config is refused here as by index
    result = _status(repo)
    if as_json:
        emit_json(result)
        return
    typer.echo(status_text(result))


def _status(repo: GitRepo) -> dict[str, Any]:
    """The store's status (from the daemon when it runs) with the work tree's and the file's."""
    from swe_agent.watch import client

    return client.status(repo)


def config(repo_dir: RepoOption = Path("."), as_json: JsonFlag = False) -> None:
    """The settings in effect here, and where each came from (default, a config file, a variable)."""
    import dataclasses
    import os

    from swe_agent.commands.common import repo_root
    from swe_agent.config import USER_CONFIG, settings_and_sources, unknown_variables

    try:
        root: Path | None = repo_root(repo_dir)
    except SweAgentError:
        root = None  # outside a repository: the user's settings alone
    settings, sources = settings_and_sources(root)
    rows = [
        {"name": k, "value": v, "from": sources[k]} for k, v in dataclasses.asdict(settings).items()
    ]
    if as_json:
        emit_json(rows)
        return
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['name']:<{width}}  {r['value']!s:<20}  {r['from']}")
    files = [USER_CONFIG] + ([root / ".swe_agent" / "config.toml"] if root else [])
    typer.echo(
        "files read in this order, each over the last: "
        + ", ".join(str(f) for f in files)
        + "; then SWE_AGENT_* variables; then flags",
        err=True,
    )
    for name in unknown_variables(dict(os.environ)):
        typer.echo(f"warning: {name} names no setting and is ignored", err=True)
