"""The daemon never harms what is not its own: a stale pid file naming another process, a
repository cleaned from under it, a second start."""

import os
import signal
import subprocess
from pathlib import Path

from swe_agent.watch import client
from tests.helpers import git
from tests.procs import alive, processes_mentioning, swe, wait_for
from tests.watch.test_daemon import running_daemon


def test_stop_never_signals_a_process_that_a_stale_pid_file_names(sample_repo: Path) -> None:
    assert swe("daemon", "start", "-C", str(sample_repo)).returncode == 0
    crashed = client.daemon_pid(sample_repo)
    os.kill(crashed, signal.SIGKILL)
    wait_for(lambda: not alive(crashed))
    bystander = subprocess.Popen(["sleep", "1000"])
    try:
        (sample_repo / ".swe_agent/daemon.pid").write_text(str(bystander.pid))

        assert "not running" in swe("daemon", "status", "-C", str(sample_repo)).stdout
        done = swe("daemon", "stop", "-C", str(sample_repo))

        assert done.returncode == 0, done
        assert "no daemon running" in done.stdout, done
        assert bystander.poll() is None
        assert alive(bystander.pid)
        assert not (sample_repo / ".swe_agent/daemon.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()


def test_a_daemon_whose_store_was_cleaned_away_stops_and_a_start_runs_only_one(
    sample_repo: Path,
) -> None:
    with running_daemon(sample_repo):
        first = client.daemon_pid(sample_repo)
        git(sample_repo, "clean", "-fdxq")  # .swe_agent/ goes: socket, pid file, store

        wait_for(lambda: not alive(first))
        assert swe("daemon", "start", "-C", str(sample_repo)).returncode == 0
        assert processes_mentioning(f"daemon run -C {sample_repo}") == {
            client.daemon_pid(sample_repo)
        }
        assert swe("symbols", "Session", "-C", str(sample_repo)).returncode == 0
