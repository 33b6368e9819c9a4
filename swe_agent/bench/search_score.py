"""Score ranked code-search results as semble's benchmark does (MinishLab/semble,
`benchmarks/metrics.py` and `data.py`), so our figures sit beside its published ones.

Only the first TOP_K results count, chunks as they come (several may share a file). A target
is found at the rank of the first result whose path matches it (the same path, or one a
'/'-suffix of the other) and, when the target names lines, whose lines overlap them. Every
target, relevant or secondary, has gain 1, and a rank counts once however many targets it
finds. NDCG@10 divides by the ideal of min(10, targets) hits at the top. A repository's score
is the mean over its queries; a summary is the mean over repositories, so a repository with
more queries weighs no more.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

TOP_K = 10


@dataclass(frozen=True, slots=True)
class Target:
    """A file, or some of its lines, that answers a query."""

    path: str
    start_line: int | None = None
    end_line: int | None = None

    @property
    def has_span(self) -> bool:
        return self.start_line is not None and self.end_line is not None

    def describe(self) -> str:
        return f"{self.path}:{self.start_line}-{self.end_line}" if self.has_span else self.path


def same_path(found: str, wanted: str) -> bool:
    """Equal, or one is the other with folders in front (a relative path against a longer one)."""
    found, wanted = found.replace("\\", "/"), wanted.replace("\\", "/")
    return found == wanted or found.endswith("/" + wanted) or wanted.endswith("/" + found)


def finds(result: Mapping[str, Any], target: Target) -> bool:
    """Whether one result (path, start_line, end_line) lands on the target."""
    if not same_path(str(result["path"]), target.path):
        return False
    if not target.has_span:
        return True
    return result["start_line"] <= target.end_line and result["end_line"] >= target.start_line


def target_rank(results: Sequence[Mapping[str, Any]], target: Target, k: int = TOP_K) -> int | None:
    """1-based rank of the first of the top k results that finds the target, or None."""
    return next((rank for rank, r in enumerate(results[:k], start=1) if finds(r, target)), None)


def dcg(gains: Iterable[float]) -> float:
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def ndcg(ranks: Iterable[int | None], targets: int, k: int = TOP_K) -> float:
    """NDCG@k of binary gains at the given ranks; a rank shared by two targets counts once."""
    if targets <= 0:
        return 0.0
    hit = {rank for rank in ranks if rank is not None and 1 <= rank <= k}
    gains = [1.0 if position in hit else 0.0 for position in range(1, k + 1)]
    return dcg(gains) / dcg([1.0] * min(k, targets))


def score_query(
    results: Sequence[Mapping[str, Any]], targets: Sequence[Target], k: int = TOP_K
) -> tuple[float, list[int | None]]:
    """NDCG@k of one query's results, and each target's rank (None when not in the top k)."""
    ranks = [target_rank(results, t, k) for t in targets]
    return ndcg(ranks, len(targets), k), ranks


def summarize(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per-query rows (repo, language, category, ndcg10) of one system as semble reports them:
    per repository the mean over its queries; overall, per category and per language the mean
    over repositories (a category's figure uses each repository's mean for that category)."""
    by_repo: dict[str, list[float]] = defaultdict(list)
    by_repo_category: dict[tuple[str, str], list[float]] = defaultdict(list)
    language: dict[str, str] = {}
    for row in rows:
        by_repo[row["repo"]].append(row["ndcg10"])
        by_repo_category[(row["repo"], row["category"])].append(row["ndcg10"])
        language[row["repo"]] = row["language"]
    repo_mean = {repo: fmean(values) for repo, values in sorted(by_repo.items())}
    categories: dict[str, list[float]] = defaultdict(list)
    for (_, category), values in sorted(by_repo_category.items()):
        categories[category].append(fmean(values))
    languages: dict[str, list[float]] = defaultdict(list)
    for repo, mean in repo_mean.items():
        languages[language[repo]].append(mean)
    return {
        "ndcg10": fmean(repo_mean.values()) if repo_mean else None,
        "repos": len(repo_mean),
        "queries": len(rows),
        "by_category": {c: fmean(v) for c, v in sorted(categories.items())},
        "by_language": {lang: fmean(v) for lang, v in sorted(languages.items())},
        "by_repo": repo_mean,
    }
