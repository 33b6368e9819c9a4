"""Commands of sleep-time analysis: sleep, notes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    emit_json,
    interactive,
    open_checked,
    open_repo,
    run_index,
    settings_for,
    still_there,
)
from swe_agent.errors import SweAgentError

if TYPE_CHECKING:
    from swe_agent.config import Settings
    from swe_agent.llm.base import Model
    from swe_agent.llm.batches import ClaudeBatches
    from swe_agent.repo.gitrepo import GitRepo
    from swe_agent.store.db import Store


NOTES_SHOWN = 20  # notes listed as text unless -n says otherwise


def register(app: typer.Typer) -> None:
    app.command()(sleep)
    app.command()(notes)


def sleep(
    budget: Annotated[
        int | None,
        typer.Option(
            help="Tokens to spend at most: model tokens with Claude, note tokens offline. \\[default: 200,000 with Claude; offline 5,000,000, the whole repository]"
        ),
    ] = None,
    level: Annotated[
        int | None, typer.Option(help="0 nothing, 1 summaries, 2 + questions, 3 + history.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan and the estimated tokens.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="The Claude model to think with (default from settings).",
            show_default=False,
        ),
    ] = None,
    batch: Annotated[
        bool,
        typer.Option(
            "--batch",
            help="Send the model's requests as one Message Batch (half price) and return at "
            "once with its id; offline notes stand until the daemon or the next `sleep` "
            "collects the batch. Needs ANTHROPIC_API_KEY.",
        ),
    ] = False,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Think about the repository before questions come: write notes about what changed."""
    from swe_agent.config import override

    repo = open_repo(repo_dir)
    settings = override(
        settings_for(repo.root),
        sleep_budget=budget,
        offline_sleep_budget=budget,
        sleep_level=level,
        sleep_model=model,
    )
    if model is not None and not model.strip():
        raise SweAgentError("--model is empty", "name a model, e.g. claude-haiku-5-5")
    if not 0 <= settings.sleep_level <= 3:
        raise SweAgentError(
            f"--level {settings.sleep_level} is out of range", "give a level from 0 to 3"
        )
    if model is not None and not model.strip():
        raise SweAgentError("--model is empty", "give a model name, e.g. claude-haiku-5-5")
    if budget is not None and budget < 0:
        raise SweAgentError(f"--budget {budget} is negative", "give a number of tokens, 0 or more")
    if batch and not os.environ.get("ANTHROPIC_API_KEY", "").strip():
        raise SweAgentError(
            "--batch sends the notes' requests to the Message Batches API, which needs "
            "ANTHROPIC_API_KEY",
            "set it, or leave out --batch to write offline notes",
        )
    from swe_agent.watch import client

    answered, result = client.try_query(
        repo.root,
        "sleep",
        {"budget": budget, "level": settings.sleep_level, "dry_run": dry_run, "model": model,
         "batch": batch},
    )  # fmt: skip
    if not answered:
        result = _sleep_here(repo, settings, dry_run, batch)
    if as_json:
        emit_json(result)
        return
    typer.echo(_sleep_text(result, dry_run))


def _sleep_here(repo: GitRepo, settings: Settings, dry_run: bool, batch: bool) -> dict[str, Any]:
    """A sleep run in this process; with a key, the batches that have ended are collected
    first, and with `batch` the model's requests go out as one Message Batch."""
    from swe_agent.llm.factory import open_batches, open_model
    from swe_agent.store.calls import StoreRecorder

    with open_checked(repo.root) as store:
        run_index(repo, store, settings, quiet=not interactive())
        collected = [] if dry_run else _collect(store, settings)
        if batch and not dry_run:
            with open_batches(settings, os.environ) as api:
                assert api is not None  # the key was checked
                report = _sleep_in_batch(repo, store, settings, api)
        else:
            with open_model("sleep", settings, os.environ, recorder=StoreRecorder(store)) as model:
                report = _sleep_with(repo, store, settings, model, dry_run)
        still_there(store)
        return {**report, "collected": collected}


def _collect(store: Store, settings: Settings) -> list[dict[str, Any]]:
    """Poll the store's open batches once (nothing without a key or without any)."""
    from swe_agent.llm.factory import open_batches
    from swe_agent.sleep.batched import collect
    from swe_agent.store.batches import unfinished

    if not unfinished(store):
        return []
    with open_batches(settings, os.environ) as api:
        if api is None:
            return []
        try:
            return [c.as_dict() for c in collect(api, store)]
        except SweAgentError as exc:
            typer.echo(f"warning: sleep-time batches not polled: {exc}", err=True)
            return []


def _sleep_in_batch(
    repo: GitRepo, store: Store, settings: Settings, api: ClaudeBatches
) -> dict[str, Any]:
    from swe_agent.sleep.batched import sleep_in_batch

    budget = settings.sleep_budget_for(api)
    return sleep_in_batch(repo, store, api, budget=budget, level=settings.sleep_level)


