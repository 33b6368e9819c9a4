"""The repository as swe-agent sees it: tracked files plus untracked files git does not ignore,
minus what must never be read (secrets, binaries, symlinks out, submodules, huge files)."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from swe_agent.errors import EmptyRepository, NotARepository

SECRET_PATTERNS = (
    ".env",
    ".env.*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.crt",
    "*.cer",
    "*.der",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    "*.keystore",
    "*.jks",
    ".netrc",
    ".pgpass",
    ".htpasswd",
    "credentials",
    "*credentials*.json",
    "*credentials*.y*ml",
    "*credentials*.toml",
    "*credentials*.ini",
    "secrets.json",
    "secrets.y*ml",
    "secrets.toml",
    "secrets.ini",
    "secrets.txt",
    "*.secret",
    "*.secrets",
    ".npmrc",
    ".pypirc",
)
STORE_DIR = ".swe_agent"
LOG_FORMAT = "--format=%x01%h %ad %an: %s"

if TYPE_CHECKING:
    import git


# The patterns as one expression: fnmatchcase of each in turn cost ~60 us a file (flask: 15 ms
# before its first index can start)
_SECRET = re.compile("|".join(fnmatch.translate(pattern) for pattern in SECRET_PATTERNS))


def is_secret(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return _SECRET.match(name) is not None


def git_refused(root: Path, stderr: str) -> NotARepository:
    """git's own refusal, in one line: its `fatal:` line and, for a repository owned by another
    user, the command that trusts it."""
    text = stderr.strip().strip("'")
    fatal = next(
        (line.strip() for line in text.splitlines() if line.strip().startswith("fatal:")),
        text[:200],
    )
    if "dubious ownership" in text:
        return NotARepository(
            f"git refuses {root}: it is owned by another user (dubious ownership)",
            f"if you trust it, run `git config --global --add safe.directory {root}`",
        )
    return NotARepository(f"git failed in {root} ({fatal})", "check that `git status` works there")


@dataclass(frozen=True, slots=True)
class RepoFile:
    path: str  # relative, POSIX
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class LogEntry:
    line: str  # "<short sha> <date> <author>: <subject>"
    files: list[str]  # the files the commit changed (none when a line range was followed)


class GitRepo:
    """A work tree, found from a folder inside it by one call of git. What an index needs
    (its files, HEAD) comes from git itself; the rest through GitPython, imported at first
    use (~0.06 s, a tenth of a small repository's first `swe-agent index`)."""

    def __init__(self, start: Path) -> None:
        outside = NotARepository(
            f"{start} is not inside a git repository",
            "run swe-agent inside a git work tree, or `git init` one first",
        )
        if not Path(start).is_dir():
            raise outside
        asked = ["rev-parse", "--is-bare-repository", "--absolute-git-dir", "--show-toplevel"]
        try:
            done = subprocess.run(
                ["git", *asked], cwd=start, capture_output=True, text=True,
                errors="surrogateescape",
            )  # fmt: skip
        except OSError as exc:
            raise NotARepository(
                f"cannot run git ({exc.strerror or exc})", "install git, or put it on PATH"
            ) from None
        found = done.stdout.splitlines()
        if found[:1] == ["true"]:
            raise NotARepository(f"{start} is a bare repository", "run it in a work tree")
        if found[:1] == ["false"] and len(found) == 2:  # inside .git: no work tree above
            raise NotARepository(
                f"{start} is inside a repository's .git folder", "run it in the work tree"
            )
        if done.returncode != 0 or len(found) != 3:
            if "not a git repository" in done.stderr:
                raise outside
            raise git_refused(_refused_at(done.stderr, Path(start)), done.stderr)
        self.git_dir = Path(found[1])
        self.root = Path(found[2]).resolve()

    @cached_property
    def git(self) -> git.Repo:
        import git

        return git.Repo(self.root)

    def _run(self, *args: str) -> str:
        """git's output, for a command that cannot fail in a work tree git has accepted."""
        return subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True,
            errors="surrogateescape",
        ).stdout  # fmt: skip

    def head(self) -> str | None:
        return self.head_later()()

    def head_later(self) -> Callable[[], str | None]:
        """HEAD (None: no commits yet) from a git started now and waited for when the returned
        function is called: an index lists its files meanwhile (git's start, ~3 ms, overlaps)."""
        proc = subprocess.Popen(
            ["git", "rev-parse", "--verify", "-q", "HEAD^{commit}"],
            cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip

        def wait() -> str | None:
            out, _ = proc.communicate()
            return out.strip() or None

        return wait

    def branch(self) -> str | None:
        try:
            return self.git.active_branch.name
        except TypeError:  # detached
            return None

    def candidate_files(self, max_bytes: int) -> tuple[list[RepoFile], list[tuple[str, str]]]:
        """Files worth indexing, and (path, reason) for each one skipped."""
        listed = self._run("ls-files", "-z", "--cached", "--others", "--exclude-standard", "-s")
        submodules = set()
        paths: list[str] = []
        for entry in listed.split("\0"):
            if not entry:
                continue
            if "\t" in entry and entry[:6].isdigit():  # staged entry: "mode sha stage\tpath"
                meta, _, path = entry.partition("\t")
                if meta.startswith("160000"):
                    submodules.add(path)
                paths.append(path)
            else:
                paths.append(entry)
        if not paths:
            raise EmptyRepository(
                f"{self.root} has no files to index",
                "add some files (tracked or untracked, not ignored) and run it again",
            )
        files, skipped = [], []
        root = str(self.root)
        for path in dict.fromkeys(paths):
            try:
                info = os.lstat(os.path.join(root, path))
            except OSError:
                info = None
            reason = self._skip_reason(path, info, submodules, max_bytes)
            if reason:
                skipped.append((path, reason))
            else:
                assert info is not None
                files.append(RepoFile(path, info.st_size, info.st_mtime_ns))
        return files, skipped

    def _skip_reason(
        self, path: str, info: os.stat_result | None, submodules: set[str], max_bytes: int
    ) -> str | None:
        """Why path must not be indexed, from one lstat; None when it may."""
        if path.startswith(STORE_DIR + "/"):
            return "swe-agent store"
        if path in submodules:
            return "submodule"
        if is_secret(path):
            return "secret-looking file"
        if info is None:
            return "deleted from the work tree"
        if stat.S_ISLNK(info.st_mode):
            target = Path(os.path.realpath(self.root / path))
            if not target.is_relative_to(self.root):
                return "symlink leading out of the repository"
            return "symlink"
        if stat.S_ISDIR(info.st_mode):
            return "submodule"
        if info.st_size > max_bytes:
            return f"over the size limit ({info.st_size} > {max_bytes} bytes)"
        return None

    def exclude_store(self) -> None:
        """Add .swe_agent/ to .git/info/exclude once, so git never sees the store."""
        exclude = self.git_dir / "info" / "exclude"
        exclude.parent.mkdir(exist_ok=True)  # not .git itself: a repository moved away stays gone
        text = exclude.read_text() if exclude.exists() else ""
        if f"/{STORE_DIR}/" not in text.split("\n"):
            exclude.write_text(
                text + ("" if text.endswith("\n") or not text else "\n") + f"/{STORE_DIR}/\n"
            )

    def changed_files(self, old: str, new: str = "HEAD") -> list[str]:
        return [p for p in self.git.git.diff("--name-only", old, new).splitlines() if p]

    def files_changed_from(self, commit: str) -> int | None:
        """How many files differ between a commit and HEAD (None when git does not know it)."""
        import git

        try:
            if self.git.git.cat_file("-t", commit) != "commit":
                return None
            out = self.git.git.diff("--name-only", "--no-renames", commit, "HEAD")
        except git.GitCommandError:
            return None
        return len([p for p in out.splitlines() if p])

    def dirty_files(self) -> set[str]:
        out = self.git.git.status("--porcelain", "-z")
        return {entry[3:] for entry in out.split("\0") if len(entry) > 3}

    def hook_path(self, name: str) -> Path:
        return self.git_dir / "hooks" / name

    def log_entries(
        self, path: str | None = None, span: tuple[int, int] | None = None, limit: int = 20
    ) -> list[LogEntry]:
        """Commits of HEAD, newest first: all, those touching path, or those touching the lines
        `span` of path (followed through moves with `git log -L`)."""
        args = ["-n", str(limit)]
        if path and span:
            args += [f"-L{span[0]},{span[1]}:{path}", "-s"]
        elif path:
            args += ["--", path]
        import git

        try:
            out = self.git.git.log(
                "--date=short", LOG_FORMAT, "-s" if span else "--name-only", *args
            )
        except git.GitCommandError:
            return []
        entries = []
        for record in out.split("\x01")[1:]:
            head, *files = [x for x in record.splitlines() if x.strip()]
            entries.append(LogEntry(head, files))
        return entries

    def log_files(self, commits: int) -> str | None:
        """`git log HEAD` (never --all) without merges: per commit "\\x01<parents>", then the
        names of the files it changed. None when git fails."""
        args = ["git", "log", "HEAD", f"-n{commits}", "--no-merges", "--no-renames",
                "--format=\x01%P", "--name-only"]  # fmt: skip
        done = subprocess.run(args, cwd=self.root, capture_output=True, text=True, errors="replace")
        return done.stdout if done.returncode == 0 else None

    @contextmanager
    def log_hunks(self, commits: int, paths: Sequence[str] = ()) -> Iterator[Iterator[str]]:
        """The lines of `git log HEAD -p -U0` (never --all), without merges, following renames,
        of at most `commits` commits touching `paths` (pathspecs; all files when empty): per
        commit a line "\\x01<parents>\\x02<message>\\x03" (the message may span lines), then
        its patch. Read as git writes it, so a reader may stop early; git is stopped then."""
        args = ["git", "log", "HEAD", f"-n{commits}", "--no-merges", "-M", "-p", "--unified=0",
                "--no-color", "--no-ext-diff", "--format=\x01%P\x02%B\x03", "--", *paths]  # fmt: skip
        proc = subprocess.Popen(
            args, cwd=self.root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, errors="replace",
        )  # fmt: skip
        assert proc.stdout is not None
        try:
            yield iter(proc.stdout)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.wait()

    def apply(self, patch: str, *, check: bool = False) -> tuple[bool, str]:
        """`git apply` (with check, `--check` only) of a patch to the work tree: (ok, stderr)."""
        flags = ["--check"] if check else []
        done = subprocess.run(
            ["git", "apply", *flags, "-"], cwd=self.root, input=patch,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return done.returncode == 0, done.stderr


def _refused_at(stderr: str, start: Path) -> Path:
    """The repository git names in its refusal (the one to trust), else the folder asked."""
    named = re.search(r"repository at '([^']+)'", stderr)
    return Path(named.group(1)) if named else start.resolve()
