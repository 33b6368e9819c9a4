"""Turn the tools' results into evidence for ranking. Pure functions of the records each result
carries beside its text (the entries a model would see on that page)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from swe_agent.agent.offline.question import Question, folded
from swe_agent.agent.offline.rank import TEST_FACTOR, Evidence
from swe_agent.agent.records import (
    CallerHit,
    CodeHit,
    DefinitionHit,
    Line,
    NoteHit,
    OutlineEntry,
    ReferenceHit,
    Subject,
)
from swe_agent.code.declarations import prefer_definitions
from swe_agent.code.paths import is_test_path
from swe_agent.ranking.paths import path_class
from swe_agent.ranking.selection import CLASS_FACTOR, names_file

# an exception class: named so, or deriving from something named so (Python, JS/TS, Java, Ruby, C++)
_EXCEPTION = re.compile(
    r"^\s*(?:export\s+)?(?:public\s+)?class\s+\w+(?:Error|Exception|Warning)\b"
    r"|^\s*(?:export\s+)?(?:public\s+)?class\s+\w+\s*(?:\(|extends\s+|<\s*|:\s*(?:public\s+)?)[\w.:]*(?:Error|Exception|Warning)\b"
)
EXCEPTION_CLASS_FACTOR = 0.4
RAISER_WEIGHT = 1.5
# a definition holding a line the prose says is at fault ("a.py at line 227"): as strong
# as a traceback's middle frame; the line may have moved a little since the issue was written
CITED_WEIGHT = 3.0
SEARCHED = ("search", "focus", "words")  # the kinds of evidence code search gives
WORDS_WEIGHT = 1.5  # a hit whose file or definition the question names in words (json array)
# a lookup's hit in a file a tool wrote (a Bison parser.c): its source (parser.y) is what a fix
# edits; weighed as code search weighs generated files
GENERATED_FACTOR = CLASS_FACTOR["generated"]


# The best note weighs half the best BM25 hit (2.5): with a fair hit of its own a place a note
# speaks of rises over the best hit, but a note alone does not outweigh the code's best match.
NOTE_WEIGHT = 1.25
# On a place the code found, a note confirms: a tenth of its weight breaks a tie, and moves no
# place past one the code ranked clearly higher (semble dev: the reordering cost 0.019 NDCG@10).
NOTE_CONFIRM = 0.1


@dataclass(slots=True)
class Snippet:
    path: str
    start_line: int
    end_line: int
    text: str


@dataclass(slots=True)
class Findings:
    evidence: list[Evidence] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "title — body" of notes seen, best first
    described: set[tuple[str, str | None]] = field(default_factory=set)  # places notes describe
    raised: set[tuple[str, str | None]] = field(default_factory=set)  # exceptions it names


def from_search(
    hits: list[CodeHit],
    findings: Findings,
    kind: str = "search",
    q: Question | None = None,
    tests_weighed: bool = True,
) -> None:
    """BM25 hits as evidence, their weights as search ranked them. tests_weighed=False: search
    read the query as asking for tests (it named fixtures, say) where the question is not about
    tests, so test hits count TEST_FACTOR here, as rank counts any other evidence of tests."""
    # scores as the tool shows them (two decimals), so both kinds of model weigh the same numbers
    top = max((round(h.score, 2) for h in hits), default=0.0) or 1.0
    scale, what = (
        (2.5, "the question's words") if kind == "search" else (1.5, "the issue's title and names")
    )
    for h in hits:
        weight = scale * round(h.score, 2) / top
        if not tests_weighed and is_test_path(h.path):
            weight *= TEST_FACTOR
        start, end = h.definition or (h.start_line, h.end_line)
        findings.evidence.append(
            Evidence(
                h.path,
                h.symbol or None,
                start,
                end,
                weight,
                kind,
                f"its text matches {what} ({_ordinal(h.rank)} best match)",
                h.kind,
            )
        )
        said = _said_in_words(h, q) if q else ""
        if said:
            why = f"`{said}` is named in the question's words"
            findings.evidence.append(
                Evidence(h.path, h.symbol or None, start, end, WORDS_WEIGHT, "words", why, h.kind)
            )


def _said_in_words(hit: CodeHit, q: Question) -> str:
    """The name of the hit's file or definition that the question spells out in words, or the
    name of its file that a short question uses ("the Key type": Key.hs). A file's folder and
    name together count as one name: "the session store" is Session/Store.php."""
    folders, _, file = hit.path.rpartition("/")
    stem = file.split(".", 1)[0]
    if folded(stem) in q.names:
        return stem
    if not q.compounds:
        return ""
    parent = folders.rsplit("/", 1)[-1]
    for name in [stem, *(hit.symbol or "").split("."), f"{parent}/{stem}" if parent else ""]:
        if name and folded(name.replace("/", "")) in q.compounds:
            return name
    return ""


def from_lookup(
    name: str,
    defs: list[DefinitionHit],
    callers: list[CallerHit],
    refs: list[ReferenceHit],
    q: Question,
    findings: Findings,
) -> None:
    """Definitions of a name the question uses (exact ones strongly, shared among them), the
    traceback frames among them, and weakly the code that calls or refers to it."""
    defs = prefer_definitions(defs)
    exact = [d for d in defs if d.exact]
    similar = [d for d in defs if not d.exact]
    if not exact and _called_on_a_value(name):  # `expr.atoms()`: the definitions of `atoms`
        last = name.rsplit(".", 1)[-1]
        exact = [d for d in similar if d.qualname.rsplit(".", 1)[-1] == last]
        similar = [d for d in similar if d.qualname.rsplit(".", 1)[-1] != last]
    base = 2.0 + 0.4 * min(q.weights.get(name, 1.0), 5.0)
    # A question that names an exception is about where it is raised, rarely about the class:
    # the class counts less, and the code that constructs it (its "callers") counts more.
    # (a class's constructors, `X.X` in Java, C# and C++, are the class: they do not say otherwise)
    classes = [d for d in exact if not _constructor(d.qualname)]
    raised = bool(classes) and all(_EXCEPTION.match(_first_line(d.signature)) for d in classes)
    made = _generated_factor(q)
    add = findings.evidence.append
    for d in exact:
        if raised:
            findings.raised.add((d.path, d.qualname))
        trace, why = _frame_match(d.path, d.qualname, q)
        if trace:
            add(Evidence(d.path, d.qualname, d.start_line, d.end_line, trace, "trace", why, d.kind))
        named = f"defines the symbol you named, `{name}`"
        weight = base / math.sqrt(len(exact)) * (EXCEPTION_CLASS_FACTOR if raised else 1.0)
        weight *= made(d.path, d.generated)
        # a traceback's frame is one mention: its name, looked up, is evidence of the same kind
        kind = "trace" if trace else "symbol"
        add(Evidence(d.path, d.qualname, d.start_line, d.end_line, weight, kind, named, d.kind))
    for d in similar[:6]:
        weight = 0.3 * base / max(len(similar), 2) * made(d.path, d.generated)
        why = f"name similar to `{name}`"
        add(Evidence(d.path, d.qualname, d.start_line, d.end_line, weight, "symbol", why, d.kind))
    for c in callers[:10]:
        if raised:
            weight, why = RAISER_WEIGHT / math.sqrt(len(callers[:10])), f"raises `{name}`"
        else:
            weight, why = 0.35, f"calls `{name}`"
        weight *= made(c.path, c.generated)
        add(Evidence(c.path, c.qualname or None, c.line, c.line, weight, "caller", why))
    for r in refs[:10]:
        weight = (0.6 if not defs else 0.2) / math.sqrt(len(refs)) * made(r.path, r.generated)
        why = f"refers to `{name}` ({r.kind})"
        add(Evidence(r.path, r.enclosing or None, r.line, r.line, weight, "reference", why))


def _called_on_a_value(name: str) -> bool:
    """A method called on a value (`expr.atoms`, `r.simplify`, `dt.isValid`): a dotted name
    whose head is in lower case, a variable of the issue's own code, which no definition of the
    whole name holds; the method's name is what it names."""
    return "." in name and name[:1].islower()


