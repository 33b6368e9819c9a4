"""What parsing produces: definitions, references and a parsed file. Pure data, shared by the
indexer, the store and the agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    qualname: str  # "Class.method", nested definitions joined with "."
    kind: str  # function | method | class | interface | module | type | enum | constant | macro
    start_line: int  # 1-based, inclusive
    end_line: int  # 1-based, inclusive
    signature: str  # the definition's first line(s), stripped, at most 200 characters
    doc: str  # docstring or leading comment, "" when there is none
    parent: str | None  # qualname of the enclosing definition


class Reference(NamedTuple):
    """A tuple: a file has one for each call, import and use of a type (flask: 4,700), and a
    frozen dataclass took ~1.5 us of CPU to make, a third of all that references cost."""

    name: str  # the referenced identifier (last part for a.b.c calls)
    line: int  # 1-based
    kind: str  # call | import | class | implementation | type
    enclosing: str | None  # qualname of the innermost enclosing definition


@dataclass(slots=True)
class ParsedFile:
    language: str | None
    definitions: list[Definition] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    error_count: int = 0  # ERROR / MISSING nodes tree-sitter recovered from
