"""Ranking locations from evidence: pure functions, tested on hand-made evidence."""

import pytest

from swe_agent.agent.offline.rank import ISSUE_TEST_FACTOR, Evidence, rank


def test_a_definition_takes_the_place_of_its_whole_file() -> None:
    evidence = [
        Evidence("views/static.py", None, 1, 140, 3.0, "note", "note: What is in views/static.py?"),
        Evidence("views/static.py", "was_modified_since", 103, 130, 1.0, "search", "BM25 rank 3"),
        Evidence("views/static.py", "serve", 28, 60, 0.8, "search", "BM25 rank 4"),
        Evidence("views/debug.py", "technical_500", 10, 40, 2.0, "search", "BM25 rank 1"),
    ]
    ranked = rank(evidence)
    order = [(loc.path, loc.symbol) for loc in ranked]
    # the file's evidence lifts its best definition above the file itself; a note alone about
    # the file does not push the best BM25 hit below it
    assert order[:2] == [
        ("views/debug.py", "technical_500"),
        ("views/static.py", "was_modified_since"),
    ]
    assert order.index(("views/static.py", None)) > order.index(
        ("views/static.py", "was_modified_since")
    )


def test_code_outside_definitions_stays_when_its_file_has_none() -> None:
    ranked = rank(
        [
            Evidence("setup.py", None, 1, 30, 2.0, "search", "BM25 rank 1"),
            Evidence("pkg/core.py", "run", 5, 20, 1.0, "search", "BM25 rank 2"),
        ]
    )
    assert [(loc.path, loc.symbol) for loc in ranked] == [
        ("setup.py", None),
        ("pkg/core.py", "run"),
    ]


def test_a_note_alone_does_not_push_a_strong_code_hit_below_it() -> None:
    named = Evidence(
        "pkg/core.py", "parse", 5, 20, 2.4, "symbol", "defines `parse` named in the question"
    )
    noted = [
        Evidence("pkg/other.py", "helper", 1, 9, 2.5, "note", "note: Where is input parsed?"),
        Evidence("pkg/other.py", "helper", 1, 9, 2.0, "note", "note: What does helper do?"),
    ]
    order = [loc.symbol for loc in rank([named, *noted])]
    assert order == ["parse", "helper"]  # the note's place comes in, below the named definition
    seconded = Evidence("pkg/other.py", "helper", 1, 9, 1.0, "search", "BM25 rank 2")
    order = [loc.symbol for loc in rank([named, *noted, seconded])]
    assert order == ["parse", "helper"]  # notes confirm a weak code hit, not lift it over a name


def test_notes_may_lift_a_code_hit_over_a_better_bm25_hit_but_not_over_a_named_definition() -> None:
    guessed = Evidence("pkg/core.py", "run", 5, 20, 2.5, "search", "BM25 rank 1")
    seconded = Evidence("pkg/other.py", "helper", 1, 9, 1.2, "search", "BM25 rank 2")
    noted = Evidence("pkg/other.py", "helper", 1, 9, 2.5, "note", "note: Where is input parsed?")
    assert [loc.symbol for loc in rank([guessed, seconded])] == ["run", "helper"]
    assert [loc.symbol for loc in rank([guessed, seconded, noted])] == ["helper", "run"]
    named = Evidence(
        "pkg/core.py", "run", 5, 20, 2.4, "symbol", "defines `run` named in the question"
    )
    assert [loc.symbol for loc in rank([named, seconded, noted])] == ["run", "helper"]
    ahead = Evidence("pkg/other.py", "helper", 1, 9, 3.0, "search", "BM25 rank 1")
    # above the named definition on the code's evidence alone, it stays there with its notes
    assert [loc.symbol for loc in rank([named, ahead, noted])] == ["helper", "run"]


def test_search_evidence_is_weighed_by_its_path_once() -> None:
    # search's own ranking already counted the test file down; a lookup's definition had no such
    # weighing, so rank counts it down itself
    ranked = rank(
        [
            Evidence("tests/test_cache.py", "fill", 1, 9, 2.5, "search", "BM25 rank 1"),
            Evidence("pkg/cache.py", "Cache.get", 3, 20, 1.5, "search", "BM25 rank 2"),
            Evidence("tests/test_jar.py", "Jar", 1, 30, 3.0, "symbol", "defines `Jar`"),
        ]
    )
    assert [loc.path for loc in ranked] == [
        "tests/test_cache.py",
        "pkg/cache.py",
        "tests/test_jar.py",
    ]


