import re
from typing import Any

import typer.main
from typer.testing import CliRunner

from swe_agent.cli import app

runner = CliRunner()


def _words(text: str) -> str:
    """The rendered help as plain words: no box drawing, no line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def _commands() -> list[tuple[list[str], Any]]:
    group: Any = typer.main.get_command(app)
    found: list[tuple[list[str], Any]] = []
    for name, command in group.commands.items():
        found.append(([name], command))
        for sub, inner in getattr(command, "commands", {}).items():
            found.append(([name, sub], inner))
    return found


def test_option_help_in_brackets_is_shown_not_eaten_as_markup() -> None:
    checked = 0
    for path, command in _commands():
        shown = _words(runner.invoke(app, [*path, "--help"], terminal_width=200).output)
        for param in command.params:
            text = getattr(param, "help", None) or ""
            for inside in re.findall(r"\[([^\]]+)\]", text.replace("\\[", "[")):
                checked += 1
                assert _words(inside) in shown, (path, param.name, inside)
    assert checked, "no option help has a bracketed part"
