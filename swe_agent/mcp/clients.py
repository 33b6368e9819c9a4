"""Where each agent keeps its MCP servers and its instructions, as each documents them.

- Claude Code: `.mcp.json` (project) or `~/.claude.json` (user), `mcpServers` (code.claude.com/docs/en/mcp);
  instructions in CLAUDE.md or ~/.claude/CLAUDE.md. It starts servers in the project directory.
- Cursor: `.cursor/mcp.json` or `~/.cursor/mcp.json`, `mcpServers`; it expands ${workspaceFolder}
  (cursor.com/docs/context/mcp); reads AGENTS.md.
- Codex: `.codex/config.toml` (read in trusted projects) or `~/.codex/config.toml`,
  `[mcp_servers.<name>]` with command and args (developers.openai.com/codex/mcp); AGENTS.md.
- Gemini CLI: `.gemini/settings.json` or `~/.gemini/settings.json`, `mcpServers`
  (geminicli.com/docs/tools/mcp-server); GEMINI.md or ~/.gemini/GEMINI.md.
- VS Code: `.vscode/mcp.json` or the profile's `mcp.json`, `servers` with `"type": "stdio"`; it
  expands ${workspaceFolder} (code.visualstudio.com/docs/copilot/reference/mcp-configuration);
  reads AGENTS.md.
- Zed: `.zed/settings.json` or `~/.config/zed/settings.json`, `context_servers` with command,
  args and env (zed.dev/docs/ai/mcp); reads AGENTS.md among its rules files.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from swe_agent.errors import SweAgentError

SERVER_NAME = "swe-agent"
WORKSPACE = "${workspaceFolder}"


@dataclass(frozen=True, slots=True)
class Client:
    name: str
    project_file: str  # relative to the repository root
    user_file: str  # relative to the home directory ("" when it has no user scope)
    key: str  # the table of servers in that file
    project_instructions: str
    user_instructions: str = ""  # relative to home; "" when the client keeps them in its UI
    repo_arg: str = ""  # the "-C" value: a variable the client expands, or "" for its cwd
    stdio_type: bool = False  # the entry carries "type": "stdio"
    env: bool = False  # the entry carries an "env" table

    @property
    def toml(self) -> bool:
        return self.project_file.endswith(".toml")


def _app_config(folder: str) -> str:
    """The user configuration folder of a desktop app, relative to home."""
    if sys.platform == "darwin":
        return f"Library/Application Support/{folder}"
    if os.name == "nt":
        return str(Path(os.environ.get("APPDATA", "AppData/Roaming")) / folder)
    return f".config/{folder}"


def clients() -> dict[str, Client]:
    return {
        c.name: c
        for c in (
            Client("claude-code", ".mcp.json", ".claude.json", "mcpServers", "CLAUDE.md",
                   ".claude/CLAUDE.md", stdio_type=True),
            Client("cursor", ".cursor/mcp.json", ".cursor/mcp.json", "mcpServers", "AGENTS.md",
                   repo_arg=WORKSPACE),
            Client("codex", ".codex/config.toml", ".codex/config.toml", "mcp_servers", "AGENTS.md",
                   ".codex/AGENTS.md"),
            Client("gemini", ".gemini/settings.json", ".gemini/settings.json", "mcpServers",
                   "GEMINI.md", ".gemini/GEMINI.md"),
            Client("vscode", ".vscode/mcp.json", f"{_app_config('Code')}/User/mcp.json", "servers",
                   "AGENTS.md", repo_arg=WORKSPACE, stdio_type=True),
            Client("zed", ".zed/settings.json", f"{_app_config('zed')}/settings.json",
                   "context_servers", "AGENTS.md", env=True),
        )
    }  # fmt: skip


def client_named(name: str) -> Client:
    known = clients()
    if name not in known:
        raise SweAgentError(f"no client named {name!r}", f"choose one of {', '.join(known)}")
    return known[name]


def server_entry(client: Client, command: str, root: Path | None) -> dict[str, object]:
    """The client's entry for our server; root is the repository in project scope, None in
    user scope (the server then serves the directory the client starts it in)."""
    args = ["mcp"]
    if client.repo_arg:
        args += ["-C", client.repo_arg]
    elif root is not None and client.name == "zed":  # Zed documents no working directory
        args += ["-C", str(root)]
    entry: dict[str, object] = {"type": "stdio"} if client.stdio_type else {}
    entry.update(command=command, args=args)
    if client.env:
        entry["env"] = {}
    return entry
