"""The SDK's own client over stdio, with a blocking face for tests: the server runs as a real
subprocess (`swe-agent mcp -C REPO`) and every call crosses its stdin and stdout."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.types import CallToolResult

SWE_AGENT = str(Path(sys.executable).parent / "swe-agent")
TIMEOUT = 60.0


class Session:
    def __init__(self, portal: BlockingPortal, session: ClientSession) -> None:
        self.portal = portal
        self.session = session

    def call(
        self,
        tool: str,
        progress: list[tuple[float, float | None, str | None]] | None = None,
        **args: Any,
    ) -> CallToolResult:
        async def record(done: float, total: float | None, message: str | None) -> None:
            if progress is not None:
                progress.append((done, total, message))

        return self.portal.call(
            lambda: self.session.call_tool(tool, args, TIMEOUT, progress_callback=record)
        )

    def text(self, tool: str, **args: Any) -> str:
        result = self.call(tool, **args)
        assert not result.is_error, result.content[0].text
        return result.content[0].text

    def tools(self) -> list[Any]:
        return self.portal.call(self.session.list_tools).tools

    def resource(self, uri: str) -> str:
        return self.portal.call(self.session.read_resource, uri).contents[0].text


@asynccontextmanager
async def _connect(root: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=SWE_AGENT, args=["mcp", "-C", str(root)])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


@contextmanager
def mcp_session(root: Path) -> Iterator[Session]:
    """A started server for root and an initialized client session, closed afterwards."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(_connect(root)) as session,
    ):
        yield Session(portal, session)
