"""When a failed model call is tried again, and after how long: the anthropic SDK's rules
(`_should_retry` and `_calculate_retry_timeout` in anthropic 2.x), which llm/claude.py applies
under one deadline.

`x-should-retry` decides first; otherwise 408, 409, 429 and 5xx (529 included) are retried, as
are timeouts and connection errors. A server's wait is read from `retry-after-ms`, then
`retry-after` as seconds or as an HTTP date; without one, 0.5 s doubling to 8 s, less up to a
quarter of jitter. Ours: a 429 whose `error.details.error_code` names a spend limit is never
retried (waiting does not lift it).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from typing import Any

BACKOFF = 0.5
MAX_BACKOFF = 8.0
STATUS_NAMES = {
    408: "408 request timeout",
    409: "409 conflict",
    429: "429 rate limited",
    500: "500 internal error",
    502: "502 bad gateway",
    503: "503 unavailable",
    504: "504 gateway timeout",
    529: "529 overloaded",
}
SPEND_LIMITS = {  # error.details.error_code of a 429 -> the limit, and what to do
    "enforced_spend_limit_reached": (
        "the monthly usage limit of its API tier",
        "raise the limit in the Claude Console or wait for next month; unset "
        "ANTHROPIC_API_KEY to work offline",
    ),
    "contract_spend_limit_reached": (
        "the spend limit of its contract",
        "ask your Anthropic account team to raise it; unset ANTHROPIC_API_KEY to work offline",
    ),
}
RETRIED = frozenset({408, 409, 429, *range(500, 600)})


def backoff(attempt: int) -> float:
    return min(BACKOFF * 2**attempt, MAX_BACKOFF) * (1 - 0.25 * random.random())


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a response asks to wait, read as the SDK reads them: `retry-after-ms`, then
    `retry-after` as seconds, then as an HTTP date."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return float(headers.get(name)) / scale  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    try:
        return (
            email.utils.parsedate_to_datetime(headers.get("retry-after") or "").timestamp()
            - time.time()
        )
    except (TypeError, ValueError):
        return None


def error_code(body: Any) -> str | None:
    """`error.details.error_code` of an error body, the API's stable name for a cause."""
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    code = details.get("error_code") if isinstance(details, dict) else None
    return code if isinstance(code, str) else None
