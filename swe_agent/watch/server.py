"""The daemon's process: its socket, its pid file, the file events it follows, and its loop.

Requests come as one JSON line on the Unix socket in `.swe_agent/` and get one JSON line back;
the work itself is `Daemon`'s. The process stops on SIGTERM, `daemon stop`, Ctrl-C, or when the
repository or its `.swe_agent/` goes away, and removes only the files that are still its own.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socketserver
import threading
import time
from pathlib import Path
from typing import Any

from swe_agent.config import Settings
from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.watch.client import PIDFILE, SOCKET, recorded_pid, state_dir
from swe_agent.watch.daemon import Daemon

log = logging.getLogger("swe_agent.daemon")
CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # "closed" is a close after writing


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        daemon: Daemon = self.server.daemon  # type: ignore[attr-defined]
        line = self.rfile.readline()
        try:
            message = json.loads(line)
            reply = {"ok": True, "result": daemon.handle(message["op"], message.get("args") or {})}
        except SweAgentError as exc:
            reply = {"ok": False, "error": exc.message, "hint": exc.hint}
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            reply = {
                "ok": False,
                "error": f"bad request to the daemon ({exc})",
                "hint": "update swe-agent",
            }
        except Exception as exc:  # the daemon must outlive a failing request; the log keeps it
            log.exception("request failed")
            reply = {
                "ok": False,
                "error": f"the daemon failed: {exc}",
                "hint": f"see {state_dir(daemon.root) / 'daemon.log'}",
            }
        self.wfile.write(json.dumps(reply, default=str).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def _lost(root: Path) -> str | None:
    """Why this daemon no longer serves root: the repository went away, or its .swe_agent/ did
    (`git clean -fdx`), leaving no socket to reach it by; None while all is well."""
    pid = recorded_pid(root)  # read first: a repository moved between the two looks is gone
    if not (root / ".git").exists():
        return f"the repository {root} is gone"
    if pid != os.getpid():
        return f"{state_dir(root)} was removed or taken over"
    return None


def run_daemon(root: Path, settings: Settings, environ: dict[str, str]) -> None:
    """Serve until stopped (SIGTERM, `daemon stop`, Ctrl-C) or until the repository goes away."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    repo = GitRepo(root)
    folder = state_dir(repo.root)
    folder.mkdir(exist_ok=True)
    daemon = Daemon(repo, settings, environ)
    sock = folder / SOCKET
    sock.unlink(missing_ok=True)
    server = _Server(str(sock), _Handler)
    server.daemon = daemon  # type: ignore[attr-defined]
    sock_inode = sock.stat().st_ino
    (folder / PIDFILE).write_text(str(os.getpid()))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class Forward(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.event_type not in CHANGES:  # opens and reads (ours included) change nothing
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw:
                    path = os.fsdecode(raw)
                    if path.startswith(str(repo.root) + os.sep):
                        daemon.on_event(os.path.relpath(path, repo.root))

    signal.signal(signal.SIGTERM, lambda *_: daemon.stopping.set())
    observer = Observer()
    observer.schedule(Forward(), str(repo.root), recursive=True)
    observer.start()
    log.info("daemon %d serving %s", os.getpid(), repo.root)
    try:
        daemon.activity = "idle"
        daemon.catch_up()
        while not daemon.stopping.is_set():
            lost = _lost(repo.root)
            if lost:
                log.warning("%s: stopping", lost)
                break
            daemon.tick()
            time.sleep(0.05)
    except KeyboardInterrupt:
        pass
    except Exception:  # work cut short because the repository or the store went away
        lost = _lost(repo.root)
        if not lost:
            raise
        log.warning("%s: stopping", lost)
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
        with contextlib.suppress(OSError):  # only our own: a new daemon may have bound its own
            if sock.stat().st_ino == sock_inode:
                sock.unlink()
        if recorded_pid(repo.root) == os.getpid():
            (folder / PIDFILE).unlink()
        daemon.close()
        log.info("daemon %d stopped", os.getpid())
