"""Notes written by a model: the same kinds as offline, from the code and the offline material.

The model sees a definition's code with the offline notes about it, and answers JSON. Anything
it gets wrong (bad JSON, missing fields, a failed call) keeps the offline notes for that
definition; the tokens the call spent are charged to them all the same.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.sleep.offline import FileFacts
from swe_agent.store.notes import Note

SYSTEM = (
    "You study a code repository before anyone asks about it. For one definition you write a "
    "short summary (what it does, inputs, outputs, side effects, who calls it) and the questions "
    "a developer or a GitHub issue would ask whose answer is this code, phrased the way users "
    "describe symptoms (for example 'why is my Authorization header dropped after a redirect?'), "
    "each with a one or two sentence answer that names the code. Use the words users would use, "
    "not only the identifiers. Answer only JSON: "
    '{"summary": "...", "questions": [{"question": "...", "answer": "..."}]}'
)
PER_FILE = 3  # definitions per file sent to the model; the rest keep their offline notes
MAX_QUESTIONS = 6
MAX_CODE_LINES = 120
_JSON = re.compile(r"\{.*\}", re.S)


@dataclass(slots=True)
class Outcome:
    fallbacks: int = 0  # definitions that kept their offline notes
    errors: int = 0  # calls that failed outright
    answered: bool = False  # at least one call came back


def improve(
    model: Any, facts: FileFacts, definitions: list[dict[str, Any]], notes: list[Note], left: int
) -> tuple[list[Note], Outcome]:
    """Replace the offline summary and questions of the file's top definitions with the model's."""
    outcome = Outcome()
    by_symbol: dict[str | None, list[Note]] = {}
    for n in notes:
        by_symbol.setdefault(n.symbol, []).append(n)
    for d in definitions[:PER_FILE]:
        if left <= 0 or d["qualname"] not in by_symbol:
            continue
        offline = by_symbol[d["qualname"]]
        try:
            reply = model.complete([SYSTEM], [{"role": "user", "content": _prompt(facts, d, offline)}], [],
                                   max_tokens=800)
        except ModelError:  # it already retried: the rest of the file would fail the same way
            outcome.fallbacks += 1
            outcome.errors += 1
            break
        outcome.answered = True
        tokens = reply.usage.total
        left -= tokens
        made = _parse(reply.text, facts, d, model.name, tokens)
        if made is None:
            outcome.fallbacks += 1
            first = offline[0]
            by_symbol[d["qualname"]] = [dataclasses.replace(first, tokens=first.tokens + tokens), *offline[1:]]
            continue
        by_symbol[d["qualname"]] = made + [n for n in offline if n.kind == "history"]
    return [n for group in by_symbol.values() for n in group], outcome


def _prompt(facts: FileFacts, d: dict[str, Any], offline: list[Note]) -> str:
    code = "\n".join(facts.lines[d["start_line"] - 1 : d["end_line"]][:MAX_CODE_LINES])
    material = "\n".join(f"- {n.title}: {n.body}" for n in offline)
    return (f"File {facts.path}, {d['kind']} {d['qualname']} (lines {d['start_line']}-{d['end_line']}):\n"
            f"```\n{code}\n```\nWhat static analysis and git history found:\n{material}")


def _parse(text: str, facts: FileFacts, d: dict[str, Any], model: str, tokens: int) -> list[Note] | None:
    match = _JSON.search(text)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("summary"), str) or not data["summary"].strip():
        return None
    evidence = [{"path": facts.path, "symbol": d["qualname"], "start_line": d["start_line"], "end_line": d["end_line"]}]
    asked = [q for q in data.get("questions") or [] if isinstance(q, dict) and q.get("question") and q.get("answer")]
    asked = asked[:MAX_QUESTIONS]
    share, rest = divmod(tokens, 1 + len(asked))

    def make(kind: str, title: str, body: str, cost: int) -> Note:
        return Note(kind, facts.path, d["qualname"], title, body, evidence, facts.code_hash, model, cost, d["priority"])

    summary = data["summary"].strip()
    out = [make("summary", f"{d['qualname']}: {summary[:160]}", summary[:1200], share + rest)]
    out += [make("question", str(q["question"])[:300], str(q["answer"])[:1200], share) for q in asked]
    return out
