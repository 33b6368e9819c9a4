"""Time a cold first index as a user runs it: a fresh clone, then `swe-agent index` in a new
process, several times; wall and CPU seconds (the process and its parser processes), the load
average before each run, and a digest of the store's rows to check that a change to the
indexer keeps the store identical.

    .venv/bin/python bench/first_index.py GITDIR [GITDIR ...] --workdir DIR [--runs 5] [--json]

GITDIR is a local git repository (a bare snapshot such as /work/.mirror/pallets+flask/repo).
Also timed: the same index in this process (no start-up, as `bench search` times it; its CPU
also split into this process's and the parser process's), `swe-agent --version`, the floor of
any command (Python start and the CLI's imports), and the first commands after an index:
`search` and an offline `ask` (which must not get slower).
Goal (issue #9): a flask-sized repository in 0.4 s or less.

    ... --against TREE

compares with another version of swe-agent (TREE: its source, e.g. `git archive OLD | tar -x -C
TREE`) on a busy machine, where only runs under the same load compare: the in-process index of
each version in turn, each in a new process that indexes once to warm up and then is timed;
medians of both and of the paired differences (this tree minus TREE); and, alternating the
same way, a first `swe-agent index` from the shell (cli_wall, cli_cpu).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from swe_agent.store.db import open_store

TABLES = {  # the rows an index writes, in a stable order; mtime_ns differs from clone to clone
    "files": "path, language, hash, size, lines, commit_sha, parse_errors",
    "definitions": "*",
    "refs": "*",
    "chunks": "*",
    "postings": "*",
}


AFTER = {  # the first commands a user runs on a fresh index; words any Python code has
    "search": ["search", "request handler"],
    "ask": ["ask", "--offline", "where is the request handled?"],
}


def timed(command: list[str], **how: Any) -> tuple[float, float]:
    """(wall, CPU) seconds of command, its children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **how)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_process(root: Path) -> tuple[float, float]:
    wall, cpu, _ = in_process_split(root)
    return wall, cpu


