"""Commands of the foreground agent: ask, task, sessions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from swe_agent.agent.request import Answer, AskRequest
    from swe_agent.repo.gitrepo import GitRepo

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
SessionOption = Annotated[
    str | None,
    typer.Option(
        "--session",
        help="Follow up in this session (ids from `swe-agent sessions`).",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="The Claude model to answer with (default from settings).",
        show_default=False,
    ),
]
OfflineFlag = Annotated[
    bool, typer.Option("--offline", help="Use the offline policy even with an API key.")
]


def register(app: typer.Typer) -> None:
    for command in (ask, task, sessions):
        app.command()(command)


def ask(
    question: Annotated[str, typer.Argument(help="A question about the repository.")],
    continue_: ContinueFlag = False,
    session: SessionOption = None,
    stats: StatsFlag = False,
    budget: BudgetOption = None,
    steps: StepsOption = None,
    no_notes: NoNotesFlag = False,
    offline: OfflineFlag = False,
    model: ModelOption = None,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Answer a question with ranked, cited locations (indexes the repository first if needed)."""
    from swe_agent.agent.request import AskRequest

    request = AskRequest(
        question, "question", continue_last=continue_, session_id=session, use_notes=not no_notes,
        offline=offline, context_budget=budget, max_steps=steps, model=model,
    )  # fmt: skip
    _show(_answer(repo_dir, request), as_json=as_json, stats=stats)


def task(
    file: Annotated[str, typer.Argument(help="A file with the issue's text, or - for stdin.")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Apply the proposed patch after `git apply --check`.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --apply: also over uncommitted changes.")
    ] = False,
    continue_: ContinueFlag = False,
    session: SessionOption = None,
    stats: StatsFlag = False,
    budget: BudgetOption = None,
    steps: StepsOption = None,
    no_notes: NoNotesFlag = False,
    offline: OfflineFlag = False,
    model: ModelOption = None,
    repo_dir: RepoOption = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Work on an issue: explanation, ranked locations and, with Claude, a proposed patch."""
    from swe_agent.agent.request import AskRequest

    text = _read_task(file)
    request = AskRequest(
        text, "task", continue_last=continue_, session_id=session, use_notes=not no_notes,
        offline=offline, context_budget=budget, max_steps=steps, model=model,
    )  # fmt: skip
    result = _answer(repo_dir, request)
    if apply:
        from swe_agent.agent.patch import apply_patch

        changed = apply_patch(open_repo(repo_dir), result.patch, force=force)
        typer.echo(f"applied the patch to {', '.join(changed)}", err=True)
    _show(result, as_json=as_json, stats=stats)


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


def _answer(repo_dir: Path, request: AskRequest) -> Answer:
    """Answer through the daemon when one serves the repository, else here."""
    from swe_agent.agent.request import Answer
    from swe_agent.watch import client

    repo = open_repo(repo_dir)
    answered, result = client.try_query(repo.root, "ask", request.to_json())
    if answered:
        return Answer.from_json(result)
    return _answer_here(repo, request)


def _answer_here(repo: GitRepo, request: AskRequest) -> Answer:
    """Index first, then answer; the store is let go of around every model call."""
    import os

    from swe_agent.agent.answering import answer, session_for
    from swe_agent.llm.factory import open_model
    from swe_agent.store.calls import StoreRecorder
    from swe_agent.store.db import open_store

    settings = settings_for(repo.root)
    with open_store(repo.root, create=True) as store:
        first = store.meta("indexed_at") is None
        if first:
            typer.echo(f"no index yet: indexing {repo.root} first", err=True)
        run_index(repo, store, settings, quiet=not first)
        request = session_for(store, request)
        recorder = StoreRecorder(store)
        with open_model(
            "foreground", settings, os.environ, recorder=recorder,
            session_id=request.session_id, offline=request.offline, name=request.model,
        ) as model:  # fmt: skip
            return answer(request, store, repo, settings, model, pause=store.released)


def _show(result: Answer, *, as_json: bool, stats: bool) -> None:
    from swe_agent.commands.render import answer_text, stats_text

    if as_json:
        emit_json(result.to_json(ledger=stats))
        if stats:
            typer.echo(stats_text(result.to_json()), err=True)
        return
    typer.echo(answer_text(result.to_json(ledger=False)))
    if stats:
        typer.echo(stats_text(result.to_json()))


def _turns(n: int) -> str:
    return f"{n} turn" if n == 1 else f"{n} turns"
