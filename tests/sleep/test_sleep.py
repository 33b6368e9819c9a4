import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.cli import app
from swe_agent.config import Settings
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep import run_sleep
from swe_agent.store.db import open_store
from swe_agent.store.notes import mark_used, notes_for, repository_overview, search_notes
from tests.helpers import commit_all, git

runner = CliRunner(env={"ANTHROPIC_API_KEY": ""})


def test_offline_notes_of_every_kind_tied_to_the_code(indexed) -> None:
    repo, store = indexed
    report = run_sleep(repo, store, budget=1_000_000, level=3)
    assert set(report.notes_by_kind) == {
        "overview",
        "summary",
        "question",
        "tests",
        "history",
        "cochange",
    }
    assert report.mode == "offline"
    assert report.tokens_spent > 0
    hits = search_notes(store, "why is my Authorization header dropped after a redirect?", 3)
    assert any(h["symbol"] == "Session.rebuild_auth" for h in hits)
    assert hits[0]["evidence"][0]["path"] == "minihttp/sessions.py"
    history = [n for n in notes_for(store, symbol="Session.rebuild_auth") if n["kind"] == "history"]
    assert "Strip the Authorization header when a redirect leaves the host" in history[0]["body"]
    todo = [n for n in notes_for(store, path="minihttp/cookies.py") if "FIXME" in n["body"]]
    assert todo
    assert todo[0]["symbol"] == "merge_cookies"
    raised = [
        n
        for n in notes_for(store, symbol="Session.resolve_redirects")
        if "TooManyRedirects" in n["title"]
    ]
    assert raised
    assert "hops > self.max_redirects" in raised[0]["body"]
    tested = [n for n in notes_for(store, symbol="Session.request") if n["kind"] == "tests"]
    assert "authorization dropped on cross host redirect" in tested[0]["title"]
    assert "tests/test_sessions.py" in tested[0]["body"]  # the test's words, linked to the code
    assert not [n for n in notes_for(store, path="tests/test_sessions.py") if n["kind"] == "tests"]
    overview = repository_overview(store)
    assert "console script minihttp" in overview
    assert "pytest tests/" in overview
    hashes = dict(store.query("SELECT path, hash FROM files"))
    for note in notes_for(store):
        if note["path"]:
            assert (
                store.one("SELECT code_hash FROM notes WHERE id = ?", [note["id"]])[0]
                == hashes[note["path"]]
            )


def test_documentation_that_names_a_definition_becomes_a_note_on_it(sample_repo: Path) -> None:
    (sample_repo / "docs").mkdir()
    (sample_repo / "docs" / "guide.md").write_text(
        "# Guide\n\nA server that answers twice with one name keeps the newest value: "
        "`merge_cookies` overwrites the older crumb in the jar.\n\n"
        "- parse: this item says nothing of any definition at all here\n\n"
        ">>> merge_cookies(jar, {'a': '1'})  # an example is code, not words about it\n"
    )
    commit_all(sample_repo, "A guide", day=9)
    repo = GitRepo(sample_repo)
    with open_store(sample_repo, create=True) as store:
        index_repository(repo, store)
        run_sleep(repo, store, budget=1_000_000, level=2)
        documented = [n for n in notes_for(store) if n["kind"] == "docs"]
        assert [n["symbol"] for n in documented] == ["merge_cookies"]
        assert "docs/guide.md" in documented[0]["body"]
        assert ">>>" not in documented[0]["body"]
        hits = search_notes(store, "server answers twice, which crumb is kept?", 3)
        assert hits[0]["symbol"] == "merge_cookies"  # only the guide's words lead here


def test_deterministic_and_incremental(indexed, sample_repo: Path) -> None:
    repo, store = indexed
    run_sleep(repo, store, budget=1_000_000, level=2)
    first = store.query("SELECT id, title, body FROM notes ORDER BY id")
    again = run_sleep(repo, store, budget=1_000_000, level=2)
    assert again.files_pending == 0
    assert sum(again.notes_by_kind.values()) == 0
    assert store.query("SELECT id, title, body FROM notes ORDER BY id") == first


