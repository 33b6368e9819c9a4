"""Definitions and references of one file, from tree-sitter tag queries kept as data files.

`parse_source` is pure: (path, source, language) -> ParsedFile. Parsers and compiled queries
are cached per process, since the indexer calls it in the workers of a process pool. The
queries find names and ranges; nesting, qualified names and signatures are derived here, and
docs in code/docs.py, from the captured nodes, so only those nodes are visited in Python.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from swe_agent.code.declarations import DECLARATION
from swe_agent.code.docs import doc_of
from swe_agent.code.languages import GRAMMARS, get_language, query_source
from swe_agent.code.parsed import Definition, ParsedFile, Reference

if TYPE_CHECKING:  # tree_sitter is imported when a file is parsed
    from tree_sitter import Node, Parser, Query

# A function directly inside one of these is a method.
CONTAINERS = frozenset({"class", "interface", "impl", "enum"})
VERSION = (
    "8"  # bump when what is extracted changes: stores built with another version are parsed again
)
DECLARATIONS = {
    "field_declaration",
    "declaration",
}  # C and C++ nodes of a function without its body
PROTOTYPES = frozenset({"c", "cpp"})  # the languages that write DECLARATIONS
# Kinds that hold other definitions (a constant may: an object literal of functions); a type
# alias does not.
SCOPES = CONTAINERS | {"module", "function", "method", "constant"}
# Nodes that hold a definition's body where the grammar names no `body` field.
BODIES = frozenset({"function_body", "class_body", "enum_class_body", "do_block"})
# Functions written as clauses in a row (and Haskell's type signature before them): the
# clauses of one name, one after another, are one definition.
CLAUSES = frozenset({"elixir", "haskell"})
# Imports name dotted modules (`Shop.Pricing`, "lazy.core.config"), not files with an extension.
DOTTED_IMPORTS = frozenset({"elixir", "lua"})
MAX_SIGNATURE = 200
# Rust items inside item-level macro calls (`cfg_net! { .. }`, the way tokio gates whole modules)
ITEM_MACROS = frozenset({"rust"})
ITEM_HOLDERS = frozenset({"source_file", "declaration_list"})
MACRO_DEPTH = 3  # macro calls inside macro calls, this deep
_BLANK = re.compile(rb"[^\n]")


@dataclass(slots=True)
class _Found:
    """A definition as the query saw it, before nesting gives it a qualified name."""

    name: str
    label: str  # the <kind> of @definition.<kind>
    node: Node
    receiver: str | None  # Go and C++ methods defined outside their type
    pattern: int
    name_byte: int


@dataclass(frozen=True, slots=True)
class _Scope:
    qualname: str
    kind: str
    end_byte: int


@functools.cache
def _tools(language: str) -> tuple[Parser, Query]:
    import tree_sitter

    lang = get_language(language)
    return tree_sitter.Parser(lang), tree_sitter.Query(lang, query_source(language))


def prepare(languages: Iterable[str | None]) -> None:
    """Build the parsers and compiled queries of these languages now: a process forked after
    this inherits them and parses its first file of each at once (python: ~0.02 s each)."""
    for language in set(languages):
        if language in GRAMMARS:
            _tools(language)


def parse_source(path: str, source: bytes, language: str | None) -> ParsedFile:
    """Definitions, references and the count of syntax errors of one file's bytes."""
    if language not in GRAMMARS:
        return ParsedFile(language=None)
    import tree_sitter

    parser, query = _tools(language)
    root = parser.parse(source).root_node
    errors = _count_errors(root) if root.has_error else 0
    if errors and language in PROTOTYPES:
        root, errors = _without_macros(parser, source, root, errors)
    matches = tree_sitter.QueryCursor(query).matches(root)
    if language in ITEM_MACROS:
        for inner in _macro_items(parser, root, source):
            matches += tree_sitter.QueryCursor(query).matches(inner)
    found, raw_refs = _captures(matches, language in DOTTED_IMPORTS)
    definitions = _definitions(found, language, source)
    owner = _line_owner(definitions, root.end_point[0] + 2)
    references = [  # each once, by line, name and kind (where they are, the owner is too)
        Reference(name, line, kind, owner[line])
        for line, name, kind in sorted({(line, name, kind) for name, line, kind in raw_refs})
    ]
    return ParsedFile(language, definitions, references, errors)


