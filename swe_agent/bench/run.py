"""The pipeline: per source, get the code, index it once, then per sleep level restore the
bare index, sleep, and answer every task of that source at every foreground budget.

The bare index is kept beside the work directory's repositories and copied over the
repository's store before each level (bench/bare_index.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swe_agent.bench import bare_index, lookups
from swe_agent.bench.measures import language_family
from swe_agent.bench.projects import prepare
from swe_agent.bench.score import score_answer
from swe_agent.bench.tasks import Source, Task
from swe_agent.config import override
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.config import Settings
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import Store

Log = Callable[[str], None]
KEPT_LOCATIONS = 10  # locations kept per answer in the results, for studying misses


@dataclass(frozen=True, slots=True)
class Budget:
    """One foreground budget: main-context tokens and model steps."""

    context_budget: int
    max_steps: int

    @property
    def label(self) -> str:
        return f"{self.context_budget}/{self.max_steps}"


@dataclass(frozen=True, slots=True)
class BenchConfig:
    workdir: Path
    levels: tuple[int, ...] = (0, 1, 2, 3)
    budgets: tuple[Budget, ...] = ()  # the first is the main budget, the one the table shows
    snapshots: Path | None = None
    offline: bool = False
    note_variants: tuple[str, ...] = (
        "",
    )  # note kinds read at levels above 0, each a run; "": the settings'


def parse_levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(dict.fromkeys(int(p) for p in text.split(",") if p.strip()))
    except ValueError:
        raise SweAgentError(
            f"cannot read --levels {text!r}", "give levels from 0 to 3, e.g. 0,2"
        ) from None
    if not levels or any(not 0 <= level <= 3 for level in levels):
        raise SweAgentError(
            f"--levels {text!r} is out of range", "give levels from 0 to 3, e.g. 0,2"
        )
    return levels


def parse_budgets(text: str) -> tuple[Budget, ...]:
    """`TOKENS:STEPS,...` as budgets, e.g. `4000:4,8000:8`."""
    budgets = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        tokens, _, steps = part.partition(":")
        try:
            budget = Budget(int(tokens), int(steps))
        except ValueError:
            raise SweAgentError(
                f"cannot read the budget {part!r}", "write TOKENS:STEPS, e.g. 8000:8"
            ) from None
        if budget.context_budget < 2000 or budget.max_steps < 2:
            raise SweAgentError(
                f"the budget {part!r} is too small", "give at least 2000 tokens and 2 steps"
            )
        budgets.append(budget)
    return tuple(dict.fromkeys(budgets))


def group_tasks(tasks: list[Task]) -> dict[Source, list[Task]]:
    """Tasks by source, in order of first appearance."""
    groups: dict[Source, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.source, []).append(task)
    return groups


def run_bench(
    tasks: list[Task],
    config: BenchConfig,
    settings: Settings,
    environ: Mapping[str, str],
    log: Log | None = None,
) -> dict[str, Any]:
    """Every task at every level and budget: {"repos": [...], "results": [...]}."""
    log = log or (lambda _: None)
    budgets = config.budgets or (Budget(settings.context_budget, settings.max_steps),)
    config = replace(config, budgets=budgets)
    repos, results = [], []
    for source, group in group_tasks(tasks).items():
        repo_info, rows = run_source(source, group, config, settings, environ, log)
        repos.append(repo_info)
        results.extend(rows)
    return {"repos": repos, "results": results}


def run_source(
    source: Source,
    tasks: list[Task],
    config: BenchConfig,
    settings: Settings,
    environ: Mapping[str, str],
    log: Log,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from swe_agent.index import index_repository
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store import files as files_table
    from swe_agent.store.db import open_store

    started = time.perf_counter()
    log(f"{source.describe()}: getting the code")
    root = prepare(source, config.workdir, config.snapshots)
    repo = GitRepo(root)
    prepared = time.perf_counter() - started
    base = config.workdir / "index" / f"{source.key}.duckdb"
    seed = base if base.is_file() else _nearest_index(config.workdir / "index", source, repo)
    seeded_from = seed.stem if seed != base and seed.is_file() else None
    bare_index.restore(seed, root)
    cpu = cpu_seconds()
    with open_store(root, create=True) as store:
        report = index_repository(
            repo, store, max_bytes=settings.max_file_bytes, workers=settings.workers
        )
        index_cpu = cpu_seconds() - cpu
        files = files_table.counts(store)["files"]
        spans = {t.id: lookups.gold_spans(store, t.gold_functions) for t in tasks}
        naive = {t.id: lookups.naive_reader(store, root, t.question, t.gold_files) for t in tasks}
    bare_index.save(root, base)
    log(
        f"{source.describe()}: {files} files indexed in {report.seconds:.1f}s, {index_cpu:.1f} CPU s "
        f"({len(report.added) + len(report.changed)} parsed{', from ' + seeded_from if seeded_from else ''})"
    )
    info: dict[str, Any] = {
        "source": source.describe(), "root": str(root), "files": files, "head": report.head,
        "prepare_seconds": round(prepared, 3), "index_seconds": round(report.seconds, 3),
        "index_cpu_seconds": round(index_cpu, 3),
        "parsed": len(report.added) + len(report.changed), "levels": {},
        "index_from": seeded_from,
    }  # fmt: skip
    rows = []
    for level in config.levels:
        bare_index.restore(base, root)
        with open_store(root) as store:
            sleep = _sleep(repo, store, level, settings, environ, config.offline)
            info["levels"][str(level)] = sleep
            log(
                f"{source.describe()}: level {level} sleep {sleep['tokens']:,} tokens, {sleep['notes']} notes, {sleep['seconds']:.1f}s"
            )
            seen = {
                t.id: lookups.anticipation(store, t.question) if level > 0 else None for t in tasks
            }
            variants = config.note_variants if level > 0 else ("",)
            for variant, kinds in enumerate(variants):
                reading = override(settings, note_kinds=kinds) if kinds else settings
                for budget, task in ((b, t) for b in config.budgets for t in tasks):
                    row = ask(store, repo, task, level, budget, reading, environ, config.offline)
                    row.update(main=budget == config.budgets[0], variant=variant,
                               language=language_family(task.gold_files),
                               note_kinds=reading.note_kinds if level > 0 else "",
                               sleep_tokens=sleep["tokens"], sleep_seconds=sleep["seconds"],
                               sleep_cpu_seconds=sleep["cpu_seconds"],
                               naive=naive[task.id], anticipation=seen[task.id],
                               gold_spans_found=sum(1 for s in spans[task.id].values() if s))  # fmt: skip
                    row.update(
                        score_answer(
                            row["locations"], task.gold_files, task.gold_functions, spans[task.id]
                        )
                    )
                    rows.append(row)
                    log(_line(row))
    return info, rows


def _sleep(
    repo: GitRepo,
    store: Store,
    level: int,
    settings: Settings,
    environ: Mapping[str, str],
    offline: bool,
) -> dict[str, Any]:
    from swe_agent.llm.factory import open_model
    from swe_agent.sleep import run_sleep
    from swe_agent.store.calls import StoreRecorder

    recorder = StoreRecorder(store)
    cpu = cpu_seconds()
    with open_model(
        "sleep", settings, environ, recorder=recorder, offline=offline or level <= 0
    ) as model:
        report = run_sleep(
            repo, store, model=model, budget=settings.sleep_budget_for(model), level=level
        )
    return {
        "tokens": report.tokens_spent, "notes": sum(report.notes_by_kind.values()),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "notes_by_kind": dict(report.notes_by_kind), "files_done": report.files_done,
        "files_pending": report.files_pending, "seconds": round(report.seconds, 3), "mode": report.mode,
    }  # fmt: skip


def ask(
    store: Store, repo: GitRepo, task: Task, level: int, budget: Budget, settings: Settings,
    environ: Mapping[str, str], offline: bool,
) -> dict[str, Any]:  # fmt: skip
    """One answer, with its tokens and time; level 0 answers without notes."""
    from swe_agent.agent.answering import answer
    from swe_agent.agent.request import AskRequest
    from swe_agent.llm.factory import open_model
    from swe_agent.store.calls import StoreRecorder

    request = AskRequest(task.question, task.kind, use_notes=level > 0, offline=offline,
                         context_budget=budget.context_budget, max_steps=budget.max_steps)  # fmt: skip
    started, cpu = time.perf_counter(), cpu_seconds()
    with open_model(
        "foreground", settings, environ, recorder=StoreRecorder(store), offline=offline
    ) as model:
        result = answer(request, store, repo, settings, model)
    usage = result.usage
    return {
        "task": task.id, "source": task.source.describe(), "level": level, "budget": budget.label,
        "context_budget": budget.context_budget, "max_steps": budget.max_steps, "mode": result.mode,
        "test_time_tokens": usage.test_time_input_tokens,
        "test_time_output_tokens": usage.test_time_output_tokens,
        "tool_calls": usage.tool_calls, "notes_used": usage.notes_used,
        "confidence": result.confidence,
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "locations": [{"path": loc.path, "symbol": loc.symbol, "start_line": loc.start_line,
                       "end_line": loc.end_line, "why": loc.why}
                      for loc in result.locations[:KEPT_LOCATIONS]],
    }  # fmt: skip


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (git, parser workers): what
    offline work costs, where no model is paid and wall time depends on the machine's load."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _nearest_index(folder: Path, source: Source, repo: GitRepo) -> Path:
    """For a snapshot at a commit not indexed yet, the bare index of the same repository at
    the commit with the fewest files changed from this one: indexing from it parses only
    those, where an empty store would parse every file (sympy: ~1,650)."""
    own = folder / f"{source.key}.duckdb"
    if source.kind != "snapshot" or not folder.is_dir():
        return own
    prefix = source.key.split("@", 1)[0] + "@"
    same = sorted(p for p in folder.glob("*.duckdb") if p.name.startswith(prefix))
    changed = {p: repo.files_changed_from(p.stem.split("@", 1)[1]) for p in same}
    known = [(n, p.name, p) for p, n in changed.items() if n is not None]
    return min(known)[2] if known else own


def _line(row: dict[str, Any]) -> str:
    hits = " ".join(f"{k}={'y' if row.get(k) else '-'}" for k in ("file@1", "file@5", "function@5"))
    return (f"  {row['task']} level {row['level']} budget {row['budget']}: {hits} "
            f"{row['test_time_tokens']:,} tokens {row['seconds']:.1f}s")  # fmt: skip