def test_a_weak_location_borrows_from_its_file_no_more_than_twice_its_own_score() -> None:
    looked_up = [
        Evidence("Types/ToJSON.hs", "ToJSON", 291, 330, 2.6, "symbol", "defines `ToJSON`"),
        Evidence("Types/ToJSON.hs", "ToJSON", 291, 330, 2.5, "search", "BM25 rank 1"),
        Evidence("Types/ToJSON.hs", "Maybe.toJSON", 1343, 1343, 0.07, "symbol", "similar name"),
    ]
    matched = Evidence("TH.hs", None, 51, 100, 0.68, "search", "BM25 rank 2")
    order = [(loc.path, loc.symbol) for loc in rank([*looked_up, matched])]
    # a name merely similar to the one looked up does not ride its file's score over the text
    # match of another file
    assert order == [
        ("Types/ToJSON.hs", "ToJSON"),
        ("TH.hs", None),
        ("Types/ToJSON.hs", "Maybe.toJSON"),
    ]


def test_a_class_yields_to_its_members_unless_its_definition_is_what_is_asked() -> None:
    evidence = [
        Evidence("schema.ex", "Ecto.Schema", 1, 2694, 2.5, "search", "BM25 rank 1"),
        Evidence("schema.ex", "Ecto.Schema.schema", 502, 502, 0.93, "search", "BM25 rank 4"),
        Evidence("repo/schema.ex", "Ecto.Repo.Schema", 1, 1322, 2.39, "search", "BM25 rank 2"),
    ]
    first = rank(evidence)[0]
    assert first.symbol == "Ecto.Repo.Schema"  # for an issue: more often in a member
    first = rank(evidence, definition_asked=True)[0]
    assert first.symbol == "Ecto.Schema"  # for "Schema": the definition of that name


def test_a_named_definition_leads_in_its_source_not_in_a_vendored_copy() -> None:
    why = "defines the symbol you named, `Capturer`"
    ranked = rank(
        [
            # the copy's path sorts first: on equal evidence it would lead
            Evidence("deps/catch/catch.hpp", "Capturer", 50, 70, 2.5, "symbol", why),
            Evidence("src/catch_message.cpp", "Capturer", 90, 110, 2.5, "symbol", why),
        ]
    )
    assert [loc.path for loc in ranked][0] == "src/catch_message.cpp"


def test_a_window_only_search_found_goes_below_a_definition_it_barely_beats() -> None:
    def order(
        window_kind: str, leader: float = 3.0, issue: bool = True
    ) -> list[tuple[str, str | None]]:
        evidence = [
            Evidence("lib/zstd.h", None, 900, 920, 2.5, window_kind, "a window"),
            Evidence("lib/decompress.c", "ZSTD_decompressStream", 10, 90, 2.0, "search", "BM25"),
            Evidence("lib/compress.c", "ZSTD_compress", 10, 90, leader, "search", "BM25"),
        ]
        return [(loc.path, loc.symbol) for loc in rank(evidence, issue=issue)]

    assert order("search")[1] == ("lib/decompress.c", "ZSTD_decompressStream")
    # a question of where something is done (not an issue): a stretch of a file can answer it
    assert order("search", issue=False)[1] == ("lib/zstd.h", None)
    # a file the question names keeps its place: that is the question's own evidence
    assert order("path")[1] == ("lib/zstd.h", None)
    # a window that leads keeps the lead: its file is the best guess
    assert order("search", leader=1.0)[0] == ("lib/zstd.h", None)


def _files(evidence: list[Evidence]) -> list[str]:
    return list(dict.fromkeys(loc.path for loc in rank(evidence, issue=True)))


def test_a_script_in_another_language_goes_below_the_projects_own_code() -> None:
    rust = [
        Evidence("src/args.rs", "ArgMatches.overrides", 10, 40, 2.0, "search", "BM25 rank 2"),
        Evidence("src/app.rs", "flag_iglob", 5, 30, 1.6, "search", "BM25 rank 3"),
        Evidence("src/main.rs", "run", 1, 9, 1.2, "search", "BM25 rank 4"),
    ]
    script = Evidence("ci/install.sh", "install_deps", 1, 20, 2.5, "search", "BM25 rank 1")
    files = _files([script, *rust])
    assert files[0] == "src/args.rs" and "ci/install.sh" in files
    # the question names the script: it is what the question is about
    named = Evidence("ci/install.sh", None, 1, 1, 2.0, "path", "file named in the question")
    assert _files([script, named, *rust])[0] == "ci/install.sh"


