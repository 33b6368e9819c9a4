"""Sleep-time notes through the Message Batches API: the real SDK over HTTP against the strict
fake API, a real DuckDB store, a real git repository."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from swe_agent.config import Settings
from swe_agent.index import index_repository
from swe_agent.llm.base import Usage
from swe_agent.llm.batches import ClaudeBatches
from swe_agent.llm.factory import open_batches
from swe_agent.llm.prices import cost_usd
from swe_agent.sleep.batched import collect, describe, sleep_in_batch
from swe_agent.store import batches as table
from swe_agent.store.db import Store, open_store
from tests.fakeapi import FakeAnthropic, batch_result, error, text_message
from tests.helpers import commit_all
from tests.sleep.test_claude import asked, notes_json

MODEL = Settings().sleep_model


def answer(body: dict[str, Any]) -> dict[str, Any]:
    return text_message(notes_json(body["messages"]))


def environ(api: FakeAnthropic, key: str | None = None) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": key or api.key, "ANTHROPIC_BASE_URL": api.url}


@contextmanager
def batches_at(api: FakeAnthropic, key: str | None = None) -> Iterator[ClaudeBatches]:
    with open_batches(Settings(), environ(api, key)) as batches:
        assert batches is not None
        yield batches


def model_notes(store: Store, path: str | None = None) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT path, symbol, kind, title, tokens FROM notes WHERE model = ? "
        "AND (? IS NULL OR path = ?)",
        [MODEL, path, path],
    )


def sent_files(api: FakeAnthropic) -> list[str]:
    """The path of each request of the fake's only batch, in order."""
    [held] = api.batches.values()
    [create] = [r for r in api.requests if r["path"] == "/v1/messages/batches"]
    texts = [asked(r["params"]["messages"])[0] for r in create["body"]["requests"]]
    assert len(texts) == len(held["results"])
    return [t.split()[1] for t in texts]


def test_a_batch_is_submitted_polled_and_its_results_become_notes(indexed) -> None:
    repo, store = indexed
    with FakeAnthropic([answer] * 60, batch_polls=2) as api:
        with batches_at(api) as batches:
            result = sleep_in_batch(repo, store, batches, budget=1_000_000, level=2)
            batch_id = result["batch"]["id"]
            assert batch_id.startswith("msgbatch_")
            assert result["mode"] == f"claude batch ({MODEL})"
            assert api.messages == [], "no synchronous call"
            assert model_notes(store) == [], "offline notes until the batch ends"
            offline = store.one("SELECT count(*) FROM notes WHERE model = 'offline'")[0]
            assert offline == result["notes_written"] > 0
            [pending] = table.summary(store)["pending"]
            assert pending["id"] == batch_id
            assert pending["requests"] == result["batch"]["requests"] > 1

            [first] = collect(batches, store)
            assert first.state == "in_progress"
            [done] = collect(batches, store)
            assert collect(batches, store) == [], "collected once"
        paths = sent_files(api)
    assert done.state == "ended"
    assert done.written == len(paths)
    assert done.kept_offline == {} and done.stale == 0
    written = model_notes(store)
    assert {n["path"] for n in written} == set(paths)
    assert done.notes == len(written)
    for path in paths:  # the model's summary replaced the offline one of each definition asked
        symbols = {n["symbol"] for n in model_notes(store, path) if n["kind"] == "summary"}
        offline = store.query(
            "SELECT symbol FROM notes WHERE path = ? AND model = 'offline' AND kind = 'summary' "
            "AND symbol IN (SELECT unnest(?::VARCHAR[]))",
            [path, sorted(symbols)],
        )
        assert symbols and offline == []
    calls = store.rows(
        "SELECT batch_id, input_tokens, output_tokens, cost_usd, error FROM model_calls"
    )
    assert len(calls) == len(paths)
    assert {c["batch_id"] for c in calls} == {batch_id}
    assert all(c["error"] is None for c in calls)
    for c in calls:
        usage = Usage(c["input_tokens"], c["output_tokens"])
        assert c["cost_usd"] == pytest.approx(cost_usd(MODEL, usage) / 2)
        assert c["cost_usd"] > 0
    assert done.tokens == sum(c["input_tokens"] + c["output_tokens"] for c in calls)
    assert sum(n["tokens"] for n in written) == done.tokens
    [ended] = table.summary(store)["ended"]
    assert ended["id"] == batch_id and ended["outcome"]["written"] == len(paths)
    assert "ended: model notes for" in describe(done.as_dict())


def test_errored_expired_and_canceled_requests_keep_their_offline_notes(indexed) -> None:
    repo, store = indexed
    script = [error(529), batch_result("expired"), batch_result("canceled")] + [answer] * 60
    with FakeAnthropic(script) as api:
        with batches_at(api) as batches:
            sleep_in_batch(repo, store, batches, budget=1_000_000, level=2)
            before = store.query("SELECT id FROM notes WHERE path IN (SELECT unnest(?)) ORDER BY id",
                                 [sent_files(api)[:3]])  # fmt: skip
            [done] = collect(batches, store)  # the fake ends it at the first poll
        paths = sent_files(api)
    outcome = table.summary(store)["ended"][0]["outcome"]
    assert outcome["kept_offline"] == {"errored": 1, "expired": 1, "canceled": 1}
    assert outcome["written"] == len(paths) - 3
    for path in paths[:3]:
        assert model_notes(store, path) == []
    after = store.query(
        "SELECT id FROM notes WHERE path IN (SELECT unnest(?)) ORDER BY id", [paths[:3]]
    )
    assert after == before, "their offline notes are untouched"
    errors = [r[0] for r in store.query("SELECT error FROM model_calls WHERE error IS NOT NULL")]
    assert sorted(e.split(":")[0] for e in errors) == ["canceled", "expired", "overloaded_error"]
    assert outcome == done.as_dict()
    line = describe(outcome)
    assert "offline notes kept for 1 canceled, 1 errored, 1 expired" in line


