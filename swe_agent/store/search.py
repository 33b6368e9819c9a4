"""BM25 in plain DuckDB SQL over a postings table that is updated per file.

DuckDB's fts extension rebuilds its whole index on any change; this table changes file by
file, and the statistics (N, average length, document frequency) are computed at query time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from swe_agent.store.db import Store

CHUNK_COLUMNS = ("id", "space", "path", "start_line", "end_line", "symbol", "length")
POSTING_COLUMNS = ("term", "chunk_id", "tf")
K1 = 1.2
B = 0.75
# scores are compared to this many decimals: one sum of the same terms added in another order
# (the engine's, which a new store of the same tree may change) differs in its last bits, and
# two equal scores would come in either order; equal ones go by path, line (and name)
DECIMALS = 9


@dataclass(frozen=True, slots=True)
class Hit:
    chunk_id: int
    path: str
    start_line: int
    end_line: int
    symbol: str | None
    score: float


def postings_rows(chunk_id: int, counts: Counter[str]) -> list[tuple[str, int, int]]:
    return [(term, chunk_id, tf) for term, tf in counts.items()]


# A chunk's postings from its terms_text (code/tokens.py: each term followed by a space),
# counted by DuckDB, for about half of the CPU of counting them in Python and handing over a row
# per posting. The rows are in no promised order (every read of postings orders or aggregates):
# an ORDER BY of each term's first place in its chunk, which a Counter's order had made, was
# ~40 % of the statement's CPU (flask: 61-75 -> 40-43 ms), in the parent's share of a first index.
_COUNTED = """
INSERT INTO postings (term, chunk_id, tf)
SELECT term, id, count(*) FROM (
    SELECT id, unnest(string_split(terms, ' ')) AS term FROM ({chunks}) WHERE terms <> ''
) WHERE term <> '' GROUP BY id, term
"""


def add_postings(store: Store, chunk_ids: Sequence[int], texts: Sequence[str]) -> None:
    """The postings of chunks, from the terms_text of each."""
    if not chunk_ids:
        return
    bound = "SELECT unnest($ids::BIGINT[]) AS id, unnest($texts::VARCHAR[]) AS terms"
    store.con.execute(_COUNTED.format(chunks=bound), {"ids": list(chunk_ids), "texts": list(texts)})


def delete_chunks(store: Store, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        store.con.execute(
            "DELETE FROM postings WHERE chunk_id IN (SELECT unnest(?::BIGINT[]))", [ids]
        )
        store.con.execute("DELETE FROM chunks WHERE id IN (SELECT unnest(?::BIGINT[]))", [ids])


def chunks_with_terms(
    store: Store, query_terms: list[str], paths: list[str]
) -> list[tuple[str, int, int]]:
    """(path, start, end) of the code chunks of these files that contain any of the terms."""
    return store.query(
        """
        SELECT DISTINCT c.path, c.start_line, c.end_line FROM postings p JOIN chunks c ON c.id = p.chunk_id
        WHERE c.space = 'code' AND p.term IN (SELECT unnest(?::VARCHAR[]))
          AND c.path IN (SELECT unnest(?::VARCHAR[]))
        """,
        [query_terms, paths],
    )


def bm25(
    store: Store,
    query_terms: list[str],
    *,
    space: str = "code",
    limit: int = 10,
    paths: list[str] | None = None,
    short: float = 0.0,
    kinds: list[str] | None = None,
) -> list[Hit]:
    """The best chunks of a space for the query terms, best first. A chunk shorter than
    `short` x the average length is scored as if it had that length. `paths`: only chunks of
    these files are ranked, `kinds` (space 'note'): only notes of these kinds; either way with the
    words' weights of the whole space."""
    if not query_terms:
        return []
    qtf = Counter(query_terms)
    # a term's documents are counted over the whole space, the paths and kinds only choose which
    # chunks are ranked: the same weights as the held index (ranking/memory.py) gives them
    chosen = []
    if paths:
        chosen.append("h.path IN (SELECT unnest($paths::VARCHAR[]))")
    if kinds:
        chosen.append(
            "h.chunk_id IN (SELECT id FROM notes WHERE kind IN (SELECT unnest($kinds::VARCHAR[])))"
        )
    chosen_filter = f"WHERE {' AND '.join(chosen)}" if chosen else ""
    rows = store.query(
        f"""
        WITH q AS (SELECT unnest($terms::VARCHAR[]) AS term, unnest($weights::DOUBLE[]) AS qtf),
        hits AS (
            SELECT p.term, p.chunk_id, p.tf, c.length, c.path
            FROM postings p JOIN q ON p.term = q.term JOIN chunks c ON c.id = p.chunk_id
            WHERE c.space = $space
        ),
        df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
        stats AS (SELECT count(*) AS n, greatest(avg(length), 1) AS avgdl FROM chunks WHERE space = $space),
        scored AS (
            SELECT h.chunk_id,
                   sum(q.qtf * ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
                       * h.tf * ({K1} + 1) / (h.tf + {K1} * (1 - {B} + {B} * greatest(h.length, $short * s.avgdl) / s.avgdl))) AS score
            FROM hits h JOIN df USING (term) JOIN q USING (term) CROSS JOIN stats s {chosen_filter}
            GROUP BY h.chunk_id
        ),
        best AS (
            SELECT s.score, c.id, c.path, c.start_line, c.end_line, c.symbol
            FROM scored s JOIN chunks c ON c.id = s.chunk_id
            ORDER BY round(s.score, {DECIMALS}) DESC, c.path, c.start_line, c.end_line LIMIT $limit
        )
        SELECT id, path, start_line, end_line, symbol, score FROM best
        ORDER BY round(score, {DECIMALS}) DESC, path, start_line, end_line
        """,
        {
            "terms": list(qtf),
            "weights": [float(w) for w in qtf.values()],
            "space": space,
            "limit": limit,
            "short": short,
            **({"paths": paths} if paths else {}),
            **({"kinds": kinds} if kinds else {}),
        },
    )
    return [Hit(int(r[0]), r[1], int(r[2]), int(r[3]), r[4], float(r[5])) for r in rows]


