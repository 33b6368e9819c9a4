"""The one object the MCP server holds for its repository; every tool calls it.

Each call goes to the daemon when one serves the repository (it owns the store and holds the
search index). Without a daemon the server answers from a copy of the store in memory with a
search index of its own, so a call pays neither the opening of the store nor the loading of the
index. The copy is taken again when the store's files change; the file itself is held only
while it is copied, so the daemon or `swe-agent index` can always open it, and while another
process writes it the calls go on reading the copy they have. Without a daemon the index is
brought up to date before the first call, and again when HEAD moves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swe_agent.agent.reads import PAGE_TOKENS, Reader
from swe_agent.config import Settings
from swe_agent.errors import StoreLocked, SweAgentError
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.watch import client

if TYPE_CHECKING:
    from swe_agent.index import IndexReport
    from swe_agent.store.db import Store

log = logging.getLogger("swe_agent.mcp")
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
        self._lock = threading.Lock()  # this process's own store access: an index, or a copy
        self._indexed_head: object = (
            _NEVER  # HEAD when this process last brought the index up to date
        )
        self._copy: Store | None = None  # the store in memory, without a daemon
        self._copied: tuple[int, ...] | None = None  # the store files' signature when copied
        self._reader = Reader(self.root)

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
        result["served_by"] = (
            "daemon" if result["daemon_pid"] else "mcp server, from a copy of the store in memory"
        )
        return result

    def warm_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self._warm, name="swe-agent-warm", daemon=True)
        thread.start()
        return thread

    def _warm(self) -> None:
        try:
            self.warm()
        except SweAgentError as exc:  # the first call meets it again and tells the client
            log.info("warming up: %s", exc)

    def warm(self) -> None:
        """What the first call would otherwise pay for, done as the server starts: the modules
        a call imports and, without a daemon, bringing an existing index up to date, the copy
        of the store and its search index. A repository without an index is left to the first
        call, which reports the indexing's progress to the client."""
        from swe_agent.agent import pages  # noqa: F401
        from swe_agent.store.db import store_path

        if self.daemon_serves() or not store_path(self.root).exists():
            return
        self.index()
        self._copy_cursor().close()

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
        from swe_agent.store.db import open_store

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
        answered, result = client.try_query(self.root, op, kwargs)
        if answered:
            return result
        store = self._copy_cursor()
        try:
            return self._reader.run(store, op, kwargs)
        finally:
            store.close()

    def _copy_cursor(self) -> Store:
        """A cursor of this thread's own on the copy of the store. The copy is taken again (with
        its search index) when the store changed; while another process writes the store, the
        copy held so far serves."""
        from swe_agent.store.db import open_snapshot, signature

        with self._lock:
            now = signature(self.root)
            if self._copy is None or now != self._copied:
                try:
                    copy = open_snapshot(self.root, wait=0.0 if self._copy else 10.0)
                except StoreLocked:
                    if self._copy is None:
                        raise
                else:
                    self._reader.load(copy)
                    # the copy before goes with its last cursor: a call may still read it
                    self._copy, self._copied = copy, now
            return self._copy.cursor()
