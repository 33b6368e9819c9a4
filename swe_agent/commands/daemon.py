"""Commands of the watcher: watch, daemon start|stop|status (and logs, from commands/logs.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from swe_agent.commands import logs as daemon_log
from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    emit_json,
    open_repo,
    settings_for,
)
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    pass

daemon_app = typer.Typer(
    help="Run the watcher in the background: start, stop, status, logs.", no_args_is_help=True
)
START_WAIT = 30.0


def register(app: typer.Typer) -> None:
    app.command()(watch)
    app.add_typer(daemon_app, name="daemon")


def watch(repo_dir: RepoOption = Path(".")) -> None:
    """Watch the repository in the foreground: re-index on change, sleep-time work on commits."""
    from swe_agent.watch import client
    from swe_agent.watch.server import run_daemon

    repo = open_repo(repo_dir)
    if client.daemon_pid(repo.root):
        raise SweAgentError(
            "a daemon already watches this repository", "stop it with `swe-agent daemon stop`"
        )
    daemon_log.to_stderr()
    typer.echo(f"watching {repo.root} (Ctrl-C stops)", err=True)
    run_daemon(repo.root, settings_for(repo.root), dict(os.environ))


@daemon_app.command("run", hidden=True)
def run(repo_dir: RepoOption = Path(".")) -> None:
    """The detached daemon's entry point: it logs to .swe_agent/daemon.log, rotated by size."""
    from swe_agent.watch import client
    from swe_agent.watch.server import run_daemon

    repo = open_repo(repo_dir)
    settings = settings_for(repo.root)
    daemon_log.to_file(client.state_dir(repo.root) / client.LOGFILE, settings.log_max_bytes)
    run_daemon(repo.root, settings, dict(os.environ))


@daemon_app.command()
def start(repo_dir: RepoOption = Path(".")) -> None:
    """Start the daemon for this repository (one per repository)."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    pid = client.daemon_pid(repo.root)
    if pid:
        typer.echo(f"daemon already running, pid {pid}")
        return
    _no_other_daemon(repo.root)
    folder = client.state_dir(repo.root)
    folder.mkdir(exist_ok=True)
    for stale in (client.PIDFILE, client.SOCKET):  # left by a crash
        (folder / stale).unlink(missing_ok=True)
    log = folder / client.LOGFILE
    limit = settings_for(repo.root).log_max_bytes
    if log.exists() and log.stat().st_size > limit:  # one old log is kept
        log.replace(log.with_name(log.name + ".1"))
    with open(log, "ab") as logfile:
        process = subprocess.Popen(
            [sys.executable, "-m", "swe_agent", "daemon", "run", "-C", str(repo.root)],
            stdin=subprocess.DEVNULL,
            stdout=logfile,
            stderr=logfile,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            last = (log.read_text(errors="replace").strip().splitlines() or [""])[-1]
            raise SweAgentError(f"the daemon exited at start ({last})", f"see {log}")
        try:
            if client.request(repo.root, "ping", {}, timeout=2).get("ok"):
                typer.echo(f"daemon started, pid {process.pid}; log: {folder / client.LOGFILE}")
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SweAgentError("the daemon did not answer in time", f"see {folder / client.LOGFILE}")


def _no_other_daemon(root: Path) -> None:
    """A daemon whose .swe_agent/ was removed stops by itself within moments; wait for that,
    and never start a second one beside it."""
    from swe_agent.watch import client

    deadline = time.monotonic() + 5
    while (others := client.daemons_for(root)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if others:
        raise SweAgentError(
            f"a daemon (pid {others[0]}) still serves {root} without its pid file",
            f"stop it with `kill {others[0]}`, then start again",
        )


@daemon_app.command()
def stop(repo_dir: RepoOption = Path(".")) -> None:
    """Stop the daemon; its work so far is kept."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    pid = client.daemon_pid(repo.root)
    if not pid:
        stale = client.recorded_pid(repo.root)
        if stale is not None:  # a crash left it; the process it names, if any, is not ours
            (client.state_dir(repo.root) / client.PIDFILE).unlink(missing_ok=True)
        typer.echo(
            "no daemon running" + (f" (removed a stale pid file naming {stale})" if stale else "")
        )
        return
    try:
        client.request(repo.root, "stop", {}, timeout=5)
    except OSError:
        _signal_daemon(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while client.daemon_pid(repo.root) == pid and time.monotonic() < deadline:
        time.sleep(0.05)
    if client.daemon_pid(repo.root) == pid:
        _signal_daemon(pid, signal.SIGKILL)
    typer.echo(f"daemon {pid} stopped")


def _signal_daemon(pid: int, signum: int) -> None:
    """Signal pid only while it is still a swe-agent daemon (pids are reused)."""
    from swe_agent.watch import client

    if client.is_daemon_process(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


NOT_RUNNING = 3  # `daemon status` when none runs, as LSB init scripts say it


@daemon_app.command()
def status(repo_dir: RepoOption = Path("."), as_json: JsonFlag = False) -> None:
    """Whether a daemon serves this repository: uptime, last commit handled, what it does now.
    Exits 3 when none runs."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    pid = client.daemon_pid(repo.root)
    state = None
    if pid:
        try:
            state = client.request(repo.root, "ping", {}, timeout=5).get("result")
        except (OSError, ValueError):
            state = None
    log = str(client.state_dir(repo.root) / client.LOGFILE)
    result = {"running": bool(pid and state), "pid": pid, "log": log, **(state or {})}
    if as_json:
        emit_json(result)
    elif result["running"]:
        head = (result.get("head") or "none yet")[:10]
        typer.echo(
            f"daemon running, pid {pid}, up {_duration(result['uptime_seconds'])}; "
            f"last commit handled {head}; now {result['activity']}; log: {log}"
        )
    else:
        typer.echo("daemon not running" + (f" (pid {pid} does not answer)" if pid else ""))
    if not result["running"]:
        raise typer.Exit(NOT_RUNNING)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


daemon_app.command()(daemon_log.logs)
