from swe_agent.config import Settings
from swe_agent.llm import ScriptedModel, tool_reply
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import sessions
from swe_agent.store.db import Store
from tests.agent.asking import ask
from tests.agent.test_loop import assert_pairs_intact
from tests.fakerules import scripted_refusal as api_refusal


def test_continue_resumes_the_last_session_with_its_messages(
    store: Store, repo: GitRepo, settings: Settings
) -> None:
    first = ask(store, repo, "Where are redirects followed?", settings=settings)
    model = ScriptedModel([tool_reply("answer", {"explanation": "same place", "locations": []})])
    second = ask(
        store,
        repo,
        "And where is the redirect limit set?",
        settings=settings,
        model=model,
        continue_last=True,
    )
    assert second["session"] == first["session"]
    messages = model.requests[0]["messages"]
    assert "Where are redirects followed?" in str(messages[0])
    assert "And where is the redirect limit set?" in str(messages[-1])
    assert_pairs_intact(messages)
    assert api_refusal(model.requests[0]) is None
    for earlier, later in zip(messages, messages[1:], strict=False):
        assert earlier["role"] != later["role"]  # roles alternate, as the Messages API wants
    listed = sessions.list_sessions(store)
    assert [(s["id"], s["turns"]) for s in listed] == [(first["session"], 2)]
    turns = store.query("SELECT turn, question FROM agent_turns ORDER BY turn")
    assert [t[0] for t in turns] == [1, 2]


def test_a_new_session_starts_fresh_but_keeps_preferences(
    store: Store, repo: GitRepo, settings: Settings
) -> None:
    script = ScriptedModel(
        [
            tool_reply(
                "core_memory_append", {"label": "preferences", "text": "Cite line numbers."}
            ),
            tool_reply("answer", {"explanation": "ok", "locations": []}),
        ]
    )
    first = ask(store, repo, "Remember: cite line numbers.", settings=settings, model=script)
    later = ScriptedModel([tool_reply("answer", {"explanation": "ok", "locations": []})])
    second = ask(store, repo, "Where is retry backoff?", settings=settings, model=later)
    assert second["session"] != first["session"]
    assert "Cite line numbers." in later.requests[0]["system"][1]
    assert "Remember" not in str(later.requests[0]["messages"])
    assert len(sessions.list_sessions(store)) == 2


def test_ledger_rows_per_step_and_totals(store: Store, repo: GitRepo, settings: Settings) -> None:
    result = ask(store, repo, "Where is retry backoff computed?", settings=settings)
    rows = sessions.ledger(store, result["session"])
    assert len(rows) == result["usage"]["tool_calls"]
    assert sum(r["input_tokens"] for r in rows) == result["usage"]["test_time_input_tokens"]
    assert all(r["phase"] == "test" and r["context_tokens"] > 0 for r in rows)
    totals = sessions.ledger_totals(store)
    assert totals["tasks"] == 1
    assert totals["input_tokens"] == result["usage"]["test_time_input_tokens"]


def test_a_session_saved_before_the_fixes_is_restored_valid(
    store: Store, repo: GitRepo, settings: Settings
) -> None:
    """Saved by older code: an empty reply and the nudge after it, and a summary that took the
    newest sequence number. Restored, the queue starts with the summary and the API accepts it."""
    sid = sessions.new_session(store, title="old", mode="claude", head=None)

    def use(i: str, name: str) -> list[dict]:
        return [{"type": "tool_use", "id": i, "name": name, "input": {"query": "x"}}]

    def result(i: str) -> list[dict]:
        return [{"type": "tool_result", "tool_use_id": i, "content": "found"}]

    summary = "[summary of 3 earlier messages, now in recall storage]\n- user: where?"
    rows = [
        (0, "user", [{"type": "text", "text": "<task>where?</task>"}]),
        (1, "assistant", use("t1", "search_code")),
        (2, "user", result("t1")),
        (3, "assistant", []),
        (4, "user", [{"type": "text", "text": "Every reply must call a tool."}]),
        (5, "assistant", use("t2", "answer")),
        (6, "user", result("t2")),
        (7, "user", [{"type": "text", "text": summary}]),
    ]
    sessions.save_messages(store, sid, 1, [(q, r, c, str(c), 10) for q, r, c in rows])
    sessions.move_to_recall(store, sid, [0, 1, 2], "- user: where?")
    model = ScriptedModel([tool_reply("answer", {"explanation": "again", "locations": []})])
    ask(store, repo, "And now?", settings=settings, model=model, continue_last=True)
    request = model.requests[0]
    assert api_refusal(request) is None
    assert request["messages"][0]["content"][0]["text"] == summary
    assert [m["role"] for m in request["messages"]] == ["user", "assistant", "user"]
    assert "3 earlier messages are in recall storage" in request["system"][1]
