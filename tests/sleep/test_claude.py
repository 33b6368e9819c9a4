"""Sleep-time notes written by a model: one call per file, the file once in the cached prefix and
its definitions after it; a scripted model, and the real SDK against the strict fake API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from swe_agent.config import Settings
from swe_agent.index import index_repository
from swe_agent.llm import ScriptedModel, Usage, text_reply
from swe_agent.llm.factory import open_model
from swe_agent.sleep import run_sleep
from swe_agent.store.calls import StoreRecorder, usage_totals
from tests.fakeapi import FakeAnthropic, text_message
from tests.helpers import commit_all

ASKED = re.compile(r"^- (\S+) \(", re.M)
BIG = "minihttp/codecs.py"


def asked(messages: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The file text and the definitions a request asks about."""
    [message] = messages
    file_block, definitions_block = message["content"]
    return file_block["text"], ASKED.findall(definitions_block["text"])


def notes_json(messages: list[dict[str, Any]], only_first: bool = False) -> str:
    _, symbols = asked(messages)
    entries = [
        {
            "symbol": symbol,
            "summary": f"What {symbol} does, in words.",
            "questions": [{"question": f"Why does {symbol} fail?", "answer": f"See {symbol}."}],
        }
        for symbol in symbols[: 1 if only_first else None]
    ]
    return json.dumps({"definitions": entries})


def test_one_call_per_file_the_file_once_then_its_definitions(indexed) -> None:
    repo, store = indexed
    model = ScriptedModel([lambda r: text_reply(notes_json(r["messages"]))] * 40)
    report = run_sleep(repo, store, model=model, budget=1_000_000, level=2)
    files = [asked(r["messages"])[0].split(" (")[0] for r in model.requests]
    assert len(files) == len(set(files))
    assert 0 < len(files) <= report.files_done
    text, symbols = asked(model.requests[0]["messages"])
    path = text.split()[1]
    assert (repo.root / path).read_text().strip() in text, "the file, whole, comes first"
    assert model.requests[0]["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    assert 1 <= len(symbols) <= 3
    assert report.model_fallbacks == 0
    written = store.rows(
        "SELECT symbol, title FROM notes WHERE model = 'scripted' AND path = ?", [path]
    )
    assert {r["symbol"] for r in written} == set(symbols)
    assert any(r["title"] == f"Why does {symbols[0]} fail?" for r in written)


def test_definitions_the_model_got_wrong_keep_their_offline_notes(indexed) -> None:
    repo, store = indexed
    replies: list[Any] = [lambda r: text_reply(notes_json(r["messages"], only_first=True))]
    model = ScriptedModel(replies + [text_reply("not json")] * 40)
    report = run_sleep(repo, store, model=model, budget=1_000_000, level=2)
    _, symbols = asked(model.requests[0]["messages"])
    assert report.model_fallbacks == sum(len(asked(r["messages"])[1]) for r in model.requests) - 1
    offline = store.rows("SELECT symbol FROM notes WHERE model = 'offline' AND kind = 'summary'")
    assert set(symbols[1:]) <= {r["symbol"] for r in offline}


def test_tokens_of_unusable_replies_are_counted_and_a_dead_endpoint_is_left(indexed) -> None:
    repo, store = indexed
    bad = ScriptedModel([text_reply("not json", Usage(input_tokens=700, output_tokens=50))] * 2)
    report = run_sleep(repo, store, model=bad, budget=1_000_000, level=2)
    assert len(bad.requests) == 2 + 3, "two bad replies, then three files whose call failed"
    assert "offline after 3 failed calls" in report.mode
    assert report.files_done == report.files_pending
    total = store.one("SELECT sum(tokens) FROM notes")[0]
    assert report.tokens_spent == total
    assert total >= 2 * 750


def test_sleep_with_claude_through_the_real_sdk(indexed) -> None:
    repo, store = indexed
    with FakeAnthropic([lambda body: text_message(notes_json(body["messages"]))] * 60) as api:
        environ = {"ANTHROPIC_API_KEY": api.key, "ANTHROPIC_BASE_URL": api.url}
        with open_model("sleep", Settings(), environ, recorder=StoreRecorder(store)) as model:
            report = run_sleep(repo, store, model=model, budget=5_000, level=2)
        sent = api.messages
    assert report.mode.startswith("claude")
    assert report.tokens_spent >= 5_000
    assert sent
    assert sent[0]["model"] == Settings().sleep_model
    assert api.refused == []
    totals, spent = usage_totals(store, purpose="sleep"), api.usage()
    assert totals["calls"] == len(sent)
    assert totals["input_tokens"] == spent["input_tokens"]
    # the sample's files are ~750 tokens at most: below Haiku's 2,048, nothing is cached
    assert spent["cache_creation_input_tokens"] == spent["cache_read_input_tokens"] == 0
    assert store.one("SELECT count(*) FROM notes WHERE model = ?", [Settings().sleep_model])[0] > 0
    assert api.key not in json.dumps(
        store.rows("SELECT request_json, response_json FROM model_calls")
    )


def test_a_long_file_is_cached_and_read_back_when_asked_again(indexed, sample_repo: Path) -> None:
    repo, store = indexed
    (sample_repo / BIG).write_text(
        "".join(
            f'def codec_{i}(data, errors="strict"):\n    """Decode {i} bytes of data."""\n'
            f"    return bytes(data[{i}:]).decode('utf-8', errors)\n\n\n"
            for i in range(200)
        )
    )
    commit_all(sample_repo, "Add codecs", day=24)
    index_repository(repo, store)
    cut: list[str] = []

    def reply(body: dict[str, Any]) -> dict[str, Any]:
        text, _ = asked(body["messages"])
        if BIG in text.split("\n")[0] and not cut:
            cut.append(text)
            return text_message('{"definitions": [', stop_reason="max_tokens")
        return text_message(notes_json(body["messages"]))

    with FakeAnthropic([reply] * 60) as api:
        environ = {"ANTHROPIC_API_KEY": api.key, "ANTHROPIC_BASE_URL": api.url}
        with open_model("sleep", Settings(), environ) as model:
            run_sleep(repo, store, model=model, budget=1_000_000, level=2)
    calls = [
        (asked(r["body"]["messages"])[0], r["body"], r["answer"]["usage"]) for r in api.requests
    ]
    big = [(body, usage) for text, body, usage in calls if text.startswith(f"File {BIG}")]
    (first_body, first), (again_body, again) = big
    assert first["cache_creation_input_tokens"] >= 2048
    assert first["cache_read_input_tokens"] == 0
    assert again["cache_read_input_tokens"] == first["cache_creation_input_tokens"]
    assert again_body["max_tokens"] == 2 * first_body["max_tokens"]
    small = [usage for text, _, usage in calls if not text.startswith(f"File {BIG}")]
    assert small
    assert all(u["cache_creation_input_tokens"] == 0 for u in small)
    assert (
        store.one("SELECT count(*) FROM notes WHERE path = ? AND model <> 'offline'", [BIG])[0] > 0
    )


def test_sleep_model_flag_names_the_model_that_thinks(sample_repo: Path) -> None:
    from tests.procs import offline_env, swe

    with FakeAnthropic([lambda body: text_message(notes_json(body["messages"]))] * 60) as api:
        env = offline_env(ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url)
        done = swe("sleep", "--model", "claude-opus-5-5", "--budget", "3000", "-C",
                   str(sample_repo), env=env)  # fmt: skip
        sent = api.messages
    assert done.returncode == 0, done.stderr
    assert sent
    assert {body["model"] for body in sent} == {"claude-opus-5-5"}
