"""The offline policy: a deterministic `Model` that drives the same loop and tools as Claude.

Each call reads the question and the tool results from the messages it is sent and picks the
next tool: record a stated preference, search the notes, search the code, outline the files
the question names, look up the symbols it names, open the best pages, and answer with ranked
locations. Its test-time input is what it read: every page, note and result, each counted
once (the question itself is not counted, as the benchmark counts it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from swe_agent.agent.memory import block_text
from swe_agent.agent.offline import evidence as ev
from swe_agent.agent.offline.question import Question, parse_question
from swe_agent.agent.offline.rank import Location, rank
from swe_agent.llm.tokens import count_tokens

_TASK = re.compile(r"<task[^>]*>\n(.*?)\n</task>", re.S)
_BUDGET = re.compile(r"\[step (\d+) of (\d+) · ([\d,]+) of ([\d,]+) tokens used\]")
MAX_LOOKUPS = 5
OPEN_PAGES = 2
PREVIEW_LINES = 30


@dataclass(slots=True)
class Turn:
    question: str
    calls: list[tuple[str, dict[str, Any], str]] = field(
        default_factory=list
    )  # name, input, result id
    step: int = 0
    max_steps: int = 12
    used: int = 0
    budget: int = 16_000


class OfflinePolicy:
    """Implements the Model protocol without a model."""

    mode = "offline"
    name = "offline"

    def __init__(self, *, locations: int = 10) -> None:
        self.locations = locations
        self.read: dict[str, str] = {}  # tool_use_id -> result text, as first read
        self.made: dict[str, list[tuple[str, dict[str, Any], str]]] = {}  # question -> its calls

    def complete(
        self,
        system: Sequence[str],
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]],
        *,
        max_tokens: int = 2048,
    ) -> Any:
        turn, fresh = self._read(system, messages)
        q = parse_question(turn.question)
        names = {t["name"] for t in tools}
        name, args = self._next(turn, q, names)
        call_id = _call_id(turn.question, len(messages), name, args)
        self.made.setdefault(turn.question, []).append((name, args, call_id))
        block = {"type": "tool_use", "id": call_id, "name": name, "input": args}
        return make_reply([block], fresh, count_tokens(json.dumps(args)))

    # -- reading -------------------------------------------------------------------------------
    def _read(self, system: Sequence[str], messages: Sequence[dict[str, Any]]) -> tuple[Turn, int]:
        start, question = 0, ""
        for index, message in enumerate(messages):
            for block in _content(message):
                if block.get("type") == "text" and (match := _TASK.search(block.get("text", ""))):
                    start, question = index, match.group(1)
        if not question:
            match = _TASK.search(system[-1] if system else "")
            question = match.group(1) if match else ""
        fresh = 0
        turn = Turn(question)
        pending: dict[str, tuple[str, dict[str, Any]]] = {}
        for message in messages[start:]:
            for block in _content(message):
                kind = block.get("type")
                if kind == "tool_use":
                    pending[block["id"]] = (block["name"], block.get("input") or {})
                elif kind == "tool_result" and block.get("tool_use_id") in pending:
                    text = block_text(block)
                    if block["tool_use_id"] not in self.read:
                        self.read[block["tool_use_id"]] = text
                        fresh += count_tokens(text)
                    name, args = pending[block["tool_use_id"]]
                    turn.calls.append((name, args, block["tool_use_id"]))
                    if m := _BUDGET.search(text):
                        turn.step, turn.max_steps = int(m[1]), int(m[2])
                        turn.used, turn.budget = (
                            int(m[3].replace(",", "")),
                            int(m[4].replace(",", "")),
                        )
        seen = {call_id for _, _, call_id in turn.calls}
        evicted = [c for c in self.made.get(question, []) if c[2] not in seen]
        turn.calls = evicted + turn.calls  # what moved to recall storage, the policy still read
        return turn, fresh

    def _findings(self, turn: Turn, q: Question) -> ev.Findings:
        findings = ev.Findings()
        for name, args, call_id in turn.calls:
            text = self.read.get(call_id, "")
            if name == "search_code":
                focused = args.get("query") != _query(q)
                ev.from_search(text, findings, "focus" if focused else "search")
            elif name == "lookup_symbol":
                ev.from_lookup(str(args.get("name", "")), text, q, findings)
            elif name == "outline":
                ev.from_outline(text, q, findings)
            elif name == "search_notes":
                ev.from_notes(text, findings)
            elif name == "open_page":
                ev.from_page(text, findings)
        return findings

    # -- deciding ------------------------------------------------------------------------------
    def _next(self, turn: Turn, q: Question, tools: set[str]) -> tuple[str, dict[str, Any]]:
        done = {(name, _key(args)) for name, args, _ in turn.calls}
        findings = self._findings(turn, q)
        ranked = rank(findings.evidence, about_tests=q.about_tests, limit=self.locations)
        last_chance = turn.step + 1 >= turn.max_steps or turn.used >= 0.8 * turn.budget
        if "answer" in tools and (last_chance or not turn.question.strip()):
            return "answer", self._answer(q, ranked, findings)
        for name, args in self._plan(q, tools, turn.max_steps) + self._opens(ranked):
            if name in tools and (name, _key(args)) not in done:
                return name, args
        return "answer", self._answer(q, ranked, findings)

    def _plan(
        self, q: Question, tools: set[str], max_steps: int
    ) -> list[tuple[str, dict[str, Any]]]:
        acts: list[tuple[str, dict[str, Any]]] = []
        for preference in q.preferences[:1]:
            acts.append(("core_memory_append", {"label": "preferences", "text": preference}))
        if "search_notes" in tools:
            acts.append(("search_notes", {"query": q.text[:2000]}))
        scope = "all" if q.about_tests else "source"
        acts.append(("search_code", {"query": _query(q), "scope": scope}))
        focus = _focus(q)
        if focus:
            acts.append(("search_code", {"query": focus, "scope": scope}))
        acts += [("outline", {"path": p}) for p in q.paths[:3]]
        room = min(MAX_LOOKUPS, max_steps - len(acts) - 1 - OPEN_PAGES)
        seen: set[str] = set()
        for name in q.identifiers:
            last = name.rsplit(".", 1)[-1]
            if len(seen) >= room or q.weights.get(name, 0) < 1.0:
                break
            if last not in seen:
                seen.add(last)
                acts.append(("lookup_symbol", {"name": name}))
        return acts

    def _opens(self, ranked: list[Location]) -> list[tuple[str, dict[str, Any]]]:
        acts, files = [], set()
        for loc in ranked:
            if len(acts) >= OPEN_PAGES:
                break
            if loc.path in files or loc.start_line < 1:
                continue
            files.add(loc.path)
            size = max(5, min(loc.end_line - loc.start_line + 1, PREVIEW_LINES))
            acts.append(("open_page", {"path": loc.path, "line": loc.start_line, "lines": size}))
        return acts

    def _answer(self, q: Question, ranked: list[Location], findings: ev.Findings) -> dict[str, Any]:
        lines = [
            "Answered offline: no language model was used; these locations are ranked from the "
            "index" + (" and sleep-time notes." if findings.notes else ".")
        ]
        if not ranked:
            lines.append("Nothing in the index matches the question.")
        else:
            best = ranked[0]
            where = f"{best.path}:{best.start_line}-{best.end_line}"
            name = f" ({best.symbol})" if best.symbol else ""
            lines.append(f"Best match: {where}{name}, because: {'; '.join(best.why)}.")
        for note in findings.notes[:2]:
            lines.append(f"Note: {note[:300]}")
        for snippet in findings.snippets[:OPEN_PAGES]:
            lines.append(f"\n{snippet.path}:{snippet.start_line}-{snippet.end_line}\n{snippet.text}")
        return {"explanation": "\n".join(lines), "locations": [loc.as_dict() for loc in ranked]}


def _query(q: Question) -> str:
    """The question for BM25: its prose whole, its code blocks only by the names in them."""
    prose = re.sub(r"```[^\n]*\n.*?```", " ", q.text, flags=re.S)
    return (prose + " " + " ".join(q.identifiers[:12]))[:6000]


def _focus(q: Question) -> str:
    """A short query for a long issue: its first line and the names it uses most."""
    if len(q.text) < 400:
        return ""
    title = q.text.strip().splitlines()[0][:200]
    return " ".join([title, *q.identifiers[:6]])


def _content(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b if isinstance(b, dict) else {"type": "unknown"} for b in content or []]


def _key(args: dict[str, Any]) -> str:
    return json.dumps(args, sort_keys=True)


def _call_id(question: str, position: int, name: str, args: dict[str, Any]) -> str:
    digest = hashlib.blake2b(
        f"{question}\0{position}\0{name}\0{_key(args)}".encode(), digest_size=10
    )
    return "toolu_off_" + digest.hexdigest()


def make_reply(content: list[dict[str, Any]], input_tokens: int, output_tokens: int) -> Any:
    from swe_agent.llm import Reply, Usage

    return Reply(
        content=content,
        usage=Usage(input_tokens=input_tokens, output_tokens=output_tokens),
        stop_reason="tool_use",
        model="offline",
    )
