"""The languages beyond the first nine (semble's benchmark has 19): one fixture file each under
fixtures/languages/, parsed for real, and what each language's own conventions ask of extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from swe_agent.code.extract import parse_source
from swe_agent.code.languages import (
    EXTENSIONS,
    GRAMMARS,
    KNOWN_LANGUAGES,
    language_for,
    parsing_digest,
    queries_digest,
)
from swe_agent.code.parsed import Reference
from swe_agent.index import index_repository
from swe_agent.queries import lookup_symbol_in
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from tests.code.test_extract import CASES as FIRST_CASES
from tests.code.test_extract import check_fixture, definition, line_of, parse
from tests.helpers import FIXTURES, commit_all, git

LANGUAGES = FIXTURES / "languages"

# path, [(qualname, kind, text on its first line)], (qualname, its doc),
# [(name, kind, enclosing)] references that must be there
CASES = [
    (
        "bash/deploy.sh",
        [
            ("RELEASES_DIR", "constant", "readonly RELEASES_DIR="),
            ("log", "function", "log() {"),
            ("die", "function", "function die {"),
            ("deploy_release", "function", "function deploy_release() {"),
            ("prune_releases", "function", "prune_releases() {"),
        ],
        ("deploy_release", "Copy the build to the host and link it as current."),
        [
            ("common", "import", None),
            ("prune_releases", "call", "deploy_release"),
            ("die", "call", "main"),
            ("rsync", "call", "deploy_release"),
        ],
    ),
    (
        "csharp/Inventory.cs",
        [
            ("IStockItem", "interface", "public interface IStockItem"),
            ("IStockItem.Quantity", "method", "int Quantity();"),
            ("StockLevel", "enum", "public enum StockLevel"),
            ("Shelf", "class", "public record Shelf"),
            ("Inventory", "class", "public sealed class Inventory"),
            ("Inventory.MaxItems", "constant", "public const int MaxItems"),
            ("Inventory.Inventory", "method", "public Inventory(IEnumerable"),
            ("Inventory.Add", "method", "public void Add("),
            ("Inventory.IsEmpty", "method", '[Obsolete("Use Level instead")]'),
            ("Inventory.Entry", "class", "private struct Entry"),
            ("StockChanged", "type", "public delegate void StockChanged"),
        ],
        ("Inventory.Add", "Adds n more of the named item."),
        [
            ("Generic", "import", None),
            ("Level", "call", "Inventory.IsEmpty"),
            ("Min", "call", "Inventory.Add"),
            ("Add", "call", "Inventory.Inventory"),
        ],
    ),
    (
        "elixir/cart.ex",
        [
            ("Shop.Cart", "module", "defmodule Shop.Cart do"),
            ("Shop.Cart.max_items", "constant", "@max_items 50"),
            ("Shop.Cart.t", "type", "@type t ::"),
            ("Shop.Cart.new", "function", "def new, do:"),
            ("Shop.Cart.add", "function", "def add(%__MODULE__{} = cart"),
            ("Shop.Cart.empty?", "function", "defp empty?("),
            ("Shop.Cart.with_cart", "macro", "defmacro with_cart("),
            ("Shop.Cart.Line", "module", "defmodule Line do"),
            ("Shop.Cart.Line.subtotal", "function", "def subtotal("),
            ("Shop.Priced", "interface", "defprotocol Shop.Priced do"),
            ("Shop.Priced.price", "method", "def price(thing)"),
            ("Shop.Cart.price", "method", "def price(cart), do:"),
        ],
        ("Shop.Cart.add", "Adds `qty` of `sku` to the cart."),
        [
            ("Pricing", "import", "Shop.Cart"),
            ("Logger", "import", "Shop.Cart"),
            ("price", "call", "Shop.Cart.total"),
            ("money", "call", "Shop.Cart.receipt"),
            ("total", "call", "Shop.Cart.price"),
        ],
    ),
    (
        "haskell/Cart.hs",
        [
            ("maxQuantity", "function", "maxQuantity :: Int"),
            ("Item", "class", "data Item = Item"),
            ("Cart", "class", "newtype Cart"),
            ("Coupon", "type", "type Coupon"),
            ("Priced", "interface", "class Priced a where"),
            ("Priced.price", "method", "  price :: a -> Int"),
            ("Priced.discounted", "method", "  discounted :: Coupon"),
            ("Item.price", "method", "  price = itemPrice"),
            ("addItem", "function", "addItem :: Int -> Item"),
            ("total", "function", "total :: Cart -> Int"),
        ],
        ("addItem", "Adds n of an item, up to 'maxQuantity'."),
        [
            ("Strict", "import", None),
            ("Pricing", "import", None),
            ("applyCoupon", "call", "Priced.discounted"),
            ("insertWith", "call", "addItem"),
            ("price", "call", "total"),
            ("Priced", "implementation", None),
        ],
    ),
    (
        "kotlin/Inventory.kt",
        [
            ("MAX_ITEMS", "constant", "const val MAX_ITEMS"),
            ("Sku", "type", "typealias Sku"),
            ("Countable", "interface", "interface Countable"),
            ("Countable.quantity", "method", "    fun quantity(): Int"),
            ("StockLevel", "enum", "enum class StockLevel"),
            ("Shelf", "class", "data class Shelf"),
            ("Inventory", "class", "class Inventory("),
            ("Inventory.add", "method", "fun add(sku: Sku"),
            ("Inventory.empty", "method", "fun empty(name: String)"),
            ("Warehouse", "module", "object Warehouse"),
            ("Warehouse.open", "method", "fun open(name: String)"),
            ("Inventory.isEmpty", "method", "fun Inventory.isEmpty()"),
            ("DefaultInventory", "constant", "val DefaultInventory"),
        ],
        ("Inventory", "Keeps the count of each item in one warehouse."),
        [
            ("PriceList", "import", None),
            ("Countable", "class", "Inventory"),
            ("getOrDefault", "call", "Inventory.add"),
            ("empty", "call", "Warehouse.open"),
        ],
    ),
    (
        "lua/cart.lua",
        [
            ("M.MAX_ITEMS", "constant", "M.MAX_ITEMS = 50"),
            ("Cart.new", "method", "function Cart.new()"),
            ("Cart.add", "method", "function Cart:add("),
            ("Cart.total", "method", "function Cart:total()"),
            ("money", "function", "local function money("),
            ("M.receipt", "method", "M.receipt = function(cart)"),
            ("M.setup", "method", "function M.setup(opts)"),
        ],
        ("Cart.new", "Creates an empty cart.\n@return Cart"),
        [
            ("pricing", "import", None),
            ("util", "import", None),
            ("money", "call", "M.receipt"),
            ("total", "call", "M.receipt"),
            ("price", "call", "Cart.total"),
        ],
    ),
    (
        "php/Cart.php",
        [
            ("MAX_ITEMS", "constant", "const MAX_ITEMS = 50;"),
            ("Priced", "interface", "interface Priced"),
            ("Priced.price", "method", "    public function price(): int;"),
            ("CountsItems", "class", "trait CountsItems"),
            ("Currency", "enum", "enum Currency"),
            ("Cart", "class", "final class Cart"),
            ("Cart.DEFAULT_CURRENCY", "constant", "public const DEFAULT_CURRENCY"),
            ("Cart.__construct", "method", "public function __construct("),
            ("Cart.add", "method", "public function add("),
            ("Cart.empty", "method", "public static function empty("),
            ("format_money", "function", "function format_money("),
        ],
        ("Cart.add", "Adds an item and returns the cart."),
        [
            ("PriceList", "import", None),
            ("Priced", "implementation", "Cart"),
            ("CountsItems", "class", "Cart"),
            ("InvalidArgumentException", "class", "Cart.add"),
            ("priceOf", "call", "Cart.price"),
        ],
    ),
    (
        "scala/Cart.scala",
        [
            ("Priced", "interface", "trait Priced {"),
            ("Priced.price", "method", "  def price: Long"),
            ("Event", "interface", "sealed trait Event"),
            ("ItemAdded", "class", "final case class ItemAdded"),
            ("Cleared", "module", "case object Cleared"),
            ("Currency", "enum", "enum Currency {"),
            ("Sku", "type", "type Sku = String"),
            ("Cart", "class", "class Cart(prices: PriceList)"),
            ("Cart.add", "method", "def add(sku: Sku"),
            ("Cart", "module", "object Cart {"),
            ("Cart.MaxItems", "constant", "final val MaxItems"),
            ("Cart.CartOps.isEmpty", "method", "def isEmpty: Boolean"),
            ("Cart.total", "method", "def total: Long"),
        ],
        ("Cart.add", "Adds an item and returns the cart."),
        [
            ("mutable", "import", None),
            ("PriceList", "import", None),
            ("Priced", "class", "Cart"),
            ("priceOf", "call", "Cart.price"),
            ("ItemAdded", "call", "Cart.events"),
        ],
    ),
    (
        "swift/Cart.swift",
        [
            ("maxItems", "constant", "let maxItems = 50"),
            ("Sku", "type", "typealias Sku"),
            ("Priced", "interface", "protocol Priced {"),
            ("Priced.discounted", "method", "    func discounted(by coupon: Coupon) -> Int"),
            ("Currency", "enum", "enum Currency: String"),
            ("Currency.symbol", "method", "var symbol: String"),
            ("LineItem", "class", "struct LineItem"),
            ("Cart", "class", "final class Cart: Priced"),
            ("Cart.init", "method", "init(prices: PriceList)"),
            ("Cart.add", "method", "@discardableResult"),
            ("Cart.price", "method", "public var price: Int {"),
            ("Cart.empty", "method", "static func empty("),
            ("Cart.discounted", "method", "    func discounted(by coupon: Coupon) -> Int {"),
        ],
        ("Cart.add", "Adds an item and returns the cart."),
        [
            ("ShopPricing", "import", None),
            ("Priced", "class", "Cart"),
            ("min", "call", "Cart.add"),
            ("apply", "call", "Cart.discounted"),
        ],
    ),
    (
        "zig/cart.zig",
        [
            ("max_items", "constant", "pub const max_items"),
            ("Currency", "enum", "pub const Currency = enum"),
            ("Error", "enum", "pub const Error = error"),
            ("Line", "class", "pub const Line = struct"),
            ("Line.subtotal", "method", "pub fn subtotal("),
            ("Cart", "class", "pub const Cart = struct"),
            ("Cart.init", "method", "pub fn init("),
            ("Cart.add", "method", "pub fn add("),
            ("money", "function", "fn money("),
        ],
        ("Cart", "A shopping cart that keeps line items in insertion order."),
        [
            ("std", "import", None),
            ("pricing", "import", None),
            ("append", "call", "Cart.add"),
            ("subtotal", "call", "Cart.total"),
        ],
    ),
]


@pytest.mark.parametrize(("path", "expected", "doc", "refs"), CASES, ids=[c[0] for c in CASES])
def test_fixture_in_each_language(path, expected, doc, refs):
    check_fixture(LANGUAGES, path, expected, doc, refs)


def test_every_language_has_a_fixture():
    assert {language_for(case[0]) for case in FIRST_CASES + CASES} | {"python"} == set(
        KNOWN_LANGUAGES
    )


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("bin/deploy.sh", "bash"),
        ("lib/x.bash", "bash"),
        ("src/A.cs", "csharp"),
        ("lib/a.ex", "elixir"),
        ("test/a_test.exs", "elixir"),
        ("src/A.hs", "haskell"),
        ("A.kt", "kotlin"),
        ("build.gradle.kts", "kotlin"),
        ("init.lua", "lua"),
        ("src/A.php", "php"),
        ("A.scala", "scala"),
        ("build.sc", "scala"),
        ("A.swift", "swift"),
        ("build.zig", "zig"),
        ("bin/deploy", None),
    ],
)
def test_extensions_of_the_new_languages(path, language):
    assert language_for(path) == language


def test_the_index_version_follows_the_extension_map_and_the_queries():
    """Files a store kept as plain text parse again once a language or an extension is added."""
    queries = {"bash-tags.scm": b"(function_definition name: (word) @name) @definition.function"}
    base = parsing_digest(EXTENSIONS, GRAMMARS, queries)
    assert parsing_digest({**EXTENSIONS, ".ksh": "bash"}, GRAMMARS, queries) != base
    assert parsing_digest(EXTENSIONS, GRAMMARS, {**queries, "zig-tags.scm": b""}) != base
    assert parsing_digest(EXTENSIONS, GRAMMARS, dict(queries)) == base
    assert len(queries_digest()) == 12


def test_haskell_signature_and_equations_are_one_definition_and_helpers_stay_inside():
    parsed, text = parse("haskell/Cart.hs", LANGUAGES)
    total = definition(parsed, "total")
    assert (total.start_line, total.end_line) == (
        line_of(text, "total :: Cart"),
        line_of(text, "| otherwise"),
    )
    assert [d.qualname for d in parsed.definitions].count("total") == 1
    assert "addItem.merge" not in {d.qualname for d in parsed.definitions}  # a `where` helper
    assert definition(parsed, "Priced.price").doc == "The price of one."  # inside the class
    assert (
        definition(parsed, "maxQuantity").doc == "The largest quantity of one item a cart accepts."
    )


def test_elixir_clauses_docs_and_heads():
    source = b"""defmodule Fact do
  @moduledoc false

  @doc "n!"
  @spec of(non_neg_integer) :: pos_integer
  def of(0), do: 1
  def of(n) when n > 0, do: n * of(n - 1)

  # Not documented with @doc.
  def twice(n), do: of(of(n))
