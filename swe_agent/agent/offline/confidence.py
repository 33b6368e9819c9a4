"""How likely the offline answer's first file is right: one number in [0, 1] from the evidence
the policy already holds. Pure functions: evidence and ranked locations in, a confidence out.

Two signals carry it:
- margin: how far the first file's best location stands above the best location of any other
  file, relative to its score (0: a tie, 1: nothing else was found);
- notes agree: a sleep-time note speaks of the first file, and the code's own evidence found
  it too.
Their weights are a logistic regression of file@1 on the development sets (SWE-bench Lite dev
and dev.jsonl, levels 0 and 2, each answer taken both after its searches and at its end:
248 answers). Other signals were measured there and left out: a definition of a name the
question uses, a traceback frame, and the number of independent kinds of evidence on the first
file added nothing beside the margin (the last even counted against: long issues bring many
weak kinds). `CALIBRATION` then maps the regression's score to the share of first files that
were right in its bin (pooled adjacent bins, at least 12 answers each, add-one smoothed), so
that the number reads as a probability.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, replace

from swe_agent.agent.offline.rank import Evidence, Location

INTERCEPT = -0.68
MARGIN_WEIGHT = 3.36
NOTES_AGREE_WEIGHT = 0.67
# (lowest raw score of a bin, the share of its answers whose first file was right)
CALIBRATION: tuple[tuple[float, float], ...] = (
    (0.0, 0.29), (0.47, 0.46), (0.53, 0.54), (0.60, 0.58), (0.70, 0.87), (0.84, 0.97),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Signals:
    margin: float
    notes_agree: bool

    def raw(self) -> float:
        z = INTERCEPT + MARGIN_WEIGHT * self.margin + NOTES_AGREE_WEIGHT * self.notes_agree
        return 1.0 / (1.0 + math.exp(-z))


NOTHING = Signals(0.0, False)


def signals(evidence: list[Evidence], ranked: list[Location]) -> Signals:
    """The signals for the first of the ranked locations (none: nothing to believe)."""
    if not ranked or ranked[0].score <= 0:
        return NOTHING
    top = ranked[0]
    other = max((loc.score for loc in ranked if loc.path != top.path), default=0.0)
    kinds = {e.kind for e in evidence if e.path == top.path and e.weight > 0}
    return Signals(max(0.0, (top.score - other) / top.score), "note" in kinds and len(kinds) > 1)


def calibrated(raw: float, table: tuple[tuple[float, float], ...] = CALIBRATION) -> float:
    """The hit rate of the bin the raw score falls in."""
    i = bisect_right([low for low, _ in table], raw) - 1
    return table[max(i, 0)][1]


def confidence(evidence: list[Evidence], ranked: list[Location]) -> float:
    """Nothing found is no confidence; otherwise the calibrated rate of the signals' bin."""
    if not ranked:
        return 0.0
    return calibrated(signals(evidence, ranked).raw())


def if_notes_agree(evidence: list[Evidence], ranked: list[Location]) -> float:
    """The confidence the answer would have if a note spoke of its first file: what reading
    the notes can at best make of it (0.0 when nothing was found)."""
    if not ranked:
        return 0.0
    return calibrated(replace(signals(evidence, ranked), notes_agree=True).raw())
