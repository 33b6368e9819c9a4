"""The connection to the store, its transactions, and bulk writes.

DuckDB admits one process with a read-write connection, and no other process at all while
it is held (read-only included), and it has no busy timeout. So connections are opened late,
closed early, and opening retries a lock for a bounded time before it gives up with a
one-line error. A store can also let go of its connection for a while (`released`, around a
model call that may take minutes) and opens it again when next used.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from swe_agent.errors import NoIndex, StoreCorrupt, StoreError, StoreLocked
from swe_agent.store import migrations

if TYPE_CHECKING:  # imported where a connection is made: a first index forks its parser first
    import duckdb

# From this many rows an insert goes through NumPy, which saves ~1.7 us of CPU a row (postings:
# 2.5 us bound as lists, 0.8 us scanned); below it, importing NumPy (~0.1 s) costs more than that
BULK_ROWS = 50_000
# A commit that asks for it checkpoints from this size of write-ahead log on (DuckDB's default
# is 16 MB); below it, a small update, the log is cheaper than rewriting the changed row groups
CHECKPOINT_BYTES = "1MB"
# An appender held for a block (Store.appending) hands its rows to the table from this many on,
# the rest at the block's end: each hand-over (DuckDB's flush) costs ~0.8 ms of CPU before any
# row, as making an appender does
APPEND_ROWS = 2048
REOPEN_WAIT = 60.0  # seconds a released store waits for the database when it is used again
STORE_DIR = ".swe_agent"
DB_NAME = "index.duckdb"
REBUILD_HINT = (
    "run `swe-agent index --rebuild`: it keeps the notes and sessions that can still be read, "
    "and the damaged file beside the new one"
)


DENIED = ("Permission denied", "Operation not permitted", "Read-only file system")


def store_path(root: Path) -> Path:
    return root / STORE_DIR / DB_NAME


class Store:
    """An open DuckDB connection to one repository's store, or one to be made (`unmade`: a new
    store's file is made and migrated when the store is first used)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection | None, path: Path, read_only: bool, wait: float = 0.0
    ) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self.unmade = con is None
        self._wait = wait
        self._closed = False
        self._appenders: _Appenders | None = None
        self.inode: int | None = None
        if con is not None:
            self._note_inode()

    def _note_inode(self) -> None:
        try:
            self.inode = self.path.stat().st_ino
        except OSError:  # removed as it was opened: vanished() says so
            self.inode = None

    def vanished(self) -> bool:
        """Whether the file was removed or replaced since it was opened (`rm -rf .swe_agent`
        meanwhile): what was written since went into a file nobody will open again. A store
        never made wrote nothing."""
        if self.unmade:
            return False
        try:
            return self.path.stat().st_ino != self.inode
        except OSError:
            return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            if self._closed:
                raise StoreError(f"the store {self.path} is closed", "open it again")
            if self.unmade:
                return self._make()
            self._con = _connect(self.path, read_only=self.read_only, wait=REOPEN_WAIT)
        return self._con

    def _make(self, config: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
        """Make and migrate the file of a new store (or, if another process made it since,
        open and check it as it is), with DuckDB's settings `config` from the start."""
        existed = self.path.exists()
        try:
            self._con = _connect(self.path, read_only=False, wait=self._wait, config=config)
        except BaseException as exc:  # Ctrl-C lands as the connect returns: its file is ours
            if not isinstance(exc, Exception) and not existed and self.path.exists():
                with suppress(Exception):  # the Ctrl-C is what is reported
                    self._con = _connect(self.path, read_only=False, wait=0.0)
                    self._discard_empty()
            raise
        self.unmade = False
        self._note_inode()
        try:
            _set(self._con, config or {})  # some are not taken at the connect
            _checked(self, new=True)
        except BaseException:  # before the schema's commit (a Ctrl-C, or DuckDB's "Query
            self._discard_empty()  # interrupted" when one met the migrations): no store was made
            raise
        return self._con

    def _discard_empty(self) -> None:
        """Close the store and remove its file if it holds no table: a file made and left
        empty by an interrupted first use would read as a store without tables. Only the
        process that writes a DuckDB file can have it open, so no one else is using it."""
        import duckdb  # imported with the connection (_connect)

        con, self._con, self._closed = self._con, None, True
        if con is None:
            return
        try:
            row = con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
            empty = row is not None and row[0] == 0
        except duckdb.ConnectionException:  # closed by _checked, which found it not ours
            empty = False
        finally:
            con.close()
        if empty:
            for suffix in ("", ".wal"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con, self._closed = None, True

    @contextmanager
    def released(self) -> Iterator[None]:
        """Close the connection for the block, so that other processes may open the database;
        the next use of the store opens it again."""
        if self._con is not None:
            self._con.close()
            self._con = None
        yield

    def cursor(self) -> Store:
        """Another connection to the same database in this process, for another thread."""
        return Store(self.con.cursor(), self.path, self.read_only)

    @contextmanager
    def transaction(self, *, checkpoint: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction; with `checkpoint`, a commit of more than CHECKPOINT_BYTES writes its
        rows into the database file at once instead of into the write-ahead log, which the
        close would then copy into the file (a first index: the same rows written once)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        if not checkpoint:
            self.con.execute("COMMIT")
            return
        self.con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_BYTES}'")
        try:
            self.con.execute("COMMIT")
        finally:
            self.con.execute("RESET checkpoint_threshold")

    @contextmanager
    def settings(self, **values: str | int) -> Iterator[None]:
        """DuckDB's settings for the block (`threads=1`), then their defaults again. A new
        store is made under them (a first index's `fsync_mode=NONE`: no wait for the disk as
        its file is made and its schema committed, 1-30 ms here, in that index's wall time)."""
        if self._con is None and self.unmade and not self._closed:
            self._make(values)
        else:
            _set(self.con, values)
        try:
            yield
        finally:
            for name in values:
                self.con.execute(f"RESET {name}")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> tuple | None:
        return self.con.execute(sql, params).fetchone()

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Bulk insert in one statement: a few rows as one list per column, zipped by DuckDB's
        unnest; many (a first index's postings) as a scan of NumPy object arrays, which DuckDB
        reads at about a third of the CPU of bound lists."""
        if not rows:
            return
        cols = list(zip(*rows, strict=True))
        names = ", ".join(columns)
        if len(rows) < BULK_ROWS:
            unnests = ", ".join("unnest(?)" for _ in columns)
            self.con.execute(
                f"INSERT INTO {table} ({names}) SELECT {unnests}", [list(c) for c in cols]
            )
            return
        import duckdb  # imported with the connection (_connect)
        import numpy as np

        arrays = {}
        for name, values in zip(columns, cols, strict=True):
            arrays[name] = np.empty(len(values), dtype=object)
            arrays[name][:] = values  # one object per row, even where a value is a sequence
        view = f"_insert_{table}"
        self.con.register(view, arrays)
        try:
            self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        except BaseException:
            # A Ctrl-C that met the insert aborted the transaction, where unregistering fails
            # too: the interruption, not that, is what the caller must see.
            with suppress(duckdb.Error):
                self.con.unregister(view)
            raise
        self.con.unregister(view)

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows through DuckDB's appender, in one statement at its flush: each value
        converted once as a bound parameter is, with no SQL or file per batch (an index's rows:
        flask's files, definitions, references and chunks of 160 files, 42 -> 18 ms of CPU
        against CSV text that DuckDB read back, and about a quarter of the CPU of `insert`'s
        bound lists, whose SQL statement alone costs ~1 ms)."""
        if not rows:
            return
        if self._appenders is not None:
            self._appenders.append(table, columns, rows)
            return
        appender = self.con.appender(table, columns=list(columns))
        appender.append_rows(rows)
        appender.flush()

    @contextmanager
    def appending(self) -> Iterator[None]:
        """Appends in the block through one appender a table and columns, made once, which
        hands its rows to the table from APPEND_ROWS on and the rest as the block ends (a
        first index's batches: flask wrote ~9, each making and flushing 4-5 appenders, ~7 ms
        of CPU before any row). Rows appended in the block may be seen only after it; on an
        error or Ctrl-C those not yet handed over are dropped with their appenders (the
        caller's transaction rolls back the rest)."""
        held = self._appenders = _Appenders(self.con)
        try:
            yield
            held.flush()
        finally:
            self._appenders = None

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.set_metas({key: value})

    def set_metas(self, values: dict[str, str]) -> None:
        """Several keys of meta in one statement."""
        if values:
            rows = ", ".join("(?, ?)" for _ in values)
            self.con.execute(
                f"INSERT OR REPLACE INTO meta (key, value) VALUES {rows}",
                [x for pair in values.items() for x in pair],
            )


class _Appenders:
    """The appenders of Store.appending, by table and columns, and how many rows each holds
    that it has not handed to its table yet."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.held: dict[tuple[str, tuple[str, ...]], duckdb.Appender] = {}
        self.pending: dict[tuple[str, tuple[str, ...]], int] = {}

    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        key = (table, tuple(columns))
        if key not in self.held:
            self.held[key] = self.con.appender(table, columns=list(columns))
        self.held[key].append_rows(rows)
        self.pending[key] = self.pending.get(key, 0) + len(rows)
        if self.pending[key] >= APPEND_ROWS:
            self.held[key].flush()
            self.pending[key] = 0

    def flush(self) -> None:
        for key, appender in self.held.items():
            if self.pending[key]:
                appender.flush()
                self.pending[key] = 0


def open_store(
    root: Path, *, create: bool = False, read_only: bool = False, wait: float = 10.0
) -> Store:
    """Open the store of the repository at root, creating and migrating it when asked. A store
    created here is made when first used: a first index starts its parser process before it
    makes the file and its tables, which then cost its wall time less (flask: ~0.05 s)."""
    path = store_path(root)
    if not path.exists():
        if not create:
            raise NoIndex("no index yet", "run `swe-agent index` in the repository first")
        path.parent.mkdir(parents=True, exist_ok=True)
        return Store(None, path, False, wait)
    con = _connect(path, read_only=read_only and not create, wait=wait)
    return _checked(Store(con, path, read_only and not create))


def open_snapshot(root: Path, *, wait: float = 10.0) -> Store:
    """A read-only copy of the store in memory. The file is held only while it is copied:
    DuckDB admits no writing process beside a reading one, so a process that answers reads for
    a long time (the MCP server without a daemon) holds this instead of the file, and the
    daemon or `swe-agent index` can open the file at any moment."""
    duckdb = imported_duckdb()

    path = store_path(root)
    if not path.exists():
        raise NoIndex("no index yet", "run `swe-agent index` in the repository first")
    con = duckdb.connect(":memory:")
    try:
        _connect(path, read_only=True, wait=wait, into=con)
        try:
            con.execute("COPY FROM DATABASE disk TO memory")
        finally:
            con.execute("DETACH disk")
    except BaseException:
        con.close()
        raise
    return _checked(Store(con, path, read_only=True))


def signature(root: Path) -> tuple[int, ...] | None:
    """Changes whenever the store's files are written: a snapshot older than this is stale."""
    found: tuple[int, ...] = ()
    for name in (DB_NAME, DB_NAME + ".wal"):
        try:
            stat = (root / STORE_DIR / name).stat()
        except OSError:
            if name == DB_NAME:
                return None
            continue
        found += (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def _checked(store: Store, *, new: bool = False) -> Store:
    """The store, once its schema is known to be ours (and brought up to date when writable);
    `new`: its file did not exist before it was opened."""
    import duckdb  # imported with the connection (_connect)

    con, path = store.con, store.path
    try:
        if not store.read_only:
            migrations.migrate(con, new=new)
        else:
            migrations.check(con)
    except migrations.ForeignStore as exc:
        con.close()
        raise StoreCorrupt(f"{path} is not a swe-agent store ({exc})", REBUILD_HINT) from None
    except duckdb.Error as exc:  # its catalog cannot be read back
        con.close()
        if store.vanished():
            raise StoreError(
                f"{path.parent} was removed while this command ran, and its work with it",
                "run the command again",
            ) from None
        raise StoreCorrupt(
            f"the store {path} is damaged ({_first_line(str(exc))})", REBUILD_HINT
        ) from None
    return store


def move_aside(root: Path) -> Path:
    """Move a store that cannot be used out of the way, with its WAL; never delete it."""
    path = store_path(root)
    kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
    try:
        for suffix in ("", ".wal"):  # the file first: a WAL never goes without it
            source = Path(str(path) + suffix)
            if source.exists():
                source.replace(Path(str(kept) + suffix))
    except OSError as exc:
        raise StoreError(
            f"cannot move the store {path} aside ({exc.strerror})",
            f"make {path.parent} writable for you; nothing was changed",
        ) from None
    return kept


def _set(con: duckdb.DuckDBPyConnection, values: dict[str, str | int]) -> None:
    """DuckDB's settings for this connection, by name."""
    for name, value in values.items():
        con.execute(f"SET {name} = '{value}'")


def _connect(
    path: Path,
    *,
    read_only: bool,
    wait: float,
    into: duckdb.DuckDBPyConnection | None = None,
    config: dict[str, str | int] | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection to the file at path (with DuckDB's settings `config`), or with `into` the
    file attached to that connection as `disk`, retrying while another process holds the
    file's lock."""
    duckdb = imported_duckdb()

    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            if into is None:
                return duckdb.connect(str(path), read_only=read_only, config=dict(config or {}))
            quoted = str(path).replace("'", "''")
            into.execute(f"ATTACH '{quoted}' AS disk (READ_ONLY)")
            return into
        except duckdb.IOException as exc:
            text = str(exc)
            if any(word in text for word in DENIED):
                raise StoreError(
                    f"cannot open the store {path} to write ({_first_line(text)})",
                    f"make {path.parent} and the files in it writable for you; nothing was changed",
                ) from None
            if "lock" not in text.lower():
                raise StoreCorrupt(
                    f"cannot open {path}: {_first_line(text)}", REBUILD_HINT
                ) from None
            if time.monotonic() >= deadline:
                raise StoreLocked(
                    f"the store {path} is busy (another swe-agent process holds it)",
                    "wait for it to finish, or run `swe-agent daemon start` so it serves queries",
                ) from None
        except (duckdb.SerializationException, duckdb.InvalidInputException) as exc:
            raise StoreCorrupt(
                f"{path} is corrupt or foreign: {_first_line(str(exc))}", REBUILD_HINT
            ) from None
        except duckdb.Error as exc:
            raise StoreCorrupt(
                f"cannot open {path}: {_first_line(str(exc))}", REBUILD_HINT
            ) from None
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def imported_duckdb() -> ModuleType:
    """duckdb, imported with Ctrl-C held back until the import is done: a KeyboardInterrupt
    raised inside its extension's initialisation aborted the process (nanobind's "Critical
    nanobind error", SIGABRT) instead of being raised, and a first index imports it while its
    parser process parses, when a Ctrl-C is likely. One that came meanwhile is raised after."""
    import threading

    if "duckdb" in sys.modules or threading.current_thread() is not threading.main_thread():
        import duckdb  # signal handlers run in the main thread only: nothing to hold here

        return duckdb
    came: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        import duckdb
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        signal.raise_signal(signal.SIGINT)  # as the handler before would have taken it
    return duckdb


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
