"""The files table: what was indexed, at which content hash."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from swe_agent.store.db import Store

FILE_COLUMNS = (
    "path",
    "language",
    "hash",
    "size",
    "mtime_ns",
    "lines",
    "commit_sha",
    "generated",
    "parse_errors",  # last: the indexer reads a file's row's errors there
)


@dataclass(frozen=True, slots=True)
class FileState:
    hash: str
    size: int
    mtime_ns: int | None


@dataclass(frozen=True, slots=True)
class FileInfo:
    language: str | None
    lines: int


def file_info(store: Store, path: str) -> FileInfo | None:
    row = store.one("SELECT language, lines FROM files WHERE path = ?", [path])
    return FileInfo(row[0], int(row[1])) if row else None


def generated_paths(store: Store) -> frozenset[str]:
    """The files whose first lines say a tool wrote them (code/paths.is_generated_text)."""
    return frozenset(p for (p,) in store.query("SELECT path FROM files WHERE generated"))


def indexed_paths(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT path FROM files")]


def listing(store: Store) -> list[tuple[str, str, int]]:
    """(path, language or 'text', lines) of every indexed file."""
    return store.query("SELECT path, coalesce(language, 'text'), lines FROM files")


def known_files(store: Store) -> dict[str, FileState]:
    rows = store.query("SELECT path, hash, size, mtime_ns FROM files")
    return {path: FileState(h, size, mtime) for path, h, size, mtime in rows}


def delete_files(store: Store, paths: Iterable[str]) -> None:
    """Remove files and everything tied to them: definitions, references, code chunks."""
    paths = list(paths)
    if not paths:
        return
    con = store.con
    con.execute("CREATE OR REPLACE TEMP TABLE gone AS SELECT unnest(?::VARCHAR[]) AS path", [paths])
    con.execute(
        "DELETE FROM postings WHERE chunk_id IN "
        "(SELECT id FROM chunks WHERE space = 'code' AND path IN (SELECT path FROM gone))"
    )
    con.execute("DELETE FROM chunks WHERE space = 'code' AND path IN (SELECT path FROM gone)")
    for table in ("files", "definitions", "refs"):
        con.execute(f"DELETE FROM {table} WHERE path IN (SELECT path FROM gone)")
    con.execute("DROP TABLE gone")


def delete_all(store: Store) -> None:
    """Every file's rows, so that the next index parses all of them; notes stay."""
    store.con.execute(
        "DELETE FROM postings WHERE chunk_id IN (SELECT id FROM chunks WHERE space = 'code')"
    )
    for statement in (
        "DELETE FROM chunks WHERE space = 'code'",
        "DELETE FROM files",
        "DELETE FROM definitions",
        "DELETE FROM refs",
        "DELETE FROM skipped",
    ):
        store.con.execute(statement)


def counts(store: Store) -> dict[str, int]:
    row = store.one(
        "SELECT (SELECT count(*) FROM files), (SELECT coalesce(sum(lines), 0) FROM files), "
        "(SELECT count(*) FROM definitions), (SELECT count(*) FROM refs), "
        "(SELECT count(*) FROM chunks WHERE space = 'code'), (SELECT count(*) FROM skipped)"
    )
    assert row is not None
    keys = ("files", "lines", "definitions", "references", "chunks", "skipped")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def languages(store: Store) -> dict[str, int]:
    rows = store.query(
        "SELECT coalesce(language, 'text'), count(*) FROM files GROUP BY 1 ORDER BY 2 DESC"
    )
    return {lang: n for lang, n in rows}


def known_binaries(store: Store) -> dict[str, tuple[int, int]]:
    """(size, mtime) of files skipped as binary, so an unchanged one is not read again."""
    rows = store.query(
        "SELECT path, size, mtime_ns FROM skipped WHERE reason = 'binary' AND size IS NOT NULL"
    )
    return {path: (size, mtime) for path, size, mtime in rows}


def add_skipped(store: Store, root: Path, skipped: list[tuple[str, str]]) -> None:
    rows: list[tuple[str, str, int | None, int | None]] = []
    for path, reason in skipped:
        try:
            info = os.lstat(root / path)
            rows.append((path, reason, info.st_size, info.st_mtime_ns))
        except OSError:
            rows.append((path, reason, None, None))
    store.append("skipped", ("path", "reason", "size", "mtime_ns"), rows)


def replace_skipped(store: Store, root: Path, skipped: list[tuple[str, str]]) -> None:
    store.con.execute("DELETE FROM skipped")
    add_skipped(store, root, skipped)


def files_without_language(store: Store) -> list[str]:
    """Indexed files that no parser reads (documentation, configuration), by path."""
    return [
        p for (p,) in store.query("SELECT path FROM files WHERE language IS NULL ORDER BY path")
    ]
