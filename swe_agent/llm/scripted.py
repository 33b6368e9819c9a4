"""A model that replays a script: for tests and offline demos.

Each entry is a `Reply`, or a function of the request (system, messages, tools, max_tokens)
that returns one, so a test can answer from what the agent sent.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import Reply

Step = Reply | Callable[[dict[str, Any]], Reply]


class ScriptedModel:
    def __init__(self, replies: Iterable[Step], name: str = "scripted") -> None:
        self.name = name
        self.script: deque[Step] = deque(replies)
        self.requests: list[dict[str, Any]] = []

    def complete(
        self,
        system: Sequence[str],
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        *,
        max_tokens: int = 2048,
    ) -> Reply:
        request = {
            "system": list(system),
            "messages": copy.deepcopy(messages),
            "tools": copy.deepcopy(tools),
            "max_tokens": max_tokens,
        }
        self.requests.append(request)
        if not self.script:
            raise ModelError(
                f"the scripted model has no reply left for request {len(self.requests)}",
                "add replies to the script",
            )
        step = self.script.popleft()
        return step(request) if callable(step) else step
