"""`locate`: the offline `ask` as a read-only query. The deterministic policy drives the agent's
own loop and tools over the store, and the ranked locations with their evidence come back;
unlike `ask` nothing is written (no session, no ledger, no note use counts), so it runs on a
read-only store or on the daemon's reader without its lock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from swe_agent.agent.context import MainContext
from swe_agent.agent.loop import Agent, Limits
from swe_agent.agent.memory import count_tokens, default_core
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.policy import OfflinePolicy
from swe_agent.agent.prompts import SYSTEM_PROMPT, task_message
from swe_agent.agent.tools import Toolbox
from swe_agent.agent.views import Sources
from swe_agent.agent.wiring import PAGE_SHARE, checked_locations
from swe_agent.store import notes
from swe_agent.store.db import Store


def locate_in(
    store: Store, root: str, question: str, budget: int = 16_000, steps: int = 12
) -> dict[str, Any]:
    """Ranked locations (path, symbol, lines, why) for a question or an issue's text."""
    import git

    question = (question or "").strip()
    if not question:
        return {"error": "the question is empty: say what you are looking for"}
    guard = PathGuard(Path(root), [r[0] for r in store.query("SELECT path FROM files")])
    core = default_core(notes.repository_overview(store), "", question)
    toolbox = Toolbox(
        Sources(store, guard, git.Repo(root)), core, page_tokens=max(300, budget // PAGE_SHARE)
    )
    tool_tokens = count_tokens(json.dumps(toolbox.specs))
    context = MainContext(SYSTEM_PROMPT, core, budget, tool_tokens=tool_tokens)
    agent = Agent(OfflinePolicy(), toolbox, context, Limits(steps, budget))
    final = agent.run(task_message("question", question))
    return {
        "question": question,
        "mode": "offline",
        "explanation": str(final.get("explanation") or ""),
        "locations": checked_locations(final.get("locations"), guard),
        "tool_calls": agent.tool_calls,
        "notes_used": len(toolbox.notes_seen),
    }
