"""Commands of the watcher: watch, daemon start|stop|status|logs, hooks install|uninstall."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    emit_json,
    open_checked,
    open_repo,
    settings_for,
)
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.repo.gitrepo import GitRepo

daemon_app = typer.Typer(
    help="Run the watcher in the background: start, stop, status, logs.", no_args_is_help=True
)
hooks_app = typer.Typer(
    help="A git post-commit hook, for those who want no daemon.", no_args_is_help=True
)
HOOK_START = "# >>> swe-agent >>>"
HOOK_END = "# <<< swe-agent <<<"
START_WAIT = 30.0
LOG_LIMIT = 5_000_000  # bytes of daemon.log before a start moves it to daemon.log.1


def register(app: typer.Typer) -> None:
    app.command()(watch)
    app.add_typer(daemon_app, name="daemon")
    app.add_typer(hooks_app, name="hooks")


def _logging(stream: TextIO | None = None) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO,
        stream=stream or sys.stderr,
        format="%(asctime)s %(levelname)s %(message)s",
    )


def watch(repo_dir: RepoOption = Path(".")) -> None:
    """Watch the repository in the foreground: re-index on change, sleep-time work on commits."""
    from swe_agent.watch import client
    from swe_agent.watch.daemon import run_daemon

    repo = open_repo(repo_dir)
    if client.daemon_pid(repo.root):
        raise SweAgentError(
            "a daemon already watches this repository", "stop it with `swe-agent daemon stop`"
        )
    _logging()
    typer.echo(f"watching {repo.root} (Ctrl-C stops)", err=True)
    run_daemon(repo.root, settings_for(repo.root), dict(os.environ))


@daemon_app.command("run", hidden=True)
def run(repo_dir: RepoOption = Path(".")) -> None:
    """The detached daemon's entry point."""
    from swe_agent.watch.daemon import run_daemon

    repo = open_repo(repo_dir)
    _logging()
    run_daemon(repo.root, settings_for(repo.root), dict(os.environ))


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
    if log.exists() and log.stat().st_size > LOG_LIMIT:  # the previous log is kept, one only
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


@daemon_app.command()
def status(repo_dir: RepoOption = Path("."), as_json: JsonFlag = False) -> None:
    """Whether a daemon serves this repository."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    pid = client.daemon_pid(repo.root)
    answer = None
    if pid:
        try:
            answer = client.request(repo.root, "ping", {}, timeout=5).get("result")
        except OSError:
            answer = None
    result = {
        "running": bool(pid and answer),
        "pid": pid,
        "log": str(client.state_dir(repo.root) / client.LOGFILE),
    }
    if as_json:
        emit_json(result)
    elif result["running"]:
        typer.echo(f"daemon running, pid {pid}; log: {result['log']}")
    else:
        typer.echo("daemon not running" + (f" (pid {pid} does not answer)" if pid else ""))


@daemon_app.command()
def logs(
    repo_dir: RepoOption = Path("."),
    lines: Annotated[int, typer.Option("-n", help="How many lines.")] = 40,
) -> None:
    """The last lines of the daemon's log."""
    from swe_agent.watch import client

    path = client.state_dir(open_repo(repo_dir).root) / client.LOGFILE
    if not path.exists():
        raise SweAgentError("the daemon has no log yet", "start it with `swe-agent daemon start`")
    typer.echo("\n".join(path.read_text(errors="replace").splitlines()[-lines:]))


def _hook_path(repo: GitRepo) -> Path:
    return repo.hook_path("post-commit")


@hooks_app.command()
def install(repo_dir: RepoOption = Path(".")) -> None:
    """Add a post-commit hook: it pokes the daemon, or indexes and sleeps when none runs."""
    repo = open_repo(repo_dir)
    hook = _hook_path(repo)
    text = hook.read_text() if hook.exists() else "#!/bin/sh\n"
    if HOOK_START in text:
        typer.echo(f"already installed in {hook}")
        return
    block = (
        f'{HOOK_START}\n"{sys.executable}" -m swe_agent hooks run -C "$(git rev-parse --show-toplevel)" '
        f">/dev/null 2>&1 &\n{HOOK_END}\n"
    )
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(text + ("" if text.endswith("\n") else "\n") + block)
    hook.chmod(0o755)
    typer.echo(f"installed in {hook}")


@hooks_app.command()
def uninstall(repo_dir: RepoOption = Path(".")) -> None:
    """Remove only what `hooks install` added."""
    repo = open_repo(repo_dir)
    hook = _hook_path(repo)
    text = hook.read_text() if hook.exists() else ""
    if HOOK_START not in text:
        typer.echo("not installed")
        return
    before, _, rest = text.partition(HOOK_START)
    _, _, after = rest.partition(HOOK_END + "\n")
    left = before + after
    if left.strip() in ("", "#!/bin/sh"):
        hook.unlink()
    else:
        hook.write_text(left)
    typer.echo(f"removed from {hook}")


@hooks_app.command("run", hidden=True)
def hook_run(repo_dir: RepoOption = Path(".")) -> None:
    """What the hook runs: poke the daemon, or index and sleep here."""
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    if client.try_query(repo.root, "index", {})[0]:
        return
    from swe_agent.index import index_repository
    from swe_agent.sleep import run_sleep

    settings = settings_for(repo.root)
    with open_checked(repo.root) as store:
        index_repository(repo, store, max_bytes=settings.max_file_bytes)
        run_sleep(repo, store, budget=settings.sleep_budget_for(None), level=settings.sleep_level)
