"""The path guard checks a file found by its short name like any other: a file swapped for a
link since it was indexed is refused."""

import os
from pathlib import Path

import pytest

from swe_agent.agent.paths import PathGuard
from swe_agent.errors import PathRefused


@pytest.mark.parametrize("asked", ["auth.py", "site-packages/minihttp/auth.py", "minihttp/auth.py"])
def test_an_indexed_file_swapped_for_a_link_out_is_refused_by_any_name(
    indexed_repo: Path, asked: str
) -> None:
    guard = PathGuard(indexed_repo, ["minihttp/auth.py", "minihttp/sessions.py"])
    assert guard.resolve(asked) == "minihttp/auth.py"
    auth = indexed_repo / "minihttp/auth.py"
    auth.unlink()
    os.symlink("/etc/passwd", auth)
    with pytest.raises(PathRefused, match="leads outside the repository"):
        guard.resolve(asked)


def test_a_link_to_a_secret_inside_the_repository_is_refused(indexed_repo: Path) -> None:
    (indexed_repo / ".env").write_text("KEY=secret\n")
    auth = indexed_repo / "minihttp/auth.py"
    auth.unlink()
    os.symlink("../.env", auth)
    guard = PathGuard(indexed_repo, ["minihttp/auth.py"])
    for asked in ("auth.py", "minihttp/auth.py"):
        with pytest.raises(PathRefused, match="looks like a secret"):
            guard.resolve(asked)
