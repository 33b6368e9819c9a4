"""The MCP tools' results as the calling model reads them. Pure functions of plain data."""

from __future__ import annotations

from typing import Any

DIRTY_SHOWN = 10


def page_text(data: dict[str, Any]) -> str:
    """Header, entries, and the footer with page, budget and the next call."""
    lines = (
        [data["header"], *data["entries"]]
        if data["entries"]
        else [data["header"], "(nothing found)"]
    )
    footer = (
        f"[page {data['page']} of {data['pages']} · "
        f"{data['tokens']:,} of {data['page_tokens']:,} tokens"
    )
    footer += f" · next: {data['next_call']}]" if data["next_call"] else "]"
    return "\n".join([*lines, footer])


def confidence_words(value: float | None) -> str:
    """An answer's confidence as the CLI's footer and MCP's first line say it; nothing when
    none was given."""
    return "" if value is None else f" · confidence {value:.2f}"


def located_text(data: dict[str, Any]) -> str:
    places = data["locations"]
    lines = [
        f"locate ({data['mode']}): {len(places)} locations, best first "
        f"({data['tool_calls']} tool calls, {data['notes_used']} notes read"
        f"{confidence_words(data.get('confidence'))})"
    ]
    for rank, loc in enumerate(places, 1):
        symbol = loc.get("symbol") or "-"
        lines.append(f"{rank}. {loc['path']}:{loc['start_line']}-{loc['end_line']} {symbol}")
        if loc.get("why"):
            lines.append(f"   why: {loc['why']}")
    if not places:
        lines.append("(nothing found: try search_code with the words you expect in the code)")
    if data.get("explanation"):
        lines.append(data["explanation"])
    return "\n".join(lines)


def status_text(data: dict[str, Any]) -> str:
    head, indexed = data.get("head") or "", data.get("indexed_head") or ""
    if data.get("fresh"):
        freshness = f"fresh: the index is at HEAD {head[:10]}"
    else:
        freshness = f"stale: indexed {indexed[:10] or 'nothing'}, HEAD is {head[:10] or 'unborn'}"
    counts = data.get("counts") or {}
    notes = data.get("notes") or {}
    dirty = data.get("dirty_files") or []
    languages = ", ".join(f"{lang} {n}" for lang, n in (data.get("languages") or {}).items())
    lines = [
        freshness,
        f"{data.get('dirty_count', len(dirty))} uncommitted files"
        + (f": {', '.join(dirty[:DIRTY_SHOWN])}" if dirty else "")
        + (" …" if data.get("dirty_count", len(dirty)) > DIRTY_SHOWN else ""),
        f"{counts.get('files', 0):,} files, {counts.get('definitions', 0):,} definitions, "
        f"{counts.get('references', 0):,} references, {counts.get('chunks', 0):,} chunks",
        f"languages: {languages or 'none'}",
        f"notes: {notes.get('current', 0):,} current, {notes.get('stale', 0):,} stale",
    ]
    if data.get("daemon_pid"):
        lines.append(
            f"served by the daemon (pid {data['daemon_pid']}), which keeps the index current"
        )
    else:
        lines.append(
            "no daemon: this server indexes when HEAD moves; `swe-agent daemon start` keeps the "
            "index and the notes current as files change"
        )
    return "\n".join(lines)
