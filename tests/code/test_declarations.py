"""Definitions that the languages of real issues write in ways a plain tag query misses: C++
functions behind reference and pointer declarators, operators, nested out-of-line members and
template specializations; Rust items inside item-level macro calls; Java annotation types;
JavaScript object tables; C functions returning pointers. Parsed for real from
fixtures/declarations/."""

from __future__ import annotations

from tests.code.test_extract import definition, line_of, parse
from tests.helpers import FIXTURES

ROOT = FIXTURES / "declarations"


def test_cpp_members_behind_declarators_operators_and_nested_receivers() -> None:
    parsed, text = parse("textflow.cpp", ROOT)
    expected = [
        ("TextFlow.isBoundary", "function", "static bool isBoundary"),
        (
            "TextFlow.Column.const_iterator.calcLength",
            "method",
            "Column::const_iterator::calcLength",
        ),
        ("TextFlow.Column.const_iterator.const_iterator", "method", "::const_iterator(Column"),
        ("TextFlow.Column.const_iterator.operator*", "method", "::operator*() const"),
        ("TextFlow.Column.const_iterator.operator++", "method", "::operator++()"),
        ("TextFlow.Table.operator[]", "method", "Column& operator[]"),
        ("TextFlow.Table.first", "method", "Column* first()"),
        ("TextFlow.Table.operator==", "declaration", "bool operator=="),
        ("TextFlow.operator+", "function", "Columns operator+"),
        ("TextFlow.StringMaker", "class", "struct StringMaker<std::vector<T>>"),
        ("TextFlow.StringMaker.convert", "method", "static std::string convert"),
        ('operator""_json', "function", 'json operator "" _json'),
    ]
    for qualname, kind, first_line in expected:
        d = definition(parsed, qualname, line_of(text, first_line))
        assert d.kind == kind, qualname
    assert parsed.error_count == 0
    calc = definition(parsed, "TextFlow.Column.const_iterator.calcLength")
    assert calc.name == "calcLength"
    assert calc.parent == "TextFlow.Column.const_iterator"
    assert calc.doc == "The width of the next line of a column."


def test_c_functions_returning_pointers_and_their_prototypes() -> None:
    parsed, text = parse("buffer.c", ROOT)
    split = definition(parsed, "split_names")
    assert (split.kind, split.start_line) == (
        "function",
        line_of(text, "static char **split_names"),
    )
    # the prototype gives way to the definition, which keeps its own comment
    names = [d for d in parsed.definitions if d.qualname == "error_name"]
    assert [d.start_line for d in names] == [line_of(text, "const char *error_name(int code) {")]
    assert names[0].doc == "The printable name of an error code."


def test_rust_items_inside_item_level_macro_calls() -> None:
    parsed, text = parse("udp.rs", ROOT)
    socket = definition(parsed, "UdpSocket", line_of(text, "pub struct UdpSocket"))
    assert socket.kind == "class"
    assert socket.doc == "A UDP socket, gated on the `net` feature."
    assert socket.end_line == line_of(text, "io: PollEvented,") + 1
    unix = definition(parsed, "UnixDatagram", line_of(text, "pub struct UnixDatagram"))
    assert unix.kind == "class"
    spawn = definition(parsed, "UdpSocket.spawn_reader", line_of(text, "pub fn spawn_reader"))
    assert spawn.kind == "method"
    assert definition(parsed, "UdpSocket.bind").kind == "method"
    # a macro call inside a function body holds code to generate, not items of this file
    assert not [d for d in parsed.definitions if d.name == "generated"]
    calls = {(r.name, r.enclosing) for r in parsed.references if r.kind == "call"}
    assert ("read_loop", "UdpSocket.spawn_reader") in calls
    assert parsed.error_count == 0


def test_java_annotation_type_is_a_definition() -> None:
    parsed, text = parse("Captor.java", ROOT)
    captor = definition(
        parsed, "Captor", line_of(text, "@Retention(RUNTIME)")
    )  # its modifiers open it
    assert captor.kind == "interface"
    assert captor.doc == "Marks a field that captures the arguments of a call."


def test_javascript_object_tables_at_module_level_hold_their_functions() -> None:
    parsed, text = parse("locale.js", ROOT)
    table = definition(parsed, "locale", line_of(text, "const locale = {"))
    assert table.kind == "constant"
    assert table.end_line == line_of(text, "  format(date) {") + 3
    ordinal = definition(parsed, "locale.ordinal", line_of(text, "ordinal: (n) =>"))
    assert (ordinal.kind, ordinal.parent) == ("function", "locale")
    assert definition(parsed, "locale.format").parent == "locale"
    assert definition(parsed, "shortNames").kind == "constant"
    # an object inside a function is a local value, not a definition of the module
    assert not [d for d in parsed.definitions if d.name == "inner"]
    assert definition(parsed, "load.pick").kind == "function"


def test_a_macro_call_whose_insides_are_not_items_gives_no_definitions() -> None:
    from swe_agent.code.extract import parse_source

    source = b"""macro_rules! table {
    ($($k:ident => $v:expr),*) => {};
}
table! { alpha => 1, beta => 2 }
gate! { fn kept() {} }
gate! { fn broken( {} }
"""
    parsed = parse_source("t.rs", source, "rust")
    names = [d.name for d in parsed.definitions]
    assert "kept" in names
    assert "broken" not in names
    assert names.count("table") == 1  # the macro itself, once


def test_javascript_anonymous_default_export_holds_the_module_code() -> None:
    parsed, text = parse("plugin.js", ROOT)
    plugin = definition(parsed, "default", line_of(text, "export default (option, Dayjs)"))
    assert plugin.kind == "function"
    assert plugin.doc == "Adds the Buddhist era to format strings."
    assert definition(parsed, "default.format").parent == "default"
