"""The daemon's log: where it goes (stderr in the foreground, .swe_agent/daemon.log rotated by
size when detached), and `daemon logs`, which prints and follows it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, TextIO

import typer

from swe_agent.commands.common import RepoOption, open_repo
from swe_agent.errors import SweAgentError

LOG_LIMIT = 5_000_000  # the default of log_max_bytes: daemon.log moves to daemon.log.1 past it


def to_stderr(stream: TextIO | None = None) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO,
        stream=stream or sys.stderr,
        format="%(asctime)s %(levelname)s %(message)s",
    )


def to_file(path: Path, max_bytes: int) -> None:
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
