"""Ranking steps that judge whole files, each on a small repository of its own under
fixtures/ranking/ where the step decides the order."""

import shutil
from pathlib import Path

import pytest

from swe_agent.index import index_repository
from swe_agent.ranking import search
from swe_agent.ranking.memory import MemoryIndex
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store, open_store
from swe_agent.store.files import generated_paths
from tests.helpers import FIXTURES, commit_all, git


def fixture_store(name: str, tmp_path: Path) -> Store:
    root = tmp_path / name
    shutil.copytree(FIXTURES / "ranking" / name, root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, f"fixture {name}")
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store, max_bytes=1_000_000, workers=1)
    return open_store(root, read_only=True)


@pytest.fixture(params=["store", "memory"])
def held(request):
    return request.param


def test_a_question_prefers_the_file_other_files_use(tmp_path, held) -> None:
    # alpha.py and omega.py hold the same words; three files use Omega, none Alpha
    with fixture_store("central", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how is an incoming request dispatched", 5, index=index)
        assert [h.path for h in hits[:2]] == ["app/omega.py", "app/alpha.py"]
        # a symbol lookup is not a question about the code's hubs: the tie stays by path
        hits = search(store, "start", 5, index=index)
        assert [h.path for h in hits[:2]] == ["app/alpha.py", "app/omega.py"]


def test_a_question_prefers_a_file_of_several_matching_chunks(tmp_path, held) -> None:
    # single.py's one function matches a little better than any one of several.py's five
    with fixture_store("coherent", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how are header lines split into name and value", 5, index=index)
        assert [h.path for h in hits[:2]] == ["text/several.py", "text/single.py"]


def test_a_file_the_question_names_rises(tmp_path, held) -> None:
    # diff_view.py says "view" more often, but only view.py has its whole name asked for
    with fixture_store("named", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how is a view drawn", 5, index=index)
        assert [h.path for h in hits[:2]] == ["app/view.py", "app/diff_view.py"]


def test_a_question_prefers_the_file_that_uses_the_matching_files(tmp_path, held) -> None:
    # notes.py says "record rendered" as writer.py does, but only writer.py wires up the three
    # formats the question's other words find
    with fixture_store("hub", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how is a record rendered", 6, index=index)
        paths = [h.path for h in hits]
        assert paths.index("app/writer.py") < paths.index("app/notes.py")


def test_a_file_named_with_another_ending_of_a_question_word_rises(tmp_path, held) -> None:
    # resolver.py never says "resolution", and says "host" once where table.py says it twice
    with fixture_store("stems", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "where is host resolution done", 5, index=index)
        assert hits[0].path == "net/resolver.py"


def test_a_question_prefers_the_file_that_holds_all_its_words(tmp_path, held) -> None:
    # single.py's one chunk matches better than any of several.py's, which between them
    # hold every word of the question
    with fixture_store("wholefile", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how is a cached response expired", 5, index=index)
        assert hits[0].path == "app/several.py"


def test_a_header_ranks_below_its_source_file(tmp_path, held) -> None:
    # punycode.h's comment says what punycode.c's does, in fewer words; the work is in the .c
    with fixture_store("header", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "where is a domain name label encoded", 5, index=index)
        assert hits[0].path == "src/punycode.c"


def test_a_long_report_is_not_weighed_by_whole_files(tmp_path, held) -> None:
    # the hub question above inside a report whose other words match nothing: writer.py does
    # not rise as the hub, and notes.py, the better text match, keeps the lead
    report = (
        "how is a record rendered: after upgrading, spinners flicker and progress bars wrap"
        " inside nested tmux panes over ssh, glyphs vanish, unicode borders break, colours"
        " bleed, cursors jump, logs interleave, prompts stall"
    )
    with fixture_store("hub", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        paths = [h.path for h in search(store, report, 6, index=index)]
        assert paths.index("app/notes.py") < paths.index("app/writer.py")


def test_a_prototype_gives_way_to_its_definition_in_another_file(tmp_path, held) -> None:
    # widgets.h declares widget_resize and says its name three times; toolkit.c holds the code.
    # widget_count is declared only (the platform defines it): its prototype is the answer
    with fixture_store("prototype", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "widget_resize", 5, index=index)
        assert (hits[0].path, hits[0].symbol) == ("src/toolkit.c", "widget_resize")
        hits = search(store, "widget_count", 5, index=index)
        assert (hits[0].path, hits[0].symbol) == ("include/widgets.h", "widget_count")


def test_a_question_prefers_the_file_nearer_the_top_of_the_tree(tmp_path, held) -> None:
    # the posix backend's pool.py says "idle" and "connection" more often; net/pool.py, two
    # folders up, is the module that returns connections to the pool
    with fixture_store("shallow", tmp_path) as store:
        index = MemoryIndex(store) if held == "memory" else None
        hits = search(store, "how is an idle connection returned to the pool", 5, index=index)
        assert [h.path for h in hits[:2]] == ["net/pool.py", "net/backends/posix/pool.py"]


def test_a_generated_file_ranks_below_code_unless_the_query_names_it(tmp_path, held) -> None:
    # parser.c says it is Bison's output and holds the query's words more often than compile.c
    question = "how is a filter expression read"
    with fixture_store("generated", tmp_path) as store:
        assert generated_paths(store) == {"src/parser.c"}
        index = MemoryIndex(store) if held == "memory" else None
        assert search(store, question, 5, index=index)[0].path == "src/compile.c"
        named = search(store, f"{question} in parser.c", 5, index=index)
        assert named[0].path == "src/parser.c"
    banner = tmp_path / "generated" / "src" / "parser.c"  # without its banner it is code
    banner.write_text("\n".join(banner.read_text().splitlines()[3:]))
    commit_all(banner.parent.parent, "hand-written now")
    with open_store(banner.parent.parent) as store:
        index_repository(GitRepo(banner.parent.parent), store, max_bytes=1_000_000, workers=1)
        assert generated_paths(store) == frozenset()
        index = MemoryIndex(store) if held == "memory" else None
        assert search(store, question, 5, index=index)[0].path == "src/parser.c"
