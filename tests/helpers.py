"""Build real git repositories in tmp_path from the plain files under fixtures/."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "sample"

OTHER_LANGUAGES = sorted(
    p.relative_to(SAMPLE).as_posix()
    for folder in ("web", "tools", "native", "java", "c", "cpp", "ruby")
    for p in (SAMPLE / folder).rglob("*")
    if p.is_file()
)

# Each commit: message, files replaced by an older version from fixtures/history, files absent.
SAMPLE_HISTORY: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "Initial import of minihttp",
        {"minihttp/sessions.py": "sessions_v1.py"},
        ["minihttp/adapters.py", *OTHER_LANGUAGES],
    ),
    (
        "Strip the Authorization header when a redirect leaves the host",
        {},
        ["minihttp/adapters.py", *OTHER_LANGUAGES],
    ),
    ("Add HTTPAdapter with retry and exponential backoff", {}, OTHER_LANGUAGES),
    ("Add samples in other languages", {}, []),
]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fixture Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Fixture Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def note_on_merge_cookies(store: Any, kind: str, title: str, body: str, tokens: int = 20) -> Any:
    """An offline note on the sample repository's merge_cookies, tied to its code as `store`
    indexed it."""
    from swe_agent.store.notes import Note

    code_hash = store.one("SELECT hash FROM files WHERE path = 'minihttp/cookies.py'")[0]
    place = {"path": "minihttp/cookies.py", "symbol": "merge_cookies", "start_line": 12,
             "end_line": 17}  # fmt: skip
    return Note(kind, "minihttp/cookies.py", "merge_cookies", title, body, [place], code_hash,
                "offline", tokens=tokens)  # fmt: skip


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, **GIT_ENV, HOME=str(repo.parent))
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def commit_all(repo: Path, message: str, day: int = 1) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=f"2026-01-{day:02d}T12:00:00")
    return git(repo, "rev-parse", "HEAD").strip()


def make_sample_repo(dest: Path) -> Path:
    """Copy fixtures/sample into dest as a git repository whose history is SAMPLE_HISTORY."""
    dest.mkdir(parents=True, exist_ok=True)
    git(dest, "init", "-q", "-b", "main")
    for day, (message, older, absent) in enumerate(SAMPLE_HISTORY, start=1):
        _sync_tree(dest)
        for rel, version in older.items():
            shutil.copyfile(FIXTURES / "history" / version, dest / rel)
        for rel in absent:
            (dest / rel).unlink(missing_ok=True)
        commit_all(dest, message, day)
    return dest


def _sync_tree(dest: Path) -> None:
    for src in SAMPLE.rglob("*"):
        if src.is_file():
            target = dest / src.relative_to(SAMPLE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
