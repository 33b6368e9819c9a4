"""A strict fake of the Anthropic Messages API on 127.0.0.1, stdlib only, for tests of the real
SDK over HTTP.

    with FakeAnthropic([text_message("hi"), error(429, retry_after="1"), tool_message("f", {})]) as api:
        model = ClaudeModel(MODEL, ..., api_key=api.key, base_url=api.url, ...)
        ...
        api.requests  # every request in order: {"method", "path", "headers", "body", "authorised",
                      # "at" (time.monotonic()), "status", "answer"}

Every request is held to the real API's rules first (tests/fakerules.py): without the key (as
`x-api-key` or `Authorization: Bearer`) it gets 401, without `anthropic-version` 400, and a
Messages body the API would refuse gets the API's 400 `invalid_request_error` (404 for an
unknown model). A refused request takes nothing from the script.

A valid request takes the next scripted response, a dict that is one of:
- a Messages API body, as `text_message`, `tool_message` and `message` build: answered with
  200, its `id` and `model` filled in and its `usage` counted from the request as the API
  would (tests/fakerules.py: cached prefixes read and written, the rest plain input);
- `{"status": 529, "headers": {...}, "body": {...}}`, as `error` builds, sent as it is (a
  status of 200 with any body stands for an endpoint that is not the Messages API);
- either of them with `"delay": seconds`: the server waits that long before answering, to
  make the client time out (a closed server stops waiting); with `"release": event` (a
  `threading.Event`) as well, it answers as soon as the test sets the event, at the latest
  after the delay: a stall that lasts exactly as long as the test needs it to;
- a function of the request body that returns one of them, to answer from what was sent.
When the script is empty the answer is 500 "fake API script is empty" with
`x-should-retry: false`, so that a client does not retry it. `api.add(*responses)` appends to
the script, so a fixture can start the server empty.

Message Batches: `POST /v1/messages/batches` checks each request's params by the same rules
(a refused one becomes an `errored` result) and takes a scripted response for each valid
one (an error response becomes `errored`; `batch_result("expired")` or `"canceled"`, which
only a batch may take, becomes that result); the batch ends after `batch_polls` retrievals
(settable meanwhile); its results come back as JSONL.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests import fakerules

DEFAULT_KEY = "sk-ant-test-0123456789abcdef"
MODEL = "claude-sonnet-5-5"
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
BATCH_PATH = re.compile(r"^/v1/messages/batches/(msgbatch_\w+)(/results)?$")
Script = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


def message(content: list[dict[str, Any]], stop_reason: str, **fields: Any) -> dict[str, Any]:
    """A Messages API response body; the fake fills in `id`, `model` and `usage`."""
    return {
        "type": "message",
        "role": "assistant",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        **fields,
    }


def text_message(text: str, stop_reason: str = "end_turn") -> dict[str, Any]:
    return message([{"type": "text", "text": text}], stop_reason)


def tool_message(
    name: str, input: dict[str, Any], *, id: str | None = None, text: str = "",
    stop_reason: str = "tool_use",
) -> dict[str, Any]:  # fmt: skip
    content = [{"type": "text", "text": text}] if text else []
    content.append(
        {
            "type": "tool_use",
            "id": id or "toolu_" + uuid.uuid4().hex[:24],
            "name": name,
            "input": input,
        }
    )
    return message(content, stop_reason)


def refusal_message(
    category: str | None = "cyber", explanation: str | None = None
) -> dict[str, Any]:
    details = {"type": "refusal", "category": category, "explanation": explanation}
    return message([], "refusal", stop_details=details)


def error(
    status: int, text: str = "", *, retry_after: str | None = None, code: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """An error response as the API sends it: `{"type": "error", "error": {"type", "message"}}`,
    with `error.details.error_code` when `code` is given."""
    kind = ERROR_TYPES.get(status, "api_error")
    sent = dict(headers or {})
    if retry_after is not None:
        sent["retry-after"] = retry_after
    detail: dict[str, Any] = {"type": kind, "message": text or kind.replace("_", " ")}
    if code:
        detail["details"] = {"error_code": code}
    return {"status": status, "headers": sent, "body": {"type": "error", "error": detail}}


def batch_result(kind: str) -> dict[str, Any]:
    """A batch request's result that carries no message: 'expired' or 'canceled'."""
    assert kind in ("expired", "canceled"), kind
    return {"batch_result": kind}


