"""Which file events matter, and when to act on them: pure, with an injectable clock.

A checkout of 1000 files fires about 10,000 events; they are filtered here and flushed after
a quiet window, or after a maximum delay while the storm goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

EDITOR_NOISE = ("~", ".swp", ".swx", ".swo", ".tmp", ".lock", "4913", ".orig")
REF_FILES = ("HEAD", "packed-refs", "ORIG_HEAD")


@dataclass(frozen=True, slots=True)
class Change:
    """What an event means: a work-tree file to re-index, or a git ref that moved."""

    path: str
    ref: bool = False


def classify(relative: str) -> Change | None:
    """A path relative to the repository root -> the change it signals, or None for noise."""
    parts = PurePosixPath(relative).parts
    if not parts or parts[0] == ".swe_agent":
        return None
    if parts[0] == ".git":
        rest = "/".join(parts[1:])
        if rest in REF_FILES or (rest.startswith("refs/heads/") and not rest.endswith(".lock")):
            return Change(rest, ref=True)
        return None
    name = parts[-1]
    if name.endswith(EDITOR_NOISE) or name.startswith(".#") or "__pycache__" in parts:
        return None
    return Change(relative)


@dataclass(slots=True)
class Debouncer:
    quiet: float
    max_delay: float
    clock: Callable[[], float]
    files: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)
    first: float | None = None
    last: float | None = None

    def add(self, change: Change) -> None:
        now = self.clock()
        (self.refs if change.ref else self.files).add(change.path)
        self.first = now if self.first is None else self.first
        self.last = now

    def due(self) -> bool:
        if self.first is None or self.last is None:
            return False
        now = self.clock()
        return now - self.last >= self.quiet or now - self.first >= self.max_delay

    def take(self) -> tuple[set[str], set[str]]:
        files, refs = self.files, self.refs
        self.files, self.refs, self.first, self.last = set(), set(), None, None
        return files, refs
