"""Main context: a stable system prompt, core memory and the working set after it, and a queue
of messages under one token budget.

system[0] never changes within a session, so the provider's prompt cache holds; system[1]
(core memory, the working set, recall state, and notices such as memory pressure) is rebuilt at turn
boundaries. Notices live there, not in the queue: text after tool results in a user turn is a
documented cause of empty replies. When the queue grows past the budget the oldest messages
move to recall storage behind a recursive summary that is the queue's first message and takes
the sequence number of the last message it folds in, so a restored queue starts with it. An
assistant message with tool_use and the user message with its tool_result move together,
always.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from swe_agent.agent.memory import (
    CoreMemory,
    WorkingSet,
    count_tokens,
    message_text,
    message_tokens,
)

PRESSURE = 0.7  # share of the budget at which the agent is warned
TARGET = 0.5  # share of the budget the queue is compacted down to
WORKING_SET_SHARE = 0.45  # share of the budget the results held whole may take
_LOCATION = re.compile(
    r"[\w./-]+\.\w+:\d+(?:-\d+)?|`[^`\n]{2,80}`|\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b"
)


class Journal(Protocol):
    """Where the context's changes are written (a session in the store)."""

    def saved(self, seq: int, message: dict[str, Any], tokens: int) -> None: ...

    def rewritten(self, seq: int, message: dict[str, Any], tokens: int) -> None: ...

    def evicted(self, seqs: list[int], summary: str) -> None: ...


