"""The pool of candidates as columns, and the per-file shortcuts the ranking steps take: each
must give what the plain per-chunk rule gives."""

import itertools

import numpy as np
import pytest

from swe_agent.ranking import boosts, files
from swe_agent.ranking.candidates import Candidate, Pool, StoreSource
from swe_agent.ranking.memory import MemoryIndex, _places
from swe_agent.ranking.selection import select


def pool_of(rows: list[tuple[str, float]]) -> Pool:
    return Pool(
        list(range(1, len(rows) + 1)), [p for p, _ in rows], list(range(len(rows))),
        list(range(len(rows))), [None] * len(rows), [s for _, s in rows],
    )  # fmt: skip


def test_the_best_chunk_of_a_file_is_the_first_of_equal_ones() -> None:
    pool = pool_of([("b.py", 2.0), ("a.py", 1.0), ("b.py", 3.0), ("a.py", 1.0), ("b.py", 3.0)])
    assert pool.files == ["b.py", "a.py"]
    assert pool.file_of.tolist() == [0, 1, 0, 1, 0]
    assert pool.best_rows().tolist() == [2, 1]
    assert pool.per_file([10.0, 20.0]).tolist() == [10.0, 20.0, 10.0, 20.0, 10.0]


def test_a_chunk_joins_the_pool_once_and_new_files_are_counted() -> None:
    pool = pool_of([("a.py", 1.0)])
    assert pool.add(Candidate(1, "a.py", 0, 0, None, 0.0)) == 0
    row = pool.add(Candidate(9, "c.py", 5, 8, "f", 0.0))
    assert (row, len(pool), pool.files, pool.score.tolist()) == (1, 2, ["a.py", "c.py"], [1.0, 0.0])
    assert pool.candidate(row, 4.5) == Candidate(9, "c.py", 5, 8, "f", 4.5, 0.0)


WORDS = ["rout", "router", "conn", "connector", "connection", "util", "utility", "auth",
         "authorization", "load", "loader", "json", "serializ", "serializer", "serialization",
         "ab", "abc", "abcd", "abcde", "transform", "transaction"]  # fmt: skip
PATHS = ["src/router/connection_pool.py", "lib/utils/loader.go", "auth/authorization.ts",
         "x/json_serializer.rb", "abc/abcde.c", "core/transform.rs", "a/b.py", "README"]  # fmt: skip


@pytest.mark.parametrize("size", [1, 2, 3])
def test_path_words_are_matched_as_the_pairwise_rules_say(size: int) -> None:
    for words in map(frozenset, itertools.combinations(WORDS, size)):
        matcher = boosts._WordMatcher(words)
        for path in PATHS:
            parts = boosts._path_parts(path)
            hits = sum(w in parts or any(boosts._near(p, w) for p in parts) for w in words)
            assert matcher.share(path) == (hits / len(words) if parts else 0.0), (words, path)
            name = boosts._name_parts(path)
            named = bool(name) and all(
                p in words or any(boosts._agree(p, w) for w in words) for p in name
            )
            assert matcher.named(path) == named, (words, path)


@pytest.mark.parametrize(
    "terms", [["redirect", "auth"], ["cooki", "jar"], ["session", "session", "send"], ["zzqx"]]
)
def test_whole_file_scores_of_the_pool_and_the_best_file_agree_between_sources(
    sample_store, terms: list[str]
) -> None:
    held, store = MemoryIndex(sample_store), StoreSource(sample_store)
    paths = sorted(held.files)[::2]
    mine, best = held.file_bm25(terms, paths)
    theirs, their_best = store.file_bm25(terms, paths)
    assert sorted(mine) == sorted(theirs) and set(mine) <= set(paths)
    assert [round(mine[p], 9) for p in sorted(mine)] == [round(theirs[p], 9) for p in sorted(mine)]
    assert round(best, 9) == round(their_best, 9)
    assert (best > 0) == (terms != ["zzqx"])


def test_bm25_of_a_few_files_ranks_only_their_chunks(sample_store) -> None:
    held, store = MemoryIndex(sample_store), StoreSource(sample_store)
    paths = ["minihttp/sessions.py", "minihttp/auth.py", "no/such/file.py"]
    mine = held.bm25(["auth", "redirect"], 40, paths, 0.5)
    everywhere = held.bm25(["auth", "redirect"], 1000, None, 0.5)
    assert len(mine) > 3 and set(mine.paths) <= set(paths)
    within = [i for i, p in zip(everywhere.ids, everywhere.paths, strict=True) if p in paths]
    assert sorted(mine.ids) == sorted(within)
    # both count a term's documents among all files: the same chunks in the same order, so a
    # scoped search through the daemon and one from the store agree
    theirs = store.bm25(["auth", "redirect"], 40, paths, 0.5)
    assert mine.ids == theirs.ids
    assert [round(x, 9) for x in mine.score] == [round(x, 9) for x in theirs.score]
    assert list(mine.score) == sorted(mine.score, reverse=True)


def test_rows_are_placed_in_path_then_line_order_and_equal_places_share_a_rank() -> None:
    paths = ["b.py", "a.py", "b.py", "a.py", "a.py"]  # file numbers follow the sorted paths
    starts = np.array([1, 9, 1, 2, 9])
    files = sorted(set(paths))
    file_of = np.array([files.index(p) for p in paths])
    assert _places(file_of, starts).tolist() == [2, 1, 2, 0, 1]


def test_a_hub_score_does_not_depend_on_the_order_its_files_come_in() -> None:
    # a set of file names iterates in an order that varies between processes (hash seeds);
    # 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1 in floats, so a plain sum made scores differ
    rows = [("a.py", 0.1), ("b.py", 0.2), ("c.py", 0.3), ("d.py", 0.7), ("hub.py", 0.0)]
    scores = []
    for used in (("a.py", "b.py", "c.py"), ("c.py", "b.py", "a.py")):
        pool = pool_of(rows)
        files.boost_hub_files(pool, {"hub.py": used, "d.py": ("d.py",)}, top=1.0)  # type: ignore[dict-item]
        scores.append(pool.score.tolist())
    assert scores[0] == scores[1] and scores[0][4] > 0.0


def test_select_puts_scores_equal_but_for_their_last_bits_in_path_order() -> None:
    pool = Pool([7, 8], ["b.py", "a.py"], [1, 1], [9, 9], ["g", "f"], [0.1 + 0.2, 0.3])
    assert [c.path for c in select(pool, 2)] == ["a.py", "b.py"]
