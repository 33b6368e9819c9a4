"""Commands of the foreground agent: ask, task, sessions."""

from __future__ import annotations

import sys
from dataclasses import dataclass
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
from swe_agent.errors import NoIndex, SweAgentError

ContinueFlag = Annotated[bool, typer.Option("--continue", help="Resume the last session.")]
StatsFlag = Annotated[bool, typer.Option("--stats", help="Show the token ledger of this answer.")]
BudgetOption = Annotated[
    int | None,
    typer.Option(
        "--budget", help="Tokens of main context (default from settings).", show_default=False
    ),
]
StepsOption = Annotated[
    int | None,
    typer.Option("--steps", help="Most model steps for this answer.", show_default=False),
]
NoNotesFlag = Annotated[bool, typer.Option("--no-notes", help="Do not use sleep-time notes.")]
OfflineFlag = Annotated[
    bool, typer.Option("--offline", help="Use the offline policy even with an API key.")
]


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
    ask_ = Ask("question", continue_, budget, steps, not no_notes, offline, stats)
    result, ledger = _answer(repo_dir, question, ask_)
    _show(result, ledger, as_json=as_json, stats=stats)


def task(
    file: Annotated[str, typer.Argument(help="A file with the issue's text, or - for stdin.")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Apply the proposed patch after `git apply --check`.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --apply: also over uncommitted changes.")
    ] = False,
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
    ask_ = Ask("task", continue_, budget, steps, not no_notes, offline, stats)
    result, ledger = _answer(repo_dir, text, ask_)
    if apply:
        from swe_agent.agent.patch import apply_patch

        repo = open_repo(repo_dir)
        changed = apply_patch(repo.root, result["patch"], repo.dirty_files(), force=force)
        typer.echo(f"applied the patch to {', '.join(changed)}", err=True)
    _show(result, ledger, as_json=as_json, stats=stats)


def sessions(
    limit: Annotated[int, typer.Option("-n", help="How many sessions.", min=1)] = 20,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """List the agent's sessions, newest first; resume the last with `ask --continue`."""
    from swe_agent.store import sessions as table
    from swe_agent.store.db import open_store

    repo = open_repo(repo_dir)
    settings_for(repo.root)  # a broken config is refused here as by index
    try:
        with open_store(repo.root, read_only=True) as store:
            rows = table.list_sessions(store, limit)
    except NoIndex:
        rows = []
    if as_json:
        emit_json(rows)
        return
    if not rows:
        typer.echo("no sessions yet: ask something with `swe-agent ask`")
    for r in rows:
        typer.echo(
            f"{r['id']}  {str(r['updated_at'])[:16]}  {r['mode']:<7}  {_turns(r['turns']):<9}  "
            f"{r['input_tokens'] + r['output_tokens']:>7,} tokens  {r['title'][:60]}"
        )


def _read_task(file: str) -> str:
    if file == "-":
        text = sys.stdin.read()
    else:
        from swe_agent.repo.gitrepo import is_secret

        path = Path(file)
        if not path.is_file():
            raise SweAgentError(
                f"no such task file: {file}", "give a file with the issue's text, or - for stdin"
            )
        if is_secret(path.name) or is_secret(path.resolve().name):
            raise SweAgentError(
                f"refused {file}: it looks like a secret, and its text would go to the model",
                "put the issue's text in another file, or pipe it with `task -`",
            )
        text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise SweAgentError("the task is empty", "give the issue's text")
    return text


@dataclass(frozen=True)
class Ask:
    """What one ask or task was asked to do, from its flags."""

    kind: str
    continue_last: bool = False
    budget: int | None = None
    steps: int | None = None
    use_notes: bool = True
    offline: bool = False
    stats: bool = False


def _answer(repo_dir: Path, text: str, ask: Ask) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer through the daemon when one serves the repository, else here."""
    from swe_agent.config import override
    from swe_agent.watch import client

    if not text.strip():
        raise SweAgentError("the question is empty", "say what you want to know")
    if ask.budget is not None and ask.budget < 2000:
        raise SweAgentError(f"--budget {ask.budget} is too small", "give at least 2000 tokens")
    if ask.steps is not None and ask.steps < 2:
        raise SweAgentError(f"--steps {ask.steps} is too few", "give at least 2")
    repo = open_repo(repo_dir)
    settings = override(settings_for(repo.root), context_budget=ask.budget, max_steps=ask.steps)
    request = {
        "question": text, "kind": ask.kind, "continue_last": ask.continue_last,
        "use_notes": ask.use_notes, "offline": ask.offline,
        "context_budget": settings.context_budget, "max_steps": settings.max_steps,
    }  # fmt: skip
    answered, result = client.try_query(repo.root, "ask", request)
    if answered:
        return result, []
    return _answer_here(repo, request, settings, ask.stats)


def _answer_here(
    repo: Any, request: dict[str, Any], settings: Any, stats: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    import os

    from swe_agent.agent import answer_request
    from swe_agent.store import sessions as table
    from swe_agent.store.db import open_store

    with open_store(repo.root, create=True) as store:
        first = store.meta("indexed_at") is None
        if first:
            typer.echo(f"no index yet: indexing {repo.root} first", err=True)
        run_index(repo, store, settings, quiet=not first)
        result = answer_request(store, repo, request, settings=settings, environ=os.environ)
        ledger: list[dict[str, Any]] = []
        if stats:
            turn = store.one("SELECT turns FROM agent_sessions WHERE id = ?", [result["session"]])
            ledger = table.ledger(store, result["session"], turn[0] if turn else None)
            ledger.append({"totals": table.ledger_totals(store)})
    return result, ledger


def _show(
    result: dict[str, Any], ledger: list[dict[str, Any]], *, as_json: bool, stats: bool
) -> None:
    from swe_agent.agent.render import answer_text, stats_text

    if as_json:
        emit_json(result)
        if stats:
            typer.echo(stats_text(result, ledger), err=True)
        return
    typer.echo(answer_text(result))
    if stats:
        typer.echo(stats_text(result, ledger))


def _turns(n: int) -> str:
    return f"{n} turn" if n == 1 else f"{n} turns"
