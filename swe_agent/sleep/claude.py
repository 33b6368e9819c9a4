"""Notes written by a model: the same kinds as offline, from the code and the offline material.

One call per file. The file comes first, once, behind a prompt-cache breakpoint; the
definitions to write about and what the offline analysis found about them come after it. So
the cached prefix is the stable instructions plus the file: long enough to be cached for most
real files (the API caches a prefix of at least 1,024 tokens, 2,048 on Haiku-class models;
the instructions alone are ~250), and read back when the same file is asked again, as when a
reply cut at max_tokens is asked again with more room, or a batch carries the same file.

The model answers JSON with one entry per definition. Any definition it gets wrong (bad JSON,
a missing entry, a failed call) keeps its offline notes; the tokens the call spent are shared
by the file's definitions all the same.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import Model
from swe_agent.llm.messages import CACHE, build_request
from swe_agent.sleep.offline import FileFacts
from swe_agent.store.notes import Note

SYSTEM = (
    "You study a code repository before anyone asks about it. You are given one file, then "
    "some of its definitions with what static analysis and git history found about them. For "
    "each definition write a short summary (what it does, inputs, outputs, side effects, who "
    "calls it) and the questions a developer or a GitHub issue would ask whose answer is this "
    "code, phrased the way users describe symptoms (for example 'why is my Authorization "
    "header dropped after a redirect?'), each with a one or two sentence answer that names the "
    "code. Use the words users would use, not only the identifiers. Answer only JSON, one entry "
    "per definition, its symbol exactly as given: "
    '{"definitions": [{"symbol": "...", "summary": "...", '
    '"questions": [{"question": "...", "answer": "..."}]}]}'
)
PER_FILE = 3  # definitions per file sent to the model; the rest keep their offline notes
MAX_QUESTIONS = 6
MAX_CODE_LINES = 120  # of one definition, when the file is too long to send whole
MAX_FILE_CHARS = 60_000  # about 15,000 tokens; a longer file is sent as its definitions' code
OUTPUT_PER_DEFINITION = 700  # max_tokens per definition asked about
MAX_OUTPUT = 8_192  # a reply cut at max_tokens is asked again with up to this many
KEPT = ("history",)  # offline kinds a definition keeps beside the model's notes
_JSON = re.compile(r"\{.*\}", re.S)


@dataclass(slots=True)
class Outcome:
    fallbacks: int = 0  # definitions that kept their offline notes
    errors: int = 0  # calls that failed outright
    answered: bool = False  # the call came back


def improve(
    model: Model, facts: FileFacts, definitions: list[dict[str, Any]], notes: list[Note], left: int
) -> tuple[list[Note], Outcome]:
    """Replace the offline summary and questions of the file's top definitions with the model's."""
    outcome = Outcome()
    chosen, by_symbol = choose(definitions, notes)
    if left <= 0 or not chosen:
        return notes, outcome
    try:
        text, tokens = _ask(model, facts, chosen, by_symbol)
    except ModelError:  # it already retried
        outcome.fallbacks += len(chosen)
        outcome.errors += 1
        return notes, outcome
    outcome.answered = True
    written = entries(text)
    for d, cost in zip(chosen, shares(tokens, len(chosen)), strict=True):
        offline = by_symbol[d["qualname"]]
        made = model_notes(
            written.get(d["qualname"]), facts.path, facts.code_hash, d, model.name, cost
        )
        if made is None:
            outcome.fallbacks += 1
            first = dataclasses.replace(offline[0], tokens=offline[0].tokens + cost)
            by_symbol[d["qualname"]] = [first, *offline[1:]]
        else:
            by_symbol[d["qualname"]] = made + [n for n in offline if n.kind in KEPT]
    return [n for group in by_symbol.values() for n in group], outcome


def choose(
    definitions: list[dict[str, Any]], notes: list[Note]
) -> tuple[list[dict[str, Any]], dict[str | None, list[Note]]]:
    """The definitions sent to the model (the file's first PER_FILE with notes of their own),
    and the file's notes by symbol."""
    by_symbol: dict[str | None, list[Note]] = {}
    for n in notes:
        by_symbol.setdefault(n.symbol, []).append(n)
    return [d for d in definitions[:PER_FILE] if d["qualname"] in by_symbol], by_symbol


def shares(tokens: int, parts: int) -> list[int]:
    """tokens split in `parts`, the remainder to the first."""
    share, rest = divmod(tokens, parts)
    return [share + (rest if k == 0 else 0) for k in range(parts)]


def request(
    model: str,
    facts: FileFacts,
    chosen: list[dict[str, Any]],
    by_symbol: dict[Any, list[Note]],
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The Messages request about a file: the file behind the cache breakpoint, then the
    definitions with what the offline analysis found."""
    content = [
        {"type": "text", "text": _file_text(facts, chosen), "cache_control": CACHE},
        {"type": "text", "text": _definitions_text(chosen, by_symbol)},
    ]
    messages = [{"role": "user", "content": content}]
    return build_request(
        model, [SYSTEM], messages, [], max_tokens or OUTPUT_PER_DEFINITION * len(chosen)
    )


def _ask(
    model: Model, facts: FileFacts, chosen: list[dict[str, Any]], by_symbol: dict[Any, list[Note]]
) -> tuple[str, int]:
    """The reply's text and the tokens of every call it took."""
    messages = request(model.name, facts, chosen, by_symbol)["messages"]
    max_tokens, spent = OUTPUT_PER_DEFINITION * len(chosen), 0
    while True:
        reply = model.complete([SYSTEM], messages, [], max_tokens=max_tokens)
        spent += reply.usage.total
        if reply.stop_reason != "max_tokens" or max_tokens >= MAX_OUTPUT:
            return reply.text, spent
        max_tokens = min(2 * max_tokens, MAX_OUTPUT)


def _file_text(facts: FileFacts, chosen: list[dict[str, Any]]) -> str:
    whole = "\n".join(facts.lines)
    if len(whole) <= MAX_FILE_CHARS:
        return f"File {facts.path} ({len(facts.lines)} lines):\n```\n{whole}\n```"
    parts = [f"File {facts.path} ({len(facts.lines)} lines), too long to show whole; its parts:"]
    for d in chosen:
        code = "\n".join(facts.lines[d["start_line"] - 1 : d["end_line"]][:MAX_CODE_LINES])
        parts.append(f"Lines {d['start_line']}-{d['end_line']}:\n```\n{code}\n```")
    return "\n".join(parts)


def _definitions_text(chosen: list[dict[str, Any]], by_symbol: dict[Any, list[Note]]) -> str:
    parts = [f"Write the notes of these {len(chosen)} definitions of the file."]
    for d in chosen:
        found = "\n".join(f"  - {n.title}: {n.body}" for n in by_symbol[d["qualname"]])
        parts.append(
            f"- {d['qualname']} ({d['kind']}, lines {d['start_line']}-{d['end_line']}); "
            f"what static analysis and git history found:\n{found}"
        )
    return "\n".join(parts)


def entries(text: str) -> dict[str, dict[str, Any]]:
    """The reply's entries by symbol; those without a summary are left out."""
    match = _JSON.search(text)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        return {}
    listed = data.get("definitions") if isinstance(data, dict) else None
    return {
        str(e["symbol"]): e
        for e in listed or []
        if isinstance(e, dict)
        and e.get("symbol")
        and isinstance(e.get("summary"), str)
        and e["summary"].strip()
    }


def model_notes(
    entry: dict[str, Any] | None,
    path: str,
    code_hash: str,
    d: dict[str, Any],
    model: str,
    tokens: int,
) -> list[Note] | None:
    """The model's notes of definition d from its entry in the reply; None without one."""
    if entry is None:
        return None
    where = {"start_line": d["start_line"], "end_line": d["end_line"]}
    evidence = [{"path": path, "symbol": d["qualname"], **where}]
    asked = [
        q
        for q in entry.get("questions") or []
        if isinstance(q, dict) and q.get("question") and q.get("answer")
    ][:MAX_QUESTIONS]
    share, rest = divmod(tokens, 1 + len(asked))

    def make(kind: str, title: str, body: str, cost: int) -> Note:
        return Note(
            kind, path, d["qualname"], title, body, evidence, code_hash, model, cost, d["priority"]
        )

    summary = entry["summary"].strip()
    out = [make("summary", f"{d['qualname']}: {summary[:160]}", summary[:1200], share + rest)]
    out += [
        make("question", str(q["question"])[:300], str(q["answer"])[:1200], share) for q in asked
    ]
    return out