# -- what code search reads besides BM25 (swe_agent/ranking) ------------------------------------
# The definition of a qualified name that several share (Java's and C++'s overloads, Python's
# @overload stubs before the function itself, a property's getter and setter) and the chunk that
# stands for them: the first chunk, and of the definitions the longest (the implementation, not
# a stub; the first by line of equal ones). Ordered by the chunk alone, which definition came
# with it (and so the `lines` that size its boost) was whichever the engine met first, and a new
# store of the same tree could answer otherwise (definitions_named, code_definitions).
_ROWS = (
    "SELECT id, (row_number() OVER (ORDER BY id) - 1)::INTEGER AS row FROM chunks "
    "WHERE space = 'code'"
)


def definitions_named(store: Store, names: list[str]) -> list[tuple]:
    """Definitions whose name is one of names in any case, each with its first chunk and how
    many files use the name: (name, qualname, kind, chunk id, path, start, end, symbol,
    uses, lines)."""
    match = "lower(name) IN (SELECT lower(unnest($names)))"
    return store.query(
        f"""
        WITH uses AS (SELECT name, count(DISTINCT path) AS n FROM refs WHERE {match} GROUP BY name)
        SELECT d.name, d.qualname, d.kind, c.id, c.path, c.start_line, c.end_line, c.symbol,
               coalesce(u.n, 0), d.end_line - d.start_line + 1
        FROM definitions d
        JOIN chunks c ON c.space = 'code' AND c.path = d.path AND c.symbol = d.qualname
        LEFT JOIN uses u ON u.name = d.name
        WHERE lower(d.name) IN (SELECT lower(unnest($names)))
        QUALIFY row_number() OVER (PARTITION BY d.path, d.qualname ORDER BY c.start_line, d.end_line - d.start_line DESC, d.start_line) = 1
        ORDER BY c.path, c.start_line, d.qualname
        """,
        {"names": names},
    )


def file_uses(store: Store, paths: list[str] | None, owners: int) -> dict[str, int]:
    """How many other files refer to a name defined in each file (of paths, or of all), counting
    only names defined in at most `owners` files: a name every module defines (`get`, `run`)
    says nothing about which one is used."""
    within = "WHERE path IN (SELECT unnest($paths::VARCHAR[]))" if paths is not None else ""
    rows = store.query(
        f"""
        WITH defined AS (SELECT DISTINCT path, name FROM definitions {within}),
        owned AS (
            SELECT name FROM definitions WHERE name IN (SELECT name FROM defined)
            GROUP BY name HAVING count(DISTINCT path) <= $owners
        ),
        used AS (
            SELECT DISTINCT name, path FROM refs
            WHERE name IN (SELECT name FROM owned)
        )
        SELECT d.path, count(DISTINCT u.path) FROM defined d
        JOIN owned o ON o.name = d.name
        JOIN used u ON u.name = d.name AND u.path <> d.path
        GROUP BY d.path
        """,
        {"owners": owners, **({"paths": paths} if paths is not None else {})},
    )
    return {path: int(n) for path, n in rows}


