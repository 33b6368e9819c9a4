"""Register the server with an agent, and take it back: idempotent edits that touch only our
entry (JSON: one key of the servers table; TOML and Markdown: one block between markers), each
reported as one line saying what changed where.

A file that is not plain JSON (comments, trailing commas) is left alone with an error that
shows the entry to add by hand: rewriting it would lose the user's comments.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from swe_agent.errors import SweAgentError
from swe_agent.mcp.clients import SERVER_NAME, Client, server_entry
from swe_agent.mcp.texts import INSTRUCTIONS

TOML_BEGIN, TOML_END = "# >>> swe-agent mcp >>>", "# <<< swe-agent mcp <<<"
MD_BEGIN = "<!-- swe-agent:begin (`swe-agent mcp uninstall` removes this block) -->"
MD_END = "<!-- swe-agent:end -->"


@dataclass(frozen=True, slots=True)
class Target:
    """Where one installation goes: the client, the folder its paths start from, and the
    repository (None in user scope)."""

    client: Client
    base: Path
    root: Path | None
    command: str

    @property
    def config(self) -> Path:
        c = self.client
        return self.base / (c.project_file if self.root is not None else c.user_file)

    @property
    def instructions(self) -> Path | None:
        c = self.client
        rel = c.project_instructions if self.root is not None else c.user_instructions
        return self.base / rel if rel else None


def install(target: Target, *, instructions: bool) -> list[str]:
    """Add or update our server entry, and the instructions block when asked."""
    entry = server_entry(target.client, target.command, target.root)
    edit = _toml_install if target.client.toml else _json_install
    changes = [edit(target.config, target.client.key, entry)]
    if instructions:
        path = target.instructions
        if path is None:
            raise SweAgentError(
                f"{target.client.name} keeps user-wide instructions in its settings, not in a file",
                "write them into the project instead: drop --user",
            )
        changes.append(_markdown_install(path))
    return changes


def uninstall(target: Target) -> list[str]:
    edit = _toml_uninstall if target.client.toml else _json_uninstall
    changes = [edit(target.config, target.client.key)]
    if target.instructions is not None:
        changes.append(_markdown_uninstall(target.instructions))
    return [c for c in changes if c]


# -- JSON ---------------------------------------------------------------------------------------
def _read_json(path: Path, key: str, entry: dict[str, object] | None) -> dict:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        doc = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        snippet = (
            json.dumps({key: {SERVER_NAME: entry}}) if entry else f'"{SERVER_NAME}" under "{key}"'
        )
        raise SweAgentError(
            f"{path} is not plain JSON (comments or trailing commas?), so it is left as it is",
            f"edit it by hand: {snippet}",
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get(key, {}), dict):
        raise SweAgentError(f"{path} has an unexpected shape", f'"{key}" should be an object')
    return doc


def _write_json(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _json_install(path: Path, key: str, entry: dict[str, object]) -> str:
    doc = _read_json(path, key, entry)
    servers = doc.setdefault(key, {})
    if servers.get(SERVER_NAME) == entry:
        return f"unchanged {path}: {key}.{SERVER_NAME} is already there"
    verb = "updated" if SERVER_NAME in servers else "added"
    servers[SERVER_NAME] = entry
    _write_json(path, doc)
    return f"{verb} {key}.{SERVER_NAME} in {path}: {json.dumps(entry)}"


def _json_uninstall(path: Path, key: str) -> str:
    doc = _read_json(path, key, None)
    servers = doc.get(key) or {}
    if SERVER_NAME not in servers:
        return ""
    del servers[SERVER_NAME]
    if not servers:
        del doc[key]
    if doc:
        _write_json(path, doc)
        return f"removed {key}.{SERVER_NAME} from {path}"
    path.unlink()
    return f"removed {key}.{SERVER_NAME} from {path}, and the file, which held nothing else"


# -- TOML (Codex) -------------------------------------------------------------------------------
_TOML_BLOCK = re.compile(rf"\n*{re.escape(TOML_BEGIN)}\n.*?{re.escape(TOML_END)}\n?", re.S)


def _toml_block(key: str, entry: dict[str, object]) -> str:
    lines = [TOML_BEGIN, f"[{key}.{SERVER_NAME}]"]
    lines += [f"{name} = {json.dumps(value)}" for name, value in entry.items()]
    return "\n".join([*lines, TOML_END]) + "\n"


def _toml_install(path: Path, key: str, entry: dict[str, object]) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = _toml_block(key, entry)
    if block in text:
        return f"unchanged {path}: [{key}.{SERVER_NAME}] is already there"
    ours = _TOML_BLOCK.search(text)
    if ours is None and SERVER_NAME in _toml(path, text).get(key, {}):
        raise SweAgentError(
            f"{path} already has a [{key}.{SERVER_NAME}] that swe-agent did not write",
            "remove it, then install again",
        )
    rest = _TOML_BLOCK.sub("\n", text).rstrip("\n")
    new = (rest + "\n\n" if rest else "") + block
    _toml(path, new)  # never write a file Codex could not read
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    verb = "updated" if ours else "added"
    return f"{verb} [{key}.{SERVER_NAME}] in {path}: command {json.dumps(entry['command'])}, args {json.dumps(entry['args'])}"


def _toml_uninstall(path: Path, key: str) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not _TOML_BLOCK.search(text):
        return ""
    rest = _TOML_BLOCK.sub("\n", text).strip("\n")
    if rest:
        path.write_text(rest + "\n", encoding="utf-8")
        return f"removed [{key}.{SERVER_NAME}] from {path}"
    path.unlink()
    return f"removed [{key}.{SERVER_NAME}] from {path}, and the file, which held nothing else"


def _toml(path: Path, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweAgentError(
            f"{path} is not valid TOML ({exc})", "fix it, then install again"
        ) from None


# -- Markdown instructions ----------------------------------------------------------------------
_MD_BLOCK = re.compile(rf"\n*{re.escape(MD_BEGIN)}\n.*?{re.escape(MD_END)}\n?", re.S)


def _markdown_install(path: Path) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{MD_BEGIN}\n{INSTRUCTIONS}\n{MD_END}\n"
    if block in text:
        return f"unchanged {path}: the swe-agent instructions are already there"
    ours = _MD_BLOCK.search(text)
    rest = _MD_BLOCK.sub("\n", text).rstrip("\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((rest + "\n\n" if rest else "") + block, encoding="utf-8")
    return f"{'updated' if ours else 'added'} the swe-agent instructions in {path}"


def _markdown_uninstall(path: Path) -> str:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not _MD_BLOCK.search(text):
        return ""
    rest = _MD_BLOCK.sub("\n", text).strip("\n")
    if rest:
        path.write_text(rest + "\n", encoding="utf-8")
        return f"removed the swe-agent instructions from {path}"
    path.unlink()
    return f"removed the swe-agent instructions from {path}, and the file, which held nothing else"
