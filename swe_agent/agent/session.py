"""A session in the store as the agent's journal and ledger: every message, eviction and step
is written as it happens, so `--continue` and recall_search see all of it."""

from __future__ import annotations

from typing import Any

from swe_agent.agent.context import MainContext
from swe_agent.agent.loop import Step
from swe_agent.agent.memory import CoreMemory, message_text
from swe_agent.store import sessions
from swe_agent.store.db import Store

PERSISTENT = ("preferences",)  # core memory blocks that outlive a session


class SessionJournal:
    def __init__(self, store: Store, session_id: str, turn: int) -> None:
        self.store = store
        self.session_id = session_id
        self.turn = turn

    def saved(self, seq: int, message: dict[str, Any], tokens: int) -> None:
        row = (seq, message["role"], message["content"], message_text(message), tokens)
        sessions.save_messages(self.store, self.session_id, self.turn, [row])

    def rewritten(self, seq: int, message: dict[str, Any], tokens: int) -> None:
        sessions.replace_message(self.store, self.session_id, seq, message["content"], tokens)

    def evicted(self, seqs: list[int], summary: str) -> None:
        sessions.move_to_recall(self.store, self.session_id, seqs, summary)

    def record(self, step: Step) -> None:
        sessions.record_step(
            self.store,
            sessions.LedgerRow(
                self.session_id,
                self.turn,
                step.step,
                ",".join(step.tools),
                step.input_tokens,
                step.output_tokens,
                step.cache_read_input_tokens,
                step.cache_creation_input_tokens,
                step.context_tokens,
            ),
        )


def open_session(
    store: Store,
    session_id: str | None,
    *,
    continue_last: bool,
    title: str,
    mode: str,
    head: str | None,
) -> tuple[str, sessions.SessionState | None]:
    """The session to work in: the one named, the last one, or a new one."""
    if continue_last and not session_id:
        session_id = sessions.last_session(store)
    if session_id and sessions.session_exists(store, session_id):
        return session_id, sessions.load_session(store, session_id)
    return sessions.new_session(
        store, title=title, mode=mode, head=head, session_id=session_id
    ), None


def restore(context: MainContext, state: sessions.SessionState) -> None:
    """Bring a session's messages back into main context; a tool_use left without its result
    (a run that died mid-step) gets one, so the queue stays valid for the provider."""
    context.restore(
        _without_empty_replies([(m.seq, m.role, m.content) for m in state.messages]),
        state.summary,
        state.next_seq,
        state.recalled,
    )
    if context.messages and context.messages[-1]["role"] == "assistant":
        content = context.messages[-1]["content"]
        ids = [b["id"] for b in content if isinstance(b, dict) and b.get("type") == "tool_use"]
        if ids:
            context.add(
                "user",
                [{"type": "tool_result", "tool_use_id": i, "content": "interrupted"} for i in ids],
            )


def _without_empty_replies(messages: list[tuple[int, str, Any]]) -> list[tuple[int, str, Any]]:
    """The messages less any empty assistant message and the user text that answered it:
    sessions saved before empty replies were refused hold them, and the API refuses them."""
    out: list[tuple[int, str, Any]] = []
    skip_answer = False
    for seq, role, content in messages:
        if role == "assistant" and not content:
            skip_answer = True
            continue
        if skip_answer and not any(
            isinstance(b, dict) and b.get("type") == "tool_result" for b in content
        ):
            skip_answer = False
            continue
        skip_answer = False
        out.append((seq, role, content))
    return out


def save_memory(
    store: Store, session_id: str, core: CoreMemory, before: dict[str, str], turns: int
) -> None:
    sessions.save_core(store, session_id, core.values(), turns)
    for label in PERSISTENT:
        value = core.values().get(label, "")
        if value != before.get(label, ""):
            sessions.save_preference(store, label, value)
