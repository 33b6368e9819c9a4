"""Real parsing of the fixture files, one per language; expected lines come from the text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from swe_agent.code.extract import parse_source
from swe_agent.code.languages import KNOWN_LANGUAGES, language_for
from swe_agent.code.parsed import Definition, ParsedFile, Reference
from tests.helpers import SAMPLE


def parse(rel: str, root: Path = SAMPLE) -> tuple[ParsedFile, str]:
    data = (root / rel).read_bytes()
    return parse_source(rel, data, language_for(rel)), data.decode()


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the fixture")


def definition(parsed: ParsedFile, qualname: str, line: int | None = None) -> Definition:
    found = [d for d in parsed.definitions if d.qualname == qualname]
    if line is not None:
        found = [d for d in found if d.start_line == line]
    assert found, f"{qualname} not in {[d.qualname for d in parsed.definitions]}"
    return found[0]


# path, [(qualname, kind, text on its first line)], (qualname, words in its doc),
# [(name, kind, enclosing)] references that must be there
CASES = [
    (
        "web/cart.js",
        [
            ("Cart", "class", "export class Cart {"),
            ("Cart.add", "method", "  add(sku, price"),
            ("Cart.subtotal", "method", "  subtotal() {"),
            ("receipt", "function", "export function receipt"),
            ("emptyCart", "function", "export const emptyCart"),
            ("applyCoupon", "function", "onCheckout(function applyCoupon"),
        ],
        ("Cart", "A shopping cart that keeps line items in insertion order."),
        [
            ("formatPrice", "import", None),
            ("format", "import", None),
            ("formatPrice", "call", "receipt"),
            ("subtotal", "call", "Cart.total"),
            ("Cart", "class", "emptyCart"),
        ],
    ),
    (
        "web/types.ts",
        [
            ("Item", "interface", "export interface Item"),
            ("Item.describe", "method", "  describe(): string;"),
            ("Currency", "type", "export type Currency"),
            ("Status", "enum", "export enum Status"),
            ("LineItem", "class", "export class LineItem"),
            ("LineItem.totalCents", "method", "totalCents(): number"),
            ("sumLines", "function", "export function sumLines"),
        ],
        ("LineItem", "A priced line of an order."),
        [
            ("toCents", "import", None),
            ("money", "import", None),
            ("toCents", "call", "LineItem.totalCents"),
            ("Item", "implementation", "LineItem"),
            ("Money", "type", "Item"),
        ],
    ),
    (
        "web/widget.tsx",
        [
            ("CartProps", "interface", "interface CartProps"),
            ("Row", "function", "function Row("),
            ("CartWidget", "function", "export function CartWidget"),
        ],
        ("CartWidget", "The cart widget: a list of rows and a collapsible total."),
        [
            ("useState", "import", None),
            ("sumLines", "import", None),
            ("sumLines", "call", "CartWidget"),
            ("Row", "call", "CartWidget"),
        ],
    ),
    (
        "tools/main.go",
        [
            ("maxItems", "constant", "const maxItems"),
            ("Inventory", "class", "type Inventory struct"),
            ("Inventory.Add", "method", "func (inv *Inventory) Add"),
            ("Inventory.Total", "method", "func (inv Inventory) Total"),
            ("NewInventory", "function", "func NewInventory"),
            ("main", "function", "func main()"),
        ],
        ("Inventory.Add", "Add records n more of the named item."),
        [
            ("strings", "import", None),
            ("fmt", "import", None),
            ("ToLower", "call", "Inventory.Add"),
            ("NewInventory", "call", "main"),
        ],
    ),
    (
        "native/checksum.rs",
        [
            ("Checksum", "class", "pub struct Checksum"),
            ("Digest", "interface", "pub trait Digest"),
            ("Digest.update", "method", "    fn update(&mut self, data: &[u8]);"),
            ("Checksum.new", "method", "pub fn new() -> Self"),
            ("Checksum.update", "method", "    fn update(&mut self, data: &[u8]) {"),
            ("Checksum.fmt", "method", "fn fmt(&self"),
            ("checksum_all", "function", "pub fn checksum_all"),
        ],
        ("Checksum", "A running Adler-32 checksum."),
        [
            ("HashMap", "import", None),
            ("fmt", "import", None),
            ("new", "call", "checksum_all"),
            ("Digest", "implementation", None),
        ],
    ),
    (
        "java/Cart.java",
        [
            ("Cart", "class", "public class Cart"),
            ("Cart.Cart", "method", "public Cart()"),
            ("Cart.add", "method", "public void add"),
            ("Cart.total", "method", "public int total()"),
        ],
        ("Cart.add", "Adds one item at the given price in cents."),
        [
            ("List", "import", None),
            ("ArrayList", "import", None),
            ("total", "call", "Cart.toString"),
            ("add", "call", "Cart.add"),
        ],
    ),
    (
        "c/crc.c",
        [
            ("POLY", "constant", "#define POLY"),
            ("MASK", "macro", "#define MASK"),
            ("build_table", "function", "static void build_table"),
            ("crc_update", "function", "void crc_update"),
            ("main", "function", "int main"),
        ],
        ("crc_update", "Feed len bytes into the running checksum."),
        [
            ("crc", "import", None),
            ("stdio", "import", None),
            ("build_table", "call", "crc_init"),
            ("crc_final", "call", "main"),
        ],
    ),
    (
        "c/crc.h",
        [
            ("CRC32_INIT", "constant", "#define CRC32_INIT"),
            ("crc_state", "class", "struct crc_state {"),
            ("crc_init", "declaration", "void crc_init"),
        ],
        ("crc_state", "Incremental CRC-32 state."),
        [("stdint", "import", None)],
    ),
    (
        "cpp/ring.cpp",
        [
            ("shop", "module", "namespace shop"),
            ("shop.Ring", "class", "class Ring {"),
            ("shop.Ring.push", "method", "void Ring::push"),
            ("shop.Ring.latest", "method", "int latest() const"),
            ("main", "function", "int main()"),
        ],
        ("shop.Ring", "A fixed-size ring buffer of recent order ids."),
        [
            ("vector", "import", None),
            ("push", "call", "main"),
            ("min", "call", "shop.Ring.push"),
        ],
    ),
    (
        "ruby/cart.rb",
        [
            ("Shop", "module", "module Shop"),
            ("Shop.TAX", "constant", "TAX = 0.2"),
            ("Shop.Cart", "class", "class Cart"),
            ("Shop.Cart.add", "method", "def add(sku, price)"),
            ("Shop.Cart.total", "method", "def total"),
            ("Shop.Cart.empty", "method", "def self.empty"),
        ],
        ("Shop.Cart.add", "Adds an item and returns the cart."),
        [
            ("json", "import", None),
            ("pricing", "import", None),
            ("round", "call", "Shop.Cart.total"),
        ],
    ),
]


@pytest.mark.parametrize(("path", "expected", "doc", "refs"), CASES, ids=[c[0] for c in CASES])
def test_fixture_in_each_language(path, expected, doc, refs):
    check_fixture(SAMPLE, path, expected, doc, refs)


def check_fixture(root: Path, path: str, expected, doc, refs) -> None:
    parsed, text = parse(path, root)
    assert parsed.language == language_for(path)
    assert parsed.error_count == 0
    for qualname, kind, first_line in expected:
        d = definition(parsed, qualname, line_of(text, first_line))
        assert d.kind == kind, qualname
        assert d.name == qualname.rsplit(".", 1)[-1]
        assert d.parent == (qualname.rpartition(".")[0] or None)
        assert d.end_line >= d.start_line
        assert d.signature
        assert len(d.signature) <= 200
    assert definition(parsed, doc[0]).doc == doc[1]
    found = {(r.name, r.kind, r.enclosing) for r in parsed.references}
    for ref in refs:
        assert ref in found, f"{ref} not in {sorted(found, key=str)}"


def test_python_methods_docstrings_and_calls():
    parsed, text = parse("minihttp/sessions.py")
    method = definition(parsed, "Session.resolve_redirects")
    assert method.kind == "method"
    assert method.parent == "Session"
    assert method.start_line == line_of(text, "    def resolve_redirects(")
    assert method.end_line == line_of(text, "    def rebuild_auth(") - 2
    assert method.signature == "def resolve_redirects(self, response, prepared):"
    assert method.doc.startswith("Follow Location headers until a non-redirect response")
    assert definition(parsed, "Session").kind == "class"
    assert definition(parsed, "request").kind == "function"
    assert definition(parsed, "DEFAULT_REDIRECT_LIMIT").kind == "constant"
    refs = set(parsed.references)
    auth = "Session.rebuild_auth"
    assert Reference("parse_url", line_of(text, "old_host = parse_url("), "call", auth) in refs
    assert Reference("parse_url", line_of(text, "import parse_url"), "import", None) in refs


def test_python_multiline_signature_and_nesting():
    source = b'''class Outer:
    def run(
        self,
        count: int = 3,  # how many
    ) -> dict[str, int]:  # the result: a dict
        """
        Run it.

            Indented detail.
        """

        def helper():
            return count

        return {"n": helper()}
'''
    parsed = parse_source("outer.py", source, "python")
    run = definition(parsed, "Outer.run")
    assert run.signature == "def run( self, count: int = 3, # how many ) -> dict[str, int]:"
    assert (run.start_line, run.end_line) == (2, 15)
    assert run.doc == "Run it.\n\n    Indented detail."
    helper = definition(parsed, "Outer.run.helper")
    assert (helper.kind, helper.parent) == ("function", "Outer.run")
    assert Reference("helper", 15, "call", "Outer.run") in parsed.references


def test_syntax_error_keeps_what_came_before():
    source = (
        b"import os\n\ndef fine(a):\n    return os.path.join(a)\n\ndef broken(:\n    return (1 +\n"
    )
    parsed = parse_source("broken.py", source, "python")
    assert parsed.error_count > 0
    fine = definition(parsed, "fine")
    assert (fine.kind, fine.start_line, fine.end_line) == ("function", 3, 4)
    assert Reference("join", 4, "call", "fine") in parsed.references


def test_invalid_utf8_does_not_crash():
    source = b'def caf\xe9(x):\n    """Bad \xff bytes."""\n    return \xfe(x)\n'
    parsed = parse_source("bad.py", source, "python")
    assert parsed.language == "python"
    assert all(isinstance(d.name, str) for d in parsed.definitions)
    for lang in KNOWN_LANGUAGES:
        assert parse_source("bad", b"\xff\xfe\x00 {[( \xc3", lang).language == lang


@pytest.mark.parametrize("language", [None, "cobol"])
def test_unknown_language_gives_an_empty_file(language):
    assert parse_source("notes.txt", b"def f(): pass", language) == ParsedFile(language=None)


def test_language_for_extensions():
    assert language_for("a/b.PY") == "python"
    assert language_for("x.mjs") == "javascript"
    assert language_for("x.tsx") == "tsx"
    assert language_for("x.h") == "c"
    assert language_for("x.hpp") == "cpp"
    assert language_for("Makefile") is None
    assert language_for("README.md") is None


def test_importing_loads_no_grammar():
    code = (
        "import sys, swe_agent.code.extract, swe_agent.code.languages;"
        "print(sorted(m for m in sys.modules if m.startswith('tree_sitter')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_prepare_loads_the_grammars_named_and_no_other():
    """What the indexer calls before forking a parser process: the languages of its files are
    loaded once, here; no language and an unknown one load nothing."""
    code = (
        "import sys; from swe_agent.code.extract import prepare;"
        "prepare(['python', None, 'cobol', 'python']);"
        "print(sorted(m for m in sys.modules if m.startswith('tree_sitter_') and '.' not in m))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['tree_sitter_python']"


def test_a_declaration_gives_way_to_its_definition_in_the_same_file() -> None:
    ring = (SAMPLE / "cpp/ring.cpp").read_bytes()
    pushes = [
        d
        for d in parse_source("cpp/ring.cpp", ring, "cpp").definitions
        if d.qualname == "shop.Ring.push"
    ]
    assert [(d.start_line, d.end_line) for d in pushes] == [(29, 33)]
    c = b"/* Adds two numbers. */\nint add(int a, int b);\n\nint add(int a, int b) {\n    return a + b;\n}\n\nint only_declared(void);\n"
    found = {d.qualname: d for d in parse_source("x.c", c, "c").definitions}
    assert (found["add"].start_line, found["add"].doc) == (
        4,
        "Adds two numbers.",
    )  # the prototype's comment
    # a declaration with no definition here stays, as a declaration (code/declarations.py)
    assert (found["only_declared"].start_line, found["only_declared"].kind) == (8, "declaration")
    assert found["add"].kind == "function"


def test_cpp_conversion_operators_are_definitions() -> None:
    source = (
        b"struct A {\n  operator bool() const { return true; }\n  explicit operator long() const;\n};\n"
        b"result<dom::element>::operator uint64_t() const noexcept(false) {\n  return 1;\n}\n"
    )
    found = {
        d.qualname: (d.kind, d.start_line, d.end_line)
        for d in parse_source("x.cpp", source, "cpp").definitions
    }
    assert found["A.operator bool"] == ("method", 2, 2)
    assert found["A.operator long"] == ("declaration", 3, 3)
    assert found["result<dom.element>.operator uint64_t"] == ("method", 5, 7)
