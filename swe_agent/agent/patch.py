"""A proposed patch: found in the answer, checked with `git apply --check`, applied only when
asked and never over a file with uncommitted changes unless forced."""

from __future__ import annotations

import re

from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo

_FENCED = re.compile(r"```(?:diff|patch)\n(.*?)```", re.S)
_TARGET = re.compile(r"^(?:\+\+\+|---) (?:[ab]/)?(\S+)", re.M)


def extract_patch(patch: object, explanation: str) -> str | None:
    """The answer's patch field, or else a fenced diff in its explanation."""
    if isinstance(patch, str) and patch.strip():
        text = patch
    else:
        found = _FENCED.search(explanation or "")
        if not found:
            return None
        text = found.group(1)
    return text if text.endswith("\n") else text + "\n"


def patched_files(patch: str) -> list[str]:
    return sorted({p for p in _TARGET.findall(patch) if p != "/dev/null"})


def apply_patch(repo: GitRepo, patch: str | None, *, force: bool = False) -> list[str]:
    """Apply patch to the repository's work tree; returns the files it changed."""
    if not patch:
        raise SweAgentError("no patch to apply", "only tasks answered with Claude propose a patch")
    files = patched_files(patch)
    touched = sorted(set(files) & repo.dirty_files())
    if touched and not force:
        raise SweAgentError(
            f"the patch touches files with uncommitted changes: {', '.join(touched)}",
            "commit or stash them, or pass --force",
        )
    fits, why = repo.apply(patch, check=True)
    if not fits:
        reason = (why.strip().splitlines() or ["it does not apply"])[0]
        raise SweAgentError(f"the patch does not apply cleanly ({reason})", "nothing was changed")
    done, why = repo.apply(patch)
    if not done:
        raise SweAgentError(f"git apply failed: {why.strip()}", "check `git status`")
    return files
