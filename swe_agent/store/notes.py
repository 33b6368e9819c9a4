"""Sleep-time notes: rows tied to the content hash of the code they speak of, searchable with
the same BM25 machinery as code (space 'note'). Stale notes are never served as current."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from swe_agent.code.tokens import terms
from swe_agent.store.db import Store
from swe_agent.store.keys import stable_id
from swe_agent.store.search import (
    CHUNK_COLUMNS,
    POSTING_COLUMNS,
    bm25,
    delete_chunks,
    postings_rows,
)

NOTE_COLUMNS = (
    "id",
    "kind",
    "path",
    "symbol",
    "code_hash",
    "title",
    "body",
    "evidence",
    "model",
    "tokens",
    "priority",
)
_FIELDS = (
    "id, kind, path, symbol, title, body, evidence, model, tokens, priority, stale, used_count"
)


@dataclass(frozen=True, slots=True)
class Note:
    kind: str  # summary | question | tests | docs | history | cochange | overview
    path: str  # '' for repository-wide notes
    symbol: str | None
    title: str
    body: str
    evidence: list[dict[str, Any]] = field(
        default_factory=list
    )  # {path, symbol, start_line, end_line}
    code_hash: str | None = None
    model: str = "offline"
    tokens: int = 0
    priority: float = 0.0

    @property
    def id(self) -> int:
        return stable_id("note", self.kind, self.path, self.symbol, self.title)


def write_notes(store: Store, notes: Iterable[Note]) -> list[int]:
    """Insert notes (replacing any with the same id) with a search chunk each."""
    by_id = {n.id: n for n in notes}
    if not by_id:
        return []
    ids = list(by_id)
    present = store.query("SELECT id FROM notes WHERE id IN (SELECT unnest(?::BIGINT[]))", [ids])
    delete_notes(store, [r[0] for r in present])
    rows = [
        (
            note_id,
            n.kind,
            n.path,
            n.symbol,
            n.code_hash,
            n.title,
            n.body,
            json.dumps(n.evidence),
            n.model,
            n.tokens,
            n.priority,
        )
        for note_id, n in by_id.items()
    ]
    store.insert("notes", NOTE_COLUMNS, rows)
    _insert_search(store, by_id)
    return ids


def index_notes(store: Store) -> None:
    """Build the search chunks of every note again, from the notes table alone (a salvage)."""
    store.con.execute(
        "DELETE FROM postings WHERE chunk_id IN (SELECT id FROM chunks WHERE space = 'note')"
    )
    store.con.execute("DELETE FROM chunks WHERE space = 'note'")
    rows = store.rows("SELECT id, kind, path, symbol, title, body, evidence FROM notes")
    _insert_search(
        store,
        {r.pop("id"): Note(**{**r, "evidence": json.loads(r["evidence"] or "[]")}) for r in rows},
    )


def _insert_search(store: Store, by_id: dict[int, Note]) -> None:
    chunks: list[tuple[int, str, str, int, int, str | None, int]] = []
    postings: list[tuple[str, int, int]] = []
    for note_id, n in by_id.items():
        first = n.evidence[0] if n.evidence else {}
        counts = _note_terms(n)
        chunks.append(
            (
                note_id,
                "note",
                n.path,
                int(first.get("start_line") or 0),
                int(first.get("end_line") or 0),
                n.symbol,
                sum(counts.values()),
            )
        )
        postings.extend(postings_rows(note_id, counts))
    store.insert("chunks", CHUNK_COLUMNS, chunks)
    store.insert("postings", POSTING_COLUMNS, postings)


def _note_terms(n: Note) -> Counter[str]:
    """Terms of the title (counted twice), body, symbol and path: `terms` of each text, one
    whitespace-separated piece at a time so that repeated pieces are stemmed once."""
    title = [t for piece in n.title.split() for t in _piece_terms(piece)]
    rest = f"{n.body} {n.symbol or ''} {n.path.replace('/', ' ')}"
    return Counter(title + title + [t for piece in rest.split() for t in _piece_terms(piece)])


@lru_cache(maxsize=100_000)
def _piece_terms(piece: str) -> tuple[str, ...]:
    return tuple(terms(piece))


def delete_notes_of(store: Store, paths: list[str]) -> None:
    """Delete every note about these paths, current or stale, before they are written anew."""
    if paths:
        ids = store.query(
            "SELECT id FROM notes WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths]
        )
        delete_notes(store, [r[0] for r in ids])


def delete_notes(store: Store, ids: list[int]) -> None:
    if ids:
        delete_chunks(store, ids)
        store.con.execute("DELETE FROM notes WHERE id IN (SELECT unnest(?::BIGINT[]))", [ids])


def drop_stale(store: Store) -> int:
    """Delete stale notes and their chunks; returns how many went."""
    ids = [r[0] for r in store.query("SELECT id FROM notes WHERE stale")]
    delete_notes(store, ids)
    return len(ids)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["evidence"] = json.loads(row["evidence"] or "[]")
    return row


def search_notes(
    store: Store, query: str, k: int = 8, kinds: list[str] | None = None
) -> list[dict[str, Any]]:
    """Current notes best first, by BM25 over their titles, bodies, symbols and paths; kinds:
    only these, and none when it is empty (every kind asked for was left out)."""
    if kinds is not None and not kinds:
        return []
    hits = bm25(store, terms(query), space="note", limit=k * 2, kinds=kinds)
    if not hits:
        return []
    scores = {h.chunk_id: h.score for h in hits}
    rows = store.rows(
        f"SELECT {_FIELDS} FROM notes WHERE NOT stale AND id IN (SELECT unnest(?::BIGINT[]))",
        [list(scores)],
    )
    rows = [r for r in rows if not kinds or r["kind"] in kinds]
    for r in rows:
        r["score"] = round(scores[r["id"]], 4)
    rows.sort(key=lambda r: (-r["score"], r["path"], r["title"]))
    return [_decode(r) for r in rows[:k]]


def notes_for(
    store: Store, path: str | None = None, symbol: str | None = None, include_stale: bool = False
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if path is not None:
        clauses.append("path = ?")
        params.append(path)
    if symbol is not None:
        clauses.append("(symbol = ? OR symbol LIKE '%.' || ?)")
        params.extend([symbol, symbol])
    if not include_stale:
        clauses.append("NOT stale")
    where = " AND ".join(clauses) or "true"
    rows = store.rows(
        f"SELECT {_FIELDS} FROM notes WHERE {where} ORDER BY path, symbol NULLS FIRST, kind, title",
        params,
    )
    return [_decode(r) for r in rows]


def mark_used(store: Store, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        store.con.execute(
            "UPDATE notes SET used_count = used_count + 1 WHERE id IN (SELECT unnest(?::BIGINT[]))",
            [ids],
        )


def repository_overview(store: Store) -> str | None:
    row = store.one(
        "SELECT body FROM notes WHERE kind = 'overview' AND NOT stale ORDER BY created_at DESC LIMIT 1"
    )
    return row[0] if row else None


def sleep_tokens_spent(store: Store) -> int:
    row = store.one("SELECT coalesce(sum(tokens), 0) FROM notes WHERE NOT stale")
    return int(row[0]) if row else 0


def current_and_stale(store: Store) -> tuple[int, int]:
    row = store.one(
        "SELECT count(*) FILTER (WHERE NOT stale), count(*) FILTER (WHERE stale) FROM notes"
    )
    return (int(row[0]), int(row[1])) if row else (0, 0)


def counts_by_kind(store: Store) -> dict[str, int]:
    return dict(
        store.query("SELECT kind, count(*) FROM notes WHERE NOT stale GROUP BY kind ORDER BY kind")
    )


def use_counts(store: Store) -> dict[tuple[str, str | None], int]:
    """How often the foreground used the notes about each (path, symbol), stale ones included."""
    return {
        (path, symbol): int(n)
        for path, symbol, n in store.query(
            "SELECT path, symbol, sum(used_count) FROM notes WHERE used_count > 0 GROUP BY path, symbol"
        )
    }


def set_use_counts(store: Store, ids: list[int], counts: list[int]) -> None:
    if ids:
        store.con.execute(
            "UPDATE notes SET used_count = u.n FROM (SELECT unnest(?::BIGINT[]) AS id, unnest(?::INTEGER[]) AS n) u "
            "WHERE notes.id = u.id",
            [ids, counts],
        )


def mark_stale(store: Store, paths: list[str]) -> int:
    """Mark the current notes about these paths stale; returns how many there were."""
    if not paths:
        return 0
    stale = store.one(
        "SELECT count(*) FROM notes WHERE NOT stale AND path IN (SELECT unnest(?::VARCHAR[]))",
        [paths],
    )
    store.con.execute(
        "UPDATE notes SET stale = true WHERE NOT stale AND path IN (SELECT unnest(?::VARCHAR[]))",
        [paths],
    )
    return int(stale[0]) if stale else 0


def stale_notes(store: Store) -> int:
    """How many notes are stale: their code changed since they were written."""
    row = store.one("SELECT count(*) FROM notes WHERE stale")
    return int(row[0]) if row else 0


def current_notes(store: Store) -> int:
    row = store.one("SELECT count(*) FROM notes WHERE NOT stale")
    return int(row[0]) if row else 0


def stale_where_code_differs(store: Store) -> int:
    """Mark stale the notes whose file is gone or holds other content than they were written
    for; returns how many."""
    where = (
        "NOT stale AND path <> '' AND code_hash IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM files f WHERE f.path = notes.path AND f.hash = notes.code_hash)"
    )
    row = store.one(f"SELECT count(*) FROM notes WHERE {where}")
    if row and row[0]:
        store.con.execute(f"UPDATE notes SET stale = true WHERE {where}")
    return int(row[0]) if row else 0
