"""What the tools found, as data. Each entry of a tool's result has a record beside its text:
the model reads the text, and code (the offline policy, tests) reads the records, so nothing
ever parses what we printed."""

from __future__ import annotations

from dataclasses import dataclass

from swe_agent.repo.gitrepo import LogEntry


@dataclass(frozen=True, slots=True)
class Place:
    """A stretch of a file, or a definition in it."""

    path: str
    start_line: int
    end_line: int
    symbol: str | None = None

    def label(self) -> str:
        return f"{self.path}:{self.start_line}-{self.end_line} {self.symbol or '-'}"


@dataclass(frozen=True, slots=True)
class CodeHit:
    """A code chunk that search_code ranked."""

    rank: int
    path: str
    start_line: int
    end_line: int
    symbol: str | None
    score: float
    definition: tuple[int, int] | None = None  # the symbol's whole lines, when the chunk is a part
    kind: str = ""  # the kind of the symbol's definition (function, method, class...), when known


@dataclass(frozen=True, slots=True)
class DefinitionHit:
    """A definition lookup_symbol found: of the name itself, or of a similar name."""

    path: str
    start_line: int
    end_line: int
    qualname: str
    kind: str
    exact: bool
    signature: str
    generated: bool = False  # its file says a tool wrote it (a Bison parser.c)


@dataclass(frozen=True, slots=True)
class CallerHit:
    """A definition that calls the name looked up, at its first call."""

    path: str
    line: int
    qualname: str
    calls: int
    generated: bool = False


@dataclass(frozen=True, slots=True)
class ReferenceHit:
    """Another reference to the name looked up (an import, a type, a subclass)."""

    path: str
    line: int
    enclosing: str | None
    kind: str
    generated: bool = False


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    start_line: int
    end_line: int
    kind: str
    qualname: str


@dataclass(frozen=True, slots=True)
class NoteHit:
    """A sleep-time note: where it points (None for the repository), its title and body as shown
    (cut to a length), and the evidence it cites beyond that place."""

    id: int
    kind: str
    place: Place | None
    title: str
    body: str
    evidence: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str

    def numbered(self) -> str:
        return f"{self.number:>5}| {self.text}"


@dataclass(frozen=True, slots=True)
class RecallHit:
    session_id: str
    turn: int
    seq: int
    role: str
    text: str


Record = (
    CodeHit
    | DefinitionHit
    | CallerHit
    | ReferenceHit
    | OutlineEntry
    | NoteHit
    | Line
    | LogEntry
    | RecallHit
)


@dataclass(frozen=True, slots=True)
class Subject:
    """What a whole result is about, beside its entries: the file outlined or the window of a
    file opened (start_line > end_line for an empty file)."""

    path: str
    start_line: int = 0
    end_line: int = 0
    total_lines: int = 0
