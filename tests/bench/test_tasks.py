import json
from pathlib import Path

import pytest

from swe_agent.bench.tasks import Source, load_tasks, parse_project
from swe_agent.errors import SweAgentError


def write(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_projects_from_pypi_and_npm() -> None:
    assert parse_project("httpx==0.27.2") == Source("pypi", "httpx", "0.27.2")
    assert parse_project("npm:express@4.19.2") == Source("npm", "express", "4.19.2")
    assert parse_project("npm:@scope/pkg@1.0.0") == Source("npm", "@scope/pkg", "1.0.0")
    for bad in ("httpx", "npm:express", "==1.0"):
        with pytest.raises(SweAgentError):
            parse_project(bad)


def test_both_formats_and_local_paths(tmp_path: Path) -> None:
    file = write(tmp_path / "tasks.jsonl", [
        {"id": "q1", "project": "httpx==0.27.2", "question": "Where?", "gold_files": ["a.py"],
         "gold_functions": ["a.py::f"]},
        "# a comment",
        "",
        {"id": "q2", "path": "repo", "question": "How?", "gold_files": ["b.py"]},
        {"instance_id": "o__n-1", "repo": "owner/name", "base_commit": "abc123", "problem_statement": "It breaks.",
         "gold_files": ["c.py"], "gold_functions": ["c.py::C.m"], "gold_patch": "diff", "created_at": "2020"},
    ])  # fmt: skip
    tasks = load_tasks(file)
    assert [t.id for t in tasks] == ["q1", "q2", "o__n-1"]
    assert tasks[0].source.key == "pypi-httpx-0.27.2"
    assert tasks[0].kind == "question"
    assert tasks[1].source == Source("path", str((tmp_path / "repo").resolve()))
    assert tasks[1].gold_functions == ()
    swe = tasks[2]
    assert swe.source == Source("snapshot", "owner/name", "abc123")
    assert swe.kind == "task"
    assert swe.question == "It breaks."
    assert swe.gold_functions == ("c.py::C.m",)
    assert "gold_patch" not in swe.extra  # never an input
    assert [t.id for t in load_tasks(file, limit=2)] == ["q1", "q2"]


def test_the_shared_dev_files_load() -> None:
    shared = Path("/work/shared/bench")
    for name in ("dev.jsonl", "swebench-lite-dev.jsonl"):
        if (shared / name).is_file():
            assert all(t.gold_files for t in load_tasks(shared / name))


@pytest.mark.parametrize(
    "rows, message",
    [
        (["{not json"], "is not JSON"),
        ([[1, 2]], "is not a JSON object"),
        ([{"id": "x", "question": "q", "gold_files": []}], "names neither a project nor a path"),
        ([{"id": "x", "project": "a==1", "question": "q"}] * 2, "appears twice"),
        ([{"instance_id": "x", "repo": "o/n"}], "lacks base_commit, problem_statement"),
    ],
)
def test_bad_task_files_say_what_is_wrong(tmp_path: Path, rows: list, message: str) -> None:
    with pytest.raises(SweAgentError, match=message):
        load_tasks(write(tmp_path / "t.jsonl", rows))
    with pytest.raises(SweAgentError, match="no such task file"):
        load_tasks(tmp_path / "missing.jsonl")
