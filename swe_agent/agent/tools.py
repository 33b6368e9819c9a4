"""The agent's tools: one set, in Anthropic's format, for Claude and for the offline policy.

Every result is a bounded page; the loop frames it with the budget line and "page k of n".
Errors (a refused path, a bad argument, an edit that does not fit) come back as results the
model can read, never as exceptions out of the loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from swe_agent.agent import recall, retrieval
from swe_agent.agent.memory import CoreMemory, MemoryEditError
from swe_agent.agent.records import CodeHit, DefinitionHit, NoteHit, Record, Subject
from swe_agent.agent.retrieval import ToolInputError
from swe_agent.errors import SweAgentError
from swe_agent.llm.tokens import CHARS_PER_TOKEN, count_tokens

_PAGE = {"type": "integer", "minimum": 1, "description": "Which page of the result (default 1)."}
_LOCATION = {
    "type": "object",
    "properties": {
        "path": {"type": "string"},
        "symbol": {
            "type": "string",
            "description": "Qualified name, e.g. Session.send; empty for a file.",
        },
        "start_line": {"type": "integer"},
        "end_line": {"type": "integer"},
        "why": {"type": "string", "description": "The evidence for this location."},
    },
    "required": ["path", "why"],
}


def _tool(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "input_schema": {"type": "object", "properties": properties, "required": required},
    }


TOOLS = [
    _tool(
        "search_notes",
        "Search sleep-time notes about the code (summaries, anticipated questions with "
        "their evidence locations, history). Cheap; try it first.",
        {
            "query": {"type": "string"},
            "kinds": {"type": "array", "items": {"type": "string"}},
            "page": _PAGE,
        },
        ["query"],
    ),
    _tool(
        "search_code",
        "BM25 full-text search over code chunks (definitions and windows). Returns "
        "path:start-end symbol with a one-line preview. scope: all files (default), source files "
        "without tests and docs, or tests only. names=false: definitions of the names the query "
        "uses are not lifted (when you look them up yourself).",
        {
            "query": {"type": "string"},
            "scope": {"type": "string", "enum": ["all", "source", "tests"]},
            "names": {"type": "boolean"},
            "page": _PAGE,
        },
        ["query"],
    ),
    _tool(
        "lookup_symbol",
        "Definitions of a name or qualified name (Class.method, module.func), then its "
        "callers and other references.",
        {"name": {"type": "string"}, "page": _PAGE},
        ["name"],
    ),
    _tool(
        "outline",
        "The definitions of one file, with their lines.",
        {"path": {"type": "string"}, "page": _PAGE},
        ["path"],
    ),
    _tool(
        "open_page",
        "Read a window of a file, by page or from a line. Use `lines` to read less.",
        {
            "path": {"type": "string"},
            "page": _PAGE,
            "line": {"type": "integer", "minimum": 1},
            "lines": {"type": "integer", "minimum": 5, "maximum": 120},
        },
        ["path"],
    ),
    _tool(
        "history",
        "Commits that touched a path or a symbol's lines, newest first, with files changed "
        "alongside.",
        {"path": {"type": "string"}, "symbol": {"type": "string"}, "page": _PAGE},
        [],
    ),
    _tool(
        "recall_search",
        "Search messages moved out of main context and past sessions.",
        {"query": {"type": "string"}, "page": _PAGE},
        ["query"],
    ),
    _tool(
        "core_memory_append",
        "Append a line to a core memory block (preferences, task, overview). "
        "Preferences the developer states are kept across sessions.",
        {"label": {"type": "string"}, "text": {"type": "string"}},
        ["label", "text"],
    ),
    _tool(
        "core_memory_replace",
        "Replace text in a core memory block; old must match exactly once.",
        {"label": {"type": "string"}, "old": {"type": "string"}, "new": {"type": "string"}},
        ["label", "old", "new"],
    ),
    _tool(
        "answer",
        "Finish: an explanation and the ranked locations (best first), and for a task a "
        "unified diff in `patch`.",
        {
            "explanation": {"type": "string"},
            "locations": {"type": "array", "items": _LOCATION},
            "patch": {"type": "string", "description": "A unified diff against HEAD, or omit."},
        },
        ["explanation", "locations"],
    ),
]


@dataclass(slots=True)
class ToolResult:
    """One page of a tool's result: the text the model reads, and beside it the records of the
    entries shown and what the whole result is about."""

    body: str
    title: str = ""
    key: str = ""
    page: int = 1
    pages: int = 1
    next_call: str = ""
    is_error: bool = False
    records: list[Record] = field(default_factory=list)
    subject: Subject | None = None


def paginate(entries: list[str], per_page: int, page_tokens: int) -> list[list[str]]:
    """Entries grouped into pages of at most per_page entries and page_tokens tokens."""
    pages: list[list[str]] = []
    current: list[str] = []
    used = 0
    for entry in entries:
        cost = count_tokens(entry) + 1
        if current and (len(current) >= per_page or used + cost > page_tokens):
            pages.append(current)
            current, used = [], 0
        current.append(
            entry if cost <= page_tokens else entry[: page_tokens * CHARS_PER_TOKEN - 1] + "…"
        )
        used += cost
    if current:
        pages.append(current)
    return pages or [[]]


def _place(hit: CodeHit | DefinitionHit) -> tuple[str, str | None]:
    return (hit.path, (hit.symbol if isinstance(hit, CodeHit) else hit.qualname) or None)


def _arg(args: dict[str, Any], name: str, kind: type, required: bool = False) -> Any:
    value = args.get(name)
    if value is None or value == "":
        if required:
            raise ToolInputError(f"missing argument {name!r}")
        return None
    if kind is int and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise ToolInputError(
            f"argument {name!r} must be {kind.__name__}, not {type(value).__name__}"
        )
    return value


class Toolbox:
    def __init__(
        self,
        sources: retrieval.Sources,
        core: CoreMemory,
        *,
        page_tokens: int = 1500,
        use_notes: bool = True,
        note_kinds: frozenset[str] | None = None,
    ) -> None:
        self.src = sources
        self.note_kinds = note_kinds  # the kinds search_notes may return; None: every kind
        self.core = core
        self.page_tokens = page_tokens
        self.specs = [t for t in TOOLS if use_notes or t["name"] != "search_notes"]
        self.names = {t["name"] for t in self.specs}
        self.notes_seen: set[int] = set()
        self.code_seen: set[tuple[str, str | None]] = set()  # places search or lookups listed

    def run(self, name: str, args: dict[str, Any]) -> ToolResult:
        """Run a tool other than `answer`; every failure becomes an error result."""
        try:
            if name not in self.names or name == "answer":
                raise ToolInputError(
                    f"no tool named {name!r}; tools: {', '.join(sorted(self.names))}"
                )
            if name.startswith("core_memory_"):
                return ToolResult(self._edit_memory(name, args), title=name)
            listing = self._listing(name, args)
            return self._page(listing, _arg(args, "page", int) or 1)
        except (ToolInputError, MemoryEditError, SweAgentError, OSError) as exc:
            return ToolResult(f"error: {exc}", title=f"{name} (error)", is_error=True)

    def _listing(self, name: str, args: dict[str, Any]) -> retrieval.Listing:
        src = self.src
        if name == "search_code":
            return retrieval.search_code(
                src,
                _arg(args, "query", str, True),
                _arg(args, "scope", str) or "all",
                names=_arg(args, "names", bool) is not False,
            )
        if name == "search_notes":
            # no kinds, or an empty list, is every kind; what the settings leave of the kinds
            # asked for may be none, and then no note is found
            kinds = _arg(args, "kinds", list) or None
            if self.note_kinds is not None:
                kinds = sorted(self.note_kinds.intersection(kinds or self.note_kinds))
            query = _arg(args, "query", str, True)
            return recall.search_notes(src, query, kinds, known=self.code_seen)
        if name == "lookup_symbol":
            return retrieval.lookup_symbol(src, _arg(args, "name", str, True))
        if name == "outline":
            return retrieval.outline(src, _arg(args, "path", str, True))
        if name == "open_page":
            return retrieval.open_page(
                src,
                _arg(args, "path", str, True),
                _arg(args, "page", int),
                _arg(args, "line", int),
                _arg(args, "lines", int),
            )
        if name == "history":
            return retrieval.history(src, _arg(args, "path", str), _arg(args, "symbol", str))
        return recall.recall_search(src, _arg(args, "query", str, True))

    def _page(self, listing: retrieval.Listing, page: int) -> ToolResult:
        if listing.page is not None:
            body = "\n".join([listing.header, *listing.entries])
            return ToolResult(
                body, listing.title, listing.key, listing.page, listing.pages or 1,
                listing.next_call, records=listing.records, subject=listing.subject,
            )  # fmt: skip
        pages = paginate(listing.entries, listing.per_page, self.page_tokens)
        page = min(max(page, 1), len(pages))
        offset = sum(len(p) for p in pages[: page - 1])
        shown = pages[page - 1]
        records = listing.records[offset : offset + len(shown)]
        self.notes_seen.update(r.id for r in records if isinstance(r, NoteHit))
        self.code_seen.update(_place(r) for r in records if isinstance(r, CodeHit | DefinitionHit))
        body = (
            "\n".join([listing.header, *shown]) if shown else f"{listing.header}\n(nothing found)"
        )
        more = listing.next_call.format(next=page + 1) if page < len(pages) else ""
        title = listing.title + (f" p{page}" if page > 1 else "")
        return ToolResult(
            body, title, f"{listing.key}:{page}", page, len(pages), more,
            records=records, subject=listing.subject,
        )  # fmt: skip

    def _edit_memory(self, name: str, args: dict[str, Any]) -> str:
        label = _arg(args, "label", str, True)
        if name == "core_memory_append":
            return self.core.append(label, _arg(args, "text", str, True))
        return self.core.replace(label, _arg(args, "old", str, True), args.get("new") or "")