def summarize(previous: str, messages: Sequence[dict[str, Any]], limit_tokens: int) -> str:
    """A recursive, extractive summary: the old summary plus what the evicted messages did and
    found, line by line, identifiers and paths verbatim; the oldest lines go first when full."""
    lines = previous.splitlines() if previous else []
    for message in messages:
        content = message["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        for block in blocks:
            kind = block.get("type")
            if kind == "tool_use":
                lines.append(f"- called {message_text({'content': [block]})[:200]}")
            elif kind in ("text", "tool_result"):
                lines.extend(_salient(message_text({"content": [block]}), message["role"]))
    while lines and count_tokens("\n".join(lines)) > limit_tokens:
        lines.pop(0)
    return "\n".join(lines)


def _salient(text: str, role: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("[step ", "[page ")):
            continue
        if line.startswith("<task") or (role == "assistant" and not out):
            out.append(f"- {role}: {line[:200]}")
        elif _LOCATION.search(line) and len(out) < 8:
            out.append(f"  {line[:160]}")
    return out


class MainContext:
    def __init__(
        self,
        stable_prompt: str,
        core: CoreMemory,
        budget: int,
        *,
        tool_tokens: int = 0,
        journal: Journal | None = None,
    ) -> None:
        self.stable_prompt = stable_prompt
        self.core = core
        self.budget = budget
        self.tool_tokens = tool_tokens
        self.journal = journal
        self.working_set = WorkingSet()
        self.messages: list[dict[str, Any]] = []
        self.seqs: list[int] = []
        self.next_seq = 0
        self.summary = ""
        self.recalled = 0  # messages moved to recall storage so far
        self._dynamic = ""

    # -- what the model sees -------------------------------------------------------------
    def refresh(self, notice: str = "") -> None:
        """Rebuild system[1], with a notice for the next call if any; called at turn
        boundaries only."""
        if self._dynamic and self.pressure() >= PRESSURE:
            warning = (
                f"[memory pressure: {self.tokens():,} of {self.budget:,} tokens in main context. "
                "Save what matters with core_memory_append; the oldest messages will move to "
                "recall storage behind a summary.]"
            )
            notice = f"{warning}\n{notice}" if notice else warning
        recall = (
            f"{self.recalled} earlier messages are in recall storage (recall_search finds them); "
            "the first message summarises them."
            if self.recalled
            else "recall storage holds no messages of this session yet."
        )
        self._dynamic = (
            f"<core_memory>\n{self.core.render()}\n</core_memory>\n"
            f"<working_set>\n{self.working_set.summary()}\n</working_set>\n<recall>{recall}</recall>"
        )
        if notice:
            self._dynamic += f"\n<notice>\n{notice}\n</notice>"

    def system(self) -> list[str]:
        if not self._dynamic:
            self.refresh()
        return [self.stable_prompt, self._dynamic]

    def tokens(self) -> int:
        fixed = sum(count_tokens(s) for s in self.system()) + self.tool_tokens
        return fixed + sum(message_tokens(m) for m in self.messages)

    def pressure(self) -> float:
        return self.tokens() / self.budget

    # -- the queue -------------------------------------------------------------------------
    def restore(
        self, messages: list[tuple[int, str, Any]], summary: str, next_seq: int, recalled: int
    ) -> None:
        """Bring back a session's messages that were still in context, the summary first (a
        session saved before summaries took an older sequence number has it last)."""
        ordered = sorted(messages, key=lambda m: not self._is_summary({"content": m[2]}))
        self.messages = [{"role": role, "content": content} for _, role, content in ordered]
        self.seqs = [seq for seq, _, _ in ordered]
        self.summary = summary
        self.next_seq = next_seq
        self.recalled = recalled

    def add(self, role: str, content: Any) -> None:
        message = {"role": role, "content": content}
        self.messages.append(message)
        self.seqs.append(self.next_seq)
        if self.journal:
            self.journal.saved(self.next_seq, message, message_tokens(message))
        self.next_seq += 1

    def add_user_text(self, text: str) -> None:
        """A user text joins the last user message when there is one (a new task after the
        previous turn's last tool results), so that roles keep alternating."""
        if self.messages and self.messages[-1]["role"] == "user":
            last = self.messages[-1]
            content = last["content"]
            blocks = (
                [{"type": "text", "text": content}] if isinstance(content, str) else list(content)
            )
            last["content"] = blocks + [{"type": "text", "text": text}]
            self._rewritten(len(self.messages) - 1)
        else:
            self.add("user", [{"type": "text", "text": text}])

    def _rewritten(self, index: int) -> None:
        if self.journal:
            message = self.messages[index]
            self.journal.rewritten(self.seqs[index], message, message_tokens(message))

    # -- the working set -------------------------------------------------------------------
    def hold(self, opened: list[tuple[str, int, str, str]]) -> list[str]:
        """Hold a result whole per (title, tokens, tool_use_id, key); a result asked for again
        replaces its older copy, and least-recently-used ones beyond their share of the budget
        close. A closed result leaves a one-line stub in its place. Returns the slots' ids."""
        closed, ids = [], []
        for title, tokens, tool_use_id, key in opened:
            closed += [
                self.working_set.close(s.id)
                for s in list(self.working_set.slots.values())
                if key and s.key == key
            ]
            ids.append(self.working_set.open(title, tokens, tool_use_id, key).id)
        closed += self.working_set.evict(int(self.budget * WORKING_SET_SHARE), set(ids))
        stubs = {
            p.tool_use_id: f"[{p.id} closed to save context: {p.title}; ask again to reopen it]"
            for p in closed
            if p is not None
        }
        for index, message in enumerate(self.messages):
            if message["role"] != "user" or isinstance(message["content"], str):
                continue
            changed = False
            for block in message["content"]:
                if block.get("type") == "tool_result" and block.get("tool_use_id") in stubs:
                    block["content"] = stubs[block["tool_use_id"]]
                    changed = True
            if changed:
                self._rewritten(index)
        return ids

    def compact(self) -> int:
        """At the budget, move the oldest messages to recall storage behind a summary.
        Returns how many messages moved."""
        if self.tokens() < self.budget:
            return 0
        cut = self._cut_point()
        if cut <= 0:
            return 0
        evicted, seqs = self.messages[:cut], self.seqs[:cut]
        folded = [m for m in evicted if not self._is_summary(m)]
        self.recalled += len(folded)
        self.summary = summarize(self.summary, folded, max(200, self.budget // 8))
        head = {"role": "user", "content": [{"type": "text", "text": self._summary_text()}]}
        self.messages = [head] + self.messages[cut:]
        self.seqs = [seqs[-1]] + self.seqs[cut:]
        if self.journal:
            self.journal.evicted(seqs, self.summary)
            self.journal.saved(seqs[-1], head, message_tokens(head))
        live = {
            b.get("tool_use_id")
            for m in self.messages
            if isinstance(m["content"], list)
            for b in m["content"]
            if b.get("type") == "tool_result"
        }
        for slot_id, slot in list(self.working_set.slots.items()):
            if slot.tool_use_id not in live:
                self.working_set.close(slot_id)
        self.refresh()
        return len(folded)

    def _cut_point(self) -> int:
        """The index where the kept queue starts: always an assistant message, so a
        tool_use stays with its tool_result; the last exchange always stays."""
        starts = [i for i, m in enumerate(self.messages) if m["role"] == "assistant" and i > 0]
        if len(starts) < 2:
            return 0
        fixed = self.tokens() - sum(message_tokens(m) for m in self.messages)
        target = self.budget * TARGET
        for start in starts[:-1]:
            rest = sum(message_tokens(m) for m in self.messages[start:])
            if fixed + rest + count_tokens(self.summary) + 60 <= target:
                return start
        return starts[-1]

    def _summary_text(self) -> str:
        return (
            f"[summary of {self.recalled} earlier messages, now in recall storage; "
            f"recall_search finds them]\n{self.summary}"
        )

    @staticmethod
    def _is_summary(message: dict[str, Any]) -> bool:
        return message_text(message).startswith("[summary of ")
