"""The agent's read-only queries for other agents (the MCP server): a page of one retrieval
tool, and the offline `locate`. The daemon serves them beside queries.QUERIES, on a reader of
their own; without a daemon the MCP server runs them in process.

A long-lived process answers through a Reader, which holds what every call would otherwise
load again: the in-memory search index and the indexed paths (both loaded once per change of
the index, by whoever writes it), and the lines of the files that were read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swe_agent.agent.filelines import FileLines
from swe_agent.agent.paths import PathGuard

if TYPE_CHECKING:  # the MCP server through a daemon must not pay for duckdb
    from swe_agent.store.db import Store

PAGE_TOKENS = 1500  # the agent's own page size (Toolbox's default)


@dataclass(frozen=True, slots=True)
class Held:
    """What is loaded once per state of the index: the search index and the path guard."""

    index: Any  # a MemoryIndex
    guard: PathGuard


def tool_page_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.agent.pages import tool_page_in as page

    return page(store, **kwargs)


def locate_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.agent.locate import locate_in as locate

    return locate(store, **kwargs)


READS: dict[str, Callable[..., Any]] = {"tool_page": tool_page_in, "locate": locate_in}


def all_reads() -> dict[str, Callable[..., Any]]:
    """Every read the daemon serves: the store's queries and the agent's."""
    from swe_agent.queries import QUERIES

    return {**QUERIES, **READS}


class Reader:
    """Runs reads for a process that answers many of them from one store."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = FileLines()
        self._held: Held | None = None
        self._lock = threading.Lock()

    def load(self, store: Store) -> None:
        """Load what is held from the store as it is now: after every write of the index."""
        from swe_agent.agent import pages  # noqa: F401  (the first call does not import it)
        from swe_agent.ranking.memory import MemoryIndex
        from swe_agent.store.files import indexed_paths

        with self._lock:
            self._held = None  # no call meanwhile reads a search index older than the store
            self._held = Held(MemoryIndex(store), PathGuard(self.root, indexed_paths(store)))

    def forget(self) -> None:
        self._held = None

    @property
    def loaded(self) -> bool:
        return self._held is not None

    def run(self, store: Store, op: str, args: dict[str, Any]) -> Any:
        """The read named op; without anything held it reads everything from the store."""
        held = self._held
        if op == "tool_page":
            args = {**args, "held": held, "files": self.files}
        elif op == "search_code" and held is not None:
            args = {**args, "index": held.index}
        return all_reads()[op](store, **args)
