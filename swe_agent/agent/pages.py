"""The MCP tools' bodies as read-side queries: each runs on an open store (the daemon's, or a
read-only one opened for the call) and returns plain data that crosses the daemon's socket.

A page is cut from the agent's own views (swe_agent.agent.retrieval) with the agent's `paginate`,
so another agent sees the same entries, page sizes and hints as ours. A bad argument (a refused
path, an unknown symbol, an empty query) comes back as {"error": ...}, never as an exception,
so the daemon and the local path answer it alike.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swe_agent.agent import recall
from swe_agent.agent import retrieval as views
from swe_agent.agent.filelines import FileLines
from swe_agent.agent.paths import PathGuard
from swe_agent.agent.reads import PAGE_TOKENS, Held
from swe_agent.agent.tools import paginate
from swe_agent.errors import SweAgentError
from swe_agent.llm.tokens import count_tokens
from swe_agent.store import symbols as sym
from swe_agent.store.db import Store
from swe_agent.store.notes import stale_notes

_PLACE = re.compile(r"(?P<path>[^\s:]+):(?P<start>\d+)-(?P<end>\d+) (?P<symbol>\S+)")
_OUTLINE = re.compile(r"^(?P<start>\d+)-(?P<end>\d+) \w+ (?P<symbol>\S+)")
_MCP_TOOL = {"lookup_symbol": "find_symbol", "open_page": "read"}  # the agent's names, here
_AGENT_TOOL = re.compile(r"\b(?:lookup_symbol|open_page)\b")
_UNKNOWN = "no symbol named {name!r} is defined or used in the index; try search_code"


class Refused(ValueError):
    """An argument a tool cannot use; the message says what to do instead."""


def tool_page_in(
    store: Store,
    root: str,
    tool: str,
    args: dict[str, Any],
    page_tokens: int = PAGE_TOKENS,
    held: Held | None = None,
    files: FileLines | None = None,
) -> dict[str, Any]:
    """One page of a tool's result: header, entries, page k of n, the call for the next page
    and the locations the entries name. held and files: what a long-lived process keeps
    between calls (the search index and path guard, the files' lines), if anything."""
    try:
        src = _sources(store, Path(root), tool, held, files)
        if tool == "read":
            return _read(src, args, page_tokens)
        view, rel = _view(src, tool, args)
        return _cut(view, tool, args, rel, page_tokens)
    except (Refused, views.ToolInputError, SweAgentError, OSError) as exc:
        return {"error": _AGENT_TOOL.sub(lambda m: _MCP_TOOL[m[0]], str(exc))}


def _sources(
    store: Store, root: Path, tool: str, held: Held | None, files: FileLines | None
) -> views.Sources:
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.files import indexed_paths

    guard = held.guard if held else PathGuard(root, indexed_paths(store))
    repo = GitRepo(root) if tool == "history" else None
    return views.Sources(store, guard, repo, index=held.index if held else None, files=files)


def _view(src: views.Sources, tool: str, args: dict[str, Any]) -> tuple[views.Listing, str]:
    """The agent's view for this tool, and the repository-relative path it reads, if any."""
    if tool == "search_code":
        view = views.search_code(src, _text(args, "query"), args.get("scope") or "all")
        view.per_page = args.get("k") or view.per_page
        return view, ""
    if tool == "search_notes":
        view = recall.search_notes(src, _text(args, "query"), None)
        view.per_page = args.get("k") or view.per_page
        return _with_staleness(src.store, view), ""
    if tool in ("find_symbol", "references"):
        return _symbol_view(src, tool, _text(args, "name")), ""
    if tool == "outline":
        rel = src.guard.resolve(_text(args, "path"))
        return views.outline(src, rel), rel
    if tool == "history":
        return _history(src, args.get("path") or None, args.get("symbol") or None), ""
    raise Refused(f"no tool named {tool!r}")


def _text(args: dict[str, Any], name: str) -> str:
    value = str(args.get(name) or "").strip()
    if not value:
        raise Refused(f"{name} is empty: give one")
    return value


def _symbol_view(src: views.Sources, tool: str, name: str) -> views.Listing:
    """lookup_symbol's view split in two: definitions for find_symbol, callers and other
    references for references. Each asks the store for the other half only to say why it
    found nothing."""
    if tool == "find_symbol":
        defs = views.symbol_definitions(src, name)[0]
        if not defs:
            if not views.symbol_uses(src, name)[0]:
                raise Refused(_UNKNOWN.format(name=name))
            raise Refused(
                f"no definition of {name!r} in the index; references({name!r}) lists its uses"
            )
        header = f"find_symbol {name}: {len(defs)} definitions, exact matches first"
        return views.Listing(
            f"find_symbol {name}", header, defs, f"find_symbol:{name}", per_page=12
        )
    uses = views.symbol_uses(src, name)[0]
    if not uses and not views.symbol_definitions(src, name)[0]:
        raise Refused(_UNKNOWN.format(name=name))
    header = f"references {name}: {len(uses)} callers (with their call counts) and other uses"
    return views.Listing(f"references {name}", header, uses, f"references:{name}", per_page=12)


def _history(src: views.Sources, path: str | None, symbol: str | None) -> views.Listing:
    if symbol and not path and not sym.find_definitions(src.store, symbol, 1):
        raise Refused(f"no definition named {symbol!r} in the index; find it with find_symbol")
    return views.history(src, path, symbol)


def _with_staleness(store: Store, view: views.Listing) -> views.Listing:
    stale = stale_notes(store)
    view.header += "; every note shown is current (its code is unchanged since it was written)" + (
        f"; {stale} stale notes are left out until sleep-time rewrites them" if stale else ""
    )
    return view


def _read(src: views.Sources, args: dict[str, Any], page_tokens: int) -> dict[str, Any]:
    """A window of a file (the agent's open_page), cut to the page budget line by line."""
    rel = src.guard.resolve(_text(args, "path"))
    view = views.open_page(src, rel, None, args.get("line") or 1, args.get("lines"))
    shown = paginate(view.entries, len(view.entries), page_tokens)[0] if view.entries else []
    first = int(shown[0].split("|", 1)[0]) if shown else 1
    last, total = first + len(shown) - 1, len(src.lines(rel))
    inside = re.search(r" \(in \S+\)$", view.header)
    header = f"read {rel} lines {first}-{last} of {total}" + (inside.group(0) if inside else "")
    more = {**args, "path": rel, "line": last + 1} if last < total else None
    return _page(
        "read", Cut(header, shown, view.page or 1, view.pages or 1, more), rel, page_tokens
    )


def _cut(
    view: views.Listing, tool: str, args: dict[str, Any], rel: str, page_tokens: int
) -> dict[str, Any]:
    pages = paginate(view.entries, view.per_page, page_tokens)
    page = min(max(int(args.get("page") or 1), 1), len(pages))
    more = {**args, "page": page + 1} if page < len(pages) else None
    return _page(tool, Cut(view.header, pages[page - 1], page, len(pages), more), rel, page_tokens)


@dataclass(frozen=True, slots=True)
class Cut:
    header: str
    shown: list[str]
    page: int
    pages: int
    more: dict[str, Any] | None  # the arguments of the call for what follows


def _page(tool: str, cut: Cut, rel: str, page_tokens: int) -> dict[str, Any]:
    body = "\n".join([cut.header, *cut.shown]) if cut.shown else f"{cut.header}\n(nothing found)"
    return {
        "tool": tool,
        "header": cut.header,
        "entries": cut.shown,
        "page": cut.page,
        "pages": cut.pages,
        "tokens": count_tokens(body),
        "page_tokens": page_tokens,
        "next_call": call_text(tool, cut.more) if cut.more else "",
        "locations": _locations(tool, rel, cut.shown),
    }


def call_text(tool: str, args: dict[str, Any]) -> str:
    """A call as a model writes it: search_code(query="retry", page=2)."""
    shown = ", ".join(f"{k}={json.dumps(v)}" for k, v in args.items() if v not in (None, ""))
    return f"{tool}({shown})"


def _locations(tool: str, rel: str, entries: list[str]) -> list[dict[str, Any]]:
    """The `path:start-end symbol` places the entries name (the views' shared shape)."""
    if tool == "history":
        return []
    if tool == "read":
        lines = [int(e.split("|", 1)[0]) for e in entries]
        return [_place(rel, lines[0], lines[-1], None)] if lines else []
    found = []
    for entry in entries:
        match = (_OUTLINE if tool == "outline" else _PLACE).search(entry.split("\n", 1)[0])
        if match:
            path = rel if tool == "outline" else match["path"]
            found.append(_place(path, int(match["start"]), int(match["end"]), match["symbol"]))
    return found


def _place(path: str, start: int, end: int, symbol: str | None) -> dict[str, Any]:
    return {"path": path, "start_line": start, "end_line": end,
            "symbol": None if symbol in (None, "-") else symbol}  # fmt: skip
