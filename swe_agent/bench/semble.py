"""A code-search suite in semble's format, and each repository's code at its pinned revision.

A suite is a folder with `repos.json` (name, language, url, revision, benchmark_root per
repository) and `annotations/NAME.json` (queries with `relevant` and `secondary` targets).
Repositories are chosen by name first, and only the chosen ones' annotation files are read:
the others may be held out, and are never opened.

A repository's code is its `benchmark_root` folder at the pinned revision, read from a git
snapshot (`<snapshots>/OWNER+NAME`, as `bench localize` finds them) and committed once as
the root of a fresh repository, so that indexed paths are relative to the benchmark root, as
semble's are. Nothing is written to the snapshot.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swe_agent.bench.projects import TIMEOUT, find_gitdir, git
from swe_agent.bench.search_score import Target
from swe_agent.errors import SweAgentError


@dataclass(frozen=True, slots=True)
class RepoSpec:
    name: str
    language: str
    url: str
    revision: str
    root: str = ""  # the benchmark root inside the repository; "" is the whole of it

    @property
    def github(self) -> str:
        """OWNER/NAME of a GitHub URL (what a snapshot folder is named after)."""
        found = re.search(r"github\.com[/:]([^/]+)/([^/]+?)(?:\.git)?/?$", self.url)
        if not found:
            raise SweAgentError(f"{self.name}: cannot tell OWNER/NAME from its url {self.url!r}")
        return f"{found.group(1)}/{found.group(2)}"

    @property
    def key(self) -> str:
        return f"{self.name}-{self.revision[:12]}"


@dataclass(frozen=True, slots=True)
class Query:
    repo: str
    language: str
    text: str
    category: str
    targets: tuple[Target, ...]  # relevant, then secondary: they count alike


def load_specs(suite: Path) -> dict[str, RepoSpec]:
    """Every repository of the suite's repos.json, by name."""
    path = suite / "repos.json"
    if not path.is_file():
        raise SweAgentError(
            f"no repos.json in {suite}", "give --suite a folder with repos.json and annotations/"
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        specs = [_spec(item) for item in raw]
    except (ValueError, TypeError, KeyError) as exc:
        raise SweAgentError(f"cannot read {path}: {exc}", "fix the file") from None
    return {spec.name: spec for spec in specs}


def _spec(item: dict[str, Any]) -> RepoSpec:
    root = (item.get("benchmark_root") or "").strip("/")
    return RepoSpec(
        name=item["name"],
        language=item["language"],
        url=item["url"],
        revision=item["revision"],
        root="" if root == "." else root,
    )


def read_names_file(path: Path) -> list[str]:
    """Repository names, the first column of each line (tab or space separated); # comments."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SweAgentError(
            f"cannot read {path}: {exc.strerror}", "give an existing file"
        ) from None
    return [line.split()[0] for line in lines if line.strip() and not line.lstrip().startswith("#")]


def choose(specs: dict[str, RepoSpec], names: list[str]) -> list[RepoSpec]:
    """The named repositories in the order given, once each."""
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise SweAgentError(
            f"not in the suite's repos.json: {', '.join(unknown)}", "check the repository names"
        )
    if not names:
        raise SweAgentError("no repositories chosen", "give --repos NAME,... or --repos-file FILE")
    return [specs[n] for n in dict.fromkeys(names)]


def load_queries(suite: Path, spec: RepoSpec, limit: int | None = None) -> list[Query]:
    """The repository's queries in file order (the first `limit` of them)."""
    path = suite / "annotations" / f"{spec.name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        queries = [_query(spec, item) for item in raw if item.get("repo", spec.name) == spec.name]
    except OSError:
        raise SweAgentError(
            f"no annotations for {spec.name} at {path}", "check the suite"
        ) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise SweAgentError(f"cannot read {path}: {exc}", "fix the file") from None
    return queries[:limit] if limit else queries


def _query(spec: RepoSpec, item: dict[str, Any]) -> Query:
    category = item.get("category")
    targets = [*item.get("relevant", []), *item.get("secondary", [])]
    return Query(
        repo=spec.name,
        language=spec.language,
        text=item["query"],
        category=category if isinstance(category, str) else infer_category(item["query"]),
        targets=tuple(_target(t) for t in targets),
    )


def infer_category(query: str) -> str:
    """semble's rule for a query without a category: one word is a symbol, 'how ...' is
    architecture, anything else semantic."""
    if " " not in query.strip():
        return "symbol"
    return "architecture" if query.lower().startswith("how ") else "semantic"


def _target(raw: str | dict[str, Any]) -> Target:
    if isinstance(raw, str):
        return Target(raw)
    start, end = raw.get("start_line"), raw.get("end_line")
    return Target(
        str(raw["path"]),
        int(start) if start is not None else None,
        int(end) if end is not None else None,
    )


def snapshot_of(spec: RepoSpec, snapshots: Path | None) -> Path:
    """The snapshot's git directory, checked to hold the pinned revision and its root."""
    gitdir = find_gitdir(snapshots, spec.github)
    if git(gitdir, "cat-file", "-t", spec.revision, check=False) != "commit":
        raise SweAgentError(
            f"{spec.name}: the snapshot {gitdir} has no commit {spec.revision[:12]}",
            "fetch a newer snapshot",
        )
    if git(gitdir, "cat-file", "-t", f"{spec.revision}:{spec.root}", check=False) != "tree":
        raise SweAgentError(
            f"{spec.name}: no folder {spec.root!r} at {spec.revision[:12]}", "check repos.json"
        )
    return gitdir


def checkout(spec: RepoSpec, gitdir: Path, workdir: Path) -> Path:
    """A git work tree of the benchmark root at the revision, made once under workdir/repos."""
    dest = workdir / "repos" / spec.key
    if (dest / ".git").is_dir() and git(dest, "rev-parse", "--verify", "-q", "HEAD", check=False):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(dest, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        _export(gitdir, f"{spec.revision}:{spec.root}", tmp / "tree")
        tree = tmp / "tree"
        git(tree, "init", "-q", "-b", "main")
        git(tree, "add", "-A", "-f")  # every file of the tree, even one an ignore file names
        git(
            tree,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"{spec.name} {spec.root or '.'} at {spec.revision}",
        )
        tree.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _export(gitdir: Path, treeish: str, dest: Path) -> None:
    """Write the files of a tree into dest through a private index file, so the snapshot is
    only read (a bare snapshot has no index of its own, and no work tree to disturb)."""
    dest.mkdir(parents=True)
    env = dict(
        os.environ, GIT_DIR=str(gitdir), GIT_WORK_TREE=str(dest),
        GIT_INDEX_FILE=str(dest.parent / "index"), GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )  # fmt: skip
    for args in (["read-tree", treeish], ["checkout-index", "-a", "-f"]):
        done = subprocess.run(
            ["git", "-c", "core.autocrlf=false", *args],
            cwd=dest, env=env, capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise SweAgentError(
                f"cannot check out {treeish} from {gitdir}: {last}", "fetch the snapshot again"
            )
