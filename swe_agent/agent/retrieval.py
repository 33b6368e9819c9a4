"""The retrieval tools' bodies: each turns the store and the work tree into a Listing, a header
and a list of entries that the toolbox cuts into pages, each entry with its record beside it.

Entries that name code share one shape, `path:start-end symbol`, so the model and the recursive
summary read locations the same way; the offline policy reads the records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from swe_agent.agent.filelines import FileLines, read_lines
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.records import (
    CallerHit,
    CodeHit,
    DefinitionHit,
    Line,
    OutlineEntry,
    Record,
    ReferenceHit,
    Subject,
)
from swe_agent.code.paths import is_source_path, is_test_path
from swe_agent.ranking import Candidate, parse_query, search
from swe_agent.ranking.candidates import Source
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store import symbols as sym
from swe_agent.store.db import Store
from swe_agent.store.files import file_info, generated_paths

WINDOW_LINES = 50  # lines of a file page
PREVIEW_CHARS = 120


@dataclass(slots=True)
class Listing:
    title: str
    header: str
    entries: list[str]
    key: str
    records: list[Record] = field(default_factory=list)  # one per entry
    subject: Subject | None = None
    per_page: int = 10
    page: int | None = None  # set when the listing is already one page (a file window)
    pages: int | None = None
    next_call: str = ""  # how to ask for the next page


@dataclass(slots=True)
class Sources:
    """What the tools read: the store, the work tree through a guard, and the session."""

    store: Store
    guard: PathGuard
    repo: GitRepo | None = None
    session_id: str | None = None
    index: Source | None = None  # a MemoryIndex of the store, when a long-lived process holds one
    files: FileLines | None = None  # files' lines kept between calls by a long-lived process
    _lines: dict[str, list[str]] = field(default_factory=dict)

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            full = self.guard.root / path
            self._lines[path] = self.files.lines(full) if self.files else read_lines(full)
        return self._lines[path]

    def preview(self, path: str, start: int, symbol: str | None) -> str:
        lines = self.lines(path)
        for line in lines[max(start - 1, 0) : start + 4]:
            if line.strip() and not line.strip().startswith(("@", "#", "//")):
                return clip(line.strip())
        return ""

    def generated(self) -> frozenset[str]:
        """The files whose first lines say a tool wrote them."""
        return self.index.generated_files() if self.index else generated_paths(self.store)


def clip(text: str, limit: int = PREVIEW_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


SCOPES = ("all", "source", "tests")


class ToolInputError(ValueError):
    """An argument a tool cannot use; the message says which and why."""


def search_code(
    src: Sources, query: str, scope: str = "all", limit: int = 40, *, names: bool = True
) -> Listing:
    if scope not in SCOPES:
        raise ToolInputError(f"scope must be one of {', '.join(SCOPES)}")
    paths = None
    if scope != "all":
        wanted = scope == "tests"
        paths = sorted(
            p for p in src.guard.indexed if is_source_path(p) and is_test_path(p) == wanted
        )
    # names: the page `swe-agent search` shows, where the definitions of the names the query
    # uses lead ("the Key type"); without, a reader that looks them up itself weighs them
    named = names or parse_query(query).symbol
    found = search(src.store, query, limit, paths or None, named=named, index=src.index)
    hits = [h for h in found if h.path in src.guard.indexed]
    entries: list[str] = []
    records: list[Record] = []
    spans, kinds = _definition_spans(src, hits)
    for rank, h in enumerate(hits, 1):
        preview = src.preview(h.path, h.start_line, h.symbol)
        where = (h.path, h.symbol, h.start_line)
        whole = spans.get(where)
        part = f" (part of {whole[0]}-{whole[1]})" if whole else ""
        entries.append(
            f"{rank}. {h.path}:{h.start_line}-{h.end_line} {h.symbol or '-'}{part}"
            f"  score {h.score:.2f}\n   {preview}"
        )
        kind = kinds.get(where, "")
        records.append(
            CodeHit(rank, h.path, h.start_line, h.end_line, h.symbol, h.score, whole, kind)
        )
    short = clip(" ".join(query.split()), 60)
    return Listing(
        f'search_code "{short}"',
        f"search_code ({scope}): {len(hits)} chunks match, best first",
        entries,
        f"search_code:{scope}:{query}",
        records,
        per_page=10,
        next_call="search_code with the same query and scope and page={next}",
    )


HitKey = tuple[str, str | None, int]  # a hit's path, symbol and first line


def _definition_spans(
    src: Sources, hits: list[Candidate]
) -> tuple[dict[HitKey, tuple[int, int]], dict[HitKey, str]]:
    """The whole lines of each hit's definition where the chunk is only a part of it (the head
    of a class whose methods are chunks of their own): a location named after a definition
    stands for all of it; and the kind of each hit's definition."""
    spans: dict[HitKey, tuple[int, int]] = {}
    kinds: dict[HitKey, str] = {}
    named = [h for h in hits if h.symbol]
    if not named:
        return spans, kinds
    by_path: dict[str, list[dict[str, Any]]] = {}
    paths = sorted({h.path for h in named})
    for d in sym.definitions_named_in(src.store, paths, sorted({str(h.symbol) for h in named})):
        by_path.setdefault(d["path"], []).append(d)  # one query: one per file cost ~4 ms each
    for h in named:
        for d in by_path.get(h.path, []):
            if d["qualname"] == h.symbol and d["start_line"] <= h.start_line <= d["end_line"]:
                where = (h.path, h.symbol, h.start_line)
                if (d["start_line"], d["end_line"]) != (h.start_line, h.end_line):
                    spans[where] = (d["start_line"], d["end_line"])
                kinds[where] = d["kind"]
                break
    return spans, kinds


