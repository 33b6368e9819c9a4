"""The agent's read-only queries for other agents (the MCP server): a page of one retrieval
tool, and the offline `locate`. The daemon serves them beside queries.QUERIES, on a reader of
their own; without a daemon the MCP server runs them in process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from swe_agent.store.db import Store


def tool_page_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.agent.pages import tool_page_in as page

    return page(store, **kwargs)


def locate_in(store: Store, **kwargs: Any) -> dict[str, Any]:
    from swe_agent.agent.locate import locate_in as locate

    return locate(store, **kwargs)


READS: dict[str, Callable[..., Any]] = {"tool_page": tool_page_in, "locate": locate_in}


def all_reads() -> dict[str, Callable[..., Any]]:
    """Every read the daemon serves: the store's queries and the agent's."""
    from swe_agent.queries import QUERIES

    return {**QUERIES, **READS}
