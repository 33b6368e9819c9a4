"""What the real Messages API refuses, and how it counts cached tokens: the rules of tests/fakeapi.py.

`refusal(body)` returns the (status, error type, message) the API answers a request body
with, or None when the body is valid. The messages follow the API's wording where it is
known; tests match on the rule, not on the whole sentence.

`Cache` keeps the prefixes written by earlier requests and returns a request's usage the way
the API does: the longest earlier-written prefix that this request repeats is read, every
breakpoint prefix at least the model's minimum cacheable length is written, the rest is plain
input. Tokens are estimated, not counted by a tokenizer: about four characters of a block's
JSON a token, as the API's count roughly is for English and code.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, get_args

from anthropic.types import Model
from anthropic.types.message_create_params import MessageCreateParamsBase
from anthropic.types.tool_param import ToolParam

# model id -> (max output tokens, context window, minimum cacheable prefix in tokens).
# Minimums: 1024 for Sonnet/Opus-class models, 2048 for Haiku-class. KNOWN gives the limits of
# the models whose limits are known here; every other id the installed SDK names gets LARGE's,
# so a release of the SDK that adds or retires a model changes what the fake accepts with it.
LARGE, MID, SMALL = (128_000, 1_000_000, 1024), (64_000, 200_000, 1024), (64_000, 200_000, 2048)
KNOWN: dict[str, tuple[int, int, int]] = {
    "claude-fable-5-2": LARGE, "claude-mythos-5-2": LARGE, "claude-sonnet-5-5": LARGE,
    "claude-haiku-5-5": (128_000, 1_000_000, 2048), "claude-fable-5-1": LARGE,
    "claude-opus-5-5": LARGE, "claude-mythos-5-1": LARGE, "claude-sonnet-5": LARGE,
    "claude-fable-5": LARGE, "claude-mythos-5": LARGE, "claude-opus-5": LARGE,
    "claude-opus-4-8": LARGE, "claude-opus-4-7": LARGE, "claude-mythos-preview": LARGE,
    "claude-opus-4-6": LARGE, "claude-sonnet-4-6": (64_000, 1_000_000, 1024),
    "claude-haiku-4-5": SMALL, "claude-haiku-4-5-20251001": SMALL, "claude-opus-4-5": MID,
    "claude-opus-4-5-20251101": MID, "claude-sonnet-4-5": MID, "claude-sonnet-4-5-20250929": MID,
}  # fmt: skip
MODELS = {m: KNOWN.get(m, LARGE) for m in get_args(get_args(Model)[0])}
HEADER_PARAMS = {"user_profile_id", "workspace_id"}  # sent as headers, not in the body
FIELDS = set(MessageCreateParamsBase.__annotations__) - HEADER_PARAMS | {"stream"}
TOOL_FIELDS = set(ToolParam.__annotations__)
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
USER_BLOCKS = {"text", "image", "document", "search_result", "tool_result"}
ASSISTANT_BLOCKS = {"text", "tool_use", "thinking", "redacted_thinking"}
MAX_BREAKPOINTS = 4
LOOKBACK = 20  # blocks before a breakpoint where the API looks for an earlier-written prefix

Refusal = tuple[int, str, str]


class Invalid(Exception):
    """A rule the body breaks; carries what the API answers."""

    def __init__(self, message: str, status: int = 400, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.answer: Refusal = (status, kind, message)


def scripted_refusal(request: dict[str, Any], model: str = "claude-sonnet-5-5") -> Refusal | None:
    """What the API would answer the body that ClaudeModel builds from a request a
    ScriptedModel recorded ({"system", "messages", "tools", "max_tokens"}); None when valid."""
    from swe_agent.llm.messages import build_request

    body = build_request(
        model, request["system"], request["messages"], request["tools"], request["max_tokens"]
    )
    return refusal(body)


def refusal(body: Any) -> Refusal | None:
    try:
        check(body)
    except Invalid as exc:
        return exc.answer
    return None


def check(body: Any) -> None:
    if not isinstance(body, dict):
        raise Invalid("There was an error parsing the body of your request: expected an object")
    for name in body:
        if name not in FIELDS:
            raise Invalid(f"{name}: Extra inputs are not permitted")
    _check_model(body)
    tools = _check_tools(body.get("tools"))
    _check_system(body.get("system"))
    _check_messages(body.get("messages"), tools)
    found = sum(1 for _, block in blocks_in_order(body) if "cache_control" in block)
    if found > MAX_BREAKPOINTS:
        raise Invalid(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {found}."
        )
    for where, block in blocks_in_order(body):
        control = block.get("cache_control")
        if control is not None and (
            not isinstance(control, dict)
            or control.get("type") != "ephemeral"
            or control.get("ttl", "5m") not in ("5m", "1h")
        ):
            raise Invalid(f"{where}.cache_control: Input should be {{'type': 'ephemeral'}}")
    window = MODELS[body["model"]][1]
    if (used := prompt_tokens(body)) > window:
        raise Invalid(f"prompt is too long: {used} tokens > {window} maximum")


def _check_model(body: dict[str, Any]) -> None:
    model = body.get("model")
    if not isinstance(model, str):
        raise Invalid("model: Field required")
    if model not in MODELS:
        raise Invalid(f"model: {model}", 404, "not_found_error")
    limit = body.get("max_tokens")
    if limit is None:
        raise Invalid("max_tokens: Field required")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise Invalid("max_tokens: Input should be greater than or equal to 1")
    if limit > MODELS[model][0]:
        raise Invalid(
            f"max_tokens: {limit} > {MODELS[model][0]}, which is the maximum allowed number "
            f"of output tokens for {model}"
        )


def _check_tools(tools: Any) -> set[str]:
    if tools is None:
        return set()
    if not isinstance(tools, list):
        raise Invalid("tools: Input should be a valid list")
    names: set[str] = set()
    for k, tool in enumerate(tools):
        where = f"tools.{k}.custom"
        if not isinstance(tool, dict):
            raise Invalid(f"tools.{k}: Input should be an object")
        for key in tool:
            if key not in TOOL_FIELDS:
                raise Invalid(f"{where}.{key}: Extra inputs are not permitted")
        name = tool.get("name")
        if not isinstance(name, str) or not TOOL_NAME.match(name):
            raise Invalid(f"{where}.name: String should match pattern '{TOOL_NAME.pattern}'")
        schema = tool.get("input_schema")
        if not isinstance(schema, dict):
            raise Invalid(f"{where}.input_schema: Field required")
        if schema.get("type") != "object":
            raise Invalid(f"{where}.input_schema.type: Input should be 'object'")
        if name in names:
            raise Invalid("tools: Tool names must be unique.")
        names.add(name)
    return names


def _check_system(system: Any) -> None:
    if system is None or isinstance(system, str):
        return
    if not isinstance(system, list):
        raise Invalid("system: Input should be a valid string or list of text blocks")
    for k, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise Invalid(f"system.{k}.type: Input should be 'text'")
        if not isinstance(block.get("text"), str) or not block["text"]:
            raise Invalid("system: text content blocks must be non-empty")


def _check_messages(messages: Any, tools: set[str]) -> None:
    if not isinstance(messages, list) or not messages:
        raise Invalid("messages: at least one message is required")
    pending: set[str] = set()  # tool_use ids of the message before, waiting for their results
    seen: set[str] = set()
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise Invalid(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        role = message["role"]
        if i == 0 and role != "user":
            raise Invalid('messages: first message must use the "user" role')
        if i > 0 and messages[i - 1].get("role") == role:
            raise Invalid(
                'messages: roles must alternate between "user" and "assistant", '
                f'but found multiple "{role}" roles in a row'
            )
        blocks = _content(message, i, last=i == len(messages) - 1)
        if role == "user":
            _check_results(blocks, i, pending, tools)
            pending = set()
        else:
            pending = _check_uses(blocks, i, seen, tools)
    if pending:
        raise _unanswered(len(messages) - 1, pending)


def _content(message: dict[str, Any], i: int, *, last: bool) -> list[dict[str, Any]]:
    content = message.get("content")
    final_assistant = last and message["role"] == "assistant"
    if isinstance(content, str):
        content = [{"type": "text", "text": content}] if content else []
    if not isinstance(content, list):
        raise Invalid(f"messages.{i}.content: Input should be a valid string or list")
    if not content and not final_assistant:
        raise Invalid(
            f"messages.{i}: all messages must have non-empty content except for the optional "
            "final assistant message"
        )
    allowed = USER_BLOCKS if message["role"] == "user" else ASSISTANT_BLOCKS
    for j, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in allowed:
            raise Invalid(
                f"messages.{i}.content.{j}: a {message['role']} message may not hold a {kind!r} block"
            )
        if kind == "text" and not block.get("text"):
            raise Invalid(f"messages.{i}.content.{j}.text: text content blocks must be non-empty")
        if kind == "text" and not block["text"].strip():
            raise Invalid("messages: text content blocks must contain non-whitespace text")
    last_text = content[-1].get("text") if content and content[-1].get("type") == "text" else ""
    if final_assistant and last_text and last_text != last_text.rstrip():
        raise Invalid("messages: final assistant content cannot end with trailing whitespace")
    return content


def _check_results(
    blocks: list[dict[str, Any]], i: int, pending: set[str], tools: set[str]
) -> None:
    answered: list[str] = []
    for j, block in enumerate(blocks):
        if block["type"] != "tool_result":
            continue
        if not tools:
            raise Invalid(
                "Requests which include `tool_use` or `tool_result` blocks must define tools."
            )
        if any(b["type"] != "tool_result" for b in blocks[:j]):
            raise Invalid(
                f"messages.{i}.content.{j}: `tool_result` blocks must come first in the user "
                "message, before any other content"
            )
        tool_use_id = block.get("tool_use_id")
        if tool_use_id not in pending:
            raise Invalid(
                f"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` "
                f"blocks: {tool_use_id}. Each `tool_result` block must have a corresponding "
                "`tool_use` block in the previous message."
            )
        answered.append(tool_use_id)
    if missing := pending - set(answered):
        raise _unanswered(i - 1, missing)


def _check_uses(blocks: list[dict[str, Any]], i: int, seen: set[str], tools: set[str]) -> set[str]:
    uses = set()
    for j, block in enumerate(blocks):
        if block["type"] != "tool_use":
            continue
        if not tools:
            raise Invalid(
                "Requests which include `tool_use` or `tool_result` blocks must define tools."
            )
        tool_use_id = block.get("id")
        if not isinstance(tool_use_id, str) or tool_use_id in seen:
            raise Invalid(f"messages.{i}.content.{j}: `tool_use` ids must be unique")
        if not isinstance(block.get("input"), dict):
            raise Invalid(f"messages.{i}.content.{j}.input: Input should be a valid dictionary")
        seen.add(tool_use_id)
        uses.add(tool_use_id)
    return uses


def _unanswered(i: int, ids: set[str]) -> Invalid:
    return Invalid(
        f"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately "
        f"after: {', '.join(sorted(ids))}. Each `tool_use` block must have a corresponding "
        "`tool_result` block in the next message."
    )


# -- tokens and the prompt cache ----------------------------------------------------------
def blocks_in_order(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The request's blocks in the order the cache reads them: tools, system, messages."""
    out: list[tuple[str, dict[str, Any]]] = [
        (f"tools.{k}", t) for k, t in enumerate(body.get("tools") or []) if isinstance(t, dict)
    ]
    system = body.get("system")
    if isinstance(system, str) and system:
        out.append(("system", {"type": "text", "text": system}))
    elif isinstance(system, list):
        out += [(f"system.{k}", b) for k, b in enumerate(system) if isinstance(b, dict)]
    for i, message in enumerate(body.get("messages") or []):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            out.append((f"messages.{i}", {"type": "text", "text": content}))
            continue
        for j, block in enumerate(content or []):
            if not isinstance(block, dict):
                continue
            out.append((f"messages.{i}.content.{j}", block))
            nested = block.get("content") if block.get("type") == "tool_result" else None
            if isinstance(nested, list):
                out += [(f"messages.{i}.content.{j}.content.{k}", b) for k, b in enumerate(nested)]
    return out