def lookup_symbol(src: Sources, name: str) -> Listing:
    entries, records = symbol_definitions(src, name)
    count = len(entries)
    uses, use_records = symbol_uses(src, name)
    header = f"lookup_symbol {name}: {count} definitions, then callers and other references"
    return Listing(
        f"lookup_symbol {name}",
        header,
        entries + uses,
        f"lookup_symbol:{name}",
        records + use_records,
        per_page=12,
        next_call="lookup_symbol with the same name and page={next}",
    )


def symbol_definitions(src: Sources, name: str) -> tuple[list[str], list[Record]]:
    """The definitions of name (or a similar name), as entries and records."""
    entries: list[str] = []
    records: list[Record] = []
    generated = src.generated()
    for d in sym.find_definitions(src.store, name, 24):
        match = "exact" if d["rank"] <= 2 else "similar name"
        made = d["path"] in generated
        match += ", generated" if made else ""
        doc = (d.get("doc") or "").strip().splitlines()
        signature = d.get("signature") or ""
        entries.append(
            f"def {d['path']}:{d['start_line']}-{d['end_line']} {d['qualname']} ({d['kind']}, {match})\n"
            f"   {clip(signature)}" + (f"\n   doc: {clip(doc[0])}" if doc else "")
        )
        records.append(
            DefinitionHit(d["path"], d["start_line"], d["end_line"], d["qualname"], d["kind"],
                          d["rank"] <= 2, signature, made)
        )  # fmt: skip
    return entries, records


def symbol_uses(src: Sources, name: str) -> tuple[list[str], list[Record]]:
    """The callers of name (with their call counts), then its other references."""
    entries: list[str] = []
    records: list[Record] = []
    generated = src.generated()
    for c in sym.callers(src.store, name, 20):
        made = c["path"] in generated
        entries.append(
            f"caller {c['path']}:{c['line']}-{c['line']} {c['qualname']} ({c['calls']} calls"
            + (", generated)" if made else ")")
        )
        records.append(CallerHit(c["path"], c["line"], c["qualname"], c["calls"], made))
    refs = [r for r in sym.references_to(src.store, name, 60) if r["kind"] != "call"]
    for r in refs[:20]:
        made = r["path"] in generated
        entries.append(
            f"ref {r['path']}:{r['line']}-{r['line']} {r['enclosing'] or '-'} ({r['kind']}"
            + (", generated)" if made else ")")
        )
        records.append(ReferenceHit(r["path"], r["line"], r["enclosing"], r["kind"], made))
    return entries, records


