"""Build one run of the agent from the store, the repository and a model, and turn its final
answer into the result object, saving what must outlive the run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from swe_agent.agent import session as sess
from swe_agent.agent.context import MainContext
from swe_agent.agent.loop import Agent, Limits
from swe_agent.agent.memory import CoreMemory, default_core
from swe_agent.agent.offline.policy import OfflinePolicy
from swe_agent.agent.patch import extract_patch
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.prompts import SYSTEM_PROMPT
from swe_agent.agent.retrieval import Sources
from swe_agent.agent.tools import Toolbox
from swe_agent.errors import PathRefused
from swe_agent.llm.tokens import count_tokens
from swe_agent.store import files as files_table
from swe_agent.store import notes, sessions
from swe_agent.store.db import Store

PAGE_SHARE = 10  # a tool result page holds at most budget / PAGE_SHARE tokens


@dataclass(slots=True)
class Run:
    agent: Agent
    toolbox: Toolbox
    core: CoreMemory
    guard: PathGuard
    session_id: str
    turn: int
    mode: str
    preferences: dict[str, str]  # as they were before the run


def assemble(
    store: Store,
    repo: Any,
    question: str,
    settings: Any,
    *,
    model: Any,
    session_id: str | None,
    continue_last: bool,
    use_notes: bool,
) -> Run:
    mode = "offline" if model is None else getattr(model, "mode", "claude")
    session_id, state = sess.open_session(
        store,
        session_id,
        continue_last=continue_last,
        title=question.splitlines()[0],
        mode=mode,
        head=repo.head(),
    )
    turn = (state.turns if state else 0) + 1
    before = sessions.preferences(store)
    core = default_core(notes.repository_overview(store), before.get("preferences", ""), question)
    journal = sess.SessionJournal(store, session_id, turn)
    guard = PathGuard(repo.root, files_table.indexed_paths(store))
    toolbox = Toolbox(
        Sources(store, guard, repo, session_id),
        core,
        page_tokens=max(300, settings.context_budget // PAGE_SHARE),
        use_notes=use_notes,
    )
    context = MainContext(
        SYSTEM_PROMPT,
        core,
        settings.context_budget,
        tool_tokens=count_tokens(json.dumps(toolbox.specs)),
        journal=journal,
    )
    if state:
        sess.restore(context, state)
    limits = Limits(settings.max_steps, settings.context_budget)
    if model is None:
        policy = OfflinePolicy(question)
        agent = Agent(policy, toolbox, context, limits, ledger=journal, observer=policy)
    else:
        agent = Agent(model, toolbox, context, limits, ledger=journal)
    return Run(agent, toolbox, core, guard, session_id, turn, mode, before)


def finish(
    store: Store, run: Run, question: str, kind: str, final: dict[str, Any]
) -> dict[str, Any]:
    """The result object of the run; notes used, memory and the turn are saved."""
    steps = run.agent.steps
    explanation = str(final.get("explanation") or "")
    result = {
        "question": question,
        "mode": run.mode,
        "answer": explanation,
        "locations": checked_locations(final.get("locations"), run.guard),
        "patch": extract_patch(final.get("patch"), explanation) if kind == "task" else None,
        "usage": {
            "test_time_input_tokens": sum(
                s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens
                for s in steps
            ),
            "test_time_output_tokens": sum(s.output_tokens for s in steps),
            "tool_calls": run.agent.tool_calls,
            "notes_used": len(run.toolbox.notes_seen),
            "sleep_time_tokens_available": notes.sleep_tokens_spent(store),
        },
        "session": run.session_id,
    }
    notes.mark_used(store, sorted(run.toolbox.notes_seen))
    sess.save_memory(store, run.session_id, run.core, run.preferences, run.turn)
    sessions.record_turn(store, run.session_id, run.turn, kind, result)
    return result


def checked_locations(raw: Any, guard: PathGuard) -> list[dict[str, Any]]:
    """The answer's locations: inside the repository and indexed, lines as integers."""
    out: list[dict[str, Any]] = []
    for loc in raw if isinstance(raw, list) else []:
        if not isinstance(loc, dict):
            continue
        try:
            path = guard.resolve(str(loc.get("path") or ""))
        except PathRefused:
            continue
        start = _int(loc.get("start_line"))
        end = max(start, _int(loc.get("end_line")) or start)
        out.append(
            {
                "path": path,
                "symbol": loc.get("symbol") or None,
                "start_line": start,
                "end_line": end,
                "why": str(loc.get("why") or ""),
            }
        )
    return out


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
