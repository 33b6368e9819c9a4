"""The Message Batches API through the anthropic SDK: submit many Messages requests at once, at
half the price, and read their results when the batch has ended (within 24 hours; what is not
done by then comes back `expired`).

Each call here is small and made again at the next poll when it fails, so none is retried in
place: a failure is one `ModelError` line naming the endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import Reply
from swe_agent.llm.claude import SdkClient
from swe_agent.llm.failures import cause, one_line, refused
from swe_agent.llm.messages import parse_reply

RESULT_KINDS = ("succeeded", "errored", "canceled", "expired")


class BatchGone(ModelError):
    """The API does not know the batch (404): deleted, or made with another key."""


@dataclass(frozen=True, slots=True)
class BatchState:
    id: str
    ended: bool  # processing_status 'ended': every request has its result
    counts: dict[str, int]  # processing, succeeded, errored, canceled, expired


@dataclass(frozen=True, slots=True)
class BatchResult:
    custom_id: str
    kind: str  # one of RESULT_KINDS
    reply: Reply | None = None  # when succeeded
    error: str | None = None  # when errored: the API's error, one line
    raw: dict[str, Any] | None = None  # the result as the API sent it, for the call log


class ClaudeBatches(SdkClient):
    """Message Batches of `model` (the name sleep-time notes are written with)."""

    def __init__(self, model: str, *, api_key: str, base_url: str | None, timeout: float) -> None:
        super().__init__(api_key=api_key, base_url=base_url, timeout=timeout)
        self.name = model

    def submit(self, requests: list[tuple[str, dict[str, Any]]]) -> BatchState:
        """Send (custom_id, Messages params) pairs as one batch."""
        sent = [{"custom_id": c, "params": p} for c, p in requests]
        return self._state(self._call(self._client.messages.batches.create, requests=sent))

    def retrieve(self, batch_id: str) -> BatchState:
        return self._state(self._call(self._client.messages.batches.retrieve, batch_id))

    def results(self, batch_id: str) -> Iterator[BatchResult]:
        """The results of an ended batch, in the order the API gives them."""
        for line in self._call(self._client.messages.batches.results, batch_id):
            result = line.result
            raw = json.loads(self._scrub(json.dumps(result.to_dict(mode="json"))))
            if result.type == "succeeded":
                try:
                    reply = parse_reply(result.message, self.base_url, self._scrub)
                except ModelError as exc:
                    yield BatchResult(line.custom_id, "errored", error=exc.message, raw=raw)
                    continue
                yield BatchResult(line.custom_id, "succeeded", reply, raw=raw)
            elif result.type == "errored":
                detail = result.error.error
                what = f"{getattr(detail, 'type', 'error')}: {getattr(detail, 'message', '')}"
                yield BatchResult(
                    line.custom_id, "errored", error=self._scrub(one_line(what)), raw=raw
                )
            else:
                yield BatchResult(line.custom_id, result.type, raw=raw)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except self._sdk.NotFoundError as exc:
            if args:  # a batch id
                raise BatchGone(
                    f"{self.base_url} does not know the batch {args[0]} (404)",
                    "its files keep their offline notes",
                ) from None
            raise refused(exc, self.base_url, self.name, self._scrub) from None
        except self._sdk.APIStatusError as exc:
            raise refused(exc, self.base_url, self.name, self._scrub) from None
        except self._sdk.APIConnectionError as exc:
            raise ModelError(
                f"the Message Batches API at {self.base_url} could not be reached "
                f"({self._scrub(cause(exc))})",
                "check ANTHROPIC_BASE_URL and the network; the next poll tries again",
            ) from None

    @staticmethod
    def _state(batch: Any) -> BatchState:
        counts = batch.request_counts.to_dict(mode="json")
        return BatchState(batch.id, batch.processing_status == "ended", counts)
