"""The paper's measures over the results of a run. Pure functions of the result rows.

A row is one answer: task, level, budget, `main` (the budget the table shows), the hits
(`file@k`, `function@k`, `file_rank`), `test_time_tokens`, `sleep_tokens` (of its source and
level), `naive` (the naive reader) and `anticipation` (levels above 0).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import mean, median
from typing import Any

from swe_agent.bench.paired import localize_pairs
from swe_agent.bench.score import FILE_KS, FUNCTION_KS, accuracy
from swe_agent.code.languages import language_for

Row = dict[str, Any]
QUERIES = (1, 2, 5, 10)
WEIGHTS = (1, 10)  # the paper weights test-time tokens 10x; unweighted too
METRICS = tuple(f"file@{k}" for k in FILE_KS) + tuple(f"function@{k}" for k in FUNCTION_KS)
CONFIDENCE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8)  # the lower edge of each bin; the last ends at 1
ECE_BINS = 10  # equal-width bins of the expected calibration error
# Languages by family: a confidence fitted mostly on Python is checked on each
FAMILIES = {
    "python": "python", "javascript": "js/ts", "typescript": "js/ts", "tsx": "js/ts",
    "c": "c/c++", "cpp": "c/c++", "java": "jvm", "kotlin": "jvm", "scala": "jvm",
    "rust": "rust", "go": "go",
}  # fmt: skip


def _rounded(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def summarize(rows: Sequence[Row]) -> dict[str, Any]:
    """Accuracies and mean tokens and seconds of some answers."""
    out: dict[str, Any] = {"tasks": len(rows)}
    for metric in METRICS:
        out[metric] = _rounded(accuracy([r.get(metric) for r in rows]))
    out["test_time_tokens"] = round(mean(r["test_time_tokens"] for r in rows)) if rows else 0
    out["seconds"] = _rounded(mean(r["seconds"] for r in rows)) if rows else 0.0
    cpu = [r["cpu_seconds"] for r in rows if r.get("cpu_seconds") is not None]
    out["cpu_seconds"] = _rounded(mean(cpu)) if cpu else None
    return out


def by_level(rows: Sequence[Row], repos: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table: one line per level at the main budget, with the sleep-time it cost."""
    lines = []
    for level, kinds in sorted({(r["level"], r.get("note_kinds") or "") for r in rows}):
        chosen = [
            r
            for r in rows
            if r["level"] == level and (r.get("note_kinds") or "") == kinds and r.get("main")
        ]
        levels = [repo["levels"].get(str(level), {}) for repo in repos]
        lines.append({
            "level": level, "notes": level > 0, "note_kinds": kinds, **summarize(chosen),
            "sleep_tokens": sum(x.get("tokens", 0) for x in levels),
            "sleep_seconds": round(sum(x.get("seconds", 0.0) for x in levels), 3),
            "sleep_cpu_seconds": round(sum(x.get("cpu_seconds", 0.0) for x in levels), 3),
        })  # fmt: skip
    return lines


