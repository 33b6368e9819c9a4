"""How an issue in another language names code: qualified names with `::`, web addresses that
are not code, keywords in backticks."""

from swe_agent.agent.offline.question import parse_question

CPP_ISSUE = """\
CAPTURE("text, with comma") fails

When a string containing a comma is passed to CAPTURE the program fails the assertion in
`Capturer::~Capturer()`. See https://stackoverflow.com/q/55867570/201787 and the live demo on
www.godbolt.org/z/W5dGjK5h9 (or gist.github.com). `std::numeric_limits` is not involved; the
flag is `Catch::ResultDisposition::SuppressFail`, and `true` or `const` do not help.
"""


def test_qualified_names_are_dotted_and_their_type_named_too() -> None:
    q = parse_question(CPP_ISSUE)
    assert "Capturer.Capturer" in q.identifiers[:2]
    assert "Catch.ResultDisposition.SuppressFail" in q.identifiers
    # the type a member belongs to, at half the weight of the member
    assert q.weights["ResultDisposition"] < q.weights["Catch.ResultDisposition.SuppressFail"]
    rust = parse_question("`Buf::get_int()` returns a positive number for `Bytes`.")
    assert rust.identifiers[:2] == ["Buf.get_int", "Bytes"]
    assert "Buf" in rust.identifiers


def test_web_addresses_standard_library_names_and_keywords_are_not_code() -> None:
    q = parse_question(CPP_ISSUE)
    names = set(q.identifiers)
    assert not {n for n in names if "stackoverflow" in n or "godbolt" in n or "github" in n}
    assert not {n for n in names if n.startswith(("std", "numeric_limits"))}
    assert not names & {"true", "const", "W5dGjK5h9"}
    assert q.paths == []
    linked = parse_question(
        "Fails in src/format.h, see https://github.com/fmtlib/fmt/blob/master/include/fmt/core.h"
    )
    assert linked.paths == ["src/format.h", "include/fmt/core.h"]


def test_a_path_of_modules_is_read_as_its_parts() -> None:
    q = parse_question("The log says `grep_regex::literal` found literals; fmt::format_to is fine.")
    assert "grep_regex" in q.identifiers
    assert "format_to" in q.identifiers
    assert not [n for n in q.identifiers if n.startswith(("grep_regex.", "fmt."))]


def test_a_link_to_a_file_of_the_repository_names_that_file() -> None:
    q = parse_question(
        "The [WireLength field](https://github.com/grpc/grpc-go/blob/9c3a959/stats/stats.go#L68) "
        "is documented but no longer set by recv in stream.go."
    )
    assert q.paths == ["stats/stats.go", "stream.go"]
    assert not [n for n in q.identifiers if "github" in n or "9c3a959" in n]
