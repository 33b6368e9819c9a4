"""The CLI's side of the daemon: stdlib only, so asking costs no heavy imports.

Placeholder until the daemon lands: no daemon ever answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def try_query(root: Path, name: str, kwargs: dict[str, Any]) -> tuple[bool, Any]:
    """(True, result) when a daemon serving root answered; (False, None) otherwise."""
    return False, None


def daemon_pid(root: Path) -> int | None:
    return None
