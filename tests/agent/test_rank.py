"""Ranking locations from evidence: pure functions, tested on hand-made evidence."""

from swe_agent.agent.offline.rank import Evidence, rank


def test_a_definition_takes_the_place_of_its_whole_file() -> None:
    evidence = [
        Evidence("views/static.py", None, 1, 140, 3.0, "note", "note: What is in views/static.py?"),
        Evidence("views/static.py", "was_modified_since", 103, 130, 1.0, "search", "BM25 rank 3"),
        Evidence("views/static.py", "serve", 28, 60, 0.8, "search", "BM25 rank 4"),
        Evidence("views/debug.py", "technical_500", 10, 40, 2.0, "search", "BM25 rank 1"),
    ]
    ranked = rank(evidence)
    order = [(loc.path, loc.symbol) for loc in ranked]
    # the file's evidence lifts its best definition above the file itself; a note alone about
    # the file does not push the best BM25 hit below it
    assert order[:2] == [
        ("views/debug.py", "technical_500"),
        ("views/static.py", "was_modified_since"),
    ]
    assert order.index(("views/static.py", None)) > order.index(
        ("views/static.py", "was_modified_since")
    )


def test_code_outside_definitions_stays_when_its_file_has_none() -> None:
    ranked = rank(
        [
            Evidence("setup.py", None, 1, 30, 2.0, "search", "BM25 rank 1"),
            Evidence("pkg/core.py", "run", 5, 20, 1.0, "search", "BM25 rank 2"),
        ]
    )
    assert [(loc.path, loc.symbol) for loc in ranked] == [
        ("setup.py", None),
        ("pkg/core.py", "run"),
    ]


def test_a_note_alone_does_not_push_a_strong_code_hit_below_it() -> None:
    named = Evidence(
        "pkg/core.py", "parse", 5, 20, 2.4, "symbol", "defines `parse` named in the question"
    )
    noted = [
        Evidence("pkg/other.py", "helper", 1, 9, 2.5, "note", "note: Where is input parsed?"),
        Evidence("pkg/other.py", "helper", 1, 9, 2.0, "note", "note: What does helper do?"),
    ]
    order = [loc.symbol for loc in rank([named, *noted])]
    assert order == ["parse", "helper"]  # the note's place comes in, below the named definition
    seconded = Evidence("pkg/other.py", "helper", 1, 9, 1.0, "search", "BM25 rank 2")
    order = [loc.symbol for loc in rank([named, *noted, seconded])]
    assert order == ["helper", "parse"]  # with evidence of its own from the code, it may lead


def test_search_evidence_is_weighed_by_its_path_once() -> None:
    # search's own ranking already counted the test file down; a lookup's definition had no such
    # weighing, so rank counts it down itself
    ranked = rank(
        [
            Evidence("tests/test_cache.py", "fill", 1, 9, 2.5, "search", "BM25 rank 1"),
            Evidence("pkg/cache.py", "Cache.get", 3, 20, 1.5, "search", "BM25 rank 2"),
            Evidence("tests/test_jar.py", "Jar", 1, 30, 3.0, "symbol", "defines `Jar`"),
        ]
    )
    assert [loc.path for loc in ranked] == [
        "tests/test_cache.py",
        "pkg/cache.py",
        "tests/test_jar.py",
    ]
