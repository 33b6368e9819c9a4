"""Index a large real codebase and report the indexer's speed, memory and store size, then
change ten files, commit, and time the incremental re-index.

    .venv/bin/python bench/index.py [--project django==5.0.6] [--workdir DIR] [--workers N] [--json]

The package comes from its registry once and stays cached in the work directory (default
bench/out/, ignored by git); each run indexes a fresh clone of it into a fresh store.
Goals on 2 cores: 100k lines in 10 s or less; 10 changed files re-indexed in 1 s or less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from swe_agent.bench.projects import git, prepare
from swe_agent.bench.tasks import parse_project
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import STORE_DIR, open_store

HERE = Path(__file__).resolve().parent
CHANGED = 10


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child (Linux: KiB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "largest_child": round(children, 1)}


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished parser processes: unlike wall time, it
    does not grow with the load of a shared machine."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fresh_clone(source_root: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    git(dest.parent, "clone", "-q", str(source_root), str(dest))
    return dest


def change_files(root: Path, paths: list[str]) -> None:
    """Append a small function to each file and commit the change."""
    for number, path in enumerate(paths):
        with (root / path).open("a", encoding="utf-8") as fh:
            fh.write(
                f"\n\ndef swe_agent_bench_probe_{number}(value):\n    return value + {number}\n"
            )
    git(root, "commit", "-q", "-am", f"Append a probe function to {len(paths)} files")


def run(project: str, workdir: Path, workers: int) -> dict:
    source = parse_project(project)
    started = time.perf_counter()
    cached = prepare(source, workdir)
    prepared = time.perf_counter() - started
    root = fresh_clone(cached, workdir / "index-bench" / source.key)
    repo = GitRepo(root)
    cpu = cpu_seconds()
    with open_store(root, create=True) as store:
        first = index_repository(repo, store, workers=workers)
        first_cpu = cpu_seconds() - cpu
        files, lines, size = store.one(
            "SELECT count(*), coalesce(sum(lines), 0), coalesce(sum(size), 0) FROM files"
        )
        definitions = store.one("SELECT count(*) FROM definitions")[0]
        python = [
            r[0]
            for r in store.query("SELECT path FROM files WHERE language = 'python' ORDER BY path")
        ]
    memory = peak_rss_mib()
    store_bytes = dir_bytes(root / STORE_DIR)
    step = max(1, len(python) // CHANGED)
    chosen = python[::step][:CHANGED]
    change_files(root, chosen)
    cpu = cpu_seconds()
    with open_store(root) as store:
        second = index_repository(repo, store, workers=workers)
    second_cpu = cpu_seconds() - cpu
    return {
        "project": source.describe(), "cpus": os.cpu_count(), "workers": workers or os.cpu_count(),
        "prepare_seconds": round(prepared, 2), "files": files, "lines": lines, "bytes": size,
        "definitions": definitions, "skipped": len(first.skipped), "index_seconds": round(first.seconds, 2), "index_cpu_seconds": round(first_cpu, 2),
        "files_per_second": round(files / first.seconds), "lines_per_second": round(lines / first.seconds),
        "seconds_per_100k_lines": round(first.seconds * 100_000 / max(lines, 1), 2),
        "peak_rss_mib": memory, "store_bytes": store_bytes,
        "incremental": {"changed": len(second.changed), "seconds": round(second.seconds, 3),
                        "cpu_seconds": round(second_cpu, 3), "unchanged": second.unchanged},
    }  # fmt: skip


def text(r: dict) -> str:
    inc = r["incremental"]
    return "\n".join([
        f"{r['project']}: {r['files']:,} files, {r['lines']:,} lines, {r['definitions']:,} definitions "
        f"({r['skipped']} skipped), {r['workers']} workers on {r['cpus']} cpus",
        f"full index: {r['index_seconds']:.2f}s = {r['files_per_second']:,} files/s, {r['lines_per_second']:,} lines/s "
        f"({r['seconds_per_100k_lines']:.2f}s per 100k lines; goal 10s); CPU {r['index_cpu_seconds']:.2f}s",
        f"peak resident memory: {r['peak_rss_mib']['self']:,.0f} MiB this process, "
        f"{r['peak_rss_mib']['largest_child']:,.0f} MiB largest worker",
        f"store: {r['store_bytes'] / 2**20:,.1f} MiB",
        f"incremental: {inc['changed']} changed files re-indexed in {inc['seconds']:.3f}s (goal 1s), "
        f"CPU {inc['cpu_seconds']:.3f}s; load {os.getloadavg()[0]:.2f}",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--project", default="django==5.0.6", help="NAME==VERSION on PyPI or npm:NAME@VERSION"
    )
    parser.add_argument(
        "--workdir", type=Path, default=HERE / "out", help="cache of downloads and repositories"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="parser processes; 0 means one per core"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result = run(args.project, args.workdir.resolve(), args.workers)
    print(json.dumps(result, indent=2) if args.json else text(result))


if __name__ == "__main__":
    sys.exit(main())