def outline(src: Sources, path: str) -> Listing:
    rel = src.guard.resolve(path)
    info = file_info(src.store, rel)
    language, total = (info.language, info.lines) if info else (None, len(src.lines(rel)))
    defs = sym.definitions_in(src.store, rel)
    entries = [
        f"{d['start_line']}-{d['end_line']} {d['kind']} {d['qualname']}  {clip(d.get('signature') or '', 90)}"
        for d in defs
    ]
    records: list[Record] = [
        OutlineEntry(d["start_line"], d["end_line"], d["kind"], d["qualname"]) for d in defs
    ]
    header = f"outline {rel} ({language or 'text'}, {total} lines, {len(defs)} definitions)"
    return Listing(
        f"outline {rel}",
        header,
        entries,
        f"outline:{rel}",
        records,
        Subject(rel),
        per_page=40,
        next_call="outline with the same path and page={next}",
    )


def open_page(
    src: Sources, path: str, page: int | None, line: int | None, count: int | None
) -> Listing:
    rel = src.guard.resolve(path)
    lines = src.lines(rel)
    size = max(5, min(count or WINDOW_LINES, 120))
    total_pages = max(1, math.ceil(len(lines) / WINDOW_LINES))
    if line:
        start = max(1, min(line, max(len(lines), 1)))
    else:
        start = (min(max(page or 1, 1), total_pages) - 1) * WINDOW_LINES + 1
    end = min(len(lines), start + size - 1)
    where = sym.definition_at(src.store, rel, start)
    inside = f" (in {where['qualname']})" if where else ""
    records: list[Record] = [Line(n, lines[n - 1]) for n in range(start, end + 1)]
    entries = [line.numbered() for line in records if isinstance(line, Line)]
    header = f"open_page {rel} lines {start}-{end} of {len(lines)}{inside}"
    return Listing(
        f"{rel}:{start}-{end}",
        header,
        entries,
        f"open_page:{rel}:{start}:{end}",
        records,
        Subject(rel, start, end, len(lines)),
        per_page=max(len(entries), 1),
        page=(start - 1) // WINDOW_LINES + 1,
        pages=total_pages,
        next_call=f"open_page path={rel} line={end + 1}" if end < len(lines) else "",
    )


def history(src: Sources, path: str | None, symbol: str | None) -> Listing:
    if src.repo is None:
        return Listing("history", "history: this repository has no git history", [], "history")
    span: tuple[int, int] | None = None
    if symbol and not path:
        found = sym.find_definitions(src.store, symbol, 1)
        if not found:
            return Listing(
                "history", f"history: no definition named {symbol}", [], f"history:{symbol}"
            )
        path, span = found[0]["path"], (found[0]["start_line"], found[0]["end_line"])
    if not path:
        log = src.repo.log_entries(limit=30)
        what = "the repository"
    else:
        rel = src.guard.resolve(path)
        log = src.repo.log_entries(rel, span, limit=20)
        what = f"{symbol} in {rel}" if span else rel
    entries = []
    for commit in log:
        others = [f for f in commit.files if f != path][:6]
        entries.append(commit.line + (f"\n   changed with: {', '.join(others)}" if others else ""))
    return Listing(
        f"history {what}",
        f"history of {what}: {len(entries)} commits, newest first",
        entries,
        f"history:{what}",
        list(log),
        per_page=10,
        next_call="history with the same arguments and page={next}",
    )
