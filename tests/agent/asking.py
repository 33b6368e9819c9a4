"""Ask through the one entry point and get the answer as `ask --json` prints it."""

from __future__ import annotations

from typing import Any

from swe_agent.agent import AskRequest, answer
from swe_agent.config import Settings
from swe_agent.llm.base import Model
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store


def ask(
    store: Store,
    repo: GitRepo,
    question: str,
    *,
    settings: Settings,
    model: Model | None = None,
    **request: Any,
) -> dict[str, Any]:
    return answer(AskRequest(question, **request), store, repo, settings, model).to_json()
