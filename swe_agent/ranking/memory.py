"""The code chunks' BM25 postings and the definitions, held in memory by a long-lived process.

The daemon, the MCP server and the benchmarks answer many queries from one store: for them
the postings are loaded once into numpy arrays (term -> a slice of chunk rows and term
frequencies), and a query costs a few array operations instead of a SQL join. A one-shot CLI
query does not pay the load and asks DuckDB instead (store/search.py); both score with the
same formula, and a test holds them equal.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from swe_agent.ranking.candidates import FILE_B, OWNERS, Candidate, Defined, Pool
from swe_agent.store import search
from swe_agent.store.db import Store
from swe_agent.store.files import generated_paths
from swe_agent.store.search import DECIMALS, K1, B


@dataclass(frozen=True, slots=True)
class _Definition:
    name: str
    qualname: str
    kind: str
    row: int
    lines: int


class MemoryIndex:
    """BM25 and definition lookups over one store's code chunks, as they were when loaded."""

    def __init__(self, store: Store) -> None:
        self.generation = generation(store)
        rows = search.code_chunks(store)
        self.ids = [int(r[0]) for r in rows]
        self.paths = [r[1] for r in rows]
        self.starts = [int(r[2]) for r in rows]
        self.ends = [int(r[3]) for r in rows]
        self.symbols = [r[4] for r in rows]
        self.lengths = np.array([r[5] for r in rows], dtype=np.float64)
        self.avgdl = max(float(self.lengths.mean()) if rows else 1.0, 1.0)
        self.files = sorted(set(self.paths))
        self.file_number = {p: i for i, p in enumerate(self.files)}
        self.file_of = np.array([self.file_number[p] for p in self.paths], dtype=np.int64)
        self.file_lengths = np.bincount(self.file_of, self.lengths, len(self.files))
        self.file_avgdl = max(float(self.file_lengths.mean()) if rows else 1.0, 1.0)
        self.file_norm = K1 * (1 - FILE_B + FILE_B * self.file_lengths / self.file_avgdl)
        self.id_array = np.array(self.ids, dtype=np.int64)
        self.path_array = np.array(self.paths, dtype=object)
        self.start_array = np.array(self.starts, dtype=np.int64)
        self.place = _places(self.file_of, self.start_array)
        self.end_array = np.array(self.ends, dtype=np.int64)
        self.symbol_array = np.array(self.symbols, dtype=object)
        self._denominator: dict[float, np.ndarray] = {}
        self._load_postings(store)
        self._load_definitions(store)
        self.generated = generated_paths(store)

    def _load_postings(self, store: Store) -> None:
        vocabulary = search.code_vocabulary(store)
        counts = np.array([int(v[1]) for v in vocabulary], dtype=np.int64)
        self.offsets = (
            np.concatenate([[0], np.cumsum(counts)]) if len(counts) else np.zeros(1, np.int64)
        )
        self.terms = {v[0]: i for i, v in enumerate(vocabulary)}
        columns = search.code_postings(store)
        self.rows = np.asarray(columns["row"], dtype=np.int32)
        self.tfs = np.asarray(columns["tf"], dtype=np.float64)
        self.posting_files = self.file_of[self.rows].astype(np.int32)

    def _load_definitions(self, store: Store) -> None:
        self.definitions: dict[str, list[_Definition]] = defaultdict(list)
        for name, qualname, kind, row, lines in search.code_definitions(store):
            self.definitions[name.lower()].append(
                _Definition(name, qualname, kind, int(row), int(lines))
            )
        self.uses = search.name_uses(store)
        self.used_files = search.file_uses(store, None, OWNERS)
        found: dict[str, set[str]] = defaultdict(set)
        for user, used in search.file_links(store, None, OWNERS):
            found[user].add(used)
        self.file_links = {p: frozenset(u) for p, u in found.items()}

    def generated_files(self) -> frozenset[str]:
        return self.generated

    def links(self, paths: list[str]) -> dict[str, frozenset[str]]:
        return {p: self.file_links[p] for p in paths if p in self.file_links}

    def file_bm25(self, terms: list[str], paths: list[str]) -> tuple[dict[str, float], float]:
        """store.search.file_bm25's formula over the held postings: the scores of paths
        (those holding a term), and the best score of any file."""
        n = len(self.files)
        scores = np.zeros(n, dtype=np.float64)
        norm = self.file_norm
        for term in dict.fromkeys(terms):
            if term not in self.terms:
                continue
            index = self.terms[term]
            start, end = self.offsets[index], self.offsets[index + 1]
            tf = np.bincount(self.posting_files[start:end], self.tfs[start:end], n)
            df = int(np.count_nonzero(tf))
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            scores += idf * tf * (K1 + 1) / (tf + norm)
        found = {}
        for path in paths:
            i = self.file_number.get(path)
            if i is not None and scores[i] > 0:
                found[path] = float(scores[i])
        return found, float(scores.max()) if n else 0.0

    def file_uses(self, paths: list[str]) -> dict[str, int]:
        return {p: self.used_files[p] for p in paths if p in self.used_files}

    def bm25(
        self, terms: list[str], limit: int, paths: list[str] | None = None, short: float = 0.0
    ) -> Pool:
        """The best chunks for the terms, best first: store.search.bm25's formula and order."""
        weights: dict[int, int] = defaultdict(int)
        for term in terms:
            if term in self.terms:
                weights[self.terms[term]] += 1
        if not weights:
            return Pool([], [], [], [], [], [])
        n = len(self.ids)
        denominators = self._denominators(short)
        scores = np.zeros(n, dtype=np.float64)
        for index, qtf in weights.items():
            start, end = self.offsets[index], self.offsets[index + 1]
            rows = self.rows[start:end]
            idf = math.log(1 + (n - (end - start) + 0.5) / ((end - start) + 0.5))
            part = (qtf * idf) * self.tfs[start:end]  # the formula's operations, in its order
            part *= K1 + 1
            part /= denominators[start:end]
            scores[rows] += part
        if paths is not None:
            scores[~self._within(paths)] = 0.0
        hit = np.flatnonzero(scores > 0)
        compared = np.round(scores[hit], DECIMALS)
        if len(hit) > limit:  # the limit-th best, with every chunk that ties it
            kth = np.partition(compared, len(hit) - limit)[len(hit) - limit]
            hit, compared = hit[compared >= kth], compared[compared >= kth]
        # best first, then by path and line: np.lexsort sorts by its last key first, stably
        hit = hit[np.lexsort((self.place[hit], -compared))][:limit]
        return Pool(
            self.id_array[hit].tolist(), self.path_array[hit].tolist(),
            self.start_array[hit].tolist(), self.end_array[hit].tolist(),
            self.symbol_array[hit].tolist(), scores[hit].tolist(),
        )  # fmt: skip

    def _denominators(self, short: float) -> np.ndarray:
        """Each posting's BM25 denominator, tf + the length normalisation of its chunk (a
        chunk shorter than `short` x the average counted as that long): the same for every
        query, so computed once per `short`."""
        found = self._denominator.get(short)
        if found is None:
            lengths = np.maximum(self.lengths, short * self.avgdl)
            norm = K1 * (1 - B + B * lengths / self.avgdl)
            found = self._denominator[short] = self.tfs + norm[self.rows]
        return found

    def _within(self, paths: list[str]) -> np.ndarray:
        """Which chunk rows belong to one of paths."""
        keep = np.zeros(len(self.files) + 1, dtype=bool)  # a last, empty file: no row is in it
        keep[[self.file_number.get(p, len(self.files)) for p in paths]] = True
        keep[len(self.files)] = False
        return keep[self.file_of]

    def definitions_of(self, names: tuple[str, ...], *, fold_case: bool) -> list[Defined]:
        out: list[Defined] = []
        for wanted in dict.fromkeys(names):
            for d in self.definitions.get(wanted.lower(), []):
                if fold_case or d.name == wanted:
                    r = d.row
                    chunk = Candidate(
                        self.ids[r],
                        self.paths[r],
                        self.starts[r],
                        self.ends[r],
                        self.symbols[r],
                        0.0,
                    )
                    out.append(
                        Defined(
                            d.name, d.qualname, d.kind, chunk, self.uses.get(d.name, 0), d.lines
                        )
                    )
        out.sort(key=lambda d: (d.chunk.path, d.chunk.start_line))
        return out[:200]


def _places(file_of: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each row's rank in (path, start line) order (file numbers follow the paths' order);
    rows of one path and line share a rank."""
    order = np.lexsort((starts, file_of))
    f, s = file_of[order], starts[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (f[1:] != f[:-1]) | (s[1:] != s[:-1])
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.cumsum(new) - 1
    return place


def generation(store: Store) -> str:
    """Changes whenever the index is written: a held MemoryIndex older than this is stale."""
    return f"{store.meta('indexed_at')}:{store.meta('tokenizer')}"
