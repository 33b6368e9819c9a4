"""Code search: BM25 proposes, small named steps re-rank (semble's lesson: ranking first).

candidates (BM25 pool + definitions of the names asked for)
-> boost_definitions -> boost_path_matches
-> boost_central_files (questions) -> boost_matching_files -> boost_hub_files
-> prefer_shallow_files (short ones)
-> boost_coherent_files
-> penalise (tests, docs, examples, vendored ...) -> select (one file does not fill the page)
"""

from __future__ import annotations

from swe_agent.ranking import boosts, candidates, files, selection
from swe_agent.ranking.candidates import Candidate, Source
from swe_agent.ranking.query import Query, parse_query
from swe_agent.store.db import Store

__all__ = ["Candidate", "Query", "parse_query", "search"]


def search(
    store: Store,
    query: str,
    k: int = 10,
    paths: list[str] | None = None,
    *,
    named: bool = True,
    index: Source | None = None,
) -> list[Candidate]:
    """The best k chunks for query, among paths when given. named=False leaves out the boost
    of definitions the query names: the agent looks those up itself, with its own weights.
    index: a MemoryIndex held by a long-lived process; without one the store is queried."""
    q = parse_query(query)
    source = index or candidates.StoreSource(store)
    pool = candidates.pool_from(source, list(q.terms), paths)
    top = (float(pool.score.max()) if len(pool) else 1.0) or 1.0
    names = q.names if named else ()
    defined = source.definitions_of(names, fold_case=q.symbol)
    if paths is not None:
        allowed = set(paths)
        defined = [d for d in defined if d.chunk.path in allowed]
    boosts.boost_definitions(pool, defined, q, top)
    if not q.symbol or q.text.islower():
        boosts.boost_path_matches(pool, q, top)
    if not q.symbol:
        in_pool = sorted(pool.files)
        boosts.boost_central_files(pool, source.file_uses(in_pool))
        if files.is_question(len(set(q.terms))):
            files.boost_matching_files(pool, *source.file_bm25(list(q.terms), in_pool))
            files.boost_hub_files(pool, source.links(in_pool), top)
            files.prefer_shallow_files(pool)
    boosts.boost_coherent_files(
        pool, top, boosts.COHERENCE if q.symbol else boosts.QUESTION_COHERENCE
    )
    selection.penalise(pool, q, source.generated_files())
    return selection.select(pool, k)
