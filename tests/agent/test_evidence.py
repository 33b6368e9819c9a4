"""Tool results as evidence: pure functions over the records each result carries."""

from swe_agent.agent.offline import evidence as ev
from swe_agent.agent.offline.question import parse_question
from swe_agent.agent.offline.rank import rank
from swe_agent.agent.records import (
    CallerHit,
    CodeHit,
    DefinitionHit,
    NoteHit,
    OutlineEntry,
    Place,
)
from swe_agent.code.declarations import prefer_definitions

CALLERS = [
    CallerHit("urls/resolvers.py", 830, "URLResolver._reverse_with_prefix", 1),
    CallerHit("urls/base.py", 70, "reverse", 1),
]


def ranked_for(name: str, signature: str) -> list[tuple[str, str | None]]:
    q = parse_question(f"Reversing a URL raises {name} although the pattern matches.")
    findings = ev.Findings()
    definition = DefinitionHit("urls/exceptions.py", 8, 9, name, "class", True, signature)
    ev.from_lookup(name, [definition], CALLERS, [], q, findings)
    return [(loc.path, loc.symbol) for loc in rank(findings.evidence)]


def test_a_named_exception_points_to_where_it_is_raised() -> None:
    order = ranked_for("NoReverseMatch", "class NoReverseMatch(Exception):")
    assert set(order[:2]) == {
        ("urls/resolvers.py", "URLResolver._reverse_with_prefix"),
        ("urls/base.py", "reverse"),
    }
    assert order[2] == ("urls/exceptions.py", "NoReverseMatch")


def test_a_named_exception_that_search_lifted_still_yields_to_where_it_is_raised() -> None:
    q = parse_question("Reversing a URL raises NoReverseMatch although the pattern matches.")
    findings = ev.Findings()
    hits = [  # search lifts the definition of a name the query uses to the top
        CodeHit(1, "urls/exceptions.py", 8, 9, "NoReverseMatch", 30.0, None),
        CodeHit(2, "urls/resolvers.py", 764, 851, "URLResolver._reverse_with_prefix", 17.0, None),
    ]
    ev.from_search(hits, findings, "search", q)
    definition = DefinitionHit(
        "urls/exceptions.py",
        8,
        9,
        "NoReverseMatch",
        "class",
        True,
        "class NoReverseMatch(Exception):",
    )
    ev.from_lookup("NoReverseMatch", [definition], CALLERS, [], q, findings)
    ev.discount_raised(findings)
    assert rank(findings.evidence)[0].symbol == "URLResolver._reverse_with_prefix"


def test_a_named_class_that_is_no_exception_leads() -> None:
    order = ranked_for("Resolver", "class Resolver(Base):")
    assert order[0] == ("urls/exceptions.py", "Resolver")


def test_why_lines_are_cut_at_a_word() -> None:
    title = "Why is my Authorization header dropped, removed or missing after BaseClient._redirect_headers?"
    assert (
        ev._shorten(title, 90)
        == "Why is my Authorization header dropped, removed or missing after…"
    )
    assert ev._shorten("short", 90) == "short"


def test_a_note_points_to_its_evidence_and_its_place() -> None:
    cited = NoteHit(
        7, "question", Place("a.py", 1, 40), "Where are cookies merged?", "In merge_cookies.",
        (Place("a.py", 10, 20, "merge_cookies"),),
    )  # fmt: skip
    bare = NoteHit(8, "summary", Place("b.py", 3, 9, "Jar"), "Jar: a cookie jar", "", ())
    findings = ev.Findings()
    ev.from_notes([cited, bare], findings)
    by_place = {(e.path, e.symbol): e for e in findings.evidence}
    best = ev.NOTE_WEIGHT
    assert by_place[("a.py", "merge_cookies")].weight == best  # the best note's evidence, whole
    assert by_place[("a.py", None)].weight == 0.6 * best  # its place, less
    assert by_place[("b.py", "Jar")].weight == 1.15 * (best / 1.5)  # no evidence: the place is it
    assert findings.notes == ["Where are cookies merged? — In merge_cookies.", "Jar: a cookie jar"]


HITS = [CodeHit(1, "a.py", 1, 9, "run", 10.0), CodeHit(2, "b.py", 1, 9, "helper", 9.9),
        CodeHit(5, "c.py", 1, 9, "other", 5.0)]  # fmt: skip


def ranked_with_note(path: str, symbol: str) -> list[tuple[str, str | None]]:
    findings = ev.Findings()
    ev.from_search(HITS, findings)
    ev.from_notes([NoteHit(1, "summary", Place(path, 1, 9, symbol), f"{symbol}: does it", "", ())],
                  findings)  # fmt: skip
    ev.settle_notes(findings)
    return [(loc.path, loc.symbol) for loc in rank(findings.evidence)]


