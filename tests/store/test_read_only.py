"""A store that cannot be written: one line saying so, never the advice to rebuild (which would
fail the same way), and queries that only read still work."""

import os
import subprocess
from pathlib import Path

import pytest

from swe_agent.store.db import store_path
from tests.procs import swe


@pytest.fixture
def read_only_store(sample_repo: Path):
    assert swe("sleep", "-C", str(sample_repo)).returncode == 0
    path = store_path(sample_repo)
    if os.geteuid() == 0:  # root writes through file modes: make the file immutable instead
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        yield sample_repo
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        yield sample_repo
        path.parent.chmod(0o755)
        path.chmod(0o644)


def test_a_read_only_store_is_one_line_that_says_so(read_only_store: Path) -> None:
    for args in (["index"], ["index", "--rebuild"], ["sleep"]):
        done = swe(*args, "-C", str(read_only_store))
        assert done.returncode != 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "writable" in done.stderr, done.stderr
        assert "--rebuild" not in done.stderr, done.stderr
    assert [
        p.name for p in store_path(read_only_store).parent.iterdir() if "damaged" in p.name
    ] == []
    for args in (["status"], ["search", "redirect"], ["notes"], ["sessions"]):
        assert swe(*args, "-C", str(read_only_store)).returncode == 0, args
