"""Main-context memory, as in MemGPT: core memory blocks with labels and size limits, and a
working set of the tool results held whole, which close least-recently-used.

Tokens are counted with `llm.tokens.count_tokens`, locally, so the context is compacted from
our own count, before any provider complains.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from swe_agent.llm.tokens import count_tokens


class MemoryEditError(ValueError):
    """A core memory edit the model asked for cannot be done; the message says why."""


def block_text(block: Any) -> str:
    """The text of one content block as the model would see it."""
    if isinstance(block, str):
        return block
    kind = block.get("type")
    if kind == "text":
        return block.get("text", "")
    if kind == "tool_use":
        return f"{block.get('name')}({json.dumps(block.get('input', {}), sort_keys=True)})"
    if kind == "tool_result":
        content = block.get("content", "")
        if isinstance(content, list):
            return "\n".join(block_text(c) for c in content)
        return str(content)
    return json.dumps(block, sort_keys=True)


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content", "")
    if isinstance(content, str):
        return content
    return "\n".join(block_text(b) for b in content)


def plain_blocks(content: Any) -> list[dict[str, Any]]:
    """Reply content as plain JSON-able dicts, whatever objects the model returned."""
    out = []
    for block in content or []:
        if isinstance(block, dict):
            out.append(block)
        elif hasattr(block, "model_dump"):
            out.append(block.model_dump(exclude_none=True))
        else:
            out.append(json.loads(json.dumps(block, default=vars)))
    return out


def message_tokens(message: dict[str, Any]) -> int:
    return count_tokens(message_text(message)) + 4


@dataclass(slots=True)
class Block:
    label: str
    description: str
    limit: int  # characters
    value: str = ""


class CoreMemory:
    """Labelled blocks the agent can append to and edit; each has a size limit."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self.blocks = {b.label: b for b in blocks}

    def get(self, label: str) -> Block:
        if label not in self.blocks:
            raise MemoryEditError(
                f"no core memory block {label!r}; blocks: {', '.join(self.blocks)}"
            )
        return self.blocks[label]

    def set(self, label: str, value: str) -> None:
        """Set a block from outside the agent (task, overview), cut to its limit."""
        block = self.get(label)
        block.value = value if len(value) <= block.limit else value[: block.limit - 1] + "…"

    def append(self, label: str, text: str) -> str:
        block = self.get(label)
        text = text.strip()
        if not text:
            raise MemoryEditError("nothing to append: give some text")
        new = f"{block.value}\n{text}" if block.value else text
        if len(new) > block.limit:
            raise MemoryEditError(
                f"block {label!r} would hold {len(new)} of {block.limit} characters; "
                "shorten it first with core_memory_replace"
            )
        block.value = new
        return f"appended to {label!r} ({len(new)} of {block.limit} characters)"

    def replace(self, label: str, old: str, new: str) -> str:
        block = self.get(label)
        if not old:
            raise MemoryEditError("old text is empty: give the exact text to replace")
        found = block.value.count(old)
        if found != 1:
            raise MemoryEditError(
                f"old text occurs {found} times in {label!r}; it must match exactly once"
            )
        value = block.value.replace(old, new)
        if len(value) > block.limit:
            raise MemoryEditError(
                f"block {label!r} would hold {len(value)} of {block.limit} characters"
            )
        block.value = value
        return f"replaced in {label!r} ({len(value)} of {block.limit} characters)"

    def values(self) -> dict[str, str]:
        return {label: b.value for label, b in self.blocks.items()}

    def render(self) -> str:
        parts = []
        for b in self.blocks.values():
            parts.append(
                f'<{b.label} chars="{len(b.value)}/{b.limit}" about="{b.description}">\n'
                f"{b.value}\n</{b.label}>"
            )
        return "\n".join(parts)


def default_core(overview: str | None, preferences: str, task: str) -> CoreMemory:
    core = CoreMemory(
        [
            Block("overview", "the repository, from sleep-time analysis", 2400),
            Block("preferences", "what the developer wants; kept across sessions", 1200),
            Block("task", "the current question or task", 2400),
        ]
    )
    core.set("overview", overview or "")
    core.set("preferences", preferences)
    core.set("task", task)
    return core


@dataclass(slots=True)
class Slot:
    """A tool result the working set holds whole. The model knows it by its id (p1, p2, ...:
    "pages" in the prompt's words) and its title."""

    id: str
    title: str
    tokens: int
    tool_use_id: str
    last_used: int
    key: str = ""


@dataclass(slots=True)
class WorkingSet:
    """The tool results held whole in main context. The content lives in the tool result itself;
    the working set decides which results stay whole and which are closed to a one-line stub."""

    slots: dict[str, Slot] = field(default_factory=dict)
    counter: int = 0
    clock: int = 0

    def open(self, title: str, tokens: int, tool_use_id: str, key: str = "") -> Slot:
        self.counter += 1
        self.clock += 1
        slot = Slot(f"p{self.counter}", title, tokens, tool_use_id, self.clock, key)
        self.slots[slot.id] = slot
        return slot

    def tokens(self) -> int:
        return sum(s.tokens for s in self.slots.values())

    def close(self, slot_id: str) -> Slot | None:
        return self.slots.pop(slot_id, None)

    def evict(self, limit: int, keep: AbstractSet[str] = frozenset()) -> list[Slot]:
        """Close least-recently-used slots until the open ones fit in limit tokens."""
        closed = []
        for slot in sorted(self.slots.values(), key=lambda s: s.last_used):
            if self.tokens() <= limit:
                break
            if slot.id in keep:
                continue
            closed.append(self.slots.pop(slot.id))
        return closed

    def summary(self) -> str:
        """What the model sees of the working set (in system[1])."""
        if not self.slots:
            return "no pages open"
        ordered = sorted(self.slots.values(), key=lambda s: -s.last_used)
        lines = [f"{p.id}: {p.title} ({p.tokens} tokens)" for p in ordered]
        head = f"{len(lines)} page{'s' if len(lines) != 1 else ''} open, {self.tokens()} tokens"
        return f"{head}, most recent first:\n" + "\n".join(lines)
