"""A killed `index` leaves nothing running: its parser processes and any git they hold a pipe
of end with it."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, commit_all, git
from tests.procs import SWE_AGENT, alive, descendants, offline_env, wait_for


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files that two parser processes take a few seconds over them."""
    root = tmp_path_factory.mktemp("big") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    source = (FIXTURES / "sample/minihttp/sessions.py").read_text()
    for i in range(1500):
        folder = root / f"pkg{i % 30}"
        folder.mkdir(exist_ok=True)
        (folder / f"mod{i}.py").write_text(source.replace("class Session", f"class Session{i}"))
    commit_all(root, "many modules")
    return root


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_index_leaves_no_process_behind(big_repo: Path, signum: int) -> None:
    (big_repo / ".swe_agent").mkdir(exist_ok=True)
    (big_repo / ".swe_agent/index.duckdb").unlink(missing_ok=True)
    left: set[int] = set()
    index = subprocess.Popen(
        [SWE_AGENT, "index", "-C", str(big_repo)],
        env=offline_env(SWE_AGENT_WORKERS="2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: len(descendants(index.pid)) >= 2, timeout=60, step=0.02)
        time.sleep(0.3)
        left = descendants(index.pid)
        index.send_signal(signum)
        index.wait(timeout=30)
        wait_for(lambda: not any(alive(p) for p in left), timeout=10)
    finally:
        for pid in left | descendants(index.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
