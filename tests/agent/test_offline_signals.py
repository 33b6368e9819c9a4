"""What the offline policy reads from its tools, each on a small repository of fixtures/offline:
the files a test rule misnames, tests that search read as asked for, definitions named in words,
and the whole lines of a class whose head a search hit is."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.agent.paths import PathGuard
from swe_agent.agent.records import CallerHit, DefinitionHit
from swe_agent.agent.retrieval import Sources, lookup_symbol
from swe_agent.config import Settings
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import files as files_table
from swe_agent.store.db import Store, open_store
from tests.agent.asking import ask
from tests.helpers import FIXTURES, commit_all, git


@pytest.fixture
def repo_of(tmp_path: Path) -> Iterator:
    opened: list[Store] = []

    def build(name: str) -> tuple[Store, GitRepo]:
        root = tmp_path / name
        shutil.copytree(FIXTURES / "offline" / name, root)
        git(root, "init", "-q", "-b", "main")
        commit_all(root, f"{name} fixture")
        repo = GitRepo(root)
        store = open_store(root, create=True)
        opened.append(store)
        index_repository(repo, store, workers=1)
        return store, repo

    yield build
    for store in opened:
        store.close()


def located(store: Store, repo: GitRepo, question: str) -> list[dict]:
    return ask(store, repo, question, settings=Settings())["locations"]


def test_code_in_a_file_named_like_a_test_is_still_found(repo_of) -> None:
    # test_functions.bash is library code that the test-name rule calls a test: search weighs it
    # down, the policy does not leave it out
    store, repo = repo_of("bash_lib")
    found = located(store, repo, "how should a flaky one be retried while attempts remain")
    assert found[0]["path"] == "lib/test_functions.bash"


def test_tests_count_less_where_search_read_the_question_as_asking_for_them(repo_of) -> None:
    # "fixture" makes search keep tests at full weight; the question is about the code
    store, repo = repo_of("fixture_words")
    found = located(
        store,
        repo,
        "A module-scoped fixture is set up again for every parametrized test instead of once. "
        "Where is a fixture's cached value reused or recomputed?",
    )
    assert found[0]["path"] == "src/runner/fixtures.py"


def test_a_definition_the_question_names_in_words_leads(repo_of) -> None:
    store, repo = repo_of("json_words")
    found = located(store, repo, "JSON array operations and element access")
    assert found[0]["path"] == "pkg/json_array.py"


def test_a_class_found_by_its_head_stands_for_all_its_lines(repo_of) -> None:
    store, repo = repo_of("class_span")
    found = located(store, repo, "token bucket throttle for bursts of outgoing requests")
    top = found[0]
    assert (top["path"], top["symbol"]) == ("pkg/throttle.py", "Throttle")
    assert (top["start_line"], top["end_line"]) == (4, 20)


def test_a_question_that_is_only_a_class_name_gets_the_class_not_its_member(repo_of) -> None:
    # search ranks pkg/schema.py's Schema best, and its member Schema.schema matches the name
    # too; a class yields to a member with evidence of its own (an issue's fix is more often in
    # a method), which put the memberless adapter's Schema first, but "Schema" asks for the
    # definition search found best
    store, repo = repo_of("bare_class")
    found = located(store, repo, "Schema")
    assert (found[0]["path"], found[0]["symbol"]) == ("pkg/schema.py", "Schema")


def test_a_lookup_marks_the_hits_in_a_generated_file(repo_of) -> None:
    # parser.c says Bison wrote it: the lookup's records and text say so, for both kinds of model
    store, repo = repo_of("generated_parser")
    guard = PathGuard(repo.root, files_table.indexed_paths(store))
    listing = lookup_symbol(Sources(store, guard, repo), "token_name")
    defs = {r.path: r.generated for r in listing.records if isinstance(r, DefinitionHit)}
    assert defs == {"src/parser.c": True, "src/tokens.c": False, "src/tokens.h": False}
    callers = [r for r in listing.records if isinstance(r, CallerHit)]
    assert [(c.qualname, c.generated) for c in callers] == [("yyparse", True)]
    assert [e for e in listing.entries if "generated" in e] == [
        e for e in listing.entries if "src/parser.c" in e
    ]
