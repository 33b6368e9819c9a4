"""The MCP server as another agent meets it: one real `swe-agent mcp` subprocess for this module,
over a sample repository that is indexed and has offline sleep-time notes, driven by the SDK's
own client over stdio."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.cli import app
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep import run_sleep
from swe_agent.store.db import open_store
from tests.helpers import commit_all, make_sample_repo
from tests.mcp.client import Session, mcp_session

TOOLS = {"search_code", "search_notes", "find_symbol", "references", "outline", "read", "history",
         "locate", "status"}  # fmt: skip
FOOTER = re.compile(r"^\[page (\d+) of (\d+) · [\d,]+ of 1,500 tokens(?: · next: (.*))?\]$")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_sample_repo(tmp_path_factory.mktemp("mcp") / "sample")
    (root / "minihttp" / "wide.py").write_text(
        "".join(f"WIDE_{n} = '{'x' * 180}'\n" for n in range(120))
    )
    (root / ".env").write_text("API_KEY=secret\n")
    commit_all(root, "Add a module of long lines", day=5)
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store, workers=1)
        run_sleep(GitRepo(root), store, budget=1_000_000, level=2)
    return root


@pytest.fixture(scope="module")
def mcp(repo: Path) -> Iterator[Session]:
    with mcp_session(repo) as session:
        yield session


def footer(text: str) -> re.Match[str]:
    match = FOOTER.match(text.splitlines()[-1])
    assert match, text
    return match


def test_the_tools_are_listed_for_a_model(mcp: Session) -> None:
    tools = {t.name: t for t in mcp.tools()}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description) > 150
        assert tool.annotations.read_only_hint
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema
    assert tools["search_code"].input_schema["required"] == ["query"]
    assert "next call" in tools["search_code"].description


def test_search_code_pages_with_the_next_call(mcp: Session) -> None:
    first = mcp.call("search_code", query="redirect authorization header host", k=2)
    assert not first.is_error
    data = first.structured_content
    assert data["page"] == 1
    assert data["pages"] > 1
    assert len(data["entries"]) == 2
    assert data["locations"][0]["path"] == "minihttp/sessions.py"
    text = first.content[0].text
    assert text.splitlines()[1].startswith("1. minihttp/sessions.py:")
    assert (
        footer(text)[3]
        == data["next_call"]
        == ('search_code(query="redirect authorization header host", k=2, scope="all", page=2)')
    )
    second = mcp.call("search_code", query="redirect authorization header host", k=2, page=2)
    assert second.structured_content["page"] == 2
    assert second.structured_content["entries"][0].startswith("3. ")


def test_symbols_outline_and_history(mcp: Session) -> None:
    found = mcp.call("find_symbol", name="Session.rebuild_auth").structured_content
    assert found["entries"][0].startswith("def minihttp/sessions.py:63-70 Session.rebuild_auth")
    assert found["locations"][0] == {
        "path": "minihttp/sessions.py", "start_line": 63, "end_line": 70, "symbol": "Session.rebuild_auth",
    }  # fmt: skip
    callers = mcp.text("references", name="Session.rebuild_auth")
    assert "caller minihttp/sessions.py:" in callers
    assert "Session.resolve_redirects" in callers
    outline = mcp.call("outline", path="minihttp/sessions.py").structured_content
    assert outline["header"].startswith("outline minihttp/sessions.py (python, 75 lines")
    assert {"path": "minihttp/sessions.py", "start_line": 63, "end_line": 70,
            "symbol": "Session.rebuild_auth"} in outline["locations"]  # fmt: skip
    history = mcp.text("history", symbol="HTTPAdapter.backoff_time")
    assert "Add HTTPAdapter with retry" in history
    assert "Initial import" not in history
    assert "Strip the Authorization header" in mcp.text("history", path="minihttp/sessions.py")


def test_read_cuts_a_window_to_the_page_budget_and_reads_on(mcp: Session) -> None:
    first = mcp.call("read", path="minihttp/wide.py", lines=120).structured_content
    shown = len(first["entries"])
    assert 5 < shown < 120
    assert first["tokens"] <= 1500
    assert first["next_call"] == f'read(path="minihttp/wide.py", line={shown + 1}, lines=120)'
    after = mcp.call("read", path="minihttp/wide.py", line=shown + 1, lines=5).structured_content
    assert after["entries"][0].lstrip().startswith(f"{shown + 1}| WIDE_{shown} =")
    window = mcp.text("read", path="minihttp/sessions.py", line=63, lines=5)
    assert window.startswith(
        "read minihttp/sessions.py lines 63-67 of 75 (in Session.rebuild_auth)"
    )


def test_notes_are_current_and_say_so(mcp: Session) -> None:
    result = mcp.call("search_notes", query="redirect authorization", k=3)
    data = result.structured_content
    assert data["entries"]
    assert all(e.startswith("[") for e in data["entries"])  # [kind] place
    assert "every note shown is current" in data["header"]
    assert any(loc["path"] == "minihttp/sessions.py" for loc in data["locations"])


def test_locate_ranks_locations_with_their_evidence(mcp: Session) -> None:
    result = mcp.call(
        "locate", question="Where is the Authorization header dropped on a cross-host redirect?"
    )
    data = result.structured_content
    assert data["mode"] == "offline"
    assert data["tool_calls"] > 0
    assert data["locations"][0]["symbol"] == "Session.rebuild_auth"
    assert data["locations"][0]["why"]
    assert (
        result.content[0]
        .text.splitlines()[1]
        .startswith("1. minihttp/sessions.py:63-70 Session.rebuild_auth")
    )


def test_locate_says_how_sure_it_is_as_ask_does(
    mcp: Session, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "Where is the Authorization header dropped on a cross-host redirect?"
    result = mcp.call("locate", question=question)
    sure = result.structured_content["confidence"]
    assert 0.0 < sure <= 1.0
    header = result.content[0].text.splitlines()[0]
    assert header.endswith(f" notes read · confidence {sure:.2f})"), header

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    copy = tmp_path / "sample"  # ask writes a session: not into the store the server reads
    shutil.copytree(repo, copy)
    asked = CliRunner().invoke(app, ["ask", question, "-C", str(copy), "--json"])
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.stdout)["confidence"] == sure
    footer = CliRunner().invoke(app, ["ask", question, "-C", str(copy)]).stdout.splitlines()[-1]
    assert footer.endswith(f" · confidence {sure:.2f}]"), footer


def test_status_and_the_overview_resource(mcp: Session, repo: Path) -> None:
    status = mcp.call("status").structured_content
    assert status["fresh"]
    assert status["served_by"] == "mcp server, from a copy of the store in memory"
    assert status["counts"]["files"] >= 10
    assert status["notes"]["current"] > 0
    assert mcp.text("status").startswith("fresh: the index is at HEAD")
    assert "minihttp" in mcp.resource("swe-agent://overview")


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("read", {"path": "minihttp/nowhere.py"}, "find paths with search_code or find_symbol"),
        ("read", {"path": "../sample/minihttp/sessions.py"}, "leads outside the repository"),
        ("outline", {"path": "../../etc/passwd"}, "leads outside the repository"),
        ("history", {"path": "minihttp/../../x.py"}, "leads outside the repository"),
        ("outline", {"path": "/etc/passwd"}, "absolute paths are not allowed"),
        ("read", {"path": ".env"}, "looks like a secret"),
        ("outline", {"path": ".env"}, "looks like a secret"),
        ("history", {"path": ".env"}, "looks like a secret"),
        ("find_symbol", {"name": "NoSuchThingAnywhere"}, "no symbol named 'NoSuchThingAnywhere'"),
        ("references", {"name": "NoSuchThingAnywhere"}, "no symbol named 'NoSuchThingAnywhere'"),
        ("history", {"symbol": "NoSuchThingAnywhere"}, "no definition named"),
        ("search_code", {"query": "   "}, "query is empty"),
        ("search_code", {"query": "retry", "k": 0}, "k"),
        ("read", {"path": "minihttp/sessions.py", "lines": 500}, "lines"),
    ],
)
def test_bad_arguments_are_tool_errors_and_the_server_lives_on(
    mcp: Session, tool: str, args: dict, message: str
) -> None:
    result = mcp.call(tool, **args)
    assert result.is_error
    assert message in result.content[0].text
    assert "retry" in mcp.text("search_code", query="retry backoff", k=1)
