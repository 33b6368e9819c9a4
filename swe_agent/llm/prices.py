"""What a call costs in US dollars, from its usage: the published price per million tokens of
the model's family, cache writes at 1.25x and cache reads at 0.1x the input price, and half of
all of it through the Message Batches API. A model of no known family has no price (None)."""

from __future__ import annotations

from swe_agent.llm.base import Usage

# (input, output) dollars per million tokens, by the family word in the model's name
PER_MILLION = {"haiku": (1.0, 5.0), "sonnet": (3.0, 15.0), "opus": (5.0, 25.0)}
CACHE_WRITE = 1.25
CACHE_READ = 0.1
BATCH = 0.5


def cost_usd(model: str, usage: Usage, *, batch: bool = False) -> float | None:
    family = next((f for f in PER_MILLION if f in model.lower()), None)
    if family is None:
        return None
    given, written = PER_MILLION[family]
    dollars = (
        usage.input_tokens * given
        + usage.cache_creation_input_tokens * given * CACHE_WRITE
        + usage.cache_read_input_tokens * given * CACHE_READ
        + usage.output_tokens * written
    ) / 1_000_000
    return round(dollars * (BATCH if batch else 1.0), 8)
