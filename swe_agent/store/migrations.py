"""Append-only numbered migrations, each a SQL file under migrations/, recorded in a ledger.

A landed migration is never edited: a schema change is a new file with the next number. The
pending migrations apply in one transaction: a store is at its old version or the new one,
never between, and a new store costs one commit, not one per migration (each commit syncs
the write-ahead log: 7 of them were 0.026 s of a flask's 0.4 s first index, one is ~0.008 s).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported with the first connection (store/db.py)
    import duckdb

LEDGER = "_migrations"


class ForeignStore(Exception):
    """The database exists but was not made by swe-agent, or by a newer one."""


def all_migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every migration file, in order."""
    found = []
    for entry in resources.files("swe_agent.store").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append((int(number), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied(con: duckdb.DuckDBPyConnection) -> list[int]:
    found = _ledger(con)
    return found if found is not None else []


def pending(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    done = set(applied(con))
    return [m for m in all_migrations() if m[0] not in done]


def check(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ForeignStore unless this is a swe-agent store this version can read."""
    _checked_ledger(con)


def _checked_ledger(con: duckdb.DuckDBPyConnection, new: bool = False) -> list[int] | None:
    """The migrations applied (None: no ledger, an empty database), once the store is known
    to be one this version can read. `new`: the file did not exist before this connection made
    it, so a database without a ledger is empty, and DuckDB's catalog need not say so."""
    done = _ledger(con)
    if done is None:
        tables = None if new else con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
        if tables and tables[0]:
            raise ForeignStore("it has tables but no migration ledger")
        return None
    known = {m[0] for m in all_migrations()}
    unknown = set(done) - known
    if unknown:
        raise ForeignStore(f"made by a newer swe-agent (migration {max(unknown)})")
    return done


def migrate(
    con: duckdb.DuckDBPyConnection, upto: int | None = None, *, new: bool = False
) -> list[int]:
    """Apply pending migrations (up to and including number `upto`, when given), all in one
    transaction and one statement. Returns the numbers applied. `new`: the connection made the
    database's file (a first index), so the ledger is not looked for first (a failed look-up
    costs ~15 ms of CPU, DuckDB searching its catalog for a name like it): the migrations are
    tried as for an empty database, and if another process made the ledger meanwhile, its
    creation fails and the store is read as it is."""
    import duckdb

    if new:
        try:
            return _apply(con, _upto(upto), made=False)
        except duckdb.CatalogException:
            if _ledger(con) is None:
                raise
    done = _checked_ledger(con)
    skip = set(done or ())
    todo = [m for m in _upto(upto) if m[0] not in skip]
    if not todo and done is not None:
        return []
    return _apply(con, todo, made=done is not None)


def _upto(upto: int | None) -> list[tuple[int, str, str]]:
    return [m for m in all_migrations() if upto is None or m[0] <= upto]


def _apply(
    con: duckdb.DuckDBPyConnection, todo: list[tuple[int, str, str]], made: bool
) -> list[int]:
    """Apply migrations in one transaction; `made`: the ledger exists (else it is made first,
    and creating it fails if it does)."""
    ledger = ", ".join(f"({number}, '{name}')" for number, name, _ in todo)  # names: file names
    script = "\n;\n".join(  # a file may end in a comment: each one's end on a line of its own
        [
            *([] if made else [
                f"CREATE TABLE {LEDGER} ("
                "id INTEGER, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
            ]),
            *(sql for _, _, sql in todo),
            *([f"INSERT INTO {LEDGER} (id, name) VALUES {ledger}"] if todo else []),
        ]
    )  # fmt: skip
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(script)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return [m[0] for m in todo]


def _ledger(con: duckdb.DuckDBPyConnection) -> list[int] | None:
    """The ledger's numbers, or None when there is none. Read straight from the table: the
    first look at DuckDB's catalog functions costs ~15 ms of CPU, a tenth of a new store."""
    import duckdb

    try:
        rows = con.execute(f"SELECT id FROM {LEDGER} ORDER BY id").fetchall()
    except duckdb.CatalogException:
        return None
    return [row[0] for row in rows]
