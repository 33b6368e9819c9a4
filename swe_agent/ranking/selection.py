"""The last ranking steps: penalties for what is rarely the answer, and the page itself."""

from __future__ import annotations

import heapq

from swe_agent.ranking.candidates import Candidate
from swe_agent.ranking.paths import REEXPORT_NAMES, path_class
from swe_agent.ranking.query import Query

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


def penalise(pool: dict[int, Candidate], q: Query) -> None:
    """Scale each candidate by what its path is (path_factor), an __init__.py's import
    block by REEXPORT, and a header beside its source by DECLARATION."""
    paths = {c.path for c in pool.values()}
    sources = {base for base, ext in map(_split_extension, paths) if ext in SOURCES}
    per_path = {path: _path_penalties(path, q, sources) for path in paths}
    for c in pool.values():
        header, factor, reexports = per_path[c.path]
        if header:
            c.score *= DECLARATION
        c.score *= factor
        if reexports and c.symbol is None:
            c.score *= REEXPORT  # a definition in an __init__.py is code like any other


def _path_penalties(path: str, q: Query, sources: set[str]) -> tuple[bool, float, bool]:
    """(a header beside its source, path_factor, a file of re-exports) of one path."""
    base, ext = _split_extension(path)
    return (
        ext in HEADERS and base in sources,
        path_factor(path, q),
        path.rsplit("/", 1)[-1] in REEXPORT_NAMES,
    )


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


def select(pool: dict[int, Candidate], k: int) -> list[Candidate]:
    """The best k, each further chunk of one file decayed by SAME_FILE_DECAY so that the page
    covers several files; ties broken by path and line, so the order never depends on k."""
    ranked = sorted(pool.values(), key=lambda c: (-c.score, c.path, c.start_line))
    seen: dict[str, int] = {}
    chosen: list[tuple[float, Candidate]] = []
    kth: list[float] = []  # min-heap of the k best decayed scores so far
    for c in ranked:
        if len(kth) >= k and c.score <= kth[0]:
            break  # decay only lowers scores: nothing further can enter the page
        n = seen.get(c.path, 0)
        seen[c.path] = n + 1
        score = c.score * SAME_FILE_DECAY**n
        chosen.append((score, c))
        if len(kth) < k:
            heapq.heappush(kth, score)
        elif score > kth[0]:
            heapq.heapreplace(kth, score)
    chosen.sort(key=lambda t: (-t[0], t[1].path, t[1].start_line))
    out = []
    for score, c in chosen[:k]:
        c.score = score
        out.append(c)
    return out
