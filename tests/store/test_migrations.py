from pathlib import Path

import duckdb
import pytest

from swe_agent.errors import NoIndex, StoreError
from swe_agent.queries import lookup_symbol_in, search_code_in
from swe_agent.store import migrations
from swe_agent.store.db import open_store, store_path
from swe_agent.store.notes import Note, notes_for, write_notes

VC, INT, BIG, TS = "VARCHAR", "INTEGER", "BIGINT", "TIMESTAMP"
# The whole schema of the newest store. A new migration changes it here too, on purpose.
SCHEMA = {
    "_migrations": [("id", INT), ("name", VC), ("applied_at", TS)],
    "agent_ledger": [("session_id", VC), ("turn", INT), ("step", INT), ("phase", VC), ("tools", VC),
                     ("input_tokens", INT), ("output_tokens", INT), ("cache_read_input_tokens", INT),
                     ("cache_creation_input_tokens", INT), ("context_tokens", INT), ("created_at", TS)],
    "agent_messages": [("session_id", VC), ("seq", INT), ("turn", INT), ("role", VC),
                       ("content_json", VC), ("text", VC), ("tokens", INT), ("in_context", "BOOLEAN"),
                       ("created_at", TS)],
    "agent_preferences": [("label", VC), ("value", VC), ("updated_at", TS)],
    "agent_sessions": [("id", VC), ("title", VC), ("mode", VC), ("head", VC), ("core_json", VC),
                       ("turns", INT), ("created_at", TS), ("updated_at", TS)],
    "agent_summaries": [("session_id", VC), ("seq", INT), ("text", VC), ("created_at", TS)],
    "agent_turns": [("session_id", VC), ("turn", INT), ("kind", VC), ("question", VC), ("mode", VC),
                    ("result_json", VC), ("created_at", TS)],
    "batch_requests": [("batch_id", VC), ("custom_id", VC), ("path", VC), ("code_hash", VC),
                       ("definitions_json", VC), ("params_json", VC), ("result", VC)],
    "batches": [("id", VC), ("model", VC), ("level", INT), ("requests", INT), ("state", VC),
                ("submitted_at", TS), ("polled_at", TS), ("ended_at", TS), ("outcome_json", VC)],
    "chunks": [("id", BIG), ("space", VC), ("path", VC), ("start_line", INT), ("end_line", INT),
               ("symbol", VC), ("length", INT)],
    "definitions": [("id", BIG), ("path", VC), ("name", VC), ("qualname", VC), ("kind", VC),
                    ("start_line", INT), ("end_line", INT), ("signature", VC), ("doc", VC),
                    ("parent", VC)],
    "files": [("path", VC), ("language", VC), ("hash", VC), ("size", BIG), ("mtime_ns", BIG),
              ("lines", INT), ("commit_sha", VC), ("parse_errors", INT), ("indexed_at", TS),
              ("generated", "BOOLEAN")],
    "meta": [("key", VC), ("value", VC)],
    "model_calls": [("id", VC), ("purpose", VC), ("model", VC), ("input_tokens", INT),
                    ("output_tokens", INT), ("cache_creation_input_tokens", INT),
                    ("cache_read_input_tokens", INT), ("duration_ms", INT), ("request_json", VC),
                    ("response_json", VC), ("error", VC), ("session_id", VC), ("created_at", TS),
                    ("batch_id", VC), ("cost_usd", "DOUBLE")],
    "notes": [("id", BIG), ("kind", VC), ("path", VC), ("symbol", VC), ("code_hash", VC), ("title", VC),
              ("body", VC), ("evidence", VC), ("model", VC), ("tokens", INT), ("priority", "DOUBLE"),
              ("stale", "BOOLEAN"), ("used_count", INT), ("created_at", TS)],
    "postings": [("term", VC), ("chunk_id", BIG), ("tf", INT)],
    "refs": [("path", VC), ("name", VC), ("line", INT), ("kind", VC), ("enclosing", VC)],
    "skipped": [("path", VC), ("reason", VC), ("size", BIG), ("mtime_ns", BIG)],
    "sleep_runs": [("id", VC), ("started_at", TS), ("finished_at", TS), ("head", VC), ("level", INT),
                   ("budget", INT), ("notes_written", INT), ("tokens_spent", INT), ("model", VC)],
}  # fmt: skip


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
        "generated",
    ]


def oldest_store_with_data(root: Path) -> None:
    """A store as the first migration made it, holding an indexed file."""
    path = store_path(root)
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    assert migrations.migrate(con, upto=1) == [1]
    con.execute("INSERT INTO meta VALUES ('indexed_head', 'abc123')")
    con.execute(
        "INSERT INTO files (path, language, hash, size, mtime_ns, lines) "
        "VALUES ('http/redirects.py', 'python', 'h1', 120, 7, 12)"
    )
    con.execute(
        "INSERT INTO definitions VALUES (11, 'http/redirects.py', 'follow_redirects', "
        "'Session.follow_redirects', 'method', 3, 9, 'def follow_redirects(self):', '', 'Session')"
    )
    con.execute(
        "INSERT INTO refs VALUES ('http/redirects.py', 'follow_redirects', 20, 'call', 'main')"
    )
    con.execute(
        "INSERT INTO chunks VALUES (21, 'code', 'http/redirects.py', 3, 9, 'Session.follow_redirects', 3)"
    )
    con.execute("INSERT INTO postings VALUES ('redirect', 21, 2), ('follow', 21, 1)")
    con.execute("INSERT INTO skipped VALUES ('logo.png', 'binary')")
    con.close()


