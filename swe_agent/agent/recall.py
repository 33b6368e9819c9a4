"""The retrieval tools' bodies over what was written before the question: sleep-time notes
(search_notes) and the messages of past sessions and evicted ones (recall_search)."""

from __future__ import annotations

from collections.abc import Collection
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
# Only the first note of a page shows its body: the others' titles say what they are about, and
# their bodies (parameters, callers) cost ~30 tokens each that the page of code would repeat.
NOTE_CHARS = 120  # of a note's title and of its body: past it, a note names more than it says
# A note about a place code search or a lookup already listed is one line: its place and the start of
# its title. The place's code is in front of the reader, or will be when its page is opened; what
# the note adds is that it agrees, and which question it answers.
KNOWN_NOTE_CHARS = 60


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


def search_notes(
    src: Sources,
    query: str,
    kinds: list[str] | None,
    known: Collection[tuple[str, str | None]] = (),
) -> Listing:
    """Notes best first. known: the (path, symbol) places the reader has already been shown
    (by code search or a lookup); a note about one of them is one line (KNOWN_NOTE_CHARS)."""
    notes = find(src.store, query, k=20, kinds=kinds)
    entries: list[str] = []
    records: list[Record] = []
    for n in notes:
        place = _note_place(src.store, n.get("path") or "", n.get("symbol"))
        cited = tuple(_evidence(e) for e in (n.get("evidence") or [])[:4])
        if cited == (place,):
            cited = ()  # no line: the place is the evidence
        brief = place is not None and (place.path, place.symbol) in known
        title = clip(n["title"], NOTE_CHARS)
        if brief:
            title = clip(_untold(title, place), KNOWN_NOTE_CHARS)
        shown = not brief and len(entries) % NOTES_PER_PAGE == 0
        body = clip(_news(str(n["title"]), " ".join(str(n["body"]).split())), NOTE_CHARS)
        # the record holds what the entry shows: a body only where it is printed
        note = NoteHit(int(n["id"]), n["kind"], place, title, body if shown else "", cited)
        where = place.label() if place else "repository"
        evidence = "; ".join(p.label() for p in cited)
        entries.append(
            f"[{note.kind}] {where} — {_untold(title, place)}"
            + (f"\n   {note.body}" if note.body else "")
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


def _news(title: str, body: str) -> str:
    """The body less what the title already says: a summary's title is often its body's first
    sentence ("parse: Parses a header." over "Parses a header. Takes ..."), read twice for nothing."""
    said = title.split(": ", 1)[-1].removesuffix("…").strip()
    if len(said) >= 20 and body.startswith(said):
        return body[len(said) :].lstrip(" .;")
    return body


def _untold(title: str, place: Place | None) -> str:
    """The title less a leading "Symbol: " that the place shown before it already names."""
    if place and place.symbol and title.startswith(place.symbol + ": "):
        return title[len(place.symbol) + 2 :]
    return title


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
