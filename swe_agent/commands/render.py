"""Text for people: what the commands print when --json is not given. Pure functions of plain
data (the same data --json prints)."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from swe_agent.mcp.render import confidence_words  # one wording for the CLI and MCP

_CODE_LINE = re.compile(r"^\s*\d+\|")  # a line of a page of code: never rewrapped
_LOCATION = re.compile(r"(?<![\w/.])([\w./-]+\.\w+:\d+(?:-\d+)?)")  # path:start-end
BOLD, CYAN, RESET = "\x1b[1m", "\x1b[36m", "\x1b[0m"


def index_summary(report: dict[str, Any]) -> str:
    """An index's report (IndexReport.as_dict) for people."""
    r = report
    parts = [
        f"indexed in {r['seconds']:.2f}s: {len(r['added'])} added, {len(r['changed'])} changed, "
        f"{len(r['removed'])} removed, {r['unchanged']} unchanged"
    ]
    if r["skipped"]:
        reasons: dict[str, int] = {}
        for skip in r["skipped"]:
            key = skip["reason"].split(" (")[0]
            reasons[key] = reasons.get(key, 0) + 1
        parts.append("skipped " + ", ".join(f"{n} {k}" for k, n in sorted(reasons.items())))
    if r["invalid_utf8"]:
        parts.append(f"{len(r['invalid_utf8'])} files with invalid UTF-8 (read with replacement)")
    if r["parse_errors"]:
        parts.append(f"{len(r['parse_errors'])} files with syntax errors (kept what parsed)")
    if r.get("kept_notes") is not None:
        parts.append(
            f"rebuilt: kept {r['kept_notes']:,} current notes and {r['kept_sessions']:,} sessions"
        )
    if r["stale_notes"]:
        parts.append(f"{r['stale_notes']} notes went stale (their code changed)")
    for label, key in (("+", "added"), ("~", "changed"), ("-", "removed")):
        if 0 < len(r[key]) <= 20:
            parts.extend(f"  {label} {p}" for p in r[key])
    return "\n".join(parts)


SHOWN = 20  # lines of each list of `symbols` for people; --json has them all


def symbol_text(result: dict[str, Any], limits: dict[str, int] | None = None) -> str:
    """Definitions, callers and references; a list cut says by how many, and a list that came
    back full (`limits`: the most the query returns) says "at least"."""
    if not result["definitions"]:
        return f"no definition matches {result['name']!r}"
    limits = limits or {}
    lines = []
    for d in result["definitions"][:SHOWN]:
        lines.append(f"{d['kind']} {d['qualname']}  {d['path']}:{d['start_line']}-{d['end_line']}")
        if d.get("signature"):
            lines.append(f"    {d['signature']}")
        if d.get("doc"):
            lines.append(f"    {d['doc'].splitlines()[0]}")
    lines.extend(
        _more(
            result["definitions"],
            limits.get("definitions"),
            "definitions; give Class.method to narrow",
        )
    )
    if result["callers"]:
        lines.append("callers:")
        lines.extend(
            f"  {c['qualname']}  {c['path']}:{c['line']} ({c['calls']}x)"
            for c in result["callers"][:SHOWN]
        )
        lines.extend(_more(result["callers"], limits.get("callers"), "callers; --json lists them"))
    if result["references"]:
        refs = result["references"]
        full = limits.get("references") == len(refs)
        lines.append(f"references ({len(refs)}{' or more' if full else ''}):")
        lines.extend(
            f"  {r['path']}:{r['line']} {r['kind']} in {r['enclosing'] or '<module>'}"
            for r in refs[:SHOWN]
        )
        lines.extend(_more(refs, limits.get("references"), "references; --json lists them"))
    return "\n".join(lines)


def _more(items: list[Any], limit: int | None, what: str) -> list[str]:
    if len(items) <= SHOWN:
        return []
    more = len(items) - SHOWN
    if limit == len(items):  # the query stopped at its limit: there may be more still
        return [f"  … more {what}" if more == 1 else f"  … at least {more} more {what}"]
    return [f"  … {more} more {what}"]


def outline_text(result: dict[str, Any]) -> str:
    lines = [f"{result['path']} ({result['language'] or 'text'}, {result['lines']} lines)"]
    depth: dict[str, int] = {}
    for d in result["definitions"]:
        level = depth.get(d["parent"], -1) + 1 if d["parent"] else 0
        depth[d["qualname"]] = level
        lines.append(
            f"{'  ' * (level + 1)}{d['kind']} {d['name']}  {d['start_line']}-{d['end_line']}"
        )
    return "\n".join(lines)


def status_text(s: dict[str, Any]) -> str:
    c = s["counts"]
    fresh = (
        "fresh"
        if s["fresh"]
        else f"behind HEAD (indexed {str(s['indexed_head'])[:10]}, HEAD {str(s['head'])[:10]})"
    )
    lines = [
        f"index: {fresh}; {len(s['dirty_files'])} uncommitted changes in the work tree",
        f"files {c['files']}, lines {c['lines']}, definitions {c['definitions']}, references {c['references']}, "
        f"chunks {c['chunks']}, skipped {c['skipped']}",
        "languages: " + ", ".join(f"{k} {v}" for k, v in s["languages"].items()),
    ]
    if s.get("notes"):
        lines.append(f"notes: {s['notes']['current']} current, {s['notes']['stale']} stale")
    lines += batch_lines(s.get("batches") or {})
    lines.append(f"store: {s['store_path']} ({s['store_bytes'] / 1e6:.1f} MB)")
    lines.append(
        f"daemon: {'running, pid ' + str(s['daemon_pid']) if s['daemon_pid'] else 'not running'}"
    )
    return "\n".join(lines)


