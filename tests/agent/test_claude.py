"""One task end to end with Claude: the CLI, the real anthropic SDK, and a fake Messages API."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.agent.patch import apply_patch
from swe_agent.cli import app
from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from tests.fakeapi import FakeAnthropic, tool_message
from tests.helpers import git

PATCH = (
    "\n".join(
        [
            "--- a/minihttp/sessions.py",
            "+++ b/minihttp/sessions.py",
            "@@ -4,7 +4,7 @@",
            " from minihttp.cookies import CookieJar, merge_cookies",
            " from minihttp.utils import parse_url, requote_uri",
            " ",
            "-DEFAULT_REDIRECT_LIMIT = 30",
            "+DEFAULT_REDIRECT_LIMIT = 20",
            " ",
            " ",
            " class TooManyRedirects(Exception):",
        ]
    )
    + "\n"
)
ISSUE = "## Too many redirects are followed\n\nThe redirect limit should be 20, as browsers do.\n"
LOCATION = {
    "path": "minihttp/sessions.py",
    "symbol": "Session.resolve_redirects",
    "start_line": 47,
    "end_line": 61,
    "why": "enforces max_redirects",
}


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", fake.key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        yield fake


def test_a_task_with_claude_end_to_end(api: FakeAnthropic, sample_repo: Path) -> None:
    api.add(
        tool_message(
            "search_code",
            {"query": "redirect limit"},
        ),
        tool_message(
            "lookup_symbol",
            {"name": "DEFAULT_REDIRECT_LIMIT"},
        ),
        tool_message(
            "open_page",
            {"path": "minihttp/sessions.py", "line": 1, "lines": 12},
        ),
        tool_message(
            "answer",
            {
                "explanation": "The limit is DEFAULT_REDIRECT_LIMIT.",
                "locations": [LOCATION],
                "patch": PATCH,
            },
        ),
    )
    issue = sample_repo / "issue.md"
    issue.write_text(ISSUE)
    done = CliRunner().invoke(
        app, ["task", str(issue), "-C", str(sample_repo), "--json", "--apply"]
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["mode"] == "claude"
    assert result["patch"] == PATCH
    assert result["locations"] == [LOCATION]
    spent = api.usage()
    assert result["usage"]["test_time_input_tokens"] == (
        spent["input_tokens"]
        + spent["cache_creation_input_tokens"]
        + spent["cache_read_input_tokens"]
    )
    # tools and the stable system prompt are one cacheable prefix: written once, then read
    first, *later = [r["answer"]["usage"] for r in api.requests]
    assert first["cache_creation_input_tokens"] > 1024
    assert first["cache_read_input_tokens"] == 0
    assert all(u["cache_read_input_tokens"] == first["cache_creation_input_tokens"] for u in later)
    assert result["usage"]["test_time_output_tokens"] == spent["output_tokens"]
    assert result["usage"]["tool_calls"] == 4
    assert "DEFAULT_REDIRECT_LIMIT = 20" in (sample_repo / "minihttp/sessions.py").read_text()
    assert "applied the patch to minihttp/sessions.py" in done.stderr

    bodies = api.messages
    assert len(bodies) == 4
    assert [t["name"] for t in bodies[0]["tools"]][-1] == "answer"
    assert len(bodies[0]["tools"]) == 10
    assert bodies[0]["system"][0]["cache_control"]
    assert bodies[0]["system"][0]["text"] == bodies[3]["system"][0]["text"]
    assert "Too many redirects" in json.dumps(bodies[0]["messages"])
    result_block = bodies[1]["messages"][-1]["content"][0]
    assert result_block["type"] == "tool_result"
    assert result_block["content"].startswith("[step 1 of 12 · ")
    assert "DEFAULT_REDIRECT_LIMIT" in json.dumps(bodies[2]["messages"][-1])
    with open_store(sample_repo) as store:
        calls = store.query("SELECT purpose, session_id FROM model_calls")
    assert calls == [("foreground", result["session"])] * 4


def test_apply_refuses_dirty_files_and_patches_that_do_not_apply(sample_repo: Path) -> None:
    target = sample_repo / "minihttp/sessions.py"
    target.write_text(target.read_text() + "# local edit\n")
    with pytest.raises(SweAgentError, match="uncommitted changes: minihttp/sessions.py"):
        apply_patch(GitRepo(sample_repo), PATCH)
    assert apply_patch(GitRepo(sample_repo), PATCH, force=True) == ["minihttp/sessions.py"]
    git(sample_repo, "checkout", "--", "minihttp/sessions.py")
    broken = PATCH.replace("= 30", "= 31")
    with pytest.raises(SweAgentError, match="does not apply cleanly"):
        apply_patch(GitRepo(sample_repo), broken)
    assert "DEFAULT_REDIRECT_LIMIT = 30" in target.read_text()
