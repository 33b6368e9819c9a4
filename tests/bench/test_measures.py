from swe_agent.bench.measures import (
    all_measures,
    amortization,
    calibration,
    calibration_by_language,
    expected_calibration_error,
    language_family,
    predictability,
    spearman,
)


def row(
    task, level, tokens, rank, f5, budget=16000, main=True, similarity=0.0, sleep=0, naive=None
):
    return {
        "task": task, "source": "p==1", "level": level, "context_budget": budget, "max_steps": 12, "main": main,
        "file@1": rank == 1, "file@5": rank is not None and rank <= 5, "file@10": rank is not None,
        "function@1": f5, "function@5": f5, "file_rank": rank, "test_time_tokens": tokens, "seconds": 0.5,
        "sleep_tokens": sleep, "sleep_seconds": 2.0 if sleep else 0.0, "naive": naive or {"rank": 1, "tokens": 10_000},
        "anticipation": {"question_similarity": similarity, "note_score": similarity * 10} if level else None,
    }  # fmt: skip


ROWS = [
    row("a", 0, 1000, 3, False), row("b", 0, 2000, None, False), row("c", 0, 1000, 1, True),
    row("a", 2, 500, 1, True, similarity=0.9, sleep=9000), row("b", 2, 1000, 2, False, similarity=0.5, sleep=9000),
    row("c", 2, 900, 1, True, similarity=0.1, sleep=9000),
    row("a", 2, 300, 2, False, budget=4000, main=False, similarity=0.9, sleep=9000),
]  # fmt: skip
REPOS = [{"levels": {"0": {"tokens": 0, "seconds": 0.0}, "2": {"tokens": 9000, "seconds": 2.0}}}]


def test_table_pareto_and_naive_comparison() -> None:
    m = all_measures(ROWS, REPOS)
    zero, two = m["by_level"]
    assert zero["tasks"] == two["tasks"] == 3  # the main budget only
    assert two["file@1"] == zero["file@10"] == two["function@5"] == 0.667
    assert two["sleep_tokens"] == 9000
    assert two["test_time_tokens"] == 800
    assert [(p["level"], p["context_budget"], p["tasks"]) for p in m["pareto"]] == [
        (0, 16000, 3),
        (2, 4000, 1),
        (2, 16000, 3),
    ]
    naive = {n["level"]: n for n in m["naive"]}
    assert naive[2]["both_hit"] == 3
    assert naive[2]["ratio_of_sums"] == round(30_000 / 2400, 2)
    assert naive[0]["both_hit"] == 2


def test_amortization_counts_sleep_tokens_once_per_repository() -> None:
    cost = {(r["level"], r["queries"], r["weight"]): r for r in amortization(ROWS)}
    assert cost[(0, 1, 1)]["cost_per_query"] == 1333
    assert cost[(2, 1, 1)]["cost_per_query"] == 9800  # 9000 + 800
    assert cost[(2, 10, 10)]["cost_per_query"] == 900 + 8000
    assert cost[(2, 10, 10)]["vs_level_0"] == round(8900 / 13333.33, 3)
    assert cost[(0, 1, 1)]["seconds_per_query"] == 0.5  # no sleep: each answer's 0.5 s
    assert cost[(2, 1, 1)]["seconds_per_query"] == 2.5
    assert cost[(2, 10, 1)]["seconds_per_query"] == 0.7
    assert cost[(2, 10, 10)]["seconds_vs_level_0"] == round(0.7 / 0.5, 3)


def test_predictability_relates_gain_to_similarity() -> None:
    (p,) = predictability(ROWS)
    assert p["level"] == 2
    assert p["tasks"] == 3
    detail = {g["task"]: g for g in p["tasks_detail"]}
    assert detail["a"]["gain_rr"] == 1 - 1 / 3
    assert detail["a"]["gain_function5"] == 1
    assert detail["b"]["gain_rr"] == 0.5
    assert detail["c"]["gain_rr"] == 0
    assert p["spearman_similarity_gain_rr"] == 1.0  # the closer the match, the larger the gain
    assert [t["third"] for t in p["thirds"]] == ["low", "middle", "high"]


def test_spearman_with_ties_and_too_few_points() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 1, 2], [5, 5, 6]) == 1.0
    assert spearman([1, 2], [1, 2]) is None
    assert spearman([1, 2, 3], [7, 7, 7]) is None


def test_calibration_bins_answers_by_their_confidence() -> None:
    rows = [
        {**row("a", 0, 1000, 1, True), "confidence": 0.95},
        {**row("b", 0, 3000, 2, True), "confidence": 0.85},
        {**row("c", 0, 2000, None, False), "confidence": 0.1},
        {**row("d", 0, 500, 1, True), "confidence": 1.0},  # the last bin holds 1.0
        {**row("e", 0, 500, 1, True), "confidence": None},  # a model gave none: left out
        {**row("a", 2, 400, 1, True, budget=4000, main=False), "confidence": 0.9},  # not main
    ]
    table = calibration(rows)
    assert [(t["level"], t["bin"], t["tasks"]) for t in table] == [
        (0, "0.0-0.2", 1),
        (0, "0.8-1.0", 3),
    ]
    high = table[1]
    assert high["file@1"] == 0.667
    assert high["function@5"] == 1.0
    assert high["test_time_tokens"] == 1500
    assert high["confidence"] == round((0.95 + 0.85 + 1.0) / 3, 3)
    assert all_measures(rows, REPOS)["calibration"] == table
    assert calibration([{**r, "confidence": None} for r in rows]) == []


def test_calibration_by_language_says_where_the_confidence_overstates() -> None:
    rows = [
        {**row("p1", 0, 900, 1, True), "confidence": 0.9, "language": "python"},
        {**row("p2", 0, 900, 2, True), "confidence": 0.1, "language": "python"},
        {**row("j1", 0, 900, 1, True), "confidence": 0.9, "language": "js/ts"},
        {**row("j2", 0, 900, 2, False), "confidence": 0.9, "language": "js/ts"},
        {**row("x", 0, 900, 1, True), "confidence": None, "language": "go"},  # none given
    ]
    table = {t["language"]: t for t in calibration_by_language(rows)}
    assert list(table) == ["js/ts", "python", "all"]
    assert table["python"]["over"] == 0.0  # 0.9 right and 0.1 wrong: calibrated
    assert table["python"]["ece"] == round((0.1 + 0.1) / 2, 3)
    assert (table["js/ts"]["confidence"], table["js/ts"]["file@1"]) == (0.9, 0.5)
    assert table["js/ts"]["over"] == 0.4 == table["js/ts"]["ece"]
    assert table["all"]["tasks"] == 4
    assert expected_calibration_error([]) is None


def test_a_task_is_of_the_language_most_of_its_gold_files_are_written_in() -> None:
    assert language_family(["src/app.rs", "src/args.rs", "complete/_rg"]) == "rust"
    assert language_family(["lib/zstd.h", "lib/compress/zstd_compress.c"]) == "c/c++"
    assert language_family(["lib/router/index.js"]) == "js/ts"
    assert language_family(["src/builtin.jq"]) == "other"
