"""Time a cold first index as a user runs it: a fresh clone, then `swe-agent index` in a new
process, several times; wall and CPU seconds (the process and its parser processes), the load
average before each run, and a digest of the store's rows to check that a change to the
indexer keeps the store identical.

    .venv/bin/python bench/first_index.py GITDIR [GITDIR ...] --workdir DIR [--runs 5] [--json]

GITDIR is a local git repository (a bare snapshot such as /work/.mirror/pallets+flask/repo).
Also timed: the same index in this process (no start-up, as `bench search` times it),
`swe-agent --version`, the floor of any command (Python start and the CLI's imports), and the
first commands after an index: `search` and an offline `ask` (which must not get slower).
Goal (issue #9): a flask-sized repository in 0.4 s or less.
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


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of command, its children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_process(root: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of opening a new store and indexing in this process, as
    `swe-agent bench search` times its first index: no process start, imports already paid."""
    from swe_agent.index import index_repository
    from swe_agent.repo.gitrepo import GitRepo

    shutil.rmtree(root / ".swe_agent", ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after.ru_utime - children.ru_utime)
    cpu += after.ru_stime - children.ru_stime
    return time.perf_counter() - started, cpu


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


def run(gitdirs: list[Path], workdir: Path, runs: int) -> dict[str, Any]:
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
        inproc = [in_process(root) for _ in range(runs)]
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
            "in_process": summary(inproc), "after": after,
        }  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gitdirs", nargs="+", type=Path)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.gitdirs, args.workdir, args.runs)
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
        print(f"  in process: wall median {i['wall_median']} s, cpu median {i['cpu_median']} s")
        for command, a in r["after"].items():
            print(
                f"  then {command}: wall median {a['wall_median']} s, cpu median {a['cpu_median']} s"
            )


if __name__ == "__main__":
    main()
