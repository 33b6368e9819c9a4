"""Get a task's code as a git repository in a cached work directory.

PyPI source distributions and npm tarballs are downloaded once (`<workdir>/downloads`),
unpacked and committed with one fixed author and date, so that the same archive gives the
same commit on every run. SWE-bench tasks are cloned from a snapshot git directory, checked
out at their base commit, and stripped of every ref, so that history (read from HEAD only)
sees nothing after the base commit. Each repository is built in a temporary folder and
renamed into place when whole, so an interrupted run leaves nothing half made.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name

from swe_agent.bench.tasks import Source
from swe_agent.errors import SweAgentError

AUTHOR = "swe-agent bench"
EMAIL = "bench@swe-agent.invalid"
DATE = "2000-01-01T00:00:00+00:00"
TIMEOUT = 900  # seconds for one download or clone


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run git with a fixed identity and date and no user or system configuration."""
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME=AUTHOR, GIT_AUTHOR_EMAIL=EMAIL, GIT_AUTHOR_DATE=DATE,
        GIT_COMMITTER_NAME=AUTHOR, GIT_COMMITTER_EMAIL=EMAIL, GIT_COMMITTER_DATE=DATE,
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0",
    )  # fmt: skip
    config = ["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "safe.directory=*"]
    done = subprocess.run(
        ["git", *config, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    if check and done.returncode != 0:
        raise SweAgentError(f"git {' '.join(args[:3])} failed in {cwd}: {_last_line(done.stderr)}")
    return done.stdout.strip()


def prepare(source: Source, workdir: Path, snapshots: Path | None = None) -> Path:
    """The root of a git repository holding the source's code, made once and reused."""
    dest = workdir / "repos" / source.key
    if source.kind == "path":
        return _local_copy(Path(source.name), dest)
    if source.kind == "snapshot":
        if dest.exists() and _at_commit(dest, source.version):
            return dest
        return _build(
            dest,
            lambda tmp: checkout_snapshot(find_gitdir(snapshots, source.name), source.version, tmp),
        )
    if dest.exists() and _has_head(dest):
        return dest
    archive = download(source, workdir / "downloads")
    return _build(dest, lambda tmp: _import_archive(archive, source, tmp))


def download(source: Source, downloads: Path) -> Path:
    """The package archive, from the cache or from its registry."""
    downloads.mkdir(parents=True, exist_ok=True)
    cached = find_archive(downloads, source)
    if cached:
        return cached
    if source.kind == "pypi":
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--disable-pip-version-check",
            "-q",
            f"{source.name}=={source.version}",
            "-d",
            str(downloads),
        ]
    elif source.kind == "npm":
        if not shutil.which("npm"):
            raise SweAgentError(
                f"cannot get {source.describe()}: npm is not installed", "install Node.js and npm"
            )
        command = [
            "npm",
            "pack",
            "--silent",
            f"{source.name}@{source.version}",
            "--pack-destination",
            str(downloads),
        ]
    else:
        raise ValueError(f"not a package source: {source.kind}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, cwd=downloads)
    archive = find_archive(downloads, source)
    if done.returncode != 0 or archive is None:
        raise SweAgentError(
            f"could not download {source.describe()}: {_last_line(done.stderr) or 'no archive arrived'}",
            "check the name, the version and the network",
        )
    return archive


def find_archive(downloads: Path, source: Source) -> Path | None:
    """A downloaded archive of the source in the folder, or None."""
    if source.kind == "npm":
        stem = source.name.lstrip("@").replace("/", "-")
        candidates = [downloads / f"{stem}-{source.version}.tgz"]
    else:
        # "Django-5.0.6.tar.gz" is django==5.0.6: name and version compared as PEP 503 normalizes
        wanted = canonicalize_name(f"{source.name}-{source.version}")
        candidates = [
            p for p in sorted(downloads.glob("*"))
            if p.name.lower().endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz"))
            and canonicalize_name(re.sub(r"(\.tar\.gz|\.zip|\.tar\.bz2|\.tgz)$", "", p.name, flags=re.I)) == wanted
        ]  # fmt: skip
    return next((p for p in candidates if p.is_file()), None)


def unpack(archive: Path, dest: Path) -> None:
    """Unpack a .tar.* or .zip archive into dest, refusing members that leave it."""
    dest.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                if not (dest / member).resolve().is_relative_to(dest.resolve()):
                    raise SweAgentError(f"{archive.name} holds a path outside its folder: {member}")
            zf.extractall(dest)
        return
    with tarfile.open(archive) as tf:
        tf.extractall(dest, filter="data")


def _import_archive(archive: Path, source: Source, tmp: Path) -> None:
    """Unpack into tmp as the repository root: a PyPI sdist's top folder becomes the root;
    an npm tarball keeps its `package/` folder, as the gold paths do."""
    if source.kind == "npm":
        unpack(archive, tmp)
    else:
        scratch = tmp.with_name(tmp.name + ".unpack")
        unpack(archive, scratch)
        entries = list(scratch.iterdir())
        top = entries[0] if len(entries) == 1 and entries[0].is_dir() else scratch
        tmp.rmdir()
        top.rename(tmp)
        shutil.rmtree(scratch, ignore_errors=True)
    make_repo(tmp, f"Import {source.describe()}")


def make_repo(root: Path, message: str) -> str:
    """Commit everything under root as the first commit of a new repository; its sha."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def find_gitdir(snapshots: Path | None, repo: str) -> Path:
    """The git directory of OWNER/NAME in a folder of snapshots named OWNER+NAME."""
    if snapshots is None:
        raise SweAgentError(
            f"{repo} needs a snapshot", "give --snapshots DIR with one git dir per OWNER+NAME"
        )
    folder = snapshots / repo.replace("/", "+")
    candidates = [folder, folder / ".git", *sorted(p for p in folder.glob("*") if p.is_dir())]
    for candidate in candidates:
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    raise SweAgentError(f"no git snapshot of {repo} under {snapshots}", f"fetch it into {folder}")


def checkout_snapshot(gitdir: Path, commit: str, dest: Path) -> None:
    """Clone the snapshot into dest at commit, with no ref to anything after it.

    As shared/bench/README.md does: clone without checkout, detach at the base commit,
    delete every ref, then name the base commit main. The remote and the reflogs go too,
    as both would point at later commits.
    """
    if git(gitdir, "cat-file", "-t", commit, check=False) != "commit":
        raise SweAgentError(
            f"{gitdir} has no commit {commit}", "fetch a newer snapshot of the repository"
        )
    git(dest.parent, "clone", "-q", "--no-checkout", str(gitdir), str(dest))
    git(dest, "checkout", "-q", "--detach", commit)
    for ref in git(dest, "for-each-ref", "--format=%(refname)").splitlines():
        git(dest, "update-ref", "-d", ref)
    git(dest, "remote", "remove", "origin", check=False)
    git(dest, "checkout", "-q", "-B", "main")
    git(dest, "reflog", "expire", "--expire=now", "--all")


def _local_copy(source: Path, dest: Path) -> Path:
    """A clone of a local repository at its HEAD, so the bench never touches its store."""
    head = (
        git(source, "rev-parse", "--verify", "-q", "HEAD", check=False) if source.is_dir() else ""
    )
    if not head:
        raise SweAgentError(
            f"{source} is not a git repository with a commit", "give the root of a git work tree"
        )
    if not _has_head(dest):
        return _build(dest, lambda tmp: git(dest.parent, "clone", "-q", str(source), str(tmp)))
    if git(dest, "rev-parse", "HEAD") != head:
        git(dest, "fetch", "-q", str(source), "HEAD")
        git(dest, "reset", "-q", "--hard", "FETCH_HEAD")
    return dest


def _build(dest: Path, make: Callable[[Path], object]) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        shutil.rmtree(dest)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        make(tmp)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmp.with_name(tmp.name + ".unpack"), ignore_errors=True)
    return dest


def _has_head(root: Path) -> bool:
    return (root / ".git").exists() and bool(
        git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    )


def _at_commit(root: Path, commit: str) -> bool:
    if not _has_head(root) or git(root, "rev-parse", "HEAD") != commit:
        return False
    return git(root, "for-each-ref", "--format=%(refname)").splitlines() == ["refs/heads/main"]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
