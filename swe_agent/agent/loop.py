"""The agent loop: run -> step -> query / execute, controlled by three small exceptions.

The same loop drives Claude and the offline policy; both are a `Model`. Every tool result is
framed with the budget so far ("step 3 of 12 · 4,100 of 16,000 tokens used") and its page; an
`Observer` is handed each result as data as well. At the step limit or when the budget is
spent the model is told so and must answer with what it has.

A reply is read by its stop_reason before it joins the queue: one cut at max_tokens is asked
again with twice the room (up to MAX_OUTPUT), never taken as final; an empty one is never
stored (the API refuses empty messages) and is asked again once with a notice; a refusal ends
the turn with one line that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from swe_agent.agent.context import MainContext
from swe_agent.agent.memory import plain_blocks
from swe_agent.agent.tools import Toolbox, ToolResult
from swe_agent.llm.base import Model, Reply, ToolCall
from swe_agent.llm.tokens import count_tokens

MAX_OUTPUT = 16_384  # output tokens a reply cut at max_tokens may be given at most
EMPTY_NUDGE = "Your last reply was empty. Go on with the task: call a tool, or call `answer`."
EMPTY_TWICE = "Claude gave an empty reply twice, so this turn has no answer; ask again."


class Answered(Exception):
    """The model called `answer`; carries its input."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__("answered")
        self.answer = answer


class LimitsExceeded(Exception):
    """Steps or tokens are spent; the message tells the model to answer now."""


class FormatError(Exception):
    """The reply cannot be executed; the message tells the model what to do instead."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_steps: int
    budget: int
    max_tokens: int = 4096  # output tokens per model call


@dataclass(slots=True)
class Step:
    """One model call and the tools it ran: a ledger row."""

    step: int
    tools: list[str] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    context_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Budget:
    """Where a run stands when a step's results come back."""

    step: int
    max_steps: int
    used: int  # tokens of main context before the results
    budget: int

    def line(self) -> str:
        return (
            f"[step {self.step} of {self.max_steps} · {self.used:,} of {self.budget:,} tokens used]"
        )


@dataclass(frozen=True, slots=True)
class Observation:
    """One tool call and its result, as data and as the framed text the model reads."""

    call: ToolCall
    result: ToolResult
    budget: Budget
    text: str


class Ledger(Protocol):
    def record(self, step: Step) -> None: ...


class Observer(Protocol):
    def observe(self, seen: Observation) -> None: ...


