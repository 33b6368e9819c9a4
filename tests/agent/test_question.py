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


TRACEBACK_ISSUE = """\
Writing a table with header rows fails

```python
>>> tbl.write(sys.stdout, format="ascii.rst", header_rows=["name", "unit"])
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/astropy/io/ascii/ui.py", line 856, in write
    writer = get_writer(Writer=Writer, fast_writer=fast_writer, **kwargs)
  File "/usr/lib/python3/dist-packages/astropy/io/ascii/core.py", line 1719, in _get_writer
    writer = Writer(**writer_kwargs)
TypeError: RST.__init__() got an unexpected keyword argument 'header_rows'
>>> ds.value in names
TypeError: argument of type 'PersonName3' is not iterable
```
"""


def test_what_an_error_line_says_failed_is_named_as_prose_names_are() -> None:
    # in a code block a name counts a third; the error line says what failed, in plain words
    q = parse_question(TRACEBACK_ISSUE)
    assert q.weights["RST.__init__"] >= 2.0
    assert q.weights["PersonName3"] >= 2.0
    assert q.identifiers[0] == "RST.__init__"
    assert "header_rows" not in q.identifiers[:5]  # an argument it quotes is no definition


QUOTED_SOURCE = """\
napoleon_use_param should also affect "other parameters" section

Currently the section is always rendered as if napoleon_use_param was False, see source
```
    def _parse_other_parameters_section(self, section):
        return self._format_fields(_('Other Parameters'), self._consume_fields())
```
To reproduce:
```
def test_render():
    print(NumpyDocstring(text))

async fn _foo() {}

pub(crate) async fn poll_ready<T>(cx: &mut Context<'_>) -> Poll<()> { todo!() }
fn main() {}
```
"""


def test_a_definition_the_issue_quotes_is_named_as_prose_names_are() -> None:
    q = parse_question(QUOTED_SOURCE)
    assert q.identifiers[0] == "_parse_other_parameters_section"
    assert q.weights["poll_ready"] >= 2.0
    # the reporter's own test and program are not the repository's definitions
    for own in ("test_render", "main", "_foo"):
        assert q.weights.get(own, 0) < 1.0


def test_lines_an_issue_points_to_outside_a_stack() -> None:
    q = parse_question(
        "The problem is in `jsonrep.py` at line 227; compare line 12 of src/a.rs and zstd.c:1043.\n"
        "See https://github.com/o/r/blob/0b39531/lib/compress/zstd_compress.c#L1191-L1201 and\n"
        "[here](https://github.com/o/r/blob/master/macros/src/select.rs#L34C20-L34C28).\n"
        "```\nmain.cpp:575:42: error: no match\n```\n"
    )
    assert [(c.path, c.line) for c in q.cited] == [
        ("jsonrep.py", 227),
        ("src/a.rs", 12),
        ("zstd.c", 1043),
    ]  # the compiler's line in the code block is the reporter's own program
    # a link to a line shows code as often as it points to the fault: its file is named, no more
    assert "lib/compress/zstd_compress.c" in q.paths
    assert not parse_question('Traceback: File "a.py", line 3, in f\n').cited
