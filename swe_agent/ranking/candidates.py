"""Where ranking starts: BM25's best chunks, and the chunks that define the query's names.

The chunks being ranked are a Pool of columns: a numpy array of scores and a row per chunk, so
a ranking step that weighs files computes its factor once per file and scales every chunk in
one array operation; only the chunks of the final page become Candidate objects. Every step
does the float operations the same chunk-by-chunk code would do, in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from swe_agent.store.db import Store
from swe_agent.store.files import generated_paths
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


class Pool:
    """The candidates being ranked, in the order they joined (BM25's best first, then the
    definitions it missed): one row each, and each row's file among `files`."""

    def __init__(
        self,
        ids: list[int],
        paths: list[str],
        starts: list[int],
        ends: list[int],
        symbols: list[str | None],
        scores: list[float],
    ) -> None:
        self.ids = ids
        self.paths = paths
        self.starts = starts
        self.ends = ends
        self.symbols = symbols
        self.score = np.array(scores, dtype=np.float64)  # what the ranking steps raise and lower
        self.bm25 = self.score.copy()
        self._row: dict[int, int] | None = None  # chunk id -> row, made by the first add
        self._files: tuple[list[str], np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, c: Candidate) -> int:
        """The row of c's chunk, a new one (score c.score) when it is not in the pool yet."""
        if self._row is None:
            self._row = {chunk_id: row for row, chunk_id in enumerate(self.ids)}
        row = self._row.get(c.chunk_id)
        if row is None:
            row = self._row[c.chunk_id] = len(self.ids)
            self.ids.append(c.chunk_id)
            self.paths.append(c.path)
            self.starts.append(c.start_line)
            self.ends.append(c.end_line)
            self.symbols.append(c.symbol)
            self.score = np.append(self.score, c.score)
            self.bm25 = np.append(self.bm25, c.bm25)
            self._files = None
        return row

    @property
    def files(self) -> list[str]:
        """The pool's files, in the order their first chunk joined."""
        return self._by_file()[0]

    @property
    def file_of(self) -> np.ndarray:
        """Each row's file, as an index into files."""
        return self._by_file()[1]

    def _by_file(self) -> tuple[list[str], np.ndarray]:
        if self._files is None:
            number: dict[str, int] = {}
            of = [number.setdefault(p, len(number)) for p in self.paths]
            self._files = list(number), np.array(of, dtype=np.int64)
        return self._files

    def per_file(self, values: list[float]) -> np.ndarray:
        """values, one per file, spread to each row of the file."""
        return np.array(values, dtype=np.float64)[self.file_of]

    def best_rows(self) -> np.ndarray:
        """Per file, the row of its best chunk (the first to join, of equal ones)."""
        order = np.argsort(-self.score, kind="stable")
        _, first = np.unique(self.file_of[order], return_index=True)
        return order[first]

    def candidate(self, row: int, score: float) -> Candidate:
        return Candidate(
            self.ids[row], self.paths[row], self.starts[row], self.ends[row],
            self.symbols[row], score, float(self.bm25[row]),
        )  # fmt: skip


class Source(Protocol):
    """Where candidates come from: the store itself, or a MemoryIndex loaded from it."""

    def bm25(
        self, terms: list[str], limit: int, paths: list[str] | None = None, short: float = 0.0
    ) -> Pool:
        """BM25's best chunks for the terms, best first."""
        ...

    def file_uses(self, paths: list[str]) -> dict[str, int]: ...

    def definitions_of(self, names: tuple[str, ...], *, fold_case: bool) -> list[Defined]: ...

    def file_bm25(self, terms: list[str], paths: list[str]) -> tuple[dict[str, float], float]:
        """Each of paths' BM25 as one document (FILE_B), those holding none of the terms left
        out, and the best such score of any file."""
        ...

    def links(self, paths: list[str]) -> dict[str, frozenset[str]]: ...

    def generated_files(self) -> frozenset[str]: ...


class StoreSource:
    """Candidates read from DuckDB on each query: for one-shot commands."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def bm25(
        self, terms: list[str], limit: int, paths: list[str] | None = None, short: float = 0.0
    ) -> Pool:
        hits = bm25(self.store, terms, space="code", limit=limit, paths=paths, short=short)
        return Pool(
            [h.chunk_id for h in hits], [h.path for h in hits], [h.start_line for h in hits],
            [h.end_line for h in hits], [h.symbol for h in hits], [h.score for h in hits],
        )  # fmt: skip

    def file_uses(self, paths: list[str]) -> dict[str, int]:
        return file_uses(self.store, paths, OWNERS)

    def file_bm25(self, terms: list[str], paths: list[str]) -> tuple[dict[str, float], float]:
        scores = file_bm25(self.store, terms, FILE_B)
        return {p: scores[p] for p in paths if p in scores}, max(scores.values(), default=0.0)

    def links(self, paths: list[str]) -> dict[str, frozenset[str]]:
        """The files each of paths uses (names defined in at most OWNERS files)."""
        found: dict[str, set[str]] = {}
        for user, used in file_links(self.store, paths, OWNERS):
            found.setdefault(user, set()).add(used)
        return {p: frozenset(u) for p, u in found.items()}

    def generated_files(self) -> frozenset[str]:
        return generated_paths(self.store)

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


def pool_from(source: Source, terms: list[str], paths: list[str] | None) -> Pool:
    """BM25's best POOL chunks, the ones the ranking steps re-order."""
    return source.bm25(terms, POOL, paths, SHORT)
