"""Time in-process `search` as `bench search` does (issue #9: p50 <= 2 ms): each repository of a
semble-format suite indexed once, its in-memory index loaded as the daemon and the MCP server
hold it, then every dev query answered many times; per query the median wall and CPU ms, per
repository their p50 and p90 over the queries.

    .venv/bin/python bench/search_speed.py --suite DIR --snapshots DIR --workdir DIR \
        [--repos click,gin,gson,laravel-framework] [--repeats 10] [--json]

    ... --dump FILE      every query's ranked results (path, lines, symbol, score) as JSON: two
                         dumps of versions that must rank alike are compared with `cmp`
    ... --profile [N]    cProfile over the timed loop: the N functions of most own time
    ... --steps          CPU ms a query spends in each step of ranking.search (each step wrapped
                         in a timer: no profiler's overhead on the code between calls)
    ... --against TREE   this tree against another version's source (TREE, e.g. main's), each
                         timed in a new process, alternating, --runs times; medians of both and
                         of the paired differences (this tree minus TREE) per repository
    ... --against TREE --interleave
                         both versions in this one process (TREE's swe_agent imported beside
                         this one's), query by query in alternating order: load changes on a
                         busy machine then hit both alike; per repository the p50 of each and
                         the median of the per-query paired differences

CPU time is the figure to trust on a busy machine; wall time is reported beside it. The index is
built by this tree and read by both versions, so they must share the store's schema.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_REPOS = "click,gin,gson,laravel-framework"  # small, two middling, the largest of semble dev
TOP_K = 10


def prepare(suite: Path, snapshots: Path, workdir: Path, names: list[str]) -> list[dict[str, Any]]:
    """Each repository's work tree, indexed once (a store already there is kept), and its
    queries: [{"name", "root", "queries"}]."""
    from swe_agent.bench.semble import checkout, choose, load_queries, load_specs, snapshot_of
    from swe_agent.index import index_repository
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import open_store, store_path

    out = []
    for spec in choose(load_specs(suite), names):
        root = checkout(spec, snapshot_of(spec, snapshots), workdir)
        if not store_path(root).exists():
            with open_store(root, create=True) as store:
                index_repository(GitRepo(root), store)
        queries = [q.text for q in load_queries(suite, spec)]
        out.append({"name": spec.name, "root": str(root), "queries": queries})
    return out


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(repos: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    """Per repository: p50/p90 over its queries of each query's median wall and CPU ms over
    `repeats` runs (after one untimed pass), and the in-memory index's load seconds."""
    from swe_agent.queries import search_code_in
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.store.db import open_store

    out: dict[str, Any] = {}
    for repo in repos:
        with open_store(Path(repo["root"]), read_only=True) as store:
            started = time.perf_counter()
            held = MemoryIndex(store)
            load = time.perf_counter() - started
            for text in repo["queries"]:
                search_code_in(store, text, k=TOP_K, index=held)
            walls: list[list[float]] = [[] for _ in repo["queries"]]
            cpus: list[list[float]] = [[] for _ in repo["queries"]]
            for _ in range(repeats):
                for i, text in enumerate(repo["queries"]):
                    w, c = time.perf_counter(), time.process_time()
                    search_code_in(store, text, k=TOP_K, index=held)
                    cpus[i].append((time.process_time() - c) * 1000)
                    walls[i].append((time.perf_counter() - w) * 1000)
        wall = [statistics.median(t) for t in walls]
        cpu = [statistics.median(t) for t in cpus]
        out[repo["name"]] = {
            "queries": len(wall), "load_s": round(load, 3),
            "wall_p50": round(_quantile(wall, 0.5), 3), "wall_p90": round(_quantile(wall, 0.9), 3),
            "cpu_p50": round(_quantile(cpu, 0.5), 3), "cpu_p90": round(_quantile(cpu, 0.9), 3),
        }  # fmt: skip
    out["load_average"] = round(os.getloadavg()[0], 2)
    return out


