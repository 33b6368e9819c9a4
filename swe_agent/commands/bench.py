"""Commands of the bench part: `swe-agent bench localize`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from swe_agent.commands.common import JsonFlag, emit_json

DEFAULT_WORKDIR = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "swe-agent" / "bench"
)
PARETO_BUDGETS = "4000:4,8000:8"  # points of the Pareto curve besides the settings' budget

NoteKinds = Annotated[
    str | None,
    typer.Option(
        help="Kinds of notes the agent reads at levels above 0, e.g. summary,question \\[default: every kind]."
    ),
]

bench_app = typer.Typer(
    help="Measure localization accuracy and tokens, with and without notes.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")


@bench_app.command()
def localize(
    tasks: Annotated[
        Path, typer.Option("--tasks", help="A .jsonl file of tasks (dev or SWE-bench format).")
    ],
    workdir: Annotated[
        Path, typer.Option(help="Where projects, repositories and indexes are cached.")
    ] = DEFAULT_WORKDIR,
    levels: Annotated[
        str, typer.Option(help="Sleep levels to compare; 0 is no notes.")
    ] = "0,1,2,3",
    snapshots: Annotated[
        Path | None,
        typer.Option(help="Folder of git snapshots, one per OWNER+NAME, for SWE-bench tasks."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Run only the first N tasks.", min=1)] = None,
    budgets: Annotated[
        str,
        typer.Option(
            help="More foreground budgets TOKENS:STEPS for the Pareto curve; '' for none."
        ),
    ] = PARETO_BUDGETS,
    sleep_budget: Annotated[
        int | None,
        typer.Option(
            help="Sleep-time tokens per repository and level \\[default: 200,000 model tokens; offline 5,000,000, the whole repository]."
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="No model even with an API key.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Write the Pareto and amortization curves to this PNG.")
    ] = None,
    note_kinds: Annotated[
        str | None,
        typer.Option(
            help="Kinds of notes the agent reads at levels above 0, e.g. summary,question; "
            "several sets separated by ';' are each answered after one sleep \\[default: every kind]."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Index, sleep at each level, ask each task's question, and score the ranked locations."""
    import time

    from swe_agent.bench.measures import all_measures
    from swe_agent.bench.report import plot as draw
    from swe_agent.bench.report import report_text
    from swe_agent.bench.run import BenchConfig, Budget, parse_budgets, parse_levels, run_bench
    from swe_agent.bench.tasks import load_tasks
    from swe_agent.config import load_settings, override
    from swe_agent.config import note_kinds as checked_kinds

    settings = override(
        load_settings(None), sleep_budget=sleep_budget, offline_sleep_budget=sleep_budget
    )
    variants = tuple(dict.fromkeys(v.strip() for v in (note_kinds or "").split(";"))) or ("",)
    for variant in variants:
        checked_kinds(variant)
    main = Budget(settings.context_budget, settings.max_steps)
    config = BenchConfig(
        workdir=workdir.expanduser().resolve(),
        levels=parse_levels(levels),
        budgets=tuple(dict.fromkeys((main, *parse_budgets(budgets)))),
        snapshots=snapshots.expanduser().resolve() if snapshots else None,
        offline=offline or not os.environ.get("ANTHROPIC_API_KEY", "").strip(),
        note_variants=variants,
    )
    loaded = load_tasks(tasks, limit)
    started = time.perf_counter()
    outcome = run_bench(
        loaded, config, settings, os.environ, log=lambda line: typer.echo(line, err=True)
    )
    mode = (
        "offline"
        if config.offline
        else f"claude ({settings.foreground_model}, sleep {settings.sleep_model})"
    )
    summary = all_measures(outcome["results"], outcome["repos"])
    if plot:
        typer.echo(draw(summary, plot, mode), err=True)
    if as_json:
        emit_json({
            "mode": mode, "tasks_file": str(tasks), "levels": list(config.levels), "note_kinds": list(variants),
            "budgets": [b.label for b in config.budgets], "main_budget": main.label,
            "wall_seconds": round(time.perf_counter() - started, 3), "summary": summary, **outcome,
        })  # fmt: skip
        return
    typer.echo(report_text(summary, outcome["repos"], mode))
    typer.echo(f"wall time {time.perf_counter() - started:.1f}s")


