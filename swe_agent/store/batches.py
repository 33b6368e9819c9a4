"""The `batches` and `batch_requests` tables: sleep-time requests sent through the Message
Batches API, kept until their results are collected (a restarted daemon goes on from here)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from swe_agent.store.db import Store

UNSENT = "unsent"  # recorded, not yet accepted by the API: sent again at the next poll
PENDING = "in_progress"
ENDED = "ended"
LOST = (
    "lost"  # the API no longer knows it (deleted, or another key's): its files keep offline notes
)


@dataclass(frozen=True, slots=True)
class Sent:
    """One request of a batch: the file and content hash it speaks of, what it asked."""

    custom_id: str
    path: str
    code_hash: str
    definitions: list[dict[str, Any]]
    params: dict[str, Any]


def record_batch(store: Store, batch_id: str, model: str, level: int, sent: list[Sent]) -> None:
    """A batch about to be submitted, under a local id, and its requests, in the caller's
    transaction: recorded first, so that a failed or interrupted submission is made again."""
    store.con.execute(
        "INSERT INTO batches (id, model, level, requests, state) VALUES (?, ?, ?, ?, ?)",
        [batch_id, model, level, len(sent), UNSENT],
    )
    store.insert(
        "batch_requests",
        ("batch_id", "custom_id", "path", "code_hash", "definitions_json", "params_json"),
        [
            (batch_id, s.custom_id, s.path, s.code_hash, json.dumps(s.definitions),
             json.dumps(s.params))
            for s in sent
        ],
    )  # fmt: skip


def submitted(store: Store, local_id: str, batch_id: str) -> None:
    """The API accepted the batch recorded as local_id and named it batch_id."""
    with store.transaction():
        store.con.execute(
            "UPDATE batches SET id = ?, state = ?, submitted_at = current_timestamp WHERE id = ?",
            [batch_id, PENDING, local_id],
        )
        store.con.execute(
            "UPDATE batch_requests SET batch_id = ? WHERE batch_id = ?", [batch_id, local_id]
        )


def unfinished(store: Store) -> list[dict[str, Any]]:
    """Batches not yet collected (unsent or in progress), oldest first."""
    return store.rows(
        "SELECT id, model, level, requests, state FROM batches WHERE state IN (?, ?) "
        "ORDER BY submitted_at",
        [UNSENT, PENDING],
    )


def polled(store: Store, batch_id: str) -> None:
    store.con.execute("UPDATE batches SET polled_at = current_timestamp WHERE id = ?", [batch_id])


def current_hashes(store: Store, paths: list[str]) -> dict[str, str]:
    """The indexed content hash of each path still in the index."""
    rows = store.query(
        "SELECT path, hash FROM files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths]
    )
    return dict(rows)


def requests_of(store: Store, batch_id: str) -> dict[str, Sent]:
    rows = store.rows(
        "SELECT custom_id, path, code_hash, definitions_json, params_json "
        "FROM batch_requests WHERE batch_id = ?",
        [batch_id],
    )
    return {
        r["custom_id"]: Sent(
            r["custom_id"], r["path"], r["code_hash"], json.loads(r["definitions_json"]),
            json.loads(r["params_json"]),
        )
        for r in rows
    }  # fmt: skip


def notes_replaced(
    store: Store, sent: Sent, symbols: list[str], kept: tuple[str, ...]
) -> list[int]:
    """The ids of the notes about these symbols of the file as it was sent, but those of the
    kinds `kept`: what the model's notes replace."""
    rows = store.query(
        "SELECT id FROM notes WHERE path = ? AND code_hash = ? AND NOT (kind IN "
        "(SELECT unnest(?::VARCHAR[]))) AND symbol IN (SELECT unnest(?::VARCHAR[]))",
        [sent.path, sent.code_hash, list(kept), symbols],
    )
    return [r[0] for r in rows]


def finish(
    store: Store,
    batch_id: str,
    results: dict[str, str],
    outcome: dict[str, Any],
    state: str = ENDED,
) -> None:
    """The batch has been collected (or lost): each request's result (custom_id -> kind) and
    the counts, in the caller's transaction."""
    if results:
        store.con.executemany(
            "UPDATE batch_requests SET result = ? WHERE batch_id = ? AND custom_id = ?",
            [[kind, batch_id, custom_id] for custom_id, kind in results.items()],
        )
    store.con.execute(
        "UPDATE batches SET state = ?, ended_at = current_timestamp, outcome_json = ? WHERE id = ?",
        [state, json.dumps(outcome), batch_id],
    )


def summary(store: Store, recent: int = 3) -> dict[str, Any]:
    """What `status` shows: the batches still pending, and the last few collected (none in a
    store opened read-only before this table's migration)."""
    found = store.one("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'batches'")
    if not found or not found[0]:
        return {"pending": [], "ended": []}
    waiting = store.rows(
        "SELECT id, model, requests, state, strftime(submitted_at, '%Y-%m-%d %H:%M:%S') AS "
        "submitted_at, strftime(polled_at, '%Y-%m-%d %H:%M:%S') AS polled_at FROM batches "
        "WHERE state IN (?, ?) ORDER BY submitted_at",
        [UNSENT, PENDING],
    )
    ended = store.rows(
        "SELECT id, model, requests, state, strftime(ended_at, '%Y-%m-%d %H:%M:%S') AS ended_at, "
        "outcome_json FROM batches WHERE state IN (?, ?) ORDER BY ended_at DESC LIMIT ?",
        [ENDED, LOST, recent],
    )
    for row in ended:
        row["outcome"] = json.loads(row.pop("outcome_json") or "{}")
    return {"pending": waiting, "ended": ended}
