"""The doc of a definition node: a Python docstring, Elixir's @doc, or the comments right
above it, cleaned of their comment marks. Pure functions over tree-sitter nodes."""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

# Comment nodes across the grammars (Swift: multiline_comment; Haskell: haddock, its doc comments).
COMMENTS = frozenset({"comment", "line_comment", "block_comment", "multiline_comment", "haddock"})
# Nodes that may sit between a doc comment and its definition.
ANNOTATIONS = frozenset({"attribute_item", "decorator", "annotation", "marker_annotation"})
# Statements that wrap a definition; the comment above them documents it.
WRAPPERS = frozenset(
    {
        "export_statement",
        "lexical_declaration",
        "variable_declaration",
        "type_declaration",
        "const_declaration",
        "template_declaration",
        "ambient_declaration",
        "expression_statement",
        "decorated_definition",
    }
)
MAX_DOC = 1000
_COMMENT_MARKS = re.compile(
    r"^\s*(?:/\*+!?|\*+/|\*(?!/)|//+!?|#+|-{2,}(?:\[=*\[|\s?[|^])?|\]=*\]|\{-\s?\|?)\s?|\s*(?:\*+/|-\})\s*$"
)
# C# XML doc tags: <summary> goes, <see cref="X"/> leaves X.
_XML_DOC = re.compile(
    r'</?(?:summary|remarks|returns|value|para|c|code|example)>|<\w+\s+(?:cref|name|langword)="([^"]*)"\s*/>'
)
_STRING_QUOTES = re.compile(r"^[rRbBuUfF]*(\"\"\"|'''|\"|')(.*)\1$", re.DOTALL)


def _python_doc(node: Node) -> str:
    """The first statement of the body, when it is a string, cleaned like inspect.getdoc."""
    body = node.child_by_field_name("body")
    if body is None:
        return ""
    for index in range(body.named_child_count):
        statement = body.named_child(index)
        if statement.type == "comment":
            continue
        if statement.type != "expression_statement" or statement.named_child_count != 1:
            return ""
        string = statement.named_children[0]
        return _clean_docstring(_text(string)) if string.type == "string" else ""
    return ""


def _clean_docstring(raw: str) -> str:
    quoted = _STRING_QUOTES.match(raw)
    return inspect.cleandoc(quoted.group(2) if quoted else raw)[:MAX_DOC]


def _leading_comment(node: Node) -> str:
    """The comments right above a definition, or above the statement that wraps it, or, for
    the first of a list, the end of what comes before the list (a Haskell doc comment
    that the grammar puts at the end of the imports)."""
    anchor = node
    previous, row = _previous(anchor)
    while previous is None and anchor.parent is not None and anchor.parent.type in WRAPPERS:
        anchor = anchor.parent
        previous, row = _previous(anchor)
    if previous is None:
        previous = _previous_leaf(anchor)
    lines: list[str] = []
    while previous is not None and previous.type in COMMENTS and previous.end_point[0] >= row - 1:
        before = previous.prev_sibling
        if before is not None and before.end_point[0] == previous.start_point[0]:
            break  # a trailing comment of the code before it
        lines[:0] = _text(previous).splitlines()
        row = previous.start_point[0]
        previous = previous.prev_named_sibling
    cleaned = (_COMMENT_MARKS.sub("", line).rstrip() for line in lines)
    return "\n".join(line for line in cleaned if line.strip())[:MAX_DOC]


def _previous_leaf(node: Node | None) -> Node | None:
    while node is not None and node.prev_sibling is None:
        node = node.parent
    node = node.prev_sibling if node is not None else None
    while node is not None and node.child_count and node.type not in COMMENTS:
        node = node.children[-1]
    return node


def _csharp_doc(node: Node) -> str:
    lines = (
        _XML_DOC.sub(lambda m: m.group(1) or "", line).strip()
        for line in _leading_comment(node).splitlines()
    )
    return "\n".join(line for line in lines if line)


def _elixir_doc(node: Node) -> str:
    """The `@moduledoc` at the top of a module, or the `@doc` above a function (past `@spec`
    and other attributes); else the comments above it."""
    block = next((c for c in node.named_children if c.type == "do_block"), None)
    candidates = [(c, "moduledoc") for c in block.named_children[:1]] if block is not None else []
    previous = node.prev_named_sibling
    while previous is not None and previous.type == "unary_operator":
        candidates.append((previous, "doc"))
        previous = previous.prev_named_sibling
    for candidate, attribute in candidates:
        doc = _elixir_attribute_doc(candidate, attribute)
        if doc is not None:
            return doc
    return _leading_comment(node)


def _elixir_attribute_doc(node: Node, attribute: str) -> str | None:
    """The text of `@doc "..."` (or `@moduledoc`), "" for `@doc false`, None for another node."""
    call = (
        node.named_children[0] if node.type == "unary_operator" and node.named_child_count else None
    )
    target = (
        call.child_by_field_name("target") if call is not None and call.type == "call" else None
    )
    if call is None or target is None or _text(target) != attribute:
        return None
    arguments = next((c for c in call.named_children if c.type == "arguments"), None)
    value = (
        arguments.named_children[0]
        if arguments is not None and arguments.named_child_count
        else None
    )
    parts = value.named_children if value is not None and value.type in ("string", "sigil") else []
    text = "".join(_text(p) for p in parts if p.type in ("quoted_content", "escape_sequence"))
    return inspect.cleandoc(text)[:MAX_DOC]


def _previous(node: Node) -> tuple[Node | None, int]:
    """The named sibling before a node, skipping attributes and annotations, and the first
    row of what was skipped."""
    row = node.start_point[0]
    previous = node.prev_named_sibling
    while previous is not None and previous.type in ANNOTATIONS:
        row = previous.start_point[0]
        previous = previous.prev_named_sibling
    return previous, row


DOC_READERS = {"python": _python_doc, "elixir": _elixir_doc, "csharp": _csharp_doc}


def doc_of(node: Node, language: str) -> str:
    return DOC_READERS.get(language, _leading_comment)(node)


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")
