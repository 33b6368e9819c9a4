"""What scoring and the measures need from a task's indexed repository: the gold
definitions' lines, how a naive reader would fare, and how well the notes anticipated the
question."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

from swe_agent.bench.score import Span, resolve_spans, split_gold
from swe_agent.code.tokens import terms
from swe_agent.llm.tokens import count_tokens
from swe_agent.store.db import Store
from swe_agent.store.search import bm25
from swe_agent.store.symbols import definitions_in

NAIVE_FILES = 10  # the naive reader gives up after this many whole files
NAIVE_CHUNKS = 400  # BM25 chunks looked at to rank files


def gold_spans(store: Store, gold_functions: list[str] | tuple[str, ...]) -> dict[str, list[Span]]:
    """Lines of each gold definition in the index (an empty list when it is not found)."""
    spans: dict[str, list[Span]] = {}
    for gold in gold_functions:
        path, _ = split_gold(gold)
        spans[gold] = resolve_spans(gold, definitions_in(store, path))
    return spans


def bm25_files(store: Store, question: str, limit: int = NAIVE_FILES) -> list[str]:
    """Files in the order of their best BM25 chunk for the question."""
    seen: dict[str, None] = {}
    for hit in bm25(store, terms(question), space="code", limit=NAIVE_CHUNKS):
        seen.setdefault(hit.path, None)
        if len(seen) >= limit:
            break
    return list(seen)


def naive_reader(
    store: Store, root: Path, question: str, gold_files: tuple[str, ...]
) -> dict[str, Any]:
    """A naive agent reads the top BM25 files whole, best first, until it reads a gold file.

    Returns the rank of that file (None when none of the first NAIVE_FILES is gold) and the
    tokens of every file read up to it (or of all NAIVE_FILES when it never got there).
    """
    gold = set(gold_files)
    tokens, rank = 0, None
    for position, path in enumerate(bm25_files(store, question), start=1):
        try:
            tokens += count_tokens((root / path).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if path in gold:
            rank = position
            break
    return {"rank": rank, "tokens": tokens}


def cosine(a: list[str], b: list[str]) -> float:
    ca, cb = Counter(a), Counter(b)
    dot = sum(ca[t] * cb[t] for t in ca.keys() & cb.keys())
    norm = math.sqrt(sum(v * v for v in ca.values())) * math.sqrt(sum(v * v for v in cb.values()))
    return dot / norm if norm else 0.0


def anticipation(store: Store, question: str) -> dict[str, Any]:
    """How closely the notes anticipated the question: the best note's BM25 score, and the
    cosine similarity of the question's terms to the best anticipated question's title."""
    from swe_agent.store.notes import search_notes

    best = search_notes(store, question, k=1)
    asked = search_notes(store, question, k=1, kinds=["question"])
    top = asked[0] if asked else None
    return {
        "note_score": float(best[0]["score"]) if best else 0.0,
        "question_similarity": round(cosine(terms(question), terms(top["title"])), 4)
        if top
        else 0.0,
        "anticipated": top["title"] if top else None,
    }
