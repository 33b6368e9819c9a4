"""An `ask` waiting on a slow model endpoint holds neither the store nor the daemon: other
commands run meanwhile. Real processes, the real SDK, a fake Messages API that stalls."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

from tests.fakeapi import FakeAnthropic, tool_message
from tests.watch.test_daemon import SWE_AGENT, cli, running_daemon, wait_for

STALL = 8.0  # seconds a search may take while the ask waits on the model
HOLD = 60.0  # at most this long the endpoint holds the first call, until the test releases it
ANSWER = {
    "explanation": "merge_cookies merges them",
    "locations": [{"path": "minihttp/cookies.py", "symbol": "merge_cookies", "why": "merges"}],
}


def stalling_api(release: threading.Event) -> FakeAnthropic:
    """An endpoint that answers the first call only once the test sets `release`."""
    return FakeAnthropic([{**tool_message("answer", ANSWER), "delay": HOLD, "release": release}])


def environ(api: FakeAnthropic, **more: str) -> dict[str, str]:
    return dict(os.environ, ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url, **more)


def search_while_asking(
    repo: Path, api: FakeAnthropic, release: threading.Event, env: dict[str, str]
) -> dict:
    """Start an ask, wait until its model call is under way, then search; returns the ask's
    answer once the search has come back while the ask was still waiting on the model (the
    endpoint answers only after the search, when `release` is set)."""
    asking = subprocess.Popen(
        [SWE_AGENT, "ask", "where are cookies merged?", "-C", str(repo), "--json", "--stats"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(lambda: api.messages, timeout=60)
        started = time.monotonic()
        found = cli("search", "merge cookies", "-C", str(repo), "--json")
        took = time.monotonic() - started
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)[0]["path"] == "minihttp/cookies.py"
        assert asking.poll() is None  # the ask was still waiting on the model
        assert took < STALL
        release.set()
        out, err = asking.communicate(timeout=120)
    finally:
        release.set()
        if asking.poll() is None:
            asking.kill()
    assert asking.returncode == 0, err
    return json.loads(out)


def test_a_search_runs_while_an_ask_waits_on_the_model(sample_repo: Path) -> None:
    assert cli("index", "-C", str(sample_repo)).returncode == 0
    release = threading.Event()
    with stalling_api(release) as api:
        result = search_while_asking(sample_repo, api, release, environ(api))
    assert result["mode"] == "claude"
    assert result["locations"][0]["symbol"] == "merge_cookies"
    assert len(result["ledger"]) == 1
    assert result["ledger"][0]["tools"] == "answer"


def test_the_daemon_serves_a_search_while_an_ask_waits_on_the_model(sample_repo: Path) -> None:
    release = threading.Event()
    with stalling_api(release) as api:
        env = environ(api, SWE_AGENT_SLEEP_LEVEL="0")  # no sleep-time calls to the fake API
        started = subprocess.run(
            [SWE_AGENT, "daemon", "start", "-C", str(sample_repo)], env=env, capture_output=True
        )
        assert started.returncode == 0
        with running_daemon(sample_repo):
            result = search_while_asking(sample_repo, api, release, env)
    assert result["locations"][0]["symbol"] == "merge_cookies"
    assert result["ledger"]  # --stats keeps its ledger
    assert result["totals"]["tasks"] == 1
