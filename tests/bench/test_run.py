import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.bench.measures import all_measures
from swe_agent.bench.report import PLOT_MISSING, report_text
from swe_agent.bench.run import BenchConfig, Budget, parse_budgets, parse_levels, run_bench
from swe_agent.bench.tasks import load_tasks
from swe_agent.cli import app
from swe_agent.config import Settings, note_kinds
from swe_agent.errors import SweAgentError
from tests.helpers import commit_all
from tests.helpers import git as fixture_git

runner = CliRunner()
QUESTIONS = [
    ("redirect", "Why is my Authorization header dropped when a redirect goes to another host?",
     ["minihttp/sessions.py"], ["minihttp/sessions.py::Session.rebuild_auth"]),
    ("retry", "How long does the adapter wait between retries of a failed connection?",
     ["minihttp/adapters.py"], ["minihttp/adapters.py::HTTPAdapter.backoff_time"]),
]  # fmt: skip


@pytest.fixture
def tasks_file(sample_repo: Path, tmp_path: Path) -> Path:
    lines = [
        json.dumps(
            {"id": i, "path": str(sample_repo), "question": q, "gold_files": f, "gold_functions": g}
        )
        for i, q, f, g in QUESTIONS
    ]
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_pipeline_on_a_local_repository(
    tasks_file: Path, tmp_path: Path, sample_repo: Path
) -> None:
    tasks = load_tasks(tasks_file)
    config = BenchConfig(
        tmp_path / "work",
        levels=(0, 2),
        budgets=(Budget(16000, 12), Budget(4000, 4)),
        offline=True,
        note_variants=("", "summary"),
    )
    out = run_bench(tasks, config, Settings(), {})
    rows = out["results"]
    assert (
        len(rows) == 2 * 3 * 2
    )  # tasks x (level 0, level 2 reading all, reading summaries) x budgets
    (repo,) = out["repos"]
    assert repo["parsed"] > 0
    assert repo["levels"]["0"]["tokens"] == 0
    assert repo["levels"]["2"]["tokens"] > 0
    for r in rows:
        assert r["mode"] == "offline"
        assert r["test_time_tokens"] > 0
        assert r["gold_spans_found"] == 1
        assert {"file@1", "file@5", "file@10", "function@1", "function@5"} <= r.keys()
        assert (r["anticipation"] is None) == (r["level"] == 0)
        assert r["naive"]["tokens"] > 0
        assert 0.0 <= r["confidence"] <= 1.0  # the offline answer says how sure it is
        assert r["language"] == "python"  # of its gold files
    assert all(r["notes_used"] == 0 for r in rows if r["level"] == 0)
    assert not (sample_repo / ".swe_agent").exists()  # the bench works on its own copy
    again = run_bench(tasks[:1], config, Settings(), {})
    assert again["repos"][0]["parsed"] == 0  # the cached index is reused
    summary = all_measures(rows, out["repos"])
    assert [(x["level"], x["note_kinds"]) for x in summary["by_level"]] == [
        (0, ""),
        (2, ""),
        (2, "summary"),
    ]
    assert {(p["level"], p["note_kinds"]) for p in summary["paired"]} == {(2, ""), (2, "summary")}
    assert all(p["pairs"] == 2 for p in summary["paired"])
    text = report_text(summary, out["repos"], "offline")
    assert "file@1" in text
    assert "Pareto" in text
    assert "predictability, level 2" in text
    assert "paired, each level against level 0" in text
    assert "95% CI" in text
    assert "calibration: answers by their confidence" in text
    assert "calibration by language of the gold files" in text
    assert sum(c["tasks"] for c in summary["calibration"] if c["level"] == 0) == 2