def test_a_note_breaks_a_tie_among_the_code_hits_but_lifts_no_weak_one() -> None:
    assert ranked_with_note("b.py", "helper")[0] == ("b.py", "helper")  # 9.9 against 10: a tie
    assert ranked_with_note("c.py", "other")[:3] == [  # 5 against 10: the code's order stands
        ("a.py", "run"), ("b.py", "helper"), ("c.py", "other"),
    ]  # fmt: skip


def test_a_note_adds_no_definition_to_a_file_the_code_found() -> None:
    order = ranked_with_note("a.py", "unseen")
    assert ("a.py", "unseen") not in order
    assert order == [("a.py", "run"), ("b.py", "helper"), ("c.py", "other")]


def test_a_note_brings_a_file_the_code_did_not_find() -> None:
    assert ("d.py", "hidden") in ranked_with_note("d.py", "hidden")


def test_a_file_named_after_a_name_in_a_short_question_rises() -> None:
    hits = [
        CodeHit(1, "src/Types/FromJSON.hs", 922, 925, "explicitParseFieldMaybe", 10.0, None),
        CodeHit(2, "src/Key.hs", 44, 45, "Key", 9.0, None),
    ]

    def first(question: str) -> str:
        findings = ev.Findings()
        ev.from_search(hits, findings, "search", parse_question(question))
        return rank(findings.evidence)[0].path

    assert first("how the Key type is used as an object field identifier") == "src/Key.hs"
    # a long issue names many things in passing: there the file gets no word of its own
    issue = "how the Key type is used as an object field identifier. " + "It fails. " * 40
    assert first(issue) == "src/Types/FromJSON.hs"


def test_a_file_whose_folder_and_name_the_question_says_rises() -> None:
    hits = [
        CodeHit(1, "src/Cache/Manager.php", 40, 52, "Manager.store", 10.0, None),
        CodeHit(2, "src/Cache/SessionStore.php", 33, 37, "SessionStore.__construct", 9.8, None),
        CodeHit(3, "src/Session/Store.php", 722, 725, "Store.generateSessionId", 9.5, None),
    ]

    def order(question: str) -> list[str]:
        findings = ev.Findings()
        ev.from_search(hits, findings, "search", parse_question(question))
        return [loc.path for loc in rank(findings.evidence)]

    # "session store" names Session/Store.php as much as SessionStore.php: search's order decides
    assert order("where the session store keeps its data") == [
        "src/Cache/SessionStore.php",
        "src/Session/Store.php",
        "src/Cache/Manager.php",
    ]
    assert order("where the store keeps data")[0] == "src/Cache/Manager.php"


def test_a_named_function_is_its_definition_not_its_prototype() -> None:
    q = parse_question("widget_resize returns 0 for a NULL widget")
    findings = ev.Findings()
    defs = [  # the header sorts first, and both are exact
        DefinitionHit("include/widgets.h", 11, 11, "widget_resize", "declaration", True, "int"),
        DefinitionHit("src/toolkit.c", 3, 10, "widget_resize", "function", True, "int"),
    ]
    ev.from_lookup("widget_resize", defs, [], [], q, findings)
    assert [loc.path for loc in rank(findings.evidence)] == ["src/toolkit.c"]
    findings = ev.Findings()  # declared only: the prototype is what there is
    ev.from_lookup("widget_resize", defs[:1], [], [], q, findings)
    assert [loc.path for loc in rank(findings.evidence)] == ["include/widgets.h"]


def test_a_method_declared_in_its_class_gives_way_to_its_definition_under_using() -> None:
    def hit(path: str, qualname: str, kind: str) -> DefinitionHit:
        return DefinitionHit(path, 1, 2, qualname, kind, True, "")

    declared = hit("include/capture.h", "Catch.Capturer.add", "declaration")
    # `using namespace Catch; void Capturer::add()`: the same method, fewer namespaces
    kept = prefer_definitions([declared, hit("src/capture.cpp", "Capturer.add", "method")])
    assert [d.path for d in kept] == ["src/capture.cpp"]
    # a bare `add` elsewhere is another function: it proves nothing about Capturer::add
    kept = prefer_definitions([declared, hit("src/util.c", "add", "function")])
    assert [d.path for d in kept] == ["include/capture.h", "src/util.c"]


def test_a_typescript_declaration_file_gives_way_to_the_javascript_it_types() -> None:
    q = parse_question("Duration.humanize() ignores the locale")
    defs = [  # the typings sort first, and name the method under their namespace
        DefinitionHit("types/duration.d.ts", 4, 4, "plugin.Duration.humanize", "method", True, ""),
        DefinitionHit("src/duration/index.js", 20, 31, "Duration.humanize", "method", True, ""),
        DefinitionHit("types/duration.d.ts", 9, 9, "plugin.DurationUnitType", "type", False, ""),
    ]
    findings = ev.Findings()
    ev.from_lookup("Duration.humanize", defs, [], [], q, findings)
    assert [loc.path for loc in rank(findings.evidence)] == [
        "src/duration/index.js",
        "types/duration.d.ts",  # a type of its own, written nowhere else
    ]
    assert rank(findings.evidence)[1].symbol == "plugin.DurationUnitType"


