"""Read the tools' results back as evidence for ranking. The offline policy sees exactly what a
model would see, the framed text of each result, and parses the `path:start-end symbol`
entries out of it. Pure functions of text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from swe_agent.agent.offline.question import Question
from swe_agent.agent.offline.rank import Evidence

_HIT = re.compile(r"^(\d+)\. (\S+):(\d+)-(\d+) (\S+)  score ([\d.]+)$", re.M)
_DEF = re.compile(r"^def (\S+):(\d+)-(\d+) (\S+) \((\w+), (exact|similar name)\)\n?(.*)$", re.M)
# an exception class: named so, or deriving from something named so (Python, JS/TS, Java, Ruby, C++)
_EXCEPTION = re.compile(
    r"^\s*(?:export\s+)?(?:public\s+)?class\s+\w+(?:Error|Exception|Warning)\b"
    r"|^\s*(?:export\s+)?(?:public\s+)?class\s+\w+\s*(?:\(|extends\s+|<\s*|:\s*(?:public\s+)?)[\w.:]*(?:Error|Exception|Warning)\b"
)
_CALLER = re.compile(r"^caller (\S+):(\d+)-(\d+) (\S+) \((\d+) calls\)", re.M)
_REF = re.compile(r"^ref (\S+):(\d+)-(\d+) (\S+) \((\w+)\)", re.M)
EXCEPTION_CLASS_FACTOR = 0.4
RAISER_WEIGHT = 1.5
_NOTE = re.compile(r"^note (-?\d+) \[(\w+)\] (.*?) — (.*)$", re.M)
_NOTE_EVIDENCE = re.compile(r"(\S+):(\d+)-(\d+) (\S+)")
_OUTLINE_HEAD = re.compile(r"^outline (\S+) \(", re.M)
_OUTLINE_DEF = re.compile(r"^(\d+)-(\d+) (\w+) (\S+)", re.M)
_PAGE_HEAD = re.compile(r"^open_page (\S+) lines (\d+)-(\d+) of (\d+)", re.M)


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


def _sym(symbol: str) -> str | None:
    return None if symbol in ("-", "") else symbol


def from_search(text: str, findings: Findings, kind: str = "search") -> None:
    hits = _HIT.findall(text)
    top = max((float(h[5]) for h in hits), default=0.0) or 1.0
    scale, what = (
        (2.5, "the question") if kind == "search" else (1.5, "the issue's title and names")
    )
    for rank, path, start, end, symbol, score in hits:
        weight = scale * float(score) / top
        findings.evidence.append(
            Evidence(
                path,
                _sym(symbol),
                int(start),
                int(end),
                weight,
                kind,
                f"BM25 rank {rank} for {what}",
            )
        )


def from_lookup(name: str, text: str, q: Question, findings: Findings) -> None:
    """Definitions of a name the question uses (exact ones strongly, shared among them), the
    traceback frames among them, and weakly the code that calls or refers to it."""
    defs = _DEF.findall(text)
    exact = [d for d in defs if d[5] == "exact"]
    similar = [d for d in defs if d[5] != "exact"]
    base = 2.0 + 0.4 * min(q.weights.get(name, 1.0), 5.0)
    # A question that names an exception is about where it is raised, rarely about the class:
    # the class counts less, and the code that constructs it (its "callers") counts more.
    raised = bool(exact) and all(_EXCEPTION.match(d[6]) for d in exact)
    add = findings.evidence.append
    for path, start, end, qualname, _kind, _, _sig in exact:
        s, e = int(start), int(end)
        trace, why = _frame_match(path, qualname, q)
        if trace:
            add(Evidence(path, qualname, s, e, trace, "trace", why))
        named = f"defines `{name}` named in the question"
        weight = base / math.sqrt(len(exact)) * (EXCEPTION_CLASS_FACTOR if raised else 1.0)
        add(Evidence(path, qualname, s, e, weight, "symbol", named))
    for path, start, end, qualname, _kind, _, _sig in similar[:6]:
        weight = 0.3 * base / max(len(similar), 2)
        add(
            Evidence(
                path, qualname, int(start), int(end), weight, "symbol", f"name similar to `{name}`"
            )
        )
    callers = _CALLER.findall(text)[:10]
    for path, line, _, qualname, _calls in callers:
        if raised:
            weight, why = RAISER_WEIGHT / math.sqrt(len(callers)), f"raises `{name}`"
        else:
            weight, why = 0.35, f"calls `{name}`"
        add(Evidence(path, _sym(qualname), int(line), int(line), weight, "caller", why))
    refs = _REF.findall(text)
    for path, line, _, enclosing, kind in refs[:10]:
        weight = (0.6 if not defs else 0.2) / math.sqrt(len(refs))
        why = f"refers to `{name}` ({kind})"
        add(Evidence(path, _sym(enclosing), int(line), int(line), weight, "reference", why))


def trace_weight(index: int, depth: int) -> float:
    """The deepest frames of a traceback are the likeliest places of the fault."""
    return 2.0 + 3.0 * (index / depth) ** 2


def _frame_match(path: str, qualname: str, q: Question) -> tuple[float, str]:
    depth = max(len(q.frames) - 1, 1)
    for i, frame in reversed(list(enumerate(q.frames))):
        if qualname.rsplit(".", 1)[-1] == frame.func and _same_file(path, frame.path):
            return trace_weight(i, depth), f"in the traceback ({frame.func}, line {frame.line})"
    return 0.0, ""


def from_outline(text: str, q: Question, findings: Findings) -> None:
    """A file the question names or a traceback passes through: the definitions holding the
    traceback's lines (the deepest frames most) and those the question names."""
    head = _OUTLINE_HEAD.search(text)
    if not head:
        return
    path = head.group(1)
    frames = [(i, f) for i, f in enumerate(q.frames) if _same_file(path, f.path)]
    why = "file in the traceback" if frames else "file named in the question"
    findings.evidence.append(Evidence(path, None, 1, 1, 1.5 if frames else 2.0, "path", why))
    names = {n.rsplit(".", 1)[-1] for n in q.identifiers}
    depth = max(len(q.frames) - 1, 1)
    for start, end, kind, qualname in _OUTLINE_DEF.findall(text):
        s, e = int(start), int(end)
        if qualname.rsplit(".", 1)[-1] in names:
            findings.evidence.append(
                Evidence(path, qualname, s, e, 1.5, "path", "named, in a file the question names")
            )
        if kind in ("class", "module", "interface"):
            continue
        for i, frame in frames:
            if s <= frame.line <= e:
                weight = trace_weight(i, depth)
                findings.evidence.append(
                    Evidence(
                        path, qualname, s, e, weight, "trace", f"holds traceback line {frame.line}"
                    )
                )


