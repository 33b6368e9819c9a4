"""`locate`: the offline `ask` as a read-only query. The deterministic policy drives the agent's
own loop and tools over the store, and the ranked locations with their evidence come back;
unlike `ask` nothing is written (no session, no ledger, no note use counts), so it runs on a
read-only store or on the daemon's reader without its lock."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from swe_agent.agent.answering import PAGE_SHARE, checked_confidence, checked_locations
from swe_agent.agent.context import MainContext
from swe_agent.agent.loop import Agent, Limits
from swe_agent.agent.memory import default_core
from swe_agent.agent.offline.policy import OfflinePolicy
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.prompts import SYSTEM_PROMPT, task_message
from swe_agent.agent.retrieval import Sources
from swe_agent.agent.tools import Toolbox
from swe_agent.llm.tokens import count_tokens
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import files as files_table
from swe_agent.store import notes
from swe_agent.store.db import Store


def locate_in(
    store: Store, root: str, question: str, budget: int = 16_000, steps: int = 12
) -> dict[str, Any]:
    """Ranked locations (path, symbol, lines, why) for a question or an issue's text."""
    question = (question or "").strip()
    if not question:
        return {"error": "the question is empty: say what you are looking for"}
    guard = PathGuard(Path(root), files_table.indexed_paths(store))
    core = default_core(notes.repository_overview(store), "", question)
    toolbox = Toolbox(
        Sources(store, guard, GitRepo(Path(root))), core, page_tokens=max(300, budget // PAGE_SHARE)
    )
    tool_tokens = count_tokens(json.dumps(toolbox.specs))
    context = MainContext(SYSTEM_PROMPT, core, budget, tool_tokens=tool_tokens)
    policy = OfflinePolicy(question)
    agent = Agent(policy, toolbox, context, Limits(steps, budget), observer=policy)
    final = agent.run(task_message("question", question))
    return {
        "question": question,
        "mode": "offline",
        "explanation": str(final.get("explanation") or ""),
        "locations": [asdict(loc) for loc in checked_locations(final.get("locations"), guard)],
        "tool_calls": agent.tool_calls,
        "notes_used": len(toolbox.notes_seen),
        "confidence": checked_confidence(final.get("confidence")),
    }
