"""Benchmark tasks from a JSON Lines file, in either of two formats.

Question format (shared/bench/dev.jsonl): `id`, `project` (`NAME==VERSION` on PyPI or
`npm:NAME@VERSION`) or `path` (a local git repository, relative to the task file),
`question`, `gold_files`, `gold_functions`.
Real-issue format (SWE-bench): `instance_id`, `repo` (`OWNER/NAME`), `base_commit`,
`problem_statement`, `gold_files`, `gold_functions`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swe_agent.errors import SweAgentError


@dataclass(frozen=True, slots=True)
class Source:
    """Where a task's code comes from; equal sources share one indexed copy."""

    kind: str  # "pypi" | "npm" | "path" | "snapshot"
    name: str  # package name, local path, or OWNER/NAME
    version: str = ""  # package version, or the base commit of a snapshot

    @property
    def key(self) -> str:
        """A name fit for a directory: one per source."""
        if self.kind == "path":
            return "path-" + Path(self.name).name
        if self.kind == "snapshot":
            return f"{self.name.replace('/', '+')}@{self.version[:12]}"
        return f"{self.kind}-{self.name.replace('/', '+').replace('@', '')}-{self.version}"

    def describe(self) -> str:
        if self.kind == "pypi":
            return f"{self.name}=={self.version}"
        if self.kind == "npm":
            return f"npm:{self.name}@{self.version}"
        if self.kind == "snapshot":
            return f"{self.name}@{self.version[:12]}"
        return self.name


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    source: Source
    question: str
    gold_files: tuple[str, ...]
    gold_functions: tuple[str, ...] = ()
    kind: str = "question"  # "question" (dev format) or "task" (an issue's text)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_project(spec: str) -> Source:
    """`NAME==VERSION` (PyPI) or `npm:NAME@VERSION` (npm) as a Source."""
    spec = spec.strip()
    if spec.startswith("npm:"):
        name, sep, version = spec[4:].rpartition("@")
        if sep and name and version:
            return Source("npm", name, version)
    else:
        name, sep, version = spec.partition("==")
        if sep and name.strip() and version.strip():
            return Source("pypi", name.strip(), version.strip())
    raise SweAgentError(
        f"cannot read the project {spec!r}",
        "write NAME==VERSION for PyPI or npm:NAME@VERSION for npm",
    )


def task_from(row: dict[str, Any], base: Path) -> Task:
    """One task from one decoded line; `base` is the folder local paths are relative to."""
    if "instance_id" in row:
        missing = [k for k in ("repo", "base_commit", "problem_statement") if not row.get(k)]
        if missing:
            raise SweAgentError(
                f"task {row['instance_id']} lacks {', '.join(missing)}", "fix the task file"
            )
        source = Source("snapshot", row["repo"], row["base_commit"])
        question, kind, task_id = row["problem_statement"], "task", row["instance_id"]
        extra = {k: row[k] for k in ("created_at",) if k in row}
    else:
        task_id = str(row.get("id") or "")
        if not task_id or not row.get("question"):
            raise SweAgentError(
                f"a task lacks an id or a question: {str(row)[:80]}", "fix the task file"
            )
        if row.get("project"):
            source = parse_project(str(row["project"]))
        elif row.get("path"):
            path = Path(str(row["path"])).expanduser()
            source = Source(
                "path", str((base / path).resolve() if not path.is_absolute() else path)
            )
        else:
            raise SweAgentError(
                f"task {task_id} names neither a project nor a path", "add one of them"
            )
        question, kind, extra = row["question"], "question", {}
    return Task(
        id=task_id,
        source=source,
        question=str(question),
        gold_files=tuple(row.get("gold_files") or ()),
        gold_functions=tuple(row.get("gold_functions") or ()),
        kind=kind,
        extra=extra,
    )


def load_tasks(path: Path, limit: int | None = None) -> list[Task]:
    """Tasks of a JSON Lines file, in file order; blank lines and `#` lines are skipped."""
    if not path.is_file():
        raise SweAgentError(f"no such task file: {path}", "give a .jsonl file with one task a line")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SweAgentError(
            f"{path} is not a UTF-8 text file (byte {exc.start})",
            "give a .jsonl file with one task a line",
        ) from None
    tasks: list[Task] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SweAgentError(
                f"{path}:{number} is not JSON ({exc.msg})", "one JSON object a line"
            ) from None
        if not isinstance(row, dict):
            raise SweAgentError(f"{path}:{number} is not a JSON object", "one JSON object a line")
        tasks.append(task_from(row, path.parent))
        if limit is not None and len(tasks) >= limit:
            break
    seen: set[str] = set()
    for t in tasks:
        if t.id in seen:
            raise SweAgentError(
                f"task id {t.id} appears twice in {path}", "give each task its own id"
            )
        seen.add(t.id)
    return tasks
