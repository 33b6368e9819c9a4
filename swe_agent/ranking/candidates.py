"""Where ranking starts: BM25's best chunks, and the chunks that define the query's names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from swe_agent.store.db import Store
from swe_agent.store.search import bm25, definitions_named, file_bm25, file_links, file_uses

POOL = 150  # BM25 candidates re-ranked; the rest never reach the first page
OWNERS = 3  # a name defined in more files than this is too common to say which one is used
SHORT = 0.5  # a chunk shorter than half the average scores as if it had that length: a
# one-line constant that shares a word with the query is no better a match than a function
FILE_B = 0.3  # length normalisation of whole-file BM25: a long file that holds every word of
# the question is a likelier answer than a short one that holds a few, so length counts less


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


@dataclass(frozen=True, slots=True)
class Defined:
    """A definition of a queried name, with the chunk that holds it."""

    name: str
    qualname: str
    kind: str
    chunk: Candidate
    references: int  # uses of the name from other files: how central the definition is
    lines: int = 1  # the definition's size: of a partial class's parts, the main one is largest

    @property
    def path(self) -> str:
        return self.chunk.path


class Source(Protocol):
    """Where candidates come from: the store itself, or a MemoryIndex loaded from it."""

    def bm25(
        self, terms: list[str], limit: int, paths: list[str] | None = None, short: float = 0.0
    ) -> list[Candidate]:
        """BM25's best chunks for the terms, best first, as candidates (score = bm25)."""
        ...

    def file_uses(self, paths: list[str]) -> dict[str, int]: ...

    def definitions_of(self, names: tuple[str, ...], *, fold_case: bool) -> list[Defined]: ...

    def file_bm25(self, terms: list[str]) -> dict[str, float]: ...

    def links(self, paths: list[str]) -> dict[str, frozenset[str]]: ...


class StoreSource:
    """Candidates read from DuckDB on each query: for one-shot commands."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def bm25(
        self, terms: list[str], limit: int, paths: list[str] | None = None, short: float = 0.0
    ) -> list[Candidate]:
        hits = bm25(self.store, terms, space="code", limit=limit, paths=paths, short=short)
        return [
            Candidate(h.chunk_id, h.path, h.start_line, h.end_line, h.symbol, h.score, h.score)
            for h in hits
        ]

    def file_uses(self, paths: list[str]) -> dict[str, int]:
        return file_uses(self.store, paths, OWNERS)

    def file_bm25(self, terms: list[str]) -> dict[str, float]:
        """Each file's BM25 as one document (FILE_B), files holding none of the terms left out."""
        return file_bm25(self.store, terms, FILE_B)

    def links(self, paths: list[str]) -> dict[str, frozenset[str]]:
        """The files each of paths uses (names defined in at most OWNERS files)."""
        found: dict[str, set[str]] = {}
        for user, used in file_links(self.store, paths, OWNERS):
            found.setdefault(user, set()).add(used)
        return {p: frozenset(u) for p, u in found.items()}

    def definitions_of(self, names: tuple[str, ...], *, fold_case: bool) -> list[Defined]:
        """Definitions named as one of names (in any case, for a bare symbol query)."""
        if not names:
            return []
        rows = definitions_named(self.store, list(names))
        wanted = set(names)
        found = [
            Defined(
                r[0],
                r[1],
                r[2],
                Candidate(int(r[3]), r[4], int(r[5]), int(r[6]), r[7], 0.0),
                int(r[8]),
                int(r[9]),
            )
            for r in rows
            if fold_case or r[0] in wanted
        ]
        return found[:200]


def pool_from(source: Source, terms: list[str], paths: list[str] | None) -> dict[int, Candidate]:
    """BM25's best POOL chunks, the ones the ranking steps re-order."""
    return {c.chunk_id: c for c in source.bm25(terms, POOL, paths, SHORT)}
