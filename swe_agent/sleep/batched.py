"""Model-written notes through the Message Batches API: half the price of one call per file,
and the natural shape of work done while nobody waits.

A sleep run with a `Batch` writes every file's offline notes as usual and gathers, for the
files the budget reaches, the same per-file request the synchronous path sends (sleep/claude.py).
At the end of the run the requests are recorded in the store, then submitted as one batch; a
submission that fails or is cut short is made again by the next `collect`. The budget counts
each request at its estimate (its input and all of its max_tokens), since the bill comes later.

`collect` polls the open batches; when one has ended it writes, in one transaction, the model's
notes of each succeeded request whose file is unchanged (same content hash) in place of the
offline summary and questions, keeps the offline notes of errored, canceled, expired and stale
requests, and logs each request in model_calls with its usage and its cost at half price.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from swe_agent.errors import ModelError
from swe_agent.llm.base import CallRecord, Usage
from swe_agent.llm.batches import BatchGone, BatchResult, ClaudeBatches
from swe_agent.llm.prices import cost_usd
from swe_agent.llm.tokens import count_tokens
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep import claude
from swe_agent.sleep.offline import FileFacts
from swe_agent.sleep.writer import Progress
from swe_agent.store import batches as table
from swe_agent.store.calls import StoreRecorder
from swe_agent.store.db import Store
from swe_agent.store.notes import Note, delete_notes, write_notes

KEYS = ("qualname", "kind", "start_line", "end_line", "priority")  # of a definition, kept


class Batch:
    """The requests of one sleep run, submitted together when it ends."""

    def __init__(self, model: str, level: int) -> None:
        self.model, self.level = model, level
        self.sent: list[table.Sent] = []
        self.tokens = 0  # estimated: the requests' input and all of their max_tokens

    def add(self, facts: FileFacts, definitions: list[dict[str, Any]], notes: list[Note]) -> None:
        chosen, by_symbol = claude.choose(definitions, notes)
        if not chosen:
            return
        params = claude.request(self.model, facts, chosen, by_symbol)
        custom_id = f"file-{len(self.sent):05d}-{facts.code_hash[:16]}"
        kept = [{k: d[k] for k in KEYS} for d in chosen]
        self.sent.append(table.Sent(custom_id, facts.path, facts.code_hash, kept, params))
        self.tokens += count_tokens(json.dumps(params)) + params["max_tokens"]

    def submit(self, api: ClaudeBatches, store: Store) -> str | None:
        """Record the requests, then send them: the batch's id, or None when there were none.
        Raises ModelError when the API refused it (recorded, it is sent again by `collect`)."""
        if not self.sent:
            return None
        local = "unsent_" + uuid.uuid4().hex[:16]
        with store.transaction():
            table.record_batch(store, local, self.model, self.level, self.sent)
        return _send(api, store, local, self.sent)


def _send(api: ClaudeBatches, store: Store, local: str, sent: list[table.Sent]) -> str:
    state = api.submit([(s.custom_id, s.params) for s in sent])
    table.submitted(store, local, state.id)
    return state.id


@dataclass(slots=True)
class Collected:
    """What became of one batch: its files by outcome, the notes written, tokens and cost."""

    batch_id: str
    state: str = "in_progress"  # in_progress | sent | ended | lost
    written: int = 0  # files whose model notes replaced the offline ones
    kept_offline: Counter[str] = field(default_factory=Counter)  # errored/canceled/expired/unusable
    stale: int = 0  # files changed since they were sent: results dropped
    notes: int = 0
    tokens: int = 0
    cost_usd: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id, "state": self.state, "written": self.written,
            "kept_offline": dict(self.kept_offline), "stale": self.stale, "notes": self.notes,
            "tokens": self.tokens, "cost_usd": round(self.cost_usd, 8),
        }  # fmt: skip


def collect(api: ClaudeBatches, store: Store) -> list[Collected]:
    """Poll every open batch once: send the unsent, collect the ended. A batch whose poll fails
    is left for the next one (ModelError is raised only when every poll failed)."""
    done, failed = [], None
    for row in table.unfinished(store):
        try:
            if row["state"] == table.UNSENT:
                sent = table.requests_of(store, row["id"])
                done.append(Collected(_send(api, store, row["id"], list(sent.values())), "sent"))
                continue
            done.append(_poll(api, store, row["id"], row["model"]))
        except BatchGone as exc:
            with store.transaction():
                table.finish(store, row["id"], {}, {"error": exc.message}, table.LOST)
            done.append(Collected(row["id"], "lost"))
        except ModelError as exc:
            failed = exc
    if failed is not None and not done:
        raise failed
    return done


def _poll(api: ClaudeBatches, store: Store, batch_id: str, model: str) -> Collected:
    state = api.retrieve(batch_id)
    table.polled(store, batch_id)
    if not state.ended:
        return Collected(batch_id)
    results = list(api.results(batch_id))
    sent = table.requests_of(store, batch_id)
    hashes = table.current_hashes(store, [s.path for s in sent.values()])
    out = Collected(batch_id, "ended")
    kinds: dict[str, str] = {}
    recorder = StoreRecorder(store)
    with store.transaction():
        for result in results:
            request = sent.get(result.custom_id)
            if request is None:
                continue  # not one of ours: the API never sends such a line
            kinds[result.custom_id] = _apply(store, request, result, model, hashes, out)
            _log(recorder, request, result, model, batch_id, out)
        for custom_id in sent.keys() - kinds.keys():  # no line for it: as if expired
            kinds[custom_id] = "expired"
            out.kept_offline["expired"] += 1
        table.finish(store, batch_id, kinds, out.as_dict())
    return out


def _apply(
    store: Store,
    request: table.Sent,
    result: BatchResult,
    model: str,
    hashes: dict[str, str],
    out: Collected,
) -> str:
    """Write the notes of one result when it is usable; the kind recorded for it."""
    kind = result.kind
    if kind == "succeeded" and hashes.get(request.path) != request.code_hash:
        out.stale += 1
        return "stale"
    if kind != "succeeded" or result.reply is None:
        out.kept_offline[kind] += 1
        return kind
    written = claude.entries(result.reply.text)
    costs = claude.shares(result.reply.usage.total, len(request.definitions))
    made = [
        (d["qualname"], notes)
        for d, cost in zip(request.definitions, costs, strict=True)
        if (notes := claude.model_notes(
            written.get(d["qualname"]), request.path, request.code_hash, d, model, cost
        ))
    ]  # fmt: skip
    if not made:
        out.kept_offline["unusable"] += 1
        return "unusable"
    symbols = [q for q, _ in made]
    delete_notes(store, table.notes_replaced(store, request, symbols, claude.KEPT))
    write_notes(store, [n for _, notes in made for n in notes])
    out.written += 1
    out.notes += sum(len(notes) for _, notes in made)
    return kind


def _log(
    recorder: StoreRecorder,
    request: table.Sent,
    result: BatchResult,
    model: str,
    batch_id: str,
    out: Collected,
) -> None:
    usage = result.reply.usage if result.reply else Usage()
    cost = cost_usd(model, usage, batch=True)
    out.tokens += usage.total
    out.cost_usd += cost or 0.0
    recorder.record(
        CallRecord(
            id=uuid.uuid4().hex,
            purpose="sleep",
            model=model,
            usage=usage,
            duration_ms=0,
            request=request.params,
            response=result.raw,
            error=None if result.kind == "succeeded" else (result.error or result.kind),
            batch_id=batch_id,
            cost_usd=cost,
        )
    )


def sleep_in_batch(
    repo: GitRepo,
    store: Store,
    api: ClaudeBatches,
    *,
    budget: int,
    level: int,
    progress: Progress | None = None,
    should_yield: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """A sleep run whose model requests go out as one batch: its report, with `batch` (the id,
    or None when nothing was sent; the requests; their estimated tokens; a submission error)."""
    from swe_agent.sleep import run_sleep

    batch = Batch(api.name, level)
    report = run_sleep(
        repo, store, budget=budget, level=level, progress=progress, should_yield=should_yield,
        batch=batch,
    )  # fmt: skip
    report.mode = f"claude batch ({api.name})"
    sent: dict[str, Any] = {
        "id": None, "requests": len(batch.sent), "estimated_tokens": batch.tokens, "error": None,
    }  # fmt: skip
    try:
        sent["id"] = batch.submit(api, store)
    except ModelError as exc:  # recorded: the next collect sends it again
        sent["error"] = str(exc)
    return {**report.as_dict(), "batch": sent}


def submitted(sent: dict[str, Any]) -> str:
    """One line on a batch just submitted (the `batch` of sleep_in_batch's report)."""
    if sent["error"]:
        return (
            f"batch of {files(sent['requests'])} not accepted yet ({sent['error']}); "
            "it is sent again at the next poll, and the files have offline notes meanwhile"
        )
    return (
        f"batch {sent['id']} submitted: {files(sent['requests'])}, about "
        f"{sent['estimated_tokens']:,} tokens at most, at half price"
    )


def describe(c: dict[str, Any]) -> str:
    """One line on what became of a batch (a Collected as_dict)."""
    if c["state"] == "sent":
        return f"batch {c['batch_id']} submitted (it had failed to go out before)"
    if c["state"] == "lost":
        return f"batch {c['batch_id']} is unknown to the API: its files keep their offline notes"
    if c["state"] == "in_progress":
        return (
            f"batch {c['batch_id']} still in progress: its files keep their offline notes meanwhile"
        )
    kept = ", ".join(f"{n} {kind}" for kind, n in sorted(c["kept_offline"].items()))
    line = (
        f"batch {c['batch_id']} ended: model notes for {files(c['written'])} ({c['notes']} notes, "
        f"{c['tokens']:,} tokens, ${c['cost_usd']:.4f} at the batch price)"
    )
    if kept:
        line += f"; offline notes kept for {kept}"
    if c["stale"]:
        line += f"; {files(c['stale'])} changed since sent, their results dropped"
    return line


def files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"
