"""Commands of the bench part (not yet written)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this part's commands to the app."""
