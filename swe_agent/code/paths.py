"""What kind of file a path names, from the path alone: source code (by extension) and tests
(by folder and name, in the conventions of the languages we index). One rule for everyone:
the index, sleep-time analysis and the agent's ranking all ask here."""

from __future__ import annotations

# fmt: off
SOURCE_EXTENSIONS = frozenset([
    "py", "pyi", "pyx", "js", "jsx", "mjs", "cjs", "ts", "tsx", "go", "rs", "java", "c", "h", "cc",
    "cpp", "cxx", "hpp", "hh", "rb", "kt", "kts", "cs", "php", "swift", "scala", "m", "mm", "lua",
    "sh", "ex", "exs", "erl", "hs", "ml", "clj", "dart", "r", "jl", "sql", "vue", "svelte",
])
# fmt: on


def is_source_path(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[-1].lower() in SOURCE_EXTENSIONS


def is_test_path(path: str) -> bool:
    parts = path.lower().split("/")
    name = parts[-1]
    return (
        any(p in ("test", "tests", "testing", "__tests__", "spec") for p in parts[:-1])
        or name.startswith("test_")
        or name in ("conftest.py", "tests.py")
        or name.rsplit(".", 1)[0].endswith(("_test", "_spec", ".test", ".spec"))
    )
