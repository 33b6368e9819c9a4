"""Notes written by a model: the same kinds as offline, from the code and the offline material.

The model sees a definition's code with the offline summary, and answers JSON. Anything it
gets wrong (bad JSON, missing fields) falls back to the offline note for that definition.
"""

from __future__ import annotations

import json
import re
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.sleep.offline import FileFacts
from swe_agent.sleep.plan import Item
from swe_agent.store.notes import Note

SYSTEM = (
    "You study a code repository before anyone asks about it. For one definition you write a "
    "short summary (what it does, inputs, outputs, side effects, who calls it) and the questions "
    "a developer or a GitHub issue would ask whose answer is this code, phrased the way users "
    "describe symptoms (for example 'why is my Authorization header dropped after a redirect?'), "
    "each with a one or two sentence answer. Answer only JSON: "
    '{"summary": "...", "questions": [{"question": "...", "answer": "..."}]}'
)
PER_FILE = 3  # definitions per file sent to the model; the rest keep their offline notes
_JSON = re.compile(r"\{.*\}", re.S)


def improve(model: Any, facts: FileFacts, item: Item, notes: list[Note], left: int) -> tuple[list[Note], int]:
    """Replace the offline notes of the file's top definitions with the model's."""
    fallbacks, spent = 0, 0
    by_symbol: dict[str | None, list[Note]] = {}
    for note in notes:
        by_symbol.setdefault(note.symbol, []).append(note)
    for d in item.definitions[:PER_FILE]:
        if spent >= left or d["qualname"] not in by_symbol:
            continue
        code = "\n".join(facts.lines[d["start_line"] - 1 : d["end_line"]][:120])
        offline_text = "\n".join(f"- {n.title}: {n.body}" for n in by_symbol[d["qualname"]])
        prompt = f"File {facts.path}, {d['kind']} {d['qualname']}:\n```\n{code}\n```\nWhat static analysis found:\n{offline_text}"
        try:
            reply = model.complete([SYSTEM], [{"role": "user", "content": prompt}], [], max_tokens=800)
        except ModelError:
            fallbacks += 1
            continue
        tokens = reply.usage.total
        spent += tokens
        made = _parse(reply.text, facts, d, model.name, tokens)
        if made is None:
            fallbacks += 1
            continue
        by_symbol[d["qualname"]] = made + [n for n in by_symbol[d["qualname"]] if n.kind == "history"]
    return [n for group in by_symbol.values() for n in group], fallbacks


def _parse(text: str, facts: FileFacts, d: dict[str, Any], model: str, tokens: int) -> list[Note] | None:
    match = _JSON.search(text)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("summary"), str):
        return None
    evidence = [{"path": facts.path, "symbol": d["qualname"], "start_line": d["start_line"], "end_line": d["end_line"]}]
    questions = [q for q in data.get("questions") or [] if isinstance(q, dict) and q.get("question") and q.get("answer")]
    share = max(tokens // (1 + len(questions)), 1)
    out = [Note("summary", facts.path, d["qualname"], f"{d['qualname']}: {data['summary'][:160]}", data["summary"],
                evidence, facts.code_hash, model, share, d["priority"])]
    out += [Note("question", facts.path, d["qualname"], str(q["question"])[:300], str(q["answer"]), evidence,
                 facts.code_hash, model, share, d["priority"]) for q in questions[:6]]
    return out
