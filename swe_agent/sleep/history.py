"""What git history says about the code, from two passes over `git log HEAD` (never --all):
which commits touched which definitions, and which files change together."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from swe_agent.repo.gitrepo import GitRepo

BULK = 40  # a commit touching more files than this (an import, a reformat) says nothing of one function
_HUNK = re.compile(r"^@@ [^@]* @@ ?(.*)$")
_DEF_NAME = re.compile(
    r"\b(?:def|class|function|func|fn|sub|module|interface|struct|impl|trait)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)"
)


@dataclass(slots=True)
class History:
    churn: Counter[str] = field(default_factory=Counter)  # path -> commits touching it
    last_touched: dict[str, int] = field(
        default_factory=dict
    )  # path -> index of newest commit (0 = HEAD)
    subjects: dict[tuple[str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (path, name)
    cochange: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def read_history(repo: GitRepo, commits: int = 300, with_hunks: bool = True) -> History:
    """One `git log` pass: files per commit, and with hunks the names of the definitions each
    commit touched (from the hunk headers git's language drivers write)."""
    history = History()
    log = repo.log_patches(commits, with_hunks=with_hunks)
    if log is None:
        return history
    for index, block in enumerate(log.split("\x01")[1:]):
        head, _, rest = block.partition("\n")
        parents, _, subject = head.partition("\x02")
        # the first commit brings the code in; its subject ("import", "initial commit") says
        # nothing about any one definition, as with a commit touching more than BULK files
        bulk = not parents.strip() or rest.count("\n+++ ") > BULK
        files = (
            _parse_commit(rest, subject.strip(), history, bulk)
            if with_hunks
            else [f for f in rest.split("\n") if f]
        )
        for path in files:
            history.churn[path] += 1
            history.last_touched.setdefault(path, index)
        if parents.strip() and 1 < len(files) <= 12:
            for path in files:
                history.cochange[path].update(f for f in files if f != path)
    return history


def _parse_commit(text: str, subject: str, history: History, bulk: bool) -> list[str]:
    files: list[str] = []
    path = None
    seen: set[tuple[str, str]] = set()
    for line in text.split("\n"):
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
            if path:
                files.append(path)
        elif bulk:
            continue
        elif path and line.startswith("@@"):
            match = _HUNK.match(line)
            names = _DEF_NAME.findall(match.group(1)) if match else []
            for name in names[-1:]:
                if (path, name) not in seen:
                    seen.add((path, name))
                    history.subjects[(path, name)].append(subject)
        elif path and line.startswith("+") and not line.startswith("+++"):
            for name in _DEF_NAME.findall(line)[:1]:
                if (path, name) not in seen:
                    seen.add((path, name))
                    history.subjects[(path, name)].append(subject)
    return files
