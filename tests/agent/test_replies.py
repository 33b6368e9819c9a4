"""Replies handled by their stop_reason, and sessions restored as they were sent: `ask` through the
CLI and the real SDK, every request held to the API's rules by the strict fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from swe_agent.cli import app
from swe_agent.store.db import open_store
from tests.fakeapi import FakeAnthropic, message, refusal_message, tool_message

LOCATION = {"path": "minihttp/sessions.py", "start_line": 47, "end_line": 61, "why": "redirects"}
FULL = {
    "explanation": "The redirect code is in Session.resolve_redirects.",
    "locations": [LOCATION],
}
EMPTY = message([], "end_turn")


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", fake.key)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        yield fake


def ask(repo: Path, question: str, *flags: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, ["ask", question, "-C", str(repo), "--json", *flags])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def answer(explanation: str = FULL["explanation"], **fields: Any) -> dict[str, Any]:
    return tool_message("answer", {**FULL, "explanation": explanation}, **fields)


def stored(repo: Path) -> list[dict[str, Any]]:
    with open_store(repo) as store:
        return store.rows(
            "SELECT seq, role, content_json, in_context FROM agent_messages ORDER BY seq"
        )


def text_after_results(body: dict[str, Any]) -> bool:
    for m in body["messages"]:
        kinds = [b["type"] for b in m["content"]] if isinstance(m["content"], list) else []
        if "tool_result" in kinds and kinds[-1] != "tool_result":
            return True
    return False


def test_an_empty_reply_is_not_stored_and_the_turn_is_nudged_once(
    api: FakeAnthropic, sample_repo: Path
) -> None:
    api.add(tool_message("search_code", {"query": "redirect"}), EMPTY, answer())
    result = ask(sample_repo, "Where are redirects followed?")
    assert result["answer"] == FULL["explanation"]
    assert api.refused == []
    before, nudged = api.messages[1], api.messages[2]
    assert nudged["messages"] == before["messages"], "the empty reply is not sent back"
    assert "reply was empty" in nudged["system"][-1]["text"]
    assert "reply was empty" not in before["system"][-1]["text"]
    assert all(json.loads(r["content_json"]) for r in stored(sample_repo))
    api.add(answer("Still there."))
    assert ask(sample_repo, "And the limit?", "--continue")["answer"] == "Still there."
    assert api.refused == []


def test_two_empty_replies_end_the_turn_cleanly(api: FakeAnthropic, sample_repo: Path) -> None:
    api.add(tool_message("search_code", {"query": "redirect"}), EMPTY, EMPTY)
    result = ask(sample_repo, "Where are redirects followed?")
    assert "empty reply" in result["answer"]
    assert "\n" not in result["answer"]
    assert result["locations"] == []
    assert len(api.messages) == 3
    api.add(answer("Found it."))
    assert ask(sample_repo, "Try again.", "--continue")["answer"] == "Found it."
    assert api.refused == []


def test_an_answer_cut_at_max_tokens_is_asked_again_with_more_room(
    api: FakeAnthropic, sample_repo: Path
) -> None:
    api.add(answer("The redirect code in", stop_reason="max_tokens"), answer())
    result = ask(sample_repo, "Where are redirects followed?")
    assert result["answer"] == FULL["explanation"]
    first, second = api.messages
    assert second["max_tokens"] == 2 * first["max_tokens"]
    assert second["messages"] == first["messages"], "the cut reply is not kept"


def test_a_reply_cut_every_time_is_never_taken_as_final(
    api: FakeAnthropic, sample_repo: Path
) -> None:
    api.add(*[answer("The redirect code in", stop_reason="max_tokens")] * 3)
    result = ask(sample_repo, "Where are redirects followed?")
    assert "The redirect code in" not in result["answer"]
    assert "max_tokens" in result["answer"]
    assert [b["max_tokens"] for b in api.messages] == [4096, 8192, 16384]


def test_a_refusal_is_reported_as_such(api: FakeAnthropic, sample_repo: Path) -> None:
    api.add(refusal_message("cyber", "This looks like exploit development."))
    result = ask(sample_repo, "Write an exploit for the redirect handling.")
    assert result["answer"].startswith("Claude declined to answer (refusal, cyber)")
    assert "exploit development" in result["answer"]
    assert "\n" not in result["answer"]
    api.add(answer("Fine."))
    assert ask(sample_repo, "Where are redirects followed?", "--continue")["answer"] == "Fine."
    assert api.refused == []


def test_guidance_never_follows_tool_results(api: FakeAnthropic, sample_repo: Path) -> None:
    files = ["minihttp/sessions.py", "minihttp/auth.py", "minihttp/adapters.py"]
    api.add(*[tool_message("open_page", {"path": f}) for f in files], answer())
    ask(sample_repo, "Where are redirects followed?", "--steps", "2", "--budget", "4000")
    bodies = api.messages
    assert not any(text_after_results(b) for b in bodies)
    assert "memory pressure" in json.dumps(bodies)
    assert "Call `answer` now" in json.dumps(bodies[-1])


def test_a_session_restored_after_compaction_is_what_was_sent(
    api: FakeAnthropic, sample_repo: Path
) -> None:
    files = ["sessions.py", "auth.py", "adapters.py", "utils.py", "cookies.py", "cli.py"]
    api.add(*[tool_message("open_page", {"path": f"minihttp/{f}"}) for f in files], answer())
    ask(sample_repo, "Where are redirects followed?", "--budget", "3000", "--steps", "30")
    last_sent = api.messages[-1]
    assert "[summary of" in json.dumps(last_sent["messages"][0])
    rows = [r for r in stored(sample_repo) if r["in_context"]]
    assert "[summary of" in rows[0]["content_json"], "the summary is not the newest message"
    api.add(answer("Again."))
    ask(sample_repo, "And the redirect limit?", "--continue", "--budget", "3000")
    resumed = api.messages[-1]
    sent_before = len(last_sent["messages"])
    assert api.refused == []
    assert resumed["messages"][:sent_before] == last_sent["messages"]
    answered, asked = resumed["messages"][sent_before:]  # turn 1's answer, then the new question
    assert answered["content"][0]["name"] == "answer"
    assert "redirect limit" in json.dumps(asked)
    recalled = int(resumed["system"][-1]["text"].split("<recall>")[1].split()[0])
    assert recalled > 0
    assert f"[summary of {recalled} earlier" in json.dumps(resumed["messages"][0])


def test_model_flag_names_the_model_that_answers(api: FakeAnthropic, sample_repo: Path) -> None:
    api.add(answer("Found it."))
    assert ask(sample_repo, "Where?", "--model", "claude-opus-5-5")["answer"] == "Found it."
    api.add(answer("Again."))
    assert ask(sample_repo, "Where?")["answer"] == "Again."
    assert [body["model"] for body in api.messages] == ["claude-opus-5-5", "claude-sonnet-5-5"]
