"""The code-search scorer against hand-computed figures, which semble's own metrics.py gives
too on the same inputs (checked once with their code; nothing of it is kept here)."""

import math

import pytest

from swe_agent.bench.search_score import Target, ndcg, same_path, score_query, summarize


def results(*spans: tuple[str, int, int]) -> list[dict]:
    return [{"path": p, "start_line": s, "end_line": e} for p, s, e in spans]


def test_paths_match_when_equal_or_one_is_a_folder_suffix_of_the_other() -> None:
    assert same_path("core.py", "src/click/core.py")
    assert same_path("/abs/src/click/core.py", "click/core.py")
    assert same_path("a\\b.py", "a/b.py")
    assert not same_path("xcore.py", "src/click/core.py")
    assert not same_path("lib/core.py", "src/core.py")


def test_a_single_file_target_at_rank_three() -> None:
    found = results(("x.py", 1, 9), ("y.py", 1, 9), ("core.py", 1, 50))
    score, ranks = score_query(found, [Target("src/click/core.py")])
    assert ranks == [3]
    assert score == pytest.approx(1 / math.log2(4)) == pytest.approx(0.5)


def test_two_targets_found_by_one_result_count_once() -> None:
    score, ranks = score_query(
        results(("a.py", 1, 100), ("b.py", 1, 9)), [Target("a.py", 10, 20), Target("a.py", 50, 60)]
    )
    assert ranks == [1, 1]
    assert score == pytest.approx(1 / (1 + 1 / math.log2(3))) == pytest.approx(0.6131471927654584)


def test_a_spanned_target_needs_overlapping_lines_and_every_target_counts_in_the_ideal() -> None:
    found = results(("a.py", 1, 9), ("a.py", 30, 40), ("b.py", 1, 5))
    targets = [Target("a.py", 20, 35), Target("b.py"), Target("c.py")]
    score, ranks = score_query(found, targets)
    assert ranks == [2, 3, None]
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert score == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / ideal)
    assert score == pytest.approx(0.5307212739772434)


def test_touching_lines_overlap() -> None:
    assert score_query(results(("a.py", 1, 10)), [Target("a.py", 10, 12)])[1] == [1]
    assert score_query(results(("a.py", 13, 20)), [Target("a.py", 10, 12)])[1] == [None]


def test_the_ideal_stops_at_ten_targets_and_results_past_ten_do_not_count() -> None:
    ten = results(*((f"f{i}.py", 1, 2) for i in range(10)))
    assert score_query(ten, [Target(f"f{i}.py") for i in range(12)])[0] == pytest.approx(1.0)
    eleven = results(*((f"g{i}.py", 1, 2) for i in range(10)), ("hit.py", 1, 2))
    assert score_query(eleven, [Target("hit.py")]) == (0.0, [None])


def test_no_targets_scores_zero() -> None:
    assert ndcg([], 0) == 0.0
    assert score_query(results(("a.py", 1, 2)), []) == (0.0, [])


def test_the_summary_is_a_mean_of_repository_means_and_so_are_categories_and_languages() -> None:
    rows = [
        {"repo": "a", "language": "python", "category": "symbol", "ndcg10": 1.0},
        {"repo": "a", "language": "python", "category": "symbol", "ndcg10": 0.0},
        {"repo": "a", "language": "python", "category": "semantic", "ndcg10": 1.0},
        {"repo": "b", "language": "go", "category": "semantic", "ndcg10": 0.0},
        {"repo": "c", "language": "python", "category": "semantic", "ndcg10": 0.5},
    ]
    s = summarize(rows)
    assert s["by_repo"] == {"a": pytest.approx(2 / 3), "b": 0.0, "c": 0.5}
    assert s["ndcg10"] == pytest.approx((2 / 3 + 0 + 0.5) / 3)
    assert s["by_category"] == {"semantic": pytest.approx(0.5), "symbol": pytest.approx(0.5)}
    assert s["by_language"] == {"go": 0.0, "python": pytest.approx((2 / 3 + 0.5) / 2)}
    assert (s["repos"], s["queries"]) == (3, 5)
