"""Answer one request: build a run of the agent (session, main context, tools, loop) around a
model, Claude or the offline policy, run it, and turn its final `answer` call into an `Answer`,
saving what must outlive the run (the turn, core memory, notes used).

The model is built by the caller (`llm.open_model`), at the edge; `model=None` answers offline.
`pause` is how the caller lets go of the store around each model call, so that a slow endpoint
never holds it: the CLI closes its connection, the daemon releases its lock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

from swe_agent.agent import session as sess
from swe_agent.agent.context import MainContext
from swe_agent.agent.loop import Agent, Limits
from swe_agent.agent.memory import CoreMemory, default_core
from swe_agent.agent.offline.policy import OfflinePolicy
from swe_agent.agent.patch import extract_patch
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.prompts import SYSTEM_PROMPT, task_message
from swe_agent.agent.request import Answer, AskRequest, LedgerStep, Location, Totals, Usage
from swe_agent.agent.retrieval import Sources
from swe_agent.agent.tools import Toolbox
from swe_agent.config import Settings, note_kinds, override
from swe_agent.errors import PathRefused, SweAgentError
from swe_agent.llm.base import Model, Reply
from swe_agent.llm.tokens import count_tokens
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import files as files_table
from swe_agent.store import notes, sessions
from swe_agent.store.db import Store

PAGE_SHARE = 10  # a tool result page holds at most budget / PAGE_SHARE tokens
Pause = Callable[[], AbstractContextManager[object]]


def answer(
    request: AskRequest,
    store: Store,
    repo: GitRepo,
    settings: Settings,
    model: Model | None = None,
    *,
    pause: Pause | None = None,
) -> Answer:
    """Answer the request from the repository's memory; model None answers offline."""
    settings = override(
        settings, context_budget=request.context_budget, max_steps=request.max_steps
    )
    if model is not None and pause is not None:
        model = _Paused(model, pause)
    run = _assemble(request, store, repo, settings, model)
    final = run.agent.run(task_message(request.kind, request.question))
    return _finish(store, run, request, final)


def session_for(store: Store, request: AskRequest) -> AskRequest:
    """The request with its session settled: the one named, the last one when it continues, or
    a new one. Callers settle it before building the model, whose calls are logged under it."""
    if request.session_id:
        if not sessions.session_exists(store, request.session_id):
            raise SweAgentError(
                f"no session {request.session_id} in this repository",
                "list them with `swe-agent sessions`; `--continue` resumes the last",
            )
        return request
    last = sessions.last_session(store) if request.continue_last else None
    return request.in_session(last or uuid.uuid4().hex[:12])


class _Paused:
    """A model whose calls run inside `pause`."""

    def __init__(self, model: Model, pause: Pause) -> None:
        self.model, self.pause, self.name = model, pause, model.name

    def complete(
        self,
        system: Sequence[str],
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        *,
        max_tokens: int = 2048,
    ) -> Reply:
        with self.pause():
            return self.model.complete(system, messages, tools, max_tokens=max_tokens)


@dataclass(slots=True)
class _Run:
    agent: Agent
    toolbox: Toolbox
    core: CoreMemory
    guard: PathGuard
    session_id: str
    turn: int
    mode: str
    preferences: dict[str, str]  # as they were before the run


def _assemble(
    request: AskRequest, store: Store, repo: GitRepo, settings: Settings, model: Model | None
) -> _Run:
    question = request.question
    mode = "offline" if model is None else "claude"
    session_id, state = sess.open_session(
        store,
        request.session_id,
        continue_last=request.continue_last,
        title=question.splitlines()[0],
        mode=mode,
        head=repo.head(),
    )
    turn = (state.turns if state else 0) + 1
    before = sessions.preferences(store)
    kinds = note_kinds(settings.note_kinds)
    overview = notes.repository_overview(store) if kinds is None or "overview" in kinds else ""
    core = default_core(overview, before.get("preferences", ""), question)
    journal = sess.SessionJournal(store, session_id, turn)
    guard = PathGuard(repo.root, files_table.indexed_paths(store))
    toolbox = Toolbox(
        Sources(store, guard, repo, session_id),
        core,
        page_tokens=max(300, settings.context_budget // PAGE_SHARE),
        use_notes=request.use_notes,
        note_kinds=kinds,
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
    return _Run(agent, toolbox, core, guard, session_id, turn, mode, before)


def _finish(store: Store, run: _Run, request: AskRequest, final: dict[str, Any]) -> Answer:
    """The answer of the run; notes used, memory and the turn are saved."""
    steps = run.agent.steps
    explanation = str(final.get("explanation") or "")
    result = Answer(
        question=request.question,
        mode=run.mode,
        explanation=explanation,
        locations=checked_locations(final.get("locations"), run.guard),
        patch=extract_patch(final.get("patch"), explanation) if request.kind == "task" else None,
        usage=Usage(
            test_time_input_tokens=sum(
                s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens
                for s in steps
            ),
            test_time_output_tokens=sum(s.output_tokens for s in steps),
            tool_calls=run.agent.tool_calls,
            notes_used=len(run.toolbox.notes_seen),
            sleep_time_tokens_available=notes.sleep_tokens_spent(store),
        ),
        session=run.session_id,
        confidence=checked_confidence(final.get("confidence")),
        ledger=[
            LedgerStep(
                s.step,
                ",".join(s.tools),
                s.input_tokens,
                s.output_tokens,
                s.cache_read_input_tokens,
                s.cache_creation_input_tokens,
                s.context_tokens,
            )
            for s in steps
            if s.input_tokens or s.tools
        ],  # fmt: skip
    )
    notes.mark_used(store, sorted(run.toolbox.notes_seen))
    sess.save_memory(store, run.session_id, run.core, run.preferences, run.turn)
    sessions.record_turn(
        store, run.session_id, run.turn, request.kind, result.to_json(ledger=False)
    )
    return replace(result, totals=Totals(**sessions.ledger_totals(store)))


def checked_locations(raw: Any, guard: PathGuard) -> list[Location]:
    """The answer's locations: inside the repository and indexed, lines as integers."""
    out: list[Location] = []
    for loc in raw if isinstance(raw, list) else []:
        if not isinstance(loc, dict):
            continue
        try:
            path = guard.resolve(str(loc.get("path") or ""))
        except PathRefused:
            continue
        start = _int(loc.get("start_line"))
        end = max(start, _int(loc.get("end_line")) or start)
        out.append(Location(path, loc.get("symbol") or None, start, end, str(loc.get("why") or "")))
    return out


def checked_confidence(value: Any) -> float | None:
    """The answer's confidence when it gave one that reads as a number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return min(1.0, max(0.0, float(value)))


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
