"""`swe-agent bench search` end to end: a suite in semble's format built in tmp_path, the code
from a real bare git snapshot of the sample repository, the real command through the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.bench.report import PLOT_MISSING
from swe_agent.bench.search_score import Target, score_query
from swe_agent.bench.semble import infer_category, load_specs, read_names_file
from swe_agent.cli import app
from swe_agent.errors import SweAgentError
from tests.helpers import SAMPLE, git

runner = CliRunner()
SWE_AGENT = Path(sys.executable).parent / "swe-agent"
QUERIES = [
    {"query": "HTTPAdapter", "relevant": [{"path": "minihttp/adapters.py", "start_line": 12, "end_line": 30}],
     "secondary": []},
    {"query": "how the session drops the Authorization header on a redirect",
     "relevant": ["minihttp/sessions.py"], "secondary": ["minihttp/auth.py"]},
    {"query": "cookie jar header value", "relevant": ["minihttp/cookies.py"], "secondary": [],
     "category": "semantic"},
    {"query": "zzqx nothing answers this", "relevant": ["minihttp/missing.py"], "secondary": [],
     "category": "semantic"},
]  # fmt: skip


@pytest.fixture
def suite(tmp_path: Path, sample_repo: Path) -> dict[str, Path]:
    """A suite of two repositories, one held out with an annotation file that cannot be read,
    and a folder of snapshots holding a bare clone of the sample repository."""
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(sample_repo), str(snapshots / "example+minihttp"))
    head = git(sample_repo, "rev-parse", "HEAD").strip()
    folder = tmp_path / "suite"
    (folder / "annotations").mkdir(parents=True)
    specs = [
        {"name": "minihttp", "language": "python", "url": "https://github.com/example/minihttp.git",
         "revision": head, "benchmark_root": "minihttp"},
        {"name": "held-out", "language": "go", "url": "https://github.com/example/held-out",
         "revision": head, "benchmark_root": "."},
    ]  # fmt: skip
    (folder / "repos.json").write_text(json.dumps(specs))
    (folder / "annotations" / "minihttp.json").write_text(json.dumps(QUERIES))
    (folder / "annotations" / "held-out.json").write_text("{ never to be opened")
    return {"suite": folder, "snapshots": snapshots, "work": tmp_path / "work"}


def args(suite: dict[str, Path], *more: str) -> list[str]:
    return ["bench", "search", "--suite", str(suite["suite"]), "--snapshots", str(suite["snapshots"]),
            "--workdir", str(suite["work"]), *more]  # fmt: skip


def test_search_and_ask_are_scored_per_query_with_paths_relative_to_the_benchmark_root(
    suite: dict[str, Path], tmp_path: Path
) -> None:
    snapshot_files = sorted(
        p.relative_to(suite["snapshots"]) for p in suite["snapshots"].rglob("*")
    )
    png = tmp_path / "bars.png"
    done = runner.invoke(
        app,
        args(suite, "--repos", "minihttp", "--ask", "--level", "0,1", "--json", "--plot", str(png)),
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert list(data["summary"]) == ["search", "ask L0", "ask L1"]
    rows = data["results"]
    assert [r["query"] for r in rows if r["system"] == "search"] == [q["query"] for q in QUERIES]
    assert [r["category"] for r in rows[:4]] == ["symbol", "architecture", "semantic", "semantic"]
    indexed = {p.name for p in (SAMPLE / "minihttp").glob("*.py")}
    for row in rows:
        assert len(row["results"]) <= 10
        assert row["results"] or row["query"].startswith("zzqx")
        assert {r["path"] for r in row["results"]} <= indexed  # only the root, relative to it
        targets = [Target(**t) for t in row["targets"]]
        assert score_query(row["results"], targets)[0] == pytest.approx(row["ndcg10"], abs=1e-4)
    search = {r["query"]: r for r in rows if r["system"] == "search"}
    assert search["HTTPAdapter"]["ranks"][0] is not None
    assert search["HTTPAdapter"]["ndcg10"] > 0
    assert search["zzqx nothing answers this"]["ndcg10"] == 0
    (repo,) = data["repos"]
    assert repo["files"] == len(indexed)
    assert repo["chunks"] > 0
    assert repo["queries"] == 4
    assert repo["index_seconds"] > 0
    assert repo["search_p50_ms"] > 0 and repo["search_cpu_p50_ms"] > 0
    assert repo["sleep"]["0"]["notes"] == 0
    assert repo["sleep"]["1"]["notes"] > 0
    mean = sum(r["ndcg10"] for r in search.values()) / 4
    assert data["summary"]["search"]["ndcg10"] == pytest.approx(mean, abs=1e-3)
    assert data["summary"]["search"]["by_language"] == {"python": pytest.approx(mean, abs=1e-3)}
    assert png.is_file() or PLOT_MISSING in done.stderr
    assert (
        sorted(p.relative_to(suite["snapshots"]) for p in suite["snapshots"].rglob("*"))
        == snapshot_files
    )

    again = runner.invoke(app, args(suite, "--repos", "minihttp", "--limit", "2"))
    assert again.exit_code == 0, again.output
    assert "By category" in again.stdout
    assert "minihttp" in again.stdout
    assert "NDCG@10, mean of per-repository means (1 repositories, 2 queries)" in again.stdout


def error_of(arguments: list[str]) -> str:
    """The one-line error the command ends with (cli.main prints a SweAgentError as one line)."""
    done = runner.invoke(app, arguments)
    assert isinstance(done.exception, SweAgentError), done.output
    return str(done.exception)


def test_bad_input_is_one_line(suite: dict[str, Path], tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SWE_AGENT), "bench", "search", "--suite", str(tmp_path / "nowhere"), "--repos", "x"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("error: no repos.json in")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (args(suite, "--repos", "minihttp,nosuch"), "not in the suite's repos.json: nosuch"),
        (args(suite), "no repositories chosen"),
        (args(suite, "--repos-file", str(tmp_path / "none.txt")), "cannot read"),
        (
            [
                "bench",
                "search",
                "--suite",
                str(suite["suite"]),
                "--repos",
                "minihttp",
                "--snapshots",
                str(empty),
            ],
            "no git snapshot of example/minihttp",
        ),  # fmt: skip
        (
            ["bench", "search", "--suite", str(suite["suite"]), "--repos", "minihttp"],
            "example/minihttp needs a snapshot",
        ),  # fmt: skip
    ]
    for arguments, message in cases:
        assert message in error_of(arguments)


def test_a_repository_without_its_revision_is_skipped_only_when_asked(
    suite: dict[str, Path], tmp_path: Path
) -> None:
    specs = json.loads((suite["suite"] / "repos.json").read_text())
    specs.append({**specs[0], "name": "later", "revision": "0" * 40})
    (suite["suite"] / "repos.json").write_text(json.dumps(specs))
    (suite["suite"] / "annotations" / "later.json").write_text(json.dumps(QUERIES[:1]))
    names = tmp_path / "dev.txt"
    names.write_text("# name language\nminihttp\tpython\nlater\tpython\n")
    message = error_of(args(suite, "--repos-file", str(names)))
    assert "later: the snapshot" in message
    assert "--skip-missing" in message
    done = runner.invoke(app, args(suite, "--repos-file", str(names), "--skip-missing", "--json"))
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert [s["repo"] for s in data["skipped"]] == ["later"]
    assert "skipped later" in done.stderr
    assert [r["repo"] for r in data["repos"]] == ["minihttp"]


def test_the_suite_files() -> None:
    assert infer_category("Session") == "symbol"
    assert infer_category("How does routing work") == "architecture"
    assert infer_category("routing of requests") == "semantic"


def test_names_files_and_repos_json(tmp_path: Path) -> None:
    names = tmp_path / "dev.txt"
    names.write_text("# comment\n\nbash-it\tbash\tBash-it/bash-it\tabc\t.\nclick python\n")
    assert read_names_file(names) == ["bash-it", "click"]
    (tmp_path / "repos.json").write_text(json.dumps([
        {"name": "x", "language": "go", "url": "https://github.com/o/x.git", "revision": "a" * 40,
         "benchmark_root": "."},
        {"name": "y", "language": "go", "url": "git@github.com:o/y", "revision": "b" * 40},
    ]))  # fmt: skip
    specs = load_specs(tmp_path)
    assert (specs["x"].root, specs["x"].github, specs["y"].root, specs["y"].github) == (
        "",
        "o/x",
        "",
        "o/y",
    )
