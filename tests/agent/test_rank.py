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
    # the file's evidence puts its best definition first; the file itself still comes, later
    assert order[:2] == [
        ("views/static.py", "was_modified_since"),
        ("views/debug.py", "technical_500"),
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
