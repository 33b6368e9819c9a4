"""Ranking steps that raise candidates: each a function with its weight named and explained.

Weights are fractions of the best BM25 score of the query, so they mean the same on every
repository and every query length.
"""

from __future__ import annotations

import math
import posixpath
from collections import defaultdict
from functools import lru_cache

import numpy as np

from swe_agent.code.declarations import prefer_definitions
from swe_agent.code.tokens import split_identifier, stem
from swe_agent.ranking.candidates import Defined, Pool
from swe_agent.ranking.query import Query

DEFINITION = 3.0  # a definition of the symbol asked for leads: three times the best text match
EMBEDDED_DEFINITION = 1.5  # an identifier inside prose may be incidental: half as much
STEM_MATCH = 0.5  # the definition sits in a file named after it (Router in router.go): more
KIND_FACTOR = {
    "class": 1.0,
    "interface": 1.0,
    "struct": 1.0,
    "trait": 1.0,
    "enum": 0.95,
    "type": 0.95,
    "module": 0.95,
    "function": 0.9,
    "method": 0.85,
    "macro": 0.85,
    "declaration": 0.85,  # a prototype with no definition indexed (prefer_definitions)
}
OTHER_KIND = 0.6  # constants, variables, fields: named like the symbol, rarely what is meant
PATH_MATCH = 1.0  # all the query's words in a file's name and folder: as strong as the best hit
NAMED_FILE = 0.3  # every word of a file's name is in the query (diff.lua for "git diff output")
NAMED_PREFIX = 4  # a name word and a query word agree when one begins the other, this long and
# at least half the longer one (util ~ utility, loader ~ load; auth is not authorization)
COMMON_STEM = 5  # ... or when both begin with the same 5 letters or more, at least COMMON_SHARE
COMMON_SHARE = 0.6  # of the shorter word (connection ~ connector; transform is not transaction)
HEAD = min(4, NAMED_PREFIX, COMMON_STEM)  # first letters that words near each other share
PATH_MIN_SHARE = 0.1  # below this share of the query's words, a path match is chance
COHERENCE = 0.2  # a file with several matching chunks: its best chunk rises by up to this
QUESTION_COHERENCE = 0.4  # for a question, which is more often about a file than one line
CENTRAL = 0.2  # a question's chunks in the files most used by others rise by up to this share


@lru_cache(maxsize=65536)
def _parts(name: str) -> frozenset[str]:
    return frozenset(stem(p) for p in split_identifier(name) if len(p) > 1)


def _stem_of(path: str) -> str:
    """The file's name without its extension: SqlMapper.Async.cs -> sqlmapper.async."""
    base = posixpath.basename(path)
    return base.rsplit(".", 1)[0].lower()


def _named_after(path: str, name: str) -> bool:
    s = _stem_of(path).replace("_", "").replace("-", "")
    n = name.lower()
    return s == n or s.rstrip("s") == n or s == n.rstrip("s")


def boost_definitions(pool: Pool, defined: list[Defined], q: Query, top: float) -> None:
    """Chunks that define a queried name rise by DEFINITION (x KIND_FACTOR, + STEM_MATCH when
    the file is named after it); a qualifier in the query (Rails::Engine) must match the
    qualified name or the path. Definitions BM25 missed join the pool."""
    defined = prefer_definitions(defined)
    if not defined:
        return
    weight = DEFINITION if q.symbol else EMBEDDED_DEFINITION
    most = max(d.references for d in defined) or 1
    largest = max(d.lines for d in defined)
    for d in defined:
        if q.qualifiers and not _qualified(d, q.qualifiers):
            continue
        factor = KIND_FACTOR.get(d.kind, OTHER_KIND) * (
            1 + (STEM_MATCH if _named_after(d.chunk.path, d.name) else 0)
        )
        exact = 1.0 if d.name in q.names else 0.8  # case folded
        central = 0.9 + 0.1 * math.log1p(d.references) / math.log1p(most)
        size = 0.9 + 0.1 * math.log1p(d.lines) / math.log1p(largest)
        boost = top * weight * factor * exact * central * size
        row = pool.add(d.chunk)  # first: a new row makes a new score array
        pool.score[row] += boost


def _qualified(d: Defined, qualifiers: tuple[str, ...]) -> bool:
    owner = d.qualname.rsplit(".", 1)[0].lower() if "." in d.qualname else ""
    path = d.chunk.path.lower()
    return all(q.lower() in owner or q.lower() in path for q in qualifiers)


