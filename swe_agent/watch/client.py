"""The CLI's side of the daemon: stdlib only, so asking costs no heavy imports (the store is
imported only when no daemon answers).

Protocol: one JSON object per line over the Unix socket `.swe_agent/daemon.sock`:
{"op": NAME, "args": {...}} -> {"ok": true, "result": ...} or {"ok": false, "error", "hint"}.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from swe_agent.repo.gitrepo import GitRepo

SOCKET = "daemon.sock"
PIDFILE = "daemon.pid"
LOGFILE = "daemon.log"
TIMEOUT = 600.0  # an `ask` or a `sleep` may take a while


def state_dir(root: Path) -> Path:
    return root / ".swe_agent"


def daemon_pid(root: Path) -> int | None:
    """The pid of the daemon serving root, when its process is alive and is a swe-agent
    daemon: a pid file left by a crash may name a process that has since been reused."""
    pid = recorded_pid(root)
    if pid is None:
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid if is_daemon_process(pid) else None


def recorded_pid(root: Path) -> int | None:
    try:
        return int((state_dir(root) / PIDFILE).read_text().strip())
    except (OSError, ValueError):
        return None


def is_daemon_process(pid: int) -> bool:
    """Whether pid runs `swe-agent daemon run` or `swe-agent watch`, from its command line."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            words = fh.read().decode(errors="replace").split("\0")
    except FileNotFoundError:  # no /proc (macOS): ask ps
        import subprocess

        done = subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False
        )
        words = done.stdout.split()
    except OSError:
        return False
    ours = any("swe_agent" in w or "swe-agent" in w for w in words)
    return ours and ("watch" in words or ("daemon" in words and "run" in words))


def daemons_for(root: Path) -> list[int]:
    """Every process running `daemon run -C root`, found without the pid file (Linux /proc;
    elsewhere none are found)."""
    found = []
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                words = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if (
                "daemon" in words
                and "run" in words
                and str(root) in words
                and is_daemon_process(int(entry.name))
            ):
                found.append(int(entry.name))
    return found


def request(root: Path, op: str, args: dict[str, Any], timeout: float = TIMEOUT) -> dict[str, Any]:
    path = state_dir(root) / SOCKET
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(str(path))
        conn.sendall(json.dumps({"op": op, "args": args}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    return json.loads(data or b"{}")


def try_query(root: Path, name: str, kwargs: dict[str, Any]) -> tuple[bool, Any]:
    """(True, result) when a daemon serving root answered; (False, None) when none runs."""
    if not (state_dir(root) / SOCKET).exists() or daemon_pid(root) is None:
        return False, None
    try:
        reply = request(root, name, kwargs)
    except (OSError, json.JSONDecodeError):
        return False, None
    if reply.get("ok"):
        return True, reply.get("result")
    from swe_agent.errors import SweAgentError

    raise SweAgentError(reply.get("error", "the daemon failed"), reply.get("hint", ""))


def run_query(root: Path, op: str, **kwargs: Any) -> Any:
    """Run the query named op (one of `swe_agent.queries.QUERIES`) through the daemon if it
    serves this repository, else on a read-only store of our own."""
    answered, result = try_query(root, op, kwargs)
    if answered:
        return result
    from swe_agent.queries import QUERIES
    from swe_agent.store.db import open_store

    with open_store(root, read_only=True) as store:
        return QUERIES[op](store, **kwargs)


def status(
    repo: GitRepo, run: Callable[[Path, str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The store's counts (asked through `run`, run_query by default) with the work tree's
    state and the store file's size: what `swe-agent status` and the MCP status tool show."""
    from swe_agent.store.db import store_path

    result = (run or run_query)(repo.root, "store_status")
    path = store_path(repo.root)
    wal = Path(str(path) + ".wal")
    result["store_bytes"] = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    result["store_path"] = str(path)
    result["head"] = repo.head()
    result["fresh"] = bool(result["head"]) and result["indexed_head"] == result["head"]
    result["dirty_files"] = sorted(repo.dirty_files())
    result["daemon_pid"] = daemon_pid(repo.root) if os.name == "posix" else None
    return result
