"""A killed or interrupted `index` leaves nothing running (its parser processes and any git
they hold a pipe of end with it) and a consistent store, or says that its store went away."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.index.parse import POOL_THRESHOLD, interrupted_as_such
from swe_agent.store.db import open_store, store_path
from tests.helpers import FIXTURES, commit_all, git
from tests.procs import SWE_AGENT, alive, descendants, offline_env, swe, wait_for


def holds_store(pid: int, repo: Path) -> bool:
    """Whether process pid has the repository's store open."""
    store = str(repo / ".swe_agent/index.duckdb")
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == store for fd in fds)
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough files that two parser processes take several seconds over them, even on a fast
    machine and after the indexer got faster: a test process starved on a loaded machine that
    sees the parsers late must still catch them mid-way."""
    root = tmp_path_factory.mktemp("big") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    source = (FIXTURES / "sample/minihttp/sessions.py").read_text()
    for i in range(4000):
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


@pytest.fixture(scope="module")
def split_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fewer files than go to a pool, so that this process and one forked beside it parse them,
    each file long enough that they take a second or more: a test that sees the fork late
    still catches them parsing."""
    root = tmp_path_factory.mktemp("split") / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    source = (FIXTURES / "sample/minihttp/sessions.py").read_text() * 4
    for i in range(POOL_THRESHOLD - 10):
        folder = root / f"pkg{i % 30}"
        folder.mkdir(exist_ok=True)
        (folder / f"mod{i}.py").write_text(source.replace("class Session", f"class Session{i}"))
    commit_all(root, "many modules")
    return root


