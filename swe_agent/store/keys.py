"""Row ids derived from what a row is about, so the same definition, chunk or note gets the
same id in every run and a rewrite replaces its row instead of adding one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable


def stable_id(*parts: object) -> int:
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def stable_ids(first: object) -> Callable[..., int]:
    """stable_id(first, *rest) as a function of rest (at least one part): the hash of `first`
    made once, then copied for each id (an index makes every id of a file's rows with its path
    first: ~0.6 us an id rather than ~1.4)."""
    start = hashlib.blake2b(f"{first}\0".encode(), digest_size=8)

    def made(*rest: object) -> int:
        hashed = start.copy()
        hashed.update("\0".join(map(str, rest)).encode())
        return int.from_bytes(hashed.digest(), "big", signed=True)

    return made
