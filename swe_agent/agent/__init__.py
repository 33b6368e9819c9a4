"""The foreground agent: answer a question or a task from the repository's memory.

One request in, one answer out: `answer(AskRequest, store, repo, settings, model)` returns an
`Answer` (agent/answering.py, agent/request.py). The memory core reads as MemGPT: main context
(context.py) with core memory and a working set (memory.py) under one token budget, the loop
(loop.py) and the tools (tools.py, retrieval.py, records.py). The offline policy, a model
without a model, lives in agent/offline/.

Names are exported lazily, so that importing the request types costs no store or tools.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "answer": "swe_agent.agent.answering",
    "session_for": "swe_agent.agent.answering",
    "AskRequest": "swe_agent.agent.request",
    "Answer": "swe_agent.agent.request",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'swe_agent.agent' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
