"""Test-to-code links: the tests that call a definition, named in words.

A test's name and docstring say what behaviour it checks in the words an issue uses
("test_separability_matrix_nested_compound_model"), words the definition's own code rarely
holds. A note per tested definition carries them to it, so a question about the behaviour
finds the code the tests exercise.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from swe_agent.code.paths import is_test_path
from swe_agent.sleep.offline import FileFacts, first_sentence, note, words
from swe_agent.store.db import Store
from swe_agent.store.notes import Note
from swe_agent.store.symbols import test_callers

TESTS_PER_DEFINITION = 6
MAX_DEFINITIONS_OF_NAME = 3  # a name defined more often is too ambiguous to link a call to
MIN_NAME = 4  # shorter called names (get, add, run) link to too much

Links = dict[str, list[tuple[str, str, str]]]  # called name -> (test path, test qualname, doc)


def test_links(store: Store) -> Links:
    """The tests calling each name that few definitions share, from the reference table."""
    rows = test_callers(store, MAX_DEFINITIONS_OF_NAME, MIN_NAME)
    links: Links = defaultdict(list)
    for name, path, enclosing, doc in rows:
        if is_test_path(path) and "test" in enclosing.lower():
            links[name].append((path, enclosing, doc))
    return links


def tests_note(facts: FileFacts, d: dict[str, Any], links: Links, priority: float) -> Note | None:
    """The tests that call the definition: their names in words and their docstrings."""
    tests = links.get(d["name"], [])[:TESTS_PER_DEFINITION]
    if not tests or is_test_path(facts.path):
        return None
    names = [words(q).removeprefix("test ") for _, q, _ in tests]
    said = [
        f"{name}: {first_sentence(doc)}"
        for name, (_, _, doc) in zip(names, tests, strict=True)
        if doc.strip()
    ]
    title = f"Tests of {d['qualname']}: " + "; ".join(names)
    files = ", ".join(dict.fromkeys(path for path, _, _ in tests))
    body = f"{d['qualname']} is exercised by tests in {files}." + "".join(f" {s}." for s in said)
    return note(facts, d, "tests", title, body, priority)
