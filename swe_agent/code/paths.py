"""What kind of file a path names, from the path alone: source code (by extension) and tests
(by folder and name, in the conventions of the languages we index). One rule for everyone:
the index, sleep-time analysis and the agent's ranking all ask here."""

from __future__ import annotations

import re

# fmt: off
SOURCE_EXTENSIONS = frozenset([
    "py", "pyi", "pyx", "js", "jsx", "mjs", "cjs", "ts", "tsx", "go", "rs", "java", "c", "h", "cc",
    "cpp", "cxx", "hpp", "hh", "rb", "kt", "kts", "cs", "php", "swift", "scala", "m", "mm", "lua",
    "sh", "ex", "exs", "erl", "hs", "ml", "clj", "dart", "r", "jl", "sql", "vue", "svelte",
    "mts", "cts", "hxx", "bash", "zig", "sc",
])
# fmt: on


def is_source_path(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[-1].lower() in SOURCE_EXTENSIONS


# test folders in any case (Tests/ in Swift and C#), and one named for its tests in CamelCase
# (Catch2's SelfTest/, UnitTests/); test file names in each language's convention
_TEST_DIR = re.compile(
    r"(?:^|/)(?:(?i:tests?|__tests__|__mocks__|spec|specs|testing|testdata|fixtures?)"
    r"|[A-Za-z]*[a-z]Tests?)/"
)
_TEST_NAME = re.compile(
    r"(?:^test_.*|.*_test|.*_spec|.*\.tests?|.*\.spec|.*Tests?|conftest|tests?|test_?helpers?)"
    r"\.[A-Za-z0-9]+$|.*(?:Spec|Suite)\.(?:scala|kt|swift|groovy)$|.*\.bats$"
)
# shell has no test_ file convention (bats tests are .bats files): a test framework's own
# library (bats-core's lib/bats-core/test_functions.bash) is its code
_NO_TEST_PREFIX = frozenset(["sh", "bash", "zsh"])


def is_test_path(path: str) -> bool:
    """Test code, fixtures and test helpers, in the conventions of the common languages: the one
    rule that sleep-time analysis, the agent and code search share."""
    name = path.rsplit("/", 1)[-1]
    if _TEST_DIR.search(path):
        return True
    if name.startswith("test_") and name.rsplit(".", 1)[-1].lower() in _NO_TEST_PREFIX:
        return False
    return bool(_TEST_NAME.match(name))