def _same_file(path: str, frame_path: str) -> bool:
    tail = "/".join(frame_path.replace("\\", "/").split("/")[-2:])
    return path.endswith(tail) or tail.endswith(path)


def from_notes(text: str, findings: Findings) -> None:
    blocks = text.split("\nnote ")
    rank = 0
    for block in blocks:
        match = _NOTE.search(block if block.startswith("note ") else "note " + block)
        if not match:
            continue
        rank += 1
        weight = 2.5 / (1 + 0.5 * (rank - 1))
        title = match.group(4).strip()
        lines = block.splitlines()
        body = lines[1].strip() if len(lines) > 1 else ""
        findings.notes.append(f"{title} — {body}" if body else title)
        place = _NOTE_EVIDENCE.match(match.group(3))
        cited = [ln for ln in lines if ln.strip().startswith("evidence:")]
        for ev_line in cited:
            for path, start, end, symbol in _NOTE_EVIDENCE.findall(ev_line):
                findings.evidence.append(
                    Evidence(
                        path,
                        _sym(symbol),
                        int(start),
                        int(end),
                        weight,
                        "note",
                        f"note: {_shorten(title, 90)}",
                    )
                )
        if place:
            path, start, end, symbol = place.groups()
            findings.evidence.append(
                Evidence(
                    path,
                    _sym(symbol),
                    int(start),
                    int(end),
                    # with no evidence line the place is the evidence: 1 + 0.6 x SAME_KIND_DECAY
                    (0.6 if cited else 1.15) * weight,
                    "note",
                    f"note: {_shorten(title, 90)}",
                )
            )


def from_page(text: str, findings: Findings) -> None:
    head = _PAGE_HEAD.search(text)
    if not head:
        return
    body = [ln for ln in text.splitlines() if re.match(r"^\s*\d+\| ", ln)]
    findings.snippets.append(
        Snippet(head.group(1), int(head.group(2)), int(head.group(3)), "\n".join(body))
    )


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
