"""The code-search bench's output for people: NDCG@10 tables per system (overall, by category,
by language, by repository) and a PNG of bars by category and by language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from swe_agent.bench.paired import search_pairs
from swe_agent.bench.report import PLOT_MISSING, paired_text, table
from swe_agent.bench.search_run import ask_system
from swe_agent.bench.search_score import summarize


def systems_of(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["system"] for r in rows))


def summaries(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each system's summary, in the order the systems first appear."""
    return {s: summarize([r for r in rows if r["system"] == s]) for s in systems_of(rows)}


def _ndcg(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f}"


def _by(summary: dict[str, dict[str, Any]], field: str, heading: str) -> str:
    systems = list(summary)
    keys = list(dict.fromkeys(k for s in systems for k in summary[s][field]))
    rows = [{heading: k, **{s: _ndcg(summary[s][field].get(k)) for s in systems}} for k in keys]
    return table(rows, [(heading, heading), *((s, s) for s in systems)])


PAIRED_COLUMNS = (
    ("system", "system"), ("pairs", "queries"), ("base", "base"), ("other", "system"),
    ("difference", "difference"), ("interval", "95% CI"), ("better", "better"), ("worse", "worse"),
)  # fmt: skip


def paired_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every `ask` level against `ask L0`, or, without it, every system against `search`."""
    systems = systems_of(rows)
    base = ask_system(0) if ask_system(0) in systems else "search"
    return search_pairs(rows, base) if base in systems else []


def sleep_cost(repos: list[dict[str, Any]]) -> str:
    """Offline sleep cost per level, summed over the repositories, in CPU seconds."""
    levels = sorted({lv for r in repos for lv in r.get("sleep", {})}, key=int)
    parts = []
    for lv in levels:
        done = [r["sleep"][lv] for r in repos if lv in r.get("sleep", {})]
        cpu = sum(d.get("cpu_seconds") or 0.0 for d in done)
        wall = sum(d.get("seconds") or 0.0 for d in done)
        notes = sum(d.get("notes") or 0 for d in done)
        parts.append(f"level {lv}: {cpu:.1f} CPU s ({wall:.1f} s wall), {notes:,} notes")
    return ("Sleep over " + f"{len(repos)} repositories: " + "; ".join(parts)) if parts else ""


def report_text(
    summary: dict[str, dict[str, Any]],
    repos: list[dict[str, Any]],
    rows: list[dict[str, Any]] | None = None,
) -> str:
    systems = list(summary)
    overall = [{"what": "NDCG@10", **{s: _ndcg(summary[s]["ndcg10"]) for s in systems}}]
    per_repo = [
        {**r, **{s: _ndcg(summary[s]["by_repo"].get(r["repo"])) for s in systems}} for r in repos
    ]
    repo_columns = [
        ("repo", "repo"), ("language", "language"), ("queries", "queries"), ("chunks", "chunks"),
        ("index_seconds", "index s"), ("search_p50_ms", "p50 ms"), *((s, s) for s in systems),
    ]  # fmt: skip
    first = next(iter(summary.values()), {"repos": 0, "queries": 0})
    pairs = paired_of(rows or [])
    sleep = sleep_cost(repos)
    return "\n\n".join([*(["Paired against " + pairs[0]["base_system"] + " on the same queries, NDCG@10 "
                            "(mean of per-repository mean differences, bootstrap 95% CI within repositories)\n"
                            + paired_text(pairs, PAIRED_COLUMNS)] if pairs else []),
        *([sleep] if sleep else []),
        f"NDCG@10, mean of per-repository means ({first['repos']} repositories, {first['queries']} queries)",
        table(overall, [("what", ""), *((s, s) for s in systems)]),
        "By category\n" + _by(summary, "by_category", "category"),
        "By language\n" + _by(summary, "by_language", "language"),
        "By repository\n" + table(per_repo, repo_columns),
    ])  # fmt: skip


def plot(summary: dict[str, dict[str, Any]], path: Path) -> str:
    """Bars of NDCG@10 per system, by category and by language; one line saying what happened."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return PLOT_MISSING
    systems = list(summary)
    languages = sorted({k for s in systems for k in summary[s]["by_language"]})
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(4 + 0.55 * len(languages) * max(1, len(systems)) / 2, 4.5),
        gridspec_kw={"width_ratios": [1, max(1, len(languages) / 3)]},
    )  # fmt: skip
    for axes, field, title in (
        (left, "by_category", "by category"),
        (right, "by_language", "by language"),
    ):
        keys = (
            ["all"] + sorted({k for s in systems for k in summary[s][field]})
            if field == "by_category"
            else languages
        )
        width = 0.8 / max(1, len(systems))
        for i, system in enumerate(systems):
            values = [
                summary[system]["ndcg10"] if k == "all" else summary[system][field].get(k) or 0
                for k in keys
            ]
            axes.bar([x + i * width for x in range(len(keys))], values, width, label=system)
        axes.set_xticks(
            [x + width * (len(systems) - 1) / 2 for x in range(len(keys))],
            keys,
            rotation=45,
            ha="right",
        )
        axes.set(
            title=f"NDCG@10 {title}",
            ylim=(0, 1),
            xlim=(-0.5, len(keys) - 0.5 + width * (len(systems) - 1)),
        )
    left.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return f"plot written to {path}"
