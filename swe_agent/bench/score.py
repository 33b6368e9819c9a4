"""Scoring, as shared/bench/README.md defines it. Pure functions over plain data.

- file hit@k: a gold file among the first k distinct files of the ranked answer;
- function hit@k: a gold function among the first k locations, where a location matches
  when its path is the gold path and its symbol's last name part equals the gold's last
  part, or its line range overlaps the gold definition's lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

Span = tuple[int, int]
FILE_KS = (1, 5, 10)
FUNCTION_KS = (1, 5)
_SEPARATORS = re.compile(r"::|[.#:/]")


def split_gold(gold: str) -> tuple[str, str]:
    """`path::Qualified.name` as (path, qualified name)."""
    path, _, qualname = gold.partition("::")
    return path, qualname


def last_part(symbol: str | None) -> str:
    """The last name of a qualified symbol: `Client.send` -> `send`, `app.use` -> `use`."""
    if not symbol:
        return ""
    parts = [p for p in _SEPARATORS.split(symbol.strip()) if p]
    return parts[-1] if parts else ""


def distinct_files(locations: Sequence[Mapping[str, Any]]) -> list[str]:
    """The files of the ranked locations, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for loc in locations:
        path = loc.get("path")
        if path and path not in seen:
            seen[path] = None
    return list(seen)


def file_hit(locations: Sequence[Mapping[str, Any]], gold_files: Sequence[str], k: int) -> bool:
    gold = set(gold_files)
    return any(path in gold for path in distinct_files(locations)[:k])


def overlaps(a: Span, b: Span) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def location_matches(loc: Mapping[str, Any], gold: str, spans: Sequence[Span]) -> bool:
    """Whether one location names the gold function `path::Qualified.name`.

    `spans` are the gold definition's lines in the indexed repository (empty when unknown).
    """
    path, qualname = split_gold(gold)
    if loc.get("path") != path:
        return False
    wanted = last_part(qualname)
    if wanted and last_part(loc.get("symbol")) == wanted:
        return True
    start = int(loc.get("start_line") or 0)
    if start <= 0:
        return False
    end = max(start, int(loc.get("end_line") or start))
    return any(overlaps((start, end), span) for span in spans)


def function_hit(
    locations: Sequence[Mapping[str, Any]],
    gold_functions: Sequence[str],
    spans: Mapping[str, Sequence[Span]],
    k: int,
) -> bool:
    return any(
        location_matches(loc, gold, spans.get(gold, ()))
        for loc in locations[:k]
        for gold in gold_functions
    )


def first_file_rank(
    locations: Sequence[Mapping[str, Any]], gold_files: Sequence[str]
) -> int | None:
    """1-based rank of the first gold file among the distinct files, None when absent."""
    gold = set(gold_files)
    for rank, path in enumerate(distinct_files(locations), start=1):
        if path in gold:
            return rank
    return None


def score_answer(
    locations: Sequence[Mapping[str, Any]],
    gold_files: Sequence[str],
    gold_functions: Sequence[str],
    spans: Mapping[str, Sequence[Span]],
) -> dict[str, Any]:
    """Every hit of one answer: file@1/5/10, function@1/5 (None when the task has no gold
    functions), and the rank of the first gold file."""
    scores: dict[str, Any] = {f"file@{k}": file_hit(locations, gold_files, k) for k in FILE_KS}
    for k in FUNCTION_KS:
        scores[f"function@{k}"] = (
            function_hit(locations, gold_functions, spans, k) if gold_functions else None
        )
    scores["file_rank"] = first_file_rank(locations, gold_files)
    return scores


def accuracy(values: Sequence[bool | None]) -> float | None:
    """The share of hits among the scored values (None values are not scored)."""
    scored = [bool(v) for v in values if v is not None]
    return sum(scored) / len(scored) if scored else None


def resolve_spans(gold: str, definitions: Sequence[Mapping[str, Any]]) -> list[Span]:
    """Lines of the gold definition among the definitions of its file.

    Exact qualified name first; then definitions whose qualified name ends with the gold's
    (the index may qualify more deeply); then those of the same last name.
    """
    _, qualname = split_gold(gold)
    exact = [d for d in definitions if d.get("qualname") == qualname]
    suffix = [d for d in definitions if str(d.get("qualname") or "").endswith("." + qualname)]
    named = [
        d
        for d in definitions
        if last_part(d.get("qualname") or d.get("name")) == last_part(qualname)
    ]
    chosen = exact or suffix or named
    return [(int(d["start_line"]), int(d["end_line"])) for d in chosen]
