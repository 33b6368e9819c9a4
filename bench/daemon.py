"""Daemon latency: from `git commit` of 10 changed files to the index reflecting them, and
`swe-agent search` through a warm daemon against a cold CLI that opens the store itself.

    .venv/bin/python bench/daemon.py [--repo GIT_REPO] [--rounds 5]

Without --repo it copies the CPython standard library (Lib/*.py) into a git repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

SWE_AGENT = str(Path(sys.executable).parent / "swe-agent")
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "b@localhost",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "b@localhost",
}


def sh(*args: str, cwd: Path) -> str:
    return subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True, text=True).stdout


def stdlib_repo() -> Path:
    root = Path(tempfile.mkdtemp()) / "stdlib"
    root.mkdir()
    for path in Path(sysconfig.get_paths()["stdlib"]).glob("*.py"):
        shutil.copy(path, root / path.name)
    sh("git", "init", "-q", cwd=root)
    sh("git", "add", "-A", cwd=root)
    sh("git", "commit", "-qm", "import", cwd=root)
    return root


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([SWE_AGENT, *args], check=True, capture_output=True)
    return time.perf_counter() - started


def commit_to_index(root: Path, round_: int) -> float:
    files = sorted(p for p in root.glob("*.py"))[round_ * 10 : round_ * 10 + 10]
    marker = f"bench_marker_{round_}_{int(time.time())}"
    for path in files:
        path.write_text(path.read_text() + f"\n\ndef {marker}():\n    return {round_}\n")
    sh("git", "commit", "-qam", f"round {round_}", cwd=root)
    started = time.perf_counter()
    while time.perf_counter() - started < 30:
        done = subprocess.run(
            [SWE_AGENT, "symbols", marker, "-C", str(root), "--json"],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0 and len(json.loads(done.stdout)["definitions"]) >= len(files):
            return time.perf_counter() - started
    raise SystemExit("the index did not reflect the commit within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = args.repo.resolve() if args.repo else stdlib_repo()
    subprocess.run([SWE_AGENT, "index", str(root)], check=True, capture_output=True)
    query = ["search", "parse the header of an email message", "-C", str(root), "-k", "5"]
    cold = [timed(*query) for _ in range(args.rounds)]
    subprocess.run([SWE_AGENT, "daemon", "start", "-C", str(root)], check=True, capture_output=True)
    try:
        busy = [
            timed(*query) for _ in range(args.rounds)
        ]  # while it catches up: index and first sleep
        log = root / ".swe_agent" / "daemon.log"
        started = time.perf_counter()
        finished = re.compile(
            r"sleep-time: .*tokens$", re.M
        )  # a run that did not yield to a request
        while not finished.search(log.read_text()) and time.perf_counter() - started < 300:
            time.sleep(0.2)
        warm = [timed(*query) for _ in range(args.rounds)]
        commits = [commit_to_index(root, r) for r in range(args.rounds)]
    finally:
        subprocess.run([SWE_AGENT, "daemon", "stop", "-C", str(root)], capture_output=True)
    report = {
        "repo": str(root),
        "cpus": os.cpu_count(),
        "search_cold_cli_s": round(statistics.median(cold), 3),
        "search_warm_daemon_s": round(statistics.median(warm), 3),
        "search_daemon_during_first_sleep_s": round(statistics.median(busy), 3),
        "commit_of_10_files_to_index_s": round(statistics.median(commits), 3),
        "commit_to_index_each_s": [round(c, 3) for c in commits],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