def _without_macros(parser: Parser, source: bytes, root: Node, errors: int) -> tuple[Node, int]:
    """A C or C++ file that tree-sitter could not read whole, parsed again with its
    declaration-wrapping macros blanked (code/macros.py); the parse with fewer errors wins,
    so a file that parses cleanly, or one the blanking does not help, is read as it was.
    code/macros.py is imported here, by the first C or C++ file with errors: its expressions
    take ~10 ms to compile, before a first index forks its parser process."""
    from swe_agent.code.macros import blank_macros

    blanked = blank_macros(source)
    if blanked == source:
        return root, errors
    other = parser.parse(blanked).root_node
    fewer = _count_errors(other) if other.has_error else 0
    return (other, fewer) if fewer < errors else (root, errors)


def _macro_items(parser: Parser, root: Node, source: bytes) -> list[Node]:
    """Trees of the items written inside item-level macro calls (`cfg_net! { pub struct
    UdpSocket {..} }`), which the grammar leaves as unparsed tokens: each is the file parsed
    again with only those calls' insides kept, every other byte blanked (newlines stay), so
    its nodes have the file's own lines and bytes. Calls inside those insides come next."""
    trees: list[Node] = []
    blank = _BLANK.sub(b" ", source)
    for _ in range(MACRO_DEPTH):
        spans = [
            (body.start_byte + 1, body.end_byte - 1)
            for call in _item_macro_calls(root)
            for body in call.children[-1:]
            if body.type == "token_tree" and source[body.start_byte : body.start_byte + 1] == b"{"
        ]
        if not spans:
            break
        inner = _parse_kept(parser, source, blank, spans)
        if inner.has_error:  # a call whose insides are not items (a table, a DSL) stays as it was
            spans = [s for s in spans if not _parse_kept(parser, source, blank, [s]).has_error]
            if not spans:
                break
            inner = _parse_kept(parser, source, blank, spans)
        trees.append(inner)
        root = inner
    return trees


def _parse_kept(parser: Parser, source: bytes, blank: bytes, spans: list[tuple[int, int]]) -> Node:
    """The file parsed with only these spans' bytes kept (`blank`: the file, every byte but its
    newlines a space)."""
    kept = bytearray(blank)
    for start, end in spans:
        kept[start:end] = source[start:end]
    return parser.parse(bytes(kept)).root_node


def _item_macro_calls(root: Node) -> list[Node]:
    """Macro calls where an item may stand: in a file, a module, an impl or a trait body."""
    calls, stack = [], [root]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.type == "macro_invocation":
                calls.append(child)
            elif child.type in ITEM_HOLDERS:
                stack.append(child)
            elif child.type in ("mod_item", "impl_item", "trait_item"):
                stack.extend(c for c in child.children if c.type in ITEM_HOLDERS)
    return calls


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _captures(
    matches: list[tuple[int, dict[str, list[Node]]]], dotted: bool
) -> tuple[list[_Found], list[tuple[str, int, str]]]:
    """Definitions (one per node, the earliest pattern wins) and (name, line, kind) refs.
    A dotted name (`defmodule Shop.Cart`) is the name `Cart` under the receiver `Shop`."""
    defs: dict[tuple[int, int], _Found] = {}
    refs: list[tuple[str, int, str, int]] = []
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
                if (
                    key not in defs or pattern < defs[key].pattern
                ) and name_node.end_byte > name_node.start_byte:
                    receiver = caps.get("receiver")
                    scope = _text(receiver[0]).replace("::", ".") if receiver else None
                    prefix, _, name = _name_text(name_node).rpartition(".")
                    if prefix.strip("."):
                        scope = f"{scope}.{prefix}" if scope else prefix
                    defs[key] = _Found(
                        name or prefix, kind, node, scope, pattern, name_node.start_byte
                    )
            elif group == "reference":
                name = _text(name_node)
                if kind == "import":
                    name = name.rpartition(".")[2] if dotted else _import_name(name)
                if name:
                    refs.append((name, name_node.start_point[0] + 1, kind, name_node.start_byte))
    ordered = sorted(defs.values(), key=lambda d: (d.node.start_byte, -d.node.end_byte))
    heads = {d.name_byte for d in ordered}  # an Elixir `def add(x)` is not a call of add
    return ordered, [(name, line, kind) for name, line, kind, at in refs if at not in heads]


_OPERATOR_SPACE = re.compile(r"\s+(?=\W)|(?<=\W)\s+")


