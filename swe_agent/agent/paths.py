"""What the agent's tools may read: indexed files inside the repository, never secret-looking
ones. Every refusal is a sentence the model can read and act on."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from swe_agent.errors import PathRefused
from swe_agent.repo.gitrepo import is_secret


class PathGuard:
    def __init__(self, root: Path, indexed: Iterable[str]) -> None:
        self.root = root.resolve()
        self.indexed = set(indexed)

    def resolve(self, path: str) -> str:
        """The indexed, repository-relative path meant by path, or PathRefused."""
        given = (path or "").strip().replace("\\", "/")
        if not given:
            raise PathRefused("no path given: pass a path relative to the repository root")
        if given.startswith(("/", "~")) or (len(given) > 1 and given[1] == ":"):
            raise PathRefused(
                f"refused {given!r}: absolute paths are not allowed; "
                "give a path relative to the repository root"
            )
        rel = posixpath.normpath(given)
        if rel == ".." or rel.startswith("../"):
            raise PathRefused(f"refused {given!r}: it leads outside the repository")
        self._check(rel, given)
        if rel not in self.indexed:
            rel = self._by_suffix(rel, given)
            self._check(rel, given)  # the file found may have become a link since it was indexed
        return rel

    def _check(self, rel: str, given: str) -> None:
        """Refuse a secret-looking file, and a link leading out of the repository or to one."""
        target = Path(os.path.realpath(self.root / rel))
        if is_secret(rel) or is_secret(target.name):
            raise PathRefused(f"refused {given!r}: it looks like a secret and is never read")
        if not target.is_relative_to(self.root):
            raise PathRefused(f"refused {given!r}: it is a link that leads outside the repository")

    def _by_suffix(self, rel: str, given: str) -> str:
        """A path from a traceback or an issue often carries a prefix (site-packages/...) or
        lacks one (models/query.py): take the one indexed file that matches the most of it."""
        matches = [f for f in self.indexed if f.endswith("/" + rel) or rel.endswith("/" + f)]
        if not matches:
            raise PathRefused(
                f"{given!r} is not an indexed file of this repository; "
                "find paths with search_code or lookup_symbol"
            )
        matches.sort(key=lambda f: (-_common_tail(f, rel), len(f), f))
        if len(matches) > 1 and _common_tail(matches[0], rel) == _common_tail(matches[1], rel):
            options = ", ".join(matches[:5])
            raise PathRefused(f"{given!r} is ambiguous; it may be one of: {options}")
        return matches[0]


def _common_tail(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a.split("/")), reversed(b.split("/")), strict=False):
        if x != y:
            break
        n += 1
    return n