@bench_app.command()
def search(
    suite: Annotated[
        Path,
        typer.Option(help="A suite in semble's format: a folder with repos.json and annotations/."),
    ],
    repos: Annotated[
        str | None, typer.Option(help="Repositories to run, by name, comma-separated.")
    ] = None,
    repos_file: Annotated[
        Path | None,
        typer.Option(help="A file naming the repositories to run, one a line (first column)."),
    ] = None,
    snapshots: Annotated[
        Path | None, typer.Option(help="Folder of git snapshots, one per OWNER+NAME.")
    ] = None,
    workdir: Annotated[
        Path, typer.Option(help="Where checkouts and indexes are kept.")
    ] = DEFAULT_WORKDIR.with_name("bench-search"),
    ask: Annotated[
        bool, typer.Option("--ask", help="Also score the offline `ask`'s ranked locations.")
    ] = False,
    level: Annotated[
        str, typer.Option(help="With --ask: sleep levels before asking, e.g. 0,2; 0 is no notes.")
    ] = "2",
    limit: Annotated[
        int | None, typer.Option(help="Only the first N queries of each repository.", min=1)
    ] = None,
    skip_missing: Annotated[
        bool,
        typer.Option(
            "--skip-missing", help="Leave out repositories without a usable snapshot, and say so."
        ),
    ] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Write bars by category and language to this PNG.")
    ] = None,
    note_kinds: NoteKinds = None,
    as_json: JsonFlag = False,
) -> None:
    """Score `search` (and the offline `ask`) on a code-search suite with semble's protocol."""
    import time

    from swe_agent.bench.run import parse_levels
    from swe_agent.bench.search_report import paired_of, report_text, summaries
    from swe_agent.bench.search_report import plot as draw
    from swe_agent.bench.search_run import SearchBenchConfig, locate, run_suite
    from swe_agent.bench.semble import choose, load_specs, read_names_file
    from swe_agent.config import load_settings, override
    from swe_agent.config import note_kinds as checked_kinds
    from swe_agent.errors import SweAgentError

    names = [n.strip() for n in (repos or "").split(",") if n.strip()]
    names += read_names_file(repos_file) if repos_file else []
    chosen = choose(load_specs(suite), names)
    config = SearchBenchConfig(
        suite=suite, workdir=workdir.expanduser().resolve(),
        snapshots=snapshots.expanduser().resolve() if snapshots else None,
        levels=parse_levels(level) if ask else (), limit=limit,
    )  # fmt: skip
    found, missing = locate(chosen, config.snapshots)
    if missing and (not skip_missing or not found):
        first = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        hint = first["hint"] + ("" if skip_missing else ", or leave it out with --skip-missing")
        raise SweAgentError(first["reason"] + more, hint)
    for m in missing:
        typer.echo(f"skipped {m['reason']}", err=True)
    started = time.perf_counter()
    settings = override(load_settings(None), note_kinds=note_kinds)
    checked_kinds(settings.note_kinds)
    outcome = run_suite(found, config, settings, log=lambda line: typer.echo(line, err=True))
    summary = summaries(outcome["results"])
    if plot:
        typer.echo(draw(summary, plot), err=True)
    wall = round(time.perf_counter() - started, 1)
    if as_json:
        emit_json({"suite": str(suite), "wall_seconds": wall, "skipped": missing,
                   "summary": summary, "paired": paired_of(outcome["results"]), **outcome})  # fmt: skip
        return
    typer.echo(report_text(summary, outcome["repos"], outcome["results"]))
    typer.echo(f"wall time {wall}s")
