"""One request in, one answer out: what the CLI, the daemon and the bench hand to `answer`, and
what comes back. Plain data; `to_json` / `from_json` are how the daemon's socket carries them.

Light on purpose: the CLI builds a request before it knows whether a daemon will answer it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from swe_agent.errors import SweAgentError

KINDS = ("question", "task")
MIN_BUDGET = 2000
MIN_STEPS = 2


@dataclass(frozen=True, slots=True)
class AskRequest:
    """A question (or an issue's text, kind "task") and how to answer it. Budget and steps left
    None take the answering side's settings."""

    text: str
    kind: str = "question"
    session_id: str | None = None
    continue_last: bool = False
    use_notes: bool = True
    offline: bool = False
    context_budget: int | None = None
    max_steps: int | None = None
    model: str | None = None  # the foreground model's name, over the settings' when given

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise SweAgentError("the question is empty", "say what you want to know")
        if self.model is not None and not self.model.strip():
            raise SweAgentError("--model is empty", "name a model, e.g. claude-sonnet-5-5")
        if self.kind not in KINDS:
            raise SweAgentError(
                f"unknown kind of request {self.kind!r}", f"use {' or '.join(KINDS)}"
            )
        if self.context_budget is not None and self.context_budget < MIN_BUDGET:
            raise SweAgentError(
                f"--budget {self.context_budget} is too small", f"give at least {MIN_BUDGET} tokens"
            )
        if self.session_id is not None and not self.session_id.strip():
            raise SweAgentError("--session is empty", "give a session id from `swe-agent sessions`")
        if self.session_id and self.continue_last:
            raise SweAgentError("--session and --continue both name a session", "give one of them")
        if self.model is not None and not self.model.strip():
            raise SweAgentError("--model is empty", "give a model name, e.g. claude-sonnet-5-5")
        if self.max_steps is not None and self.max_steps < MIN_STEPS:
            raise SweAgentError(
                f"--steps {self.max_steps} is too few", f"give at least {MIN_STEPS}"
            )

    @property
    def question(self) -> str:
        return self.text.strip()

    def in_session(self, session_id: str) -> AskRequest:
        """The request with its session settled (so no longer "the last one")."""
        return replace(self, session_id=session_id, continue_last=False)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AskRequest:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown or not isinstance(data.get("text"), str):
            raise SweAgentError(
                f"a request the daemon cannot read (fields {', '.join(unknown) or 'text'})",
                "run the same swe-agent version as the daemon: `swe-agent daemon stop`, then start",
            )
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    symbol: str | None
    start_line: int
    end_line: int
    why: str


@dataclass(frozen=True, slots=True)
class Usage:
    test_time_input_tokens: int
    test_time_output_tokens: int
    tool_calls: int
    notes_used: int
    sleep_time_tokens_available: int


@dataclass(frozen=True, slots=True)
class LedgerStep:
    """One model call of the answer and the tools it ran."""

    step: int
    tools: str
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    context_tokens: int


@dataclass(frozen=True, slots=True)
class Totals:
    """Every session of the store so far."""

    sessions: int
    tasks: int
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    mode: str  # "offline" or the model's mode
    explanation: str
    locations: list[Location]
    patch: str | None
    usage: Usage
    session: str
    ledger: list[LedgerStep] = field(default_factory=list)
    totals: Totals | None = None
    # how likely the first location is right, in [0, 1]; None where the model gave none
    confidence: float | None = None

    def to_json(self, *, ledger: bool = True) -> dict[str, Any]:
        """The answer as `ask --json` prints it (the explanation under "answer"), with the
        ledger and totals unless asked not to."""
        data = {
            "question": self.question,
            "mode": self.mode,
            "answer": self.explanation,
            "locations": [asdict(loc) for loc in self.locations],
            "patch": self.patch,
            "confidence": self.confidence,
            "usage": asdict(self.usage),
            "session": self.session,
        }
        if ledger:
            data["ledger"] = [asdict(step) for step in self.ledger]
            data["totals"] = asdict(self.totals) if self.totals else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        totals = data.get("totals")
        return cls(
            question=data["question"],
            mode=data["mode"],
            explanation=data["answer"],
            locations=[Location(**loc) for loc in data["locations"]],
            patch=data.get("patch"),
            usage=Usage(**data["usage"]),
            session=data["session"],
            ledger=[LedgerStep(**step) for step in data.get("ledger") or []],
            totals=Totals(**totals) if totals else None,
            confidence=data.get("confidence"),
        )
