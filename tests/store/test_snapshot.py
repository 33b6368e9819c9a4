"""A copy of the store in memory: it reads like the store, and holding it never keeps another
process from opening the file to write; while another process writes, taking a copy fails at
once with a one-line StoreLocked instead of waiting."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from swe_agent.errors import NoIndex, StoreLocked
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_snapshot, open_store, signature

HOLD = (
    "import sys; from pathlib import Path; from swe_agent.store.db import open_store\n"
    "store = open_store(Path(sys.argv[1]))\n"
    "store.set_meta('writer', 'another process')\n"
    "print('held', flush=True); sys.stdin.readline(); store.close()\n"
)


@pytest.fixture
def indexed(sample_repo: Path) -> Path:
    with open_store(sample_repo, create=True) as store:
        index_repository(GitRepo(sample_repo), store, workers=1)
    return sample_repo


@contextmanager
def another_writer(root: Path) -> Iterator[None]:
    """Another process with the store open to write, until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        yield
    finally:
        proc.communicate("\n", timeout=30)


def test_a_copy_reads_like_the_store_and_holds_no_lock(indexed: Path) -> None:
    with open_snapshot(indexed) as copy:
        with open_store(indexed, wait=0.0) as store:  # read-write: fails at once if held
            head = store.meta("indexed_head")
            store.set_meta("after_the_copy", "yes")
        assert copy.meta("indexed_head") == head and copy.meta("after_the_copy") is None
        assert copy.one("SELECT count(*) FROM definitions")[0] > 10


def test_a_copy_is_refused_at_once_while_another_process_writes(indexed: Path) -> None:
    before = signature(indexed)
    with another_writer(indexed), pytest.raises(StoreLocked):
        open_snapshot(indexed, wait=0.0)
    assert signature(indexed) != before  # what the other process wrote changed the files
    with open_snapshot(indexed) as copy:
        assert copy.meta("writer") == "another process"


def test_no_store_no_copy(tmp_path: Path) -> None:
    with pytest.raises(NoIndex):
        open_snapshot(tmp_path)
    assert signature(tmp_path) is None
