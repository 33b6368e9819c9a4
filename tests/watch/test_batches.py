"""The daemon's sleep-time batches: submitted by background sleep, collected by later ticks,
and by a daemon restarted while one was in progress (a real detached process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from swe_agent.config import Settings
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from swe_agent.watch import client
from swe_agent.watch.daemon import Daemon
from tests.fakeapi import FakeAnthropic, text_message
from tests.procs import offline_env, swe, wait_for
from tests.sleep.test_claude import notes_json

MODEL = Settings().sleep_model


def answer(body: dict[str, Any]) -> dict[str, Any]:
    return text_message(notes_json(body["messages"]))


@contextmanager
def in_process(repo: Path, api: FakeAnthropic, **settings: Any) -> Iterator[Daemon]:
    environ = {"ANTHROPIC_API_KEY": api.key, "ANTHROPIC_BASE_URL": api.url}
    daemon = Daemon(GitRepo(repo), Settings(**settings), environ)
    try:
        daemon.handle("index", {})
        yield daemon
    finally:
        daemon.close()


def model_notes(repo: Path) -> int:
    with open_store(repo, read_only=True) as store:
        return store.one("SELECT count(*) FROM notes WHERE model = ?", [MODEL])[0]


def test_background_sleep_submits_a_batch_and_a_later_tick_collects_it(sample_repo: Path) -> None:
    with (
        FakeAnthropic([answer] * 60) as api,
        in_process(sample_repo, api, batch_poll_seconds=0.01) as daemon,
    ):
        daemon._background_sleep()  # as after a commit
        assert api.messages == [], "the daemon uses batches"
        [batch_id] = api.batches
        assert daemon.store.one("SELECT state FROM batches")[0] == "in_progress"
        daemon.next_poll = 0.0
        daemon.tick()
        assert daemon.store.one("SELECT state FROM batches WHERE id = ?", [batch_id]) == ("ended",)
        notes = daemon.store.one("SELECT count(*) FROM notes WHERE model = ?", [MODEL])[0]
        assert notes > 0
        polls = sum(1 for r in api.requests if r["method"] == "GET")
        daemon.tick()  # nothing is open: no request at all
        assert sum(1 for r in api.requests if r["method"] == "GET") == polls


def test_a_tick_polls_no_more_often_than_batch_poll_seconds(sample_repo: Path) -> None:
    with (
        FakeAnthropic([answer] * 60, batch_polls=1_000) as api,
        in_process(sample_repo, api, batch_poll_seconds=3600) as daemon,
    ):
        daemon._background_sleep()
        daemon.next_poll = 0.0
        for _ in range(5):
            daemon.tick()
        polls = [r for r in api.requests if r["method"] == "GET"]
        assert len(polls) == 1


def test_background_sleep_with_a_model_stops_at_the_hourly_cap(sample_repo: Path) -> None:
    with (
        FakeAnthropic([answer] * 60) as api,
        in_process(
            sample_repo, api, sleep_budget_per_commit=3_000, sleep_budget_per_hour=4_000
        ) as daemon,
    ):
        daemon._background_sleep()  # as after a commit: within the commit's budget
        assert daemon.spent[0][1] >= 3_000, "each request counted at its estimate"
        assert len(api.batches) == 1
        daemon._background_sleep()  # what is left of the hour
        assert sum(n for _, n in daemon.spent) >= 4_000
        assert len(api.batches) == 2
        daemon._background_sleep()  # nothing is left: no batch at all
        assert daemon.spent[-1][1] == 0
        assert len(api.batches) == 2
        assert api.messages == []


def test_sleep_asked_of_the_daemon_stays_synchronous_unless_batch(sample_repo: Path) -> None:
    with FakeAnthropic([answer] * 60) as api, in_process(sample_repo, api) as daemon:
        result = daemon.handle("sleep", {"budget": 3_000, "level": 2})
        assert api.messages and api.batches == {}
        assert "batch" not in result
        calls = len(api.messages)
        result = daemon.handle("sleep", {"budget": 3_000, "level": 3, "batch": True})
        assert result["batch"]["id"] in api.batches
        assert len(api.messages) == calls


def test_a_daemon_restarted_mid_batch_collects_it(sample_repo: Path) -> None:
    with FakeAnthropic([answer] * 60, batch_polls=10**9) as api:
        env = offline_env(ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url,
                          SWE_AGENT_BATCH_POLL_SECONDS="0.1")  # fmt: skip
        log = sample_repo / ".swe_agent/daemon.log"
        with running(sample_repo, env):
            wait_for(lambda: log.exists() and "submitted" in log.read_text(), timeout=60)
            wait_for(lambda: any(r["method"] == "GET" for r in api.requests))
        [batch_id] = api.batches
        assert model_notes(sample_repo) == 0
        status = swe("status", "--json", "-C", str(sample_repo), env=env)
        [pending] = json.loads(status.stdout)["batches"]["pending"]
        assert pending["id"] == batch_id
        api.batch_polls = 0  # it ends while no daemon runs
        with running(sample_repo, env):
            wait_for(lambda: f"batch {batch_id} ended" in log.read_text(), timeout=60)
        assert model_notes(sample_repo) > 0
        results = [r for r in api.requests if r["path"].endswith(f"{batch_id}/results")]
        assert len(results) == 1, "collected once, by the second daemon"
        shown = json.loads(swe("status", "--json", "-C", str(sample_repo), env=env).stdout)
        # the second daemon may have sent a batch of its own for files the first did not reach
        assert batch_id in {e["id"] for e in shown["batches"]["ended"]}
        assert batch_id not in {p["id"] for p in shown["batches"]["pending"]}


@contextmanager
def running(repo: Path, env: dict[str, str]) -> Iterator[None]:
    started = swe("daemon", "start", "-C", str(repo), env=env)
    assert started.returncode == 0, started.stderr
    try:
        yield
    finally:
        swe("daemon", "stop", "-C", str(repo), env=env)
        wait_for(lambda: client.daemon_pid(repo) is None)
