from collections import Counter
from pathlib import Path

import pytest

from swe_agent.ranking.memory import MemoryIndex
from swe_agent.store.db import open_store
from swe_agent.store.search import (
    CHUNK_COLUMNS,
    POSTING_COLUMNS,
    bm25,
    code_definitions,
    definitions_named,
    delete_chunks,
    postings_rows,
)
from swe_agent.store.symbols import DEF_COLUMNS


def add(store, chunk_id: int, path: str, words: str, space: str = "code") -> None:
    counts = Counter(words.split())
    store.insert(
        "chunks", CHUNK_COLUMNS, [(chunk_id, space, path, 1, 5, None, sum(counts.values()))]
    )
    store.insert("postings", POSTING_COLUMNS, postings_rows(chunk_id, counts))


def test_bm25_ranks_rare_terms_and_short_chunks_first(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        add(store, 1, "a.py", "redirect header auth auth")
        add(store, 2, "b.py", "redirect redirect filler filler filler filler filler filler filler")
        add(store, 3, "c.py", "cookie jar header")
        add(store, 4, "d.py", "redirect cookie", space="note")
        hits = bm25(store, ["redirect", "auth"])
        assert [h.path for h in hits] == ["a.py", "b.py"]
        assert hits[0].score > hits[1].score > 0
        assert [h.path for h in bm25(store, ["cookie"], space="note")] == ["d.py"]
        assert [h.path for h in bm25(store, ["redirect"], paths=["b.py"])] == ["b.py"]
        assert bm25(store, ["nothing"]) == []


def test_deleted_chunks_leave_the_statistics(tmp_path: Path) -> None:
    with open_store(tmp_path, create=True) as store:
        add(store, 1, "a.py", "alpha beta")
        add(store, 2, "b.py", "alpha")
        delete_chunks(store, [2])
        assert [h.path for h in bm25(store, ["alpha"])] == ["a.py"]
        assert store.one("SELECT count(*) FROM postings WHERE chunk_id = 2") == (0,)


def counted_in_python(chunks: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
    """The postings as a count in Python makes them: chunk after chunk, each term where it
    first occurs."""
    return [(t, cid, tf) for cid, text in chunks for t, tf in Counter(text.split()).items()]


def test_postings_counted_by_the_store_are_those_a_count_in_python_makes(tmp_path: Path) -> None:
    """From terms_text: the same rows (in no promised order), a chunk without terms without
    postings, the largest ids kept."""
    from swe_agent.code.tokens import terms_text
    from swe_agent.store.search import add_postings

    path_terms = terms_text("src/flask/app.py")
    sources = [
        "def resolve_redirects(self, resp):\n    return self.redirects[resp]  # resolved",
        "the and of",  # stop words only: no term
        "class HTTPAdapter:\n    '''Sends HTTP requests.'''\n    max_retries = 12",
    ]
    ids = [2**63 - 1, -(2**63), 7]
    texts = [terms_text(src, path_terms if k != 1 else "") for k, src in enumerate(sources)]
    assert texts[1] == ""
    expected = counted_in_python(list(zip(ids, texts, strict=True)))
    assert ("redirect", ids[0], 2) in expected and not [r for r in expected if r[1] == ids[1]]
    with open_store(tmp_path, create=True) as store:
        add_postings(store, ids, texts)
        assert sorted(store.query("SELECT term, chunk_id, tf FROM postings")) == sorted(expected)


def _overloads(store, reverse: bool) -> None:
    """Two overloads of `Writer.write` (one qualified name, lines 10-12 and 20-29), each with its
    chunk, written in one order or the other."""
    defs = [
        (1, "w.java", "write", "Writer.write", "method", 10, 12, "", "", "Writer"),
        (2, "w.java", "write", "Writer.write", "method", 20, 29, "", "", "Writer"),
    ]
    chunks = [
        (1, "code", "w.java", 10, 12, "Writer.write", 5),
        (2, "code", "w.java", 20, 29, "Writer.write", 9),
    ]
    step = -1 if reverse else 1
    store.insert("definitions", DEF_COLUMNS, defs[::step])
    store.insert("chunks", CHUNK_COLUMNS, chunks[::step])


@pytest.mark.parametrize("reverse", [False, True])
def test_a_name_several_definitions_share_is_read_as_its_longest_whatever_the_rows_order(
    tmp_path: Path, reverse: bool
) -> None:
    with open_store(tmp_path, create=True) as store:
        _overloads(store, reverse)
        rows = definitions_named(store, ["write"])
        held = code_definitions(store)
    # (name, qualname, kind, chunk id, path, start, end, symbol, uses, lines): the first chunk,
    # sized by the longer overload (10 lines: an implementation, where the other may be a stub)
    assert [(r[3], r[5], r[9]) for r in rows] == [(1, 10, 10)]
    assert [(r[3], r[4]) for r in held] == [(0, 10)]


def test_chunks_of_equal_score_are_cut_at_the_limit_by_path_not_by_their_ids(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path, create=True) as store:
        for chunk_id, path in enumerate(["e.py", "d.py", "c.py", "b.py", "a.py"], 1):
            add(store, chunk_id, path, "retry backoff jitter")
        add(store, 9, "z.py", "unrelated words")
        hits = bm25(store, ["jitter", "backoff"], limit=3)
        held = MemoryIndex(store).bm25(["jitter", "backoff"], 3)
    assert [h.path for h in hits] == ["a.py", "b.py", "c.py"]
    assert held.paths == ["a.py", "b.py", "c.py"]
