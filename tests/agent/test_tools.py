import os
from pathlib import Path

import pytest

from swe_agent.agent.memory import default_core
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.records import CodeHit
from swe_agent.agent.retrieval import Sources
from swe_agent.agent.tools import TOOLS, Toolbox, paginate
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store
from tests.helpers import note_on_merge_cookies


def toolbox(store: Store, root: Path, page_tokens: int = 1500) -> Toolbox:
    guard = PathGuard(root, [r[0] for r in store.query("SELECT path FROM files")])
    core = default_core(None, "", "where?")
    return Toolbox(Sources(store, guard, GitRepo(root), "s1"), core, page_tokens=page_tokens)


def test_every_tool_has_a_schema_in_anthropic_format() -> None:
    names = [t["name"] for t in TOOLS]
    assert names == [
        "search_notes",
        "search_code",
        "lookup_symbol",
        "outline",
        "open_page",
        "history",
        "recall_search",
        "core_memory_append",
        "core_memory_replace",
        "answer",
    ]
    for tool in TOOLS:
        assert tool["description"]
        assert tool["input_schema"]["type"] == "object"


def test_search_lookup_outline_and_history(store: Store, indexed_repo: Path) -> None:
    tools = toolbox(store, indexed_repo)
    found = tools.run("search_code", {"query": "retry backoff"})
    assert found.body.splitlines()[1].startswith("1. minihttp/adapters.py:")
    assert found.page == 1
    assert found.pages >= 1
    assert not found.is_error

    symbol = tools.run("lookup_symbol", {"name": "Session.rebuild_auth"}).body
    assert "def minihttp/sessions.py:63-70 Session.rebuild_auth (method, exact)" in symbol
    assert "caller minihttp/sessions.py:" in symbol
    assert "Session.resolve_redirects" in symbol

    outline = tools.run("outline", {"path": "minihttp/sessions.py"}).body
    assert outline.startswith("outline minihttp/sessions.py (python, 75 lines")
    assert "63-70 method Session.rebuild_auth" in outline

    history = tools.run("history", {"path": "minihttp/sessions.py"}).body
    assert "Strip the Authorization header" in history
    assert "Initial import" in history
    by_symbol = tools.run("history", {"symbol": "HTTPAdapter.backoff_time"}).body
    assert "Add HTTPAdapter with retry" in by_symbol
    assert "Initial import" not in by_symbol


def test_search_code_lists_the_definition_of_a_type_named_in_words(
    store: Store, indexed_repo: Path
) -> None:
    """The agent's search ranks as `swe-agent search` does: "the Session type" is a name, and
    its definition leads, though the offline policy looks up only names written as code."""
    body = (
        toolbox(store, indexed_repo)
        .run("search_code", {"query": "how the Session type sends a request"})
        .body
    )
    assert body.splitlines()[1].startswith("1. minihttp/sessions.py:14-")
    assert body.splitlines()[1].split()[2] == "Session"


def test_search_code_records_say_what_each_hit_defines(store: Store, indexed_repo: Path) -> None:
    """The records carry the kind of each hit's definition (the text shows it in the preview's
    first line), so the offline rank can tell a function from a class or a constant."""
    records = toolbox(store, indexed_repo).run("search_code", {"query": "retry backoff"}).records
    kinds = {(r.symbol, r.kind) for r in records if isinstance(r, CodeHit)}
    assert ("HTTPAdapter.backoff_time", "method") in kinds
    assert ("HTTPAdapter", "class") in kinds
    assert all(kind == "" for symbol, kind in kinds if symbol is None)


def test_open_page_windows_and_pages(store: Store, indexed_repo: Path) -> None:
    tools = toolbox(store, indexed_repo)
    first = tools.run("open_page", {"path": "minihttp/sessions.py"})
    assert first.body.startswith("open_page minihttp/sessions.py lines 1-50 of 75")
    assert (first.page, first.pages) == (1, 2)
    assert "line=51" in first.next_call
    window = tools.run("open_page", {"path": "minihttp/sessions.py", "line": 63, "lines": 8})
    assert "lines 63-70 of 75 (in Session.rebuild_auth)" in window.body
    assert window.body.splitlines()[-1].strip().startswith("70|")
    second = tools.run("open_page", {"path": "minihttp/sessions.py", "page": 2})
    assert "lines 51-75" in second.body
    assert second.page == 2


def test_large_results_come_in_pages(store: Store, indexed_repo: Path) -> None:
    tools = toolbox(store, indexed_repo, page_tokens=60)
    first = tools.run("search_code", {"query": "session request headers auth redirect"})
    assert first.pages > 1
    assert "page=2" in first.next_call
    second = tools.run("search_code", {"query": "session request headers auth redirect", "page": 2})
    assert second.page == 2
    assert second.body.splitlines()[1] not in first.body
    assert paginate(["a" * 40] * 5, per_page=2, page_tokens=1000) == [["a" * 40] * 2] * 2 + [
        ["a" * 40]
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.py", "leads outside the repository"),
        ("minihttp/../../outside.py", "leads outside the repository"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("link/passwd", "link that leads outside"),
        (".env", "looks like a secret"),
        ("minihttp/nothing.py", "not an indexed file"),
        ("", "missing argument"),
    ],
)
def test_paths_outside_or_secret_are_refused(
    store: Store, indexed_repo: Path, path: str, message: str
) -> None:
    os.symlink("/etc", indexed_repo / "link")
    (indexed_repo / ".env").write_text("KEY=secret\n")
    tools = toolbox(store, indexed_repo)
    for name in ("open_page", "outline"):
        result = tools.run(name, {"path": path})
        assert result.is_error, result.body
        assert message in result.body, result.body


