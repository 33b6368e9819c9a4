from collections import Counter
from pathlib import Path

from swe_agent.store.db import open_store
from swe_agent.store.search import (
    CHUNK_COLUMNS,
    POSTING_COLUMNS,
    bm25,
    delete_chunks,
    postings_rows,
)


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
