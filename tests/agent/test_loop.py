import dataclasses
from typing import Any

from swe_agent.config import Settings
from swe_agent.llm import Reply, ScriptedModel, Usage, text_reply, tool_reply
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import sessions
from swe_agent.store.db import Store
from tests.agent.asking import ask
from tests.fakerules import scripted_refusal

QUESTION = "Where is the Authorization header dropped on redirects?"


def with_usage(reply: Reply, input_tokens: int, output_tokens: int) -> Reply:
    return dataclasses.replace(reply, usage=Usage(input_tokens, output_tokens))


def results_of(request: dict[str, Any]) -> list[dict[str, Any]]:
    last = request["messages"][-1]
    return [b for b in last["content"] if isinstance(b, dict) and b.get("type") == "tool_result"]


def assert_pairs_intact(messages: list[dict[str, Any]]) -> None:
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        uses = [b["id"] for b in message["content"] if b.get("type") == "tool_use"]
        following = messages[i + 1]["content"] if i + 1 < len(messages) else []
        answered = [b.get("tool_use_id") for b in following if isinstance(b, dict)]
        assert set(uses) <= set(answered), f"tool_use {uses} cut from its result"


def test_scripted_model_drives_every_tool(store: Store, repo: GitRepo, settings: Settings) -> None:
    rebuild = {
        "path": "minihttp/sessions.py",
        "symbol": "Session.rebuild_auth",
        "start_line": 63,
        "end_line": 70,
        "why": "pops Authorization",
    }
    model = ScriptedModel(
        [
            tool_reply("search_notes", {"query": "redirect auth"}),
            tool_reply("search_code", {"query": "Authorization redirect"}),
            tool_reply("lookup_symbol", {"name": "rebuild_auth"}),
            tool_reply("outline", {"path": "minihttp/sessions.py"}),
            tool_reply("open_page", {"path": "minihttp/sessions.py", "line": 63, "lines": 8}),
            tool_reply("history", {"path": "minihttp/sessions.py"}),
            tool_reply("recall_search", {"query": "redirect"}),
            tool_reply(
                "core_memory_append", {"label": "preferences", "text": "answer in one line"}
            ),
            tool_reply(
                "core_memory_replace",
                {"label": "preferences", "old": "one line", "new": "two lines"},
            ),
            tool_reply("open_page", {"path": "../../etc/passwd"}),
            with_usage(
                tool_reply(
                    "answer",
                    {
                        "explanation": "rebuild_auth drops it",
                        "locations": [rebuild, {"path": "/etc/passwd", "why": "x"}],
                    },
                ),
                700,
                90,
            ),
        ]
    )
    result = ask(store, repo, QUESTION, settings=settings, model=model)
    assert result["mode"] == "claude"
    assert result["answer"] == "rebuild_auth drops it"
    assert result["locations"] == [dict(rebuild)]  # the path outside the repository is dropped
    assert result["usage"]["tool_calls"] == 11
    assert result["patch"] is None
    assert (
        result["usage"]["test_time_input_tokens"],
        result["usage"]["test_time_output_tokens"],
    ) == (700, 90)

    requests = model.requests
    assert len(requests) == 11
    assert [scripted_refusal(r) for r in requests] == [None] * 11  # the API would take each
    assert all(r["system"][0] == requests[0]["system"][0] for r in requests)  # stable prefix
    assert "two lines" in requests[-1]["system"][1]
    assert "two lines" not in requests[8]["system"][1]
    for k, request in enumerate(requests[1:], 1):
        (result_block,) = results_of(request)
        text = result_block["content"]
        assert text.startswith(f"[step {k} of 12 · ")
        assert "tokens used]" in text.splitlines()[0]
        assert text.splitlines()[-1].startswith("[page ")
    refused = results_of(requests[10])[0]
    assert refused["is_error"]
    assert "leads outside the repository" in refused["content"]
    assert "Session.rebuild_auth" in results_of(requests[3])[0]["content"]

    assert sessions.preferences(store) == {"preferences": "answer in two lines"}
    rows = sessions.ledger(store, result["session"])
    assert [r["step"] for r in rows] == list(range(1, 12))
    assert rows[-1]["tools"] == "answer"


