"""Anticipated questions, phrased the way a developer or an issue phrases them, each answered
by one definition: templates driven by what the code does (what it raises, which keys it
drops or sets, which flags it tests, which topics its calls belong to, its TODOs and
messages), never by what a particular project contains."""

from __future__ import annotations

from typing import Any

from swe_agent.code.tokens import split_identifier
from swe_agent.sleep import scan
from swe_agent.sleep.offline import CALLABLE, FileFacts, first_sentence, note, words
from swe_agent.sleep.vocabulary import TOPICS, VERBS, base_form, is_verb, participle
from swe_agent.store.notes import Note

PER_DEFINITION = 6


def questions(
    facts: FileFacts, d: dict[str, Any], priority: float, *, evident_only: bool = False
) -> list[Note]:
    """Questions whose answer is this definition, the most specific first. `evident_only`
    keeps those read off a line of the code (a TODO, a key removed, an exception raised, a
    flag tested): cheap and precise enough to write for every definition, not only the
    likeliest ones."""
    body = facts.own(d)
    q = d["qualname"]
    callers = facts.callers.get(q, [])
    via = f" Runs from {', '.join(callers[:3])}." if callers else ""
    out: list[tuple[str, str, float]] = []  # title, body, priority bonus
    for found in scan.todos(body)[:1]:
        out.append(
            (
                f"Is there a known problem in {q}? {found.where[:120]}",
                f"A {found.what} at line {found.line}: {found.text[:160]}",
                1.0,
            )
        )
    out += _removals(body, q, via)
    out += _raises(body, q, via)
    for found in scan.flags(d.get("signature") or "", body)[:2]:
        other = {"true": "false", "false": "true"}[found.where.lower()]
        other = other.capitalize() if found.where[0].isupper() else other
        out.append(
            (
                f"What changes when {found.what}={other} is passed to {q}? Why is {found.what} ignored?",
                f"Tests {found.what} (default {found.where}) at line {found.line}: {found.text[:120]}",
                0.0,
            )
        )
    if evident_only:
        return [
            note(facts, d, "question", title, text, priority + bonus)
            for title, text, bonus in out[:PER_DEFINITION]
        ]
    for found in scan.key_sets(body)[:1]:
        out.append(
            (
                f"Where is the {found.what} of {words(found.where)} set or changed?",
                f"Sets {found.where}[{found.what!r}] at line {found.line}: {found.text[:120]}.{via}",
                0.0,
            )
        )
    if d["kind"] in CALLABLE:
        out += _topics(facts, d, body)
    raised_lines = {t for _, t, _ in out}
    for found in scan.messages(body, d["doc"] or "")[:1]:
        if not any(found.text[:120] in t for t in raised_lines):
            out.append(
                (
                    f'Where does the message "{found.what[:100]}" come from?',
                    f"From {q}, line {found.line}: {found.text[:160]}",
                    0.0,
                )
            )
    out += _purpose(facts, d, via)
    return [
        note(facts, d, "question", title, text, priority + bonus)
        for title, text, bonus in out[:PER_DEFINITION]
    ]


def _removals(body: list[tuple[int, str]], q: str, via: str) -> list[tuple[str, str, float]]:
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for found in scan.removals(body):
        container, _, condition = found.where.partition("|")
        if found.what in seen or len(seen) >= 2:
            continue
        seen.add(found.what)
        when = f" {condition}" if condition else ""
        noun = "" if container in ("self", "this", "cls") else " " + _noun(container)
        out.append(
            (
                f"Why is my {found.what}{noun} dropped, removed or missing after {q}?",
                f"Removes {found.what} from {container}{when} (line {found.line}): {found.text[:120]}.{via}",
                0.5,
            )
        )
    return out


def _raises(body: list[tuple[int, str]], q: str, via: str) -> list[tuple[str, str, float]]:
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for found in scan.raises(body):
        if found.what in seen or len(seen) >= 2:
            continue
        seen.add(found.what)
        message = next((m.what for m in scan.messages([(found.line, found.text)], "")), "")
        said = f' "{message[:100]}"' if message else ""
        when = f" {found.where}" if found.where else ""
        out.append(
            (
                f"Why do I get {found.what}{said} from {q}? When is {found.what} raised?",
                f"Raises {found.what}{when} (line {found.line}): {found.text[:140]}.{via}",
                0.5,
            )
        )
    return out


def _topics(
    facts: FileFacts, d: dict[str, Any], body: list[tuple[int, str]]
) -> list[tuple[str, str, float]]:
    """Questions of the topics the definition's own name and calls belong to."""
    calls = facts.callees.get(d["qualname"], [])
    vocabulary = {w for name in [d["name"], *calls] for w in split_identifier(name)} | set(calls)
    out = []
    for triggers, question in TOPICS:
        hit = sorted(triggers & vocabulary)
        if not hit:
            continue
        lines = [
            (n, t.strip())
            for n, t in body[1:]
            if any(w in t.lower() for w in hit)
            and not t.lstrip().startswith(('"', "'", "#", "//", "*"))
        ][:2]
        shown = "; ".join(f"line {n}: {t[:100]}" for n, t in lines)
        out.append(
            (
                question.format(subject=d["qualname"]),
                f"Uses {', '.join(hit[:4])}{'. ' + shown if shown else ''}.",
                0.0,
            )
        )
        if len(out) == 2:
            break
    return out


def _purpose(facts: FileFacts, d: dict[str, Any], via: str) -> list[tuple[str, str, float]]:
    """The broad question: from the docstring, or from the name read as verb and object."""
    doc, q = first_sentence(d["doc"] or ""), d["qualname"]
    if doc and d["kind"] in CALLABLE:
        phrase = doc[0].lower() + doc[1:].rstrip(".")
        first, _, rest = phrase.partition(" ")
        if is_verb(first.strip(",:;")):
            asked = f"Where does the code {base_form(first.strip(',:;'))} {rest}".rstrip() + "?"
            return [(asked, f"In {q}.{via}", 0.0)]
        return [(f"Which code deals with {phrase}?", f"{q}.{via}", 0.0)]
    parts = split_identifier(d["name"])
    if d["kind"] in CALLABLE and len(parts) > 1 and parts[0] in VERBS:
        thing = " ".join(parts[1:])
        verb = "are" if thing.endswith("s") and not thing.endswith("ss") else "is"
        return [(f"Where {verb} {thing} {participle(parts[0])}?", f"In {q}.{via}", 0.0)]
    if d["kind"] == "class":
        methods = ", ".join(c["name"] for c in facts.children(d)[:8])
        text = (
            (doc or f"Class {d['qualname']}.") + (f" Methods: {methods}." if methods else "") + via
        )
        return [(f"What is {d['qualname']} for, and where is it used?", text, 0.0)]
    return []


def _noun(container: str) -> str:
    """'headers' -> 'header', 'self._cookies' -> 'cookie': what one entry of it is called."""
    parts = split_identifier(container.rsplit(".", 1)[-1]) or [container]
    last = parts[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*parts[:-1], last])
