"""Claude through the anthropic SDK: one deadline bounds a call, retries included.

Retries are ours, small, and follow the SDK's own rules (llm/retries.py says which), plus two
of ours: a 429 that names a spend limit is never retried, and the call gives up, with a
one-line `ModelError` naming the setting to raise, as soon as the next wait would pass
`max_retries`, exceed `max_retry_after` (it never retries sooner than the server asked) or
cross `deadline`. Each request's timeout is cut to what the deadline leaves.

Why not the SDK's own loop (`max_retries` > 0): it sleeps whatever retry-after asks, up to
days, retries spend limits, and neither stops at a deadline nor shortens the last attempt's
timeout; making it deadline-aware would mean overriding its private `_sleep_for_retry` or
vetoing its retries from middleware: more code than the loop below, and tied to SDK internals.
Tenacity would add a dependency for the same twenty lines.

`anthropic` is imported inside the constructor: importing it costs more than a second of
start-up that offline commands should not pay.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import CallRecord, CallRecorder, Reply, Usage
from swe_agent.llm.retries import (
    RETRIED,
    SPEND_LIMITS,
    STATUS_NAMES,
    backoff,
    error_code,
    retry_after,
)

if TYPE_CHECKING:
    from anthropic import APIStatusError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.anthropic.com"
CACHE = {"type": "ephemeral"}


class CallFailed(ModelError):
    """A model call that failed for good; `body` is the endpoint's last error body, if any."""

    def __init__(self, message: str, hint: str, body: Any = None) -> None:
        super().__init__(message, hint)
        self.body = body


@dataclass
class _Failure:
    """What one attempt met, when it may be retried."""

    what: str
    knob: str | None = None
    retry_after: float | None = None  # seconds the server asked to wait
    body: Any = None
    hint: str | None = None


