import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.cli import app

SWE_AGENT = Path(sys.executable).parent / "swe-agent"
KEYS = {"question", "mode", "answer", "locations", "patch", "confidence", "usage", "session"}


@pytest.fixture(autouse=True)
def no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def test_ask_as_the_first_command_builds_the_index_and_answers(sample_repo: Path) -> None:
    done = invoke(
        "ask",
        "Where is the Authorization header dropped on a cross-host redirect?",
        "-C",
        str(sample_repo),
        "--json",
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert set(result) == KEYS
    assert result["mode"] == "offline"
    assert 0.0 < result["confidence"] <= 1.0
    assert result["locations"][0]["symbol"] == "Session.rebuild_auth"
    assert set(result["locations"][0]) == {"path", "symbol", "start_line", "end_line", "why"}
    assert "no index yet" in done.stderr

    text = invoke(
        "ask", "where is retry backoff computed?", "-C", str(sample_repo), "--stats"
    ).stdout
    assert "answered offline" in text
    assert "minihttp/adapters.py:" in text
    assert "Token ledger" in text
    assert "Sleep-time tokens" in text

    again = json.loads(
        invoke("ask", "and the retry limit?", "--continue", "-C", str(sample_repo), "--json").stdout
    )
    listed = json.loads(invoke("sessions", "-C", str(sample_repo), "--json").stdout)
    assert listed[0]["id"] == again["session"]
    assert listed[0]["turns"] == 2
    assert len(listed) == 2
    assert again["session"] in invoke("sessions", "-C", str(sample_repo)).stdout


def test_task_from_stdin_and_budget_flags(sample_repo: Path) -> None:
    issue = "## Bug\n\nExpired cookies are stored by `merge_cookies` instead of being removed.\n"
    done = invoke(
        "task",
        "-",
        "-C",
        str(sample_repo),
        "--json",
        "--steps",
        "6",
        "--budget",
        "8000",
        stdin=issue,
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["locations"][0]["symbol"] == "merge_cookies"
    assert result["patch"] is None
    assert result["usage"]["tool_calls"] <= 6


def run(
    *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in __import__("os").environ.items() if k != "ANTHROPIC_API_KEY"}
    return subprocess.run(
        [str(SWE_AGENT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env=env,
    )


def test_real_process_ask_and_one_line_errors(sample_repo: Path, tmp_path: Path) -> None:
    done = run("ask", "Where are URLs quoted?", "--json", cwd=sample_repo)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["locations"][0]["path"] == "minihttp/utils.py"
    cases = [
        (("ask", "  "), "the question is empty"),
        (("task", str(tmp_path / "missing.md")), "no such task file"),
        (("task", "-", "--apply"), "no patch to apply"),
        (("ask", "x", "--budget", "10"), "too small"),
    ]
    for args, message in cases:
        failed = run(*args, cwd=sample_repo, stdin="Fix the redirect limit in resolve_redirects.")
        assert failed.returncode != 0, args
        assert message in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr, failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr


def test_session_follows_up_the_session_named_not_the_last(sample_repo: Path) -> None:
    ask = ("ask", "-C", str(sample_repo), "--json")
    first = json.loads(invoke(*ask, "where are redirects followed?").stdout)["session"]
    second = json.loads(invoke(*ask, "where is retry backoff computed?").stdout)["session"]
    assert first != second
    again = json.loads(invoke(*ask, "and the redirect limit?", "--session", first).stdout)
    assert again["session"] == first
    turns = {s["id"]: s["turns"] for s in json.loads(invoke("sessions", *ask[1:]).stdout)}
    assert turns == {first: 2, second: 1}


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (("--session", "nosuch"), "no session nosuch in this repository"),
        (("--session", "x", "--continue"), "--session and --continue both name a session"),
        (("--model", " "), "--model is empty"),
    ],
)
def test_a_wrong_session_or_model_flag_is_one_line_and_stores_nothing(
    sample_repo: Path, flags: tuple[str, ...], said: str
) -> None:
    invoke("index", "-C", str(sample_repo))
    done = subprocess.run(
        [SWE_AGENT, "ask", "where are redirects followed?", *flags, "-C", str(sample_repo)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"},
    )
    assert done.returncode == 1
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert json.loads(invoke("sessions", "-C", str(sample_repo), "--json").stdout) == []


def test_offline_reasons_are_in_words(sample_repo: Path) -> None:
    done = invoke("ask", "where is retry backoff computed?", "-C", str(sample_repo), "--json")
    whys = [loc["why"] for loc in json.loads(done.stdout)["locations"]]
    assert whys
    assert not [why for why in whys if "BM25" in why or "rank" in why]
    assert any("matches the question's words (the best match)" in why for why in whys), whys
