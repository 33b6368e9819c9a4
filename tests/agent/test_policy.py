from pathlib import Path

from swe_agent.agent.offline.question import parse_question
from swe_agent.config import Settings
from swe_agent.llm.tokens import count_tokens
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import sessions
from swe_agent.store.db import Store
from tests.agent.asking import ask
from tests.helpers import note_on_merge_cookies

TRACEBACK = """\
Following many redirects crashes:

Traceback (most recent call last):
  File "/home/u/venv/lib/python3.11/site-packages/minihttp/cli.py", line 14, in main
    response = request(argv[0], argv[1])
  File "/home/u/venv/lib/python3.11/site-packages/minihttp/sessions.py", line 34, in request
    response = self.resolve_redirects(response, prepared)
  File "/home/u/venv/lib/python3.11/site-packages/minihttp/sessions.py", line 52, in resolve_redirects
    raise TooManyRedirects(f"exceeded {self.max_redirects} redirects")
minihttp.sessions.TooManyRedirects: exceeded 30 redirects
"""


def test_question_parsing_finds_what_an_issue_names() -> None:
    q = parse_question(
        "Calling `Session.send` from cli.py fails with KeyError; see HTTPAdapter and merge_cookies(). "
        "I prefer short answers."
    )
    assert q.identifiers[0] == "Session.send"
    assert {"HTTPAdapter", "merge_cookies"} <= set(q.identifiers)
    assert "KeyError" not in q.identifiers
    assert q.paths == ["cli.py"]
    assert q.preferences == ["I prefer short answers"]
    t = parse_question(TRACEBACK)
    assert [f.func for f in t.frames] == ["main", "request", "resolve_redirects"]
    assert t.paths[0] == "home/u/venv/lib/python3.11/site-packages/minihttp/sessions.py"
    assert "TooManyRedirects" in t.identifiers
    assert not t.about_tests
    assert parse_question("Which tests cover redirects?").about_tests
    assert parse_question("where are redirects followed").identifiers == []


def offline(store: Store, repo: GitRepo, question: str, **kwargs) -> dict:
    return ask(store, repo, question, settings=Settings(), **kwargs)


def test_offline_ask_finds_the_planted_answer_cheaply(
    store: Store, repo: GitRepo, indexed_repo: Path
) -> None:
    result = offline(
        store,
        repo,
        "Where is the Authorization header dropped when a redirect goes to another host?",
    )
    assert result["mode"] == "offline"
    assert result["patch"] is None
    top = result["locations"][0]
    assert (top["path"], top["symbol"]) == ("minihttp/sessions.py", "Session.rebuild_auth")
    assert top["start_line"] <= 69 <= top["end_line"]
    assert top["why"]
    assert result["answer"].startswith("Answered offline")
    # its first file is clear enough to answer from the evidence, without quoting code
    assert "without opening code pages" in result["answer"]
    raw = sum(count_tokens(p.read_text()) for p in indexed_repo.rglob("*.py"))
    usage = result["usage"]
    assert 0 < usage["test_time_input_tokens"] < raw
    assert usage["tool_calls"] >= 2  # a search, then the answer
    # sure from the code alone, it reads no notes: nothing is left for them to decide
    steps = ",".join(r["tools"] for r in sessions.ledger(store, result["session"]))
    assert "search_code" in steps and "search_notes" not in steps
    assert set(usage) == {
        "test_time_input_tokens",
        "test_time_output_tokens",
        "tool_calls",
        "notes_used",
        "sleep_time_tokens_available",
    }


def test_offline_follows_named_symbols_and_tracebacks(store: Store, repo: GitRepo) -> None:
    result = offline(store, repo, "Why does `HTTPAdapter.send` sleep between attempts?")
    assert result["locations"][0]["path"] == "minihttp/adapters.py"
    assert {"HTTPAdapter.send", "HTTPAdapter.backoff_time"} & {
        loc["symbol"] for loc in result["locations"][:2]
    }
    traced = offline(store, repo, TRACEBACK)
    top = [(loc["path"], loc["symbol"]) for loc in traced["locations"][:3]]
    assert ("minihttp/sessions.py", "Session.resolve_redirects") in top
    assert "traceback" in traced["locations"][0]["why"]


def test_offline_answers_a_question_without_identifiers(store: Store, repo: GitRepo) -> None:
    result = offline(store, repo, "how long do we wait before trying a failed connection again?")
    assert result["locations"][0]["path"] == "minihttp/adapters.py"
    files = [loc["path"] for loc in result["locations"]]
    assert files.index("minihttp/adapters.py") < min(
        (files.index(p) for p in files if p.startswith("tests/")), default=99
    )