def _sleep_with(
    repo: GitRepo, store: Store, settings: Settings, model: Model | None, dry_run: bool
) -> dict[str, Any]:
    from swe_agent.sleep import run_sleep

    budget = settings.sleep_budget_for(model)
    level = settings.sleep_level
    if dry_run or not interactive():
        return run_sleep(
            repo, store, model=model, budget=budget, level=level, dry_run=dry_run
        ).as_dict()
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(
        TextColumn("sleeping"), BarColumn(), TextColumn("{task.description}"), transient=True
    ) as bar:
        task = bar.add_task("", total=None)
        spent = "model tokens" if model is not None else "tokens of notes"

        def progress(notes: int, tokens: int, files: int, planned: int) -> None:
            bar.update(
                task,
                completed=files,
                total=planned or None,
                description=f"{files:,} of {planned:,} files, {notes:,} notes, {tokens:,} {spent}",
            )

        return run_sleep(
            repo, store, model=model, budget=budget, level=level, progress=progress
        ).as_dict()


def _sleep_text(r: dict[str, Any], dry_run: bool) -> str:
    mode = (
        "offline (no ANTHROPIC_API_KEY: notes made by static analysis)"
        if r["mode"] == "offline"
        else r["mode"]
    )
    if dry_run:
        total = sum(p["estimated_tokens"] for p in r["planned"])
        lines = [
            f"plan ({mode}, level {r['level']}): {len(r['planned'])} files, about {total:,} tokens "
            f"against a budget of {r['budget']:,}"
        ]
        lines += [
            f"  {p['path']}  priority {p['priority']}, {p['definitions']} definitions, ~{p['estimated_tokens']} tokens"
            for p in r["planned"][:30]
        ]
        return "\n".join(lines)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(r["notes_by_kind"].items())) or "none"
    if r["mode"] == "offline":  # no model ran: the budget counts the notes' own length
        spent = (
            f"no model tokens; notes {r['tokens_spent']:,} tokens long, of {r['budget']:,} allowed"
        )
    elif r.get("batch") is not None:  # the bill comes with the results
        spent = f"about {r['batch']['estimated_tokens']:,} of {r['budget']:,} model tokens sent"
    else:
        spent = f"model tokens spent {r['tokens_spent']:,} of {r['budget']:,}"
    lines = [
        f"sleep-time {mode}, level {r['level']}: {r['notes_written']} notes ({kinds}) in {r['seconds']:.1f}s",
        f"files analysed {r['files_done']:,} of {r['files_pending']:,}; {spent}",
    ]
    if r["dropped_stale"]:
        lines.append(f"dropped {r['dropped_stale']} stale notes")
    if r["yielded"]:
        lines.append("stopped early to serve a question; the next run goes on")
    return "\n".join(lines + _batch_lines(r))


def _batch_lines(r: dict[str, Any]) -> list[str]:
    from swe_agent.sleep.batched import describe, submitted

    lines = [describe(c) for c in r.get("collected") or ()]
    sent = r.get("batch")
    if sent and (sent["id"] or sent["error"]):
        lines.append(submitted(sent))
        if sent["id"]:
            lines.append(
                "its notes are written when it ends (usually within the hour, at most 24 h): "
                "the daemon collects them, or the next `swe-agent sleep`; "
                "`swe-agent status` shows it pending"
            )
    elif sent is not None:
        lines.append("no batch submitted: no file needed new notes")
    return lines


def notes(
    target: Annotated[
        str | None, typer.Argument(help="A path or a symbol (name or Class.method).")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--search", "-s", help="Search the notes with BM25.")
    ] = None,
    stale: Annotated[bool, typer.Option(help="Include stale notes.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "-n",
            min=1,
            help="How many notes at most. \\[default: 20 as text, all as --json; with -s 20]",
            show_default=False,
        ),
    ] = None,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """List sleep-time notes, for a path or a symbol, or search them."""
    from swe_agent.watch.client import run_query

    repo = open_repo(repo_dir)
    settings_for(repo.root)  # a broken config is refused here as by index
    if query:
        rows = run_query(repo.root, "search_notes", query=query, k=limit or NOTES_SHOWN)
    else:
        rows = run_query(repo.root, "list_notes", target=target, include_stale=stale)
    if as_json:
        emit_json(rows[:limit] if limit else rows)
        return
    if not rows:
        typer.echo(
            "no notes yet: run `swe-agent sleep`" if not target and not query else "no notes match"
        )
    shown = limit or NOTES_SHOWN
    lines = []
    for n in rows[:shown]:
        where = f"{n['path']}{'::' + n['symbol'] if n['symbol'] else ''}" or "(repository)"
        flag = " [stale]" if n.get("stale") else ""
        lines.append(f"[{n['kind']}] {where}{flag}\n  {n['title']}\n  {n['body'][:300]}")
    if len(rows) > shown:
        lines.append(
            f"… {len(rows) - shown:,} more notes: -n {len(rows)} shows them all, or narrow with a path, "
            "a symbol or -s QUERY"
        )
    _page("\n".join(lines))


def _page(text: str) -> None:
    """Through $PAGER (less by default) when a person reads more than a screen, as git does."""
    import shutil
    import sys

    if not text:
        return
    if sys.stdout.isatty() and text.count("\n") + 1 > shutil.get_terminal_size().lines:
        import click

        click.echo_via_pager(text)
    else:
        typer.echo(text)
