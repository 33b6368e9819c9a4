"""Where ranking starts: BM25's best chunks, and the chunks that define the query's names."""

from __future__ import annotations

from dataclasses import dataclass

from swe_agent.store.db import Store
from swe_agent.store.search import bm25

POOL = 150  # BM25 candidates re-ranked; the rest never reach the first page
SHORT = 0.5  # a chunk shorter than half the average scores as if it had that length: a
# one-line constant that shares a word with the query is no better a match than a function


@dataclass(slots=True)
class Candidate:
    chunk_id: int
    path: str
    start_line: int
    end_line: int
    symbol: str | None
    score: float
    bm25: float = 0.0
    why: list[str] | None = None


def from_bm25(store: Store, terms: list[str], paths: list[str] | None) -> dict[int, Candidate]:
    hits = bm25(store, terms, space="code", limit=POOL, paths=paths, short=SHORT)
    return {
        h.chunk_id: Candidate(
            h.chunk_id, h.path, h.start_line, h.end_line, h.symbol, h.score, h.score
        )
        for h in hits
    }


@dataclass(frozen=True, slots=True)
class Defined:
    """A definition of a queried name, with the chunk that holds it."""

    name: str
    qualname: str
    kind: str
    chunk: Candidate
    references: int  # uses of the name from other files: how central the definition is


def definitions_of(store: Store, names: tuple[str, ...], *, fold_case: bool) -> list[Defined]:
    """Definitions named exactly (or, for a bare symbol query, in another case) as one of names."""
    if not names:
        return []
    match = (
        "lower(d.name) IN (SELECT lower(unnest($names)))"
        if fold_case
        else "d.name IN (SELECT unnest($names))"
    )
    rows = store.query(
        f"""
        SELECT d.name, d.qualname, d.kind, c.id, c.path, c.start_line, c.end_line, c.symbol,
               (SELECT count(*) FROM refs r WHERE r.name = d.name AND r.path <> d.path) AS uses
        FROM definitions d
        JOIN chunks c ON c.space = 'code' AND c.path = d.path AND c.symbol = d.qualname
        WHERE {match}
        QUALIFY row_number() OVER (PARTITION BY d.path, d.qualname ORDER BY c.start_line) = 1
        ORDER BY d.path, c.start_line
        LIMIT 200
        """,
        {"names": list(names)},
    )
    return [
        Defined(
            r[0], r[1], r[2], Candidate(int(r[3]), r[4], int(r[5]), int(r[6]), r[7], 0.0), int(r[8])
        )
        for r in rows
    ]
