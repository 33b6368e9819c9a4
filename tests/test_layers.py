"""The layers hold: every import of swe_agent (at the top of a module, inside a function, or for
type checking only) goes down the layers, never up and never sideways; git is run only in
repo/, SQL is written only in store/, and the agent's memory core does without the offline
policy. Read from the source with ast, so a new module is checked without being listed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "swe_agent"

# Lowest first. A part may import the parts of lower layers and its own modules; the parts of
# one layer know nothing of each other.
LAYERS: list[set[str]] = [
    {"errors"},
    {"config"},
    {"repo", "code", "llm"},
    {"store"},
    {"ranking"},
    {"index", "queries"},
    {"sleep", "agent"},
    {"watch", "bench"},
    {"mcp"},
    {"commands"},
    {"cli"},
    {"__main__"},
]
GIT_ALLOWED = {"repo", "bench.projects", "bench.semble"}  # these build benchmark repositories
SQL = re.compile(r"^\s*(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|WITH|CREATE)\s+\S")
AGENT_CORE = {"agent.context", "agent.memory", "agent.loop", "agent.tools", "agent.retrieval",
              "agent.recall", "agent.records", "agent.session", "agent.paths", "agent.prompts", "agent.patch",
              "agent.request"}  # fmt: skip


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = ast.parse(path.read_text(), str(path))
    return found


def imported(tree: ast.Module, name: str) -> set[str]:
    """The swe_agent modules a module imports, relative to the package ("store.db")."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative: resolve against this module's package
                base = name.split(".")[: -node.level] if name else []
                out.add(".".join(["swe_agent", *base, node.module]))
            else:
                out.add(node.module)
                out |= {f"{node.module}.{a.name}" for a in node.names}
    return {m.removeprefix("swe_agent.") for m in out if m.startswith("swe_agent.")}


def part(module: str) -> str:
    return module.split(".")[0]


def layer(module: str) -> int:
    for index, parts in enumerate(LAYERS):
        if part(module) in parts:
            return index
    raise AssertionError(f"swe_agent/{module} belongs to no layer: add its part to LAYERS")


def upward(found: dict[str, ast.Module]) -> list[str]:
    """Every import that goes up the layers or sideways, as "<module> imports <module>"."""
    wrong = []
    for name, tree in found.items():
        if not name:
            continue
        for target in imported(tree, name):
            if target not in found or part(target) == part(name):
                continue  # a name inside a module, or the part's own module
            if layer(target) >= layer(name):
                wrong.append(f"{name} imports {target}")
    return wrong


def test_imports_go_down_the_layers() -> None:
    assert upward(modules()) == []


def test_an_import_up_the_layers_is_caught_in_ranking_mcp_and_recall() -> None:
    found = modules()
    found["ranking.query"] = ast.parse("from swe_agent.agent.retrieval import Sources\n")
    found["mcp.render"] = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from swe_agent.commands.common import emit_json\n"
    )
    found["agent.recall"] = ast.parse("def late():\n    from ..watch import client\n")
    found["agent.records"] = ast.parse("import swe_agent.sleep.plan\n")
    assert sorted(upward(found)) == [
        "agent.recall imports watch",
        "agent.records imports sleep.plan",
        "mcp.render imports commands.common",
        "ranking.query imports agent.retrieval",
    ]


def test_git_runs_only_in_repo() -> None:
    wrong = []
    for name, tree in modules().items():
        if any(name == a or name.startswith(a + ".") for a in GIT_ALLOWED):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name == "git" for a in node.names):
                wrong.append(f"{name} imports GitPython")
            if isinstance(node, ast.ImportFrom) and node.module == "git":
                wrong.append(f"{name} imports from GitPython")
            if isinstance(node, ast.List) and node.elts and _constant(node.elts[0]) == "git":
                wrong.append(f"{name} runs git")
    assert wrong == []


def test_sql_is_written_only_in_store() -> None:
    wrong = []
    for name, tree in modules().items():
        if part(name) == "store":
            continue
        for node in ast.walk(tree):
            text = _constant(node)
            if isinstance(text, str) and SQL.match(text):
                wrong.append(f"{name}: {text.strip()[:40]}")
    assert wrong == []


def test_the_memory_core_does_without_the_offline_policy() -> None:
    found = modules()
    wrong = [
        f"{name} imports {target}"
        for name in AGENT_CORE
        for target in imported(found[name], name)
        if target.startswith("agent.offline") or target == "agent.answering"
    ]
    assert wrong == []


def _constant(node: ast.AST) -> object:
    return node.value if isinstance(node, ast.Constant) else None