def tokens(block: dict[str, Any]) -> int:
    """About four characters of the block's JSON a token (cache_control is not content)."""
    plain = {k: v for k, v in block.items() if k != "cache_control"}
    return max(1, (len(json.dumps(plain, sort_keys=True, separators=(",", ":"))) + 3) // 4)


def prompt_tokens(body: dict[str, Any]) -> int:
    return sum(tokens(b) for _, b in blocks_in_order(body))


def output_tokens(content: list[dict[str, Any]]) -> int:
    return max(1, sum(tokens(b) for b in content))


@dataclass
class Usage:
    input_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int


class Cache:
    """Prefixes written by earlier requests, per model (no expiry: a test outlives no TTL)."""

    def __init__(self) -> None:
        self.written: set[str] = set()

    def usage(self, body: dict[str, Any]) -> Usage:
        blocks = [b for _, b in blocks_in_order(body)]
        sizes = [tokens(b) for b in blocks]
        keys = _prefix_keys(body["model"], blocks)
        minimum = MODELS[body["model"]][2]
        breakpoints = [k for k, b in enumerate(blocks) if "cache_control" in b]
        read = 0
        for end in breakpoints:
            for k in range(end, max(-1, end - LOOKBACK), -1):
                if keys[k] in self.written:
                    read = max(read, sum(sizes[: k + 1]))
                    break
        cacheable = [k for k in breakpoints if sum(sizes[: k + 1]) >= minimum]
        self.written.update(keys[k] for k in cacheable)
        top = max((sum(sizes[: k + 1]) for k in cacheable), default=0)
        created = max(0, top - read)
        return Usage(sum(sizes) - read - created, created, read)


def _prefix_keys(model: str, blocks: list[dict[str, Any]]) -> list[str]:
    digest = hashlib.sha256(model.encode())
    keys = []
    for block in blocks:
        plain = {k: v for k, v in block.items() if k != "cache_control"}
        digest.update(json.dumps(plain, sort_keys=True).encode())
        keys.append(digest.copy().hexdigest())
    return keys
