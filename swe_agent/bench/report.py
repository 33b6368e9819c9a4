"""The bench's output for people: tables on the terminal, and a PNG of the Pareto and
amortization curves (matplotlib is the optional extra `plot`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

PLOT_MISSING = "no plot: matplotlib is not installed (pip install 'swe-agent[plot]')"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """Rows as an aligned text table; columns are (key, heading)."""
    cells = [[heading for _, heading in columns]]
    cells += [[_cell(r.get(key)) for key, _ in columns] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


LEVEL_COLUMNS = (
    ("level", "level"), ("note_kinds", "notes read"), ("tasks", "tasks"), ("file@1", "file@1"), ("file@5", "file@5"),
    ("file@10", "file@10"), ("function@1", "func@1"), ("function@5", "func@5"),
    ("test_time_tokens", "test tokens"), ("sleep_tokens", "sleep tokens"),
    ("seconds", "s/question"), ("cpu_seconds", "cpu s/question"), ("sleep_seconds", "sleep s"),
    ("sleep_cpu_seconds", "sleep cpu s"),
)  # fmt: skip
PAIRED_COLUMNS = (
    ("level", "level"), ("note_kinds", "notes read"), ("measure", "measure"), ("pairs", "tasks"), ("base", "level 0"),
    ("other", "level"), ("difference", "difference"), ("interval", "95% CI"),
    ("better", "better"), ("worse", "worse"),
)  # fmt: skip


def paired_text(
    pairs: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]] = PAIRED_COLUMNS
) -> str:
    """The paired differences as a table, each with its bootstrap interval."""
    rows = [{**p, "interval": f"[{p['ci_low']:+.3f}, {p['ci_high']:+.3f}]",
             "difference": f"{p['difference']:+.3f}"} for p in pairs]  # fmt: skip
    return table(rows, columns)


CALIBRATION_COLUMNS = (
    ("level", "level"), ("bin", "confidence"), ("tasks", "tasks"), ("confidence", "mean"),
    ("file@1", "file@1"), ("function@5", "func@5"), ("test_time_tokens", "test tokens"),
)  # fmt: skip
LANGUAGE_COLUMNS = (
    ("level", "level"), ("language", "language"), ("tasks", "tasks"), ("confidence", "confidence"),
    ("file@1", "file@1"), ("over", "over"), ("ece", "ECE"),
)  # fmt: skip
PARETO_COLUMNS = (
    ("level", "level"), ("context_budget", "budget"), ("max_steps", "steps"),
    ("test_time_tokens", "test tokens"), ("file@1", "file@1"), ("file@5", "file@5"), ("function@5", "func@5"),
)  # fmt: skip
NAIVE_COLUMNS = (
    ("level", "level"), ("both_hit", "both hit"), ("naive_file@10", "naive file@10"),
    ("naive_tokens_median", "naive tokens (median)"), ("tokens_median", "agent tokens (median)"),
    ("ratio_of_sums", "ratio of sums"), ("ratio_median", "median ratio"),
)  # fmt: skip


def report_text(summary: dict[str, Any], repos: Sequence[dict[str, Any]], mode: str) -> str:
    parts = [f"localization ({mode}); main budget per question, sleep tokens summed over {len(repos)} repositories",
             table(summary["by_level"], LEVEL_COLUMNS)]  # fmt: skip
    if len({(p["context_budget"], p["max_steps"]) for p in summary["pareto"]}) > 1:
        parts += [
            "",
            "accuracy vs test-time tokens (Pareto)",
            table(summary["pareto"], PARETO_COLUMNS),
        ]
    if summary.get("paired"):
        parts += ["", "paired, each level against level 0 on the same tasks (bootstrap 95% CI)",
                  paired_text(summary["paired"])]  # fmt: skip
    if summary.get("calibration"):
        parts += ["", "calibration: answers by their confidence, and what they reached",
                  table(summary["calibration"], CALIBRATION_COLUMNS)]  # fmt: skip
    if summary.get("calibration_by_language"):
        parts += ["", "calibration by language of the gold files (over: mean confidence - file@1; "
                  "ECE: expected calibration error, 10 bins)",
                  table(summary["calibration_by_language"], LANGUAGE_COLUMNS)]  # fmt: skip
    parts += ["", "cost per query, n questions on one repository (sleep tokens once + w x test tokens)",
              amortization_text(summary["amortization"])]  # fmt: skip
    for p in summary["predictability"]:
        thirds = ", ".join(f"{t['third']} (sim<={t['similarity_max']}): rr {t['gain_rr']:+.2f}, "
                           f"func@5 {t['gain_function5']:+.2f}, tokens {t['tokens_saved']:+,}" for t in p["thirds"])  # fmt: skip
        parts += ["", f"predictability, level {p['level']} vs 0 over {p['tasks']} tasks: Spearman(similarity, gain) "
                  f"rr {_cell(p['spearman_similarity_gain_rr'])}, func@5 {_cell(p['spearman_similarity_gain_function5'])}, "
                  f"tokens saved {_cell(p['spearman_similarity_tokens_saved'])}; by thirds of similarity: {thirds}"]  # fmt: skip
    parts += [
        "",
        "naive reader (top BM25 files read whole until a gold file)",
        table(summary["naive"], NAIVE_COLUMNS),
    ]
    indexing = ", ".join(
        f"{r['source']} {r['files']} files {r['index_seconds']:.1f}s" for r in repos
    )
    parts += ["", f"indexed: {indexing}"]
    return "\n".join(parts)


def amortization_text(rows: Sequence[dict[str, Any]]) -> str:
    levels = sorted({r["level"] for r in rows})
    lines = []
    for weight in sorted({r["weight"] for r in rows}):
        for level in levels:
            mine = sorted(
                (r for r in rows if r["level"] == level and r["weight"] == weight),
                key=lambda r: r["queries"],
            )
            cells = "  ".join(
                f"n={r['queries']}: {r['cost_per_query']:,}" + (f" ({r['vs_level_0']:.2f}x)" if r["vs_level_0"] and level else "")
                for r in mine
            )  # fmt: skip
            lines.append(f"  w={weight:<2} level {level}: {cells}")
    for label, value, ratio in (
        ("wall", "seconds_per_query", "seconds_vs_level_0"),
        ("cpu ", "cpu_per_query", "cpu_vs_level_0"),
    ):
        for level in levels:
            mine = sorted(
                (r for r in rows if r["level"] == level and r["weight"] == 1),
                key=lambda r: r["queries"],
            )
            cells = "  ".join(
                f"n={r['queries']}: {r.get(value) or 0:.2f}s"
                + (f" ({r[ratio]:.2f}x)" if r.get(ratio) and level else "")
                for r in mine
            )
            lines.append(f"  {label}  level {level}: {cells}")
    return "\n".join(lines)


def plot(summary: dict[str, Any], path: Path, mode: str = "offline") -> str:
    """Draw the Pareto and amortization curves into a PNG; a one-line message of what happened."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return PLOT_MISSING
    fig = figure(summary, mode)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return f"plot written to {path}"