def _generated_factor(q: Question) -> Callable[[str, bool], float]:
    """GENERATED_FACTOR for a hit in a generated file, unless the question names that file
    (parser.c): then the generated file is what it asks about. A file generated by its name
    (a .d.ts) is weighed once, by rank's path factor."""

    def factor(path: str, generated: bool) -> float:
        if not generated or names_file(path, q.text) or path_class(path) == "generated":
            return 1.0
        return GENERATED_FACTOR

    return factor


def discount_raised(findings: Findings) -> None:
    """An exception class the question names counts EXCEPTION_CLASS_FACTOR on every kind of
    evidence, as its lookup already weighed it: code search lifts the definitions of the names
    a query uses, and would otherwise put the class back above the code that raises it."""
    findings.evidence[:] = [
        replace(e, weight=e.weight * EXCEPTION_CLASS_FACTOR)
        if e.kind in SEARCHED and (e.path, e.symbol) in findings.raised
        else e
        for e in findings.evidence
    ]


def _ordinal(n: int) -> str:
    if n == 1:
        return "the"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _constructor(qualname: str) -> bool:
    """A constructor as the index names it: a member named after its class (`Error.Error`)."""
    parts = qualname.split(".")
    return len(parts) >= 2 and parts[-1] == parts[-2]


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def trace_weight(index: int, depth: int) -> float:
    """The deepest frames of a traceback are the likeliest places of the fault."""
    return 2.0 + 3.0 * (index / depth) ** 2


