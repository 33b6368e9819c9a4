"""Sleep-time analysis: notes about the code, written before the questions come.

`run_sleep` looks at what is new or changed since the last run (files with no current notes
for their content at the level asked), plans by priority, and writes the notes of each file
as one unit. Notes are committed in short transactions at least every `FLUSH_SECONDS`, so a
kill loses at most that much work and the next run goes on from the files not yet written.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from swe_agent.code.paths import is_test_path
from swe_agent.errors import interrupted
from swe_agent.llm.base import Model
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep import docs, offline, questions, testlinks
from swe_agent.sleep.history import History, read_history
from swe_agent.sleep.overview import overview_note
from swe_agent.sleep.plan import Item, plan
from swe_agent.sleep.writer import NoteWriter, Progress
from swe_agent.store import notes as notes_table
from swe_agent.store import sleep_runs
from swe_agent.store.db import Store
from swe_agent.store.notes import Note, drop_stale, repository_overview
from swe_agent.store.symbols import call_graph

if TYPE_CHECKING:
    from swe_agent.sleep.batched import Batch

__all__ = ["SleepReport", "run_sleep", "LEVELS"]

LEVELS = range(0, 4)
PER_FILE = 40  # definitions per file that get notes of their own, best priority first
COMMITS = 1000  # commits of HEAD (touching code) read for history, churn and co-change
FILES_COMMITS = 300  # below level 3 only which files they touched, for churn and recency
HISTORY_SECONDS = 30.0  # and no more time than this reading them, however large the repository


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
            "level": self.level,
            "budget": self.budget,
            "mode": self.mode,
            "notes_by_kind": dict(self.notes_by_kind),
            "notes_written": sum(self.notes_by_kind.values()),
            "tokens_spent": self.tokens_spent,
            "files_done": self.files_done,
            "files_pending": self.files_pending,
            "dropped_stale": self.dropped_stale,
            "seconds": round(self.seconds, 3),
            "yielded": self.yielded,
            "planned": self.planned,
            "model_fallbacks": self.model_fallbacks,
        }


def run_sleep(
    repo: GitRepo,
    store: Store,
    *,
    model: Model | None = None,
    budget: int,
    level: int,
    dry_run: bool = False,
    progress: Progress | None = None,
    should_yield: Callable[[], bool] | None = None,
    commits: int = COMMITS,
    batch: Batch | None = None,
) -> SleepReport:
    """Write notes about what changed, best priority first, until the budget is spent. With a
    `batch`, the model's requests are gathered in it (sleep/batched.py) instead of made."""
    started = time.perf_counter()
    report = SleepReport(level, budget, "offline" if model is None else f"claude ({model.name})")
    if level <= 0:
        return report
    files = sleep_runs.files_without_notes(store, level)
    history = History()
    if files and level >= 3:
        paths = (p for p, _ in files)
        history = read_history(repo, commits, seconds=HISTORY_SECONDS, paths=paths)
    elif files:  # which files change often and lately, for the order of work
        history = read_history(repo, min(commits, FILES_COMMITS), with_hunks=False)
    items = plan(store, history, files)
    report.files_pending = len(items)
    if dry_run:
        report.planned = [_estimate(i, level, model is not None) for i in items]
        report.seconds = time.perf_counter() - started
        return report
    writer = NoteWriter(store, notes_table.use_counts(store), progress, budget)
    writer.files_planned = len(items)
    run_id = _start_run(store, repo, report, model)
    try:
        if items or not repository_overview(store):
            writer.add("", [overview_note(repo.root, store, repo.head())])
        _analyse(repo, store, items, history, writer, report, model, should_yield, batch)
    except BaseException as exc:
        if interrupted(exc):  # the notes written whole so far are kept
            writer.flush()
        raise
    writer.flush()
    report.notes_by_kind, report.tokens_spent = writer.written, writer.tokens
    with store.transaction():
        sleep_runs.finish_run(store, run_id, sum(writer.written.values()), writer.tokens)
    report.seconds = time.perf_counter() - started
    return report


def _start_run(store: Store, repo: GitRepo, report: SleepReport, model: Model | None) -> str:
    run_id = uuid.uuid4().hex
    with store.transaction():
        report.dropped_stale = drop_stale(store)
        sleep_runs.start_run(
            store,
            run_id,
            repo.head(),
            report.level,
            report.budget,
            model.name if model else "offline",
        )
    return run_id


