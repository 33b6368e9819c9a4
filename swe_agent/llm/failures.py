"""What a failed call to the Messages API means: one to try again (`Failure`), or one that ends
the call (`CallFailed`), with a one-line message naming the endpoint and a hint saying what to
change. When to retry, and after how long, is llm/retries.py's; the loop is llm/claude.py's.

Every text that may hold what an endpoint sent back goes through `scrub`, which hides the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from swe_agent.errors import ModelError
from swe_agent.llm.retries import RETRIED, SPEND_LIMITS, STATUS_NAMES, error_code, retry_after

if TYPE_CHECKING:
    from anthropic import APIStatusError

Scrub = Callable[[str], str]


class CallFailed(ModelError):
    """A model call that failed for good; `body` is the endpoint's last error body, if any."""

    def __init__(self, message: str, hint: str, body: Any = None) -> None:
        super().__init__(message, hint)
        self.body = body


@dataclass
class Failure:
    """What one attempt met, when it may be retried."""

    what: str
    knob: str | None = None
    retry_after: float | None = None  # seconds the server asked to wait
    body: Any = None
    hint: str | None = None


def status_failure(
    exc: APIStatusError, base_url: str, model: str, scrub: Scrub
) -> Failure | CallFailed:
    """A retryable failure, or the error that ends the call, by the SDK's rules and ours."""
    code = error_code(exc.body)
    if exc.status_code == 429 and code in SPEND_LIMITS:
        limit, hint = SPEND_LIMITS[code]
        return CallFailed(
            f"ANTHROPIC_API_KEY's organisation has reached {limit} at {base_url} (429 {code})",
            hint,
            exc.body,
        )
    should = exc.response.headers.get("x-should-retry")
    if should == "false" or (should != "true" and exc.status_code not in RETRIED):
        return refused(exc, base_url, model, scrub)
    name = STATUS_NAMES.get(exc.status_code, f"{exc.status_code} error")
    name += f" ({code})" if code else ""
    return Failure(f"answered {name}", None, retry_after(exc.response.headers), exc.body)


def refused(exc: APIStatusError, base_url: str, model: str, scrub: Scrub) -> CallFailed:
    status = exc.status_code
    detail = scrub(one_line(exc.api_message or exc.message))
    if status == 401:
        message = f"ANTHROPIC_API_KEY was refused by {base_url} (401 {detail})"
        hint = "check the key, or unset it to work offline"
    elif status == 402:
        message = (
            f"ANTHROPIC_API_KEY's organisation cannot pay for calls to {base_url} (402 {detail})"
        )
        hint = "check its billing in the Claude Console, or unset the key to work offline"
    elif status == 403:
        message = f"ANTHROPIC_API_KEY may not use {model} at {base_url} (403 {detail})"
        hint = "check the key's permissions, or choose another model"
    elif status == 404:
        message = f"{base_url} has no model {model!r} or no Messages API (404 {detail})"
        hint = "check sleep_model / foreground_model and ANTHROPIC_BASE_URL"
    elif status == 413:
        message = f"the request was too large for {base_url} (413 {detail})"
        hint = "lower context_budget"
    else:
        message = f"{base_url} rejected the request to {model} ({status} {detail})"
        hint = "check the model name and settings; if it persists, report it as a bug"
    return CallFailed(message, hint, exc.body)


def gave_up(
    failure: Failure, attempts: int, elapsed: float, base_url: str, knob: str
) -> CallFailed:
    """The error that ends a call after `attempts`, naming the setting (`knob`) that stopped it."""
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    message = f"the model endpoint {base_url} {failure.what} ({tries} in {elapsed:.1f} s)"
    knobs = f"{failure.knob} or {knob}" if failure.knob else knob
    return CallFailed(message, failure.hint or f"try again later or raise {knobs}", failure.body)


def cause(exc: BaseException) -> str:
    why = exc.__cause__ or exc
    return one_line(str(why) or type(why).__name__)


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
