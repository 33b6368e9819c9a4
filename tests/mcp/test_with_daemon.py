"""With the daemon running, every call goes through it: calls keep answering while it
re-indexes commits, and the server never opens the store itself."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import commit_all
from tests.mcp.client import mcp_session
from tests.watch.test_daemon import running_daemon, wait_for


def test_calls_keep_working_while_the_daemon_reindexes(sample_repo: Path) -> None:
    with running_daemon(sample_repo) as repo, mcp_session(repo) as mcp:
        status = mcp.call("status").structured_content
        assert status["served_by"] == "daemon"
        assert status["daemon_pid"]
        errors = []
        cookies = repo / "minihttp" / "cookies.py"
        for round_ in range(4):
            cookies.write_text(
                cookies.read_text() + f"\n\ndef helper_{round_}():\n    return {round_}\n"
            )
            commit_all(repo, f"round {round_}", day=10 + round_)
            for tool, args in (
                ("search_code", {"query": "cookie jar"}),
                ("find_symbol", {"name": "merge_cookies"}),
                ("outline", {"path": "minihttp/cookies.py"}),
                ("status", {}),
            ):
                result = mcp.call(tool, **args)
                if result.is_error:
                    errors.append((tool, result.content[0].text))
        assert errors == []
        wait_for(lambda: not mcp.call("find_symbol", name="helper_3").is_error)
        wait_for(  # the daemon's search index was loaded again after the commit
            lambda: (
                "helper_3"
                in [
                    loc["symbol"]
                    for loc in mcp.call("search_code", query="helper_3").structured_content[
                        "locations"
                    ]
                ]
            )
        )
        located = mcp.call("locate", question="where are cookies merged?").structured_content
        # the ranking may shift while sleep-time work rewrites the notes of the changed file
        assert "merge_cookies" in [loc["symbol"] for loc in located["locations"]]
