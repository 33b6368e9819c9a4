"""Row ids derived from what a row is about, so the same definition, chunk or note gets the
same id in every run and a rewrite replaces its row instead of adding one."""

from __future__ import annotations

import hashlib


def stable_id(*parts: object) -> int:
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