def figure(summary: dict[str, Any], mode: str) -> Any:
    """The two panels, every axis from 0, with the number of questions and the mode on top."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6))
    levels = sorted(
        {p["level"] for p in summary["pareto"]} | {r["level"] for r in summary["amortization"]}
    )
    colour = {level: f"C{i}" for i, level in enumerate(levels)}
    _pareto(left, summary["pareto"], colour)
    _amortization(right, summary["amortization"], colour, offline=mode == "offline")
    n = max((r["tasks"] for r in summary["by_level"]), default=0)
    fig.suptitle(f"{n} questions · {mode}", fontsize=10)
    fig.tight_layout()
    return fig


def _pareto(ax: Any, pareto: Sequence[dict[str, Any]], colour: dict[int, str]) -> None:
    for level in sorted({p["level"] for p in pareto}):
        points = sorted(
            (p for p in pareto if p["level"] == level), key=lambda p: p["test_time_tokens"]
        )
        xs = [p["test_time_tokens"] for p in points]
        label = f"level {level}" + (" (no notes)" if level == 0 else "")
        ax.plot(
            xs,
            [p["file@5"] or 0 for p in points],
            marker="o",
            color=colour[level],
            label=f"{label} file@5",
        )
        ax.plot(
            xs,
            [p["function@5"] or 0 for p in points],
            marker="x",
            linestyle="--",
            color=colour[level],
            label=f"{label} func@5",
        )
        for p in points:  # which budget made the point: main-context tokens / steps
            ax.annotate(
                f"{p['context_budget'] // 1000}k/{p['max_steps']}",
                (p["test_time_tokens"], p["file@5"] or 0),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=6,
                color=colour[level],
            )
    ax.set(
        title="Accuracy vs test-time tokens (labels: budget tokens/steps)",
        xlabel="mean test-time tokens per question",
        ylabel="accuracy",
    )
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.legend(fontsize=7)


def _amortization(
    ax: Any, rows: Sequence[dict[str, Any]], colour: dict[int, str], *, offline: bool
) -> None:
    """Cost per question when n share one repository's sleep-time work: model tokens with a
    model; offline, where sleep costs CPU and no tokens, wall seconds."""
    weights = ((1, ":"),) if offline else ((10, "-"), (1, ":"))
    key = "seconds_per_query" if offline else "cost_per_query"
    for level in sorted({r["level"] for r in rows}):
        for weight, style in weights:
            mine = sorted((r for r in rows if r["level"] == level and r["weight"] == weight),
                          key=lambda r: r["queries"])  # fmt: skip
            suffix = "" if offline else f", test x{weight}"
            ax.plot(
                [r["queries"] for r in mine],
                [r[key] for r in mine],
                linestyle=style,
                marker="o",
                color=colour.get(level),
                label=f"level {level}{suffix}",
            )
    unit = (
        "wall seconds per question (sleep once + questions)"
        if offline
        else "model tokens per question"
    )
    ax.set(title="Amortization", xlabel="questions per repository", ylabel=unit, xscale="log")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7)
