"""Store.insert writes a few rows as bound lists and many as a NumPy scan, Store.insert_plain
many plain rows through a TSV file: all read back as written."""

from pathlib import Path

from swe_agent.store.db import BULK_ROWS, open_store
from swe_agent.store.search import POSTING_COLUMNS
from swe_agent.store.symbols import DEF_COLUMNS


def definitions(n: int) -> list[tuple]:
    """Rows with large signed ids, NULLs, non-ASCII text, and a column whose first non-NULL
    value comes last (a scan must not settle on its type from the first rows alone)."""
    return [
        (
            (-1) ** i * (2**62 + i), f"pkg/mod{i % 97}.py", f"name{i}", f"Cls.name{i}", "function",
            i + 1, i + 3, None if i % 3 else f"def name{i}(x: 'é\ufffd')", None,
            "Cls" if i == n - 1 else None,
        )
        for i in range(n)
    ]  # fmt: skip


def test_few_and_many_rows_read_back_as_written(tmp_path: Path) -> None:
    few, many = definitions(7), definitions(BULK_ROWS + 3)
    with open_store(tmp_path, create=True) as store:
        for rows in (few, many):
            with store.transaction():
                store.insert("definitions", DEF_COLUMNS, rows)
            back = store.query(f"SELECT {', '.join(DEF_COLUMNS)} FROM definitions ORDER BY rowid")
            assert back == rows
            store.con.execute("DELETE FROM definitions")


def test_many_plain_rows_read_back_as_written_and_leave_no_file(tmp_path: Path) -> None:
    """Postings with the largest ids, and a batch that TSV cannot carry (a tab in a term, a
    carriage return), which goes the way of insert instead."""
    plain = [(f"term{i % 1013}", (-1) ** i * (2**63 - 1 - i), i % 7 + 1) for i in range(BULK_ROWS)]
    odd = [*plain[:-2], ("tab\tterm", 5, 1), ("cr\rterm", 6, 2)]
    with open_store(tmp_path, create=True) as store:
        for rows in (plain[:9], plain, odd):
            with store.transaction():
                store.insert_plain("postings", POSTING_COLUMNS, rows)
            back = store.query(f"SELECT {', '.join(POSTING_COLUMNS)} FROM postings ORDER BY rowid")
            assert back == rows
            store.con.execute("DELETE FROM postings")
        assert not list(store.path.parent.glob("*.tsv"))
