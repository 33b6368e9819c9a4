"""Notes written without a model: deterministic, from the code, the reference graph and git.

No canned text: every sentence is assembled from what the code says (names split into
words, docstrings, calls, callers, raised exceptions, messages, TODOs) and what the history
says (commit subjects). The point is to bridge the words of a question and those of the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from swe_agent.code.tokens import split_identifier
from swe_agent.store.notes import Note

_STRING = re.compile(r"""(?:f|r|b|u)?(["'])((?:(?!\1)[^\\\n]|\\.){12,160})\1""")
_TODO = re.compile(r"\b(TODO|FIXME|XXX|HACK|BUG)\b[:\s]*(.*)")
_RAISE = re.compile(r"^\s*(?:raise|throw)\s+(?:new\s+)?([A-Z]\w*)")
_CONDITION = re.compile(r"^\s*(?:if|elif|else if|unless|when)\b\s*(.*?)[:{]?\s*$")
CALLABLE = {"function", "method"}


@dataclass(slots=True)
class FileFacts:
    path: str
    code_hash: str
    lines: list[str]
    definitions: list[dict[str, Any]]
    callers: dict[str, list[str]] = field(default_factory=dict)  # qualname -> caller qualnames
    callees: dict[str, list[str]] = field(default_factory=dict)  # qualname -> called names
    subjects: dict[str, list[str]] = field(default_factory=dict)  # name -> commit subjects
    partners: list[tuple[str, int]] = field(default_factory=list)  # files changing with this one


def words(name: str) -> str:
    return " ".join(split_identifier(name.rsplit(".", 1)[-1])) or name


def first_sentence(doc: str) -> str:
    text = " ".join(doc.split())
    match = re.match(r"(.{10,200}?[.!?])(\s|$)", text)
    return (match.group(1) if match else text[:200]).strip()


def _evidence(path: str, d: dict[str, Any] | None) -> list[dict[str, Any]]:
    if d is None:
        return [{"path": path, "symbol": None, "start_line": 1, "end_line": 1}]
    return [{"path": path, "symbol": d["qualname"], "start_line": d["start_line"], "end_line": d["end_line"]}]


def _body_lines(facts: FileFacts, d: dict[str, Any]) -> list[str]:
    return facts.lines[d["start_line"] - 1 : d["end_line"]]


def _note(facts: FileFacts, d: dict[str, Any] | None, kind: str, title: str, body: str, priority: float) -> Note:
    text_tokens = (len(title) + len(body)) // 4 + 1
    return Note(kind, facts.path, d["qualname"] if d else None, title, body, _evidence(facts.path, d),
                facts.code_hash, "offline", text_tokens, priority)


def file_summary(facts: FileFacts, priority: float) -> Note:
    top = [d for d in facts.definitions if not d["parent"]]
    module_doc = _module_doc(facts.lines)
    parts = [f"{facts.path}: {first_sentence(module_doc)}" if module_doc else f"{facts.path} ({words(facts.path.rsplit('/', 1)[-1].split('.')[0])})."]
    if top:
        parts.append("Defines " + ", ".join(f"{d['kind']} {d['name']}" for d in top[:12]) + ".")
    if facts.partners:
        parts.append("Changes together with " + ", ".join(p for p, _ in facts.partners[:3]) + ".")
    return _note(facts, None, "summary", f"What is in {facts.path}?", " ".join(parts), priority)


def definition_summary(facts: FileFacts, d: dict[str, Any], priority: float) -> Note:
    doc = first_sentence(d["doc"] or "")
    parts = [f"{d['kind']} {d['qualname']} ({words(d['name'])}) at {facts.path}:{d['start_line']}-{d['end_line']}."]
    if doc:
        parts.append(doc)
    if d.get("signature"):
        parts.append(f"Signature: {d['signature'][:120]}")
    calls = facts.callees.get(d["qualname"], [])
    if calls:
        parts.append("Calls " + ", ".join(calls[:8]) + ".")
    callers = facts.callers.get(d["qualname"], [])
    if callers:
        parts.append("Called by " + ", ".join(callers[:6]) + ".")
    raised = sorted({m.group(1) for line in _body_lines(facts, d) if (m := _RAISE.match(line))})
    if raised:
        parts.append("Raises " + ", ".join(raised[:4]) + ".")
    title = f"{d['qualname']}: {doc or words(d['name'])}"
    return _note(facts, d, "summary", title[:200], " ".join(parts), priority)


def questions(facts: FileFacts, d: dict[str, Any], priority: float) -> list[Note]:
    """Questions a developer or an issue would ask whose answer is this definition."""
    out: list[Note] = []
    body = _body_lines(facts, d)
    where = f"{d['qualname']} in {facts.path}:{d['start_line']}"
    doc = first_sentence(d["doc"] or "")
    if doc and d["kind"] in CALLABLE:
        verb_phrase = doc[0].lower() + doc[1:].rstrip(".")
        out.append(_note(facts, d, "question", f"Where does the code {verb_phrase}?", f"In {where}. {doc}", priority))
    condition = ""
    for offset, line in enumerate(body):
        if match := _CONDITION.match(line):
            condition = match.group(1)
        if match := _RAISE.match(line):
            error = match.group(1)
            message = _STRING.search(line)
            reason = f" when {condition}" if condition else ""
            title = f"Why do I get {error} from {words(d['name'])}?"
            text = f"{where} raises {error}{reason} (line {d['start_line'] + offset}): {line.strip()[:160]}"
            out.append(_note(facts, d, "question", title + (f" \"{message.group(2)}\"" if message else ""), text, priority))
        if match := _TODO.search(line):
            title = f"Is there a known problem in {words(d['name'])}? {match.group(2)[:120]}"
            out.append(_note(facts, d, "question", title, f"{where} carries a {match.group(1)} at line {d['start_line'] + offset}: {line.strip()[:200]}", priority + 1))
    for match in _STRING.finditer("\n".join(body)):
        text = match.group(2)
        if " " in text and not text.startswith(("http", "/", "%", "{")) and text not in (d["doc"] or ""):
            out.append(_note(facts, d, "question", f"Where does the message \"{text}\" come from?", f"From {where}.", priority))
            break
    if d["kind"] in CALLABLE and not doc:
        callers = facts.callers.get(d["qualname"], [])
        via = f" It is called by {', '.join(callers[:4])}." if callers else ""
        out.append(_note(facts, d, "question", f"Where is {words(d['name'])} handled?", f"In {where}.{via}", priority))
    return out[:5]


def history_note(facts: FileFacts, d: dict[str, Any], priority: float) -> Note | None:
    subjects = list(dict.fromkeys(facts.subjects.get(d["name"], [])))
    if not subjects:
        return None
    body = f"Commits that touched {d['qualname']}: " + "; ".join(s[:120] for s in subjects[:6])
    return _note(facts, d, "history", f"History of {d['qualname']}: {subjects[0][:120]}", body, priority)


def cochange_note(facts: FileFacts, priority: float) -> Note | None:
    if not facts.partners:
        return None
    listed = ", ".join(f"{p} ({n} commits)" for p, n in facts.partners[:5])
    return _note(facts, None, "cochange", f"Which files change together with {facts.path}?", f"{facts.path} usually changes with {listed}.", priority)


def _module_doc(lines: list[str]) -> str:
    text = "\n".join(lines[:40]).lstrip()
    match = re.match(r'^(?:[rbuRBU]?("""|\'\'\'))(.*?)\1', text, re.S)
    if match:
        return match.group(2).strip()
    comments = []
    for line in lines[:20]:
        stripped = line.strip()
        if stripped.startswith(("#!", "# -*-")):
            continue
        if stripped.startswith(("#", "//", "/*", "*")):
            comments.append(stripped.lstrip("#/* ").strip())
        elif stripped:
            break
    return " ".join(c for c in comments if c)
