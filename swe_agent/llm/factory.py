"""Which model a purpose gets: Claude when ANTHROPIC_API_KEY is set, else None (offline)."""

from __future__ import annotations

from collections.abc import Mapping

from swe_agent.config import Settings
from swe_agent.llm.base import CallRecorder, Model

PURPOSES = ("sleep", "foreground")


def model_for(
    purpose: str,
    settings: Settings,
    environ: Mapping[str, str],
    recorder: CallRecorder | None = None,
    session_id: str | None = None,
) -> Model | None:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown model purpose {purpose!r}; known: {', '.join(PURPOSES)}")
    key = environ.get("ANTHROPIC_API_KEY", "").strip()
    if not key:
        return None
    from swe_agent.llm.claude import ClaudeModel

    return ClaudeModel(
        settings.sleep_model if purpose == "sleep" else settings.foreground_model,
        purpose,
        api_key=key,
        base_url=environ.get("ANTHROPIC_BASE_URL") or None,
        timeout=settings.request_timeout,
        deadline=settings.call_deadline,
        max_retries=settings.max_retries,
        max_retry_after=settings.max_retry_after,
        recorder=recorder,
        session_id=session_id,
    )