def test_a_path_with_a_prefix_or_without_one_finds_the_indexed_file(
    store: Store, indexed_repo: Path
) -> None:
    tools = toolbox(store, indexed_repo)
    assert tools.run("outline", {"path": "site-packages/minihttp/auth.py"}).body.startswith(
        "outline minihttp/auth.py"
    )
    assert tools.run("outline", {"path": "auth.py"}).body.startswith("outline minihttp/auth.py")


def test_core_memory_tools_and_bad_input(store: Store, indexed_repo: Path) -> None:
    tools = toolbox(store, indexed_repo)
    assert (
        "appended" in tools.run("core_memory_append", {"label": "preferences", "text": "tabs"}).body
    )
    assert (
        "replaced"
        in tools.run(
            "core_memory_replace", {"label": "preferences", "old": "tabs", "new": "spaces"}
        ).body
    )
    assert tools.core.values()["preferences"] == "spaces"
    assert tools.run(
        "core_memory_replace", {"label": "preferences", "old": "tabs", "new": "x"}
    ).is_error
    assert "no tool named" in tools.run("rm_rf", {}).body
    assert "must be int" in tools.run("open_page", {"path": "minihttp/auth.py", "line": "x"}).body


def test_search_notes_for_kinds_all_left_out_finds_none(store: Store, indexed_repo: Path) -> None:
    from swe_agent.store.notes import write_notes

    kept = note_on_merge_cookies(
        store, "question", "Where are expired cookies kept?", "merge_cookies stores every cookie."
    )
    with store.transaction():
        write_notes(store, [kept])
    query = {"query": "expired cookies kept"}
    every = toolbox(store, indexed_repo)
    assert [r.kind for r in every.run("search_notes", {**query, "kinds": []}).records] == [
        "question"
    ]
    guard = PathGuard(indexed_repo, [r[0] for r in store.query("SELECT path FROM files")])
    sources = Sources(store, guard, GitRepo(indexed_repo), "s1")
    summaries = Toolbox(
        sources, default_core(None, "", "where?"), note_kinds=frozenset({"summary"})
    )
    assert summaries.run("search_notes", {**query, "kinds": ["question"]}).records == []
    assert summaries.run("search_notes", query).records == []


def test_search_notes_for_a_rare_kind_finds_it_below_many_better_notes_of_others(
    store: Store, indexed_repo: Path
) -> None:
    from swe_agent.store.notes import search_notes, write_notes

    questions = [
        note_on_merge_cookies(store, "question", f"Expired cookies {i}?", "expired cookies " * 2)
        for i in range(40)
    ]
    history = note_on_merge_cookies(
        store, "history", "History of merge_cookies",
        "Fix expired cookies kept after a redirect, and other changes to the jar",
    )  # fmt: skip
    with store.transaction():
        write_notes(store, [*questions, history])
    assert "history" not in {r["kind"] for r in search_notes(store, "expired cookies", k=32)}
    found = search_notes(store, "expired cookies", kinds=["history"])
    assert [r["title"] for r in found] == ["History of merge_cookies"]


def test_a_note_on_a_place_already_listed_is_one_line(store: Store, indexed_repo: Path) -> None:
    from swe_agent.agent.recall import KNOWN_NOTE_CHARS
    from swe_agent.agent.records import NoteHit
    from swe_agent.store.notes import write_notes

    said = "Stores every cookie of a response in the jar, even the expired ones, as they came."
    with store.transaction():
        write_notes(store, [note_on_merge_cookies(store, "summary", f"merge_cookies: {said}",
                                                  f"{said} Takes jar, cookies.")])  # fmt: skip
    query = {"query": "expired cookies jar"}
    fresh = toolbox(store, indexed_repo).run("search_notes", query)
    assert "Takes jar, cookies." in fresh.body  # a place not yet listed: the body too
    tools = toolbox(store, indexed_repo)
    listed = tools.run("lookup_symbol", {"name": "merge_cookies"})
    assert "merge_cookies" in listed.body
    brief = tools.run("search_notes", query)
    line = next(e for e in brief.body.splitlines() if e.startswith("[summary]"))
    assert line.startswith("[summary] minihttp/cookies.py:12-17 merge_cookies — Stores every")
    assert len(line.split(" — ", 1)[1]) <= KNOWN_NOTE_CHARS
    assert "Takes jar" not in brief.body and "as they came" not in brief.body
    (note,) = [r for r in brief.records if isinstance(r, NoteHit)]
    assert note.body == "" and note.title in line  # the record holds what was shown