def test_small_budget_warns_then_moves_old_messages_to_recall(store: Store, repo: GitRepo) -> None:
    settings = Settings(context_budget=3_000, max_steps=30)
    files = [
        "minihttp/sessions.py",
        "minihttp/auth.py",
        "minihttp/adapters.py",
        "minihttp/utils.py",
        "minihttp/cookies.py",
        "minihttp/cli.py",
    ]
    replies = [tool_reply("open_page", {"path": f}) for f in files]
    replies += [
        tool_reply("recall_search", {"query": "HTTPBasicAuth"}),
        tool_reply("answer", {"explanation": "done", "locations": []}),
    ]
    model = ScriptedModel(replies)
    result = ask(store, repo, QUESTION, settings=settings, model=model)
    warned = next(i for i, r in enumerate(model.requests) if "[memory pressure:" in r["system"][1])
    summarised = next(
        i for i, r in enumerate(model.requests) if "[summary of" in str(r["messages"][0]["content"])
    )
    assert 0 < warned <= summarised
    for request in model.requests:
        assert request["messages"][0]["role"] == "user"
        assert_pairs_intact(request["messages"])
        assert "[memory pressure:" not in str(request["messages"])
        assert scripted_refusal(request) is None
    recalled = results_of(model.requests[-1])[0]["content"]
    assert "HTTPBasicAuth" in recalled
    assert "session " in recalled
    out_of_context = store.one(
        "SELECT count(*) FROM agent_messages WHERE session_id = ? AND NOT in_context",
        [result["session"]],
    )[0]
    assert out_of_context > 0
    assert store.one("SELECT count(*) FROM agent_summaries")[0] >= 1
    assert all(
        r["context_tokens"] <= settings.context_budget
        for r in sessions.ledger(store, result["session"])
    )


def test_pages_close_least_recently_used(store: Store, repo: GitRepo) -> None:
    files = [
        "minihttp/sessions.py",
        "minihttp/auth.py",
        "minihttp/adapters.py",
        "minihttp/utils.py",
        "minihttp/cookies.py",
        "minihttp/cli.py",
        "tests/test_sessions.py",
    ]
    replies = [tool_reply("open_page", {"path": f, "lines": 30}) for f in files]
    replies.insert(
        1, tool_reply("open_page", {"path": "minihttp/sessions.py", "line": 31, "lines": 30})
    )
    replies.append(tool_reply("answer", {"explanation": "done", "locations": []}))
    model = ScriptedModel(replies)
    result = ask(
        store, repo, QUESTION, settings=Settings(context_budget=4_000, max_steps=30), model=model
    )
    last = model.requests[-1]
    results = [
        b["content"]
        for m in last["messages"]
        if m["role"] == "user"
        for b in m["content"]
        if b.get("type") == "tool_result"
    ]
    assert results[0].startswith("[p1 closed to save context: minihttp/sessions.py:1-30")
    assert "open_page tests/test_sessions.py" in results[-1]
    working_set = last["system"][1].split("<working_set>")[1]
    assert "tests/test_sessions.py:1-25" in working_set
    assert "minihttp/sessions.py:1-30" not in working_set
    assert "[summary of" not in str(last["messages"][0])
    assert max(r["context_tokens"] for r in sessions.ledger(store, result["session"])) < 4_000


def test_step_limit_forces_an_answer(store: Store, repo: GitRepo, settings: Settings) -> None:
    model = ScriptedModel(
        [tool_reply("search_code", {"query": f"q{i}"}) for i in range(3)]
        + [tool_reply("answer", {"explanation": "forced", "locations": []})]
    )
    result = ask(
        store, repo, QUESTION, settings=dataclasses.replace(settings, max_steps=3), model=model
    )
    assert result["answer"] == "forced"
    assert len(model.requests) == 4
    assert "step limit (3) is reached" in model.requests[-1]["system"][1]
    assert scripted_refusal(model.requests[-1]) is None
    assert "step limit" not in str(model.requests[-1]["messages"])


def test_a_reply_without_a_tool_call_is_told_to_use_one(
    store: Store, repo: GitRepo, settings: Settings
) -> None:
    model = ScriptedModel(
        [
            text_reply("I think it is in sessions.py"),
            tool_reply("answer", {"explanation": "sessions.py", "locations": []}),
        ]
    )
    result = ask(store, repo, QUESTION, settings=settings, model=model)
    assert result["answer"] == "sessions.py"
    assert "Every reply must call a tool" in str(model.requests[1]["messages"][-1])
    assert scripted_refusal(model.requests[1]) is None


def test_a_forced_answer_in_prose_is_kept(store: Store, repo: GitRepo, settings: Settings) -> None:
    model = ScriptedModel(
        [
            tool_reply("search_code", {"query": "redirect"}),
            tool_reply("outline", {"path": "minihttp/auth.py"}),
        ]
        + [tool_reply("search_code", {"query": "x"}, text="It is in sessions.py")]
    )
    result = ask(
        store, repo, QUESTION, settings=dataclasses.replace(settings, max_steps=2), model=model
    )
    assert result["answer"] == "It is in sessions.py"
    assert result["locations"] == []
    assert "no other tool will run" in model.requests[-1]["system"][1]
    assert result["usage"]["tool_calls"] == 3  # the forced step's call is counted, not run
