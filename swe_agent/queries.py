"""Read-side queries shared by the CLI, the agent's tools and the daemon.

Each query is a function of an open store. `run_query` is how the CLI calls one: through
the daemon when it runs (it owns the store then), else on a read-only connection of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the daemon path must not pay for duckdb or GitPython
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import Store


def search_code_in(
    store: Store, query: str, k: int = 10, index: Any = None
) -> list[dict[str, Any]]:
    """Ranked code chunks; index is a MemoryIndex of the store when the caller holds one."""
    from swe_agent.ranking import search

    hits = search(store, query, k, index=index)
    return [
        {"path": h.path, "start_line": h.start_line, "end_line": h.end_line, "symbol": h.symbol,
         "score": round(h.score, 4)}
        for h in hits
    ]


def lookup_symbol_in(store: Store, name: str, limit: int = 20) -> dict[str, Any]:
    from swe_agent.store import symbols as sym

    definitions = sym.find_definitions(store, name, limit)
    for d in definitions:
        d.pop("rank", None)
        d.pop("id", None)
    return {
        "name": name,
        "definitions": definitions,
        "references": sym.references_to(store, name),
        "callers": sym.callers(store, name),
    }


def file_outline_in(store: Store, path: str) -> dict[str, Any]:
    from swe_agent.store import symbols as sym

    row = store.one("SELECT language, lines FROM files WHERE path = ?", [path])
    if row is None:
        from swe_agent.errors import SweAgentError

        raise SweAgentError(f"{path} is not in the index", "check the path, or run `swe-agent index`")
    definitions = sym.definitions_in(store, path)
    for d in definitions:
        d.pop("id", None)
    return {"path": path, "language": row[0], "lines": row[1], "definitions": definitions}


def store_status_in(store: Store) -> dict[str, Any]:
    from swe_agent.store import files as files_table

    notes = store.one(
        "SELECT count(*) FILTER (WHERE NOT stale), count(*) FILTER (WHERE stale) FROM notes"
    )
    return {
        "indexed_head": store.meta("indexed_head") or None,
        "indexed_at": float(store.meta("indexed_at") or 0) or None,
        "counts": files_table.counts(store),
        "languages": files_table.languages(store),
        "notes": {"current": int(notes[0]), "stale": int(notes[1])} if notes else {},
    }


def search_notes_in(store: Store, query: str, k: int = 8) -> list[dict[str, Any]]:
    from swe_agent.store.notes import search_notes

    return search_notes(store, query, k)


def list_notes_in(store: Store, target: str | None = None, include_stale: bool = False) -> list[dict[str, Any]]:
    from swe_agent.store.notes import notes_for

    if target is None:
        return notes_for(store, include_stale=include_stale)
    by_path = notes_for(store, path=target, include_stale=include_stale)
    return by_path or notes_for(store, symbol=target, include_stale=include_stale)


def overview_in(store: Store) -> str | None:
    from swe_agent.store.notes import repository_overview

    return repository_overview(store)


def tool_page_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.mcp.pages import tool_page_in as page

    return page(store, **kwargs)


def locate_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.mcp.locate import locate_in as locate

    return locate(store, **kwargs)


QUERIES: dict[str, Callable[..., Any]] = {
    "search_notes": search_notes_in,
    "list_notes": list_notes_in,
    "search_code": search_code_in,
    "lookup_symbol": lookup_symbol_in,
    "file_outline": file_outline_in,
    "store_status": store_status_in,
    "overview": overview_in,
    "tool_page": tool_page_in,
    "locate": locate_in,
}
# Every query above only reads: the daemon serves them on a reader of their own, without
# waiting for indexing or sleep-time work.
READS = frozenset(QUERIES)


def run_query(root: Path, op: str, **kwargs: Any) -> Any:
    """Run the query named op through the daemon if it serves this repository, else locally."""
    from swe_agent.watch import client

    answered, result = client.try_query(root, op, kwargs)
    if answered:
        return result
    from swe_agent.store.db import open_store

    with open_store(root, read_only=True) as store:
        return QUERIES[op](store, **kwargs)


def search_code(root: Path, query: str, k: int = 10) -> list[dict[str, Any]]:
    return run_query(root, "search_code", query=query, k=k)


def lookup_symbol(root: Path, name: str) -> dict[str, Any]:
    return run_query(root, "lookup_symbol", name=name)


def file_outline(root: Path, path: str) -> dict[str, Any]:
    return run_query(root, "file_outline", path=path)


def store_status(repo: GitRepo, run: Callable[..., Any] | None = None) -> dict[str, Any]:
    """The store's counts (asked through `run`, run_query by default) and the work tree's state."""
    from swe_agent.store.db import store_path

    result = (run or run_query)(repo.root, "store_status")
    path = store_path(repo.root)
    wal = Path(str(path) + ".wal")
    result["store_bytes"] = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    result["store_path"] = str(path)
    result["head"] = repo.head()
    result["fresh"] = bool(result["head"]) and result["indexed_head"] == result["head"]
    result["dirty_files"] = sorted(repo.dirty_files())
    result["daemon_pid"] = _daemon_pid(repo.root)
    return result


def _daemon_pid(root: Path) -> int | None:
    from swe_agent.watch import client

    return client.daemon_pid(root) if os.name == "posix" else None
