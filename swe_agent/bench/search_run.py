"""Run a semble-format suite: per repository, index its benchmark root from an empty store,
answer every query with `search` (what `swe-agent search` runs) and, per sleep level asked
for, with the offline `ask` (what `swe-agent ask --offline` runs), and score both.

Only the functions the CLI calls are used, so a change of ranking is measured as users get
it. The bare index is kept beside the work tree (`<workdir>/index/`) and put back before each
sleep level, so no level sees another's notes.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swe_agent.bench import bare_index
from swe_agent.bench.run import cpu_seconds
from swe_agent.bench.search_score import TOP_K, score_query
from swe_agent.bench.semble import Query, RepoSpec, checkout, load_queries, snapshot_of
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.config import Settings
    from swe_agent.index import IndexReport
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import Store

Log = Callable[[str], None]
LATENCY_RUNS = 5  # a query's latency is the median of this many runs, as semble measures it
KEEP = ("path", "start_line", "end_line", "symbol")


@dataclass(frozen=True, slots=True)
class SearchBenchConfig:
    suite: Path
    workdir: Path
    snapshots: Path | None = None
    levels: tuple[int, ...] = ()  # sleep levels at which `ask` answers; none: `search` only
    limit: int | None = None  # queries per repository


def ask_system(level: int) -> str:
    return f"ask L{level}"


def locate(
    specs: list[RepoSpec], snapshots: Path | None
) -> tuple[list[tuple[RepoSpec, Path]], list[dict[str, str]]]:
    """Each repository's snapshot, and the repositories without a usable one (and why)."""
    found, missing = [], []
    for spec in specs:
        try:
            found.append((spec, snapshot_of(spec, snapshots)))
        except SweAgentError as exc:
            missing.append({"repo": spec.name, "reason": exc.message, "hint": exc.hint})
    return found, missing


def run_suite(
    repos: list[tuple[RepoSpec, Path]], config: SearchBenchConfig, settings: Settings, log: Log
) -> dict[str, Any]:
    """{"repos": one summary per repository, "results": one row per query and system}."""
    infos, rows = [], []
    for spec, gitdir in repos:
        info, repo_rows = run_repo(spec, gitdir, config, settings, log)
        infos.append(info)
        rows.extend(repo_rows)
    return {"repos": infos, "results": rows}


def run_repo(
    spec: RepoSpec, gitdir: Path, config: SearchBenchConfig, settings: Settings, log: Log
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from swe_agent.queries import store_status_in
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import open_store

    queries = load_queries(config.suite, spec, config.limit)
    root = checkout(spec, gitdir, config.workdir)
    repo = GitRepo(root)
    bare_index.remove(root)
    started = time.perf_counter()
    with open_store(root, create=True) as store:
        _index(repo, store, settings)
        index_seconds = time.perf_counter() - started
        counts = store_status_in(store)["counts"]
        loading = time.perf_counter()
        held = MemoryIndex(store)  # as the daemon and the MCP server hold it
        load_seconds = time.perf_counter() - loading
        scored = [search_row(store, q, held) for q in queries]
    rows = [row for row, _, _ in scored]
    latencies = [ms for _, ms, _ in scored]
    cpu = [ms for _, _, ms in scored]
    base = config.workdir / "index" / f"{spec.key}.duckdb"
    bare_index.save(root, base)
    info: dict[str, Any] = {
        "repo": spec.name, "language": spec.language, "revision": spec.revision,
        "benchmark_root": spec.root or ".", "queries": len(queries), "files": counts["files"],
        "chunks": counts["chunks"], "index_seconds": round(index_seconds, 3),
        "memory_index_seconds": round(load_seconds, 3),
        "search_p50_ms": round(statistics.median(latencies), 3) if latencies else None,
        "search_cpu_p50_ms": round(statistics.median(cpu), 3) if cpu else None,
        "sleep": {},
    }  # fmt: skip
    log(f"{spec.name}: {counts['files']} files, {counts['chunks']} chunks indexed in "
        f"{index_seconds:.1f}s, search p50 {info['search_p50_ms']} ms")  # fmt: skip
    for level in config.levels:
        bare_index.restore(base, root)
        with open_store(root) as store:
            info["sleep"][str(level)] = _sleep(repo, store, level, settings)
            rows.extend(ask_row(store, repo, q, level, settings) for q in queries)
        log(f"{spec.name}: ask at level {level} done")
    return info, rows


def _index(repo: GitRepo, store: Store, settings: Settings) -> IndexReport:
    from swe_agent.index import index_repository

    return index_repository(
        repo, store, max_bytes=settings.max_file_bytes, workers=settings.workers
    )


def search_row(
    store: Store, query: Query, index: MemoryIndex | None = None
) -> tuple[dict[str, Any], float, float]:
    """The query's scored search results, and its latency and CPU time in ms (the medians of
    several runs; CPU time is what a busy machine does not inflate), in process, with the
    in-memory index a long-lived process holds (index) when given."""
    from swe_agent.queries import search_code_in

    times, cpu = [], []
    for _ in range(LATENCY_RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = search_code_in(store, query.text, k=TOP_K, index=index)
        cpu.append((time.process_time() - cpu_started) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    return _row("search", query, results), statistics.median(times), statistics.median(cpu)


def ask_row(
    store: Store, repo: GitRepo, query: Query, level: int, settings: Settings
) -> dict[str, Any]:
    """The offline agent's ranked locations for the query, scored; level 0 uses no notes."""
    from dataclasses import asdict

    from swe_agent.agent.answering import answer
    from swe_agent.agent.request import AskRequest

    started = time.perf_counter()
    request = AskRequest(query.text, "question", use_notes=level > 0, offline=True)
    result = answer(request, store, repo, settings, None)
    row = _row(ask_system(level), query, [asdict(loc) for loc in result.locations])
    row["seconds"] = round(time.perf_counter() - started, 3)
    return row


def _row(system: str, query: Query, results: list[dict[str, Any]]) -> dict[str, Any]:
    ndcg10, ranks = score_query(results, query.targets)
    targets = [
        {"path": t.path, "start_line": t.start_line, "end_line": t.end_line} for t in query.targets
    ]
    return {
        "system": system, "repo": query.repo, "language": query.language,
        "category": query.category, "query": query.text, "ndcg10": round(ndcg10, 4),
        "ranks": ranks, "targets": targets,
        "results": [{k: r.get(k) for k in KEEP} for r in results[:TOP_K]],
    }  # fmt: skip


def _sleep(repo: GitRepo, store: Store, level: int, settings: Settings) -> dict[str, Any]:
    from swe_agent.sleep import run_sleep

    cpu = cpu_seconds()
    report = run_sleep(repo, store, model=None, budget=settings.sleep_budget_for(None), level=level)
    return {
        "notes": sum(report.notes_by_kind.values()), "tokens": report.tokens_spent,
        "seconds": round(report.seconds, 3), "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "notes_by_kind": dict(report.notes_by_kind),
    }  # fmt: skip