class FakeAnthropic:
    def __init__(
        self,
        responses: Sequence[Script] = (),
        key: str = DEFAULT_KEY,
        batch_polls: int = 1,
    ):
        self.key = key
        self.batch_polls = batch_polls
        self.requests: list[dict[str, Any]] = []
        self.cache = fakerules.Cache()
        self.batches: dict[str, dict[str, Any]] = {}
        self._script: deque[Script] = deque(responses)
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-anthropic", daemon=True
        )
        self._thread.start()

    def add(self, *responses: Script) -> None:
        with self._lock:
            self._script.extend(responses)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The JSON bodies of the authorised Messages requests, in order."""
        return [r["body"] for r in self.requests if r["authorised"] and r["path"] == "/v1/messages"]

    @property
    def refused(self) -> list[str]:
        """The messages of the 400s and 404s the fake answered, in order."""
        return [
            r["answer"]["error"]["message"]
            for r in self.requests
            if r["status"] in (400, 404) and isinstance(r["answer"], dict)
        ]

    def usage(self) -> dict[str, int]:
        """The usage of every 200 Messages reply, summed per field."""
        total: dict[str, int] = {}
        for r in self.requests:
            if r["status"] == 200 and isinstance(r["answer"], dict) and "usage" in r["answer"]:
                for name, value in r["answer"]["usage"].items():
                    total[name] = total.get(name, 0) + value
        return total

    def close(self) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeAnthropic:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- answering ---------------------------------------------------------------------------
    def _answer(self, method: str, path: str, headers: dict[str, str], body: Any) -> dict[str, Any]:
        lowered = {k.lower(): v for k, v in headers.items()}
        authorised = (
            lowered.get("x-api-key") == self.key
            or lowered.get("authorization") == f"Bearer {self.key}"
        )
        record = {"method": method, "path": path, "headers": headers, "body": body,
                  "authorised": authorised, "at": time.monotonic()}  # fmt: skip
        with self._lock:
            self.requests.append(record)
            response = self._route(method, path, lowered, body, authorised)
        record["status"] = response.get("status", 200)
        record["answer"] = response.get("body")
        return response

    def _route(
        self, method: str, path: str, headers: dict[str, str], body: Any, authorised: bool
    ) -> dict[str, Any]:
        if not authorised:
            return error(401, "invalid x-api-key")
        if "anthropic-version" not in headers:
            return error(400, "anthropic-version: header is required")
        if method == "POST" and path == "/v1/messages":
            if answer := fakerules.refusal(body):
                return error(answer[0], answer[2])
            return self._next(body)
        if method == "POST" and path == "/v1/messages/batches":
            return self._create_batch(body)
        found = BATCH_PATH.match(path)
        if method == "GET" and found and found.group(1) in self.batches:
            return (
                self._batch_results(found.group(1))
                if found.group(2)
                else self._poll(found.group(1))
            )
        return error(404, f"{method} {path} is not a route of this API")

    def _next(self, body: dict[str, Any], batch: bool = False) -> dict[str, Any]:
        if not self._script:
            empty = error(
                500, "fake API script is empty: the test queued fewer responses than were asked"
            )
            return {**empty, "headers": {"x-should-retry": "false"}}
        entry = self._script.popleft()
        response = dict(entry(body) if callable(entry) else entry)
        if "batch_result" in response and not batch:
            return error(500, "fake API script: a batch_result was asked by POST /v1/messages")
        if "batch_result" in response:
            return response
        delay = response.pop("delay", 0.0)
        release = response.pop("release", None)
        if "status" not in response:
            response = {"status": 200, "body": self._fill(response, body)}
        return {**response, "delay": delay, "release": release}

    def _stalled(self, delay: float, release: threading.Event | None) -> bool:
        """Wait `delay` seconds, or until `release` is set; whether the server closed meanwhile."""
        if release is None:
            return self._closed.wait(delay)
        deadline = time.monotonic() + delay
        while not release.is_set() and time.monotonic() < deadline:
            if self._closed.wait(min(0.02, max(0.0, deadline - time.monotonic()))):
                return True
        return self._closed.is_set()

    def _fill(self, reply: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        counted = self.cache.usage(body)
        usage = {
            "input_tokens": counted.input_tokens,
            "output_tokens": fakerules.output_tokens(reply.get("content") or []),
            "cache_creation_input_tokens": counted.cache_creation_input_tokens,
            "cache_read_input_tokens": counted.cache_read_input_tokens,
        }
        return {
            "id": "msg_" + uuid.uuid4().hex[:24],
            "model": body["model"],
            **reply,
            "usage": usage,
        }

    # -- batches -------------------------------------------------------------------------------
    def _create_batch(self, body: Any) -> dict[str, Any]:
        requests = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests, list) or not requests:
            return error(400, "requests: at least one request is required")
        ids = [r.get("custom_id") if isinstance(r, dict) else None for r in requests]
        if not all(isinstance(i, str) and CUSTOM_ID.match(i) for i in ids):
            return error(400, f"requests: custom_id should match pattern '{CUSTOM_ID.pattern}'")
        if len(set(ids)) != len(ids):
            return error(400, "requests: custom_id values must be unique within a batch")
        results = []
        for custom_id, request in zip(ids, requests, strict=True):
            params = request.get("params")
            answer = fakerules.refusal(params)
            response = error(answer[0], answer[2]) if answer else self._next(params, batch=True)
            if "batch_result" in response:
                result = {"type": response["batch_result"]}
            elif response.get("status") == 200:
                result = {"type": "succeeded", "message": response["body"]}
            else:
                result = {"type": "errored", "error": response["body"]}
            results.append({"custom_id": custom_id, "result": result})
        now = datetime.now(UTC)
        batch = {
            "id": "msgbatch_" + uuid.uuid4().hex[:24], "type": "message_batch",
            "processing_status": "in_progress", "created_at": now.isoformat(),
            "expires_at": (now + timedelta(hours=24)).isoformat(), "ended_at": None,
            "cancel_initiated_at": None, "archived_at": None, "results_url": None,
            "request_counts": {"processing": len(results), "succeeded": 0, "errored": 0,
                               "canceled": 0, "expired": 0},
        }  # fmt: skip
        self.batches[batch["id"]] = {"batch": batch, "results": results, "polls": 0}
        return {"status": 200, "body": dict(batch)}

    def _poll(self, batch_id: str) -> dict[str, Any]:
        held = self.batches[batch_id]
        held["polls"] += 1
        batch = held["batch"]
        if held["polls"] >= self.batch_polls and batch["processing_status"] != "ended":
            kinds = [r["result"]["type"] for r in held["results"]]
            batch.update(
                processing_status="ended",
                ended_at=datetime.now(UTC).isoformat(),
                results_url=f"{self.url}/v1/messages/batches/{batch_id}/results",
                request_counts={"processing": 0, "succeeded": kinds.count("succeeded"),
                                "errored": kinds.count("errored"),
                                "canceled": kinds.count("canceled"),
                                "expired": kinds.count("expired")},
            )  # fmt: skip
        return {"status": 200, "body": dict(batch)}

    def _batch_results(self, batch_id: str) -> dict[str, Any]:
        held = self.batches[batch_id]
        if held["batch"]["processing_status"] != "ended":
            return error(400, f"batch {batch_id} is still processing; its results are not ready")
        lines = "".join(json.dumps(r) + "\n" for r in held["results"])
        return {"status": 200, "raw": lines, "headers": {"content-type": "application/binary"}}


def _handler(api: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            self._send(api._answer("POST", self.path, dict(self.headers.items()), body))

        def do_GET(self) -> None:
            self._send(api._answer("GET", self.path, dict(self.headers.items()), None))

        def _send(self, response: dict[str, Any]) -> None:
            delay = float(response.get("delay") or 0.0)
            if delay and api._stalled(delay, response.get("release")):
                return
            raw = response.get("raw")
            data = (
                raw.encode() if raw is not None else json.dumps(response.get("body", {})).encode()
            )
            headers = {"content-type": "application/json", **response.get("headers", {})}
            try:
                self.send_response(response.get("status", 200))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left; that is what the delay was for

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
