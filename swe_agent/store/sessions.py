"""Agent sessions: messages (in main context or moved to recall storage), recursive summaries,
core memory, preferences that outlive sessions, answered turns, and the token ledger.

Every write is its own short transaction, so a crash loses at most the step in flight and
another process waits for the store only briefly.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from swe_agent.store.db import Store

MESSAGE_COLUMNS = (
    "session_id",
    "seq",
    "turn",
    "role",
    "content_json",
    "text",
    "tokens",
    "in_context",
)
LEDGER_COLUMNS = (
    "session_id",
    "turn",
    "step",
    "phase",
    "tools",
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "context_tokens",
)


@dataclass(slots=True)
class StoredMessage:
    seq: int
    role: str
    content: Any
    tokens: int


@dataclass(slots=True)
class SessionState:
    """What a resumed session brings back into main context."""

    id: str
    turns: int
    core: dict[str, str] = field(default_factory=dict)
    messages: list[StoredMessage] = field(default_factory=list)
    summary: str = ""
    next_seq: int = 0
    recalled: int = 0  # messages in recall storage


@dataclass(frozen=True, slots=True)
class LedgerRow:
    session_id: str
    turn: int
    step: int
    tools: str
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    context_tokens: int = 0
    phase: str = "test"


def new_session(
    store: Store, *, title: str, mode: str, head: str | None, session_id: str | None = None
) -> str:
    session_id = session_id or uuid.uuid4().hex[:12]
    with store.transaction():
        store.con.execute(
            "INSERT INTO agent_sessions (id, title, mode, head) VALUES (?, ?, ?, ?)",
            [session_id, title[:120], mode, head],
        )
    return session_id


def last_session(store: Store) -> str | None:
    row = store.one(
        "SELECT id FROM agent_sessions ORDER BY updated_at DESC, created_at DESC LIMIT 1"
    )
    return row[0] if row else None


def session_exists(store: Store, session_id: str) -> bool:
    return store.one("SELECT 1 FROM agent_sessions WHERE id = ?", [session_id]) is not None


def turns(store: Store, session_id: str) -> int | None:
    row = store.one("SELECT turns FROM agent_sessions WHERE id = ?", [session_id])
    return int(row[0]) if row else None


def load_session(store: Store, session_id: str) -> SessionState:
    row = store.one("SELECT turns, core_json FROM agent_sessions WHERE id = ?", [session_id])
    if row is None:
        raise KeyError(session_id)
    state = SessionState(session_id, int(row[0]), json.loads(row[1]) if row[1] else {})
    for seq, role, content, tokens in store.query(
        "SELECT seq, role, content_json, tokens FROM agent_messages "
        "WHERE session_id = ? AND in_context ORDER BY seq",
        [session_id],
    ):
        state.messages.append(StoredMessage(int(seq), role, json.loads(content), int(tokens)))
    top = store.one("SELECT max(seq) FROM agent_messages WHERE session_id = ?", [session_id])
    state.next_seq = int(top[0]) + 1 if top and top[0] is not None else 0
    summary = store.one(
        "SELECT text FROM agent_summaries WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
        [session_id],
    )
    state.summary = summary[0] if summary else ""
    # a summary shares its seq with the last message it folds in: distinct seqs count messages
    recalled = store.one(
        "SELECT count(DISTINCT seq) FROM agent_messages WHERE session_id = ? AND NOT in_context",
        [session_id],
    )
    state.recalled = int(recalled[0]) if recalled else 0
    return state


def save_messages(
    store: Store, session_id: str, turn: int, messages: list[tuple[int, str, Any, str, int]]
) -> None:
    """Append (seq, role, content, text, tokens) rows, all in main context."""
    rows = [
        (session_id, seq, turn, role, json.dumps(content), text, tokens, True)
        for seq, role, content, text, tokens in messages
    ]
    with store.transaction():
        store.insert("agent_messages", MESSAGE_COLUMNS, rows)


def replace_message(store: Store, session_id: str, seq: int, content: Any, tokens: int) -> None:
    """Rewrite a message still in context (a closed page leaves a stub behind)."""
    with store.transaction():
        store.con.execute(
            "UPDATE agent_messages SET content_json = ?, tokens = ? "
            "WHERE session_id = ? AND seq = ? AND in_context",
            [json.dumps(content), tokens, session_id, seq],
        )


def move_to_recall(store: Store, session_id: str, seqs: list[int], summary: str) -> None:
    """Messages leave main context for recall storage; the new recursive summary replaces them."""
    if not seqs:
        return
    with store.transaction():
        store.con.execute(
            "UPDATE agent_messages SET in_context = false "
            "WHERE session_id = ? AND seq IN (SELECT unnest(?::INTEGER[]))",
            [session_id, seqs],
        )
        store.con.execute(
            "INSERT INTO agent_summaries (session_id, seq, text) VALUES (?, ?, ?)",
            [session_id, max(seqs), summary],
        )


def save_core(store: Store, session_id: str, core: dict[str, str], turns: int) -> None:
    with store.transaction():
        store.con.execute(
            "UPDATE agent_sessions SET core_json = ?, turns = ?, updated_at = current_timestamp "
            "WHERE id = ?",
            [json.dumps(core), turns, session_id],
        )


def preferences(store: Store) -> dict[str, str]:
    return {
        label: value for label, value in store.query("SELECT label, value FROM agent_preferences")
    }


def save_preference(store: Store, label: str, value: str) -> None:
    with store.transaction():
        store.con.execute("DELETE FROM agent_preferences WHERE label = ?", [label])
        store.con.execute(
            "INSERT INTO agent_preferences (label, value) VALUES (?, ?)", [label, value]
        )


def record_step(store: Store, row: LedgerRow) -> None:
    values = [getattr(row, c) for c in LEDGER_COLUMNS]
    with store.transaction():
        store.insert("agent_ledger", LEDGER_COLUMNS, [values])


def record_turn(
    store: Store, session_id: str, turn: int, kind: str, result: dict[str, Any]
) -> None:
    with store.transaction():
        store.con.execute(
            "INSERT INTO agent_turns (session_id, turn, kind, question, mode, result_json) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [session_id, turn, kind, result["question"], result["mode"], json.dumps(result)],
        )


def list_sessions(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    return store.rows(
        """
        SELECT s.id, s.title, s.mode, s.turns, s.created_at, s.updated_at,
               coalesce(sum(l.input_tokens), 0)::BIGINT AS input_tokens,
               coalesce(sum(l.output_tokens), 0)::BIGINT AS output_tokens
        FROM agent_sessions s LEFT JOIN agent_ledger l ON l.session_id = s.id
        GROUP BY ALL ORDER BY s.updated_at DESC, s.created_at DESC LIMIT ?
        """,
        [limit],
    )


def ledger(store: Store, session_id: str, turn: int | None = None) -> list[dict[str, Any]]:
    turn_filter = "AND turn = ?" if turn is not None else ""
    params: list[Any] = [session_id] + ([turn] if turn is not None else [])
    return store.rows(
        f"SELECT turn, step, phase, tools, input_tokens, output_tokens, cache_read_input_tokens, "
        f"cache_creation_input_tokens, context_tokens FROM agent_ledger WHERE session_id = ? "
        f"{turn_filter} ORDER BY turn, step",
        params,
    )


def ledger_totals(store: Store) -> dict[str, int]:
    row = store.one(
        "SELECT count(DISTINCT session_id), count(DISTINCT (session_id, turn)), "
        "coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0) FROM agent_ledger"
    )
    assert row is not None
    keys = ("sessions", "tasks", "input_tokens", "output_tokens")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def search_recall(
    store: Store, words: list[str], *, session_id: str | None, limit: int = 20
) -> list[dict[str, Any]]:
    """Messages out of main context (this session's evicted ones, and every other session's),
    and past answers, that contain the most of the words."""
    words = [w.lower() for w in dict.fromkeys(words) if len(w) > 1][:16]
    if not words:
        return []
    pattern = "|".join(re.escape(w) for w in words)
    rows = store.rows(
        """
        SELECT session_id, turn, seq, role, text FROM agent_messages
        WHERE (session_id <> $sid OR NOT in_context) AND regexp_matches(lower(text), $pattern)
        UNION ALL
        SELECT session_id, turn, -1 AS seq, 'answer' AS role, question || '\n' || result_json AS text
        FROM agent_turns WHERE session_id <> $sid AND regexp_matches(lower(question || result_json), $pattern)
        """,
        {"sid": session_id or "", "pattern": pattern},
    )
    for row in rows:
        lower = row["text"].lower()
        row["score"] = (
            sum(lower.count(w) > 0 for w in words)
            + min(sum(lower.count(w) for w in words), 20) / 100
        )
    rows.sort(key=lambda r: (-r["score"], r["session_id"], r["seq"]))
    return rows[:limit]


def session_count(store: Store) -> int:
    row = store.one("SELECT count(*) FROM agent_sessions")
    return int(row[0]) if row else 0
