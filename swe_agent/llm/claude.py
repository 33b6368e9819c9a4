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

What a failure means is llm/failures.py's; the request and reply bodies are llm/messages.py's.

`anthropic` is imported inside the constructor: importing it costs more than a second of
start-up that offline commands should not pay.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import CallRecord, CallRecorder, Reply, Usage
from swe_agent.llm.failures import CallFailed, Failure, cause, gave_up, one_line, status_failure
from swe_agent.llm.messages import build_request, parse_reply
from swe_agent.llm.prices import cost_usd
from swe_agent.llm.retries import backoff

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.anthropic.com"


class SdkClient:
    """The anthropic SDK's client of one key and endpoint. It never retries by itself (its
    users decide what a failure costs), and `_scrub` keeps the key out of what is logged."""

    def __init__(self, *, api_key: str, base_url: str | None, timeout: float) -> None:
        import anthropic

        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._key = api_key
        self._sdk = anthropic
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=self.base_url, timeout=timeout, max_retries=0
        )

    def close(self) -> None:
        self._client.close()

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "[key]") if self._key else text


class ClaudeModel(SdkClient):
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
        super().__init__(api_key=api_key, base_url=base_url, timeout=timeout)
        self.name = name
        self.purpose = purpose
        self.timeout = timeout
        self.deadline = deadline
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.recorder = recorder
        self.session_id = session_id

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
            reply = parse_reply(message, self.base_url, self._scrub)
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
                failure = status_failure(exc, self.base_url, self.name, self._scrub)
                if isinstance(failure, CallFailed):
                    raise failure from None
            except self._sdk.APITimeoutError:
                failure = Failure(f"did not answer within {timeout:g} s", "request_timeout")
            except self._sdk.APIConnectionError as exc:
                failure = Failure(
                    f"could not be reached ({self._scrub(cause(exc))})",
                    hint="check ANTHROPIC_BASE_URL and the network",
                )
            except self._sdk.APIError as exc:
                raise CallFailed(
                    f"{self.base_url} answered something unusable ({self._scrub(one_line(exc.message))})",
                    "check ANTHROPIC_BASE_URL",
                ) from None
            self._wait(failure, attempt, started)

    def _wait(self, failure: Failure, attempt: int, started: float) -> None:
        """Sleep before the next attempt, or raise when there must be none."""
        elapsed = time.monotonic() - started
        asked = failure.retry_after if failure.retry_after and failure.retry_after > 0 else None
        wait = asked if asked is not None else backoff(attempt - 1)
        if asked is not None:
            failure.what += f" and asked to wait {asked:g} s"
        if attempt > self.max_retries:
            raise gave_up(failure, attempt, elapsed, self.base_url, "max_retries")
        if asked is not None and asked > self.max_retry_after:
            raise gave_up(failure, attempt, elapsed, self.base_url, "max_retry_after")
        if elapsed + wait >= self.deadline:
            raise gave_up(failure, attempt, elapsed, self.base_url, "call_deadline")
        log.info("model call to %s %s; retrying in %.1f s", self.base_url, failure.what, wait)
        time.sleep(wait)

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
                cost_usd=cost_usd(self.name, usage),
            )
        )

    def _scrub_json(self, data: dict[str, Any]) -> dict[str, Any]:
        """The data without the key, should an endpoint echo it or a user paste it."""
        text = json.dumps(data)
        return json.loads(self._scrub(text)) if self._key and self._key in text else data
