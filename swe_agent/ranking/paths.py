"""What a path is: code, a test, documentation, an example, vendored or generated code.

One owner for these rules: ranking and the agent ask the same questions of a path.
"""

from __future__ import annotations

import re
from functools import lru_cache

from swe_agent.code.languages import language_for
from swe_agent.code.paths import SOURCE_EXTENSIONS as CODE_EXTENSIONS
from swe_agent.code.paths import is_test_path

DOC_EXTENSIONS = frozenset(["md", "mdx", "rst", "txt", "adoc", "textile", "rdoc"])

_EXAMPLE_DIR = re.compile(
    r"(?:^|/)(?:_?examples?|samples?|demos?|docs?_src|benchmarks?|bench|benches)/"
)
_DOC_DIR = re.compile(r"(?:^|/)(?:docs?|documentation)/")
# A project's own copy of another's code: a vendor folder, code under a top-level contrib/ (kept
# beside the project but maintained outside its tree: zstd's linux-kernel copy of lib/), or a
# web library bundled under its release's name or minified (jquery-3.5.1.js, d3.min.js).
_VENDOR_DIR = re.compile(
    r"(?:^|/)(?:vendor|vendored|third_party|thirdparty|node_modules|_vendor|deps)/"
)
_CONTRIB_DIR = re.compile(r"^contrib/")
_VENDORED_ASSET = re.compile(
    r"(?:[-.]v?\d+(?:\.\d+)+(?:[-.][a-z]\w*)?(?:\.min)?|\.min)\.(?:[cm]?js|css)$"
)
_GENERATED = re.compile(r"(?:\.pb\.go|_pb2\.py|\.generated\.\w+|\.g\.dart|\.d\.ts)$")
# A C or C++ library's sources concatenated into one file (single_include/json.hpp,
# singleheader/simdjson.h) are code, not a generated copy: projects that commit one regenerate it
# in the same change as its sources, so a fix is in both (Multi-SWE dev, C and C++ issues, with
# such files ranked as generated copies: file@1 0.615; as code: 0.692, function@5 equal).
_COMPAT_DIR = re.compile(r"(?:^|/)(?:compat|_compat|legacy)/")
REEXPORT_NAMES = frozenset({"__init__.py", "package-info.java"})
# languages one project mixes as one body of code: C and C++ (a `.h` is read as C), JavaScript
# and the TypeScript beside it, the languages of the JVM
_FAMILY = {"cpp": "c", "typescript": "javascript", "tsx": "javascript", "kotlin": "java",
           "scala": "java"}  # fmt: skip


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_code_path(path: str) -> bool:
    return extension(path) in CODE_EXTENSIONS


@lru_cache(maxsize=65536)
def path_class(path: str) -> str:
    """One word for what the file is: test, doc, example, vendored, generated, compat, other
    (not code: configuration, data), or code."""
    if is_test_path(path):
        return "test"
    ext = extension(path)
    if ext in DOC_EXTENSIONS or (_DOC_DIR.search(path) and ext not in CODE_EXTENSIONS):
        return "doc"
    if _VENDOR_DIR.search(path) or _VENDORED_ASSET.search(path):
        return "vendored"
    if _GENERATED.search(path):
        return "generated"
    if ext not in CODE_EXTENSIONS:
        return "other"
    if _CONTRIB_DIR.match(path):
        return "vendored"
    if _EXAMPLE_DIR.search(path):
        return "example"
    if _COMPAT_DIR.search(path):
        return "compat"
    return "code"


@lru_cache(maxsize=65536)
def language_family(path: str) -> str | None:
    """The family of the language a code file is written in, by its extension (None: not a
    language we parse)."""
    language = language_for(path)
    return _FAMILY.get(language, language) if language else None
