"""Rank locations from evidence. Pure: evidence in, ranked locations out.

Evidence of different kinds adds up (a definition named in the question that is also the
best BM25 hit beats either alone); more of the same kind adds with diminishing returns. A
location also borrows from its file's score, so the best definitions of the best files lead,
but no more than twice its own: a mere mention in a strong file stays below another file's
good match.
Test files count less unless the question is about tests.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from swe_agent.code.paths import is_source_path, is_test_path
from swe_agent.ranking.paths import language_family, path_class
from swe_agent.store.search import DECIMALS

TEST_FACTOR = 0.3
# in an issue not about tests, a test counts this much more (evidence_factor); counting a lookup's
# tests TEST_FACTOR only (search's twice) moved a fuzzer in a traceback to the first place
ISSUE_TEST_FACTOR = 0.3
OTHER_FACTOR = 0.3  # documentation, changelogs, configuration: rarely what a question is after
COPY_FACTOR = 0.5  # a vendored copy: its source, if here, names the same things
# a file generated, by its name (a TypeScript .d.ts declaration, a .pb.go): what it declares is
# written in the code it types or is made from; weighed as code search weighs it
GENERATED_PATH_FACTOR = 0.5
FILE_SHARE = 0.5  # how much of its file's score a location borrows
BORROW_LIMIT = 2.0  # and at most this many times its own score
SAME_KIND_DECAY = 0.25
PER_FILE = 5
CONTAINER_FACTOR = 0.85  # weight of the second and later evidence of one kind
STRONG = 2.0  # code evidence this strong (a definition named, the best BM25 hits) holds its place
RANKED_BY_SEARCH = frozenset({"search", "focus"})  # evidence whose weight already holds the path's
SEARCH_KINDS = RANKED_BY_SEARCH | {"words"}  # every kind of evidence code search gives
NOTE_ONLY = 0.5  # below this much code evidence, a location stands on notes alone
NAMED_KINDS = ("symbol", "trace", "path")  # evidence of what the question itself names
# a stretch of code outside any definition that only code search found (a header's comments,
# a run of declarations) is rarely what a fix edits; a definition is
WINDOW_FACTOR = 0.6
# a file in another language than most of what was found (a CI or install script, a packaging
# formula, a support script beside the library) is the project's tooling, rarely what a question
# is about, unless the question itself names it; "most": more than this share of the files found
OTHER_LANGUAGE_FACTOR = 0.5
LANGUAGE_MAJORITY = 0.5
# within a file, a longer function is the likelier place of a fix (defects grow with a function's
# size; BugLocator's rVSM weighs a file's length so, where BM25's length normalisation took it
# out): in an issue, a file's own locations are put in the order of their score times
# length_prior, 1 + LENGTH_PRIOR x log(lines) / log(LENGTH_CAP) (at most 2); a constant, a type, a
# module or a class has none (its length is its members' or its data's), so a function of that
# file with a close score comes before it
LENGTH_PRIOR = 1.0
LENGTH_CAP = 200
CALLABLE = frozenset({"function", "method"})
TEST_MODULES = frozenset({"tests", "test"})  # a module of tests kept in a source file


@dataclass(frozen=True, slots=True)
class Evidence:
    path: str
    symbol: str | None
    start_line: int
    end_line: int
    weight: float
    kind: str  # symbol | trace | search | note | path | caller | reference
    why: str
    definition_kind: str = ""  # what the symbol is (function, method, class...), when known


@dataclass(slots=True)
class Location:
    path: str
    symbol: str | None
    start_line: int
    end_line: int
    score: float
    why: list[str]
    definition_kind: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "symbol": self.symbol,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "why": "; ".join(self.why),
        }


def _combine(items: list[Evidence]) -> float:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for e in items:
        by_kind[e.kind].append(e.weight)
    total = 0.0
    for weights in by_kind.values():
        weights.sort(reverse=True)
        total += weights[0] + SAME_KIND_DECAY * sum(weights[1:4])
    return total


def rank(
    evidence: list[Evidence],
    *,
    about_tests: bool = False,
    limit: int = 10,
    definition_asked: bool = False,
    issue: bool = False,
) -> list[Location]:
    """Locations best first: one per definition, or per file for code outside definitions.
    definition_asked: the question is only a name, so a class it names is the answer, not
    the class's members. issue: the question is an issue, whose fix edits a definition (not a
    question of where something is done, which a stretch of a file can answer)."""
    groups: dict[tuple[str, str | None, int], list[Evidence]] = defaultdict(list)
    for e in evidence:
        e = replace(e, weight=e.weight * evidence_factor(e, about_tests, issue))
        # code outside definitions: each window is its own location, with its own lines
        groups[(e.path, e.symbol or None, 0 if e.symbol else e.start_line)].append(e)
    locations = _scored(groups)
    _notes_below_strong_code(locations, groups)  # before a definition takes its file's place
    if any(e.kind == "note" for e in evidence):
        code_only = {k: [e for e in items if e.kind != "note"] for k, items in groups.items()}
        _notes_below_named_code(locations, groups, _scored(code_only))
    _fold_files(locations, issue and not about_tests)
    _other_languages_below(locations, evidence)
    if issue:
        _windows_below_definitions(locations, groups)
    if not definition_asked:
        _yield_to_members(locations)
    locations.sort(key=order_key)
    if issue:
        _longer_functions_first(locations)
    return _diverse(locations, limit)


def order_key(loc: Location) -> tuple[float, str, int, int, str]:
    """Best first; equal scores (to DECIMALS: evidence summed in another order differs in its
    last bits) by path, then line, then name, so that equal answers come in one order."""
    return (-round(loc.score, DECIMALS), loc.path, loc.start_line, loc.end_line, loc.symbol or "")


def length_prior(loc: Location) -> float:
    """1 + LENGTH_PRIOR x how long the function is, on a log scale up to LENGTH_CAP lines; any
    other location (another kind of definition, one of unknown kind, a stretch outside any
    definition) has none."""
    if loc.definition_kind not in CALLABLE:
        return 1.0
    lines = max(1, loc.end_line - loc.start_line + 1)
    return 1.0 + LENGTH_PRIOR * min(1.0, math.log(lines) / math.log(LENGTH_CAP))


def _longer_functions_first(ranked: list[Location]) -> None:
    """Each file's locations, in the places they hold in `ranked`, reordered by score x
    length_prior; each place keeps its score, so the files' order and the confidence read from
    the scores do not change."""
    places: dict[str, list[int]] = defaultdict(list)
    for i, loc in enumerate(ranked):
        places[loc.path].append(i)
    for indexes in places.values():
        if len(indexes) < 2:
            continue
        scores = [ranked[i].score for i in indexes]
        order = sorted(
            (ranked[i] for i in indexes),
            key=lambda loc: -round(loc.score * length_prior(loc), DECIMALS),
        )
        for i, loc, score in zip(indexes, order, scores, strict=True):
            loc.score = score
            ranked[i] = loc


def _key(loc: Location) -> tuple[str, str | None, int]:
    return (loc.path, loc.symbol, 0 if loc.symbol else loc.start_line)


def _scored(groups: dict[tuple[str, str | None, int], list[Evidence]]) -> list[Location]:
    """Each group's location, scored by its evidence and a share of its file's score."""
    locations: list[Location] = []
    for (path, symbol, _), items in groups.items():
        if not items:
            continue
        best = max(items, key=lambda e: (e.weight, -e.start_line))
        whys = list(dict.fromkeys(e.why for e in sorted(items, key=lambda e: -e.weight)))[:4]
        kind = next((e.definition_kind for e in items if e.definition_kind), "")
        locations.append(
            Location(path, symbol, best.start_line, best.end_line, _combine(items), whys, kind)
        )
    by_file: dict[str, list[float]] = defaultdict(list)
    for loc in locations:
        by_file[loc.path].append(loc.score)
    file_score = {
        path: sorted(scores, reverse=True)[0] + 0.3 * sum(sorted(scores, reverse=True)[1:3])
        for path, scores in by_file.items()
    }
    for loc in locations:
        loc.score += FILE_SHARE * min(file_score[loc.path], BORROW_LIMIT * loc.score)
    return locations


def _diverse(ranked: list[Location], limit: int) -> list[Location]:
    """At most PER_FILE locations of one file until other files are listed too."""
    chosen: list[Location] = []
    held: list[Location] = []
    per_file: dict[str, int] = defaultdict(int)
    for loc in ranked:
        if per_file[loc.path] < PER_FILE:
            per_file[loc.path] += 1
            chosen.append(loc)
        else:
            held.append(loc)
        if len(chosen) >= limit:
            return chosen
    return (chosen + held)[:limit]


def evidence_factor(e: Evidence, about_tests: bool, issue: bool) -> float:
    """How much a piece of evidence counts for what its path is, each reason once: a lookup's or
    a note's by path_factor (a test TEST_FACTOR), code search's by its own ranking (which counted
    a test file down already). In an issue not about tests, a test of any kind counts
    ISSUE_TEST_FACTOR more: the fix edits the code, and a test that exercises it, or the test an
    issue's traceback runs through, repeats the issue's words and names; and a test in a module
    of tests inside a source file (Rust's `mod tests`), which no path says is one, counts
    TEST_FACTOR as well. A question of where something is keeps what search ranked: a file whose
    only evidence is its module of tests (axum's response/mod.rs for `IntoResponse`) is still
    the file it asks for."""
    factor = 1.0 if e.kind in RANKED_BY_SEARCH else path_factor(e.path, about_tests)
    if about_tests or not issue:
        return factor
    if is_test_path(e.path):
        return factor * ISSUE_TEST_FACTOR
    if in_test_module(e.symbol):
        return factor * TEST_FACTOR * ISSUE_TEST_FACTOR
    return factor


def in_test_module(symbol: str | None) -> bool:
    """A definition inside a module of tests (Rust's `#[cfg(test)] mod tests`: `tests.word`)."""
    return any(part in TEST_MODULES for part in (symbol or "").split(".")[:-1])


def path_factor(path: str, about_tests: bool) -> float:
    if not is_source_path(path):
        return OTHER_FACTOR
    if is_test_path(path) and not about_tests:
        return TEST_FACTOR
    kind = path_class(path)
    if kind == "generated":
        return GENERATED_PATH_FACTOR
    return COPY_FACTOR if kind == "vendored" else 1.0


def _fold_files(locations: list[Location], tests_below: bool) -> None:
    """A file-level location (code outside any definition, or a note about the whole file)
    gives way to the best definition of the same file that has evidence of its own: the
    definition takes the file's place in the ranking, since a definition is the more useful
    answer, and the file-level location goes below it. tests_below (an issue not about tests):
    a test in a module of tests does not take a source file's place, its evidence was counted
    down as a test's, and the place it took would undo that."""
    best_def: dict[str, Location] = {}
    for loc in locations:
        if not loc.symbol or (tests_below and in_test_module(loc.symbol)):
            continue
        if loc.path not in best_def or loc.score > best_def[loc.path].score:
            best_def[loc.path] = loc
    for loc in locations:
        best = best_def.get(loc.path)
        if loc.symbol or best is None:
            continue
        if loc.score > best.score:
            best.score, loc.score = loc.score, best.score
        loc.score *= 0.5


def _windows_below_definitions(
    locations: list[Location], groups: dict[tuple[str, str | None, int], list[Evidence]]
) -> None:
    """A window outside any definition that only code search found counts WINDOW_FACTOR below
    the first place: its file stays in the ranking through it, but definitions that other
    files' evidence found come first. For issues only: on semble's questions of where code is
    (its judgements are files), lowering windows cost ask 0.002 NDCG@10 (28 queries worse,
    21 better), while on Multi-SWE issues it made room for 3 more functions in the top 5. A window that leads keeps the lead: it has outscored
    every definition, and its file is the best guess (a JavaScript getter defined through a
    call, `defineGetter(req, 'ip', ...)`, is such a window)."""
    leader = min(locations, key=order_key, default=None)
    for loc in locations:
        if loc is leader or loc.symbol is not None:
            continue
        if all(e.kind in SEARCH_KINDS for e in groups.get(_key(loc), [])):
            loc.score *= WINDOW_FACTOR


def _other_languages_below(locations: list[Location], evidence: list[Evidence]) -> None:
    """Locations in files of another language family than the one more than LANGUAGE_MAJORITY
    of the files found are written in count OTHER_LANGUAGE_FACTOR, unless the question names
    their file (a path, a traceback's frame, its name in words)."""
    families = Counter(
        family for family in map(language_family, {loc.path for loc in locations}) if family
    )
    if not families:
        return
    (main, most), total = max(families.items(), key=lambda kv: (kv[1], kv[0])), families.total()
    if most <= LANGUAGE_MAJORITY * total:
        return
    named = {e.path for e in evidence if e.kind in NAMED_KINDS or e.kind == "words"}
    for loc in locations:
        family = language_family(loc.path)
        if family and family != main and loc.path not in named:
            loc.score *= OTHER_LANGUAGE_FACTOR


def _yield_to_members(locations: list[Location]) -> None:
    """A class (or other container) counts less when members of it have evidence of their
    own: a fix is more often in a method than in the class body."""
    parents = {
        (loc.path, loc.symbol.rsplit(".", 1)[0])
        for loc in locations
        if loc.symbol and "." in loc.symbol
    }
    for loc in locations:
        if loc.symbol and (loc.path, loc.symbol) in parents:
            loc.score *= CONTAINER_FACTOR


def _notes_below_strong_code(
    locations: list[Location], groups: dict[tuple[str, str | None, int], list[Evidence]]
) -> None:
    """A location that stands on notes alone goes no higher than the weakest location with
    strong evidence from the code: a note may bring a place in, not push a definition the
    question names, or the code that matches it best, below it."""
    code = {key: _combine([e for e in items if e.kind != "note"]) for key, items in groups.items()}

    def own(loc: Location) -> float:
        return code.get((loc.path, loc.symbol, 0 if loc.symbol else loc.start_line), 0.0)

    strong = [loc.score for loc in locations if own(loc) >= STRONG]
    if not strong:
        return
    ceiling = min(strong) * 0.99
    for loc in locations:
        if own(loc) < NOTE_ONLY and loc.score > ceiling:
            loc.score = ceiling


def _notes_below_named_code(
    locations: list[Location],
    groups: dict[tuple[str, str | None, int], list[Evidence]],
    code_only: list[Location],
) -> None:
    """Notes confirm, they do not overrule: a location the notes lifted goes no higher than
    the weakest location that the question names (a definition of a name it uses, a traceback
    frame, a file it names) unless it stood above it on the code's evidence alone."""
    named = {
        key
        for key, items in groups.items()
        if _combine([e for e in items if e.kind in NAMED_KINDS]) >= STRONG
    }
    if not named:
        return
    base = {_key(loc): loc.score for loc in code_only}
    ceiling = min(loc.score for loc in locations if _key(loc) in named) * 0.99
    floor = min(base[key] for key in named if key in base)
    for loc in locations:
        key = _key(loc)
        if key in named or loc.score <= ceiling or base.get(key, 0.0) >= floor:
            continue
        if any(e.kind == "note" for e in groups[key]):
            loc.score = ceiling


def file_ranking(locations: list[Location]) -> list[str]:
    return list(dict.fromkeys(loc.path for loc in locations))
