"""Without a daemon and without an index: the first call indexes with progress reported through
MCP, a commit is picked up by the next call, no connection to the store outlives a call, and
calls answer from the server's copy of the store while another process writes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.store.db import open_store
from tests.helpers import commit_all, make_sample_repo
from tests.mcp.client import Session, mcp_session
from tests.store.test_snapshot import another_writer


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_repo(tmp_path_factory.mktemp("first") / "sample")


@pytest.fixture(scope="module")
def mcp(repo: Path) -> Iterator[Session]:
    with mcp_session(repo) as session:
        yield session


def test_the_first_call_indexes_with_progress(mcp: Session, repo: Path) -> None:
    assert not (repo / ".swe_agent").exists()
    progress: list = []
    result = mcp.call("find_symbol", progress=progress, name="Session.send")
    assert not result.is_error, result.content[0].text
    assert result.structured_content["entries"][0].startswith("def minihttp/sessions.py:")
    assert progress
    assert progress[-1][0] == progress[-1][1]
    assert progress[-1][2].startswith("indexing the repository:")
    again: list = []
    mcp.call("find_symbol", progress=again, name="Session.send")
    assert again == []


def test_a_commit_is_indexed_before_the_next_call(mcp: Session, repo: Path) -> None:
    mcp.call("status")
    utils = repo / "minihttp" / "utils.py"
    utils.write_text(
        utils.read_text() + "\n\ndef strip_fragment(url):\n    return url.split('#')[0]\n"
    )
    commit_all(repo, "Strip URL fragments", day=9)
    found = mcp.call("find_symbol", name="strip_fragment").structured_content
    assert found["locations"][0]["path"] == "minihttp/utils.py"
    assert mcp.call("status").structured_content["fresh"]
    (repo / "scratch.py").write_text("x = 1\n")
    status = mcp.call("status").structured_content
    assert status["dirty_count"] == 1
    assert status["dirty_files"] == ["scratch.py"]
    assert "1 uncommitted files: scratch.py" in mcp.text("status")


def test_no_store_connection_is_held_between_calls(mcp: Session, repo: Path) -> None:
    mcp.call("search_code", query="cookie jar")
    with open_store(repo, wait=0.0) as store:  # read-write: fails at once if anyone holds the file
        assert store.meta("indexed_head")


def test_calls_go_on_from_the_copy_while_another_process_writes(mcp: Session, repo: Path) -> None:
    mcp.call("find_symbol", name="Session.send")
    with another_writer(repo):
        for tool, args in (
            ("find_symbol", {"name": "Session.send"}),
            ("search_code", {"query": "cookie jar"}),
            ("outline", {"path": "minihttp/sessions.py"}),
            ("status", {}),
        ):
            result = mcp.call(tool, **args)
            assert not result.is_error, result.content[0].text
