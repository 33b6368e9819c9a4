"""Definitions and references of one file, from tree-sitter tag queries kept as data files.

`parse_source` is pure: (path, source, language) -> ParsedFile. Parsers and compiled queries
are cached per process, since the indexer calls it in the workers of a process pool. The
queries find names and ranges; nesting, qualified names, signatures and docs are derived here
from the captured nodes, so only those nodes are visited in Python.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass, replace
from typing import Any

from swe_agent.code.languages import GRAMMARS, get_language, query_source
from swe_agent.code.parsed import Definition, ParsedFile, Reference

# A function directly inside one of these is a method.
CONTAINERS = frozenset({"class", "interface", "impl", "enum"})
VERSION = "2"  # bump when what is extracted changes: stores built with another version are parsed again
DECLARATIONS = {"field_declaration", "declaration"}  # C and C++ nodes of a function without its body
# Kinds that hold other definitions; a constant or a type alias does not.
SCOPES = CONTAINERS | {"module", "function", "method"}
COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
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
MAX_SIGNATURE = 200
MAX_DOC = 1000
_COMMENT_MARKS = re.compile(r"^\s*(?:/\*+!?|\*+/|\*(?!/)|//+!?|#+|--)\s?|\s*\*+/\s*$")
_STRING_QUOTES = re.compile(r"^[rRbBuUfF]*(\"\"\"|'''|\"|')(.*)\1$", re.DOTALL)


@dataclass(slots=True)
class _Found:
    """A definition as the query saw it, before nesting gives it a qualified name."""

    name: str
    label: str  # the <kind> of @definition.<kind>
    node: Any
    receiver: str | None  # Go and C++ methods defined outside their type
    pattern: int


@dataclass(frozen=True, slots=True)
class _Scope:
    qualname: str
    kind: str
    end_byte: int


@functools.cache
def _tools(language: str) -> tuple[Any, Any]:
    import tree_sitter

    lang = get_language(language)
    return tree_sitter.Parser(lang), tree_sitter.Query(lang, query_source(language))


def parse_source(path: str, source: bytes, language: str | None) -> ParsedFile:
    """Definitions, references and the count of syntax errors of one file's bytes."""
    if language not in GRAMMARS:
        return ParsedFile(language=None)
    import tree_sitter

    parser, query = _tools(language)
    root = parser.parse(source).root_node
    found, raw_refs = _captures(tree_sitter.QueryCursor(query).matches(root))
    definitions = _definitions(found, language, source)
    owner = _line_owner(definitions, root.end_point[0] + 2)
    references = sorted(
        {Reference(name, line, kind, owner[line]) for name, line, kind in raw_refs},
        key=lambda r: (r.line, r.name, r.kind),
    )
    errors = _count_errors(root) if root.has_error else 0
    return ParsedFile(language, definitions, references, errors)


def _text(node: Any) -> str:
    return node.text.decode("utf-8", errors="replace")


def _captures(matches: list[Any]) -> tuple[list[_Found], list[tuple[str, int, str]]]:
    """Definitions (one per node, the earliest pattern wins) and (name, line, kind) refs."""
    defs: dict[tuple[int, int], _Found] = {}
    refs: list[tuple[str, int, str]] = []
    for pattern, caps in matches:
        names = caps.get("name")
        if not names:
            continue
        name_node = names[0]
        for label, nodes in caps.items():
            group, _, kind = label.partition(".")
            if group == "definition":
                node = nodes[0]
                key = (node.start_byte, node.end_byte)
                if key not in defs or pattern < defs[key].pattern:
                    receiver = caps.get("receiver")
                    scope = _text(receiver[0]).replace("::", ".") if receiver else None
                    defs[key] = _Found(_text(name_node), kind, node, scope, pattern)
            elif group == "reference":
                name = _text(name_node)
                if kind == "import":
                    name = _import_name(name)
                if name:
                    refs.append((name, name_node.start_point[0] + 1, kind))
    ordered = sorted(defs.values(), key=lambda d: (d.node.start_byte, -d.node.end_byte))
    return ordered, refs


def _import_name(raw: str) -> str:
    """'"net/http"' -> 'http', '<stdio.h>' -> 'stdio', './format.js' -> 'format'."""
    last = raw.strip("\"'<> ").replace("::", "/").rstrip("/").rpartition("/")[2]
    stem = last.rpartition(".")[0]
    return stem if stem.strip(".") else last.strip(".")