def pareto(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Accuracy against mean test-time tokens, per level and foreground budget."""
    groups: dict[tuple[int, int, int], list[Row]] = defaultdict(list)
    for r in rows:
        groups[(r["level"], r["context_budget"], r["max_steps"])].append(r)
    return [
        {
            "level": level,
            "notes": level > 0,
            "context_budget": budget,
            "max_steps": steps,
            **summarize(group),
        }
        for (level, budget, steps), group in sorted(groups.items())
    ]


def amortization(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Cost per query when n questions hit the same repository: its sleep-time tokens once,
    shared by the n, plus w times the mean test-time tokens of its questions; averaged over
    sources. `vs_level_0` is the ratio to the cost without notes, when level 0 ran. The same
    in wall seconds (sleep once, then each answer) and in CPU seconds, the cost that counts
    offline, where the sleep-time "tokens" are those of the notes written and no model is paid."""
    per_source: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for r in rows:
        if r.get("main"):
            per_source[(r["level"], r["source"])].append(r)
    cost: dict[tuple[int, int, int], float] = {}
    seconds: dict[tuple[int, int], float] = {}
    cpu: dict[tuple[int, int], float] = {}
    for level in sorted({level for level, _ in per_source}):
        sources = [group for (lv, _), group in per_source.items() if lv == level]
        for n in QUERIES:
            seconds[(level, n)] = mean(
                g[0].get("sleep_seconds", 0.0) / n + mean(r["seconds"] for r in g) for g in sources
            )
            cpu[(level, n)] = mean(
                (g[0].get("sleep_cpu_seconds") or 0.0) / n
                + mean(r.get("cpu_seconds") or 0.0 for r in g)
                for g in sources
            )
            for w in WEIGHTS:
                cost[(level, n, w)] = mean(
                    g[0]["sleep_tokens"] / n + w * mean(r["test_time_tokens"] for r in g)
                    for g in sources
                )
    out = []
    for (level, n, w), value in sorted(cost.items()):
        base, wall, wall_base = cost.get((0, n, w)), seconds[(level, n)], seconds.get((0, n))
        out.append({
            "level": level, "queries": n, "weight": w, "cost_per_query": round(value),
            "vs_level_0": round(value / base, 3) if base else None,
            "seconds_per_query": round(wall, 3),
            "seconds_vs_level_0": round(wall / wall_base, 3) if wall_base else None,
            "cpu_per_query": round(cpu[(level, n)], 3),
            "cpu_vs_level_0": round(cpu[(level, n)] / cpu[(0, n)], 3) if cpu.get((0, n)) else None,
        })  # fmt: skip
    return out


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties); None when undefined."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = mean(rx), mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return round(sxy / math.sqrt(sxx * syy), 3) if sxx and syy else None


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def predictability(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per level with notes: how the gain over level 0 (reciprocal rank of the first gold
    file, function@5, tokens saved) relates to how closely the question matched an
    anticipated question (cosine of terms with the best question note's title) and to the
    best note's BM25 score; with the gains by thirds of the similarity."""
    base = {r["task"]: r for r in rows if r["level"] == 0 and r.get("main")}
    out = []
    for level in sorted({r["level"] for r in rows if r["level"] > 0}):
        pairs = [(r, base[r["task"]]) for r in rows
                 if r["level"] == level and r.get("main") and r["task"] in base and r.get("anticipation")]  # fmt: skip
        if not pairs:
            continue
        gains = [{
            "task": r["task"],
            "similarity": r["anticipation"]["question_similarity"],
            "note_score": r["anticipation"]["note_score"],
            "gain_rr": reciprocal_rank(r["file_rank"]) - reciprocal_rank(b["file_rank"]),
            "gain_function5": int(bool(r.get("function@5"))) - int(bool(b.get("function@5"))),
            "tokens_saved": b["test_time_tokens"] - r["test_time_tokens"],
        } for r, b in pairs]  # fmt: skip
        sims = [g["similarity"] for g in gains]
        scores = [g["note_score"] for g in gains]
        out.append({
            "level": level, "tasks": len(gains),
            "spearman_similarity_gain_rr": spearman(sims, [g["gain_rr"] for g in gains]),
            "spearman_similarity_gain_function5": spearman(sims, [g["gain_function5"] for g in gains]),
            "spearman_similarity_tokens_saved": spearman(sims, [g["tokens_saved"] for g in gains]),
            "spearman_note_score_gain_rr": spearman(scores, [g["gain_rr"] for g in gains]),
            "thirds": _thirds(gains), "tasks_detail": gains,
        })  # fmt: skip
    return out


def _thirds(gains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(gains, key=lambda g: g["similarity"])
    size = len(ordered)
    cuts = [ordered[size * i // 3 : size * (i + 1) // 3] for i in range(3)]
    return [
        {"third": name, "tasks": len(part),
         "similarity_max": round(max(g["similarity"] for g in part), 3),
         "gain_rr": round(mean(g["gain_rr"] for g in part), 3),
         "gain_function5": round(mean(g["gain_function5"] for g in part), 3),
         "tokens_saved": round(mean(g["tokens_saved"] for g in part))}
        for name, part in zip(("low", "middle", "high"), cuts, strict=True) if part
    ]  # fmt: skip


def naive_comparison(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per level: test-time tokens against those of a naive agent that reads the top BM25
    files whole until it reaches a gold file, over the tasks where both reached one within
    ten files (the agent by its file@10)."""
    out = []
    for level in sorted({r["level"] for r in rows}):
        chosen = [r for r in rows if r["level"] == level and r.get("main")]
        both = [r for r in chosen if r.get("file@10") and r["naive"]["rank"]]
        naive = [r["naive"]["tokens"] for r in both]
        ours = [r["test_time_tokens"] for r in both]
        out.append({
            "level": level, "tasks": len(chosen), "both_hit": len(both),
            "naive_file@10": _rounded(accuracy([r["naive"]["rank"] is not None for r in chosen])),
            "naive_tokens_median": round(median(naive)) if naive else None,
            "tokens_median": round(median(ours)) if ours else None,
            "ratio_of_sums": round(sum(naive) / sum(ours), 2) if ours and sum(ours) else None,
            "ratio_median": round(median(n / max(o, 1) for n, o in zip(naive, ours, strict=True)), 2) if both else None,
        })  # fmt: skip
    return out


def calibration(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per level, the answers by bins of their confidence: how many, their mean confidence, the
    file@1 and function@5 they reached and the tokens they read. A calibrated confidence reads
    close to the bin's file@1. Answers without a confidence (a model gave none) are left out."""
    out = []
    for level in sorted({r["level"] for r in rows}):
        sure = [r for r in rows if r["level"] == level and r.get("main")
                and r.get("confidence") is not None]  # fmt: skip
        for i, low in enumerate(CONFIDENCE_BINS):
            high = CONFIDENCE_BINS[i + 1] if i + 1 < len(CONFIDENCE_BINS) else 1.0
            last = i + 1 == len(CONFIDENCE_BINS)
            part = [
                r
                for r in sure
                if low <= r["confidence"] < high or (last and r["confidence"] == 1.0)
            ]
            if not part:
                continue
            out.append({
                "level": level, "bin": f"{low:.1f}-{high:.1f}", "tasks": len(part),
                "confidence": _rounded(mean(r["confidence"] for r in part)),
                "file@1": _rounded(accuracy([r.get("file@1") for r in part])),
                "function@5": _rounded(accuracy([r.get("function@5") for r in part])),
                "test_time_tokens": round(mean(r["test_time_tokens"] for r in part)),
            })  # fmt: skip
    return out


def language_family(gold_files: Sequence[str]) -> str:
    """The family of the language most of a task's gold files are written in ("other" when
    none is one we parse: a jq builtin, a shell completion)."""
    found = Counter(FAMILIES.get(language_for(p) or "", "other") for p in gold_files)
    found.pop("other", None)
    return found.most_common(1)[0][0] if found else "other"


def expected_calibration_error(pairs: Sequence[tuple[float, bool]]) -> float | None:
    """The answers' |confidence - hit rate| over ECE_BINS equal-width bins of confidence,
    weighted by the bins' shares of answers; None without answers."""
    if not pairs:
        return None
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for sure, hit in pairs:
        bins[min(int(sure * ECE_BINS), ECE_BINS - 1)].append((sure, hit))
    return sum(
        len(part) / len(pairs) * abs(mean(s for s, _ in part) - mean(float(h) for _, h in part))
        for part in bins.values()
    )


def calibration_by_language(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per level and language family of the task (its gold files'): how many answers, their
    mean confidence against the share whose first file was right (over: the first minus the
    second), and the expected calibration error. All the levels' answers together last."""
    out = []
    sure = [r for r in rows if r.get("main") and r.get("confidence") is not None]
    for level in sorted({r["level"] for r in sure}):
        mine = [r for r in sure if r["level"] == level]
        for family in sorted({r.get("language") or "other" for r in mine}) + ["all"]:
            part = [r for r in mine if family == "all" or (r.get("language") or "other") == family]
            confidence = mean(r["confidence"] for r in part)
            hits = accuracy([r.get("file@1") for r in part]) or 0.0
            ece = expected_calibration_error(
                [(r["confidence"], bool(r.get("file@1"))) for r in part]
            )
            out.append({
                "level": level, "language": family, "tasks": len(part),
                "confidence": _rounded(confidence), "file@1": _rounded(hits),
                "over": _rounded(confidence - hits), "ece": _rounded(ece),
            })  # fmt: skip
    return out


def all_measures(rows: Sequence[Row], repos: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Every measure; the table and the paired comparison show each set of note kinds read,
    the others only the first."""
    every, rows = rows, [r for r in rows if not r.get("variant")]
    return {
        "by_level": by_level(every, repos),
        "pareto": pareto(rows),
        "amortization": amortization(rows),
        "predictability": predictability(rows),
        "naive": naive_comparison(rows),
        "paired": localize_pairs(every),
        "calibration": calibration(rows),
        "calibration_by_language": calibration_by_language(rows),
    }
