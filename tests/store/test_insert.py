"""Store.insert writes a few rows as bound lists and many as a NumPy scan, Store.append through
DuckDB's appender: all read back as written."""

import gc
from pathlib import Path

import duckdb
import pytest

from swe_agent.store.db import APPEND_ROWS, BULK_ROWS, open_store
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


TRICKY = ["", "\r", "\n", "a\r\nb", 'say "hi"', "a,b", "\t", "\\", "\\N\\N", "x\\N", "é\ufffd", " "]


def test_rows_appended_read_back_as_written_and_go_with_a_rollback(tmp_path: Path) -> None:
    """Text a file of rows would have had to quote or could not carry (line breaks, quotes,
    commas, tabs, '\\N' beside NULL), empty text beside NULL, the largest ids, many rows."""
    defs = [
        (i, f"p{i}.py", TRICKY[i % len(TRICKY)], TRICKY[i * 7 % len(TRICKY)], "function", i, i,
         None if i % 5 == 0 else TRICKY[i * 3 % len(TRICKY)] * (1 + i % 40), None, "")
        for i in range(60_000)
    ]  # fmt: skip
    defs[:50] = [(i, "p.py", "a\nb", "c\rd", "e\r\nf", i, i, "\n", "\r", "\n\n") for i in range(50)]
    terms = [(f"term{i % 1013}\t", (-1) ** i * (2**63 - 1 - i), i % 7 + 1) for i in range(9)]
    with open_store(tmp_path, create=True) as store:
        for table, columns, rows in (
            ("definitions", DEF_COLUMNS, defs),
            ("postings", POSTING_COLUMNS, terms),
        ):
            with store.transaction():
                store.append(table, columns, rows)
                store.append(table, columns, [])
            back = store.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
            assert back == rows
        with pytest.raises(RuntimeError), store.transaction():
            store.append("postings", POSTING_COLUMNS, terms)
            raise RuntimeError("interrupted")
        assert store.one("SELECT count(*) FROM postings") == (len(terms),)


def test_rows_appended_while_appending_read_back_in_order_and_none_outlive_an_error(
    tmp_path: Path,
) -> None:
    """Store.appending holds one appender a table: batches appended in it read back in the
    order appended (some handed to the table before its end, from APPEND_ROWS on, the rest at
    its end); on an error in the block, the rows not yet handed over are dropped, in a
    transaction or not, and none appear when the appenders are released."""
    defs = definitions(2 * APPEND_ROWS + 5)
    batches = [defs[:3], defs[3 : APPEND_ROWS + 4], defs[APPEND_ROWS + 4 :]]
    terms = [(f"t{i}", i, 1) for i in range(5)]
    with open_store(tmp_path, create=True) as store:
        with store.transaction(), store.appending():
            for batch in batches:
                store.append("definitions", DEF_COLUMNS, batch)
                store.append("postings", POSTING_COLUMNS, terms)
        back = store.query(f"SELECT {', '.join(DEF_COLUMNS)} FROM definitions ORDER BY rowid")
        assert back == defs
        assert store.one("SELECT count(*) FROM postings") == (3 * len(terms),)
        store.con.execute("DELETE FROM definitions")
        store.con.execute("DELETE FROM postings")
        with pytest.raises(RuntimeError), store.transaction(), store.appending():
            for batch in batches:  # the first APPEND_ROWS handed over, the rest held
                store.append("definitions", DEF_COLUMNS, batch)
            store.append("postings", POSTING_COLUMNS, terms)
            raise RuntimeError("interrupted")
        with pytest.raises(RuntimeError), store.appending():  # no transaction: none written
            store.append("postings", POSTING_COLUMNS, terms)
            raise RuntimeError("interrupted")
        store.append("postings", POSTING_COLUMNS, terms[:1])  # later rows, appended alone
        gc.collect()
        assert store.one("SELECT count(*) FROM definitions") == (0,)
        assert store.query("SELECT term FROM postings") == [("t0",)]


def wal_bytes(store_file: Path) -> int:
    wal = Path(f"{store_file}.wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_large_commit_that_checkpoints_leaves_its_rows_in_the_file_not_the_log(
    tmp_path: Path,
) -> None:
    """A first index commits with checkpoint=True: its rows go into the database file at the
    commit, not into the write-ahead log first (which the close would copy into the file); a
    plain commit goes to the log, and so does a small one that asks; all read back the same,
    and the connection keeps DuckDB's own threshold for later commits."""
    rows = definitions(20_000)  # a few MB of log
    default = duckdb.connect().execute("SELECT current_setting('checkpoint_threshold')").fetchone()
    for checkpoint in (False, True):
        root = tmp_path / str(checkpoint)
        with open_store(root, create=True) as store:
            with store.transaction(checkpoint=checkpoint):
                store.insert("definitions", DEF_COLUMNS, rows)
            assert (wal_bytes(store.path) > 1_000_000) is not checkpoint
            assert store.one("SELECT current_setting('checkpoint_threshold')") == default
            if checkpoint:
                with store.transaction(checkpoint=True):
                    store.set_meta("indexed_head", "abc")
                assert 0 < wal_bytes(store.path) < 100_000
        with open_store(root, read_only=True) as store:
            back = store.query(f"SELECT {', '.join(DEF_COLUMNS)} FROM definitions ORDER BY rowid")
            assert back == rows


def test_settings_hold_for_the_block_and_are_reset_after(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        default = store.one("SELECT current_setting('threads'), current_setting('fsync_mode')")
        with store.settings(threads=1, fsync_mode="NONE"):
            assert store.one("SELECT current_setting('threads')") == (1,)
            assert store.one("SELECT current_setting('fsync_mode')") == ("NONE",)
        after = store.one("SELECT current_setting('threads'), current_setting('fsync_mode')")
        assert after == default and default != (1, "NONE")


def test_a_new_store_is_made_under_the_settings_of_the_block_that_first_uses_it(
    tmp_path: Path,
) -> None:
    """A block's settings on a store not yet made: the store is made and migrated for it, the
    settings hold in the block (from the connect on: a first index makes its file and commits
    its schema without waiting for the disk), and their defaults come back after."""
    default = (
        duckdb.connect()
        .execute("SELECT current_setting('threads'), current_setting('fsync_mode')")
        .fetchone()
    )
    with open_store(tmp_path, create=True) as store:
        assert store.unmade
        with store.settings(threads=1, fsync_mode="NONE"):
            assert not store.unmade and store.meta("tokenizer") is None  # made and migrated
            assert store.one(
                "SELECT current_setting('threads'), current_setting('fsync_mode')"
            ) == (1, "NONE")
        assert (
            store.one("SELECT current_setting('threads'), current_setting('fsync_mode')") == default
        )
    with open_store(tmp_path, read_only=True) as store:
        assert store.one("SELECT count(*) FROM files") == (0,)


def test_several_meta_keys_are_set_at_once_and_replace_old_values(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        store.set_meta("a", "old")
        store.set_metas({"a": "1", "b": "2"})
        store.set_metas({})
        assert store.query("SELECT key, value FROM meta ORDER BY key") == [("a", "1"), ("b", "2")]