def code_chunks(store: Store) -> list[tuple]:
    """Every code chunk, (id, path, start, end, symbol, length), in id order: row i of the
    in-memory index is the i-th."""
    return store.query(
        "SELECT id, path, start_line, end_line, symbol, length FROM chunks "
        "WHERE space = 'code' ORDER BY id"
    )


def code_vocabulary(store: Store) -> list[tuple]:
    """(term, number of code chunks holding it), in term order."""
    return store.query(
        f"SELECT p.term, count(*) FROM postings p JOIN ({_ROWS}) c ON c.id = p.chunk_id "
        "GROUP BY p.term ORDER BY p.term"
    )


def code_postings(store: Store) -> dict[str, Any]:
    """The postings as numpy columns `row` (chunk row) and `tf`, in term then row order."""
    cur = store.con.execute(
        f"SELECT c.row, p.tf FROM postings p JOIN ({_ROWS}) c ON c.id = p.chunk_id "
        "ORDER BY p.term, c.row"
    )
    return cur.fetchnumpy()


def code_definitions(store: Store) -> list[tuple]:
    """(name, qualname, kind, chunk row, lines) of every definition that has a chunk."""
    return store.query(
        f"""
        SELECT d.name, d.qualname, d.kind, c.row, d.end_line - d.start_line + 1
        FROM definitions d
        JOIN chunks k ON k.space = 'code' AND k.path = d.path AND k.symbol = d.qualname
        JOIN ({_ROWS}) c ON c.id = k.id
        QUALIFY row_number() OVER (PARTITION BY d.path, d.qualname ORDER BY k.start_line, d.end_line - d.start_line DESC, d.start_line) = 1
        """
    )


def name_uses(store: Store) -> dict[str, int]:
    """How many files refer to each name."""
    rows = store.query("SELECT name, count(DISTINCT path) FROM refs GROUP BY name")
    return {name: int(n) for name, n in rows}


def file_bm25(store: Store, query_terms: list[str], b: float) -> dict[str, float]:
    """BM25 of whole files: each file one document, its chunks' term counts and lengths
    summed; `b` is the length normalisation (files differ in length far more than chunks)."""
    if not query_terms:
        return {}
    rows = store.query(
        f"""
        WITH q AS (SELECT DISTINCT unnest($terms::VARCHAR[]) AS term),
        files AS (SELECT path, sum(length) AS flen FROM chunks WHERE space = 'code' GROUP BY path),
        stats AS (SELECT count(*) AS n, greatest(avg(flen), 1) AS avgdl FROM files),
        tf AS (
            SELECT p.term, c.path, sum(p.tf) AS tf
            FROM postings p JOIN q USING (term) JOIN chunks c ON c.id = p.chunk_id
            WHERE c.space = 'code' GROUP BY p.term, c.path
        ),
        df AS (SELECT term, count(*) AS df FROM tf GROUP BY term)
        SELECT t.path, sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
                           * t.tf * ({K1} + 1) / (t.tf + {K1} * (1 - $b + $b * f.flen / s.avgdl)))
        FROM tf t JOIN df USING (term) JOIN files f USING (path) CROSS JOIN stats s
        GROUP BY t.path
        """,
        {"terms": query_terms, "b": b},
    )
    return {path: float(score) for path, score in rows}


def file_links(store: Store, paths: list[str] | None, owners: int) -> list[tuple[str, str]]:
    """(user, used) pairs of files, users among paths (or all): `user` refers to a name that
    `used` defines, counting only names defined in at most `owners` files, as file_uses does."""
    within = "AND r.path IN (SELECT unnest($paths::VARCHAR[]))" if paths is not None else ""
    return store.query(
        f"""
        WITH owned AS (
            SELECT name FROM definitions GROUP BY name HAVING count(DISTINCT path) <= $owners
        )
        SELECT DISTINCT r.path, d.path FROM definitions d JOIN owned o ON o.name = d.name
        JOIN refs r ON r.name = d.name AND r.path <> d.path {within}
        ORDER BY r.path, d.path
        """,
        {"owners": owners, **({"paths": paths} if paths is not None else {})},
    )
