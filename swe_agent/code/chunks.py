"""Split a file into search chunks: one per definition (its own lines, children's bodies left
out but their signatures kept), and windows over the lines no definition covers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from swe_agent.code.parsed import Definition

WINDOW = 50  # lines per window of uncovered code or of a file with no grammar
MAX_OWN = 80  # a definition's own lines beyond this are split into several chunks
LONG_LINE = 1000  # characters: a line this long is minified code, shared by many definitions
VERSION = "2"  # bump when chunking changes: stores built with another version are re-indexed


@dataclass(frozen=True, slots=True)
class Chunk:
    start_line: int
    end_line: int
    symbol: str | None
    text: str


def chunk_file(lines: list[str], definitions: list[Definition]) -> list[Chunk]:
    """Chunks covering every non-blank line of the file; pure."""
    n = len(lines)
    owner = [-1] * (n + 1)  # innermost definition index owning each line
    ordered = sorted(
        range(len(definitions)), key=lambda i: (definitions[i].start_line, -definitions[i].end_line)
    )
    for i in ordered:  # later (inner) definitions overwrite outer ones
        d = definitions[i]
        first, last = max(d.start_line, 1), min(d.end_line, n)
        if first <= last:
            owner[first : last + 1] = [i] * (last + 1 - first)
    # each definition's runs of lines, in order ([-1]: the lines no definition owns), as ranges
    owned: list[list[Sequence[int]]] = [[] for _ in range(len(definitions) + 1)]
    line = 1
    for i, run in groupby(owner[1:]):
        size = len(list(run))
        owned[i].append(range(line, line + size))
        line += size
    signatures: dict[str, list[str]] = {}
    for c in definitions:
        if c.parent and c.signature:
            signatures.setdefault(c.parent, []).append(c.signature)
    chunks: list[Chunk] = []
    for i, d in enumerate(definitions):
        chunks.extend(_definition_chunks(lines, d, owned[i], signatures.get(d.qualname, [])))
    chunks.extend(_windows(lines, owned[-1]))
    return chunks


def _definition_chunks(
    lines: list[str], d: Definition, runs: list[Sequence[int]], children: list[str]
) -> list[Chunk]:
    """A definition's own lines (its runs of them): the first run (signature, docstring,
    fields) with its members' signatures, then later runs of its own code (fields or
    statements between members) in parts of at most MAX_OWN lines; each chunk's lines are the
    ones it holds, so a class whose methods have chunks of their own is not reported as one
    600-line span."""
    own: Sequence[int] = runs[0] if len(runs) == 1 else [ln for run in runs for ln in run]
    head: Sequence[int] = runs[0] if runs else [d.start_line]
    if not own and 0 < d.start_line <= len(lines) and len(lines[d.start_line - 1]) > LONG_LINE:
        # its line belongs to another definition's chunk: repeating it for each of thousands
        # of definitions on one minified line made indexing quadratic
        return [Chunk(d.start_line, d.end_line, d.qualname, f"{d.qualname}\n{d.signature}")]
    if not children:  # no members: the definition's lines are one run, split by size only
        head, runs = own or [d.start_line], []
    else:
        runs = [r for r in runs[1:] if any(_meaningful(lines[ln - 1]) for ln in r)]
    chunks = []
    for start in range(0, len(head), MAX_OWN):
        part = head[start : start + MAX_OWN]
        body = _joined(lines, part)
        extra = "\n".join(children) if start == 0 else ""
        text = "\n".join(t for t in (d.qualname, d.doc if start else "", body, extra) if t)
        chunks.append(Chunk(d.start_line if start == 0 else part[0], part[-1], d.qualname, text))
    rest = [ln for run in runs for ln in run]
    for start in range(0, len(rest), MAX_OWN):
        part = rest[start : start + MAX_OWN]
        body = "\n".join([lines[ln - 1] for ln in part])
        chunks.append(Chunk(part[0], part[-1], d.qualname, f"{d.qualname}\n{body}"))
    return chunks


def _joined(lines: list[str], part: Sequence[int]) -> str:
    """The lines numbered in part that the file has, joined: a run of them (a range) as one
    slice, rather than line by line."""
    if isinstance(part, range) and part.step == 1 and part.start >= 1:
        return "\n".join(lines[part.start - 1 : part.stop - 1])
    return "\n".join([lines[ln - 1] for ln in part if ln <= len(lines)])


def _meaningful(line: str) -> bool:
    """More than closing braces, `end` or punctuation."""
    stripped = line.strip().strip("{}()[];,").strip()
    return bool(stripped) and stripped not in ("end", "}", ")", "*/", "fi", "done", "esac")


def _windows(lines: list[str], free: list[Sequence[int]]) -> list[Chunk]:
    """Each run of free lines in windows of WINDOW lines, but those holding only blanks."""
    out: list[Chunk] = []
    for run in free:
        first, last = run[0], run[-1]
        for start in range(first, last + 1, WINDOW):
            end = min(start + WINDOW - 1, last)
            text = "\n".join(lines[start - 1 : end])
            if text.strip():
                out.append(Chunk(start, end, None, text))
    return out