def _definitions(found: list[_Found], language: str, source: bytes) -> list[Definition]:
    out: list[Definition] = []
    bodiless: list[bool] = []  # a C/C++ prototype or in-class method declaration
    stack: list[_Scope] = []
    for f in found:
        while stack and stack[-1].end_byte < f.node.end_byte:
            stack.pop()
        outer = stack[-1] if stack else None
        prefix = f"{outer.qualname}." if outer else ""
        parent = f"{prefix}{f.receiver}" if f.receiver else (outer.qualname if outer else None)
        qualname = f"{parent}.{f.name}" if parent else f.name
        kind = _kind(f.label, outer.kind if outer else None, f.receiver is not None)
        if kind in SCOPES:
            stack.append(_Scope(qualname, kind, f.node.end_byte))
        if kind == "impl":  # a Rust impl block only names its methods' parent
            continue
        out.append(
            Definition(
                name=f.name,
                qualname=qualname,
                kind=kind,
                start_line=f.node.start_point[0] + 1,
                end_line=_end_line(f.node),
                signature=_signature(f.node, source, language),
                doc=_python_doc(f.node) if language == "python" else _leading_comment(f.node),
                parent=parent,
            )
        )
        bodiless.append(f.node.type in DECLARATIONS)
    return _without_declarations_of_defined(out, bodiless)


def _without_declarations_of_defined(definitions: list[Definition], bodiless: list[bool]) -> list[Definition]:
    """A declaration (`void push(int);` in a class, a C prototype) whose definition is in the
    same file gives way to it, handing on its comment when the definition has none."""
    defined = {d.qualname: d for d, b in zip(definitions, bodiless, strict=True) if not b}
    docs = {d.qualname: d.doc for d, b in zip(definitions, bodiless, strict=True) if b and d.doc}
    out = []
    for d, b in zip(definitions, bodiless, strict=True):
        if b and d.qualname in defined:
            continue
        out.append(replace(d, doc=docs[d.qualname]) if not b and not d.doc and d.qualname in docs else d)
    return out


def _kind(label: str, outer: str | None, has_receiver: bool) -> str:
    if label not in ("function", "method"):
        return label
    if has_receiver or outer in CONTAINERS or (label == "method" and outer == "module"):
        return "method"
    return "function"


def _end_line(node: Any) -> int:
    """1-based last line; a node that ends with its newline ends on the line before."""
    row, column = node.end_point
    return row if column == 0 and row > node.start_point[0] else row + 1


def _signature(node: Any, source: bytes, language: str) -> str:
    """The header: up to the body (a Python header up to its ':'), else the first line."""
    start = node.start_byte
    body = node.child_by_field_name("body")
    if body is not None and body.start_byte > start:
        end = body.start_byte
        if language == "python":
            colons = [c.end_byte for c in node.children if c.type == ":" and c.end_byte <= end]
            end = colons[-1] if colons else end
    else:
        newline = source.find(b"\n", start, node.end_byte)
        end = newline if newline != -1 else node.end_byte
    text = source[start : min(end, start + 4 * MAX_SIGNATURE)]
    return " ".join(text.decode("utf-8", errors="replace").split())[:MAX_SIGNATURE]


def _python_doc(node: Any) -> str:
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


def _leading_comment(node: Any) -> str:
    """The comments right above a definition, or above the statement that wraps it."""
    anchor = node
    previous, row = _previous(anchor)
    while previous is None and anchor.parent is not None and anchor.parent.type in WRAPPERS:
        anchor = anchor.parent
        previous, row = _previous(anchor)
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


def _previous(node: Any) -> tuple[Any, int]:
    """The named sibling before a node, skipping attributes and annotations, and the first
    row of what was skipped."""
    row = node.start_point[0]
    previous = node.prev_named_sibling
    while previous is not None and previous.type in ANNOTATIONS:
        row = previous.start_point[0]
        previous = previous.prev_named_sibling
    return previous, row


def _line_owner(definitions: list[Definition], size: int) -> list[str | None]:
    """The qualname of the innermost definition covering each line (index = line number)."""
    owner: list[str | None] = [None] * size
    for d in definitions:  # outer definitions come first, so inner ones overwrite them
        end = min(d.end_line, size - 1)
        owner[d.start_line : end + 1] = [d.qualname] * (end + 1 - d.start_line)
    return owner


def _count_errors(root: Any) -> int:
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        stack.extend(child for child in node.children if child.has_error)
    return count