def boost_path_matches(pool: Pool, q: Query, top: float) -> None:
    """Chunks of files whose name or folder carries the query's words rise with the share of
    words matched (prefixes of at least 4 letters count: dependency ~ dependencies)."""
    if not q.words:
        return
    words = _WordMatcher(q.words)
    found = [words.path_boost(path, top) for path in pool.files]
    pool.score += pool.per_file([share for share, _ in found])
    pool.score += pool.per_file([named for _, named in found])


class _WordMatcher:
    """The query's words matched against the words of file and folder names, each name word
    once per query (many files share a folder, and the pool holds few files)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self._near: dict[str, frozenset[str]] = {}
        self._agree: dict[str, bool] = {}
        # words that are equal, near or agree begin alike (_near, _agree): a name word is
        # compared only with the query words that have its first HEAD letters
        self._by_head: dict[str, list[str]] = defaultdict(list)
        for w in words:
            self._by_head[w[:HEAD]].append(w)

    def path_boost(self, path: str, top: float) -> tuple[float, float]:
        """What boost_path_matches adds to a chunk of path: for the words in its path, and
        for a name made of the query's words."""
        share = self.share(path)
        return (
            top * PATH_MATCH * share if share >= PATH_MIN_SHARE else 0.0,
            top * NAMED_FILE if self.named(path) else 0.0,
        )

    def share(self, path: str) -> float:
        """The share of the query's words that a word of the file's or its folder's name
        equals or is near."""
        parts = _path_parts(path)
        if not parts:
            return 0.0
        found: set[str] = set()
        for p in parts:
            near = self._near.get(p)
            if near is None:
                near = self._near[p] = frozenset(
                    w for w in self._by_head.get(p[:HEAD], ()) if w == p or _near(p, w)
                )
            found.update(near)
        return len(found) / len(self.words)

    def named(self, path: str) -> bool:
        """Every word of the file's name is among the query's words: the query names the file."""
        parts = _name_parts(path)
        if not parts:
            return False
        for p in parts:
            agree = self._agree.get(p)
            if agree is None:
                alike = self._by_head.get(p[:HEAD], ())
                agree = self._agree[p] = p in self.words or any(_agree(p, w) for w in alike)
            if not agree:
                return False
        return True


@lru_cache(maxsize=65536)
def _name_parts(path: str) -> frozenset[str]:
    base = posixpath.basename(path).rsplit(".", 1)[0]
    return _parts(base.replace(".", "_").replace("+", "_").replace("-", "_"))


def _prefix(short: str, long: str) -> bool:
    return len(short) >= NAMED_PREFIX and 2 * len(short) >= len(long) and long.startswith(short)


def _common(a: str, b: str) -> bool:
    """Words that share a long beginning: one word with different endings (resolution ~
    resolver, serialization ~ serializer), which the small stemmer leaves apart."""
    n = len(posixpath.commonprefix([a, b]))
    return n >= COMMON_STEM and n >= COMMON_SHARE * min(len(a), len(b))


@lru_cache(maxsize=65536)  # pure, and asked for the same pairs of words by every chunk
def _agree(part: str, w: str) -> bool:
    return (_prefix(part, w) if len(part) <= len(w) else _prefix(w, part)) or _common(part, w)


@lru_cache(maxsize=65536)
def _near(p: str, w: str) -> bool:
    return (len(p) >= 4 and len(w) >= 4 and (p.startswith(w) or w.startswith(p))) or _common(p, w)


@lru_cache(maxsize=65536)
def _path_parts(path: str) -> frozenset[str]:
    """The words of a file's name and of its folder's name."""
    folder, base = posixpath.split(path)
    return _parts(base.rsplit(".", 1)[0].replace(".", "_")) | _parts(posixpath.basename(folder))


def boost_coherent_files(pool: Pool, top: float, weight: float) -> None:
    """The best chunk of each file rises by weight x top, scaled by the file's share of the
    summed scores: a file with several matching chunks is likelier the subject."""
    if not len(pool):
        return
    total = np.bincount(pool.file_of, pool.score, len(pool.files))  # summed in row order
    best = pool.best_rows()
    most = float(total.max()) or 1.0
    pool.score[best] += top * weight * total / most


def boost_central_files(pool: Pool, uses: dict[str, int]) -> None:
    """A question about how something works is most often answered by a file the rest of
    the code leans on: chunks of files whose definitions other files use rise by up to
    CENTRAL (log of the number of such files, relative to the most used file in the pool)."""
    most = max(uses.values(), default=0)
    if not most:
        return
    pool.score *= pool.per_file(
        [1 + CENTRAL * math.log1p(uses.get(path, 0)) / math.log1p(most) for path in pool.files]
    )
