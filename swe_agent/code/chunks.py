"""Split a file into search chunks: one per definition (its own lines, children's bodies left
out but their signatures kept), and windows over the lines no definition covers."""

from __future__ import annotations

from dataclasses import dataclass

from swe_agent.code.parsed import Definition

WINDOW = 50  # lines per window of uncovered code or of a file with no grammar
MAX_OWN = 150  # a definition's own lines beyond this are split into several chunks


@dataclass(frozen=True, slots=True)
class Chunk:
    start_line: int
    end_line: int
    symbol: str | None
    text: str


def chunk_file(lines: list[str], definitions: list[Definition]) -> list[Chunk]:
    """Chunks covering every non-blank line of the file; pure."""
    n = len(lines)
    owner = [-1] * (n + 2)  # innermost definition index owning each line
    ordered = sorted(range(len(definitions)), key=lambda i: (definitions[i].start_line, -definitions[i].end_line))
    for i in ordered:  # later (inner) definitions overwrite outer ones
        d = definitions[i]
        for line in range(max(d.start_line, 1), min(d.end_line, n) + 1):
            owner[line] = i
    signatures: dict[str, list[str]] = {}
    for c in definitions:
        if c.parent and c.signature:
            signatures.setdefault(c.parent, []).append(c.signature)
    chunks: list[Chunk] = []
    for i, d in enumerate(definitions):
        own = [ln for ln in range(max(d.start_line, 1), min(d.end_line, n) + 1) if owner[ln] == i]
        children = signatures.get(d.qualname, [])
        for part_start in range(0, max(len(own), 1), MAX_OWN):
            part = own[part_start : part_start + MAX_OWN]
            body = "\n".join(lines[ln - 1] for ln in part)
            extra = "\n".join(children) if part_start == 0 else ""
            text = "\n".join(t for t in (d.qualname, d.doc if part_start else "", body, extra) if t)
            start = part[0] if part and part_start else d.start_line
            end = part[-1] if part and part_start + MAX_OWN < len(own) else d.end_line
            chunks.append(Chunk(start, end, d.qualname, text))
    chunks.extend(_windows(lines, [ln for ln in range(1, n + 1) if owner[ln] == -1]))
    return chunks


def _windows(lines: list[str], free: list[int]) -> list[Chunk]:
    out: list[Chunk] = []
    group: list[int] = []
    for ln in free:
        if group and (ln != group[-1] + 1 or ln - group[0] >= WINDOW):
            out.append(_window(lines, group))
            group = []
        group.append(ln)
    if group:
        out.append(_window(lines, group))
    return [c for c in out if c.text.strip()]


def _window(lines: list[str], group: list[int]) -> Chunk:
    text = "\n".join(lines[ln - 1] for ln in group)
    return Chunk(group[0], group[-1], None, text)
