"""The repository overview: layout, entry points, how to build and test. It becomes a core
memory block of the foreground agent."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

from swe_agent.llm.tokens import count_tokens
from swe_agent.store.db import Store
from swe_agent.store.files import listing
from swe_agent.store.notes import Note

TEST_FILES = (
    "pytest.ini",
    "tox.ini",
    "noxfile.py",
    "Makefile",
    "setup.cfg",
    "jest.config.js",
    "go.mod",
    "Cargo.toml",
)


def overview_note(root: Path, store: Store, head: str | None) -> Note:
    files = listing(store)
    layout: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for path, language, lines in files:
        layout[path.split("/", 1)[0] if "/" in path else "."] += 1
        languages[language] += lines
    parts = [
        f"{len(files)} files; languages by lines: "
        + ", ".join(f"{lang} {n}" for lang, n in languages.most_common(5) if lang != "text")
        + ".",
        "Top-level: "
        + ", ".join(
            f"{d}/ ({n})" if d != "." else f"root files ({n})" for d, n in layout.most_common(10)
        )
        + ".",
    ]
    entry = _entry_points(root, [p for p, _, _ in files])
    if entry:
        parts.append("Entry points: " + "; ".join(entry[:6]) + ".")
    tests = _how_to_test(root, [p for p, _, _ in files])
    if tests:
        parts.append("Tests: " + tests)
    readme = next(
        (
            p
            for p, _, _ in files
            if p.lower() in ("readme.md", "readme.rst", "readme.txt", "readme")
        ),
        None,
    )
    if readme:
        para = _first_paragraph(root / readme)
        if para:
            parts.append("README: " + para)
    body = "\n".join(parts)
    title = "Repository overview: layout, entry points, how to test"
    return Note(
        "overview",
        "",
        None,
        title,
        body,
        [],
        head,
        "offline",
        count_tokens(f"{title} {body}"),
        100.0,
    )


def _entry_points(root: Path, paths: list[str]) -> list[str]:
    out = []
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(errors="replace"))
            for name, target in data.get("project", {}).get("scripts", {}).items():
                out.append(f"console script {name} -> {target}")
        except tomllib.TOMLDecodeError:
            pass
    package = root / "package.json"
    if package.is_file():
        try:
            data = json.loads(package.read_text(errors="replace"))
            if isinstance(data.get("main"), str):
                out.append(f"package main {data['main']}")
            bins = data.get("bin")
            if isinstance(bins, dict):
                out.extend(f"bin {k} -> {v}" for k, v in bins.items())
        except json.JSONDecodeError:
            pass
    out.extend(
        p for p in paths if p.endswith(("__main__.py", "main.go", "main.rs", "manage.py", "cli.py"))
    )
    return out


def _how_to_test(root: Path, paths: list[str]) -> str:
    found = [p for p in paths if p in TEST_FILES]
    test_dirs = sorted(
        {
            p.split("/")[0]
            for p in paths
            if "/" in p and p.split("/")[0] in ("tests", "test", "testing", "spec")
        }
    )
    hints = []
    if any(p.endswith(".py") for p in paths) and (
        test_dirs or "pytest.ini" in found or "tox.ini" in found
    ):
        hints.append(f"pytest {test_dirs[0] + '/' if test_dirs else ''}".strip())
    package = root / "package.json"
    if package.is_file():
        try:
            script = json.loads(package.read_text(errors="replace")).get("scripts", {}).get("test")
            if script:
                hints.append(f"npm test ({script})")
        except (json.JSONDecodeError, AttributeError):
            pass
    if "go.mod" in found:
        hints.append("go test ./...")
    if "Cargo.toml" in found:
        hints.append("cargo test")
    return "; ".join(hints) + (f" (config: {', '.join(found)})" if found else "")


def _first_paragraph(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")[:4000]
    except OSError:
        return ""
    for block in text.split("\n\n"):
        clean = " ".join(
            line
            for line in block.split("\n")
            if not line.startswith(("#", "=", "-", "[", "!", "<", ".."))
        )
        if len(clean) > 40:
            return clean[:300]
    return ""