def _name_text(node: Node) -> str:
    """A definition's name as written, a C++ qualified one dotted (`Column::iterator::next` ->
    `Column.iterator.next`) and an operator's without spaces (`operator "" _json`), but for
    the one between words of a conversion operator (`operator bool`)."""
    text = _text(node)
    if node.type == "operator_cast":  # `operator bool() const`: the name ends at its `(`
        text = text.partition("(")[0].strip()
    if text.startswith("operator"):
        return _OPERATOR_SPACE.sub("", text)
    if "::" in text:
        text = _last_word(text).replace("::", ".")
    return text


def _last_word(text: str) -> str:
    """The last space-separated part outside template arguments: a macro before a return type
    can make the parser read `simdjson_result<value> document::at` as one qualified name."""
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(depth - 1, 0)
        elif ch.isspace() and depth == 0:
            start = i + 1
    return text[start:]


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
        end_line = _end_line(f.node, source)
        last = out[-1] if out else None
        if language in CLAUSES and last and (last.qualname, last.kind) == (qualname, kind):
            out[-1] = replace(last, end_line=max(last.end_line, end_line))
            continue
        out.append(
            Definition(
                name=f.name,
                qualname=qualname,
                kind=kind,
                start_line=f.node.start_point[0] + 1,
                end_line=end_line,
                signature=_signature(f.node, source, language),
                doc=doc_of(f.node, language),
                parent=parent,
            )
        )
        bodiless.append(language in PROTOTYPES and f.node.type in DECLARATIONS)
    return _without_declarations_of_defined(out, bodiless)


def _without_declarations_of_defined(
    definitions: list[Definition], bodiless: list[bool]
) -> list[Definition]:
    """A declaration (`void push(int);` in a class, a C prototype) whose definition is in the
    same file gives way to it, handing on its comment when the definition has none; one whose
    definition is not here stays, of kind DECLARATION, so that a definition in another file
    can take its place when both are found (code/declarations.py)."""
    defined = {d.qualname: d for d, b in zip(definitions, bodiless, strict=True) if not b}
    docs = {d.qualname: d.doc for d, b in zip(definitions, bodiless, strict=True) if b and d.doc}
    out = []
    for d, b in zip(definitions, bodiless, strict=True):
        if b:
            if d.qualname not in defined:
                out.append(replace(d, kind=DECLARATION))
            continue
        out.append(replace(d, doc=docs[d.qualname]) if not d.doc and d.qualname in docs else d)
    return out


def _kind(label: str, outer: str | None, has_receiver: bool) -> str:
    if label not in ("function", "method"):
        return label
    if has_receiver or outer in CONTAINERS or (label == "method" and outer == "module"):
        return "method"
    return "function"


def _end_line(node: Node, source: bytes) -> int:
    """1-based line of the node's last character that is not white space (a node may end
    with its newline, and a Scala indented block with the next line's indentation)."""
    end = node.end_byte
    while end > node.start_byte and source[end - 1 : end] in (b" ", b"\t", b"\r", b"\n"):
        end -= 1
    return node.end_point[0] + 1 - source.count(b"\n", end, node.end_byte)


def _signature(node: Node, source: bytes, language: str) -> str:
    """The header: up to the body (a Python header up to its ':'), else the first line."""
    start = node.start_byte
    body = node.child_by_field_name("body") or next(
        (c for c in node.children if c.type in BODIES), None
    )
    if body is not None and body.start_byte > start:
        end = body.start_byte
        if language == "python":  # the last ':' of the node's own before its body
            colon = body.prev_sibling
            while colon is not None and colon.type != ":":
                colon = colon.prev_sibling
            end = colon.end_byte if colon is not None else end
    else:
        newline = source.find(b"\n", start, node.end_byte)
        end = newline if newline != -1 else node.end_byte
    text = source[start : min(end, start + 4 * MAX_SIGNATURE)]
    return " ".join(text.decode("utf-8", errors="replace").split())[:MAX_SIGNATURE]


def _line_owner(definitions: list[Definition], size: int) -> list[str | None]:
    """The qualname of the innermost definition covering each line (index = line number)."""
    owner: list[str | None] = [None] * size
    for d in definitions:  # outer definitions come first, so inner ones overwrite them
        end = min(d.end_line, size - 1)
        owner[d.start_line : end + 1] = [d.qualname] * (end + 1 - d.start_line)
    return owner


def _count_errors(root: Node) -> int:
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        stack.extend(child for child in node.children if child.has_error)
    return count
