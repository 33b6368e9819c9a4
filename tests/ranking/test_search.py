import pytest

from swe_agent.index import index_repository
from swe_agent.ranking import parse_query, search
from swe_agent.ranking.memory import MemoryIndex, generation
from swe_agent.ranking.paths import is_test_path, path_class
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from tests.helpers import make_sample_repo


def test_a_symbol_query_puts_its_definition_first(sample_store) -> None:
    hits = search(sample_store, "Session", 5)
    assert (hits[0].path, hits[0].symbol) == ("minihttp/sessions.py", "Session")
    qualified = search(sample_store, "HTTPBasicAuth.apply", 3)
    assert (qualified[0].path, qualified[0].symbol) == ("minihttp/auth.py", "HTTPBasicAuth.apply")


def test_code_ranks_above_the_tests_and_docs_that_share_its_words(sample_store) -> None:
    hits = search(sample_store, "authorization dropped on cross host redirect", 10)
    assert hits[0].path == "minihttp/sessions.py"
    tests_first = search(sample_store, "unit tests for authorization dropped on redirect", 10)
    assert tests_first[0].path == "tests/test_sessions.py"


def test_a_capitalised_word_in_a_question_is_a_name_whose_definition_counts(sample_store) -> None:
    hits = search(sample_store, "how a Session sends a request", 3)
    assert (hits[0].path, hits[0].symbol) == ("minihttp/sessions.py", "Session")


def test_one_file_does_not_fill_the_page_and_ties_do_not_depend_on_k(sample_store) -> None:
    ten = search(sample_store, "redirect auth headers", 10)
    assert len({h.path for h in ten[:3]}) >= 2
    for k in (1, 3, 6):
        assert [
            (h.path, h.start_line) for h in search(sample_store, "redirect auth headers", k)
        ] == [(h.path, h.start_line) for h in ten[:k]]


def test_query_kinds() -> None:
    assert parse_query("Rails::Engine").symbol
    assert parse_query("Rails::Engine").names == ("Engine",)
    assert parse_query("Rails::Engine").qualifiers == ("Rails",)
    prose = parse_query("where does parseHeaders split lines of a raw_response")
    assert not prose.symbol
    assert set(prose.names) == {"parseHeaders", "raw_response"}
    assert not parse_query("how are tests selected with -k").wants_tests
    # a capital inside a sentence is a name; an acronym or the sentence's first word is not
    assert parse_query("How are HTTP records handed to the Logger").names == ("Logger",)
    assert parse_query("unit tests for the redirect logic").wants_tests
    # an issue names docs, tests and examples in passing; what it asks for is in its title
    body = "The docs say the example works, and the unit tests pass. " * 10
    issue = parse_query("Printing a map loses its keys\n\n" + body)
    assert not (issue.wants_docs or issue.wants_tests or issue.wants_examples)
    assert parse_query("Documentation of reset() is misleading\n\n" + body).wants_docs


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("src/click/testing.py", "code"),
        ("tests/test_core.py", "test"),
        ("pkg/server_test.go", "test"),
        ("src/test/java/com/x/FooTest.java", "test"),
        ("lib/foo.spec.ts", "test"),
        ("spec/models/user_spec.rb", "test"),
        ("docs/guide.md", "doc"),
        ("README.rst", "doc"),
        ("_examples/hello/main.go", "example"),
        ("vendor/github.com/x/y.go", "vendored"),
        ("types/index.d.ts", "generated"),
        ("sphinx/themes/basic/static/jquery-3.5.1.js", "vendored"),
        ("static/underscore-1.3.1.min.js", "vendored"),
        ("dist/d3.min.js", "vendored"),
        ("src/plugin/index.js", "code"),
        ("lib/app.v2.js", "code"),
        ("contrib/linux-kernel/lib/zstd/compress.c", "vendored"),
        ("contrib/completion/_fd", "other"),
        ("django/contrib/admin/options.py", "code"),
        ("config/settings.yaml", "other"),
        ("src/Latest.java", "code"),
        ("projects/SelfTest/UsageTests/Approx.tests.cpp", "test"),
        ("tests/Contest/score.py", "test"),
        ("src/Contest/score.java", "code"),
        ("test/run.bats", "test"),
        ("lib/bats-core/test_functions.bash", "code"),
        ("src/test_vectors.c", "test"),
        ("benches/throughput.rs", "example"),
        ("single_include/nlohmann/json.hpp", "code"),
        ("extras/catch_amalgamated.cpp", "code"),
        ("singleheader/simdjson.h", "code"),
    ],
)
def test_path_classes(path: str, kind: str) -> None:
    assert path_class(path) == kind
    assert is_test_path(path) == (kind == "test")


def test_an_unknown_word_finds_nothing(sample_store) -> None:
    assert search(sample_store, "zzzyxq", 5) == []


def test_search_within_paths(sample_store) -> None:
    hits = search(sample_store, "redirect", 10, paths=["minihttp/sessions.py"])
    assert hits
    assert {h.path for h in hits} == {"minihttp/sessions.py"}


QUERIES = [
    "Session",
    "HTTPBasicAuth.apply",
    "authorization dropped on cross host redirect",
    "redirect auth headers",
    "cookie jar",
    "unit tests for authorization dropped on redirect",
    "zzzyxq",
]


def test_the_memory_index_ranks_as_the_store_does(sample_store) -> None:
    index = MemoryIndex(sample_store)
    for query in QUERIES:
        from_store = search(sample_store, query, 10)
        in_memory = search(sample_store, query, 10, index=index)
        assert [(h.path, h.start_line, h.symbol) for h in in_memory] == [
            (h.path, h.start_line, h.symbol) for h in from_store
        ], query
        assert [round(h.score, 6) for h in in_memory] == [round(h.score, 6) for h in from_store]


def test_a_memory_index_knows_when_the_store_changed(tmp_path) -> None:
    root = make_sample_repo(tmp_path / "sample")
    repo = GitRepo(root)
    with open_store(root, create=True) as store:
        index_repository(repo, store, max_bytes=1_000_000, workers=1)
        index = MemoryIndex(store)
        assert index.generation == generation(store)
        (root / "minihttp" / "retry.py").write_text(
            "def backoff_jitter(attempt):\n    return attempt\n"
        )
        index_repository(repo, store, max_bytes=1_000_000, workers=1)
        assert index.generation != generation(store)
        assert (
            search(store, "backoff_jitter", 1, index=MemoryIndex(store))[0].path
            == "minihttp/retry.py"
        )
