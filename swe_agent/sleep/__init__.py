"""Sleep-time analysis: notes about the code, written before the questions come.

`run_sleep` looks at what is new or changed since the last run (files with no current notes
for their content), plans by priority, and writes notes one file per short transaction, so
a kill loses at most the file being written and the next run goes on from there.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep import offline
from swe_agent.sleep.history import History, read_history
from swe_agent.sleep.overview import overview_note
from swe_agent.sleep.plan import Item, is_test, pending_files, plan
from swe_agent.store.db import Store
from swe_agent.store.notes import Note, drop_stale, repository_overview, write_notes

LEVELS = range(0, 4)
PER_FILE = 40  # definitions per file that get notes of their own, best priority first
Progress = Callable[[int, int, int], None]  # notes written, tokens spent, budget


@dataclass(slots=True)
class SleepReport:
    level: int
    budget: int
    mode: str = "offline"
    notes_by_kind: Counter[str] = field(default_factory=Counter)
    tokens_spent: int = 0
    files_done: int = 0
    files_pending: int = 0
    dropped_stale: int = 0
    seconds: float = 0.0
    yielded: bool = False
    planned: list[dict[str, Any]] = field(default_factory=list)
    model_fallbacks: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level, "budget": self.budget, "mode": self.mode,
            "notes_by_kind": dict(self.notes_by_kind), "notes_written": sum(self.notes_by_kind.values()),
            "tokens_spent": self.tokens_spent, "files_done": self.files_done,
            "files_pending": self.files_pending, "dropped_stale": self.dropped_stale,
            "seconds": round(self.seconds, 3), "yielded": self.yielded, "planned": self.planned,
            "model_fallbacks": self.model_fallbacks,
        }


def run_sleep(
    repo: GitRepo,
    store: Store,
    *,
    model: Any = None,
    budget: int,
    level: int,
    dry_run: bool = False,
    progress: Progress | None = None,
    should_yield: Callable[[], bool] | None = None,
    commits: int = 300,
) -> SleepReport:
    started = time.perf_counter()
    report = SleepReport(level, budget, "offline" if model is None else f"claude ({model.name})")
    if level <= 0:
        return report
    files = pending_files(store)
    history = read_history(repo.root, commits, with_hunks=level >= 3) if files else History()
    items = plan(store, history, files)
    report.files_pending = len(items)
    if dry_run:
        report.planned = [_estimate(i, level, model is not None) for i in items]
        report.seconds = time.perf_counter() - started
        return report
    with store.transaction():
        report.dropped_stale = drop_stale(store)
        run_id = uuid.uuid4().hex
        store.con.execute(
            "INSERT INTO sleep_runs (id, head, level, budget, model) VALUES (?, ?, ?, ?, ?)",
            [run_id, repo.head(), level, budget, model.name if model else "offline"],
        )
    _write(store, report, [_overview(repo.root, store, repo.head())] if items or not repository_overview(store) else [])
    graph = _graph(store)
    for item in items:
        if report.tokens_spent >= budget or (should_yield and should_yield()):
            report.yielded = report.tokens_spent < budget
            break
        facts = _facts(repo.root, item, history, graph)
        if facts is None:
            continue
        notes = _notes_for(facts, item, level, budget - report.tokens_spent)
        if model is not None:
            from swe_agent.sleep.claude import improve

            notes, fallbacks = improve(model, facts, item, notes, budget - report.tokens_spent)
            report.model_fallbacks += fallbacks
        _write(store, report, notes)
        report.files_done += 1
        if progress:
            progress(sum(report.notes_by_kind.values()), report.tokens_spent, budget)
    with store.transaction():
        store.con.execute(
            "UPDATE sleep_runs SET finished_at = current_timestamp, notes_written = ?, tokens_spent = ? WHERE id = ?",
            [sum(report.notes_by_kind.values()), report.tokens_spent, run_id],
        )
    report.seconds = time.perf_counter() - started
    return report


def _write(store: Store, report: SleepReport, notes: list[Note]) -> None:
    if not notes:
        return
    with store.transaction():
        write_notes(store, notes)
    for note in notes:
        report.notes_by_kind[note.kind] += 1
        report.tokens_spent += note.tokens


def _overview(root: Path, store: Store, head: str | None) -> Note:
    return overview_note(root, store, head)


def _notes_for(facts: offline.FileFacts, item: Item, level: int, left: int) -> list[Note]:
    notes = [offline.file_summary(facts, item.priority)]
    if level >= 3 and (note := offline.cochange_note(facts, item.priority)):
        notes.append(note)
    spent = sum(n.tokens for n in notes)
    test_file = is_test(item.path)
    for d in item.definitions[:PER_FILE]:
        if d["priority"] < 0 or spent >= left or test_file:
            continue
        made = [offline.definition_summary(facts, d, d["priority"])]
        if level >= 2:
            made.extend(offline.questions(facts, d, d["priority"]))
        if level >= 3 and (note := offline.history_note(facts, d, d["priority"])):
            made.append(note)
        notes.extend(made)
        spent += sum(n.tokens for n in made)
    return notes


def _graph(store: Store) -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    """Callers of each name and callees of each definition, from the reference table."""
    callers = {
        name: list(enclosing)
        for name, enclosing in store.query(
            "SELECT name, list(DISTINCT enclosing)[1:8] FROM refs "
            "WHERE kind = 'call' AND enclosing IS NOT NULL GROUP BY name"
        )
    }
    callees = {
        (path, enclosing): list(names)
        for path, enclosing, names in store.query(
            "SELECT path, enclosing, list(DISTINCT name)[1:10] FROM refs "
            "WHERE kind = 'call' AND enclosing IS NOT NULL GROUP BY path, enclosing"
        )
    }
    return callers, callees


def _facts(root: Path, item: Item, history: History, graph: tuple[dict, dict]) -> offline.FileFacts | None:
    try:
        text = (root / item.path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    callers, callees = graph
    names = {d["name"] for d in item.definitions}
    return offline.FileFacts(
        path=item.path,
        code_hash=item.code_hash,
        lines=text.splitlines(),
        definitions=sorted(item.definitions, key=lambda d: d["start_line"]),
        callers={d["qualname"]: callers.get(d["name"], []) for d in item.definitions},
        callees={d["qualname"]: callees.get((item.path, d["qualname"]), []) for d in item.definitions},
        subjects={name: history.subjects.get((item.path, name), []) for name in names},
        partners=history.cochange.get(item.path, Counter()).most_common(5),
    )


def _estimate(item: Item, level: int, with_model: bool) -> dict[str, Any]:
    defs = [d for d in item.definitions if d["priority"] >= 0]
    per_definition = {1: 60, 2: 160, 3: 200}[min(level, 3)]
    tokens = 60 + per_definition * len(defs)
    if with_model:
        tokens += sum(40 * (d["end_line"] - d["start_line"] + 1) for d in defs[:5])
    return {"path": item.path, "priority": round(item.priority, 3), "definitions": len(defs), "estimated_tokens": tokens}
