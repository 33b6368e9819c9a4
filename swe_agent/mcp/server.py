"""The MCP server over stdio: the repository's memory as read-only tools for any agent.

Each tool is a thin async function: it makes sure the index exists (indexing first, with
progress, when no daemon keeps it), runs its query on a worker thread through RepoMemory, and
returns readable text and the same data as structured content. A bad argument is a tool error
(isError), never an exception that ends the server. Imported only by `swe-agent mcp`: the SDK
is slow to import.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal

import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from swe_agent import __version__
from swe_agent.errors import SweAgentError
from swe_agent.mcp import texts
from swe_agent.mcp.memory import RepoMemory
from swe_agent.mcp.render import located_text, page_text, status_text

OVERVIEW_URI = "swe-agent://overview"
READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

Query = Annotated[str, Field(description="Words, identifiers or a question.", min_length=1)]
Name = Annotated[
    str, Field(description="A name or qualified name: send, Session.send.", min_length=1)
]
FilePath = Annotated[
    str, Field(description="A file path relative to the repository root.", min_length=1)
]
PageNo = Annotated[int, Field(ge=1, description="Which page of the result (default 1).")]


class Location(BaseModel):
    path: str
    start_line: int
    end_line: int
    symbol: str | None = None


class Page(BaseModel):
    tool: str
    header: str
    entries: list[str]
    page: int
    pages: int
    tokens: int
    page_tokens: int
    next_call: str = Field(description="The call that shows what follows; empty on the last page.")
    locations: list[Location]


class Located(Location):
    why: str


class Answer(BaseModel):
    question: str
    mode: str
    explanation: str
    locations: list[Located]
    tool_calls: int
    notes_used: int
    confidence: float | None = Field(
        default=None,
        description="How often answers this sure had the right first file on the development "
        "sets, in [0, 1]; null when the answer gave none.",
    )


class Status(BaseModel):
    served_by: str
    head: str | None
    indexed_head: str | None
    fresh: bool
    dirty_count: int
    dirty_files: list[str] = Field(description="The first uncommitted files, at most 50.")
    counts: dict[str, int]
    languages: dict[str, int]
    notes: dict[str, int]
    daemon_pid: int | None
    store_path: str


class Tools:
    """The tools, bound to one repository's memory."""

    def __init__(self, memory: RepoMemory) -> None:
        self.memory = memory

    async def search_code(
        self,
        ctx: Context,
        query: Query,
        k: Annotated[int, Field(ge=1, le=40, description="Results per page.")] = 10,
        page: PageNo = 1,
        scope: Literal["all", "source", "tests"] = "all",
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "search_code", query=query, k=k, scope=scope, page=page)

    async def search_notes(
        self,
        ctx: Context,
        query: Query,
        k: Annotated[int, Field(ge=1, le=20, description="Notes per page.")] = 5,
        page: PageNo = 1,
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "search_notes", query=query, k=k, page=page)

    async def find_symbol(
        self, ctx: Context, name: Name, page: PageNo = 1
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "find_symbol", name=name, page=page)

    async def references(
        self, ctx: Context, name: Name, page: PageNo = 1
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "references", name=name, page=page)

    async def outline(
        self, ctx: Context, path: FilePath, page: PageNo = 1
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "outline", path=path, page=page)

    async def read(
        self,
        ctx: Context,
        path: FilePath,
        line: Annotated[int, Field(ge=1, description="First line to read.")] = 1,
        lines: Annotated[int, Field(ge=5, le=120, description="How many lines.")] = 50,
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "read", path=path, line=line, lines=lines)

    async def history(
        self,
        ctx: Context,
        path: Annotated[str, Field(description="A file path; empty for the repository.")] = "",
        symbol: Annotated[str, Field(description="A definition, e.g. Session.send.")] = "",
        page: PageNo = 1,
    ) -> Annotated[CallToolResult, Page]:
        return await self._page(ctx, "history", path=path, symbol=symbol, page=page)

    async def locate(
        self,
        ctx: Context,
        question: Annotated[str, Field(description="A question or an issue's text.", min_length=1)],
    ) -> Annotated[CallToolResult, Answer]:
        data = await self._call(ctx, self.memory.locate, question)
        return _result(located_text(data), data)

    async def status(self, ctx: Context) -> Annotated[CallToolResult, Status]:
        data = await self._call(ctx, self.memory.status)
        data["dirty_count"], data["dirty_files"] = (
            len(data["dirty_files"]),
            data["dirty_files"][:50],
        )
        data = {k: data.get(k) for k in Status.model_fields}
        return _result(status_text(data), data)

    async def overview(self) -> str:
        try:
            text = await anyio.to_thread.run_sync(self.memory.overview)
        except SweAgentError as exc:
            return f"no overview: {exc}"
        return text or "No overview note yet: sleep-time analysis writes it (`swe-agent sleep`)."

    async def _page(self, ctx: Context, tool: str, **args: Any) -> CallToolResult:
        data = await self._call(ctx, lambda: self.memory.page(tool, **args))
        return _result(page_text(data), data)

    async def _call(self, ctx: Context, fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
        """fn on a worker thread, after indexing first when no daemon keeps the index (with
        progress reported to the client); a domain error or an {"error": ...} is a tool error."""

        def progress(done: int, total: int) -> None:
            message = f"indexing the repository: {done} of {total} files"
            anyio.from_thread.run(ctx.report_progress, done, total, message)

        def ready_then_call() -> dict[str, Any]:
            if self.memory.needs_index():
                self.memory.index(progress)
            return fn(*args)

        try:
            data = await anyio.to_thread.run_sync(ready_then_call)
        except SweAgentError as exc:
            raise ToolError(str(exc)) from None
        if "error" in data:
            raise ToolError(data["error"])
        return data


def _result(text: str, data: dict[str, Any]) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def build_server(memory: RepoMemory) -> MCPServer:
    server: MCPServer = MCPServer(
        "swe-agent", instructions=texts.SERVER, version=__version__, log_level="WARNING"
    )
    tools = Tools(memory)
    for name, description in texts.TOOLS.items():
        server.add_tool(
            getattr(tools, name), name=name, description=description, annotations=READ_ONLY
        )
    server.resource(
        OVERVIEW_URI, name="overview", description=texts.OVERVIEW, mime_type="text/markdown"
    )(tools.overview)
    return server


def serve(memory: RepoMemory) -> None:
    build_server(memory).run("stdio")