def _frame_match(path: str, qualname: str, q: Question) -> tuple[float, str]:
    depth = max(len(q.frames) - 1, 1)
    for i, frame in reversed(list(enumerate(q.frames))):
        if qualname.rsplit(".", 1)[-1] == frame.func and _same_file(path, frame.path):
            return trace_weight(i, depth), f"in the traceback ({frame.func}, line {frame.line})"
    return 0.0, ""


def from_outline(path: str, entries: list[OutlineEntry], q: Question, findings: Findings) -> None:
    """A file the question names or a traceback passes through: the definitions holding the
    traceback's lines (the deepest frames most) and those the question names."""
    frames = [(i, f) for i, f in enumerate(q.frames) if _same_file(path, f.path)]
    why = "file in the traceback" if frames else "file named in the question"
    findings.evidence.append(Evidence(path, None, 1, 1, 1.5 if frames else 2.0, "path", why))
    names = {n.rsplit(".", 1)[-1] for n in q.identifiers}
    depth = max(len(q.frames) - 1, 1)
    cited = {c.line for c in q.cited if _same_file(path, c.path)}
    for entry in entries:
        s, e, qualname = entry.start_line, entry.end_line, entry.qualname
        if qualname.rsplit(".", 1)[-1] in names:
            why = "named, in a file the question names"
            findings.evidence.append(Evidence(path, qualname, s, e, 1.5, "path", why, entry.kind))
        if entry.kind in ("class", "module", "interface"):
            continue
        for line in cited:
            if s <= line <= e:
                why = f"holds line {line}, which the question points to"
                findings.evidence.append(
                    Evidence(path, qualname, s, e, CITED_WEIGHT, "trace", why, entry.kind)
                )
        for i, frame in frames:
            if s <= frame.line <= e:
                weight = trace_weight(i, depth)
                why = f"holds traceback line {frame.line}"
                findings.evidence.append(
                    Evidence(path, qualname, s, e, weight, "trace", why, entry.kind)
                )


def _same_file(path: str, frame_path: str) -> bool:
    tail = "/".join(frame_path.replace("\\", "/").split("/")[-2:])
    return path.endswith(tail) or tail.endswith(path)


def from_notes(notes: list[NoteHit], findings: Findings) -> None:
    for rank, note in enumerate(notes, 1):
        weight = NOTE_WEIGHT / (1 + 0.5 * (rank - 1))
        findings.notes.append(f"{note.title} — {note.body}" if note.body else note.title)
        why = f"its note answers: {_shorten(note.title, 90)}"
        for p in note.evidence:
            findings.evidence.append(
                Evidence(p.path, p.symbol, p.start_line, p.end_line, weight, "note", why)
            )
        if note.place:
            p = note.place
            findings.described.add((p.path, p.symbol))
            # with no evidence of its own the place is the evidence: 1 + 0.6 x SAME_KIND_DECAY
            factor = 0.6 if note.evidence else 1.15
            findings.evidence.append(
                Evidence(p.path, p.symbol, p.start_line, p.end_line, factor * weight, "note", why)
            )


def settle_notes(findings: Findings) -> None:
    """Notes confirm what the code found, they do not reorder it. A note's evidence on a place
    the code's own evidence holds weighs NOTE_CONFIRM of its weight (enough to break a tie);
    on another definition of a file the code found it is left out (as a new location it would
    borrow its file's score and push the code's places down); it counts in full only where it
    brings a file the code did not find."""
    code = [e for e in findings.evidence if e.kind != "note"]
    files = {e.path for e in code}
    places = {(e.path, e.symbol) for e in code}
    settled = []
    for e in findings.evidence:
        if e.kind == "note" and (e.path, e.symbol) in places:
            e = replace(e, weight=e.weight * NOTE_CONFIRM)
        elif e.kind == "note" and e.path in files:
            continue
        settled.append(e)
    findings.evidence[:] = settled


def from_page(window: Subject, lines: list[Line], findings: Findings) -> None:
    text = "\n".join(line.numbered() for line in lines)
    findings.snippets.append(Snippet(window.path, window.start_line, window.end_line, text))


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
