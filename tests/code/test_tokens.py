from pathlib import Path

from swe_agent.code.chunks import chunk_file
from swe_agent.code.parsed import Definition
from swe_agent.code.tokens import split_identifier, terms, terms_text


def test_identifiers_are_kept_whole_and_split() -> None:
    assert split_identifier("getHTTPResponse_code") == ["get", "http", "response", "code"]
    got = terms("resolve_redirects(resp)")
    assert "resolve_redirects" in got
    assert "resolv" in got
    assert "redirect" in got


WORDS = {  # a word of each shape and its terms: a plain word, a number, a stop word, a letter,
    # identifiers split at underscores, case and digits, a lock file's hash
    "requests": ["request"],
    "running": ["run"],
    "tries": ["try"],
    "2024": ["2024"],
    "is": [],
    "Self": [],
    "x": [],
    "__init__": ["init"],
    "_private_name": ["private_name", "privat", "nam"],
    "getHTTPResponse_code": ["gethttpresponse_code", "http", "respons", "cod"],
    "HTTP2Server": ["http2server", "http", "server"],
    "d9c74d0daf3f": ["d9c74d0daf3f", "74", "daf"],
}


def test_each_shape_of_word_gives_its_terms_the_first_time_and_again() -> None:
    """A word's terms are made once and kept, as are its parts' stems, which other words
    share: the same terms come out whether a word or its parts were seen before or not."""
    for _ in range(2):
        for word, expected in WORDS.items():
            assert terms(word) == expected, word
            assert terms_text(word) == "".join(f"{t} " for t in expected), word
    text = " ".join(WORDS)
    assert terms(text) == [t for expected in WORDS.values() for t in expected]
    assert split_identifier("HTTP2Server_x.y-Zed") == ["http", "2", "server", "x", "y", "zed"]


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


def test_terms_text_cuts_text_where_terms_does() -> None:
    """terms_text cuts ASCII text at its separators rather than with terms()'s expression: the
    same terms in the same order, for pieces that start with digits, separators of every kind
    (control characters too), text beyond ASCII, and every fixture file."""
    texts = [
        "1st 2to3 7 42 0x1F 3rd_party __init__ a1b2 9_lives x86_64 v2 1e10 _ __",
        "tab\there\x0bvt\x0cff\x1cfs\x1dgs\x1e\x1f\x7fdel\x00nul end",
        "café naïve résumé straße 1ère über_alles ſtop",
        "getHTTPResponse_code(self, resp) -> None:  # resolve_redirects / HTTP2Server",
        "",
    ]
    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    texts += [p.read_text(errors="replace") for p in sorted(fixtures.rglob("*")) if p.is_file()]
    assert len(texts) > 20
    for text in texts:
        for _ in range(2):  # the first time made, the second time kept
            assert terms_text(text, "more ") == "".join(f"{t} " for t in terms(text)) + "more "


def test_a_definitions_lines_joined_as_a_slice_are_those_joined_one_by_one() -> None:
    """chunks._joined takes a run of lines (a range) as one slice of the file: the same text
    as the lines it numbers joined one by one, those past the file's end left out."""
    from swe_agent.code.chunks import _joined

    lines = [f"line {n}" for n in range(1, 11)]
    for part in (range(1, 4), range(3, 11), range(8, 14), range(10, 11), range(4, 4)):
        assert _joined(lines, part) == "\n".join(lines[n - 1] for n in part if n <= len(lines))
        assert _joined(lines, part) == _joined(lines, list(part))
