"""Commands of the foreground agent: ask, task, sessions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from swe_agent.commands.common import (
    JsonFlag,
    RepoOption,
    emit_json,
    open_repo,
    run_index,
    settings_for,
)
from swe_agent.errors import SweAgentError

ContinueFlag = Annotated[bool, typer.Option("--continue", help="Resume the last session.")]
StatsFlag = Annotated[bool, typer.Option("--stats", help="Show the token ledger of this answer.")]
BudgetOption = Annotated[
    int | None, typer.Option("--budget", help="Tokens of main context (default from settings).", show_default=False)
]
StepsOption = Annotated[
    int | None, typer.Option("--steps", help="Most model steps for this answer.", show_default=False)
]
NoNotesFlag = Annotated[bool, typer.Option("--no-notes", help="Do not use sleep-time notes.")]
OfflineFlag = Annotated[bool, typer.Option("--offline", help="Use the offline policy even with an API key.")]


def register(app: typer.Typer) -> None:
    for command in (ask, task, sessions):
        app.command()(command)


def ask(
    question: Annotated[str, typer.Argument(help="A question about the repository.")],
    continue_: ContinueFlag = False,
    stats: StatsFlag = False,
    budget: BudgetOption = None,
    steps: StepsOption = None,
    no_notes: NoNotesFlag = False,
    offline: OfflineFlag = False,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Answer a question with ranked, cited locations (indexes the repository first if needed)."""
    options = dict(continue_last=continue_, budget=budget, steps=steps, use_notes=not no_notes, offline=offline)
    result, ledger = _answer(repo_dir, question, "question", **options, want_stats=stats)
    _show(result, ledger, as_json=as_json, stats=stats)


def task(
    file: Annotated[str, typer.Argument(help="A file with the issue's text, or - for stdin.")],
    apply: Annotated[bool, typer.Option("--apply", help="Apply the proposed patch after `git apply --check`.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --apply: also over uncommitted changes.")] = False,
    continue_: ContinueFlag = False,
    stats: StatsFlag = False,
    budget: BudgetOption = None,
    steps: StepsOption = None,
    no_notes: NoNotesFlag = False,
    offline: OfflineFlag = False,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Work on an issue: explanation, ranked locations and, with Claude, a proposed patch."""
    text = _read_task(file)
    options = dict(continue_last=continue_, budget=budget, steps=steps, use_notes=not no_notes, offline=offline)
    result, ledger = _answer(repo_dir, text, "task", **options, want_stats=stats)
    if apply:
        from swe_agent.agent.patch import apply_patch

        repo = open_repo(repo_dir)
        changed = apply_patch(repo.root, result["patch"], repo.dirty_files(), force=force)
        typer.echo(f"applied the patch to {', '.join(changed)}", err=True)
    _show(result, ledger, as_json=as_json, stats=stats)


def sessions(
    limit: Annotated[int, typer.Option("-n", help="How many sessions.")] = 20,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """List the agent's sessions, newest first; resume the last with `ask --continue`."""
    from swe_agent.store import sessions as table
    from swe_agent.store.db import open_store

    repo = open_repo(repo_dir)
    with open_store(repo.root, create=True) as store:
        rows = table.list_sessions(store, limit)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        typer.echo("no sessions yet: ask something with `swe-agent ask`")
    for r in rows:
        typer.echo(
            f"{r['id']}  {str(r['updated_at'])[:16]}  {r['mode']:<7}  {r['turns']} turns  "
            f"{r['input_tokens'] + r['output_tokens']:>7,} tokens  {r['title'][:60]}"
        )


def _read_task(file: str) -> str:
    if file == "-":
        text = sys.stdin.read()
    else:
        path = Path(file)
        if not path.is_file():
            raise SweAgentError(f"no such task file: {file}", "give a file with the issue's text, or - for stdin")
        text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise SweAgentError("the task is empty", "give the issue's text")
    return text


def _answer(
    repo_dir: Path, text: str, kind: str, *, continue_last: bool, budget: int | None, steps: int | None,
    use_notes: bool, offline: bool, want_stats: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from swe_agent.config import override

    if not text.strip():
        raise SweAgentError("the question is empty", "say what you want to know")
    if budget is not None and budget < 2000:
        raise SweAgentError(f"--budget {budget} is too small", "give at least 2000 tokens")
    if steps is not None and steps < 2:
        raise SweAgentError(f"--steps {steps} is too few", "give at least 2")
    repo = open_repo(repo_dir)
    settings = override(settings_for(repo.root), context_budget=budget, max_steps=steps)
    from swe_agent.watch import client

    request = {"question": text, "kind": kind, "continue_last": continue_last, "use_notes": use_notes,
               "offline": offline, "context_budget": settings.context_budget, "max_steps": settings.max_steps}
    answered, result = client.try_query(repo.root, "ask", request)
    if answered:
        return result, []
    return _answer_here(repo, text, kind, settings, continue_last=continue_last, use_notes=use_notes,
                        offline=offline, want_stats=want_stats)


def _answer_here(
    repo: Any, text: str, kind: str, settings: Any, *, continue_last: bool, use_notes: bool, offline: bool,
    want_stats: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    import os
    import uuid

    from swe_agent.agent import answer
    from swe_agent.store import sessions as table
    from swe_agent.store.db import open_store

    with open_store(repo.root, create=True) as store:
        first = store.meta("indexed_at") is None
        if first:
            typer.echo(f"no index yet: indexing {repo.root} first", err=True)
        run_index(repo, store, settings, quiet=not first)
        session_id = (table.last_session(store) if continue_last else None) or uuid.uuid4().hex[:12]
        model = None
        if not offline:
            from swe_agent.llm.factory import model_for
            from swe_agent.store.calls import StoreRecorder

            model = model_for("foreground", settings, os.environ, recorder=StoreRecorder(store), session_id=session_id)
        result = answer(store, repo, text, settings=settings, model=model, kind=kind, session_id=session_id,
                        use_notes=use_notes)
        ledger = table.ledger(store, result["session"]) if want_stats else []
        if want_stats:
            ledger = [r for r in ledger if r["turn"] == max(x["turn"] for x in ledger)]
            ledger.append({"totals": table.ledger_totals(store)})
    return result, ledger


def _show(result: dict[str, Any], ledger: list[dict[str, Any]], *, as_json: bool, stats: bool) -> None:
    from swe_agent.agent.render import answer_text, stats_text

    if as_json:
        emit_json(result)
        if stats:
            typer.echo(stats_text(result, ledger), err=True)
        return
    typer.echo(answer_text(result))
    if stats:
        typer.echo(stats_text(result, ledger))
