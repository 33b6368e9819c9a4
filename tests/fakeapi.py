"""A fake Anthropic Messages API on 127.0.0.1, stdlib only, for tests of the real SDK over HTTP.

    with FakeAnthropic([text_message("hi"), error(429, retry_after="0"), tool_message("f", {})]) as api:
        model = ClaudeModel(..., api_key=api.key, base_url=api.url, ...)
        ...
        api.requests  # [{"path", "headers", "body"}, ...], every request in order, 401s included

Each POST takes the next scripted response, a dict that is one of:
- a Messages API body (answered with 200), as `text_message` and `tool_message` build;
- `{"status": 529, "headers": {...}, "body": {...}}`, as `error` builds;
- either of them with `"delay": seconds`: the server waits that long before answering, to
  make the client time out (a closed server stops waiting).
A request without the key, as `x-api-key: <key>` or `Authorization: Bearer <key>`, gets 401
and takes no response. When the script is empty the answer is 500 "fake API script is empty"
with `x-should-retry: false`, so that a client does not retry it.
`api.add(*responses)` appends to the script, so a fixture can start the server empty.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_KEY = "sk-ant-test-0123456789abcdef"
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def usage(
    input_tokens: int = 10,
    output_tokens: int = 5,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
) -> dict[str, int]:
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": cache_creation_input_tokens,
        "cache_read_input_tokens": cache_read_input_tokens,
    }


def message(
    content: list[dict[str, Any]], stop_reason: str, model: str, **tokens: int
) -> dict[str, Any]:
    """A Messages API response body; `tokens` are `usage`'s keyword arguments."""
    return {
        "id": "msg_" + uuid.uuid4().hex[:24],
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage(**tokens),
    }


def text_message(text: str, *, model: str = "claude-test", **tokens: int) -> dict[str, Any]:
    return message([{"type": "text", "text": text}], "end_turn", model, **tokens)


def tool_message(
    name: str,
    input: dict[str, Any],
    *,
    id: str | None = None,
    text: str = "",
    model: str = "claude-test",
    **tokens: int,
) -> dict[str, Any]:
    content = [{"type": "text", "text": text}] if text else []
    content.append(
        {
            "type": "tool_use",
            "id": id or "toolu_" + uuid.uuid4().hex[:24],
            "name": name,
            "input": input,
        }
    )
    return message(content, "tool_use", model, **tokens)


def error(status: int, text: str = "", *, retry_after: str | None = None) -> dict[str, Any]:
    """An error response as the API sends it: `{"type": "error", "error": {"type", "message"}}`."""
    kind = ERROR_TYPES.get(status, "api_error")
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    body = {"type": "error", "error": {"type": kind, "message": text or kind.replace("_", " ")}}
    return {"status": status, "headers": headers, "body": body}


class FakeAnthropic:
    def __init__(
        self,
        responses: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
        key: str = DEFAULT_KEY,
    ):
        self.key = key
        self.requests: list[dict[str, Any]] = []
        self._script: deque[dict[str, Any]] = deque(responses)
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

    def add(self, *responses: dict[str, Any]) -> None:
        with self._lock:
            self._script.extend(responses)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The JSON bodies of the authorised requests, in order."""
        return [r["body"] for r in self.requests if r["authorised"]]

    def close(self) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeAnthropic:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take(self, headers: dict[str, str], path: str, body: Any) -> tuple[dict[str, Any], float]:
        lowered = {k.lower(): v for k, v in headers.items()}
        authorised = (
            lowered.get("x-api-key") == self.key
            or lowered.get("authorization") == f"Bearer {self.key}"
        )
        with self._lock:
            self.requests.append(
                {"path": path, "headers": headers, "body": body, "authorised": authorised}
            )
            if not authorised:
                return error(401, "invalid x-api-key"), 0.0
            if not self._script:
                empty = error(
                    500, "fake API script is empty: the test queued fewer responses than were asked"
                )
                return {**empty, "headers": {"x-should-retry": "false"}}, 0.0
            response = dict(self._script.popleft())
        delay = float(response.pop("delay", 0.0))
        if "status" not in response and "body" not in response:
            response = {"status": 200, "body": response}
        return response, delay


def _handler(api: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            response, delay = api._take(dict(self.headers.items()), self.path, body)
            if delay and api._closed.wait(delay):
                return
            data = json.dumps(response.get("body", {})).encode()
            try:
                self.send_response(response.get("status", 200))
                for name, value in {
                    "content-type": "application/json",
                    **response.get("headers", {}),
                }.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left; that is what the delay was for

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
