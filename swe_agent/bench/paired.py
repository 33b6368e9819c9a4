"""Paired comparisons of one system against a baseline on the same questions: the mean
difference of a measure and its bootstrap 95 % confidence interval. Pure functions; the
resampling is seeded, so the same rows always give the same interval.

Questions are resampled within their group (a repository), and the difference is the mean
over groups of each group's mean difference, so that it equals the difference of the
summaries that weigh every repository alike (semble's NDCG@10); with a single group it is
the plain mean difference over questions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from statistics import fmean
from typing import Any

RESAMPLES = 2000
SEED = 20240611
Row = dict[str, Any]


def group_mean(groups: Sequence[Sequence[float]]) -> float:
    return fmean(fmean(g) for g in groups)


def bootstrap(
    groups: Sequence[Sequence[float]], resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float, float]:
    """(difference, low, high): the mean of group means and its percentile 95 % interval,
    resampling values with replacement within each group."""
    groups = [list(g) for g in groups if g]
    if not groups:
        return 0.0, 0.0, 0.0
    rng = random.Random(seed)
    stats = []
    for _ in range(resamples):
        stats.append(fmean(fmean(rng.choices(g, k=len(g))) for g in groups))
    stats.sort()
    low = stats[int(0.025 * (resamples - 1))]
    high = stats[int(round(0.975 * (resamples - 1)))]
    return group_mean(groups), low, high


def compare(
    base: dict[Hashable, Row],
    other: dict[Hashable, Row],
    measure: Callable[[Row], float | None],
    group: Callable[[Row], Hashable],
) -> dict[str, Any] | None:
    """The paired difference other - base of a measure over the keys both scored."""
    by_group: dict[Hashable, list[float]] = defaultdict(list)
    pairs = []
    for key, row in base.items():
        if key not in other:
            continue
        b, o = measure(row), measure(other[key])
        if b is None or o is None:
            continue
        by_group[group(row)].append(o - b)
        pairs.append((b, o))
    if not pairs:
        return None
    diff, low, high = bootstrap(list(by_group.values()))
    return {
        "pairs": len(pairs), "base": round(fmean(b for b, _ in pairs), 4),
        "other": round(fmean(o for _, o in pairs), 4), "difference": round(diff, 4),
        "ci_low": round(low, 4), "ci_high": round(high, 4),
        "better": sum(1 for b, o in pairs if o > b), "worse": sum(1 for b, o in pairs if o < b),
    }  # fmt: skip


def _hit(metric: str) -> Callable[[Row], float | None]:
    def value(row: Row) -> float | None:
        v = row.get(metric)
        return None if v is None else float(bool(v))

    return value


LOCALIZE_MEASURES: tuple[tuple[str, Callable[[Row], float | None]], ...] = (
    ("file@1", _hit("file@1")),
    ("file@5", _hit("file@5")),
    ("function@1", _hit("function@1")),
    ("function@5", _hit("function@5")),
    ("test_time_tokens", lambda r: float(r["test_time_tokens"])),
    ("cpu_seconds", lambda r: r.get("cpu_seconds")),
)


def localize_pairs(rows: Sequence[Row], base_level: int = 0) -> list[dict[str, Any]]:
    """Each level against the base level at the main budget, task by task."""
    main = [r for r in rows if r.get("main")]
    base = {r["task"]: r for r in main if r["level"] == base_level}
    systems = sorted(
        {(r["level"], r.get("note_kinds") or "") for r in main if r["level"] != base_level}
    )
    out = []
    for level, kinds in systems:
        other = {
            r["task"]: r
            for r in main
            if r["level"] == level and (r.get("note_kinds") or "") == kinds
        }
        for name, measure in LOCALIZE_MEASURES:
            found = compare(base, other, measure, group=lambda r: "all")
            if found:
                out.append({"level": level, "note_kinds": kinds, "base_level": base_level,
                            "measure": name, **found})  # fmt: skip
    return out


def search_pairs(rows: Sequence[Row], base_system: str) -> list[dict[str, Any]]:
    """Each system against the base system on NDCG@10, query by query, grouped by repository."""

    def keyed(system: str) -> dict[Hashable, Row]:
        return {(r["repo"], r["query"]): r for r in rows if r["system"] == system}

    base = keyed(base_system)
    if not base:
        return []
    out = []
    for system in dict.fromkeys(r["system"] for r in rows):
        if system == base_system:
            continue
        found = compare(base, keyed(system), lambda r: r["ndcg10"], group=lambda r: r["repo"])
        if found:
            out.append({"system": system, "base_system": base_system, "measure": "ndcg10", **found})
    return out
