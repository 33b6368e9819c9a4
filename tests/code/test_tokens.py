from swe_agent.code.chunks import chunk_file
from swe_agent.code.parsed import Definition
from swe_agent.code.tokens import split_identifier, terms


def test_identifiers_are_kept_whole_and_split() -> None:
    assert split_identifier("getHTTPResponse_code") == ["get", "http", "response", "code"]
    got = terms("resolve_redirects(resp)")
    assert "resolve_redirects" in got
    assert "resolv" in got
    assert "redirect" in got


def test_questions_and_code_meet_on_the_same_terms() -> None:
    question = set(terms("Why are redirects not followed when caching?"))
    code = set(terms("def follow_redirect(self, cache): ..."))
    assert {"redirect", "cach"} <= question & code
    assert "why" not in question
    assert "self" not in code


def definition(name: str, start: int, end: int, parent: str | None = None) -> Definition:
    qual = f"{parent}.{name}" if parent else name
    return Definition(
        name, qual, "method" if parent else "class", start, end, f"def {name}():", "", parent
    )


def test_chunks_cover_definitions_and_the_lines_between() -> None:
    lines = [f"line {i}" for i in range(1, 121)]
    defs = [
        definition("Box", 10, 40),
        definition("open", 12, 20, "Box"),
        definition("close", 22, 40, "Box"),
    ]
    chunks = chunk_file(lines, defs)
    by_symbol = {c.symbol: c for c in reversed(chunks)}  # a symbol's first chunk
    assert (by_symbol["Box.open"].start_line, by_symbol["Box.open"].end_line) == (12, 20)
    assert "line 15" in by_symbol["Box.open"].text
    assert "line 15" not in by_symbol["Box"].text
    assert "def open():" in by_symbol["Box"].text  # a class chunk keeps its methods' signatures
    # the class's chunks hold its own lines only: its head, then the line between its methods
    assert [(c.start_line, c.end_line) for c in chunks if c.symbol == "Box"] == [(10, 11), (21, 21)]
    windows = [c for c in chunks if c.symbol is None]
    assert windows[0].start_line == 1
    assert windows[0].end_line == 9
    assert all(c.end_line - c.start_line < 50 for c in windows)
    covered = {ln for c in chunks for ln in range(c.start_line, c.end_line + 1)}
    assert covered == set(range(1, 121))
