"""Notes written without a model: deterministic, from the code, the reference graph and git.

No canned text: every sentence is assembled from what the code says (names split into
words, docstrings, calls, callers, raised exceptions, messages, TODOs) and what the history
says (commit subjects). The point is to bridge the words of a question and those of the code.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from swe_agent.code.tokens import split_identifier
from swe_agent.llm.tokens import count_tokens
from swe_agent.sleep import scan
from swe_agent.sleep.history import History
from swe_agent.store.notes import Note

CALLABLE = {"function", "method"}
HISTORY_MESSAGES = 6  # commit messages in a history note, newest first
Graph = tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]


@dataclass(slots=True)
class FileFacts:
    path: str
    code_hash: str
    lines: list[str]
    definitions: list[dict[str, Any]]  # sorted by start line
    callers: dict[str, list[str]] = field(default_factory=dict)  # qualname -> caller qualnames
    callees: dict[str, list[str]] = field(default_factory=dict)  # qualname -> called names
    commits: dict[str, list[str]] = field(default_factory=dict)  # qualname -> its commits' messages
    partners: list[tuple[str, int]] = field(default_factory=list)  # files changing with this one
    _own: dict[tuple[int, int, str], list[tuple[int, str]]] = field(default_factory=dict)
    _start_lines: list[int] = field(default_factory=list)

    def own(self, d: dict[str, Any]) -> list[tuple[int, str]]:
        """The definition's lines without those of the definitions nested in it."""
        key = (d["start_line"], d["end_line"], d["qualname"])
        if key not in self._own:
            self._own[key] = self._own_lines(d)
        return self._own[key]

    def _own_lines(self, d: dict[str, Any]) -> list[tuple[int, str]]:
        start, end = d["start_line"], d["end_line"]
        children = []
        if end > start:  # a one-line definition has no lines of its own to leave out
            first = bisect.bisect_left(self._starts, start)
            last = bisect.bisect_right(self._starts, end)
            children = [
                (c["start_line"], c["end_line"])
                for c in self.definitions[first:last]
                if c is not d
                and c["end_line"] <= end
                and (c["start_line"], c["end_line"]) != (start, end)
            ]
        return scan.own_lines(self.lines, start, end, children)

    @property
    def _starts(self) -> list[int]:
        if len(self._start_lines) != len(self.definitions):
            self._start_lines = [c["start_line"] for c in self.definitions]
        return self._start_lines

    def children(self, d: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for c in self.definitions if c["parent"] == d["qualname"]]


