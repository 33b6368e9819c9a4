"""Lookups give the same answer every time: ties are broken, never left to the engine."""

from pathlib import Path

from swe_agent.store.db import open_store
from swe_agent.store.symbols import DEF_COLUMNS, REF_COLUMNS, callers, references_to


def test_callers_and_references_with_equal_counts_come_in_line_order(tmp_path: Path) -> None:
    lines = list(range(2000, 0, -7))  # written in reverse, so no insertion order hides a tie
    with open_store(tmp_path, create=True) as store:
        with store.transaction():
            store.insert(
                "definitions", DEF_COLUMNS, [(1, "a.py", "f", "f", "function", 1, 1, "", "", None)]
            )
            calls = [("b.py", "f", n, "call", f"caller_{n}") for n in lines]
            imports = [("c.py", "f", n, "import", None) for n in lines]
            store.insert("refs", REF_COLUMNS, calls + imports)
        found = callers(store, "f", limit=20)
        refs = references_to(store, "f", limit=20)
    assert [c["line"] for c in found] == sorted(lines)[:20]
    assert [r["line"] for r in refs] == sorted(lines)[:20]
