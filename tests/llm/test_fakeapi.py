"""The strict fake Messages API refuses what the real API refuses, counts the cache as it does,
and serves Message Batches, all through the real anthropic SDK."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from tests.fakeapi import MODEL, FakeAnthropic, batch_result, error, text_message, tool_message

TOOL = {"name": "search_code", "description": "Search.", "input_schema": {"type": "object"}}
USE = {"type": "tool_use", "id": "toolu_1", "name": "search_code", "input": {"query": "q"}}
RESULT = {"type": "tool_result", "tool_use_id": "toolu_1", "content": "hits"}
VALID = {
    "model": MODEL,
    "max_tokens": 1000,
    "tools": [TOOL],
    "messages": [
        {"role": "user", "content": "Where?"},
        {"role": "assistant", "content": [{"type": "text", "text": "Looking."}, USE]},
        {"role": "user", "content": [RESULT, {"type": "text", "text": "and the tests?"}]},
    ],
}


def changed(**fields: Any) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    body.update(fields)
    return body


def turns(*messages: dict[str, Any]) -> dict[str, Any]:
    return changed(messages=list(messages))


def user(*content: Any) -> dict[str, Any]:
    return {"role": "user", "content": list(content)}


def assistant(*content: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": list(content)}


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


CACHED = {"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}
REFUSED = {
    "empty content": (turns(user(text("a")), assistant(), user(text("b"))), "non-empty content"),
    "empty string": (turns({"role": "user", "content": ""}), "non-empty content"),
    "empty text block": (turns(user(text(""))), "text content blocks must be non-empty"),
    "whitespace text block": (
        turns(user(text("a")), assistant(text("  ")), user(text("b"))),
        "non-whitespace text",
    ),
    "assistant first": (
        turns(assistant(text("hi")), user(text("a"))),
        'first message must use the "user" role',
    ),
    "two user turns": (turns(user(text("a")), user(text("b"))), 'multiple "user" roles in a row'),
    "two assistant turns": (
        turns(user(text("a")), assistant(text("b")), assistant(text("c"))),
        'multiple "assistant" roles',
    ),
    "result without its use": (
        turns(user(text("a")), assistant(text("b")), user(RESULT)),
        "unexpected `tool_use_id`",
    ),
    "result after text": (
        turns(user(text("a")), assistant(USE), user(text("b"), RESULT)),
        "must come first",
    ),
    "use without result": (
        turns(user(text("a")), assistant(USE), user(text("b"))),
        "without `tool_result` blocks",
    ),
    "use last": (turns(user(text("a")), assistant(USE)), "without `tool_result` blocks"),
    "use in a user turn": (turns(user(USE)), "may not hold a 'tool_use' block"),
    "tools missing": (changed(tools=None) | {"tools": []}, "must define tools"),
    "five breakpoints": (changed(system=[CACHED] * 5), "A maximum of 4 blocks with cache_control"),
    "bad tool name": (
        changed(tools=[{**TOOL, "name": "search code"}]),
        "String should match pattern",
    ),
    "long tool name": (changed(tools=[{**TOOL, "name": "x" * 65}]), "String should match pattern"),
    "schema not an object": (
        changed(tools=[{**TOOL, "input_schema": {"type": "string"}}]),
        "Input should be 'object'",
    ),
    "duplicate tools": (changed(tools=[TOOL, TOOL]), "Tool names must be unique"),
    "unknown model": (changed(model="claude-test"), "model: claude-test"),
    "max_tokens over the limit": (
        changed(max_tokens=128_001),
        "maximum allowed number of output tokens",
    ),
    "unknown field": (changed(temperature_x=1), "Extra inputs are not permitted"),
    "trailing whitespace": (turns(user(text("a")), assistant(text("b "))), "trailing whitespace"),
}


@pytest.fixture
def api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as fake:
        yield fake


def client(api: FakeAnthropic, key: str | None = None) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=key or api.key, base_url=api.url, max_retries=0)


def test_a_valid_body_is_answered(api: FakeAnthropic) -> None:
    api.add(text_message("fine"))
    reply = client(api).messages.create(**VALID)
    assert reply.content[0].text == "fine"
    assert reply.model == MODEL
    assert reply.usage.input_tokens > 0


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_the_api_refuses_is_refused(api: FakeAnthropic, case: str) -> None:
    body, words = REFUSED[case]
    api.add(text_message("never sent"))
    with pytest.raises(anthropic.APIStatusError) as caught:  # posted as it is, unchecked by the SDK
        client(api).post("/v1/messages", body=body, cast_to=anthropic.types.Message)
    status = 404 if case == "unknown model" else 400
    assert caught.value.status_code == status
    assert words in caught.value.message
    assert caught.value.body["error"]["type"] == (
        "not_found_error" if status == 404 else "invalid_request_error"
    )
    assert api._script, "a refused request takes nothing from the script"


def test_a_final_assistant_turn_may_be_empty_or_prefilled(api: FakeAnthropic) -> None:
    api.add(text_message("one"), text_message("two"))
    for last in (assistant(), assistant(text("The answer is"))):
        client(api).messages.create(**turns(user(text("a")), last))
    assert api.refused == []


def test_a_wrong_key_gets_401_and_takes_nothing(api: FakeAnthropic) -> None:
    api.add(text_message("kept"))
    with pytest.raises(anthropic.AuthenticationError):
        client(api, key="sk-ant-wrong").messages.create(**VALID)
    assert client(api).messages.create(**VALID).content[0].text == "kept"


def test_the_cache_is_read_only_for_a_long_enough_prefix_written_before(api: FakeAnthropic) -> None:
    long_system = [
        {"type": "text", "text": "Rules. " * 700, "cache_control": {"type": "ephemeral"}}
    ]
    api.add(*[text_message("ok")] * 4)
    sdk = client(api)
    short = [
        sdk.messages.create(**changed(system=[{**CACHED, "text": "short"}])).usage for _ in range(2)
    ]
    assert all(u.cache_creation_input_tokens == u.cache_read_input_tokens == 0 for u in short)
    first, second = (sdk.messages.create(**changed(system=long_system)).usage for _ in range(2))
    assert first.cache_creation_input_tokens >= 1024
    assert first.cache_read_input_tokens == 0
    assert second.cache_read_input_tokens == first.cache_creation_input_tokens
    assert second.input_tokens == first.input_tokens  # the messages after the breakpoint


def test_haiku_needs_a_longer_prefix(api: FakeAnthropic) -> None:
    system = [{"type": "text", "text": "Rules. " * 700, "cache_control": {"type": "ephemeral"}}]
    api.add(text_message("ok"), text_message("ok"))
    sdk = client(api)
    sonnet = sdk.messages.create(**changed(system=system)).usage
    haiku = sdk.messages.create(**changed(system=system, model="claude-haiku-5-5")).usage
    assert 1024 <= sonnet.cache_creation_input_tokens < 2048
    assert haiku.cache_creation_input_tokens == 0


def test_error_scripts_and_an_empty_script(api: FakeAnthropic) -> None:
    api.add(error(429, code="ramp_limit_exceeded", headers={"retry-after-ms": "10"}))
    with pytest.raises(anthropic.RateLimitError) as caught:
        client(api).messages.create(**VALID)
    assert caught.value.body["error"]["details"] == {"error_code": "ramp_limit_exceeded"}
    assert caught.value.response.headers["retry-after-ms"] == "10"
    with pytest.raises(anthropic.InternalServerError, match="script is empty"):
        client(api).messages.create(**VALID)


def test_message_batches(api: FakeAnthropic) -> None:
    api.add(tool_message("search_code", {"query": "x"}), text_message("two"))
    sdk = client(api)
    requests = [
        {"custom_id": "a", "params": VALID},
        {"custom_id": "b", "params": changed(max_tokens=500_000)},
        {"custom_id": "c", "params": turns(user(text("c")))},
    ]
    batch = sdk.messages.batches.create(requests=requests)
    assert batch.processing_status == "in_progress"
    assert batch.request_counts.processing == 3
    done = sdk.messages.batches.retrieve(batch.id)
    assert done.processing_status == "ended"
    assert done.results_url
    assert (done.request_counts.succeeded, done.request_counts.errored) == (2, 1)
    results = {r.custom_id: r.result for r in sdk.messages.batches.results(batch.id)}
    assert results["a"].type == "succeeded"
    assert results["a"].message.stop_reason == "tool_use"
    assert results["c"].message.content[0].text == "two"
    assert results["b"].type == "errored"
    assert "maximum allowed number of output tokens" in results["b"].error.error.message
    with pytest.raises(anthropic.BadRequestError, match="custom_id values must be unique"):
        sdk.messages.batches.create(requests=[requests[0], requests[0]])
    with pytest.raises(anthropic.NotFoundError):
        sdk.messages.batches.retrieve("msgbatch_nope")


def test_the_fake_knows_the_models_the_sdk_names_and_ours() -> None:
    from typing import get_args

    from swe_agent.config import Settings
    from tests.fakerules import KNOWN, MODELS, refusal

    literal = get_args(anthropic.types.Model)[0]
    assert set(MODELS) == set(get_args(literal))
    ours = {Settings().sleep_model, Settings().foreground_model}
    assert ours <= set(MODELS) & set(KNOWN)  # our defaults: names the SDK knows, limits we know
    body = {**VALID, "model": "claude-nonesuch-1"}
    assert refusal(body) == (404, "not_found_error", "model: claude-nonesuch-1")


def test_batch_results_that_carry_no_message(api: FakeAnthropic) -> None:
    api.add(batch_result("expired"), batch_result("canceled"), text_message("done"))
    sdk = client(api)
    requests = [{"custom_id": c, "params": VALID} for c in ("a", "b", "c")]
    batch = sdk.messages.batches.create(requests=requests)
    ended = sdk.messages.batches.retrieve(batch.id)
    assert ended.request_counts.expired == ended.request_counts.canceled == 1
    kinds = {r.custom_id: r.result.type for r in sdk.messages.batches.results(batch.id)}
    assert kinds == {"a": "expired", "b": "canceled", "c": "succeeded"}
    api.add(batch_result("expired"))
    with pytest.raises(anthropic.InternalServerError, match="batch_result"):
        sdk.messages.create(**VALID)
