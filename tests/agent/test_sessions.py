from swe_agent.config import Settings
from swe_agent.llm import ScriptedModel, tool_reply
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import sessions
from swe_agent.store.db import Store
from tests.agent.asking import ask
from tests.agent.test_loop import assert_pairs_intact


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
    assert (
        totals["tasks"] == 1 and totals["input_tokens"] == result["usage"]["test_time_input_tokens"]
    )
