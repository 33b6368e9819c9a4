"""Read-side queries shared by the CLI and the daemon, each a function of an open store that
returns plain data (JSON as the daemon sends it). `watch.client.run_query` is how the CLI calls
one: through the daemon when it runs (it owns the store then), else on a store of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the daemon path must not pay for duckdb
    from swe_agent.ranking.candidates import Source
    from swe_agent.store.db import Store


def search_code_in(
    store: Store, query: str, k: int = 10, index: Source | None = None
) -> list[dict[str, Any]]:
    """Ranked code chunks; index is a MemoryIndex of the store when the caller holds one."""
    from swe_agent.ranking import search

    hits = search(store, query, k, index=index)
    return [
        {
            "path": h.path,
            "start_line": h.start_line,
            "end_line": h.end_line,
            "symbol": h.symbol,
            "score": round(h.score, 4),
        }
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
    from swe_agent.store import files as files_table
    from swe_agent.store import symbols as sym

    info = files_table.file_info(store, path)
    if info is None:
        from swe_agent.errors import SweAgentError

        raise SweAgentError(
            f"{path} is not in the index", "check the path, or run `swe-agent index`"
        )
    definitions = sym.definitions_in(store, path)
    for d in definitions:
        d.pop("id", None)
    return {
        "path": path,
        "language": info.language,
        "lines": info.lines,
        "definitions": definitions,
    }


def store_status_in(store: Store) -> dict[str, Any]:
    from swe_agent.store import batches
    from swe_agent.store import files as files_table
    from swe_agent.store import notes as notes_table

    notes = notes_table.current_and_stale(store)
    return {
        "indexed_head": store.meta("indexed_head") or None,
        "indexed_at": float(store.meta("indexed_at") or 0) or None,
        "counts": files_table.counts(store),
        "languages": files_table.languages(store),
        "notes": {"current": notes[0], "stale": notes[1]},
        "batches": batches.summary(store),
    }


def search_notes_in(store: Store, query: str, k: int = 8) -> list[dict[str, Any]]:
    from swe_agent.store.notes import search_notes

    return search_notes(store, query, k)


def list_notes_in(
    store: Store, target: str | None = None, include_stale: bool = False
) -> list[dict[str, Any]]:
    from swe_agent.store.notes import notes_for

    if target is None:
        return notes_for(store, include_stale=include_stale)
    by_path = notes_for(store, path=target, include_stale=include_stale)
    return by_path or notes_for(store, symbol=target, include_stale=include_stale)


def overview_in(store: Store) -> str | None:
    from swe_agent.store.notes import repository_overview

    return repository_overview(store)


QUERIES: dict[str, Callable[..., Any]] = {
    "search_notes": search_notes_in,
    "list_notes": list_notes_in,
    "search_code": search_code_in,
    "lookup_symbol": lookup_symbol_in,
    "file_outline": file_outline_in,
    "store_status": store_status_in,
    "overview": overview_in,
}
