"""Commit notes file by file in short transactions, batched by time.

A transaction per file costs a few milliseconds of DuckDB overhead, which on a repository of
thousands of files is most of an offline run; so the notes of consecutive files go out
together, at least every `FLUSH_SECONDS`. A file's notes are never split across two
transactions: the notes of a file are all there or none are.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from swe_agent.store.db import Store
from swe_agent.store.notes import Note, delete_notes_of, set_use_counts, write_notes

FLUSH_SECONDS = 0.5
MAX_PENDING = 5_000  # notes held back at most
Progress = Callable[
    [int, int, int, int], None
]  # notes written, tokens spent, files written, files planned


class NoteWriter:
    def __init__(
        self,
        store: Store,
        carried: dict[tuple[str, str | None], int],
        progress: Progress | None,
        budget: int,
    ) -> None:
        self.store = store
        self.carried = carried  # use counts of the notes being replaced, by (path, symbol)
        self.progress = progress
        self.budget = budget
        self.written: Counter[str] = Counter()
        self.tokens = 0
        self.files = 0  # files whose notes are written
        self.files_planned = 0
        self._pending: list[tuple[str, list[Note]]] = []
        self._pending_tokens = 0
        self._last = time.monotonic()

    @property
    def spent(self) -> int:
        """Tokens of the notes written and of those waiting to be."""
        return self.tokens + self._pending_tokens

    def add(self, path: str, notes: list[Note]) -> None:
        """Queue the notes of one file ('' for repository-wide notes); they replace all its notes."""
        self._pending.append((path, notes))
        self._pending_tokens += sum(n.tokens for n in notes)
        held = sum(len(n) for _, n in self._pending)
        if time.monotonic() - self._last >= FLUSH_SECONDS or held >= MAX_PENDING:
            self.flush()

    def flush(self) -> None:
        self._last = time.monotonic()
        if not self._pending:
            return
        paths = [p for p, _ in self._pending]
        notes = [n for _, group in self._pending for n in group]
        with self.store.transaction():
            delete_notes_of(self.store, paths)
            write_notes(self.store, notes)
            self._carry_usage(notes)
        self.written.update(n.kind for n in notes)
        self.tokens += self._pending_tokens
        self.files += sum(1 for p in paths if p)
        self._pending, self._pending_tokens = [], 0
        if self.progress:
            self.progress(sum(self.written.values()), self.tokens, self.files, self.files_planned)

    def _carry_usage(self, notes: list[Note]) -> None:
        """Hand the use count of replaced notes to the new summary (or first note) of the same
        code, so that what the foreground used keeps its priority across rewrites."""
        heirs: dict[tuple[str, str | None], Note] = {}
        for n in notes:
            key = (n.path, n.symbol)
            if key in self.carried and (
                key not in heirs or (n.kind == "summary" and heirs[key].kind != "summary")
            ):
                heirs[key] = n
        set_use_counts(self.store, [n.id for n in heirs.values()], [self.carried[k] for k in heirs])