def in_process_split(root: Path) -> tuple[float, float, float]:
    """(wall, CPU, CPU of this process alone) seconds of opening a new store, indexing and
    closing it in this process, as `swe-agent bench search` times its first index: no process
    start, imports already paid."""
    from swe_agent.index import index_repository
    from swe_agent.repo.gitrepo import GitRepo

    shutil.rmtree(root / ".swe_agent", ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store)
    wall, own = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own + (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    return wall, cpu, own


AB_CHILD = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from first_index import in_process_split
in_process_split(Path(sys.argv[1]))  # warm, as the in-process runs after the first are
load = os.getloadavg()[0]
print(json.dumps([*in_process_split(Path(sys.argv[1])), load]))
"""


AB_KEYS = ("wall", "cpu", "self_cpu", "load", "cli_wall", "cli_cpu")  # of each run, in order


def against(root: Path, tree: Path, runs: int) -> dict[str, Any]:
    """This tree's in-process index against TREE's, alternating, each in a new process; then,
    in the same turn, a first `swe-agent index` from the shell (imports and start included)."""
    import sysconfig

    trees = {"this": Path(__file__).resolve().parent.parent, "against": tree.resolve()}
    found: dict[str, list[list[float]]] = {"this": [], "against": []}
    for i in range(runs):
        for name in ("this", "against") if i % 2 == 0 else ("against", "this"):
            path = f"{trees[name]}{os.pathsep}{sysconfig.get_paths()['purelib']}"
            how: dict[str, Any] = {"env": {**os.environ, "PYTHONPATH": path}, "cwd": root.parent}
            done = subprocess.run(  # -S and a neutral cwd: TREE's swe_agent, not the installed one
                [sys.executable, "-S", "-c", AB_CHILD, str(root), str(Path(__file__).parent)],
                capture_output=True, text=True, check=True, **how,
            )  # fmt: skip
            shutil.rmtree(root / ".swe_agent")
            cli = [sys.executable, "-S", "-m", "swe_agent", "index", "-C", str(root)]
            found[name].append([*json.loads(done.stdout), *timed(cli, **how)])
    out: dict[str, Any] = {}
    for name, rows in found.items():
        out[name] = {
            key: round(statistics.median(r[k] for r in rows), 3) for k, key in enumerate(AB_KEYS)
        }
    for k, key in enumerate(AB_KEYS):
        if key == "load":
            continue
        diffs = sorted(a[k] - b[k] for a, b in zip(found["this"], found["against"], strict=True))
        out[f"{key}_diff"] = {
            "median": round(statistics.median(diffs), 3), "min": round(diffs[0], 3),
            "max": round(diffs[-1], 3), "negative": sum(d < 0 for d in diffs), "runs": runs,
        }  # fmt: skip
    return out


def digest(root: Path) -> str:
    """One hash of every row the index wrote, sorted: equal stores, equal digests."""
    h = hashlib.sha256()
    with open_store(root, read_only=True) as store:
        for table, columns in TABLES.items():
            rows = sorted(map(repr, store.query(f"SELECT {columns} FROM {table}")))
            h.update(f"{table}:{len(rows)}\n".encode())
            for row in rows:
                h.update(row.encode())
    return h.hexdigest()[:16]


def fresh_clone(gitdir: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "-q", str(gitdir), str(dest)], check=True)
    return dest


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls, cpus = [w for w, _ in samples], [c for _, c in samples]
    return {
        "wall_median": round(statistics.median(walls), 3),
        "wall_min": round(min(walls), 3),
        "cpu_median": round(statistics.median(cpus), 3),
        "cpu_min": round(min(cpus), 3),
    }


def run(gitdirs: list[Path], workdir: Path, runs: int, tree: Path | None) -> dict[str, Any]:
    cli = [sys.executable, "-m", "swe_agent"]
    result: dict[str, Any] = {"cpus": os.cpu_count(), "runs": runs, "repos": {}}
    result["version"] = summary([timed([*cli, "--version"]) for _ in range(runs)])
    for gitdir in gitdirs:
        name = gitdir.parent.name if gitdir.name == "repo" else gitdir.name
        samples, loads, digests = [], [], set()
        for _ in range(runs):
            root = fresh_clone(gitdir, workdir / name)
            loads.append(round(os.getloadavg()[0], 2))
            samples.append(timed([*cli, "index", "-C", str(root)]))
            digests.add(digest(root))
        inproc, inloads = [], []
        for _ in range(runs):
            inloads.append(round(os.getloadavg()[0], 2))
            inproc.append(in_process_split(root))
        digests.add(digest(root))
        after = {
            name: summary([timed([*cli, *args, "-C", str(root)]) for _ in range(runs)])
            for name, args in AFTER.items()
        }
        with open_store(root, read_only=True) as store:
            files, chunks = store.one("SELECT (SELECT count(*) FROM files), count(*) FROM chunks")
        result["repos"][name] = {
            "files": files, "chunks": chunks, **summary(samples),
            "samples": [(round(w, 3), round(c, 3)) for w, c in samples],
            "load_before": loads, "store_digest": sorted(digests),
            "in_process": {
                **summary([(w, c) for w, c, _ in inproc]),
                "self_cpu_median": round(statistics.median(o for _, _, o in inproc), 3),
                "load_before": inloads,
            },
            "after": after,
        }  # fmt: skip
        if tree is not None:
            result["repos"][name]["against"] = against(root, tree, runs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gitdirs", nargs="+", type=Path)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="TREE", help="another version's source")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.against and not (args.against / "swe_agent" / "index").is_dir():
        parser.error(f"--against {args.against}: no swe_agent/index/ there (a source tree)")
    result = run(args.gitdirs, args.workdir, args.runs, args.against)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    v = result["version"]
    print(f"swe-agent --version: wall {v['wall_median']} s, cpu {v['cpu_median']} s (median)")
    for name, r in result["repos"].items():
        print(
            f"{name}: {r['files']} files, {r['chunks']} chunks; first index wall median "
            f"{r['wall_median']} s (min {r['wall_min']}), cpu median {r['cpu_median']} s "
            f"(min {r['cpu_min']}); load before {r['load_before']}; store {r['store_digest']}"
        )
        i = r["in_process"]
        print(
            f"  in process: wall median {i['wall_median']} s (min {i['wall_min']}), cpu median "
            f"{i['cpu_median']} s, {i['self_cpu_median']} s of it here; load {i['load_before']}"
        )
        for command, a in r["after"].items():
            print(
                f"  then {command}: wall median {a['wall_median']} s, cpu median {a['cpu_median']} s"
            )
        if "against" in r:
            ab = r["against"]
            print(f"  in process, alternating: this {ab['this']}, against {ab['against']}")
            for key in (k for k in AB_KEYS if k != "load"):
                d = ab[f"{key}_diff"]
                print(
                    f"    {key} this - against: median {d['median']:+} s (min {d['min']:+}, max "
                    f"{d['max']:+}; {d['negative']} of {d['runs']} runs faster)"
                )


if __name__ == "__main__":
    main()