class ClaudeModel:
    """A `Model` that calls the Messages API and records every call through `recorder`."""

    def __init__(
        self,
        name: str,
        purpose: str,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float,
        deadline: float,
        max_retries: int,
        max_retry_after: float,
        recorder: CallRecorder | None = None,
        session_id: str | None = None,
    ) -> None:
        import anthropic

        self.name = name
        self.purpose = purpose
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.deadline = deadline
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.recorder = recorder
        self.session_id = session_id
        self._key = api_key
        self._sdk = anthropic
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=self.base_url, timeout=timeout, max_retries=0
        )

    def close(self) -> None:
        self._client.close()

    def complete(
        self,
        system: Sequence[str],
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        *,
        max_tokens: int = 2048,
    ) -> Reply:
        request = build_request(self.name, system, messages, tools, max_tokens)
        started = time.monotonic()
        try:
            message = self._send(request, started)
            reply = self._reply(message)
        except ModelError as exc:
            self._record(request, started, Usage(), getattr(exc, "body", None), str(exc))
            raise
        self._record(request, started, reply.usage, message.to_dict(mode="json"), None)
        return reply

    def _send(self, request: dict[str, Any], started: float) -> Any:
        attempt = 0
        while True:
            attempt += 1
            timeout = min(self.timeout, self.deadline - (time.monotonic() - started))
            try:
                return self._client.messages.create(**request, timeout=timeout)
            except self._sdk.APIStatusError as exc:
                failure = self._status_failure(exc)
                if isinstance(failure, CallFailed):
                    raise failure from None
            except self._sdk.APITimeoutError:
                failure = _Failure(f"did not answer within {timeout:g} s", "request_timeout")
            except self._sdk.APIConnectionError as exc:
                failure = _Failure(
                    f"could not be reached ({self._scrub(_cause(exc))})",
                    hint="check ANTHROPIC_BASE_URL and the network",
                )
            except self._sdk.APIError as exc:
                raise CallFailed(
                    f"{self.base_url} answered something unusable ({self._scrub(_one_line(exc.message))})",
                    "check ANTHROPIC_BASE_URL",
                ) from None
            self._wait(failure, attempt, started)

    def _status_failure(self, exc: APIStatusError) -> _Failure | CallFailed:
        """A retryable failure, or the error that ends the call, by the SDK's rules and ours."""
        code = error_code(exc.body)
        if exc.status_code == 429 and code in SPEND_LIMITS:
            limit, hint = SPEND_LIMITS[code]
            return CallFailed(
                f"ANTHROPIC_API_KEY's organisation has reached {limit} at {self.base_url} "
                f"(429 {code})",
                hint,
                exc.body,
            )
        should = exc.response.headers.get("x-should-retry")
        if should == "false" or (should != "true" and exc.status_code not in RETRIED):
            return self._refused(exc)
        name = STATUS_NAMES.get(exc.status_code, f"{exc.status_code} error")
        name += f" ({code})" if code else ""
        return _Failure(f"answered {name}", None, retry_after(exc.response.headers), exc.body)

    def _wait(self, failure: _Failure, attempt: int, started: float) -> None:
        """Sleep before the next attempt, or raise when there must be none."""
        elapsed = time.monotonic() - started
        asked = failure.retry_after if failure.retry_after and failure.retry_after > 0 else None
        wait = asked if asked is not None else backoff(attempt - 1)
        if asked is not None:
            failure.what += f" and asked to wait {asked:g} s"
        if attempt > self.max_retries:
            raise self._gave_up(failure, attempt, elapsed, "max_retries")
        if asked is not None and asked > self.max_retry_after:
            raise self._gave_up(failure, attempt, elapsed, "max_retry_after")
        if elapsed + wait >= self.deadline:
            raise self._gave_up(failure, attempt, elapsed, "call_deadline")
        log.info("model call to %s %s; retrying in %.1f s", self.base_url, failure.what, wait)
        time.sleep(wait)

    def _gave_up(self, failure: _Failure, attempts: int, elapsed: float, knob: str) -> CallFailed:
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        message = f"the model endpoint {self.base_url} {failure.what} ({tries} in {elapsed:.1f} s)"
        knobs = f"{failure.knob} or {knob}" if failure.knob else knob
        return CallFailed(
            message, failure.hint or f"try again later or raise {knobs}", failure.body
        )

    def _refused(self, exc: APIStatusError) -> CallFailed:
        status = exc.status_code
        detail = self._scrub(_one_line(exc.api_message or exc.message))
        if status == 401:
            message = f"ANTHROPIC_API_KEY was refused by {self.base_url} (401 {detail})"
            hint = "check the key, or unset it to work offline"
        elif status == 402:
            message = f"ANTHROPIC_API_KEY's organisation cannot pay for calls to {self.base_url} (402 {detail})"
            hint = "check its billing in the Claude Console, or unset the key to work offline"
        elif status == 403:
            message = f"ANTHROPIC_API_KEY may not use {self.name} at {self.base_url} (403 {detail})"
            hint = "check the key's permissions, or choose another model"
        elif status == 404:
            message = (
                f"{self.base_url} has no model {self.name!r} or no Messages API (404 {detail})"
            )
            hint = "check sleep_model / foreground_model and ANTHROPIC_BASE_URL"
        elif status == 413:
            message = f"the request was too large for {self.base_url} (413 {detail})"
            hint = "lower context_budget"
        else:
            message = f"{self.base_url} rejected the request to {self.name} ({status} {detail})"
            hint = "check the model name and settings; if it persists, report it as a bug"
        return CallFailed(message, hint, exc.body)

    def _reply(self, message: Any) -> Reply:
        content = getattr(message, "content", None)
        u = getattr(message, "usage", None)
        if (
            getattr(message, "type", None) != "message"
            or not isinstance(content, list)
            or u is None
        ):
            body = (
                message.to_dict(mode="json")
                if hasattr(message, "to_dict")
                else {"raw": str(message)[:2000]}
            )
            raise CallFailed(
                f"{self.base_url} answered something that is not a Messages API reply "
                f"({self._scrub(_one_line(json.dumps(body), 120))})",
                "check ANTHROPIC_BASE_URL",
                body,
            )
        # as the API sent them, so that they go back unchanged as the next assistant turn
        blocks = [
            {k: v for k, v in b.to_dict(mode="json").items() if v is not None} for b in content
        ]
        usage = Usage(
            input_tokens=u.input_tokens or 0,
            output_tokens=u.output_tokens or 0,
            cache_creation_input_tokens=u.cache_creation_input_tokens or 0,
            cache_read_input_tokens=u.cache_read_input_tokens or 0,
        )
        details = getattr(message, "stop_details", None)  # absent from older SDKs
        stop_details = details.to_dict(mode="json") if details is not None else None
        return Reply(blocks, usage, message.stop_reason or "", message.model or "", stop_details)

    def _record(
        self,
        request: dict[str, Any],
        started: float,
        usage: Usage,
        response: Any,
        error: str | None,
    ) -> None:
        if self.recorder is None:
            return
        self.recorder.record(
            CallRecord(
                id=uuid.uuid4().hex,
                purpose=self.purpose,
                model=self.name,
                usage=usage,
                duration_ms=round((time.monotonic() - started) * 1000),
                request=self._scrub_json(request),
                response=self._scrub_json(response) if isinstance(response, dict) else None,
                error=self._scrub(error) if error else None,
                session_id=self.session_id,
            )
        )

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "[key]") if self._key else text

    def _scrub_json(self, data: dict[str, Any]) -> dict[str, Any]:
        """The data without the key, should an endpoint echo it or a user paste it."""
        text = json.dumps(data)
        return json.loads(self._scrub(text)) if self._key and self._key in text else data


def build_request(
    model: str,
    system: Sequence[str],
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    max_tokens: int,
) -> dict[str, Any]:
    """The Messages API body: cache breakpoints after the stable system prefix and the tools."""
    request: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": messages}
    blocks: list[dict[str, Any]] = []
    if system and system[0]:
        blocks.append({"type": "text", "text": system[0], "cache_control": CACHE})
    blocks += [{"type": "text", "text": part} for part in system[1:] if part]
    if blocks:
        request["system"] = blocks
    if tools:
        request["tools"] = [*tools[:-1], {**tools[-1], "cache_control": CACHE}]
    return request


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return _one_line(str(cause) or type(cause).__name__)


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
