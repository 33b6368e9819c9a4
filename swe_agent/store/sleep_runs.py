"""The ledger of sleep runs: when each began, at which level, what it wrote (a note's run, the
latest one started before it was made, dates it and gives its level)."""

from __future__ import annotations

from swe_agent.store.db import Store


def files_without_notes(store: Store, level: int) -> list[tuple[str, str]]:
    """(path, hash) of indexed source files with no current notes for their content written
    at this level or a higher one. A file's level is that of the run that wrote its file
    summary: the latest run started before the note was made (an ASOF join on the times)."""
    return store.query(
        """
        WITH done AS (
            SELECT n.path, n.code_hash FROM notes n ASOF JOIN sleep_runs r ON n.created_at >= r.started_at
            WHERE n.kind = 'summary' AND n.symbol IS NULL AND NOT n.stale AND r.level >= ?
        )
        SELECT f.path, f.hash FROM files f
        WHERE f.language IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM done d WHERE d.path = f.path AND d.code_hash = f.hash)
        ORDER BY f.path
        """,
        [level],
    )


def start_run(
    store: Store, run_id: str, head: str | None, level: int, budget: int, model: str
) -> None:
    """A sleep run begins (its start time dates the notes it writes)."""
    store.con.execute(
        "INSERT INTO sleep_runs (id, head, level, budget, model) VALUES (?, ?, ?, ?, ?)",
        [run_id, head, level, budget, model],
    )


def finish_run(store: Store, run_id: str, notes_written: int, tokens_spent: int) -> None:
    store.con.execute(
        "UPDATE sleep_runs SET finished_at = current_timestamp, notes_written = ?, tokens_spent = ? WHERE id = ?",
        [notes_written, tokens_spent, run_id],
    )
