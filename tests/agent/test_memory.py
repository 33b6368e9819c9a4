import pytest

from swe_agent.agent.context import MainContext, summarize
from swe_agent.agent.memory import Block, CoreMemory, MemoryEditError, WorkingSet
from swe_agent.llm.tokens import count_tokens


def core() -> CoreMemory:
    return CoreMemory([Block("preferences", "likes", 40), Block("task", "now", 200)])


def test_core_memory_append_replace_and_limits() -> None:
    memory = core()
    assert "appended" in memory.append("preferences", "short answers")
    with pytest.raises(MemoryEditError, match="would hold"):
        memory.append("preferences", "x" * 40)
    memory.append("preferences", "tabs")
    with pytest.raises(MemoryEditError, match="occurs 0 times"):
        memory.replace("preferences", "spaces", "x")
    memory.set("task", "a a")
    with pytest.raises(MemoryEditError, match="occurs 2 times"):
        memory.replace("task", "a", "b")
    memory.replace("preferences", "tabs", "spaces")
    assert memory.values()["preferences"] == "short answers\nspaces"
    with pytest.raises(MemoryEditError, match="no core memory block"):
        memory.append("nope", "x")
    assert '<preferences chars="20/40"' in memory.render()


def test_working_set_closes_least_recently_used() -> None:
    held = WorkingSet()
    a = held.open("a", 100, "t1", key="a")
    b = held.open("b", 100, "t2", key="b")
    c = held.open("c", 100, "t3", key="c")
    closed = held.evict(150, keep={a.id})
    assert [s.id for s in closed] == [b.id, c.id]
    assert list(held.slots) == [a.id]
    assert held.tokens() == 100
    assert "1 page open" in held.summary()


def exchange(context: MainContext, n: int, size: int) -> None:
    context.add(
        "assistant",
        [{"type": "tool_use", "id": f"t{n}", "name": "search_code", "input": {"query": "q"}}],
    )
    body = f"minihttp/sessions.py:{n}-{n + 5} Session.m{n}\n" + "filler " * size
    context.add("user", [{"type": "tool_result", "tool_use_id": f"t{n}", "content": body}])


def test_compaction_never_splits_a_tool_use_from_its_result() -> None:
    context = MainContext("system", core(), 2_000)
    context.add_user_text('<task kind="question">\nwhere?\n</task>')
    for n in range(1, 10):
        exchange(context, n, 120)
    assert context.tokens() >= context.budget
    moved = context.compact()
    assert moved > 0
    assert context.tokens() <= context.budget
    first, second = context.messages[0], context.messages[1]
    assert first["role"] == "user"
    assert first["content"][0]["text"].startswith("[summary of")
    assert second["role"] == "assistant"
    uses = [b["id"] for m in context.messages if m["role"] == "assistant" for b in m["content"]]
    results = [
        b["tool_use_id"] for m in context.messages[1:] if m["role"] == "user" for b in m["content"]
    ]
    assert uses == results
    assert "minihttp/sessions.py:1-6 Session.m1" in context.summary  # verbatim


def test_summary_is_recursive_and_bounded() -> None:
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "x", "content": "a/b.py:1-2 A.b\n" * 50}
            ],
        }
    ]
    first = summarize("", messages, 500)
    second = summarize(
        first, [{"role": "assistant", "content": "look at `Session.send` next"}], 500
    )
    assert second.startswith(first.splitlines()[0])
    assert "`Session.send`" in second
    assert count_tokens(summarize(second * 40, messages, 100)) <= 100