def test_a_stated_preference_is_kept_for_later_sessions(store: Store, repo: GitRepo) -> None:
    first = offline(
        store, repo, "I prefer answers that name the function. Where are cookies merged?"
    )
    assert sessions.preferences(store)["preferences"] == "I prefer answers that name the function"
    second = offline(store, repo, "Where are URLs quoted?")
    assert second["session"] != first["session"]
    core = sessions.load_session(store, second["session"]).core
    assert core["preferences"] == "I prefer answers that name the function"


def test_notes_guide_the_offline_answer(store: Store, repo: GitRepo) -> None:
    from swe_agent.store.notes import Note, write_notes

    code_hash = store.one("SELECT hash FROM files WHERE path = 'minihttp/cookies.py'")[0]
    evidence = [
        {"path": "minihttp/cookies.py", "symbol": "merge_cookies", "start_line": 12, "end_line": 17}
    ]
    with store.transaction():
        write_notes(
            store,
            [
                Note(
                    "question",
                    "minihttp/cookies.py",
                    "merge_cookies",
                    "Where are expired cookies handled?",
                    "Nowhere yet: merge_cookies stores every cookie, even Max-Age=0 (FIXME).",
                    evidence,
                    code_hash,
                    "offline",
                    tokens=120,
                )
            ],
        )
    question = "Which code keeps expired cookies?"  # the code alone is unsure of it
    with_notes = offline(store, repo, question)
    assert with_notes["usage"]["notes_used"] >= 1
    assert with_notes["usage"]["sleep_time_tokens_available"] >= 120
    top = with_notes["locations"][0]
    assert top["symbol"] == "merge_cookies"
    assert "note" in top["why"]
    without = offline(store, repo, question, use_notes=False)
    assert without["usage"]["notes_used"] == 0
    steps = sessions.ledger(store, without["session"])
    assert "search_notes" not in ",".join(r["tools"] for r in steps)
    summaries_only = ask(store, repo, question, settings=Settings(note_kinds="summary"))
    assert summaries_only["usage"]["notes_used"] == 0  # the question note is not read
    assert all("note" not in loc["why"] for loc in summaries_only["locations"])


def test_a_page_a_note_already_described_is_not_opened_again(store: Store, repo: GitRepo) -> None:
    from swe_agent.store.notes import Note, write_notes

    code_hash = store.one("SELECT hash FROM files WHERE path = 'minihttp/cookies.py'")[0]
    place = {"path": "minihttp/cookies.py", "symbol": "merge_cookies", "start_line": 12,
             "end_line": 17}  # fmt: skip
    said = "Stores every cookie of a response in the jar, even expired ones."
    summary = Note("summary", "minihttp/cookies.py", "merge_cookies", f"merge_cookies: {said}",
                   f"{said} Takes jar, cookies.", [place], code_hash, "offline", tokens=40)  # fmt: skip
    asked = Note("question", "minihttp/cookies.py", "merge_cookies", "Which code keeps expired entries?",
                 "Nowhere checks Max-Age (FIXME).", [place], code_hash,
                 "offline", tokens=30)  # fmt: skip
    with store.transaction():
        write_notes(store, [summary, asked])
    question = "How are cookies merged into the jar?"
    opened = {}
    for use_notes in (False, True):
        answer = offline(store, repo, question, use_notes=use_notes)
        assert answer["locations"][0]["symbol"] == "merge_cookies"
        opened[use_notes] = sum(
            r["tools"].count("open_page") for r in sessions.ledger(store, answer["session"])
        )
        shown = sessions.load_session(store, answer["session"]).messages
    assert opened[True] <= opened[False] - 1  # the note said what merge_cookies does
    notes_page = next(str(m) for m in shown if "search_notes:" in str(m))
    # code search listed merge_cookies before the notes were read: each note on it is one line
    assert "merge_cookies — Stores every cookie" in notes_page  # the place names the symbol once
    assert "Which code keeps expired entries?" in notes_page
    assert "Takes jar" not in notes_page and "FIXME" not in notes_page


def test_a_sure_answer_reads_no_more_code_and_an_unsure_one_does(
    store: Store, repo: GitRepo
) -> None:
    from swe_agent.agent.offline.policy import SURE_ENOUGH
    from swe_agent.sleep import run_sleep

    def tools(answer: dict) -> str:
        return ",".join(r["tools"] for r in sessions.ledger(store, answer["session"]))

    named = "Where does `rebuild_auth` drop the Authorization header on redirects?"
    cookies = "How are cookies merged into the jar?"
    before = {q: offline(store, repo, q, use_notes=False) for q in (named, cookies)}
    assert "lookup_symbol" in tools(before[named])
    assert before[cookies]["confidence"] < SURE_ENOUGH["open_page"]
    assert "open_page" in tools(before[cookies])
    first = before[cookies]["locations"][0]
    assert f"\n{first['path']}:{first['start_line']}-" in before[cookies]["answer"]  # its page
    run_sleep(repo, store, budget=10**9, level=2)
    sure = offline(store, repo, named)  # its name's lookup settles it: no notes, no pages
    assert sure["confidence"] >= SURE_ENOUGH["lookup_symbol"]
    assert tools(sure) == tools(before[named])
    assert "search_notes" not in tools(sure) and "open_page" not in tools(sure)
    assert f"Confidence {sure['confidence']:.2f}: answered from this evidence" in sure["answer"]
    keys = ("path", "symbol", "start_line", "end_line")
    assert [sure["locations"][0][k] for k in keys] == [
        before[named]["locations"][0][k] for k in keys
    ]
    fairly = offline(store, repo, cookies)
    assert SURE_ENOUGH["open_page"] <= fairly["confidence"] < SURE_ENOUGH["lookup_symbol"]
    assert "open_page" not in tools(fairly)
    vague = offline(store, repo, "What happens on errors?")
    assert vague["confidence"] < SURE_ENOUGH["open_page"]
    assert "open_page" in tools(vague)


