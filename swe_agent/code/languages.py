"""Which language a file is in, and its tree-sitter grammar and tag query, loaded lazily.

Importing this module imports no grammar: the indexer's workers and the query commands that
never parse stay light.
"""

from __future__ import annotations

import functools
import importlib
import re
from importlib import resources
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tree_sitter

EXTENSIONS = {
    **dict.fromkeys((".py", ".pyi"), "python"),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".jsx"), "javascript"),
    **dict.fromkeys((".ts", ".mts", ".cts"), "typescript"),
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    **dict.fromkeys((".c", ".h"), "c"),
    **dict.fromkeys((".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx"), "cpp"),
    ".rb": "ruby",
    **dict.fromkeys((".sh", ".bash"), "bash"),
    ".cs": "csharp",
    **dict.fromkeys((".ex", ".exs"), "elixir"),
    ".hs": "haskell",
    **dict.fromkeys((".kt", ".kts"), "kotlin"),
    ".lua": "lua",
    ".php": "php",
    **dict.fromkeys((".scala", ".sc"), "scala"),
    ".swift": "swift",
    ".zig": "zig",
}
# language -> (grammar module, the function in it that returns the language pointer)
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
    "bash": ("tree_sitter_bash", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "elixir": ("tree_sitter_elixir", "language"),
    "haskell": ("tree_sitter_haskell", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "lua": ("tree_sitter_lua", "language"),
    "php": ("tree_sitter_php", "language_php"),  # PHP with the HTML around it
    "scala": ("tree_sitter_scala", "language"),
    "swift": ("tree_sitter_swift", "language"),
    "zig": ("tree_sitter_zig", "language"),
}
# Query files read before a language's own, whose patterns its grammar shares.
BASE_QUERIES = {
    "typescript": ("javascript",),
    "tsx": ("javascript", "typescript"),
    "cpp": ("c",),
}
KNOWN_LANGUAGES = tuple(GRAMMARS)


# C and C++ share `.h`: a header that uses C++'s own syntax is parsed as C++, or its template
# classes, namespaces and members would have no definitions.
_CPP_HEADER = re.compile(
    rb"^[ \t]*(?:template[ \t]*<|namespace[ \t]+\w+[ \t\r\n]*\{|class[ \t]+\w+[^;(]*\{"
    rb"|(?:public|private|protected)[ \t]*:)",
    re.MULTILINE,
)


def language_for(path: str, source: bytes | None = None) -> str | None:
    """The language of a file by its extension; with its bytes, a C++ `.h` header is C++."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".h" and source is not None and _CPP_HEADER.search(source):
        return "cpp"
    return EXTENSIONS.get(suffix)


@functools.cache
def get_language(name: str) -> tree_sitter.Language:
    import tree_sitter

    module, function = GRAMMARS[name]
    return tree_sitter.Language(getattr(importlib.import_module(module), function)())


def query_source(name: str) -> str:
    """The tag query of a language: its base languages' files, then its own."""
    folder = resources.files("swe_agent.code").joinpath("queries")
    names = (*BASE_QUERIES.get(name, ()), name)
    return "\n".join(folder.joinpath(f"{lang}-tags.scm").read_text() for lang in names)


@functools.cache
def queries_digest() -> str:
    """A short digest of what decides how a file parses: an index built under another is out of
    date, and files it kept as plain text get their definitions when a language is added."""
    folder = resources.files("swe_agent.code").joinpath("queries")
    queries = {e.name: e.read_bytes() for e in folder.iterdir() if e.name.endswith(".scm")}
    return parsing_digest(EXTENSIONS, GRAMMARS, queries)


def parsing_digest(
    extensions: dict[str, str], grammars: dict[str, tuple[str, str]], queries: dict[str, bytes]
) -> str:
    """The extension map, the grammars and every tag query, hashed."""
    import hashlib

    digest = hashlib.blake2b(digest_size=6)
    digest.update(repr((sorted(extensions.items()), sorted(grammars.items()))).encode())
    for name in sorted(queries):
        digest.update(name.encode() + b"\0" + queries[name])
    return digest.hexdigest()
