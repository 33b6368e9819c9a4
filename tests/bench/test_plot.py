"""The bench's figure says what it shows: axes from 0, each budget point labelled, the number
of questions and the mode on it, offline amortization in seconds."""

import pytest

from swe_agent.bench.report import figure

pytest.importorskip("matplotlib")

SUMMARY = {
    "by_level": [{"level": 0, "tasks": 23}, {"level": 2, "tasks": 23}],
    "pareto": [
        {"level": level, "context_budget": budget, "max_steps": steps, "test_time_tokens": tokens,
         "file@5": 0.7 + level / 20, "function@5": 0.5 + level / 20}
        for level in (0, 2) for budget, steps, tokens in ((4000, 4, 800 + level), (16000, 12, 2000 + level))
    ],
    "amortization": [
        {"level": level, "queries": n, "weight": w, "cost_per_query": 90_000 // n + 2_000,
         "seconds_per_query": 18 / n + 0.4}
        for level in (0, 2) for n in (1, 10, 100) for w in (1, 10)
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "unit"), [("offline", "seconds"), ("claude (claude-sonnet-5-5)", "model tokens")]
)
def test_the_figure_starts_at_zero_and_labels_budgets_questions_and_mode(
    mode: str, unit: str
) -> None:
    fig = figure(SUMMARY, mode)
    left, right = fig.axes
    assert left.get_ylim()[0] == 0
    assert right.get_ylim()[0] == 0
    assert {t.get_text() for t in left.texts} == {"4k/4", "16k/12"}
    assert fig._suptitle.get_text() == f"23 questions · {mode}"
    assert unit in right.get_ylabel()
