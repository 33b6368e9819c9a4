"""The daemon as users meet it: a real detached process, real git, the real watchdog observer."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from swe_agent.store.db import open_store
from swe_agent.watch import client
from tests.helpers import commit_all

SWE_AGENT = str(Path(sys.executable).parent / "swe-agent")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SWE_AGENT, *args], capture_output=True, text=True, timeout=120)


def wait_for(check, timeout: float = 20.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("timed out")


@contextmanager
def running_daemon(repo: Path):
    """A started daemon, stopped afterwards, killed if it does not stop."""
    assert cli("daemon", "start", "-C", str(repo)).returncode == 0
    try:
        yield repo
    finally:
        pid = client.daemon_pid(repo)
        cli("daemon", "stop", "-C", str(repo))
        if pid and client.daemon_pid(repo):
            os.killpg(pid, signal.SIGKILL)


@pytest.fixture
def daemon(sample_repo: Path):
    with running_daemon(sample_repo) as repo:
        yield repo


def has_symbol(repo: Path, name: str) -> bool:
    done = cli("symbols", name, "-C", str(repo), "--json")
    return done.returncode == 0 and any(
        d["qualname"] == name for d in json.loads(done.stdout)["definitions"]
    )


@pytest.fixture
def daemon_after_a_long_log(sample_repo: Path):
    """The daemon of a repository whose log has grown past the limit."""
    from swe_agent.commands.logs import LOG_LIMIT

    log = sample_repo / ".swe_agent/daemon.log"
    log.parent.mkdir(exist_ok=True)
    log.write_bytes(b"old line\n" * (LOG_LIMIT // 9 + 1))
    with running_daemon(sample_repo) as repo:
        yield repo


def test_a_start_moves_a_long_log_aside(daemon_after_a_long_log: Path) -> None:
    folder = daemon_after_a_long_log / ".swe_agent"
    assert (folder / "daemon.log.1").read_bytes().startswith(b"old line")
    assert b"old line" not in (folder / "daemon.log").read_bytes()


def test_a_commit_shows_up_in_the_index_and_the_notes(daemon: Path) -> None:
    assert "daemon running" in cli("daemon", "status", "-C", str(daemon)).stdout
    # a change made while the daemon catches up on the whole repository is indexed by that
    # catch-up: wait for it, so that the change below goes the incremental way
    wait_for(lambda: "caught up" in cli("daemon", "logs", "-C", str(daemon)).stdout)
    utils = daemon / "minihttp/utils.py"
    utils.write_text(
        utils.read_text() + "\n\ndef strip_fragment(url):\n    return url.split('#')[0]\n"
    )
    commit_all(daemon, "Strip URL fragments before sending", day=20)
    wait_for(lambda: has_symbol(daemon, "strip_fragment"))
    wait_for(lambda: "strip_fragment" in cli("notes", "strip_fragment", "-C", str(daemon)).stdout)
    logs = cli("daemon", "logs", "-C", str(daemon)).stdout
    assert "indexed 1 changed files" in logs
    assert "sleep-time" in logs


def test_queries_while_the_daemon_writes_never_meet_a_lock(daemon: Path) -> None:
    errors = []
    for round_ in range(6):
        cookies = daemon / "minihttp/cookies.py"
        cookies.write_text(
            cookies.read_text() + f"\n\ndef helper_{round_}():\n    return {round_}\n"
        )
        commit_all(daemon, f"round {round_}", day=21)
        for args in (
            ["search", "cookie jar"],
            ["symbols", "merge_cookies"],
            ["status"],
            ["notes", "-s", "cookies"],
        ):
            done = cli(*args, "-C", str(daemon), "--json")
            if done.returncode != 0:
                errors.append((args, done.stderr))
    answer = cli("ask", "where are cookies merged?", "-C", str(daemon), "--json")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["locations"][0]["path"] == "minihttp/cookies.py"
    assert errors == []


def test_kill_9_then_restart_keeps_the_store_and_catches_up(sample_repo: Path) -> None:
    assert cli("daemon", "start", "-C", str(sample_repo)).returncode == 0
    pid = client.daemon_pid(sample_repo)
    log = sample_repo / ".swe_agent/daemon.log"
    wait_for(lambda: sum(map(int, re.findall(r"sleep-time: (\d+) notes", log.read_text()))) > 1)
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: client.daemon_pid(sample_repo) is None)
    untouched = (
        "SELECT id, title, body FROM notes WHERE path NOT IN ('minihttp/auth.py', '') ORDER BY id"
    )
    with open_store(sample_repo) as store:
        notes_before = store.query(untouched)
    assert notes_before
    auth = sample_repo / "minihttp/auth.py"
    auth.write_text(auth.read_text() + "\n\nclass DigestAuth(AuthBase):\n    pass\n")
    commit_all(sample_repo, "Add digest auth while the daemon is down", day=22)
    assert (
        "daemon started" in cli("daemon", "start", "-C", str(sample_repo)).stdout
    )  # stale pid file replaced
    try:
        wait_for(lambda: has_symbol(sample_repo, "DigestAuth"))
    finally:
        assert "stopped" in cli("daemon", "stop", "-C", str(sample_repo)).stdout
    assert "not running" in cli("daemon", "status", "-C", str(sample_repo)).stdout
    with open_store(sample_repo) as store:
        after = store.query(untouched)
    assert set(notes_before) <= set(after)  # every committed note about untouched code survived


def test_hooks_install_and_uninstall_only_their_own_lines(sample_repo: Path) -> None:
    hook = sample_repo / ".git/hooks/post-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    assert cli("hooks", "install", "-C", str(sample_repo)).returncode == 0
    assert "swe_agent hooks run" in hook.read_text()
    assert "echo mine" in hook.read_text()
    utils = sample_repo / "minihttp/utils.py"
    utils.write_text(utils.read_text() + "\n\ndef from_the_hook():\n    return 1\n")
    commit_all(sample_repo, "committed with the hook", day=23)
    wait_for(lambda: has_symbol(sample_repo, "from_the_hook"), timeout=60)
    assert cli("hooks", "uninstall", "-C", str(sample_repo)).returncode == 0
    assert hook.read_text() == "#!/bin/sh\necho mine\n"


def test_a_repository_moved_from_under_the_daemon_stops_it_with_a_log_line(
    sample_repo: Path,
) -> None:
    assert cli("daemon", "start", "-C", str(sample_repo)).returncode == 0
    pid = client.daemon_pid(sample_repo)
    assert pid
    moved = sample_repo.with_name(sample_repo.name + "-moved")
    sample_repo.rename(moved)

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return subprocess.run(
            ["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True
        ).stdout.startswith("Z")

    try:
        wait_for(gone)
    finally:
        if not gone():
            os.killpg(pid, signal.SIGKILL)
    assert "is gone: stopping" in (moved / ".swe_agent/daemon.log").read_text()