def test_a_store_of_the_oldest_migration_with_data_upgrades_to_the_newest(tmp_path: Path) -> None:
    oldest_store_with_data(tmp_path)
    with open_store(tmp_path, create=True) as store:
        assert schema(store.con) == SCHEMA
        assert migrations.applied(store.con) == [m[0] for m in migrations.all_migrations()]
        assert store.meta("indexed_head") == "abc123"
        assert [h["symbol"] for h in search_code_in(store, "redirect")] == [
            "Session.follow_redirects"
        ]
        callers = lookup_symbol_in(store, "follow_redirects")["callers"]
        assert [(c["qualname"], c["line"]) for c in callers] == [("main", 20)]
        assert store.query("SELECT path, reason, size, mtime_ns FROM skipped") == [
            ("logo.png", "binary", None, None)
        ]
        with store.transaction():  # the tables later migrations made take rows beside the old ones
            write_notes(
                store, [Note("summary", "http/redirects.py", None, "Redirects", "Follows them.")]
            )
        assert [n["title"] for n in notes_for(store, path="http/redirects.py")] == ["Redirects"]


def test_a_store_built_from_an_empty_file_has_the_same_schema(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        assert schema(store.con) == SCHEMA


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


def test_pending_migrations_apply_all_or_none(tmp_path: Path) -> None:
    """A migration that fails takes back those applied before it in the same run: the store
    stays at the version it had, and the error is the failing migration's."""
    con = duckdb.connect(str(tmp_path / "store.duckdb"))
    assert migrations.migrate(con, upto=1) == [1]
    con.execute("CREATE TABLE agent_sessions (x INTEGER)")  # in the way of migration 4
    with pytest.raises(duckdb.CatalogException, match="agent_sessions"):
        migrations.migrate(con)
    assert migrations.applied(con) == [1]
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "model_calls" not in tables and "notes" not in tables  # migrations 2 and 3
    con.close()


def test_a_store_another_process_made_meanwhile_is_read_as_it_is(tmp_path: Path) -> None:
    """open_store saw no file, so it migrates as for a new one, but another process made and
    migrated the store before this one got it: its ledger is read, nothing is applied again,
    and its rows stay."""
    with open_store(tmp_path, create=True) as store:
        store.set_meta("indexed_head", "abc123")
    con = duckdb.connect(str(store_path(tmp_path)))
    assert migrations.migrate(con, new=True) == []
    assert con.execute("SELECT value FROM meta").fetchall() == [("abc123",)]
    assert schema(con) == SCHEMA
    con.close()


def test_a_new_file_migrates_to_the_schema_of_a_checked_one(tmp_path: Path) -> None:
    new, checked = duckdb.connect(str(tmp_path / "new.duckdb")), duckdb.connect()
    assert migrations.migrate(new, new=True) == migrations.migrate(checked)
    assert schema(new) == schema(checked) == SCHEMA
    new.close()
    checked.close()


@pytest.mark.parametrize("late", [False, True, "query"])
def test_ctrl_c_as_a_new_store_is_made_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: bool | str
) -> None:
    """A Ctrl-C lands between bytecodes: as DuckDB's connect returns (its file made, the
    connection not yet kept) or during the schema's migration, where DuckDB, when it meets it
    in the migration's query, raises its RuntimeError("Query interrupted") instead (`index`
    left an empty file behind then). Either way no file is left that would read as a store
    without tables, and the next use makes the store afresh."""
    real_connect = duckdb.connect

    calls: list[int] = []

    def interrupted(*args: object, **kwargs: object) -> object:
        con = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(1)
        if len(calls) == 1:  # the first connect only; its connection is dropped, as when
            del con  # the interrupt lands in the caller before it keeps what connect returned
            raise KeyboardInterrupt
        return con

    def migrate_interrupted(con: duckdb.DuckDBPyConnection, **kwargs: object) -> object:
        con.execute("CREATE TABLE half (x INTEGER)")  # as a migration's first statement
        con.execute("DROP TABLE half")
        if late == "query":
            raise RuntimeError("Query interrupted")
        raise KeyboardInterrupt

    if late:
        monkeypatch.setattr(migrations, "migrate", migrate_interrupted)
    else:
        monkeypatch.setattr(duckdb, "connect", interrupted)
    raised = RuntimeError if late == "query" else KeyboardInterrupt
    with pytest.raises(raised), open_store(tmp_path, create=True) as store:
        store.set_meta("indexed_head", "abc123")
    monkeypatch.undo()
    assert not store_path(tmp_path).exists()
    with open_store(tmp_path, create=True) as store:
        store.set_meta("indexed_head", "def456")
    with open_store(tmp_path, read_only=True) as store:
        assert store.meta("indexed_head") == "def456"