def file_facts(
    root: Path,
    path: str,
    code_hash: str,
    definitions: list[dict[str, Any]],
    history: History,
    graph: Graph,
) -> FileFacts | None:
    try:
        text = (root / path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    callers, callees = graph
    return FileFacts(
        path=path,
        code_hash=code_hash,
        lines=text.splitlines(),
        definitions=sorted(definitions, key=lambda d: (d["start_line"], -d["end_line"])),
        callers={
            d["qualname"]: [c for c in callers.get(d["name"], []) if c != d["qualname"]]
            for d in definitions
        },
        callees={d["qualname"]: callees.get((path, d["qualname"]), []) for d in definitions},
        commits={
            name: [history.messages[i] for i in found]
            for name, found in history.definition_commits(path, definitions).items()
        },
        partners=history.cochange.get(path, Counter()).most_common(5),
    )


def words(name: str) -> str:
    return " ".join(split_identifier(name.rsplit(".", 1)[-1])) or name


def first_sentence(doc: str) -> str:
    """The docstring's first sentence, before any blank line, example or field list."""
    text = re.split(
        r"\n\s*\n|>>>|={3,}|-{3,}|:param|@param|\bArgs:|\bReturns:|\bParameters\b",
        doc.strip(),
        maxsplit=1,
    )[0]
    text = " ".join(text.split())
    match = re.match(r"(.{10,200}?[.!?])(\s|$)", text)
    return (match.group(1) if match else text[:200]).strip()


def note(
    facts: FileFacts, d: dict[str, Any] | None, kind: str, title: str, body: str, priority: float
) -> Note:
    """A note about a definition (or the file when d is None); its tokens are its text's."""
    title, body = title[:240], body[:600]
    evidence = (
        [
            {
                "path": facts.path,
                "symbol": d["qualname"],
                "start_line": d["start_line"],
                "end_line": d["end_line"],
            }
        ]
        if d
        else [{"path": facts.path, "symbol": None, "start_line": 1, "end_line": 1}]
    )
    return Note(
        kind,
        facts.path,
        d["qualname"] if d else None,
        title,
        body,
        evidence,
        facts.code_hash,
        "offline",
        count_tokens(f"{title} {body}"),
        priority,
    )


def file_summary(facts: FileFacts, priority: float) -> Note:
    top = [d for d in facts.definitions if not d["parent"]]
    module_doc = _module_doc(facts.lines)
    stem = facts.path.rsplit("/", 1)[-1].split(".")[0]
    parts = [
        f"{facts.path}: {first_sentence(module_doc)}"
        if module_doc
        else f"{facts.path} ({words(stem)})."
    ]
    if top:
        parts.append("Defines " + ", ".join(f"{d['kind']} {d['name']}" for d in top[:12]) + ".")
    if facts.partners:
        parts.append("Changes together with " + ", ".join(p for p, _ in facts.partners[:3]) + ".")
    return note(facts, None, "summary", f"What is in {facts.path}?", " ".join(parts), priority)


def definition_summary(facts: FileFacts, d: dict[str, Any], priority: float) -> Note:
    """What it does, its inputs and outputs, side effects, what it calls and who calls it."""
    doc = first_sentence(d["doc"] or "")
    body = facts.own(d)
    params = scan.parameters(d.get("signature") or "")
    calls = facts.callees.get(d["qualname"], [])
    if doc:
        parts = [doc]
    elif d["name"] in ("__init__", "constructor", "new", "initialize") and d["parent"]:
        parts = [f"Creates a {d['parent']}."]
    else:
        parts = [f"{d['kind'].capitalize()} {words(d['name'])}."]
    if d["kind"] == "class":
        if params:
            parts.append("Based on " + ", ".join(params[:4]) + ".")
        methods = [c["name"] for c in facts.children(d)]
        if methods:
            parts.append("Methods: " + ", ".join(methods[:12]) + ".")
    elif d["kind"] not in CALLABLE:
        parts.append((d.get("signature") or "")[:120])
    else:
        if params:
            parts.append("Takes " + ", ".join(params[:8]) + ".")
        if returned := scan.returns(body):
            parts.append("Returns " + "; ".join(returned[:2]) + ".")
        if effects := scan.side_effects(body, params, calls):
            parts.append("Side effects: " + ", ".join(effects) + ".")
    if calls:
        parts.append("Calls " + ", ".join(calls[:8]) + ".")
    if callers := facts.callers.get(d["qualname"], []):
        parts.append("Called by " + ", ".join(callers[:5]) + ".")
    if raised := sorted({f.what for f in scan.raises(body)}):
        parts.append("Raises " + ", ".join(raised[:4]) + ".")
    return note(
        facts,
        d,
        "summary",
        f"{d['qualname']}: {doc or words(d['name'])}",
        " ".join(parts),
        priority,
    )


def history_note(facts: FileFacts, d: dict[str, Any], priority: float) -> Note | None:
    """The messages of the commits that changed the definition's own lines, newest first: the
    words of the bugs fixed and the features added there, which its code may never say."""
    messages = list(dict.fromkeys(facts.commits.get(d["qualname"], [])))
    if not messages:
        return None
    body = f"Commits that changed {d['qualname']} ({facts.path}): " + "; ".join(
        messages[:HISTORY_MESSAGES]
    )
    return note(
        facts, d, "history", f"History of {d['qualname']}: {messages[0][:120]}", body, priority
    )


def cochange_note(facts: FileFacts, priority: float) -> Note | None:
    if not facts.partners:
        return None
    listed = ", ".join(f"{p} ({n} commits)" for p, n in facts.partners[:5])
    return note(
        facts,
        None,
        "cochange",
        f"Which files change together with {facts.path}?",
        f"{facts.path} usually changes with {listed}.",
        priority,
    )


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
