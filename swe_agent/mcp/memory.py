"""The one object the MCP server holds for its repository; every tool calls it.

Today each call goes to the daemon when one serves the repository (it owns the store; its reads
take no lock), and otherwise opens the store read-only for the call and closes it after, so no
connection is held between calls and no other process ever meets a lock held by this one. Without
a daemon the index is brought up to date before the first call, and again when HEAD moves.
A search engine kept in memory by a long-lived process would be held here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swe_agent.agent.pages import PAGE_TOKENS
from swe_agent.config import Settings
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from swe_agent.watch import client

if TYPE_CHECKING:
    from swe_agent.index import IndexReport

Progress = Callable[[int, int], None]
_NEVER = object()


class RepoMemory:
    def __init__(
        self, repo: GitRepo, settings: Settings, *, page_tokens: int = PAGE_TOKENS
    ) -> None:
        self.repo = repo
        self.root: Path = repo.root
        self.settings = settings
        self.page_tokens = page_tokens
        self._lock = threading.Lock()  # this process's own store access: an index, or one read
        self._indexed_head: object = (
            _NEVER  # HEAD when this process last brought the index up to date
        )

    # -- the tools' calls ----------------------------------------------------------------------
    def page(self, tool: str, **args: Any) -> dict[str, Any]:
        """One page of a tool's result, or {"error": ...} for an argument it cannot use."""
        return self._query(
            "tool_page", root=str(self.root), tool=tool, args=args, page_tokens=self.page_tokens
        )

    def locate(self, question: str) -> dict[str, Any]:
        return self._query(
            "locate",
            root=str(self.root),
            question=question,
            budget=self.settings.context_budget,
            steps=self.settings.max_steps,
        )

    def overview(self) -> str | None:
        return self._query("overview")

    def status(self) -> dict[str, Any]:
        result = client.status(self.repo, run=lambda _root, op: self._query(op))
        result["served_by"] = "daemon" if result["daemon_pid"] else "mcp server, read-only per call"
        return result

    # -- keeping the index current without a daemon --------------------------------------------
    def daemon_serves(self) -> bool:
        return (client.state_dir(self.root) / client.SOCKET).exists() and bool(
            client.daemon_pid(self.root)
        )

    def needs_index(self) -> bool:
        """True when no daemon runs and this process has not indexed HEAD yet."""
        if self.daemon_serves():
            return False
        with self._lock:
            return self._indexed_head is _NEVER or self._indexed_head != self.repo.head()

    def index(self, progress: Progress | None = None) -> IndexReport | None:
        """Bring the index up to date (only what changed is parsed again); the report, or None
        when there was nothing to do."""
        from swe_agent.index import index_repository

        if not self.needs_index():
            return None
        with self._lock:
            head = self.repo.head()
            with open_store(self.root, create=True) as store:
                report = index_repository(
                    self.repo,
                    store,
                    max_bytes=self.settings.max_file_bytes,
                    workers=self.settings.workers,
                    progress=progress,
                )
            self._indexed_head = head
        return report

    def _query(self, op: str, **kwargs: Any) -> Any:
        from swe_agent.agent.reads import all_reads

        answered, result = client.try_query(self.root, op, kwargs)
        if answered:
            return result
        with self._lock, open_store(self.root, read_only=True) as store:
            return all_reads()[op](store, **kwargs)
