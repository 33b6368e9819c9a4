"""Answers and ledgers as text for people. Pure functions of plain data."""

from __future__ import annotations

from typing import Any


def answer_text(result: dict[str, Any]) -> str:
    lines = [result["answer"].rstrip(), ""]
    if result["locations"]:
        lines.append("Locations, best first:")
        for i, loc in enumerate(result["locations"], 1):
            symbol = f"  {loc['symbol']}" if loc.get("symbol") else ""
            lines.append(f"{i:>3}. {loc['path']}:{loc['start_line']}-{loc['end_line']}{symbol}")
            if loc.get("why"):
                lines.append(f"       {loc['why']}")
    if result.get("patch"):
        lines += ["", "Proposed patch (apply with --apply):", result["patch"].rstrip()]
    usage = result["usage"]
    mode = (
        "answered offline, without a language model"
        if result["mode"] == "offline"
        else "answered with Claude"
    )
    lines += [
        "",
        f"[{mode} · session {result['session']} · {usage['tool_calls']} tool calls · "
        f"{usage['test_time_input_tokens']:,} tokens in, {usage['test_time_output_tokens']:,} out · "
        f"{usage['notes_used']} notes used]",
    ]
    return "\n".join(lines)


def stats_text(result: dict[str, Any], ledger: list[dict[str, Any]]) -> str:
    usage = result["usage"]
    rows = [r for r in ledger if "step" in r]
    totals = next((r["totals"] for r in ledger if "totals" in r), None)
    lines = ["Token ledger (test-time, this task):", "  step  input  output  context  tools"]
    for r in rows:
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
            f"{totals['input_tokens']:,} tokens in, {totals['output_tokens']:,} out"
        )
    return "\n".join(lines)
