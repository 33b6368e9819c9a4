"""The bare index of a benchmark repository: its store as indexing left it, before any sleep.

The benches keep it beside the work tree (`<workdir>/index/`) and put it back before each sleep
level, so no level sees another's notes or sessions, and a second run re-indexes only what
changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from swe_agent.errors import SweAgentError
from swe_agent.store.db import store_path


def store_files(root: Path) -> tuple[Path, Path]:
    """The repository's store and its write-ahead log."""
    path = store_path(root)
    return path, path.with_name(path.name + ".wal")


def save(root: Path, base: Path) -> None:
    """Copy the repository's store to base; it must be checkpointed (no log beside it)."""
    db, wal = store_files(root)
    if wal.exists():
        raise SweAgentError(f"the store of {root} was not checkpointed", "run the bench again")
    base.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, base)


def restore(base: Path, root: Path) -> None:
    """Put the bare index back as the repository's store (or no store at all when none yet)."""
    db, wal = store_files(root)
    wal.unlink(missing_ok=True)
    if base.is_file():
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base, db)
    else:
        db.unlink(missing_ok=True)


def remove(root: Path) -> None:
    """No store at all: the next index starts from an empty one."""
    for path in store_files(root):
        path.unlink(missing_ok=True)
