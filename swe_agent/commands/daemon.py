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
LOG_LIMIT = 5_000_000  # the default of log_max_bytes: daemon.log moves to daemon.log.1 past it


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
    from swe_agent.watch.server import run_daemon

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
    """The detached daemon's entry point: it logs to .swe_agent/daemon.log, rotated by size."""
    from swe_agent.watch import client
    from swe_agent.watch.server import run_daemon

    repo = open_repo(repo_dir)
    settings = settings_for(repo.root)
    _rotating_log(client.state_dir(repo.root) / client.LOGFILE, settings.log_max_bytes)
    run_daemon(repo.root, settings, dict(os.environ))


def _rotating_log(path: Path, max_bytes: int) -> None:
    """Log to path, moved to path.1 when it grows past max_bytes while the daemon runs; what
    the process writes to stdout and stderr (a traceback) follows into the new file."""
    import logging.handlers

    class Handler(logging.handlers.RotatingFileHandler):
        def doRollover(self) -> None:
            super().doRollover()
            if self.stream is not None:
                for fd in (1, 2):
                    os.dup2(self.stream.fileno(), fd)

    path.parent.mkdir(exist_ok=True)
    handler = Handler(path, maxBytes=max_bytes, backupCount=1)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


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


@daemon_app.command()
def logs(
    repo_dir: RepoOption = Path("."),
    lines: Annotated[int, typer.Option("-n", help="How many lines.", min=0)] = 40,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing what is added (Ctrl-C stops).")
    ] = False,
) -> None:
    """The last lines of the daemon's log."""
    from swe_agent.watch import client

    path = client.state_dir(open_repo(repo_dir).root) / client.LOGFILE
    if not path.exists():
        raise SweAgentError("the daemon has no log yet", "start it with `swe-agent daemon start`")
    text = path.read_bytes()
    shown = text.decode(errors="replace").splitlines()[-lines:] if lines else []
    if shown:
        typer.echo("\n".join(shown))
    if follow:
        _follow(path, len(text))


def _follow(path: Path, offset: int) -> None:
    """Print what is appended to path, from offset on, like `tail -F`: when the log rotates,
    the rest of the old file first, then the new one from its start."""
    fh = path.open("rb")
    fh.seek(offset)
    try:
        while True:
            data = fh.read()
            if data:
                sys.stdout.write(data.decode(errors="replace"))
                sys.stdout.flush()
                continue
            try:
                rotated = path.stat().st_ino != os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:  # between the move and the new file
                rotated = False
            if rotated:  # what was written to the old file before it moved, then the new file
                sys.stdout.write(fh.read().decode(errors="replace"))
                fh.close()
                fh = path.open("rb")
                continue
            time.sleep(0.2)
    finally:
        fh.close()


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
