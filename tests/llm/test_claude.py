"""ClaudeModel through the real anthropic SDK against a fake Messages API on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from swe_agent.config import Settings
from swe_agent.errors import ModelError
from swe_agent.llm import ClaudeModel, open_model
from swe_agent.store.calls import StoreRecorder, usage_totals
from swe_agent.store.db import Store, open_store
from tests.fakeapi import MODEL, FakeAnthropic, error, text_message, tool_message

TOOLS = [
    {"name": "search_code", "description": "Search code.", "input_schema": {"type": "object"}},
    {"name": "answer", "description": "Answer.", "input_schema": {"type": "object"}},
]
ASK = [{"role": "user", "content": "Where are redirects followed?"}]
LONG = "Answer from the code, cite path:line, and keep the answer short. " * 80  # ~1,300 tokens


@pytest.fixture
def api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path, create=True) as s:
        yield s


def claude(api: FakeAnthropic, **options: Any) -> ClaudeModel:
    settings: dict[str, Any] = {
        "api_key": api.key,
        "base_url": api.url,
        "timeout": 5.0,
        "deadline": 10.0,
        "max_retries": 3,
        "max_retry_after": 0.2,
        **options,
    }
    return ClaudeModel(MODEL, "foreground", **settings)


def test_importing_the_package_does_not_import_anthropic() -> None:
    code = "import swe_agent.llm, sys; assert 'anthropic' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tool_use_round_trip(api: FakeAnthropic) -> None:
    args = {"query": "redirect", "paths": ["a.py", "b/c.py"], "limit": 3, "filters": {"kind": None}}
    api.add(
        tool_message("search_code", args, id="toolu_1", text="Let me look."), text_message("done")
    )
    model = claude(api)

    reply = model.complete(["stable"], ASK, TOOLS)
    assert reply.text == "Let me look."
    assert reply.stop_reason == "tool_use"
    assert reply.model == MODEL
    [call] = reply.tool_calls
    assert (call.id, call.name, call.input) == ("toolu_1", "search_code", args)

    result = {"type": "tool_result", "tool_use_id": call.id, "content": "sessions.py:63"}
    history = [
        *ASK,
        {"role": "assistant", "content": reply.content},
        {"role": "user", "content": [result]},
    ]
    assert model.complete(["stable"], history, TOOLS).text == "done"
    sent = api.messages[1]["messages"]
    assert sent[1]["content"] == [
        {"type": "text", "text": "Let me look."},
        {"type": "tool_use", "id": "toolu_1", "name": "search_code", "input": args},
    ]


def test_usage_counts_what_the_api_reports(api: FakeAnthropic) -> None:
    api.add(text_message("a"), text_message("b"))
    model = claude(api)
    first = model.complete([LONG], ASK, TOOLS).usage
    second = model.complete([LONG], ASK, TOOLS).usage
    assert first.cache_creation_input_tokens > 1024
    assert first.cache_read_input_tokens == 0
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert second.cache_creation_input_tokens == 0
    spent = api.usage()
    assert (first + second).total == sum(spent.values())


def test_a_prefix_below_the_minimum_is_not_cached(api: FakeAnthropic) -> None:
    api.add(text_message("a"), text_message("b"))
    model = claude(api)
    for _ in range(2):
        usage = model.complete(["a short stable prefix"], ASK, TOOLS).usage
        assert usage.cache_creation_input_tokens == usage.cache_read_input_tokens == 0


def test_cache_breakpoints_on_the_stable_prefix_and_the_last_tool(api: FakeAnthropic) -> None:
    api.add(text_message("ok"))
    claude(api).complete(["stable prefix", "volatile: step 3 of 12"], ASK, TOOLS, max_tokens=300)
    [body] = api.messages
    assert body["system"] == [
        {"type": "text", "text": "stable prefix", "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": "volatile: step 3 of 12"},
    ]
    assert "cache_control" not in body["tools"][0]
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in TOOLS[-1], "the caller's tool definitions are not changed"
    assert body["max_tokens"] == 300
    assert body["model"] == MODEL


def test_429_is_retried_and_the_call_recorded_once(api: FakeAnthropic, store: Store) -> None:
    api.add(error(429, retry_after="0"), text_message("ok"))
    model = claude(api, recorder=StoreRecorder(store), session_id="s1")
    assert model.complete(["stable"], ASK, TOOLS).text == "ok"
    assert len(api.requests) == 2
    [row] = store.rows("SELECT * FROM model_calls")
    assert row["error"] is None
    assert row["purpose"] == "foreground"
    assert row["session_id"] == "s1"
    assert json.loads(row["request_json"])["messages"] == ASK
    assert json.loads(row["response_json"])["content"] == [{"type": "text", "text": "ok"}]
    totals = usage_totals(store, purpose="foreground", session_id="s1")
    assert totals["calls"] == 1
    assert totals["errors"] == 0
    spent = api.usage()
    assert (totals["input_tokens"], totals["output_tokens"]) == (
        spent["input_tokens"],
        spent["output_tokens"],
    )
    assert usage_totals(store, purpose="sleep")["calls"] == 0


def test_529_until_the_deadline_gives_up_before_it(api: FakeAnthropic, store: Store) -> None:
    api.add(*[error(529)] * 10)
    model = claude(api, deadline=2.0, max_retries=10, recorder=StoreRecorder(store))
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        model.complete(["stable"], ASK, TOOLS)
    assert time.monotonic() - started < 2.0
    assert len(api.requests) == 3, "waits of 0.5 s and 1 s, then 2 s would cross the deadline"
    message = str(caught.value)
    assert "529 overloaded" in message
    assert "raise call_deadline" in message
    assert "\n" not in message
    [row] = store.rows("SELECT error, response_json FROM model_calls")
    assert "529 overloaded" in row["error"]
    assert json.loads(row["response_json"])["error"]["type"] == "overloaded_error"


def test_a_request_timeout_is_retried_then_reported(api: FakeAnthropic) -> None:
    api.add({**text_message("late"), "delay": 5}, {**text_message("late"), "delay": 5})
    model = claude(api, timeout=0.2, max_retries=1)
    started = time.monotonic()
    with pytest.raises(ModelError, match=r"did not answer within 0.2 s \(2 attempts") as caught:
        model.complete(["stable"], ASK, TOOLS)
    assert time.monotonic() - started < 2.0
    assert len(api.requests) == 2
    assert "request_timeout" in caught.value.hint


def gaps(api: FakeAnthropic) -> list[float]:
    times = [r["at"] for r in api.requests]
    return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]


def test_retry_after_ms_comes_before_retry_after(api: FakeAnthropic) -> None:
    api.add(error(429, headers={"retry-after-ms": "600", "retry-after": "0"}), text_message("ok"))
    assert claude(api, max_retry_after=5.0).complete(["stable"], ASK, TOOLS).text == "ok"
    [gap] = gaps(api)
    assert 0.6 <= gap < 2.0


def test_a_retry_after_longer_than_allowed_is_not_cut_short(api: FakeAnthropic) -> None:
    api.add(error(529, retry_after="3600"), text_message("never sent"))
    started = time.monotonic()
    with pytest.raises(ModelError, match="asked to wait 3600 s") as caught:
        claude(api, max_retry_after=0.2).complete(["stable"], ASK, TOOLS)
    assert time.monotonic() - started < 1.0
    assert len(api.requests) == 1
    assert "max_retry_after" in caught.value.hint


@pytest.mark.parametrize("status", [408, 409, 500, 503, 529])
def test_the_statuses_the_sdk_retries_are_retried(api: FakeAnthropic, status: int) -> None:
    api.add(error(status, retry_after="0"), text_message("ok"))
    assert claude(api).complete(["stable"], ASK, TOOLS).text == "ok"
    assert len(api.requests) == 2


def test_x_should_retry_decides_first(api: FakeAnthropic) -> None:
    api.add(error(400, headers={"x-should-retry": "true"}), text_message("ok"))
    assert claude(api).complete(["stable"], ASK, TOOLS).text == "ok"
    api.add(error(529, headers={"x-should-retry": "false"}), text_message("never sent"))
    with pytest.raises(ModelError, match="529"):
        claude(api).complete(["stable"], ASK, TOOLS)
    assert len(api.requests) == 3


@pytest.mark.parametrize(
    ("code", "limit"),
    [
        ("enforced_spend_limit_reached", "the monthly usage limit of its API tier"),
        ("contract_spend_limit_reached", "the spend limit of its contract"),
    ],
)
def test_a_spend_limit_is_never_retried_and_named(
    api: FakeAnthropic, store: Store, code: str, limit: str
) -> None:
    api.add(error(429, "limit", retry_after="1", code=code), text_message("never sent"))
    with pytest.raises(ModelError) as caught:
        claude(api, recorder=StoreRecorder(store)).complete(["stable"], ASK, TOOLS)
    message = str(caught.value)
    assert len(api.requests) == 1
    assert limit in message
    assert code in message
    assert "try again later" not in message + caught.value.hint
    assert "\n" not in message
    [row] = store.rows("SELECT error FROM model_calls")
    assert code in row["error"]


def test_a_payment_error_is_not_retried(api: FakeAnthropic) -> None:
    api.add(error(402, "credit balance too low"), text_message("never sent"))
    with pytest.raises(ModelError, match="cannot pay") as caught:
        claude(api).complete(["stable"], ASK, TOOLS)
    assert len(api.requests) == 1
    assert "billing" in caught.value.hint


def test_retry_after_as_an_http_date() -> None:
    from email.utils import formatdate

    from swe_agent.llm.retries import retry_after

    asked = retry_after({"retry-after": formatdate(time.time() + 30, usegmt=True)})
    assert asked is not None
    assert 28 <= asked <= 31
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_a_ramp_limit_is_retried_after_its_wait(api: FakeAnthropic) -> None:
    api.add(error(429, code="ramp_limit_exceeded", retry_after="0.3"), text_message("ok"))
    assert claude(api, max_retry_after=1.0).complete(["stable"], ASK, TOOLS).text == "ok"
    assert gaps(api)[0] >= 0.3


@pytest.mark.parametrize(
    "response",
    [
        {"status": 200, "body": {"hello": "world"}},
        {"status": 200, "body": {"type": "message", "content": None}},
        {"status": 200, "raw": "<html>nginx</html>", "headers": {"content-type": "text/html"}},
    ],
)
def test_a_200_that_is_not_a_messages_reply_is_one_line_and_recorded(
    api: FakeAnthropic, store: Store, response: dict[str, Any]
) -> None:
    api.add(response)
    with pytest.raises(ModelError, match="not a Messages API reply") as caught:
        claude(api, recorder=StoreRecorder(store)).complete(["stable"], ASK, TOOLS)
    assert "\n" not in str(caught.value)
    assert "ANTHROPIC_BASE_URL" in caught.value.hint
    [row] = store.rows("SELECT error FROM model_calls")
    assert "not a Messages API reply" in row["error"]


def test_a_retry_after_beyond_the_deadline_fails_at_once(api: FakeAnthropic) -> None:
    api.add(error(429, retry_after="3600"))
    started = time.monotonic()
    with pytest.raises(ModelError, match="429 rate limited"):
        claude(api, max_retry_after=30.0, deadline=5.0).complete(["stable"], ASK, TOOLS)
    assert time.monotonic() - started < 1.0


def test_a_refused_key_is_not_retried(api: FakeAnthropic, store: Store) -> None:
    api.add(text_message("never sent"))
    model = claude(api, api_key="sk-ant-wrong-key", recorder=StoreRecorder(store))
    with pytest.raises(ModelError, match="ANTHROPIC_API_KEY was refused by http://127.0.0.1"):
        model.complete(["stable"], ASK, TOOLS)
    assert len(api.requests) == 1
    assert store.rows("SELECT count(*) AS n FROM model_calls WHERE error IS NOT NULL") == [{"n": 1}]


def test_an_unreachable_endpoint_says_so() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = ClaudeModel(
        MODEL,
        "sleep",
        api_key="k",
        base_url=f"http://127.0.0.1:{port}",
        timeout=1.0,
        deadline=5.0,
        max_retries=1,
        max_retry_after=1.0,
    )
    with pytest.raises(ModelError, match="could not be reached") as caught:
        model.complete(["stable"], ASK, [])
    assert "ANTHROPIC_BASE_URL" in caught.value.hint


def test_the_fake_accepts_the_key_in_either_header(api: FakeAnthropic) -> None:
    api.add(text_message("one"), text_message("two"))
    headers = [
        {"x-api-key": api.key},
        {"Authorization": f"Bearer {api.key}"},
        {"Authorization": "Bearer nope"},
        {"Authorization": api.key},
        {},
    ]
    statuses = []
    for extra in headers:
        con = http.client.HTTPConnection("127.0.0.1", int(api.url.rsplit(":", 1)[1]), timeout=5)
        body = {"model": MODEL, "max_tokens": 10, "messages": ASK}
        extra["anthropic-version"] = "2023-06-01"
        con.request("POST", "/v1/messages", body=json.dumps(body), headers=extra)
        statuses.append(con.getresponse().status)
        con.close()
    assert statuses == [200, 200, 401, 401, 401]


def test_the_sdk_sends_the_key_as_a_bearer_token(api: FakeAnthropic) -> None:
    api.add(text_message("ok"))
    claude(api).complete(["stable"], ASK, TOOLS)
    headers = {k.lower(): v for k, v in api.requests[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {api.key}"
    assert "x-api-key" not in headers


def test_the_key_is_never_recorded_or_logged(
    api: FakeAnthropic, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.add(
        error(429, retry_after="0"),
        text_message("ok"),
        error(400, f"the key {api.key} may not do that"),
    )
    model = claude(api, recorder=StoreRecorder(store))
    model.complete(["stable"], ASK, TOOLS)
    with pytest.raises(ModelError) as caught:
        model.complete(["stable"], ASK, TOOLS)
    assert api.key not in str(caught.value)
    assert "[key]" in str(caught.value)
    rows = store.query("SELECT * FROM model_calls")
    assert len(rows) == 2
    assert api.key not in json.dumps(rows, default=str)
    assert caplog.records
    assert api.key not in caplog.text


def test_open_model_reads_the_key_and_base_url_from_the_environment(store: Store) -> None:
    settings = Settings(sleep_model="cheap", foreground_model="strong")
    with (
        open_model("sleep", settings, {}) as none,
        open_model("sleep", settings, {"ANTHROPIC_API_KEY": ""}) as empty,
    ):
        assert none is None
        assert empty is None
    env = {"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    with open_model("foreground", settings, env, offline=True) as offline:
        assert offline is None
    with (
        open_model("sleep", settings, env) as sleep,
        open_model(
            "foreground", settings, env, recorder=StoreRecorder(store), session_id="s"
        ) as foreground,
    ):
        assert isinstance(sleep, ClaudeModel)
        assert isinstance(foreground, ClaudeModel)
        assert (sleep.name, sleep.purpose, sleep.base_url) == (
            "cheap",
            "sleep",
            "http://127.0.0.1:9",
        )
        assert (foreground.name, foreground.session_id) == ("strong", "s")
        assert foreground.deadline == settings.call_deadline
        assert foreground.timeout == settings.request_timeout
    assert sleep._client.is_closed()  # closed when the block ends
    with pytest.raises(ValueError), open_model("dream", settings, env):
        pass