def test_languages_are_left_alone_when_none_holds_most_of_what_was_found() -> None:
    evidence = [
        Evidence("tools/gen.py", "main", 1, 20, 2.5, "search", "BM25 rank 1"),
        Evidence("src/lib.rs", "parse", 1, 20, 2.4, "search", "BM25 rank 2"),
    ]
    assert _files(evidence) == ["tools/gen.py", "src/lib.rs"]
    # a C++ source and a C header are one family: the header keeps its place
    mixed = [
        Evidence("include/fmt/base.h", "parse", 1, 20, 2.5, "search", "BM25 rank 1"),
        Evidence("src/format.cc", "vformat", 1, 20, 2.0, "search", "BM25 rank 2"),
        Evidence("src/os.cc", "file.dup", 1, 20, 1.8, "search", "BM25 rank 3"),
    ]
    assert _files(mixed)[0] == "include/fmt/base.h"


def test_a_typescript_declaration_named_in_words_gives_way_to_the_javascript() -> None:
    evidence = [
        Evidence("types/plugin/tz.d.ts", "Dayjs", 1, 9, 1.5, "words", "`tz` is named"),
        Evidence("types/plugin/tz.d.ts", "Dayjs", 1, 9, 1.2, "search", "BM25 rank 2"),
        Evidence("src/index.js", "Dayjs.utcOffset", 40, 60, 2.0, "search", "BM25 rank 1"),
    ]
    assert _files(evidence)[0] == "src/index.js"


def test_in_an_issue_a_files_longer_function_comes_before_a_shorter_one_it_barely_trails() -> None:
    def order(issue: bool = True, kind: str = "function") -> list[str | None]:
        evidence = [
            Evidence("src/main.c", "usage", 49, 120, 2.5, "search", "BM25 1", "function"),
            Evidence("src/main.c", "main", 310, 795, 2.2, "search", "BM25 3", kind),
            Evidence("src/builtin.c", "f_strptime", 10, 60, 2.4, "search", "BM25 2", "function"),
        ]
        return [loc.symbol for loc in rank(evidence, issue=issue)]

    # main (486 lines) takes usage's (72 lines) first place; the other file keeps its place
    assert order() == ["main", "usage", "f_strptime"]
    # a question of where something is done, not an issue: the evidence alone orders
    assert order(issue=False) == ["usage", "main", "f_strptime"]
    # a class's or a constant's length is its members' or its data's: no prior
    assert order(kind="class") == ["usage", "main", "f_strptime"]
    assert order(kind="") == ["usage", "main", "f_strptime"]


def test_the_length_prior_does_not_overturn_clear_evidence_and_keeps_the_scores() -> None:
    evidence = [
        Evidence("a.py", "short", 1, 5, 4.0, "symbol", "named", "function"),
        Evidence("a.py", "long", 10, 400, 1.0, "search", "BM25", "function"),
    ]
    ranked = rank(evidence, issue=True)
    assert [loc.symbol for loc in ranked] == ["short", "long"]
    swapped = [
        Evidence("a.py", "short", 1, 5, 2.0, "search", "BM25", "function"),
        Evidence("a.py", "long", 10, 400, 1.9, "search", "BM25", "function"),
    ]
    before = sorted(loc.score for loc in rank(swapped))
    ranked = rank(swapped, issue=True)
    assert [loc.symbol for loc in ranked] == ["long", "short"]
    # each place keeps its score: the confidence read from the first place does not change
    assert sorted((loc.score for loc in ranked), reverse=True) == [loc.score for loc in ranked]
    assert sorted(loc.score for loc in ranked) == before


