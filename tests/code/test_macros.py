"""Declaration-wrapping C and C++ macros, blanked before parsing (code/macros.py), on small files
in the styles of nlohmann/json, fmt, simdjson and zstd."""

from __future__ import annotations

import pytest

from swe_agent.code.extract import parse_source
from swe_agent.code.macros import blank_macros
from tests.helpers import FIXTURES

MACROS = FIXTURES / "macros"


def blanked_lines(name: str) -> dict[str, str]:
    """Each changed line of the fixture, stripped, mapped to what blanking left of it."""
    source = (MACROS / name).read_bytes()
    blanked = blank_macros(source)
    assert len(blanked) == len(source) and blanked.count(b"\n") == source.count(b"\n")
    return {
        old.strip(): new.strip()
        for old, new in zip(
            source.decode().splitlines(), blanked.decode().splitlines(), strict=True
        )
        if old != new
    }


def spans(name: str, language: str) -> dict[str, tuple[int, int, str]]:
    parsed = parse_source(name, (MACROS / name).read_bytes(), language)
    return {d.qualname: (d.start_line, d.end_line, d.kind) for d in parsed.definitions}


def test_macros_around_declarations_are_blanked_and_the_code_kept() -> None:
    changed = blanked_lines("basic_json.hpp")
    for macro in (
        "NLOHMANN_JSON_NAMESPACE_BEGIN",
        "NLOHMANN_BASIC_JSON_TPL_DECLARATION",
        "JSON_HEDLEY_WARN_UNUSED_RESULT",
        "JSON_HEDLEY_NON_NULL(1)",
        "JSON_PRIVATE_UNLESS_TESTED:",
        "JSON_TRY",
        "JSON_CATCH (std::exception&)",
        "NLOHMANN_JSON_NAMESPACE_END",
    ):
        assert changed[macro] == ""
    assert changed["JSON_EXPLICIT operator ValueType() const"] == "operator ValueType() const"
    # a conditional inside template arguments keeps its first branch
    assert "std::is_same<ValueType, long>::value," not in changed
    assert changed["std::is_same<ValueType, short>::value,"] == ""
    assert changed["#else"] == changed["#endif"] == ""


def test_a_class_wrapped_in_macros_holds_its_methods() -> None:
    found = spans("basic_json.hpp", "cpp")
    assert found["basic_json"] == (7, 50, "class")
    assert found["basic_json.meta"] == (14, 17, "method")
    assert found["basic_json.parse"] == (20, 30, "method")
    assert found["basic_json.type_name"] == (46, 49, "method")
    assert found["to_string"] == (53, 56, "function")


def test_attribute_macros_before_types_and_in_class_heads() -> None:
    changed = blanked_lines("format.h")
    assert changed["class FMT_API format_error : public std::runtime_error {"] == (
        "class         format_error : public std::runtime_error {"
    )
    assert changed["FMT_CONSTEXPR20 ~format_error() noexcept override {}"] == (
        "~format_error() noexcept override {}"
    )
    found = spans("format.h", "cpp")
    assert found["format_error"][:2] == (4, 7)
    assert "format_error.~format_error" in found
    assert found["write"] == (9, 9, "function")
    assert found["document.at_pointer"] == (11, 13, "method")


def test_types_and_enumerators_stay() -> None:
    changed = blanked_lines("zstd.c")
    assert changed == {
        "MEM_STATIC size_t ZSTD_cwksp_align(size_t size, size_t align)": (
            "size_t ZSTD_cwksp_align(size_t size, size_t align)"
        ),
        "ZSTDLIB_API size_t ZSTD_compressBound(size_t srcSize)": (
            "size_t ZSTD_compressBound(size_t srcSize)"
        ),
    }  # `static U32 f(`, `STACK_OF(X509) f(`, the enumerator list and its #ifdef are kept
    found = spans("zstd.c", "c")
    assert [name for name in found if name.startswith("ZSTD_")] == [
        "ZSTD_cwksp_align",
        "ZSTD_compressBound",
        "ZSTD_highbit",
    ]


@pytest.mark.parametrize(
    "source",
    [
        b'TEST_CASE("sums", "[math]") {\n    SECTION("small") {\n        CHECK(add(1, 2) == 3);\n    }\n}\n',
        b"int main(void) {\n    if (x) y(); else z();\n    for (i = 0; i < n; i++) f(i);\n    return 0;\n}\n",
        b"typedef struct X X;\nstruct X x;\nunsigned long long n = 1;\nvoid f(int a\n#ifdef B\n, int b\n#endif\n);\n",
    ],
)
def test_statements_and_test_macros_outside_bodies_stay(source: bytes) -> None:
    blanked = blank_macros(source)
    kept = [line for line in source.split(b"\n") if b"SECTION" not in line and b"#" not in line]
    assert all(line in blanked.split(b"\n") for line in kept)
    assert b"TEST_CASE" in blanked or b"TEST_CASE" not in source


def test_a_file_that_parses_cleanly_is_read_as_it_was() -> None:
    source = b"FMT_CONSTEXPR auto size() -> int { return 3; }\n"  # no error: kept as it is
    parsed = parse_source("x.cpp", source, "cpp")
    assert parsed.error_count == 0
    assert [(d.qualname, d.signature) for d in parsed.definitions] == [
        ("size", "FMT_CONSTEXPR auto size() -> int")
    ]
