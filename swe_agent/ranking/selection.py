"""The last ranking steps: penalties for what is rarely the answer, and the page itself."""

from __future__ import annotations

import heapq
from functools import lru_cache

import numpy as np

from swe_agent.ranking.candidates import Candidate, Pool
from swe_agent.ranking.paths import REEXPORT_NAMES, path_class
from swe_agent.ranking.query import Query
from swe_agent.store.search import DECIMALS

# multiplicative: what a path is, unless the query asks for that kind of file
CLASS_FACTOR = {
    "test": 0.3,
    "doc": 0.15,
    "other": 0.15,
    "example": 0.3,
    "vendored": 0.2,
    "generated": 0.5,
    "compat": 0.5,
    "code": 1.0,
}
REEXPORT = 0.6  # the import block of an __init__.py: re-exports, rarely the answer
SAME_FILE_DECAY = 0.5  # each further chunk of a file already listed counts half as much
DECLARATION = 0.7  # a C or C++ header whose source file (same name and folder) is also a
# candidate: it repeats the names, the source holds the code that does the work
HEADERS = frozenset(["h", "hh", "hpp", "hxx"])
SOURCES = frozenset(["c", "cc", "cpp", "cxx"])


def penalise(pool: Pool, q: Query, generated: frozenset[str] = frozenset()) -> None:
    """Scale each candidate by what its path is (path_factor; a file of `generated`, whose first
    lines say a tool wrote it, counts as generated unless the query names it), an __init__.py's
    import block by REEXPORT, and a header beside its source by DECLARATION."""
    if not len(pool):
        return
    sources = {base for base, ext, _ in map(_path_traits, pool.files) if ext in SOURCES}
    header, factor, reexports = zip(
        *(_path_penalties(path, q, sources, generated) for path in pool.files), strict=True
    )
    if any(header):
        pool.score[np.array(header, dtype=bool)[pool.file_of]] *= DECLARATION
    pool.score *= pool.per_file(list(factor))
    if any(reexports):  # a definition in an __init__.py is code like any other: not scaled
        rows = np.flatnonzero(np.array(reexports, dtype=bool)[pool.file_of]).tolist()
        pool.score[[r for r in rows if pool.symbols[r] is None]] *= REEXPORT


def _path_penalties(
    path: str, q: Query, sources: set[str], generated: frozenset[str]
) -> tuple[bool, float, bool]:
    """(a header beside its source, path_factor with the generated-file factor, a file of
    re-exports) of one path."""
    base, ext, reexports = _path_traits(path)
    factor = path_factor(path, q)
    if path in generated and path_class(path) == "code" and not names_file(path, q.text):
        factor *= CLASS_FACTOR["generated"]
    return ext in HEADERS and base in sources, factor, reexports


@lru_cache(maxsize=65536)
def _path_traits(path: str) -> tuple[str, str, bool]:
    """The path without its extension, the extension, and whether it is a file of re-exports."""
    return *_split_extension(path), path.rsplit("/", 1)[-1] in REEXPORT_NAMES


def _split_extension(path: str) -> tuple[str, str]:
    base, dot, ext = path.rpartition(".")
    return (base, ext.lower()) if dot and "/" not in ext else (path, "")


def path_factor(path: str, q: Query) -> float:
    kind = path_class(path)
    asked = (
        (kind == "test" and q.wants_tests)
        or (kind == "doc" and q.wants_docs)
        or (kind == "example" and q.wants_examples)
    )
    factor = 1.0 if asked else CLASS_FACTOR.get(kind, 1.0)
    return factor


def names_file(path: str, text: str) -> bool:
    """The text (a query, a question) says the file's name with its extension (parser.c) or
    its path."""
    return path.rsplit("/", 1)[-1].lower() in text.lower()


def select(pool: Pool, k: int) -> list[Candidate]:
    """The best k, each further chunk of one file decayed by SAME_FILE_DECAY so that the page
    covers several files; ties broken by path and line, so the order never depends on k."""
    if not len(pool):
        return []
    place = {path: i for i, path in enumerate(sorted(pool.files))}
    by_path = pool.per_file([place[path] for path in pool.files])
    # best first, then by path and line: np.lexsort sorts by its last key first, stably
    ranked = np.lexsort((np.array(pool.starts), by_path, -np.round(pool.score, DECIMALS))).tolist()
    scores = pool.score.tolist()
    seen: dict[str, int] = {}
    chosen: list[tuple[float, int]] = []
    kth: list[float] = []  # min-heap of the k best decayed scores so far
    for row in ranked:
        if len(kth) >= k and scores[row] <= kth[0]:
            break  # decay only lowers scores: nothing further can enter the page
        path = pool.paths[row]
        n = seen.get(path, 0)
        seen[path] = n + 1
        score = scores[row] * SAME_FILE_DECAY**n
        chosen.append((score, row))
        if len(kth) < k:
            heapq.heappush(kth, score)
        elif score > kth[0]:
            heapq.heapreplace(kth, score)
    chosen.sort(key=lambda t: (-round(t[0], DECIMALS), *place_of(pool, t[1])))
    return [pool.candidate(row, score) for score, row in chosen[:k]]


def place_of(pool: Pool, row: int) -> tuple[str, int, int, str]:
    """What orders candidates of equal score: path, first line, last line, symbol."""
    return pool.paths[row], pool.starts[row], pool.ends[row], pool.symbols[row] or ""
