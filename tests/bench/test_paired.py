from statistics import fmean

from swe_agent.bench.paired import bootstrap, localize_pairs, search_pairs
from swe_agent.bench.search_score import summarize


def test_the_interval_is_seeded_and_holds_the_difference() -> None:
    diffs = [[1.0, 0.0, 0.0, 1.0, -1.0, 0.0, 1.0, 0.0]]
    first, again = bootstrap(diffs), bootstrap(diffs)
    assert first == again  # the same rows give the same interval
    diff, low, high = first
    assert diff == fmean(diffs[0])
    assert low < diff < high
    assert low < 0 < high
    assert bootstrap([[0.5] * 6]) == (0.5, 0.5, 0.5)  # no spread, no width


def _row(task: str, level: int, hit: bool, tokens: int) -> dict:
    return {"task": task, "level": level, "main": True, "file@1": hit, "file@5": True,
            "function@1": None, "function@5": hit, "test_time_tokens": tokens}  # fmt: skip


def test_levels_are_paired_task_by_task_at_the_main_budget() -> None:
    rows = [_row(f"t{i}", 0, i < 5, 1000) for i in range(10)]
    rows += [_row(f"t{i}", 2, i < 8, 1200) for i in range(10)]
    rows.append({**_row("t0", 2, False, 9999), "main": False})  # another budget: not paired
    rows.append(_row("only-2", 2, True, 1))  # no level 0 answer: not paired
    by = {p["measure"]: p for p in localize_pairs(rows)}
    assert by["file@1"]["pairs"] == 10
    assert by["file@1"]["difference"] == 0.3
    assert by["file@1"]["better"] == 3
    assert by["file@1"]["worse"] == 0
    assert by["test_time_tokens"]["difference"] == 200.0
    assert "function@1" not in by  # never scored
    assert 0 <= by["file@1"]["ci_low"] < 0.3 < by["file@1"]["ci_high"]


def test_search_pairs_weigh_repositories_alike_as_the_summary_does() -> None:
    def row(system: str, repo: str, query: str, ndcg: float) -> dict:
        return {"system": system, "repo": repo, "query": query, "ndcg10": ndcg,
                "language": "python", "category": "semantic"}  # fmt: skip

    rows = [row("ask L0", "a", f"q{i}", 0.5) for i in range(8)] + [row("ask L0", "b", "q", 0.2)]
    rows += [row("ask L2", "a", f"q{i}", 0.6) for i in range(8)] + [row("ask L2", "b", "q", 0.0)]
    (pair,) = search_pairs(rows, "ask L0")
    summary = {
        s: summarize([r for r in rows if r["system"] == s])["ndcg10"] for s in ("ask L0", "ask L2")
    }
    assert abs(pair["difference"] - (summary["ask L2"] - summary["ask L0"])) < 1e-4
    assert pair["pairs"] == 9
    assert pair["system"] == "ask L2"
