"""The foreground agent: answer a question or a task from the repository's memory.

`answer` wires the parts (session, main context, tools, loop) around a model, Claude or the
offline policy, and returns the object that `swe-agent ask --json` prints.
"""

from __future__ import annotations

from typing import Any

from swe_agent.errors import SweAgentError


def answer(
    store: Any,
    repo: Any,
    question: str,
    *,
    settings: Any,
    model: Any = None,
    kind: str = "question",
    session_id: str | None = None,
    continue_last: bool = False,
    use_notes: bool = True,
    recorder: Any = None,  # kept for callers that log model calls; a model holds its own
) -> dict[str, Any]:
    """Answer question (kind "question") or an issue's text (kind "task"); model=None is offline."""
    from swe_agent.agent.prompts import task_message
    from swe_agent.agent.wiring import assemble, finish

    question = (question or "").strip()
    if not question:
        raise SweAgentError("the question is empty", "say what you want to know")
    run = assemble(
        store,
        repo,
        question,
        settings,
        model=model,
        session_id=session_id,
        continue_last=continue_last,
        use_notes=use_notes,
    )
    final = run.agent.run(task_message(kind, question))
    return finish(store, run, question, kind, final)


def answer_request(
    store: Any, repo: Any, request: dict[str, Any], *, settings: Any, environ: Any
) -> dict[str, Any]:
    """Answer a request as the CLI sends it, here or to the daemon: {"question", "kind",
    "continue_last", "use_notes", "offline", "context_budget", "max_steps"}. Claude answers
    when environ has ANTHROPIC_API_KEY and the request is not offline; its calls are recorded."""
    import uuid

    from swe_agent.config import override
    from swe_agent.llm.factory import model_for
    from swe_agent.store import sessions
    from swe_agent.store.calls import StoreRecorder

    settings = override(
        settings, context_budget=request.get("context_budget"), max_steps=request.get("max_steps")
    )
    last = sessions.last_session(store) if request.get("continue_last") else None
    session_id = last or uuid.uuid4().hex[:12]
    model = None
    if not request.get("offline"):
        recorder = StoreRecorder(store)
        model = model_for("foreground", settings, environ, recorder=recorder, session_id=session_id)
    try:
        return answer(
            store, repo, str(request.get("question") or ""), settings=settings, model=model,
            kind=request.get("kind") or "question", session_id=session_id,
            use_notes=request.get("use_notes", True),
        )  # fmt: skip
    finally:
        if model is not None and hasattr(model, "close"):
            model.close()
