"""Which model a purpose gets, built at the edges (the CLI, the daemon, the bench) and closed
after: Claude when ANTHROPIC_API_KEY is set, else None (offline)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from swe_agent.config import Settings
from swe_agent.llm.base import CallRecorder, Model

if TYPE_CHECKING:
    from swe_agent.llm.batches import ClaudeBatches

PURPOSES = ("sleep", "foreground")


@contextmanager
def open_model(
    purpose: str,
    settings: Settings,
    environ: Mapping[str, str],
    *,
    recorder: CallRecorder | None = None,
    session_id: str | None = None,
    offline: bool = False,
    name: str | None = None,
) -> Iterator[Model | None]:
    """The model for purpose ("sleep" or "foreground"), every call recorded through recorder
    under session_id; None when offline or without a key. Closed when the block ends. `name`
    (a --model flag) takes the place of the settings' model for purpose."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown model purpose {purpose!r}; known: {', '.join(PURPOSES)}")
    key = environ.get("ANTHROPIC_API_KEY", "").strip()
    if offline or not key:
        yield None
        return
    from swe_agent.llm.claude import ClaudeModel

    model = ClaudeModel(
        name or (settings.sleep_model if purpose == "sleep" else settings.foreground_model),
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
    try:
        yield model
    finally:
        model.close()


@contextmanager
def open_batches(
    settings: Settings, environ: Mapping[str, str], *, name: str | None = None
) -> Iterator[ClaudeBatches | None]:
    """Message Batches of the sleep model (or `name`); None without a key. Closed when the
    block ends."""
    key = environ.get("ANTHROPIC_API_KEY", "").strip()
    if not key:
        yield None
        return
    from swe_agent.llm.batches import ClaudeBatches

    batches = ClaudeBatches(
        name or settings.sleep_model,
        api_key=key,
        base_url=environ.get("ANTHROPIC_BASE_URL") or None,
        timeout=settings.request_timeout,
    )
    try:
        yield batches
    finally:
        batches.close()
