"""The seam between the agent and a model: `Model.complete`, its `Reply`, and call records.

Messages, tools and reply content are plain dicts in the Anthropic Messages API format, so a
reply's content can be sent back as the next assistant turn unchanged. `system[0]` is the
stable prefix that carries the prompt-cache breakpoint; later parts are volatile.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def total(self) -> int:
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_creation_input_tokens
            + self.cache_read_input_tokens
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_creation_input_tokens + other.cache_creation_input_tokens,
            self.cache_read_input_tokens + other.cache_read_input_tokens,
        )


@dataclass
class Reply:
    content: list[dict[str, Any]]
    usage: Usage = field(default_factory=Usage)
    stop_reason: str = "end_turn"
    model: str = ""
    stop_details: dict[str, Any] | None = None  # why it stopped, for a refusal

    @property
    def text(self) -> str:
        return "".join(b.get("text", "") for b in self.content if b.get("type") == "text")

    @property
    def tool_calls(self) -> list[ToolCall]:
        return [
            ToolCall(b["id"], b["name"], dict(b.get("input") or {}))
            for b in self.content
            if b.get("type") == "tool_use"
        ]


class Model(Protocol):
    name: str

    def complete(
        self,
        system: Sequence[str],
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        *,
        max_tokens: int = 2048,
    ) -> Reply: ...


@dataclass
class CallRecord:
    """One model call as it is logged: the request without key or headers, and its outcome."""

    id: str
    purpose: str
    model: str
    usage: Usage
    duration_ms: int
    request: dict[str, Any]
    response: dict[str, Any] | None = None
    error: str | None = None
    session_id: str | None = None
    batch_id: str | None = None  # a request of a Message Batch, at half price
    cost_usd: float | None = None  # None for a model of no known price


class CallRecorder(Protocol):
    def record(self, call: CallRecord) -> None: ...


def text_reply(text: str, usage: Usage | None = None) -> Reply:
    return Reply([{"type": "text", "text": text}], usage or Usage(), "end_turn", "scripted")


def tool_reply(name: str, input: dict[str, Any], id: str | None = None, text: str = "") -> Reply:
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content.append({"type": "tool_use", "id": id or new_tool_id(), "name": name, "input": input})
    return Reply(content, Usage(), "tool_use", "scripted")


def new_tool_id() -> str:
    return "toolu_" + uuid.uuid4().hex[:24]
