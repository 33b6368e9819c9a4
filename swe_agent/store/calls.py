"""The `model_calls` table: every model call with its usage, request and outcome. Never the key."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from swe_agent.store.db import Store

if TYPE_CHECKING:
    from swe_agent.llm.base import CallRecord

COLUMNS = (
    "id",
    "purpose",
    "model",
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "duration_ms",
    "request_json",
    "response_json",
    "error",
    "session_id",
    "batch_id",
    "cost_usd",
)
TOTALS = (
    "input_tokens",
    "output_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "duration_ms",
)


class StoreRecorder:
    """A `CallRecorder` that writes each call as one row of `model_calls`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, call: CallRecord) -> None:
        u = call.usage
        self.store.insert(
            "model_calls",
            COLUMNS,
            [
                (
                    call.id,
                    call.purpose,
                    call.model,
                    u.input_tokens,
                    u.output_tokens,
                    u.cache_creation_input_tokens,
                    u.cache_read_input_tokens,
                    call.duration_ms,
                    json.dumps(call.request),
                    json.dumps(call.response) if call.response is not None else None,
                    call.error,
                    call.session_id,
                    call.batch_id,
                    call.cost_usd,
                )
            ],
        )


def usage_totals(
    store: Store, purpose: str | None = None, session_id: str | None = None
) -> dict[str, Any]:
    """Calls, failed calls, tokens by kind and milliseconds, over the calls that match."""
    sums = ", ".join(f"coalesce(sum({c}), 0)::BIGINT" for c in TOTALS)
    row = store.one(
        f"SELECT count(*), count(error), {sums} FROM model_calls "
        "WHERE (? IS NULL OR purpose = ?) AND (? IS NULL OR session_id = ?)",
        [purpose, purpose, session_id, session_id],
    )
    assert row is not None
    return dict(zip(("calls", "errors", *TOTALS), row, strict=True))
