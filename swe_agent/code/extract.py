"""Definitions and references of one file, from tree-sitter tag queries kept as data files.

`parse_source` is pure: (path, source, language) -> ParsedFile. Parsers and compiled queries
are cached per process, since the indexer calls it in the workers of a process pool.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass
from typing import Any

from swe_agent.code.languages import GRAMMARS, get_language, query_source
from swe_agent.code.model import Definition, ParsedFile, Reference

CONTAINERS = {"class", "interface", "impl", "module", "enum"}
KIND_ALIASES = {"impl": "impl", "constant": "constant"}
MAX_SIGNATURE = 200
MAX_DOC = 1000
_COMMENT_MARKS = re.compile(r"^\s*(?:/\*+|\*+/|\*|//+|#+|--)\s?|\s*\*+/\s*$")


@dataclass(slots=True)
class _Def:
    name: str
    kind: str
    node: Any
    receiver: str | None


@functools.cache
def _tools(language: str) -> tuple[Any, Any]:
    import tree_sitter

    lang = get_language(language)
    return tree_sitter.Parser(lang), tree_sitter.Query(lang, query_source(language))


def parse_source(path: str, source: bytes, language: str | None) -> ParsedFile:
    if language not in GRAMMARS:
        return ParsedFile(language=None)
    import tree_sitter

    parser, query = _tools(language)
    tree = parser.parse(source)
    root = tree.root_node
    found, refs = _captures(tree_sitter.QueryCursor(query).matches(root))
    definitions = _definitions(found, language, source)
    owner = _line_owner(definitions, root.end_point[0] + 2)
    references = sorted(
        {
            Reference(name, line, kind, owner[line] if line < len(owner) else None)
            for name, line, kind in refs
        },
        key=lambda r: (r.line, r.name, r.kind),
    )
    errors = _count_errors(root) if root.has_error else 0
    return ParsedFile(language, definitions, references, errors)


def _text(node: Any) -> str:
    return node.text.decode("utf-8", errors="replace") if node is not None else ""


def _captures(matches: list[tuple[int, dict[str, list[Any]]]]) -> tuple[list[_Def], list[tuple[str, int, str]]]:
    defs: dict[tuple[int, int], _Def] = {}
    refs: list[tuple[str, int, str]] = []
    for _, caps in matches:
        names = caps.get("name")
        if not names:
            continue
        name_node = names[0]
        for label, nodes in caps.items():
            if label.startswith("definition."):
                node = nodes[0]
                key = (node.start_byte, node.end_byte)
                if key not in defs:  # the first pattern that matched a node wins
                    receiver = caps.get("receiver")
                    defs[key] = _Def(_text(name_node), label.split(".", 1)[1], node, _text(receiver[0]) if receiver else None)
            elif label.startswith("reference."):
                kind = label.split(".", 1)[1]
                name = _text(name_node)
                if kind == "import":
                    name = _import_name(name)
                if name:
                    refs.append((name, name_node.start_point[0] + 1, kind))
    return sorted(defs.values(), key=lambda d: (d.node.start_byte, -d.node.end_byte)), refs


def _import_name(raw: str) -> str:
    """'"net/http"' -> 'http', '<stdio.h>' -> 'stdio', './utils.js' -> 'utils'."""
    raw = raw.strip("\"'<> ")
    last = raw.replace("::", "/").rstrip("/").rsplit("/", 1)[-1]
    return last.split(".", 1)[0] if "." in last and not last.startswith(".") else last


def _definitions(found: list[_Def], language: str, source: bytes) -> list[Definition]:
    out: list[Definition] = []
    stack: list[tuple[_Def, Definition]] = []
    for d in found:
        while stack and stack[-1][0].node.end_byte < d.node.end_byte:
            stack.pop()
        while stack and not (stack[-1][0].node.start_byte <= d.node.start_byte and d.node.end_byte <= stack[-1][0].node.end_byte):
            stack.pop()
        parent = stack[-1][1] if stack else None
        if d.receiver:
            qualname = f"{d.receiver}.{d.name}"
        else:
            qualname = f"{parent.qualname}.{d.name}" if parent else d.name
        kind = d.kind
        if kind in ("function", "method"):
            kind = "method" if (parent and parent.kind in CONTAINERS) or d.receiver else "function"
        if kind == "constant" and language == "python" and not d.name.isupper():
            kind = "variable"
        definition = Definition(
            name=d.name,
            qualname=qualname,
            kind=kind,
            start_line=d.node.start_point[0] + 1,
            end_line=d.node.end_point[0] + 1,
            signature=_signature(d.node),
            doc=_doc(d.node, language),
            parent=parent.qualname if parent else None,
        )
        out.append(definition)
        stack.append((d, definition))
    return out


def _signature(node: Any) -> str:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None and body.start_byte > node.start_byte else None
    text = node.text[: end - node.start_byte] if end else node.text.split(b"\n", 1)[0]
    line = " ".join(text.decode("utf-8", errors="replace").split())
    return line[:MAX_SIGNATURE]


def _doc(node: Any, language: str) -> str:
    if language == "python":
        body = node.child_by_field_name("body")
        if body is not None and body.named_child_count:
            first = body.named_children[0]
            if first.type == "expression_statement" and first.named_child_count and first.named_children[0].type == "string":
                return _clean_docstring(_text(first.named_children[0]))
        return ""
    return _leading_comment(node)


def _clean_docstring(raw: str) -> str:
    raw = re.sub(r'^[rRbBuUfF]*("""|\'\'\'|"|\')', "", raw)
    raw = re.sub(r'("""|\'\'\'|"|\')$', "", raw)
    return inspect.cleandoc(raw)[:MAX_DOC]


def _leading_comment(node: Any) -> str:
    """Comments right above the definition (or above the statement that wraps it)."""
    anchor = node
    while anchor.parent is not None and anchor.parent.type != "program" and anchor.parent.start_byte == anchor.start_byte:
        anchor = anchor.parent
    if anchor.parent is not None and anchor.parent.type in ("lexical_declaration", "variable_declaration", "export_statement"):
        anchor = anchor.parent
    lines: list[str] = []
    previous, row = anchor.prev_sibling, anchor.start_point[0]
    while previous is not None and previous.type in ("comment", "line_comment", "block_comment") and previous.end_point[0] >= row - 1:
        lines[:0] = _text(previous).splitlines()
        row = previous.start_point[0]
        previous = previous.prev_sibling
    cleaned = [_COMMENT_MARKS.sub("", ln).rstrip() for ln in lines]
    return "\n".join(ln for ln in cleaned if ln.strip())[:MAX_DOC]


def _line_owner(definitions: list[Definition], size: int) -> list[str | None]:
    owner: list[str | None] = [None] * size
    for d in definitions:  # sorted outer first, so inner definitions overwrite
        for line in range(d.start_line, min(d.end_line, size - 1) + 1):
            owner[line] = d.qualname
    return owner


def _count_errors(root: Any) -> int:
    count, cursor, stack = 0, None, [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    del cursor
    return count