def test_in_an_issue_a_test_goes_below_the_code_it_tests() -> None:
    def files(issue: bool = True, about_tests: bool = False) -> list[str]:
        evidence = [
            Evidence("test/chrono-test.cc", "TEST", 96, 103, 2.5, "search", "BM25 1", "function"),
            Evidence("include/fmt/chrono.h", "formatter.format", 1, 40, 1.4, "search", "BM25 2"),
        ]
        ranked = rank(evidence, issue=issue, about_tests=about_tests)
        return list(dict.fromkeys(loc.path for loc in ranked))

    assert files() == ["include/fmt/chrono.h", "test/chrono-test.cc"]
    # a question of where something is, or an issue about the tests: as search ranked them
    assert files(issue=False)[0] == "test/chrono-test.cc"
    assert files(about_tests=True)[0] == "test/chrono-test.cc"


def test_in_an_issue_a_test_counts_the_issue_factor_once_whatever_found_it() -> None:
    def ranked(issue: bool) -> dict[str, float]:
        evidence = [
            Evidence("tests/test_jar.py", "Jar", 1, 30, 5.0, "symbol", "defines `Jar`"),
            Evidence("tests/test_cache.py", "fill", 1, 9, 2.5, "search", "BM25 rank 1"),
            Evidence("pkg/jar.py", "make_jar", 3, 20, 1.2, "symbol", "defines `make_jar`"),
        ]
        return {loc.path: loc.score for loc in rank(evidence, issue=issue)}

    question, issue = ranked(issue=False), ranked(issue=True)
    assert max(question, key=question.__getitem__).startswith("tests/")
    assert max(issue, key=issue.__getitem__) == "pkg/jar.py"
    for test in ("tests/test_jar.py", "tests/test_cache.py"):  # a lookup's and search's alike
        assert issue[test] == pytest.approx(question[test] * ISSUE_TEST_FACTOR)
    assert issue["pkg/jar.py"] == question["pkg/jar.py"]


def test_a_module_of_tests_inside_a_source_file_counts_as_a_test() -> None:
    def symbols(about_tests: bool = False, issue: bool = True) -> list[str | None]:
        evidence = [
            Evidence("src/matcher.rs", "tests.word", 900, 930, 2.5, "search", "BM25 1", "function"),
            Evidence("src/literal.rs", "LiteralSets.new", 10, 60, 1.2, "search", "BM25 2"),
            Evidence("src/matcher.rs", "RegexMatcher.new", 40, 80, 0.5, "search", "BM25 3"),
        ]
        ranked = rank(evidence, issue=issue, about_tests=about_tests)
        return [loc.symbol for loc in ranked]

    assert symbols() == ["LiteralSets.new", "RegexMatcher.new", "tests.word"]
    # a question of where something is: as search ranked them (the file may be what it asks for)
    assert symbols(issue=False)[0] == "tests.word"
    assert symbols(about_tests=True)[0] == "tests.word"


def test_a_test_in_a_module_of_tests_does_not_take_its_source_files_place() -> None:
    # the best match is a stretch of matcher.rs outside any definition: the file's place goes
    # to a definition of it, but not to a test, whose evidence was counted down as a test's
    evidence = [
        Evidence("src/matcher.rs", None, 300, 320, 2.5, "search", "BM25 1"),
        Evidence("src/matcher.rs", "tests.word", 900, 930, 1.5, "focus", "title 1", "function"),
        Evidence("src/literal.rs", "LiteralSets.new", 10, 60, 2.0, "search", "BM25 2"),
    ]
    ranked = rank(evidence, issue=True)
    assert [loc.symbol for loc in ranked][-1] == "tests.word"
    assert rank(evidence, issue=True, about_tests=True)[0].symbol == "tests.word"


def test_equal_scores_come_in_path_then_line_order_whatever_order_they_were_summed_in() -> None:
    # 0.1 + 0.2 is 0.30000000000000004: the same evidence summed in another order differs in
    # its last bits, which must not decide which of two equal answers comes first
    summed = [
        Evidence("b.py", "g", 5, 9, 0.2, "search", "BM25"),
        Evidence("b.py", "g", 5, 9, 0.1, "symbol", "named"),
    ]
    ranked = rank([*summed, Evidence("a.py", "f", 30, 40, 0.3, "search", "BM25")])
    assert [loc.path for loc in ranked] == ["a.py", "b.py"]
    ranked = rank(
        [
            Evidence("c.py", "h", 20, 30, 0.3, "search", "BM25"),
            Evidence("c.py", "e", 3, 8, 0.3, "search", "BM25"),
        ]
    )
    assert [loc.symbol for loc in ranked] == ["e", "h"]