def test_a_question_that_is_only_a_name_is_answered_without_notes(
    store: Store, repo: GitRepo
) -> None:
    from swe_agent.store.notes import write_notes

    noted = note_on_merge_cookies(store, "question", "Where is rebuild_auth used?",
                                  "Session.rebuild_auth is called on redirects.", tokens=30)  # fmt: skip
    with store.transaction():
        write_notes(store, [noted])
    answers = {}
    asked = (("Session.rebuild_auth", False), ("Which code keeps expired cookies?", True))
    for question, reads_notes in asked:
        answers[question] = offline(store, repo, question)
        steps = sessions.ledger(store, answers[question]["session"])
        assert ("search_notes" in ",".join(r["tools"] for r in steps)) is reads_notes
    assert answers["Session.rebuild_auth"]["locations"][0]["symbol"] == "Session.rebuild_auth"


def test_an_issue_is_searched_without_lifting_every_name_it_uses() -> None:
    from swe_agent.agent.offline.policy import OfflinePolicy

    tools = [{"name": "search_code"}, {"name": "answer"}]

    def first_search(text: str) -> dict[str, object]:
        block = OfflinePolicy(text).complete([], [], tools).content[0]
        assert block["name"] == "search_code"
        return dict(block["input"])

    # a question's names lead as `swe-agent search` lifts them ("the Session type")
    assert "names" not in first_search("how the Session type sends a request")
    # an issue names many classes in passing; the policy looks up those that matter itself
    issue = "Session.send drops the Authorization header. " + "HTTPAdapter retries it. " * 20
    assert first_search(issue)["names"] is False


def test_a_line_the_issue_points_to_names_the_definition_that_holds_it(
    store: Store, repo: GitRepo
) -> None:
    # nothing in the words names rebuild_auth; the line the reporter points to does
    for pointer in ("The fault is in `sessions.py` at line 68.", "See line 68 of sessions.py."):
        result = offline(
            store, repo, f"Redirected requests keep a header they should not. {pointer}"
        )
        top = result["locations"][0]
        assert (top["path"], top["symbol"]) == ("minihttp/sessions.py", "Session.rebuild_auth")
        assert "points to" in top["why"]


def test_notes_are_read_only_where_they_can_spare_reading_code() -> None:
    from swe_agent.agent.offline.policy import SURE_ENOUGH, _needs_notes

    pages = [("open_page", {"path": "a.py"})]
    sure = SURE_ENOUGH["open_page"]
    assert _needs_notes(sure - 0.3, sure, pages)  # a note agreeing would spare the pages
    assert not _needs_notes(sure - 0.3, sure - 0.1, pages)  # no note could settle it
    assert not _needs_notes(sure, 0.99, pages)  # the code alone is sure enough
    assert not _needs_notes(sure - 0.3, sure, [("lookup_symbol", {"name": "f"})])  # no pages left
    assert _needs_notes(0.0, 0.0, [])  # nothing found: the notes are all there is


def test_a_long_issue_searches_the_code_before_it_reads_notes(store: Store, repo: GitRepo) -> None:
    from swe_agent.store.notes import write_notes

    noted = note_on_merge_cookies(store, "question", "Where are cookies merged?",
                                  "merge_cookies stores them in the jar.", tokens=30)  # fmt: skip
    with store.transaction():
        write_notes(store, [noted])
    log = "\n".join(f"debug: request {i} sent a cookie jar with {i} cookies" for i in range(400))
    issue = (
        f"Cookies are merged twice\n\nWhen a response sets cookies they are merged twice.\n{log}"
    )
    # a long issue fills much of the budget: the code's own searches come first, the notes after
    result = offline(store, repo, issue)
    tools = ",".join(r["tools"] for r in sessions.ledger(store, result["session"])).split(",")
    assert tools[:2] == ["search_code", "search_code"]  # the issue, then its title and names
    assert result["locations"][0]["path"] == "minihttp/cookies.py"