def _analyse(
    repo: GitRepo,
    store: Store,
    items: list[Item],
    history: History,
    writer: NoteWriter,
    report: SleepReport,
    model: Model | None,
    should_yield: Callable[[], bool] | None,
    batch: Batch | None = None,
) -> None:
    graph = call_graph(store)
    links = (
        Linked(testlinks.test_links(store), docs.doc_links(store, repo.root))
        if report.level >= 2
        else None
    )
    writer_model = model
    failures = 0
    for item in items:
        spent = writer.spent + (batch.tokens if batch else 0)
        if spent >= report.budget or (should_yield and should_yield()):
            report.yielded = spent < report.budget
            return
        facts = offline.file_facts(
            repo.root, item.path, item.code_hash, item.definitions, history, graph
        )
        if facts is None:
            continue
        notes = _offline_notes(
            facts, item, report.level, report.budget - writer.spent, should_yield, links
        )
        if notes is None:  # gave way within the file: its notes are written whole, by a later run
            report.yielded = True
            return
        if batch is not None:
            batch.add(facts, item.definitions, notes)
        elif writer_model is not None:
            from swe_agent.sleep.claude import improve

            left = report.budget - writer.spent - sum(n.tokens for n in notes)
            notes, outcome = improve(writer_model, facts, item.definitions, notes, left)
            report.model_fallbacks += outcome.fallbacks
            failures = 0 if outcome.answered else failures + outcome.errors
            if failures >= 3:  # three files in a row with every call failed: finish offline
                writer_model = None
                report.mode += ", offline after 3 failed calls"
        writer.add(item.path, notes)
        report.files_done += 1


@dataclass(frozen=True, slots=True)
class Linked:
    """What lies beside the code and names its definitions: tests that call them, documentation
    passages that name them."""

    tests: testlinks.Links
    docs: docs.Passages


def _docs_notes(facts: offline.FileFacts, d: dict[str, Any], links: Linked | None) -> list[Note]:
    documented = links and docs.docs_note(facts, d, links.docs, d["priority"])
    return [documented] if documented else []


def _offline_notes(
    facts: offline.FileFacts,
    item: Item,
    level: int,
    left: int,
    should_yield: Callable[[], bool] | None = None,
    links: Linked | None = None,
) -> list[Note] | None:
    """The file's notes, or None when `should_yield` said to give way before they were done
    (asked every 8 definitions, so that a request waits for a few definitions, not a file)."""
    notes = [offline.file_summary(facts, item.priority)]
    if level >= 3 and (note := offline.cochange_note(facts, item.priority)):
        notes.append(note)
    spent = sum(n.tokens for n in notes)
    if is_test_path(item.path):
        return notes
    for rank, d in enumerate(item.definitions):
        if should_yield is not None and rank % 8 == 7 and should_yield():
            return None
        if d["priority"] < 0 or spent >= left:
            continue
        if rank >= PER_FILE:  # past the likeliest: only the questions a line of its code answers
            if level >= 2 and d["kind"] in offline.CALLABLE:
                made = questions.questions(facts, d, d["priority"], evident_only=True)
                made += _docs_notes(facts, d, links)
                notes.extend(made)
                spent += sum(n.tokens for n in made)
            continue
        made = [offline.definition_summary(facts, d, d["priority"])]
        if level >= 2:
            made.extend(questions.questions(facts, d, d["priority"]))
            if links and (tested := testlinks.tests_note(facts, d, links.tests, d["priority"])):
                made.append(tested)
            made += _docs_notes(facts, d, links)
        if level >= 3 and (note := offline.history_note(facts, d, d["priority"])):
            made.append(note)
        notes.extend(made)
        spent += sum(n.tokens for n in made)
    return notes


def _estimate(item: Item, level: int, with_model: bool) -> dict[str, Any]:
    defs = [
        d for d in item.definitions[:PER_FILE] if d["priority"] >= 0 and not is_test_path(item.path)
    ]
    per_definition = {1: 60, 2: 200, 3: 230}[min(level, 3)]
    tokens = 80 + per_definition * len(defs)
    if with_model:
        tokens += sum(12 * (d["end_line"] - d["start_line"] + 1) + 600 for d in defs[:3])
    return {
        "path": item.path,
        "priority": round(item.priority, 3),
        "definitions": len(defs),
        "estimated_tokens": tokens,
    }
