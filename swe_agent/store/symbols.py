"""Definitions and references: lookups by name, callers, outlines."""

from __future__ import annotations

from typing import Any

from swe_agent.store.db import Store

DEF_COLUMNS = (
    "id",
    "path",
    "name",
    "qualname",
    "kind",
    "start_line",
    "end_line",
    "signature",
    "doc",
    "parent",
)
REF_COLUMNS = ("path", "name", "line", "kind", "enclosing")
_DEF_FIELDS = "id, path, name, qualname, kind, start_line, end_line, signature, doc, parent"


def find_definitions(store: Store, name: str, limit: int = 20) -> list[dict[str, Any]]:
    """Definitions whose name or qualified name matches: exact first, then suffix, then prefix.

    A dotted name may also carry a module path ("sessions.Session.send")."""
    last = name.rsplit(".", 1)[-1]
    return store.rows(
        f"""
        SELECT {_DEF_FIELDS},
          CASE WHEN qualname = $name THEN 0
               WHEN name = $name THEN 1
               WHEN $name LIKE '%.' || qualname THEN 2
               WHEN qualname LIKE '%.' || $name THEN 2
               WHEN lower(name) = lower($last) THEN 3
               ELSE 4 END AS rank
        FROM definitions
        WHERE name = $last OR lower(name) = lower($last) OR qualname = $name
           OR (length($last) >= 3 AND lower(name) LIKE lower($last) || '%')
        ORDER BY rank, length(path), path, start_line
        LIMIT $limit
        """,
        {"name": name, "last": last, "limit": limit},
    )


def definitions_in(store: Store, path: str) -> list[dict[str, Any]]:
    return store.rows(
        f"SELECT {_DEF_FIELDS} FROM definitions WHERE path = ? ORDER BY start_line, end_line DESC",
        [path],
    )


def definitions_named_in(
    store: Store, paths: list[str], qualnames: list[str]
) -> list[dict[str, Any]]:
    """The definitions of these qualified names in these files, in one query: each file's as
    definitions_in orders them."""
    return store.rows(
        "SELECT path, qualname, start_line, end_line, kind FROM definitions "
        "WHERE path IN (SELECT unnest(?::VARCHAR[])) AND qualname IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY path, start_line, end_line DESC",
        [paths, qualnames],
    )


def definition_at(store: Store, path: str, line: int) -> dict[str, Any] | None:
    """The innermost definition of path that contains line."""
    rows = store.rows(
        f"SELECT {_DEF_FIELDS} FROM definitions WHERE path = ? AND start_line <= ? AND end_line >= ? "
        "ORDER BY end_line - start_line LIMIT 1",
        [path, line, line],
    )
    return rows[0] if rows else None


def references_to(store: Store, name: str, limit: int = 50) -> list[dict[str, Any]]:
    last = name.rsplit(".", 1)[-1]
    return store.rows(
        "SELECT path, name, line, kind, enclosing FROM refs WHERE name = ? "
        "ORDER BY kind = 'import', path, line, kind, enclosing LIMIT ?",
        [last, limit],
    )


def callers(store: Store, name: str, limit: int = 30) -> list[dict[str, Any]]:
    """Definitions that call name, with how many call sites each."""
    last = name.rsplit(".", 1)[-1]
    return store.rows(
        """
        SELECT r.path, r.enclosing AS qualname, count(*) AS calls, min(r.line) AS line
        FROM refs r WHERE r.name = ? AND r.kind = 'call' AND r.enclosing IS NOT NULL
        GROUP BY r.path, r.enclosing ORDER BY calls DESC, r.path, line, qualname LIMIT ?
        """,
        [last, limit],
    )


def call_graph(store: Store) -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    """Callers of each name (at most 8 enclosing definitions) and the names each definition
    calls, from the call references."""
    callers = {
        name: list(enclosing)
        for name, enclosing in store.query(
            "SELECT name, list(DISTINCT enclosing ORDER BY enclosing)[1:8] FROM refs "
            "WHERE kind = 'call' AND enclosing IS NOT NULL GROUP BY name"
        )
    }
    callees = {
        (path, enclosing): list(names)
        for path, enclosing, names in store.query(
            "SELECT path, enclosing, list(DISTINCT name ORDER BY name) FROM refs "
            "WHERE kind = 'call' AND enclosing IS NOT NULL GROUP BY path, enclosing"
        )
    }
    return callers, callees


def test_callers(
    store: Store, max_definitions: int, min_name: int
) -> list[tuple[str, str, str, str]]:
    """(called name, caller path, caller qualname, caller doc) for each call of a name defined at
    most `max_definitions` times and at least `min_name` characters long, from a path that
    mentions tests."""
    return store.query(
        """
        WITH rare AS (
            SELECT name FROM definitions GROUP BY name HAVING count(*) <= ?
        )
        SELECT DISTINCT r.name, r.path, r.enclosing, coalesce(d.doc, '')
        FROM refs r JOIN rare USING (name)
        LEFT JOIN definitions d ON d.path = r.path AND d.qualname = r.enclosing
        WHERE r.kind = 'call' AND r.enclosing IS NOT NULL AND length(r.name) >= ?
          AND lower(r.path) LIKE '%test%'
        ORDER BY r.name, r.path, r.enclosing
        """,
        [max_definitions, min_name],
    )


def definitions_with_callers(store: Store, paths: list[str]) -> list[dict[str, Any]]:
    """The definitions of these files by path and line, each with how many calls its name gets."""
    return store.rows(
        """
        SELECT d.path, d.name, d.qualname, d.kind, d.start_line, d.end_line, d.signature, d.doc, d.parent,
               coalesce(c.callers, 0) AS callers
        FROM definitions d
        LEFT JOIN (SELECT name, count(*) AS callers FROM refs WHERE kind = 'call' GROUP BY name) c
          ON c.name = d.name
        WHERE d.path IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY d.path, d.start_line
        """,
        [paths],
    )


def definition_span(store: Store, path: str, qualname: str) -> tuple[int, int] | None:
    """The lines of the first definition of qualname in path."""
    row = store.one(
        "SELECT start_line, end_line FROM definitions WHERE path = ? AND qualname = ? "
        "ORDER BY start_line LIMIT 1",
        [path, qualname],
    )
    return (int(row[0]), int(row[1])) if row else None


def names_defined_at_most(store: Store, most: int, shortest: int) -> list[tuple[str, list[str]]]:
    """(name, paths of its definitions) of each name at least `shortest` characters long that at
    most `most` definitions share."""
    return store.query(
        "SELECT name, list(path) FROM definitions GROUP BY name "
        "HAVING count(*) <= ? AND length(name) >= ?",
        [most, shortest],
    )