def dump(repos: list[dict[str, Any]]) -> dict[str, Any]:
    """Every query's ranked results with their exact scores (repr), for comparing versions:
    from the in-memory index and from the store (a one-shot command's path)."""
    from swe_agent.ranking import search
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.store.db import open_store

    out: dict[str, Any] = {}
    for repo in repos:
        with open_store(Path(repo["root"]), read_only=True) as store:
            held = MemoryIndex(store)
            out[repo["name"]] = {
                text: {
                    "memory": [
                        [c.path, c.start_line, c.end_line, c.symbol, repr(c.score)]
                        for c in search(store, text, TOP_K, index=held)
                    ],
                    "store": [
                        [c.path, c.start_line, c.end_line, c.symbol, repr(c.score)]
                        for c in search(store, text, TOP_K)
                    ],
                }
                for text in repo["queries"]
            }
    return out


def profile(repos: list[dict[str, Any]], repeats: int, top: int) -> str:
    from io import StringIO

    from swe_agent.queries import search_code_in
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.store.db import open_store

    profiler = cProfile.Profile()
    for repo in repos:
        with open_store(Path(repo["root"]), read_only=True) as store:
            held = MemoryIndex(store)
            for text in repo["queries"]:
                search_code_in(store, text, k=TOP_K, index=held)
            profiler.enable()
            for _ in range(repeats):
                for text in repo["queries"]:
                    search_code_in(store, text, k=TOP_K, index=held)
            profiler.disable()
    text = StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


STEPS = {  # the module attributes ranking.search calls, and the in-memory index's methods
    "swe_agent.ranking": ["parse_query"],
    "swe_agent.ranking.candidates": ["pool_from"],
    "swe_agent.ranking.boosts": [
        "boost_definitions", "boost_path_matches", "boost_central_files", "boost_coherent_files",
    ],
    "swe_agent.ranking.files": ["boost_matching_files", "boost_hub_files", "prefer_shallow_files"],
    "swe_agent.ranking.selection": ["penalise", "select"],
}  # fmt: skip
SOURCE_STEPS = ("bm25", "definitions_of", "file_uses", "file_bm25", "links")


def steps(repos: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    """CPU ms a query spends in each step (summed over every query and repeat, divided by
    their number), and in the whole of search_code_in."""
    import importlib

    from swe_agent.queries import search_code_in
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.store.db import open_store

    spent: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started

        return wrapper

    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, timed(name, getattr(module, name)))
    calls, total = 0, {"total": 0.0}
    for repo in repos:
        with open_store(Path(repo["root"]), read_only=True) as store:
            held = MemoryIndex(store)
            for name in SOURCE_STEPS:
                setattr(held, name, timed(f"index.{name}", getattr(held, name)))
            for text in repo["queries"]:  # untimed: the first pass fills caches
                search_code_in(store, text, k=TOP_K, index=held)
            spent.clear()
            started = time.process_time()
            for _ in range(repeats):
                for text in repo["queries"]:
                    search_code_in(store, text, k=TOP_K, index=held)
            total["total"] += time.process_time() - started
            for name, t in spent.items():
                total[name] = total.get(name, 0.0) + t
            calls += repeats * len(repo["queries"])
    ordered = sorted(total.items(), key=lambda item: -item[1])
    return {name: round(1000 * t / calls, 4) for name, t in ordered}


def import_version(tree: Path) -> tuple[Any, Any]:
    """TREE's ranking.search and MemoryIndex, imported beside this tree's: its swe_agent
    modules are loaded from TREE and then put aside, this tree's left in place. Nothing on
    the search path imports lazily, so each version's functions call only their own."""
    import importlib

    def ours() -> dict[str, Any]:
        return {k: m for k, m in sys.modules.items() if k.split(".")[0] == "swe_agent"}

    importlib.import_module("swe_agent.ranking.memory")  # this tree's, before it is set aside
    saved = ours()
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(tree.resolve()))
    try:
        search = importlib.import_module("swe_agent.ranking").search
        memory = importlib.import_module("swe_agent.ranking.memory")
        if not str(memory.__file__).startswith(str(tree.resolve())):
            raise SystemExit(f"--against {tree}: imported {memory.__file__} instead")
    finally:
        sys.path.remove(str(tree.resolve()))
        for name in ours():
            del sys.modules[name]
        sys.modules.update(saved)
    return search, memory.MemoryIndex


