"""Documentation that names a definition: the words people use, linked to the code.

A README, a guide or a changelog entry says what a function is for and what went wrong with it
("Fix `trigsimp` returning an unsimplified result for nested powers") in the words a question
uses, words the definition's own code rarely holds. Each passage of a documentation file that
names a definition by a name few definitions share becomes part of a note on that definition.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from swe_agent.code.paths import is_source_path, is_test_path
from swe_agent.sleep.offline import FileFacts, note
from swe_agent.store.db import Store
from swe_agent.store.files import files_without_language
from swe_agent.store.notes import Note
from swe_agent.store.symbols import names_defined_at_most

DOC_SUFFIXES = (".md", ".rst", ".txt", ".markdown", ".adoc")
DOC_STEMS = ("readme", "changes", "changelog", "history", "news")
MAX_DEFINITIONS_OF_NAME = 2  # a name defined more often names no one definition
MIN_NAME = 5  # shorter names (parse, load, run) are words, not references
PASSAGES_PER_NAME = 3
PASSAGE_CHARS = 240
MAX_DOC_BYTES = 400_000
MIN_WORDS = 6  # a passage that is little more than a name ("- pkg.mod.Name") says nothing of it
PROSE_SHARE = 0.5
NOT_OWN_DIRS = {
    "doc",
    "docs",
    "example",
    "examples",
    "static",
    "vendor",
    "third_party",
    "benchmarks",
}
_URL = re.compile(r"\w+://\S+")
_WORD = re.compile(r"\b[a-z]{3,}\b")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{4,}")
# a plain word ("document", "labels") is a reference only as code: in backticks, called, dotted
_CODE_NAME = re.compile(r"(?:[`.]|::)([A-Za-z_][A-Za-z0-9_]{4,})|([A-Za-z_][A-Za-z0-9_]{4,})\(")
# a passage ends at a blank line or where a list item begins
_PASSAGE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+] |\d+\. |#\d+))")
_MARKUP = re.compile(r"[`*|\[\]]|:[a-z:]+:|^[#=\-~^\s]+$", re.M)

Passages = dict[str, list[tuple[str, str]]]  # definition name -> (doc path, passage)


def doc_links(store: Store, root: Path) -> Passages:
    """The passages of the documentation files that name each rarely defined name."""
    names = _rare_names(store)
    links: Passages = defaultdict(list)
    for path in _doc_paths(store):
        try:
            data = (root / path).read_bytes()[:MAX_DOC_BYTES]
        except OSError:
            continue
        text = _URL.sub(" ", data.decode("utf-8", errors="replace"))
        for passage in _PASSAGE_BREAK.split(text):
            named = _named(passage) & names
            plain = " ".join(_MARKUP.sub(" ", passage).split())[:PASSAGE_CHARS]
            if not named or not _prose(plain):
                continue
            for name in named:
                if len(links[name]) < PASSAGES_PER_NAME:
                    links[name].append((path, plain))
    return links


def docs_note(facts: FileFacts, d: dict[str, Any], links: Passages, priority: float) -> Note | None:
    """The documentation's passages that name the definition."""
    passages = links.get(d["name"], [])
    if not passages:
        return None
    title = f"Docs on {d['qualname']}: {passages[0][1][:160]}"
    body = " ".join(f"{path}: {text}" for path, text in passages)
    return note(facts, d, "docs", title, body, priority)


def _prose(text: str) -> bool:
    """Sentences, not an example: enough words, and most of it words (a doctest or a shell
    session is mostly code)."""
    words = len(_WORD.findall(text))
    return ">>>" not in text and words >= MIN_WORDS and words >= PROSE_SHARE * len(text.split())


def _named(passage: str) -> set[str]:
    """Names the passage uses as code: spelled like an identifier (with an underscore or an
    inner capital) or written as code (in backticks, called, after a dot)."""
    shaped = {n for n in _NAME.findall(passage) if "_" in n.strip("_") or _inner_capital(n)}
    return shaped | {a or b for a, b in _CODE_NAME.findall(passage)}


def _inner_capital(name: str) -> bool:
    return any(c.isupper() for c in name[1:]) and any(c.islower() for c in name)


def _rare_names(store: Store) -> set[str]:
    """Names of few definitions, all in the project's own code (not tests, examples, or vendored
    scripts, whose names a guide quotes in its examples)."""
    rows = names_defined_at_most(store, MAX_DEFINITIONS_OF_NAME, MIN_NAME)
    return {name for name, paths in rows if all(_own_code(p) for p in paths)}


def _own_code(path: str) -> bool:
    parts = set(path.lower().split("/")[:-1])
    return is_source_path(path) and not is_test_path(path) and not parts & NOT_OWN_DIRS


def _doc_paths(store: Store) -> list[str]:
    return [p for p in files_without_language(store) if _is_doc(p)]


def _is_doc(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    if path.startswith(".") or "/." in path:  # .github issue templates and the like
        return False
    return name.endswith(DOC_SUFFIXES) or name.split(".", 1)[0] in DOC_STEMS
