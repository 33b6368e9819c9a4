"""Ranking steps for a question that weigh whole files: most such questions are answered by
a file, not a line ("how does X work" names a mechanism that one file carries or wires up).

Weights are fractions of the best BM25 score of the query, as in boosts.py.
"""

from __future__ import annotations

import math

from swe_agent.ranking.candidates import Pool
from swe_agent.ranking.paths import path_class

FILE_MATCH = 0.2  # a chunk's score grows by up to this share with its file's whole-file BM25:
# a file that holds all of the question's words, if in different chunks, speaks of all of it
HUB = 0.45  # the file that uses the most of the other matching files rises by this x top:
# the hub of the query's files (Kleinberg's HITS), which wires up what the others hold
QUESTION_TERMS = 12  # the steps here weigh a question of at most this many distinct terms, which
# names a mechanism; a longer text (an issue, a symptom with its question) spreads its words
# over many files: the biggest file holds most of them and a traceback's hub uses the rest
HUB_DAMPING = 0.5  # a file's hub score is divided by (files it uses) ** this, so a file that
# uses everything is not the hub of every question
SHALLOW = 0.9  # a question's chunk keeps this share of its score per folder its file sits below
# the shallowest code file of the pool: the core module a question is about sits near the top of
# the source tree, its ports, adapters and helpers deeper (semble dev: the gold file is the
# shallower of a pair that ranked it lower 4 times in 5)


def is_question(terms: int) -> bool:
    """Whether a query of this many distinct terms is short enough for the steps here."""
    return terms <= QUESTION_TERMS


def boost_matching_files(pool: Pool, scores: dict[str, float], most: float) -> None:
    """Every chunk rises with its file's whole-file BM25 (scores) relative to the best file's
    (most)."""
    if not most:
        return
    pool.score *= pool.per_file(
        [1 + FILE_MATCH * scores.get(path, 0.0) / most for path in pool.files]
    )


def boost_hub_files(pool: Pool, links: dict[str, frozenset[str]], top: float) -> None:
    """The best chunk of each file rises by HUB x top, scaled by the file's hub score: the
    summed best scores (relative to top) of the other pool files it uses, damped by how many
    files it uses in all, relative to the pool's best hub."""
    best_rows = pool.best_rows()
    best = dict(zip(pool.files, best_rows.tolist(), strict=True))
    weight = dict(zip(pool.files, (pool.score[best_rows] / top).tolist(), strict=True))
    pooled = weight.__contains__
    hub = {  # fsum: exact, so the same whatever order the set iterates in (it varies by process)
        path: math.fsum(map(weight.__getitem__, filter(pooled, used)))
        / max(1, len(used)) ** HUB_DAMPING
        for path, used in links.items()
        if path in best
    }
    most = max(hub.values(), default=0.0)
    if not most:
        return
    for path, score in hub.items():
        pool.score[best[path]] += top * HUB * score / most


def prefer_shallow_files(pool: Pool) -> None:
    """Every chunk decays by SHALLOW per folder of depth beyond the shallowest code file in the
    pool; depth is relative, so a repository's own layout (src/, packages/x/) costs nothing."""
    depth = [path.count("/") for path in pool.files]
    code = [d for path, d in zip(pool.files, depth, strict=True) if path_class(path) == "code"]
    if not code:
        return
    least = min(code)
    pool.score *= pool.per_file([SHALLOW ** max(0, d - least) for d in depth])
