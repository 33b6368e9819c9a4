"""The Messages API's body both ways: the request we send (with its prompt-cache breakpoints)
and the `Reply` read from what comes back (refused, one line, when it is not a Messages reply)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from swe_agent.llm.base import Reply, Usage
from swe_agent.llm.failures import CallFailed, Scrub, one_line

CACHE = {"type": "ephemeral"}


def build_request(
    model: str,
    system: Sequence[str],
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    max_tokens: int,
) -> dict[str, Any]:
    """The Messages API body: cache breakpoints after the stable system prefix and the tools."""
    request: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": messages}
    blocks: list[dict[str, Any]] = []
    if system and system[0]:
        blocks.append({"type": "text", "text": system[0], "cache_control": CACHE})
    blocks += [{"type": "text", "text": part} for part in system[1:] if part]
    if blocks:
        request["system"] = blocks
    if tools:
        request["tools"] = [*tools[:-1], {**tools[-1], "cache_control": CACHE}]
    return request


def parse_reply(message: Any, base_url: str, scrub: Scrub) -> Reply:
    """The SDK's message as a `Reply`, its content blocks as the API sent them."""
    content = getattr(message, "content", None)
    u = getattr(message, "usage", None)
    if getattr(message, "type", None) != "message" or not isinstance(content, list) or u is None:
        body = (
            message.to_dict(mode="json")
            if hasattr(message, "to_dict")
            else {"raw": str(message)[:2000]}
        )
        raise CallFailed(
            f"{base_url} answered something that is not a Messages API reply "
            f"({scrub(one_line(json.dumps(body), 120))})",
            "check ANTHROPIC_BASE_URL",
            body,
        )
    # as the API sent them, so that they go back unchanged as the next assistant turn
    blocks = [{k: v for k, v in b.to_dict(mode="json").items() if v is not None} for b in content]
    usage = Usage(
        input_tokens=u.input_tokens or 0,
        output_tokens=u.output_tokens or 0,
        cache_creation_input_tokens=u.cache_creation_input_tokens or 0,
        cache_read_input_tokens=u.cache_read_input_tokens or 0,
    )
    details = getattr(message, "stop_details", None)  # absent from older SDKs
    stop_details = details.to_dict(mode="json") if details is not None else None
    return Reply(blocks, usage, message.stop_reason or "", message.model or "", stop_details)
