"""Tokens as swe-agent counts them: about four characters each, locally and deterministically.

The one estimate for everything we count ourselves: main context (compacted from our own
count, before any provider complains), the offline policy's test-time tokens, offline notes,
and the benchmark's naive reader. Model calls report the provider's own counts beside it.
"""

from __future__ import annotations

CHARS_PER_TOKEN = 4


def count_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN
