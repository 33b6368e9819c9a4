"""The ledger of sleep runs (when each began, at which level, what it wrote: a note's run, the
latest one started before it was made, dates it and gives its level), and the reads of the store
that only sleep-time analysis needs."""

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


def names_defined_at_most(store: Store, most: int, shortest: int) -> list[tuple[str, list[str]]]:
    """(name, paths of its definitions) of each name at least `shortest` characters long that at
    most `most` definitions share."""
    return store.query(
        "SELECT name, list(path) FROM definitions GROUP BY name "
        "HAVING count(*) <= ? AND length(name) >= ?",
        [most, shortest],
    )


def files_without_language(store: Store) -> list[str]:
    """Indexed files that no parser reads (documentation, configuration), by path."""
    return [
        p for (p,) in store.query("SELECT path FROM files WHERE language IS NULL ORDER BY path")
    ]