def interleaved(repos: list[dict[str, Any]], tree: Path, repeats: int) -> dict[str, Any]:
    """Both versions' search, query by query in alternating order, in this process."""
    from swe_agent.ranking import search as this_search
    from swe_agent.ranking.memory import MemoryIndex
    from swe_agent.store.db import open_store

    other_search, OtherIndex = import_version(tree)
    out: dict[str, Any] = {"repeats": repeats, "repos": {}}
    for repo in repos:
        with open_store(Path(repo["root"]), read_only=True) as store:
            sides = {
                "this": (this_search, MemoryIndex(store)),
                "against": (other_search, OtherIndex(store)),
            }
            cpu: dict[str, list[list[float]]] = {s: [[] for _ in repo["queries"]] for s in sides}
            for i in range(repeats + 1):
                for j, text in enumerate(repo["queries"]):
                    order = ("this", "against") if (i + j) % 2 == 0 else ("against", "this")
                    for side in order:
                        search, held = sides[side]
                        c = time.process_time()
                        search(store, text, TOP_K, index=held)
                        if i:  # the first pass is untimed: it fills caches
                            cpu[side][j].append((time.process_time() - c) * 1000)
        medians = {side: [statistics.median(t) for t in per] for side, per in cpu.items()}
        diffs = sorted(a - b for a, b in zip(medians["this"], medians["against"], strict=True))
        out["repos"][repo["name"]] = {
            "cpu_p50_this": round(_quantile(medians["this"], 0.5), 3),
            "cpu_p50_against": round(_quantile(medians["against"], 0.5), 3),
            "cpu_p90_this": round(_quantile(medians["this"], 0.9), 3),
            "cpu_p90_against": round(_quantile(medians["against"], 0.9), 3),
            "query_diff_median": round(statistics.median(diffs), 3),
            "queries_faster": sum(d < 0 for d in diffs), "queries": len(diffs),
        }  # fmt: skip
    rows = out["repos"].values()
    for side in ("this", "against"):
        out[f"median_cpu_p50_{side}"] = round(
            statistics.median(r[f"cpu_p50_{side}"] for r in rows), 3
        )
    out["load_average"] = round(os.getloadavg()[0], 2)
    return out


def _print_interleaved(result: dict[str, Any]) -> None:
    print(f"interleaved query by query in one process, {result['repeats']} repeats a query (CPU)")
    for name, r in result["repos"].items():
        print(
            f"{name}: p50 this {r['cpu_p50_this']} ms, against {r['cpu_p50_against']} ms; "
            f"p90 this {r['cpu_p90_this']} ms, against {r['cpu_p90_against']} ms; per query "
            f"this - against median {r['query_diff_median']:+} ms, "
            f"{r['queries_faster']} of {r['queries']} queries faster"
        )
    print(
        f"median over repositories of p50: this {result['median_cpu_p50_this']} ms, against "
        f"{result['median_cpu_p50_against']} ms; load average {result['load_average']}"
    )