end
"""
    parsed = parse_source("fact.ex", source, "elixir")
    assert [(d.qualname, d.start_line, d.end_line) for d in parsed.definitions] == [
        ("Fact", 1, 11),
        ("Fact.of", 6, 7),
        ("Fact.twice", 10, 10),
    ]
    assert [d.doc for d in parsed.definitions] == ["", "n!", "Not documented with @doc."]
    calls = [r for r in parsed.references if r.kind == "call"]
    assert Reference("of", 7, "call", "Fact.of") in calls
    assert Reference("of", 10, "call", "Fact.twice") in calls
    assert not [r for r in calls if r.line == 6]  # `def of(0)` is a head, not a call


def test_scala_indented_body_ends_at_its_last_line():
    parsed, text = parse("scala/Cart.scala", LANGUAGES)
    price = definition(parsed, "Cart.price")
    assert price.end_line == line_of(text, "items.map { case") < line_of(text, "def events")


def test_new_languages_are_indexed_and_looked_up(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for src in LANGUAGES.rglob("*"):
        if src.is_file():
            (repo / src.relative_to(LANGUAGES)).parent.mkdir(parents=True, exist_ok=True)
            (repo / src.relative_to(LANGUAGES)).write_bytes(src.read_bytes())
    commit_all(repo, "samples")
    with open_store(repo, create=True) as store:
        index_repository(GitRepo(repo), store)
    with open_store(repo, read_only=True) as store:
        parsed = {r["language"] for r in store.rows("SELECT language FROM files")}
        assert parsed == {language_for(case[0]) for case in CASES}
        found = lookup_symbol_in(store, "Shop.Cart.add")
        assert [(d["path"], d["qualname"]) for d in found["definitions"]][:1] == [
            ("elixir/cart.ex", "Shop.Cart.add")
        ]


def test_a_name_the_parser_had_to_invent_gives_no_definition():
    parsed = parse_source("A.java", b"class A { void (int a) {} }", "java")
    assert parsed.error_count > 0
    assert [d.qualname for d in parsed.definitions] == ["A"]


def test_kotlin_top_level_values_named_like_types_are_definitions():
    parsed, _ = parse("kotlin/Inventory.kt", LANGUAGES)
    assert (
        definition(parsed, "DefaultInventory").doc
        == "The inventory orders ship from unless they name another."
    )
    assert "emptyShelves" not in {d.name for d in parsed.definitions}


def test_bash_builtins_are_not_calls_and_a_variable_path_imports_nothing():
    source = b'source "$plugin"\nsource "${BASH_IT}/lib/helpers.bash"\nset -e\nalias gs="git status"\nprintf "%s" x\nrsync -a a b\n'
    refs = {(r.name, r.kind) for r in parse_source("x.sh", source, "bash").references}
    assert refs == {("helpers", "import"), ("rsync", "call")}


def test_a_cpp_header_is_parsed_as_cpp_and_a_c_header_as_c(tmp_path: Path) -> None:
    cpp = b"namespace fmt {\ntemplate <typename T> class formatter {\n public:\n  void parse();\n};\n}\n"
    c = b"#ifndef UV_H\n#define UV_H\nstruct uv_loop_s { int active; };\nint uv_run(void);\n#endif\n"
    assert language_for("include/fmt/base.h", cpp) == "cpp"
    assert language_for("include/uv.h", c) == "c"
    assert language_for("include/fmt/base.h") == "c"  # without its bytes, by the extension
    as_cpp = {d.qualname for d in parse_source("base.h", cpp, "cpp").definitions}
    assert "fmt.formatter" in as_cpp
    as_c = {d.qualname for d in parse_source("base.h", cpp, "c").definitions}
    assert not any("formatter" in name for name in as_c)
