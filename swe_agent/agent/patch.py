"""A proposed patch: found in the answer, checked with `git apply --check`, applied only when
asked and never over a file with uncommitted changes unless forced."""

from __future__ import annotations

import os
import re
from pathlib import Path

from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo, is_secret

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
    _refuse_links_out(repo.root, patch)
    fits, why = repo.apply(patch, check=True)
    if not fits:
        reason = (why.strip().splitlines() or ["it does not apply"])[0]
        raise SweAgentError(f"the patch does not apply cleanly ({reason})", "nothing was changed")
    done, why = repo.apply(patch)
    if not done:
        raise SweAgentError(f"git apply failed: {why.strip()}", "check `git status`")
    return files


def _refuse_links_out(root: Path, patch: str) -> None:
    """A patch may not make a symbolic link that leads out of the repository or to a secret:
    what a later read of the link would reveal is not the model's to choose."""
    root = root.resolve()
    for section in re.split(r"^diff --git ", patch, flags=re.M)[1:]:
        if not re.search(r"^new (?:file )?mode 120000$", section, re.M):
            continue
        path = (_TARGET.findall(section) or ["?"])[-1]
        added = [
            line[1:]
            for line in section.splitlines()
            if line.startswith("+") and not line.startswith("+++")
        ]
        target = Path(os.path.realpath((root / path).parent / "".join(added).strip()))
        if not target.is_relative_to(root) or is_secret(target.name):
            raise SweAgentError(
                f"the patch makes {path} a link to {''.join(added).strip()}, outside the repository or to a secret",
                "nothing was changed; apply the rest by hand if you want it",
            )
