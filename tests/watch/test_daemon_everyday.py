"""What a person asks of a running daemon: its status, its log followed, a log that rotates."""

import json
import signal
import subprocess
import threading
from pathlib import Path

from swe_agent.watch import client
from tests.helpers import commit_all, git
from tests.procs import SWE_AGENT, offline_env, swe, wait_for
from tests.watch.test_daemon import running_daemon


def idle(repo: Path) -> bool:
    return (
        json.loads(swe("daemon", "status", "--json", "-C", str(repo)).stdout).get("activity")
        == "idle"
    )


def test_status_shows_uptime_the_commit_handled_and_the_activity_and_exits_3_when_none_runs(
    sample_repo: Path,
) -> None:
    stopped = swe("daemon", "status", "-C", str(sample_repo))
    assert stopped.returncode == 3 and "daemon not running" in stopped.stdout
    head = git(sample_repo, "rev-parse", "HEAD").strip()
    with running_daemon(sample_repo):
        state = lambda: json.loads(swe("daemon", "status", "--json", "-C", str(sample_repo)).stdout)  # noqa: E731
        wait_for(lambda: state()["activity"] == "idle" and state()["head"] == head, timeout=60)
        assert state()["running"] and state()["uptime_seconds"] > 0
        text = swe("daemon", "status", "-C", str(sample_repo))
        assert text.returncode == 0 and f"last commit handled {head[:10]}; now idle" in text.stdout
        assert ", up " in text.stdout
    assert swe("daemon", "status", "-C", str(sample_repo)).returncode == 3


def test_the_log_rotates_while_the_daemon_runs_and_logs_f_follows_it(sample_repo: Path) -> None:
    env = offline_env(SWE_AGENT_LOG_MAX_BYTES="400")
    log = sample_repo / ".swe_agent/daemon.log"
    assert swe("daemon", "start", "-C", str(sample_repo), env=env).returncode == 0
    follower = subprocess.Popen(
        [SWE_AGENT, "daemon", "logs", "-f", "-n", "1", "-C", str(sample_repo)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    seen: list[str] = []
    threading.Thread(target=lambda: seen.extend(follower.stdout), daemon=True).start()
    try:
        indexed = lambda: sum("indexed 1 changed files" in line for line in seen)  # noqa: E731
        wait_for(lambda: seen, timeout=60)  # it follows from here on
        for n in range(3):
            wait_for(lambda: idle(sample_repo), timeout=60)
            utils = sample_repo / "minihttp/utils.py"
            utils.write_text(utils.read_text() + f"\n\ndef added_{n}():\n    return {n}\n")
            commit_all(sample_repo, f"add a helper {n}", day=10 + n)
            wait_for(lambda n=n: indexed() > n, timeout=60)  # followed, across rotations
        assert (log.parent / "daemon.log.1").exists()  # rotated while it ran
        assert log.stat().st_size <= 400 + 200
    finally:
        follower.send_signal(signal.SIGINT)
        follower.wait(timeout=10)
        pid = client.daemon_pid(sample_repo)
        swe("daemon", "stop", "-C", str(sample_repo))
        if pid and client.daemon_pid(sample_repo):
            subprocess.run(["kill", "-9", str(pid)], check=False)
