"""The repository's memory for other agents: an MCP server over stdio (server.py) whose tools
call one RepoMemory per repository (memory.py), which answers through the daemon when it runs
and from a read-only store otherwise; the tools' bodies are read-side queries (pages.py,
locate.py) over the agent's own views; install.py registers the server with each client."""
