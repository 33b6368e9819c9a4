import io
import tarfile
from pathlib import Path

import pytest

from swe_agent.bench.projects import AUTHOR, find_archive, git, prepare
from swe_agent.bench.tasks import Source
from swe_agent.errors import SweAgentError
from tests.helpers import commit_all
from tests.helpers import git as fixture_git


def tarball(path: Path, members: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_a_cached_sdist_becomes_a_repeatable_repository(tmp_path: Path) -> None:
    source = Source("pypi", "my_pkg", "1.0")
    heads = []
    for run in ("one", "two"):
        workdir = tmp_path / run
        tarball(
            workdir / "downloads" / "My-Pkg-1.0.tar.gz", {"my-pkg-1.0/pkg/__init__.py": "x = 1\n"}
        )
        root = prepare(source, workdir)
        assert (root / "pkg" / "__init__.py").read_text() == "x = 1\n"
        assert git(root, "log", "--format=%an") == AUTHOR
        heads.append(git(root, "rev-parse", "HEAD"))
    assert heads[0] == heads[1]  # same archive, same commit
    (root / "marker").write_text("kept")
    assert prepare(source, tmp_path / "two") == root
    assert (root / "marker").exists()  # reused, not rebuilt
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]  # no half-made folders


def test_an_npm_tarball_keeps_its_package_folder(tmp_path: Path) -> None:
    tarball(
        tmp_path / "downloads" / "express-4.19.2.tgz", {"package/index.js": "module.exports = 1;\n"}
    )
    root = prepare(Source("npm", "express", "4.19.2"), tmp_path)
    assert (root / "package" / "index.js").is_file()
    assert find_archive(tmp_path / "downloads", Source("npm", "@scope/x", "1.0")) is None


@pytest.fixture
def snapshot(sample_repo: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """A bare snapshot of the sample repository with a later commit, a branch and a tag."""
    base = fixture_git(sample_repo, "rev-parse", "HEAD~1").strip()
    (sample_repo / "minihttp" / "later.py").write_text("FIX = True\n")
    later = commit_all(sample_repo, "The fix, after the base commit", 9)
    fixture_git(sample_repo, "tag", "v2")
    fixture_git(sample_repo, "branch", "feature")
    snapshots = tmp_path / "snapshots"
    fixture_git(
        tmp_path, "clone", "-q", "--bare", str(sample_repo), str(snapshots / "owner+name" / "repo")
    )
    return snapshots, base, later


def test_a_snapshot_is_checked_out_with_no_history_after_the_base_commit(
    snapshot, tmp_path: Path
) -> None:
    snapshots, base, later = snapshot
    root = prepare(Source("snapshot", "owner/name", base), tmp_path / "work", snapshots)
    assert git(root, "rev-parse", "HEAD") == base
    assert git(root, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    assert later not in git(root, "rev-list", "--all", "--reflog").split()
    assert git(root, "log", "-g", "--format=%H", check=False) == ""
    assert not (root / "minihttp" / "later.py").exists()
    assert git(root, "status", "--porcelain") == ""
    again = prepare(Source("snapshot", "owner/name", base), tmp_path / "work", snapshots)
    assert again == root


def test_snapshot_errors_say_what_to_do(snapshot, tmp_path: Path) -> None:
    snapshots, _, _ = snapshot
    with pytest.raises(SweAgentError, match="has no commit"):
        prepare(Source("snapshot", "owner/name", "0" * 40), tmp_path / "w", snapshots)
    with pytest.raises(SweAgentError, match="no git snapshot of other/repo"):
        prepare(Source("snapshot", "other/repo", "0" * 40), tmp_path / "w", snapshots)
    with pytest.raises(SweAgentError, match="needs a snapshot"):
        prepare(Source("snapshot", "owner/name", "0" * 40), tmp_path / "w", None)


def test_a_local_repository_is_copied_and_follows_its_head(
    sample_repo: Path, tmp_path: Path
) -> None:
    source = Source("path", str(sample_repo))
    root = prepare(source, tmp_path / "work")
    assert root != sample_repo
    assert git(root, "rev-parse", "HEAD") == git(sample_repo, "rev-parse", "HEAD")
    (sample_repo / "new.py").write_text("y = 2\n")
    head = commit_all(sample_repo, "More", 5)
    assert git(prepare(source, tmp_path / "work"), "rev-parse", "HEAD") == head
    with pytest.raises(SweAgentError, match="not a git repository"):
        prepare(Source("path", str(tmp_path / "nowhere")), tmp_path / "work")
