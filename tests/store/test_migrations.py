from pathlib import Path

import duckdb
import pytest

from swe_agent.errors import NoIndex, StoreError
from swe_agent.store import migrations
from swe_agent.store.db import open_store, store_path


def schema(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE NOT internal ORDER BY table_name, column_index"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, kind))
    return out


def test_schema_built_from_an_empty_file(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        tables = schema(store.con)
        numbers = migrations.applied(store.con)
    assert numbers == [m[0] for m in migrations.all_migrations()]
    assert numbers[:3] == [1, 2, 3]
    assert {
        "meta",
        "files",
        "definitions",
        "refs",
        "chunks",
        "postings",
        "skipped",
        "model_calls",
        "notes",
        "sleep_runs",
        "_migrations",
    } <= set(tables)
    assert tables["postings"] == [("term", "VARCHAR"), ("chunk_id", "BIGINT"), ("tf", "INTEGER")]
    assert [c for c, _ in tables["files"]] == [
        "path",
        "language",
        "hash",
        "size",
        "mtime_ns",
        "lines",
        "commit_sha",
        "parse_errors",
        "indexed_at",
    ]


def test_migrating_twice_applies_nothing(tmp_path: Path) -> None:
    open_store(tmp_path, create=True).close()
    with open_store(tmp_path, create=True) as store:
        assert migrations.pending(store.con) == []
        assert migrations.migrate(store.con) == []


def test_missing_store_says_to_index(tmp_path: Path) -> None:
    with pytest.raises(NoIndex, match="swe-agent index"):
        open_store(tmp_path)


def test_foreign_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE precious (x INTEGER)")
    con.execute("INSERT INTO precious VALUES (42)")
    con.close()
    with pytest.raises(StoreError, match="--rebuild"):
        open_store(tmp_path, create=True)
    con = duckdb.connect(str(path))
    assert con.execute("SELECT x FROM precious").fetchall() == [(42,)]
    con.close()


def test_garbage_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="--rebuild"):
        open_store(tmp_path, create=True)
    assert path.read_bytes().startswith(b"this is not a database")


def test_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        store.con.execute("INSERT INTO _migrations (id, name) VALUES (9999, 'future')")
    with pytest.raises(StoreError, match="newer"):
        open_store(tmp_path, read_only=True)
