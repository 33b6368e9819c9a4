"""The retrieval tools' bodies over what was written before the question: sleep-time notes
(search_notes) and the messages of past sessions and evicted ones (recall_search)."""

from __future__ import annotations

from typing import Any

from swe_agent.agent.records import NoteHit, Place, RecallHit, Record
from swe_agent.agent.retrieval import Listing, Sources, clip
from swe_agent.code.tokens import terms
from swe_agent.store import sessions
from swe_agent.store import symbols as sym
from swe_agent.store.db import Store
from swe_agent.store.files import file_info
from swe_agent.store.notes import search_notes as find

NOTES_PER_PAGE = 3  # notes past the third rarely change the ranking, and each costs ~70 tokens
NOTE_CHARS = 160  # of a note's title and of its body


def recall_search(src: Sources, query: str) -> Listing:
    rows = sessions.search_recall(
        src.store, terms(query) or query.split(), session_id=src.session_id
    )
    words = [w.lower() for w in terms(query) or query.split()]
    entries = [
        f"session {r['session_id']} turn {r['turn']} #{r['seq']} {r['role']}: {_excerpt(r['text'], words)}"
        for r in rows
    ]
    records: list[Record] = [
        RecallHit(r["session_id"], r["turn"], r["seq"], r["role"], r["text"]) for r in rows
    ]
    return Listing(
        f'recall_search "{clip(query, 40)}"',
        f"recall_search: {len(rows)} past messages match",
        entries,
        f"recall:{query}",
        records,
        per_page=6,
        next_call="recall_search with the same query and page={next}",
    )


def _excerpt(text: str, words: list[str], size: int = 300) -> str:
    """The part of text around its first matching word."""
    flat = " ".join(text.split())
    lower = flat.lower()
    hits = [i for i in (lower.find(w) for w in words) if i >= 0]
    start = max(0, min(hits) - size // 3) if hits else 0
    return ("…" if start else "") + clip(flat[start:], size)


def search_notes(src: Sources, query: str, kinds: list[str] | None) -> Listing:
    notes = find(src.store, query, k=20, kinds=kinds)
    entries: list[str] = []
    records: list[Record] = []
    for n in notes:
        place = _note_place(src.store, n.get("path") or "", n.get("symbol"))
        cited = tuple(_evidence(e) for e in (n.get("evidence") or [])[:4])
        if cited == (place,):
            cited = ()  # no line: the place is the evidence
        note = NoteHit(int(n["id"]), n["kind"], place, clip(n["title"], NOTE_CHARS),
                       clip(" ".join(str(n["body"]).split()), NOTE_CHARS), cited)  # fmt: skip
        where = place.label() if place else "repository"
        evidence = "; ".join(p.label() for p in cited)
        entries.append(
            f"note {note.id} [{note.kind}] {where} — {note.title}\n   {note.body}"
            + (f"\n   evidence: {evidence}" if evidence else "")
        )
        records.append(note)
    return Listing(
        f'search_notes "{clip(query, 40)}"',
        f"search_notes: {len(notes)} current notes match, best first",
        entries,
        f"notes:{query}",
        records,
        per_page=NOTES_PER_PAGE,
        next_call="search_notes with the same query and page={next}",
    )


def _evidence(e: dict[str, Any]) -> Place:
    start = e.get("start_line") or 1
    return Place(str(e.get("path")), start, e.get("end_line") or start, e.get("symbol") or None)


def _note_place(store: Store, path: str, symbol: str | None) -> Place | None:
    """Where a note points, with lines when its symbol (or file) is in the index."""
    if not path:
        return None
    if symbol:
        span = sym.definition_span(store, path, symbol)
        return Place(path, *span, symbol) if span else Place(path, 1, 1, symbol)
    info = file_info(store, path)
    return Place(path, 1, info.lines if info else 1)
