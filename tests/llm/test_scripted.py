from __future__ import annotations

from typing import Any

import pytest

from swe_agent.errors import ModelError
from swe_agent.llm import Reply, ScriptedModel, ToolCall, Usage, text_reply, tool_reply

ASK = [{"role": "user", "content": "hi"}]
TOOLS = [{"name": "answer", "description": "Answer.", "input_schema": {"type": "object"}}]


def test_replays_in_order_and_records_each_request() -> None:
    model = ScriptedModel(
        [tool_reply("answer", {"x": 1}, id="toolu_a", text="so"), text_reply("bye")]
    )
    messages: list[dict[str, Any]] = list(ASK)
    first = model.complete(["stable", "volatile"], messages, TOOLS, max_tokens=100)
    messages.append({"role": "assistant", "content": first.content})
    second = model.complete(["stable"], messages, TOOLS)

    assert first.tool_calls == [ToolCall("toolu_a", "answer", {"x": 1})]
    assert first.text == "so"
    assert second.text == "bye"
    assert second.tool_calls == []
    assert [len(r["messages"]) for r in model.requests] == [1, 2], (
        "requests are copies, not the live list"
    )
    assert model.requests[0] == {
        "system": ["stable", "volatile"],
        "messages": ASK,
        "tools": TOOLS,
        "max_tokens": 100,
    }
    with pytest.raises(ModelError, match="no reply left"):
        model.complete(["stable"], messages, TOOLS)


def test_a_step_can_compute_its_reply_from_the_request() -> None:
    def echo(request: dict[str, Any]) -> Reply:
        return text_reply(
            f"{len(request['tools'])} tools, asked {request['messages'][-1]['content']!r}"
        )

    model = ScriptedModel([echo], name="echo")
    assert model.complete(["s"], ASK, TOOLS).text == "1 tools, asked 'hi'"
    assert model.name == "echo"


def test_reply_helpers_and_usage_arithmetic() -> None:
    reply = tool_reply("search", {"q": "x"})
    [call] = reply.tool_calls
    assert call.id.startswith("toolu_")
    assert reply.stop_reason == "tool_use"
    assert reply.text == ""
    assert text_reply("a", Usage(1, 2)).usage.total == 3
    assert Usage(1, 2, 3, 4) + Usage(10, 20, 30, 40) == Usage(11, 22, 33, 44)
    assert Usage(1, 2, 3, 4).total == 10