def test_notes_go_stale_with_their_code_and_are_rewritten(indexed, sample_repo: Path) -> None:
    repo, store = indexed
    run_sleep(repo, store, budget=1_000_000, level=2)
    before = len(notes_for(store, path="minihttp/auth.py"))
    auth = sample_repo / "minihttp/auth.py"
    auth.write_text(
        auth.read_text().replace("Bearer token authentication.", "Token authentication for APIs.")
    )
    commit_all(sample_repo, "Reword the token auth docstring", day=9)
    report = index_repository(repo, store)
    assert report.stale_notes == before
    assert notes_for(store, path="minihttp/auth.py") == []
    assert all(
        h["path"] != "minihttp/auth.py"
        for h in search_notes(store, "Bearer token authentication", 10)
    )
    rerun = run_sleep(repo, store, budget=1_000_000, level=2)
    assert rerun.dropped_stale == before
    assert rerun.files_done == 1
    assert any(
        "Token authentication for APIs" in n["body"]
        for n in notes_for(store, path="minihttp/auth.py")
    )


def test_budget_and_priority(indexed) -> None:
    repo, store = indexed
    plan = run_sleep(repo, store, budget=300, level=2, dry_run=True)
    assert plan.planned
    assert store.one("SELECT count(*) FROM notes") == (0,)
    assert plan.planned[0]["path"] != "tests/test_sessions.py"
    report = run_sleep(repo, store, budget=300, level=2)
    assert report.tokens_spent >= 300
    assert report.files_done < report.files_pending


def test_yielding_stops_early_and_the_next_run_goes_on(indexed) -> None:
    repo, store = indexed
    report = run_sleep(repo, store, budget=1_000_000, level=2, should_yield=lambda: True)
    assert report.yielded
    assert report.files_done == 0
    assert run_sleep(repo, store, budget=1_000_000, level=2).files_done == report.files_pending


def test_a_higher_level_adds_what_a_lower_one_left_out(indexed) -> None:
    repo, store = indexed
    first = run_sleep(repo, store, budget=1_000_000, level=1)
    assert set(first.notes_by_kind) == {"overview", "summary"}
    assert run_sleep(repo, store, budget=1_000_000, level=1).files_pending == 0
    upgrade = run_sleep(repo, store, budget=1_000_000, level=3)
    assert upgrade.files_pending == first.files_pending
    assert {"question", "history", "cochange"} <= set(upgrade.notes_by_kind)
    assert run_sleep(repo, store, budget=1_000_000, level=2).files_pending == 0


def test_use_by_the_foreground_survives_a_rewrite_and_raises_priority(
    indexed, sample_repo: Path
) -> None:
    repo, store = indexed
    run_sleep(repo, store, budget=1_000_000, level=2)
    used = [n["id"] for n in notes_for(store, symbol="HTTPBasicAuth")]
    for _ in range(3):
        mark_used(store, used)
    auth = sample_repo / "minihttp/auth.py"
    auth.write_text(auth.read_text() + "\n\nMAX_TOKEN_LENGTH = 4096\n")
    index_repository(repo, store)
    plan = run_sleep(repo, store, budget=1_000_000, level=2, dry_run=True)
    assert [p["path"] for p in plan.planned] == ["minihttp/auth.py"]
    run_sleep(repo, store, budget=1_000_000, level=2)
    rows = store.rows(
        "SELECT kind, used_count FROM notes WHERE symbol = 'HTTPBasicAuth' AND used_count > 0"
    )
    assert rows == [{"kind": "summary", "used_count": 3 * len(used)}]


@pytest.mark.parametrize("ctrl_c", [KeyboardInterrupt, RuntimeError("Query interrupted")])
def test_an_interrupted_run_keeps_what_it_wrote_and_the_next_goes_on(
    indexed, ctrl_c: BaseException | type[BaseException]
) -> None:
    """A Ctrl-C comes as a KeyboardInterrupt, or as DuckDB's RuntimeError when it met a query."""
    repo, store = indexed
    calls = iter(range(100))

    def interrupt_at_the_fourth_check() -> bool:  # checked before each file and within long ones
        if next(calls) == 3:
            raise ctrl_c
        return False

    with pytest.raises(ctrl_c if isinstance(ctrl_c, type) else type(ctrl_c)):
        run_sleep(
            repo, store, budget=1_000_000, level=2, should_yield=interrupt_at_the_fourth_check
        )
    kept = [p for (p,) in store.query("SELECT DISTINCT path FROM notes WHERE path <> ''")]
    assert 1 <= len(kept) <= 3
    whole = "SELECT count(*) FROM notes WHERE path = ? AND kind = 'summary' AND symbol IS NULL"
    assert all(store.one(whole, [p])[0] == 1 for p in kept)  # each kept file was written whole
    rest = run_sleep(repo, store, budget=1_000_000, level=2)
    assert rest.files_pending == rest.files_done
    assert rest.files_done > 3
    assert (
        store.one("SELECT count(DISTINCT path) FROM notes WHERE path <> ''")[0]
        == len(kept) + rest.files_done
    )