def test_a_file_changed_since_it_was_sent_drops_its_result(indexed, sample_repo: Path) -> None:
    repo, store = indexed
    with FakeAnthropic([answer] * 60) as api, batches_at(api) as batches:
        sleep_in_batch(repo, store, batches, budget=1_000_000, level=2)
        changed, *unchanged = sent_files(api)
        source = sample_repo / changed
        source.write_text(source.read_text() + "\n\ndef added_later():\n    return 1\n")
        commit_all(sample_repo, "Change a file while its batch runs", day=25)
        index_repository(repo, store)
        [done] = collect(batches, store)
    assert done.stale == 1
    assert done.written == len(unchanged)
    assert model_notes(store, changed) == []
    assert all(model_notes(store, path) for path in unchanged)
    result = store.one(
        "SELECT result FROM batch_requests WHERE path = ? AND batch_id = ?",
        [changed, done.batch_id],
    )
    assert result == ("stale",)


def test_a_refused_submission_is_sent_again_and_an_unknown_batch_is_let_go(indexed) -> None:
    repo, store = indexed
    with FakeAnthropic([answer] * 60) as api:
        with batches_at(api, key="sk-ant-wrong") as wrong:
            result = sleep_in_batch(repo, store, wrong, budget=1_000_000, level=2)
        assert result["batch"]["id"] is None
        assert "ANTHROPIC_API_KEY was refused" in result["batch"]["error"]
        assert api.batches == {}
        [unsent] = table.summary(store)["pending"]
        assert unsent["state"] == "unsent"
        with batches_at(api) as batches:
            [sent] = collect(batches, store)
            assert sent.state == "sent" and sent.batch_id in api.batches
            [done] = collect(batches, store)
        assert done.state == "ended" and done.written == unsent["requests"]
    with FakeAnthropic() as elsewhere, batches_at(elsewhere) as batches:  # it never saw it
        store.con.execute(
            "UPDATE batches SET state = 'in_progress', outcome_json = NULL WHERE id = ?",
            [done.batch_id],
        )
        [lost] = collect(batches, store)
    assert lost.state == "lost"
    assert table.summary(store)["ended"][0]["state"] == "lost"


def test_the_budget_counts_each_request_at_its_estimate(indexed) -> None:
    repo, store = indexed
    with FakeAnthropic([answer] * 60) as api, batches_at(api) as batches:
        result = sleep_in_batch(repo, store, batches, budget=3_000, level=2)
    sent = result["batch"]
    assert sent["requests"] >= 1
    assert sent["estimated_tokens"] >= 1_000
    assert result["files_done"] < result["files_pending"], "the rest waits for the next run"
    [request] = json.loads(store.one("SELECT params_json FROM batch_requests LIMIT 1")[0])[
        "messages"
    ]
    assert request["content"][0]["cache_control"] == {"type": "ephemeral"}


def test_sleep_batch_returns_at_once_and_the_next_sleep_collects(sample_repo: Path) -> None:
    from tests.procs import offline_env, swe

    with FakeAnthropic([answer] * 60) as api:
        env = offline_env(ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url)
        done = swe("sleep", "--batch", "-C", str(sample_repo), env=env)
        assert done.returncode == 0, done.stderr
        [batch_id] = api.batches
        assert f"batch {batch_id} submitted: " in done.stdout
        assert "the daemon collects them, or the next `swe-agent sleep`" in done.stdout
        assert api.messages == []
        status = swe("status", "-C", str(sample_repo), env=env)
        assert f"batch pending: {batch_id} (" in status.stdout
        last = swe("sleep", "-C", str(sample_repo), env=env)
        assert last.returncode == 0, last.stderr
        assert f"batch {batch_id} ended: model notes for " in last.stdout
        status = swe("status", "-C", str(sample_repo), env=env)
    assert "batch pending" not in status.stdout
    assert f"last batch: {batch_id} ended " in status.stdout
    with open_store(sample_repo, read_only=True) as store:
        assert model_notes(store)


def test_sleep_batch_without_a_key_says_what_to_do(sample_repo: Path) -> None:
    from tests.procs import swe

    assert swe("sleep", "-C", str(sample_repo)).returncode == 0
    with open_store(sample_repo, read_only=True) as store:
        before = store.query("SELECT id FROM notes ORDER BY id")
    done = swe("sleep", "--batch", "-C", str(sample_repo))
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "needs ANTHROPIC_API_KEY" in line and "leave out --batch" in line
    with open_store(sample_repo, read_only=True) as store:
        assert store.query("SELECT id FROM notes ORDER BY id") == before