def batch_lines(b: dict[str, Any]) -> list[str]:
    """Sleep-time batches: each pending one, and the last one collected."""
    lines = []
    for p in b.get("pending") or ():
        when = "not yet accepted, sent again at the next poll" if p["state"] == "unsent" else (
            f"submitted {p['submitted_at']}, last polled {p['polled_at'] or 'never'}"
        )  # fmt: skip
        lines.append(f"batch pending: {p['id']} ({p['requests']} files, {p['model']}; {when})")
    for e in (b.get("ended") or ())[:1]:
        o = e["outcome"]
        if e["state"] == "lost":
            lines.append(f"last batch: {e['id']} unknown to the API; offline notes kept")
            continue
        kept = sum(o.get("kept_offline", {}).values()) + o.get("stale", 0)
        lines.append(
            f"last batch: {e['id']} ended {e['ended_at']}: model notes for {o.get('written', 0)} "
            f"of {e['requests']} files"
            + (f", offline notes kept for {kept}" if kept else "")
            + f", ${o.get('cost_usd', 0):.4f}"
        )
    return lines


WHY_CHARS = 100  # of a location's reason in the compact list; --json has it whole


def answer_text(result: dict[str, Any]) -> str:
    """The ranked locations first, one line each, then the explanation."""
    lines = []
    if result["locations"]:
        lines.append("Locations, best first:")
        for i, loc in enumerate(result["locations"], 1):
            symbol = f"  {loc['symbol']}" if loc.get("symbol") else ""
            why = loc.get("why") or ""
            if len(why) > WHY_CHARS:
                why = why[: WHY_CHARS - 1] + "…"
            why = f" — {why}" if why else ""
            lines.append(
                f"{i:>3}. {loc['path']}:{loc['start_line']}-{loc['end_line']}{symbol}{why}"
            )
        lines.append("")
    lines.append(result["answer"].rstrip())
    if result.get("patch"):
        lines += ["", "Proposed patch (apply with --apply):", result["patch"].rstrip()]
    usage = result["usage"]
    offline = result["mode"] == "offline"
    mode = "answered offline, without a language model" if offline else "answered with Claude"
    size = (  # offline no model reads or writes: the counts are the context's size
        f"context {usage['test_time_input_tokens']:,} tokens, answer {usage['test_time_output_tokens']:,}"
        if offline
        else f"{usage['test_time_input_tokens']:,} tokens in, {usage['test_time_output_tokens']:,} out"
    )
    lines += [
        "",
        f"[{mode} · session {result['session']} · {usage['tool_calls']} tool calls · {size} · "
        f"{usage['notes_used']} notes used{confidence_words(result.get('confidence'))}]",
    ]
    return "\n".join(lines)


def stats_text(result: dict[str, Any]) -> str:
    """The token ledger of an answer, from its JSON with the ledger."""
    usage = result["usage"]
    totals = result.get("totals")
    if result["mode"] == "offline":
        lines = [
            "Token ledger (test-time, this task; offline: tokens counted, no model spent any):",
            "  step   read written  context  tools",
        ]
    else:
        lines = ["Token ledger (test-time, this task):", "  step  input  output  context  tools"]
    for r in result.get("ledger") or []:
        lines.append(
            f"  {r['step']:>4}  {r['input_tokens']:>5,}  {r['output_tokens']:>6,}  {r['context_tokens']:>7,}  {r['tools']}"
        )
    lines.append(
        f"  task  {usage['test_time_input_tokens']:>5,}  {usage['test_time_output_tokens']:>6,}"
        f"           {usage['tool_calls']} tool calls"
    )
    lines.append(
        f"Sleep-time tokens behind the current notes: {usage['sleep_time_tokens_available']:,}"
    )
    if totals:
        lines.append(
            f"All sessions: {totals['sessions']} sessions, {totals['tasks']} tasks, "
            f"{totals['input_tokens']:,} tokens read, {totals['output_tokens']:,} written"
        )
    return "\n".join(lines)


def for_terminal(text: str, width: int, colour: bool) -> str:
    """Prose wrapped to the terminal's width (its indent kept), code lines as they are, and
    locations coloured when colour is wanted (a TTY without NO_COLOR)."""
    out = []
    for line in text.splitlines():
        if len(line) > width and not _CODE_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(
                textwrap.wrap(
                    line.strip(),
                    width,
                    initial_indent=indent,
                    subsequent_indent=indent + "  ",
                    break_on_hyphens=False,
                )
                or [""]
            )
        else:
            out.append(line)
    text = "\n".join(out)
    return _LOCATION.sub(lambda m: f"{CYAN}{m.group(1)}{RESET}", text) if colour else text
