"""`swe-agent mcp install|uninstall`: each client's documented file and key, idempotent, other
content untouched, the instructions block removed exactly."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from swe_agent.cli import app
from swe_agent.errors import SweAgentError
from tests.mcp.client import SWE_AGENT

# client: (config file, servers key, extra arguments after "mcp", instructions file)
PROJECT = {
    "claude-code": (".mcp.json", "mcpServers", [], "CLAUDE.md"),
    "cursor": (".cursor/mcp.json", "mcpServers", ["-C", "${workspaceFolder}"], "AGENTS.md"),
    "codex": (".codex/config.toml", "mcp_servers", [], "AGENTS.md"),
    "gemini": (".gemini/settings.json", "mcpServers", [], "GEMINI.md"),
    "vscode": (".vscode/mcp.json", "servers", ["-C", "${workspaceFolder}"], "AGENTS.md"),
    "zed": (".zed/settings.json", "context_servers", ["-C", "<root>"], "AGENTS.md"),
}


def mcp(*args: str) -> str:
    done = CliRunner().invoke(app, ["mcp", *args])
    if done.exception:
        raise done.exception
    return done.output


def servers(path: Path, key: str) -> dict:
    doc = (
        tomllib.loads(path.read_text()) if path.suffix == ".toml" else json.loads(path.read_text())
    )
    return doc.get(key, {})


@pytest.mark.parametrize("client", sorted(PROJECT))
def test_install_is_idempotent_and_uninstall_takes_it_all_back(client: str, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    name, key, extra, notes = PROJECT[client]
    added = mcp("install", client, "--instructions", "-C", str(tmp_path))
    entry = servers(tmp_path / name, key)["swe-agent"]
    assert entry["command"].endswith("swe-agent")
    assert entry["args"] == ["mcp", *[str(tmp_path) if a == "<root>" else a for a in extra]]
    assert added.startswith(("added", "updated"))
    assert str(tmp_path / name) in added
    assert "`locate` first" in (tmp_path / notes).read_text()
    again = mcp("install", client, "--instructions", "-C", str(tmp_path))
    assert again.count("unchanged") == 2
    removed = mcp("uninstall", client, "-C", str(tmp_path))
    assert removed.count("removed") == 2
    assert not (tmp_path / name).exists()
    assert not (tmp_path / notes).exists()
    assert "nothing to remove" in mcp("uninstall", client, "-C", str(tmp_path))


def test_other_servers_keys_and_text_stay_as_they_were(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".mcp.json"
    original = {"mcpServers": {"other": {"command": "other-mcp"}}, "extra": [1, 2]}
    config.write_text(json.dumps(original))
    notes = tmp_path / "CLAUDE.md"
    notes.write_text("# Project rules\n\nUse tabs.\n")
    mcp("install", "claude-code", "--instructions", "-C", str(tmp_path))
    assert set(servers(config, "mcpServers")) == {"other", "swe-agent"}
    assert notes.read_text().startswith("# Project rules\n\nUse tabs.\n\n<!-- swe-agent:begin")
    mcp("uninstall", "claude-code", "-C", str(tmp_path))
    assert json.loads(config.read_text()) == original
    assert notes.read_text() == "# Project rules\n\nUse tabs.\n"


def test_codex_keeps_the_rest_of_its_toml_word_for_word(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".codex" / "config.toml"
    config.parent.mkdir()
    original = '# my settings\nmodel = "gpt-5"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n'
    config.write_text(original)
    mcp("install", "codex", "-C", str(tmp_path))
    assert set(servers(config, "mcp_servers")) == {"docs", "swe-agent"}
    assert config.read_text().startswith(original)
    mcp("uninstall", "codex", "-C", str(tmp_path))
    assert config.read_text() == original


def test_user_scope_writes_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    mcp("install", "claude-code", "--user")
    assert servers(tmp_path / ".claude.json", "mcpServers")["swe-agent"]["args"] == ["mcp"]
    mcp("install", "gemini", "--user", "--instructions")
    assert "swe-agent" in (tmp_path / ".gemini" / "GEMINI.md").read_text()
    with pytest.raises(SweAgentError, match="keeps user-wide instructions in its settings"):
        mcp("install", "cursor", "--user", "--instructions")


def test_refusals_are_one_line_and_touch_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".vscode" / "mcp.json"
    config.parent.mkdir()
    config.write_text('{\n  // my servers\n  "servers": {}\n}\n')
    done = subprocess.run([SWE_AGENT, "mcp", "install", "vscode", "-C", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "is not plain JSON" in done.stderr
    assert '"swe-agent"' in done.stderr
    assert config.read_text() == '{\n  // my servers\n  "servers": {}\n}\n'
    with pytest.raises(SweAgentError, match="no client named 'emacs'"):
        mcp("install", "emacs", "-C", str(tmp_path))
    codex = tmp_path / ".codex" / "config.toml"
    codex.parent.mkdir()
    codex.write_text('[mcp_servers.swe-agent]\ncommand = "mine"\n')
    with pytest.raises(SweAgentError, match="did not write"):
        mcp("install", "codex", "-C", str(tmp_path))
    assert codex.read_text() == '[mcp_servers.swe-agent]\ncommand = "mine"\n'
