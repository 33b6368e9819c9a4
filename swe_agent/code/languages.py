"""Which language a file is in, and its tree-sitter grammar, loaded lazily per process."""

from __future__ import annotations

import functools
import importlib
from importlib import resources
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter

EXTENSIONS = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".go": "go", ".rs": "rust", ".java": "java",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp",
    ".rb": "ruby",
}
# grammar module, function returning the language pointer
GRAMMARS = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "java": ("tree_sitter_java", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
}
# query files loaded before a language's own, whose patterns it shares
BASE_QUERIES = {"typescript": ("javascript",), "tsx": ("javascript",), "cpp": ("c",)}
KNOWN_LANGUAGES = tuple(GRAMMARS)


def language_for(path: str) -> str | None:
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


@functools.cache
def get_language(name: str) -> tree_sitter.Language:
    import tree_sitter

    module, function = GRAMMARS[name]
    return tree_sitter.Language(getattr(importlib.import_module(module), function)())


def query_source(name: str) -> str:
    """The tag query of a language: its base languages' files, then its own."""
    folder = resources.files("swe_agent.code").joinpath("queries")
    parts = [folder.joinpath(f"{lang}-tags.scm").read_text() for lang in (*BASE_QUERIES.get(name, ()), name)]
    return "\n".join(parts)
