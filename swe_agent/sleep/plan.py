"""What to analyse, in what order: the code questions are likeliest to be about first.

Priority of a definition: many callers, recently and often changed, public, near a TODO or
FIXME, and notes about it that the foreground already used.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from swe_agent.code.paths import is_test_path
from swe_agent.code.tokens import terms
from swe_agent.sleep.history import History
from swe_agent.store import notes, symbols
from swe_agent.store.db import Store
from swe_agent.store.search import chunks_with_terms

MIN_LINES = 3  # definitions shorter than this get no notes of their own
MARKERS = ("TODO", "FIXME", "XXX")


@dataclass(slots=True)
class Item:
    path: str
    code_hash: str
    priority: float
    definitions: list[dict[str, Any]]


def plan(store: Store, history: History, files: list[tuple[str, str]]) -> list[Item]:
    if not files:
        return []
    paths = [p for p, _ in files]
    rows = symbols.definitions_with_callers(store, paths)
    used = notes.use_counts(store)
    markers = _markers(store, paths)
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        near_marker = any(
            a <= row["end_line"] and row["start_line"] <= b for a, b in markers.get(row["path"], ())
        )
        row["priority"] = (
            _definition_priority(row)
            + (1.0 if near_marker else 0.0)
            + 0.5 * math.log1p(used.get((row["path"], row["qualname"]), 0))
        )
        by_path[row["path"]].append(row)
    used_by_path: Counter[str] = Counter()
    for (path, _), count in used.items():
        used_by_path[path] += count
    items = []
    for path, code_hash in files:
        defs = by_path.get(path, [])
        file_score = _file_priority(path, history, used_by_path[path], len(markers.get(path, ())))
        file_score += max((d["priority"] for d in defs), default=0.0) / 2
        for d in defs:
            d["priority"] += file_score
        defs.sort(key=lambda d: -d["priority"])
        items.append(Item(path, code_hash, file_score, defs))
    items.sort(key=lambda i: (-i.priority, i.path))
    return items


def _file_priority(path: str, history: History, used: int, markers: int) -> float:
    recency = 1.0 / (1 + history.last_touched.get(path, 1000) / 20)
    return (
        1.0
        + 2.0 * recency
        + math.log1p(history.churn.get(path, 0))
        + 0.5 * math.log1p(used)
        + 0.5 * math.log1p(markers)
        + (0.0 if is_test_path(path) else 1.0)
    )


def _markers(store: Store, paths: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Line ranges of the code chunks that carry a TODO, FIXME or XXX, from the index."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for path, start, end in chunks_with_terms(store, sorted(set(terms(" ".join(MARKERS)))), paths):
        found[path].append((start, end))
    return found


def _definition_priority(d: dict[str, Any]) -> float:
    size = d["end_line"] - d["start_line"] + 1
    if size < MIN_LINES and d["kind"] in ("function", "method"):
        return -1.0
    public = 0.0 if d["name"].startswith("_") and not d["name"].startswith("__") else 1.0
    return (
        math.log1p(d["callers"])
        + public
        + (0.5 if d["doc"] else 0.0)
        + (0.5 if d["kind"] == "class" else 0.0)
    )