def forked(pid: int, repo: Path) -> bool:
    """Whether `index` (process pid) parses in a fork of itself beside it (a git it starts is a
    fork of it too for a moment, before it becomes git)."""
    if not (repo / f".swe_agent/.parsed-{pid}").exists():  # made before the fork
        return False
    with open(f"/proc/{pid}/cmdline", "rb") as fh:
        own = fh.read()
    for child in descendants(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as fh:
                if fh.read() == own:
                    return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_index_leaves_no_fork_behind_and_the_next_one_clears_its_files(
    split_repo: Path, signum: int
) -> None:
    index = fresh_index(split_repo)
    left: set[int] = set()
    try:
        wait_for(lambda: forked(index.pid, split_repo), timeout=60, step=0.01)
        left = descendants(index.pid)
        index.send_signal(signum)
        index.wait(timeout=30)
        wait_for(lambda: not any(alive(p) for p in left), timeout=10)
    finally:
        for pid in left | descendants(index.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    (spilled,) = (split_repo / ".swe_agent").glob(".parsed-*")  # the folder of the fork's rows
    assert not (spilled / "report").exists()  # the fork stopped when its parent was gone
    again = swe("index", "-C", str(split_repo), "--json", timeout=300)
    assert again.returncode == 0, again.stderr
    assert not list((split_repo / ".swe_agent").glob(".parsed-*"))


@pytest.mark.parametrize("after", [0.0, 0.3])
def test_ctrl_c_while_two_processes_parse_exits_130_and_leaves_nothing(
    split_repo: Path, after: float
) -> None:
    index = fresh_index(split_repo)
    wait_for(lambda: forked(index.pid, split_repo), timeout=60, step=0.01)
    time.sleep(after)
    ctrl_c(index)  # as a terminal's Ctrl-C: the fork gets it too
    wait_for(lambda: not processes_in_group(index.pid), timeout=10)
    assert not list((split_repo / ".swe_agent").glob(".parsed-*"))
    consistent_files(split_repo)


def ctrl_c(index: subprocess.Popen) -> None:
    """SIGINT to the index's whole process group, as a terminal's Ctrl-C; it must exit 130
    with no traceback (a hung one is killed, with its parsers)."""
    os.killpg(index.pid, signal.SIGINT)
    try:
        _, err = index.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(index.pid, signal.SIGKILL)
    assert index.returncode == 130, err
    assert "Traceback" not in err, err


def consistent_files(repo: Path) -> set[str]:
    """The files of the store, each with its chunks and no posting without its chunk: whole
    batches only; none when the index stopped before it made its new store."""
    if not store_path(repo).exists():
        return set()
    with open_store(repo, read_only=True) as store:
        files = {p for (p,) in store.query("SELECT path FROM files")}
        chunked = {
            p for (p,) in store.query("SELECT DISTINCT path FROM chunks WHERE space = 'code'")
        }
        orphans = store.one(
            "SELECT count(*) FROM postings WHERE chunk_id NOT IN (SELECT id FROM chunks)"
        )[0]
    assert files == chunked
    assert orphans == 0
    return files


def processes_in_group(group: int) -> set[int]:
    """Live processes of a process group."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and alive(int(entry)):
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[2]) == group:
                        found.add(int(entry))
            except OSError:
                continue
    return found


def fresh_index(repo: Path) -> subprocess.Popen:
    shutil.rmtree(repo / ".swe_agent", ignore_errors=True)
    return subprocess.Popen(
        [SWE_AGENT, "index", "-C", str(repo)],
        env=offline_env(SWE_AGENT_WORKERS="2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.parametrize("after", [0.0, 0.4, 1.2])
def test_ctrl_c_during_index_exits_130_and_leaves_a_consistent_store(
    big_repo: Path, after: float
) -> None:
    """Interrupted at points counted from when the parsers start, not from launch, so a fast
    machine that indexes the whole repository in a few seconds is still caught mid-way."""
    index = fresh_index(big_repo)
    wait_for(lambda: len(descendants(index.pid)) >= 2, timeout=60, step=0.02)
    time.sleep(after)
    ctrl_c(index)
    files = consistent_files(big_repo)
    again = swe("index", "-C", str(big_repo), "--json", timeout=300)
    assert again.returncode == 0
    assert len(json.loads(again.stdout)["added"]) + len(files) >= 1500


@pytest.mark.parametrize("command", ["sleep", "index"])
def test_a_store_removed_during_index_or_sleep_is_not_reported_as_done(
    big_repo: Path, command: str
) -> None:
    """The store goes as soon as the command holds it open, not at a time after launch."""
    if command == "index":  # a first index, long enough to be cut short
        shutil.rmtree(big_repo / ".swe_agent", ignore_errors=True)
    else:  # sleep over an index of every file (completing what an earlier test left)
        done = swe(
            "index", "-C", str(big_repo), timeout=300, env=offline_env(SWE_AGENT_WORKERS="2")
        )
        assert done.returncode == 0, done.stderr
    running = subprocess.Popen(
        [SWE_AGENT, command, "-C", str(big_repo)],
        env=offline_env(SWE_AGENT_WORKERS="2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: holds_store(running.pid, big_repo), timeout=60, step=0.01)
    while (big_repo / ".swe_agent").exists():  # it may write a file as the folder goes
        shutil.rmtree(big_repo / ".swe_agent", ignore_errors=True)
    _, err = running.communicate(timeout=300)
    assert running.returncode == 1, err
    assert "was removed while this command ran" in err, err
    assert len(err.strip().splitlines()) == 1, err


def _lock_lost_to_ctrl_c() -> Iterator[int]:
    yield 1
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        # what the pool's condition raises when Ctrl-C landed while it took its lock back
        raise RuntimeError("release unlocked lock")  # noqa: B904


def _plain_failure() -> Iterator[int]:
    yield 1
    raise RuntimeError("a real failure")


def test_a_ctrl_c_that_broke_the_pools_lock_is_still_a_ctrl_c() -> None:
    got: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        got.extend(interrupted_as_such(_lock_lost_to_ctrl_c()))
    assert got == [1]
    with pytest.raises(RuntimeError, match="a real failure"):
        list(interrupted_as_such(_plain_failure()))