def test_cli_sleep_and_notes(sample_repo: Path) -> None:
    done = runner.invoke(app, ["sleep", "-C", str(sample_repo), "--level", "3", "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    assert result["mode"] == "offline"
    assert result["notes_written"] > 10
    assert (
        result["budget"] == Settings().offline_sleep_budget
    )  # offline covers the whole repository
    listed = json.loads(
        runner.invoke(
            app, ["notes", "Session.rebuild_auth", "-C", str(sample_repo), "--json"]
        ).output
    )
    assert {n["kind"] for n in listed} >= {"summary", "question", "history"}
    text = runner.invoke(app, ["sleep", "-C", str(sample_repo)]).output
    assert "offline" in text
    sample = sample_repo / "minihttp/utils.py"
    sample.write_text(sample.read_text() + "\n\ndef unused_helper(value):\n    return value\n")
    plan = runner.invoke(app, ["sleep", "-C", str(sample_repo), "--dry-run"]).output
    assert plan.startswith("plan (offline")
    assert "minihttp/utils.py" in plan
    assert "tokens" in plan
    capped = json.loads(
        runner.invoke(app, ["sleep", "-C", str(sample_repo), "--budget", "300", "--json"]).output
    )
    assert capped["budget"] == 300
    assert capped["tokens_spent"] <= 300 + 200  # a file's notes go in whole
    searched = runner.invoke(app, ["notes", "-s", "retry backoff", "-C", str(sample_repo)]).output
    assert "adapters.py" in searched


def test_bad_level_is_a_one_line_error(sample_repo: Path) -> None:
    swe_agent = Path(sys.executable).parent / "swe-agent"
    for args in (["--level", "7"], ["--budget", "-5"]):
        done = subprocess.run(
            [str(swe_agent), "sleep", "-C", str(sample_repo), *args], capture_output=True, text=True
        )
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_the_budget_is_model_tokens_with_a_model_and_note_tokens_offline() -> None:
    settings = Settings(sleep_budget=1_000, sleep_budget_per_commit=100, offline_sleep_budget=9_000)
    assert (
        settings.sleep_budget_for(None) == settings.sleep_budget_for(None, per_commit=True) == 9_000
    )
    model = object()
    assert settings.sleep_budget_for(model) == 1_000
    assert settings.sleep_budget_for(model, per_commit=True) == 100


def test_a_request_waits_for_a_few_definitions_not_a_whole_file(indexed, sample_repo: Path) -> None:
    repo, store = indexed
    run_sleep(repo, store, budget=1_000_000, level=2)
    many = sample_repo / "minihttp/codecs.py"
    many.write_text(
        "".join(
            f"def codec_{i}(data):\n    '''Codec {i}.'''\n    return data[{i}:]\n\n\n"
            for i in range(20)
        )
    )
    commit_all(sample_repo, "Add codecs", day=24)
    index_repository(repo, store)
    calls = iter(range(100))
    report = run_sleep(
        repo, store, budget=1_000_000, level=2, should_yield=lambda: next(calls) >= 1
    )
    assert report.yielded
    assert report.files_done == 0
    assert next(calls) == 2  # asked before the file, then within it
    assert (
        store.one("SELECT count(*) FROM notes WHERE path = 'minihttp/codecs.py'")[0] == 0
    )  # nothing half-written
    again = run_sleep(repo, store, budget=1_000_000, level=2)
    assert again.files_done == 1
    assert store.one("SELECT count(*) FROM notes WHERE path = 'minihttp/codecs.py'")[0] > 20


def test_the_first_commit_says_nothing_of_one_definition(tmp_path: Path) -> None:
    from swe_agent.sleep.history import read_history

    root = tmp_path / "imported"
    root.mkdir()
    git(root, "init", "-q")
    (root / "a.py").write_text("def alpha():\n    return 1\n")
    (root / "b.py").write_text("def beta():\n    return 2\n")
    commit_all(root, "import", day=1)
    (root / "a.py").write_text("def alpha():\n    return 10\n")
    (root / "b.py").write_text("def beta():\n    return 20\n")
    commit_all(root, "Scale alpha and beta", day=2)
    history = read_history(GitRepo(root))
    alpha = [{"qualname": "alpha", "start_line": 1, "end_line": 2}]
    found = history.definition_commits("a.py", alpha)
    assert [history.messages[i] for i in found["alpha"]] == ["Scale alpha and beta"]  # not "import"
    assert history.churn["a.py"] == 2
    assert history.cochange["a.py"] == {"b.py": 1}
