"""The benches' bare index: saved once after indexing, put back before each sleep level, with a
real DuckDB store in tmp_path."""

from pathlib import Path

import pytest

from swe_agent.bench import bare_index
from swe_agent.errors import SweAgentError
from swe_agent.store.db import open_store


def _store_with(root: Path, value: str) -> None:
    with open_store(root, create=True) as store:
        store.set_meta("mark", value)


def _mark(root: Path) -> str | None:
    with open_store(root, read_only=True) as store:
        return store.meta("mark")


def test_a_level_starts_from_the_saved_index_not_from_the_level_before(tmp_path: Path) -> None:
    root, base = tmp_path / "repo", tmp_path / "index" / "repo.duckdb"
    _store_with(root, "bare")
    bare_index.save(root, base)
    _store_with(root, "slept")
    bare_index.restore(base, root)
    assert _mark(root) == "bare"


def test_without_a_saved_index_restore_and_remove_leave_no_store(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _store_with(root, "old")
    bare_index.restore(tmp_path / "index" / "none.duckdb", root)
    assert not any(p.exists() for p in bare_index.store_files(root))
    _store_with(root, "old")
    bare_index.remove(root)
    assert not any(p.exists() for p in bare_index.store_files(root))


def test_an_unfinished_store_is_not_saved(tmp_path: Path) -> None:
    root, base = tmp_path / "repo", tmp_path / "index" / "repo.duckdb"
    _store_with(root, "bare")
    bare_index.store_files(root)[1].write_bytes(b"")  # a write-ahead log left behind
    with pytest.raises(SweAgentError, match="not checkpointed"):
        bare_index.save(root, base)
    assert not base.exists()