def generated_order(question: str) -> list[tuple[str, float]]:
    q = parse_question(question)
    findings = ev.Findings()
    made = DefinitionHit("src/parser.c", 9, 14, "token_name", "function", True, "", True)
    written = DefinitionHit("src/tokens.c", 5, 10, "token_name", "function", True, "")
    callers = [CallerHit("src/parser.c", 20, "yyparse", 1, True)]
    ev.from_lookup("token_name", [made, written], callers, [], q, findings)
    return [(loc.path, round(loc.score, 3)) for loc in rank(findings.evidence)]


def test_a_definition_in_a_generated_file_counts_less_than_a_hand_written_one() -> None:
    order = generated_order("`token_name` says $end where it should say end of input")
    assert order[0][0] == "src/tokens.c"
    assert order[1][0] == "src/parser.c" and order[1][1] < order[0][1] * 0.8


def test_a_generated_file_the_question_names_counts_in_full() -> None:
    order = generated_order("`token_name` in parser.c says $end where it should say end of input")
    assert order[0][0] == "src/parser.c" and order[0][1] > order[1][1]


def test_a_named_exception_with_a_constructor_points_to_where_it_is_raised() -> None:
    q = parse_question("The build fails with IncompatibleVersionException for a Java 21 image.")
    path = "plugins/IncompatibleVersionException.java"
    defs = [  # Java names a constructor after its class: it is the class, not another thing
        DefinitionHit(path, 5, 30, "IncompatibleVersionException", "class", True,
                      "public class IncompatibleVersionException extends Exception {"),
        DefinitionHit(path, 10, 14, "IncompatibleVersionException.IncompatibleVersionException",
                      "method", True, "public IncompatibleVersionException(int image, int app) {"),
    ]  # fmt: skip
    callers = [CallerHit("plugins/Processor.java", 525, "Processor.getBaseImage", 1)]
    findings = ev.Findings()
    ev.from_lookup("IncompatibleVersionException", defs, callers, [], q, findings)
    assert rank(findings.evidence)[0].path == "plugins/Processor.java"


TRACEBACK_ISSUE = """Linting a file with a doubled semicolon crashes

```
Traceback (most recent call last):
  File "/home/u/proj/app/cli.py", line 40, in lint
    result = run_linter(text)
  File "/home/u/proj/app/linter.py", line 313, in parse_rendered
    check_still_complete(segments)
  File "/home/u/proj/app/helpers.py", line 30, in check_still_complete
    raise RuntimeError("Dropped elements")
RuntimeError: Dropped elements in sequence matching
```
"""


def traceback_ranked(lookups: list[str]) -> list[str | None]:
    q = parse_question(TRACEBACK_ISSUE)
    findings = ev.Findings()
    frames = {  # name -> (path, line range, qualified name, kind)
        "parse_rendered": ("app/linter.py", 296, 332, "Linter.parse_rendered", "method"),
        "check_still_complete": ("app/helpers.py", 21, 35, "check_still_complete", "function"),
    }
    for name in lookups:
        path, start, end, qualname, kind = frames[name]
        hit = DefinitionHit(path, start, end, qualname, kind, True, "def")
        ev.from_lookup(name, [hit], [], [], q, findings)
    for path, start, end, qualname, kind in frames.values():
        ev.from_outline(path, [OutlineEntry(start, end, kind, qualname)], q, findings)
    return [loc.symbol for loc in rank(findings.evidence, issue=True)][:2]


def test_a_traceback_frame_whose_name_was_looked_up_is_not_counted_twice() -> None:
    # the deepest frame leads whichever frames' names the lookups reached: a frame's name,
    # looked up, is the same mention as the frame, not a second kind of evidence
    deepest = ["check_still_complete", "Linter.parse_rendered"]
    assert traceback_ranked([]) == deepest
    assert traceback_ranked(["parse_rendered"]) == deepest
    assert traceback_ranked(["parse_rendered", "check_still_complete"]) == deepest


def test_a_method_called_on_a_value_names_the_definitions_of_the_method() -> None:
    # `expr` is the issue's own variable: no definition holds `expr.atoms`, those of `atoms` do
    q = parse_question("`expr.atoms()` should return objects with no args instead of subclasses")
    defs = [
        DefinitionHit("core/basic.py", 1826, 1869, "Atom", "class", False, "class Atom(Basic):"),
        DefinitionHit("core/basic.py", 434, 512, "Basic.atoms", "method", False, "def atoms("),
    ]

    def weights(name: str) -> dict[str | None, float]:
        findings = ev.Findings()
        ev.from_lookup(name, defs, [], [], q, findings)
        return {e.symbol: e.weight for e in findings.evidence}

    assert weights("expr.atoms")["Basic.atoms"] >= 2.0 > weights("expr.atoms")["Atom"]
    # a type's member (`Expr.atoms`) names that type's; another's is only a similar name
    assert weights("Expr.atoms")["Basic.atoms"] < 1.0