class Agent:
    def __init__(
        self,
        model: Model,
        toolbox: Toolbox,
        context: MainContext,
        limits: Limits,
        *,
        ledger: Ledger | None = None,
        observer: Observer | None = None,
    ) -> None:
        self.model = model
        self.toolbox = toolbox
        self.context = context
        self.limits = limits
        self.ledger = ledger
        self.observer = observer
        self.steps: list[Step] = []
        self.forced = ""  # why the agent was made to answer early, if it was
        self.last_text = ""

    @property
    def tool_calls(self) -> int:
        return sum(len(s.tools) for s in self.steps)

    def run(self, task: str) -> dict[str, Any]:
        """Work on task until the model answers; returns the answer tool's input."""
        self.context.add_user_text(task)
        while True:
            try:
                self.step()
            except Answered as done:
                return done.answer
            except FormatError as exc:
                self.context.add_user_text(str(exc))
            except LimitsExceeded as exc:
                return self.finish(str(exc))

    def step(self, *, forced: bool = False) -> None:
        step = Step(len(self.steps) + 1)
        self.steps.append(step)
        try:
            reply = self.query(step, forced=forced)
            self.execute(reply, step, forced=forced)
        finally:
            if self.ledger and (step.input_tokens or step.tools):
                self.ledger.record(step)

    def query(self, step: Step, *, forced: bool = False) -> Reply:
        if not forced and step.step > self.limits.max_steps:
            self.steps.pop()
            raise LimitsExceeded(f"the step limit ({self.limits.max_steps}) is reached")
        self.context.compact()
        notice = _answer_now(self.forced) if forced else ""
        self.context.refresh(notice)
        step.context_tokens = self.context.tokens()
        if not forced and step.context_tokens >= self.limits.budget:
            self.steps.pop()
            raise LimitsExceeded(f"the token budget ({self.limits.budget:,}) is spent")
        return self._complete(step, notice)

    def _complete(self, step: Step, notice: str) -> Reply:
        """The model's reply, asked again while it cannot be used as it is; a turn that still
        has none ends with an answer that says why."""
        max_tokens, nudged = self.limits.max_tokens, False
        while True:
            reply = self.model.complete(
                self.context.system(), self.context.messages, self.toolbox.specs,
                max_tokens=max_tokens,
            )  # fmt: skip
            _charge(step, reply)
            if reply.stop_reason == "refusal":
                raise Answered({"explanation": _refused(reply), "locations": []})
            if reply.stop_reason == "max_tokens":
                if max_tokens >= MAX_OUTPUT:
                    raise Answered({"explanation": _cut(max_tokens), "locations": []})
                max_tokens = min(2 * max_tokens, MAX_OUTPUT)
            elif not _usable(plain_blocks(reply.content)):
                if nudged:
                    raise Answered({"explanation": EMPTY_TWICE, "locations": []})
                nudged = True
                self.context.refresh(f"{notice}\n{EMPTY_NUDGE}".strip())
            else:
                return reply

    def execute(self, reply: Reply, step: Step, *, forced: bool = False) -> None:
        """Run the reply's tool calls (when forced, only `answer`) and add their results."""
        self.context.add("assistant", _usable(plain_blocks(reply.content)))
        self.last_text = reply.text
        calls = list(reply.tool_calls)
        if not calls:
            raise FormatError(
                "Every reply must call a tool. To finish, call `answer` with an explanation and "
                "the ranked locations."
            )
        answer: dict[str, Any] | None = None
        ran: list[tuple[ToolCall, ToolResult]] = []
        for call in calls:
            step.tools.append(call.name)
            if call.name == "answer" and answer is None:
                answer = dict(call.input or {})
                ran.append((call, ToolResult("answer recorded", title="answer")))
            elif forced:
                ran.append((call, ToolResult("not run: limits reached", is_error=True)))
            else:
                ran.append((call, self.toolbox.run(call.name, dict(call.input or {}))))
        self._add_results(ran)
        if answer is not None:
            raise Answered(answer)

    def _add_results(self, ran: list[tuple[ToolCall, ToolResult]]) -> None:
        budget = Budget(
            len(self.steps), self.limits.max_steps, self.context.tokens(), self.limits.budget
        )
        opened = [
            (r.title, count_tokens(r.body), call.id, r.key)
            for call, r in ran
            if not r.is_error and r.key
        ]
        ids = iter(self.context.hold(opened))
        blocks = []
        for call, result in ran:
            slot_id = next(ids) if not result.is_error and result.key else ""
            text = _frame(result, budget, slot_id)
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": call.id,
                    "content": text,
                    **({"is_error": True} if result.is_error else {}),
                }
            )
            if self.observer:
                self.observer.observe(Observation(call, result, budget, text))
        self.context.add("user", blocks)

    def finish(self, reason: str) -> dict[str, Any]:
        """Limits reached: one last call in which the model must answer."""
        self.forced = reason
        try:
            self.step(forced=True)
        except Answered as done:
            return done.answer
        except FormatError:
            pass  # it replied in prose: that prose is the answer
        return {"explanation": self.last_text or reason, "locations": []}


def _answer_now(reason: str) -> str:
    return (
        f"[{reason}. Call `answer` now with the best locations you have found; "
        "no other tool will run.]"
    )


def _usable(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks worth keeping: all but text blocks with nothing in them."""
    return [b for b in content if b.get("type") != "text" or str(b.get("text") or "").strip()]


def _charge(step: Step, reply: Reply) -> None:
    usage = reply.usage
    step.input_tokens += usage.input_tokens
    step.output_tokens += usage.output_tokens
    step.cache_read_input_tokens += usage.cache_read_input_tokens
    step.cache_creation_input_tokens += usage.cache_creation_input_tokens


def _refused(reply: Reply) -> str:
    details = reply.stop_details or {}
    why = ", ".join(str(v) for v in ("refusal", details.get("category")) if v)
    said = " ".join(str(details.get("explanation") or reply.text).split())
    return f"Claude declined to answer ({why})" + (f": {said}" if said else ".")


def _cut(max_tokens: int) -> str:
    return (
        f"Claude's reply was cut off at max_tokens ({max_tokens:,} output tokens) each time it "
        "was asked, so this turn has no answer; ask for something smaller."
    )


def _frame(result: ToolResult, budget: Budget, slot_id: str) -> str:
    tail = f"[page {result.page} of {result.pages}" + (f" · {slot_id}" if slot_id else "")
    tail += f" · next: {result.next_call}]" if result.next_call else "]"
    return f"{budget.line()}\n{result.body}\n{tail}"