AB_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from search_speed import measure
print(json.dumps(measure(json.loads(sys.argv[2]), int(sys.argv[3]))))
"""


def against(repos: list[dict[str, Any]], tree: Path, runs: int, repeats: int) -> dict[str, Any]:
    """This tree's measure() against TREE's, alternating, each in a new process."""
    import sysconfig

    trees = {"this": Path(__file__).resolve().parent.parent, "against": tree.resolve()}
    found: dict[str, list[dict[str, Any]]] = {"this": [], "against": []}
    for i in range(runs):
        for name in ("this", "against") if i % 2 == 0 else ("against", "this"):
            path = f"{trees[name]}{os.pathsep}{sysconfig.get_paths()['purelib']}"
            done = subprocess.run(  # -S and a neutral cwd: TREE's swe_agent, not the installed one
                [sys.executable, "-S", "-c", AB_CHILD, str(Path(__file__).parent),
                 json.dumps(repos), str(repeats)],
                env={**os.environ, "PYTHONPATH": path}, cwd=Path(repos[0]["root"]).parent,
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            found[name].append(_last_json(done.stdout))
    out: dict[str, Any] = {"runs": runs, "repeats": repeats, "repos": {}}
    for repo in repos:
        name = repo["name"]
        row: dict[str, Any] = {}
        for key in ("cpu_p50", "wall_p50", "cpu_p90", "wall_p90"):
            this = [r[name][key] for r in found["this"]]
            other = [r[name][key] for r in found["against"]]
            diffs = sorted(a - b for a, b in zip(this, other, strict=True))
            row[key] = {
                "this": round(statistics.median(this), 3),
                "against": round(statistics.median(other), 3),
                "diff": round(statistics.median(diffs), 3),
                "min": round(diffs[0], 3), "max": round(diffs[-1], 3),
                "negative": sum(d < 0 for d in diffs),
            }  # fmt: skip
        out["repos"][name] = row
    for key in ("cpu_p50", "wall_p50"):
        out[f"median_{key}"] = {
            side: round(statistics.median(r[key][side] for r in out["repos"].values()), 3)
            for side in ("this", "against")
        }
    out["load"] = [r["load_average"] for side in found.values() for r in side]
    return out


def _last_json(stdout: str) -> dict[str, Any]:
    """The child's result, the last line of its output (anything printed before it is not)."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"no result from a timed process; it printed: {stdout[-500:]!r}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _print_measure(result: dict[str, Any]) -> None:
    for name, r in result.items():
        if isinstance(r, dict):
            print(
                f"{name}: {r['queries']} queries, index loaded in {r['load_s']} s; "
                f"cpu p50 {r['cpu_p50']} ms p90 {r['cpu_p90']} ms; "
                f"wall p50 {r['wall_p50']} ms p90 {r['wall_p90']} ms"
            )
    print(f"load average {result['load_average']}")


def _print_against(result: dict[str, Any]) -> None:
    print(f"alternating, {result['runs']} runs of each, {result['repeats']} repeats a query")
    for name, row in result["repos"].items():
        for key, d in row.items():
            print(
                f"{name} {key}: this {d['this']} ms, against {d['against']} ms; this - against "
                f"median {d['diff']:+} ms (min {d['min']:+}, max {d['max']:+}; "
                f"{d['negative']} of {result['runs']} runs faster)"
            )
    for key in ("cpu_p50", "wall_p50"):
        m = result[f"median_{key}"]
        print(f"median over repositories of {key}: this {m['this']} ms, against {m['against']} ms")
    print(f"load averages {result['load']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, required=True)
    parser.add_argument("--snapshots", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--repos", default=DEFAULT_REPOS)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="TREE", help="another version's source")
    parser.add_argument("--dump", type=Path, metavar="FILE")
    parser.add_argument("--profile", type=int, nargs="?", const=30, metavar="N")
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--interleave", action="store_true", help="with --against: one process")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.against and not (args.against / "swe_agent" / "ranking").is_dir():
        parser.error(f"--against {args.against}: no swe_agent/ranking/ there (a source tree)")
    from swe_agent.errors import SweAgentError

    try:
        repos = prepare(args.suite, args.snapshots, args.workdir, args.repos.split(","))
    except SweAgentError as exc:
        parser.exit(2, f"error: {exc.message}\n")
    if args.dump:
        args.dump.write_text(json.dumps(dump(repos), indent=1, sort_keys=True))
    if args.profile:
        print(profile(repos, args.repeats, args.profile))
        return
    if args.steps:
        for name, ms in steps(repos, args.repeats).items():
            print(f"{name:32} {ms:8.4f} ms a query")
        return
    if args.against and args.interleave:
        result = interleaved(repos, args.against, args.repeats)
        print(json.dumps(result, indent=2)) if args.json else _print_interleaved(result)
        return
    if args.against:
        result = against(repos, args.against, args.runs, args.repeats)
        print(json.dumps(result, indent=2)) if args.json else _print_against(result)
        return
    result = measure(repos, args.repeats)
    print(json.dumps(result, indent=2)) if args.json else _print_measure(result)


if __name__ == "__main__":
    main()