def test_the_command_prints_json_and_says_what_became_of_the_plot(
    tasks_file: Path, tmp_path: Path
) -> None:
    png = tmp_path / "plot.png"
    args = ["bench", "localize", "--tasks", str(tasks_file), "--workdir", str(tmp_path / "work"),
            "--levels", "0,1", "--budgets", "", "--limit", "1", "--offline", "--json", "--plot", str(png)]  # fmt: skip
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["mode"] == "offline"
    assert data["budgets"] == ["16000/12"]
    assert len(data["results"]) == 2
    assert [line["level"] for line in data["summary"]["by_level"]] == [0, 1]
    assert png.is_file() or PLOT_MISSING in done.stderr


def test_levels_and_budgets_are_checked() -> None:
    assert parse_levels("0, 2,2") == (0, 2)
    assert parse_budgets("4000:4, 8000:8") == (Budget(4000, 4), Budget(8000, 8))
    assert parse_budgets("") == ()
    for bad in ("4", "0,x", ""):
        with pytest.raises(SweAgentError):
            parse_levels(bad)
    for bad in ("4000", "100:4", "4000:x"):
        with pytest.raises(SweAgentError):
            parse_budgets(bad)
    assert note_kinds("") is None
    assert note_kinds("summary, question") == {"summary", "question"}
    with pytest.raises(SweAgentError, match="unknown note kind 'summaries'"):
        note_kinds("summaries")


def run_at_commits(sample_repo: Path, tmp_path: Path, *commits: str) -> dict:
    """The bench, offline at level 0, on one task per commit of a snapshot of sample_repo."""
    snapshots = tmp_path / "snapshots"
    fixture_git(
        tmp_path, "clone", "-q", "--bare", str(sample_repo), str(snapshots / "o+n" / "repo")
    )
    lines = [
        json.dumps({"instance_id": f"o__n-{i}", "repo": "o/n", "base_commit": commit,
                    "problem_statement": "Authorization header dropped on redirect",
                    "gold_files": ["minihttp/sessions.py"], "gold_functions": []})
        for i, commit in enumerate(commits)
    ]  # fmt: skip
    (tmp_path / "tasks.jsonl").write_text("\n".join(lines) + "\n")
    config = BenchConfig(tmp_path / "work", levels=(0,), snapshots=snapshots, offline=True)
    return run_bench(load_tasks(tmp_path / "tasks.jsonl"), config, Settings(), {})


def test_a_later_commit_of_a_repository_is_indexed_from_the_earlier_ones_index(
    sample_repo: Path, tmp_path: Path
) -> None:
    base = fixture_git(sample_repo, "rev-parse", "HEAD").strip()
    (sample_repo / "minihttp" / "later.py").write_text("def fix():\n    return True\n")
    later = commit_all(sample_repo, "The fix", 9)
    out = run_at_commits(sample_repo, tmp_path, base, later)
    first, second = out["repos"]
    assert first["index_from"] is None
    assert first["parsed"] > 1
    assert second["index_from"] == f"o+n@{base[:12]}"
    assert second["parsed"] == 1  # only later.py
    assert all(r["locations"] for r in out["results"])
    # each kept location says why it was ranked, for studying misses
    assert all(loc["why"] for r in out["results"] for loc in r["locations"])


def test_a_new_commit_is_indexed_from_the_index_with_the_fewest_files_changed(
    sample_repo: Path, tmp_path: Path
) -> None:
    base = fixture_git(sample_repo, "rev-parse", "HEAD").strip()
    (sample_repo / "minihttp" / "near.py").write_text("def near():\n    return 1\n")
    near = commit_all(sample_repo, "Near the base", 9)
    for i in range(3):
        (sample_repo / "minihttp" / f"far{i}.py").write_text(f"def far{i}():\n    return {i}\n")
    far = commit_all(sample_repo, "Far from the base", 10)
    out = run_at_commits(sample_repo, tmp_path, base, far, near)
    by_head = {r["head"]: r for r in out["repos"]}
    # near differs from base by one file and from far (saved last) by three
    assert by_head[near]["index_from"] == f"o+n@{base[:12]}"
    assert by_head[near]["index_cpu_seconds"] >= 0
