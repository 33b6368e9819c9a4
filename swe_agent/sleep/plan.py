"""What to analyse, in what order: the code questions are likeliest to be about first.

Priority of a definition: many callers, recently and often changed, public, near a TODO or
FIXME, and notes about it that the foreground already used.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from swe_agent.sleep.history import History
from swe_agent.store.db import Store

MIN_LINES = 3  # definitions shorter than this get no notes of their own


@dataclass(slots=True)
class Item:
    path: str
    code_hash: str
    priority: float
    definitions: list[dict[str, Any]]


def pending_files(store: Store) -> list[tuple[str, str]]:
    """(path, hash) of indexed source files with no current notes for their content."""
    return store.query(
        """
        SELECT f.path, f.hash FROM files f
        WHERE f.language IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.path = f.path AND n.code_hash = f.hash AND NOT n.stale)
        ORDER BY f.path
        """
    )


def plan(store: Store, history: History, files: list[tuple[str, str]]) -> list[Item]:
    if not files:
        return []
    paths = [p for p, _ in files]
    rows = store.rows(
        """
        SELECT d.path, d.name, d.qualname, d.kind, d.start_line, d.end_line, d.signature, d.doc, d.parent,
               coalesce(c.callers, 0) AS callers
        FROM definitions d
        LEFT JOIN (SELECT name, count(*) AS callers FROM refs WHERE kind = 'call' GROUP BY name) c
          ON c.name = d.name
        WHERE d.path IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY d.path, d.start_line
        """,
        [paths],
    )
    used = dict(store.query("SELECT path, sum(used_count) FROM notes GROUP BY path"))
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        row["priority"] = _definition_priority(row)
        by_path[row["path"]].append(row)
    items = []
    for path, code_hash in files:
        defs = by_path.get(path, [])
        recency = 1.0 / (1 + history.last_touched.get(path, 1000) / 20)
        file_score = (
            1.0 + 2.0 * recency + math.log1p(history.churn.get(path, 0)) + 0.5 * math.log1p(used.get(path) or 0)
            + (0.0 if is_test(path) else 1.0)
            + (max((d["priority"] for d in defs), default=0.0) / 2)
        )
        for d in defs:
            d["priority"] += file_score
        defs.sort(key=lambda d: -d["priority"])
        items.append(Item(path, code_hash, file_score, defs))
    items.sort(key=lambda i: (-i.priority, i.path))
    return items


def _definition_priority(d: dict[str, Any]) -> float:
    size = d["end_line"] - d["start_line"] + 1
    if size < MIN_LINES and d["kind"] in ("function", "method"):
        return -1.0
    public = 0.0 if d["name"].startswith("_") and not d["name"].startswith("__") else 1.0
    return math.log1p(d["callers"]) + public + (0.5 if d["doc"] else 0.0) + (0.5 if d["kind"] == "class" else 0.0)


def is_test(path: str) -> bool:
    parts = path.lower().split("/")
    return any(p in ("test", "tests", "testing", "__tests__") for p in parts[:-1]) or parts[-1].startswith("test_")
