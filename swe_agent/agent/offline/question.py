"""Read a question or an issue for what it names: identifiers, file paths, traceback frames,
whether it is about tests, and preferences the developer states. Pure functions."""

from __future__ import annotations

import builtins
import math
import re
from dataclasses import dataclass, field

from swe_agent.agent.offline.frames import STACKS, Frame, frames_in
from swe_agent.code.paths import SOURCE_EXTENSIONS
from swe_agent.code.tokens import STOPWORDS
from swe_agent.ranking import parse_query
from swe_agent.ranking.query import ISSUE_LENGTH

_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_TICK = re.compile(r"`([^`\n]{1,120})`")
_SOURCE = (  # a source file's path, as the group it is matched by
    r"((?:[\w.-]+/)*[\w-][\w.-]*\.(?:"
    + "|".join(sorted(SOURCE_EXTENSIONS, key=len, reverse=True))
    + r"))"
)
_PATH = re.compile(r"(?<![\w/.])" + _SOURCE + r"\b")
_DOTTED = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b")
# a C++, Rust or PHP qualified name: `Capturer::~Capturer`, `fd::cli::Opts`, `Buf::get_int`
_COLONS = re.compile(r"(?<![\w:])[A-Za-z_]\w*(?:::~?[A-Za-z_]\w*)+")
# a web address names a page, not code: its host and path would read as dotted names and paths;
# but a link to a file of a repository (github.com/o/r/blob/REF/stats/stats.go#L68) names it
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]`'\"]+|\bwww\.[\w.-]+(?:/[^\s<>()`'\"]*)?")
_LINKED_FILE = re.compile(r"/(?:blob|tree|raw)/[^/\s]+/([^\s#?]+)")
_CAMEL = re.compile(
    r"\b(?:[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+|[A-Z]{2,}[a-z]\w*|[a-z]+[A-Z]\w*)\b"
)
_SNAKE = re.compile(r"\b_*[A-Za-z][A-Za-z0-9]*_\w+\b")
_CALL = re.compile(r"\b([A-Za-z_]\w{2,})\(")
_TEST_WORDS = re.compile(
    r"\b(?:which|what|where are the) (?:unit )?tests?\b|\btests? (?:for|of|that cover|covering)\b",
    re.I,
)
_PREFERENCE = re.compile(
    r"(?:^|(?<=[.!?]\s))((?:i|we) (?:prefer|like|want|always|never)\b[^.!?\n]*|"
    r"(?:please )?(?:always|never|from now on)\b[^.!?\n]*)",
    re.I | re.M,
)
# fmt: off
_EXTENSIONS = SOURCE_EXTENSIONS | {
    "md", "txt", "rst", "toml", "json", "yaml", "yml", "cfg", "ini", "html", "css",
}
_NOT_CODE = frozenset([
    "self", "cls", "args", "kwargs", "e.g", "i.e", "etc", "README", "GitHub", "Python", "JavaScript",
    "TypeScript", "macOS", "iOS", "JSON", "YAML", "HTTP", "HTTPS", "URL", "API", "CLI",
])
_MODULE_PREFIXES = (
    "self.", "cls.", "np.", "pd.", "os.", "sys.", "re.", "json.", "typing.", "collections.",
)
# keywords and literals of the languages of issues: a word in backticks, never a definition
_KEYWORDS = frozenset([
    "true", "false", "null", "nil", "undefined", "else", "const", "static", "void", "struct",
    "enum", "return", "this", "super", "async", "await", "impl", "func", "var", "let", "mut",
    "pub", "unsafe", "nullptr", "auto", "typename", "template", "namespace", "new", "delete",
])
# the standard libraries of C++ and Rust: a name under them is not the repository's
_STANDARD_ROOTS = frozenset(["std", "core", "alloc"])
# top-level domains: `github.com` is a host, not a dotted name
_DOMAINS = frozenset(["com", "org", "net", "io", "dev", "edu", "gov", "info"])
# fmt: on
_BUILTINS = set(dir(builtins))


@dataclass(slots=True)
class Question:
    text: str
    identifiers: list[str] = field(default_factory=list)  # best first, for lookup_symbol
    paths: list[str] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    cited: list[Frame] = field(default_factory=list)  # lines its prose says are at fault
    about_tests: bool = False
    preferences: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)  # identifier -> how strongly named
    compounds: frozenset[str] = (
        frozenset()
    )  # adjacent words run together: "json array" -> jsonarray
    names: frozenset[str] = frozenset()  # of a short question, folded: "the Key type" -> key


def parse_question(text: str) -> Question:
    q = Question(text)
    q.frames = frames_in(text)
    best: dict[str, float] = {}
    seen: dict[str, int] = {}

    def add(name: str, weight: float) -> None:
        name = _clean(name)
        if name and _is_identifier(name):
            best[name] = max(best.get(name, 0.0), weight)
            seen[name] = seen.get(name, 0) + 1

    for frame in q.frames:
        if frame.func and not frame.func.startswith("<"):
            add(frame.func, 1.0)
    unlinked = _URL.sub(_linked_path, text)
    code = " ".join(_FENCE.findall(unlinked))
    prose = _FENCE.sub(" ", _without_stacks(unlinked))
    for tick in _TICK.findall(prose):
        colons = _COLONS.findall(tick)
        if colons and all(_read_whole(c) for c in colons):
            for name, share in _qualified(tick):
                add(name, 3.0 * share)
            continue
        for name in _DOTTED.findall(tick) or re.findall(r"[A-Za-z_]\w+", tick)[:3]:
            add(name, 3.0)
    for part, scale in ((prose, 1.0), (code, 1 / 3)):
        for name, share in _qualified(part):
            add(name, 2.0 * share * scale)
        bare = _COLONS.sub(lambda m: " " if _read_whole(m[0]) else m[0], part)
        for pattern, weight in ((_DOTTED, 2.0), (_CAMEL, 1.5), (_SNAKE, 1.5), (_CALL, 1.5)):
            for name in pattern.findall(bare):
                add(name, weight * scale)
    for name in _failed(unlinked):
        add(name, 2.0)
    for name in _quoted_definitions(code):
        add(name, 2.0)
    # how strongly a name is named: its strongest mention, a little more for each repeat
    scores = {name: w + 0.3 * math.log2(seen[name]) for name, w in best.items()}
    q.cited = cited_lines(text)
    q.paths = _paths(unlinked, q.frames)
    for path in q.paths:  # a file's stem named as a path is not an identifier to look up
        scores.pop(path.rsplit("/", 1)[-1].rsplit(".", 1)[0], None)
    q.weights = scores
    q.identifiers = sorted(scores, key=lambda n: (-scores[n], -len(n), n))
    q.about_tests = bool(_TEST_WORDS.search(prose))
    q.compounds = compounds(prose)
    if len(text) < ISSUE_LENGTH:
        q.names = frozenset(folded(n) for n in parse_query(prose).names)
    q.preferences = [m.strip() for m in _PREFERENCE.findall(text)][:3]
    return q


# the line an error ends with ("TypeError: RST.__init__() got an unexpected keyword argument",
# "AttributeError: 'List' object has no attribute 'opts'"), in a traceback or quoted alone
_ERROR_LINE = re.compile(
    r"^[ \t]*(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Warning)\b:[ \t]+([^\n]{1,300})$", re.M
)
_FAILED = re.compile(r"([A-Za-z_]\w*(?:\.\w+)*)\(\)|'([A-Z]\w*)'")


def _failed(text: str) -> list[str]:
    """What the error lines of the text say failed: the function it called (`RST.__init__()`)
    or a type it names in quotes (`'List' object`, `argument of type 'PersonName3'`). Such a
    line often sits in a code block, whose names count a third; the error names what failed
    as plainly as prose would."""
    return [
        called or typed
        for message in _ERROR_LINE.findall(text)
        for called, typed in _FAILED.findall(message)
    ]


# a definition's head in a code block: `def f(`, `fn f(`, `function f(`, `func (r *T) f(`
_DEFINITION = re.compile(
    r"^[ \t]*(?:(?:pub(?:\([\w:]+\))?|async|static|export|unsafe|const)[ \t]+)*"
    r"(?:def|fn|function|func(?:[ \t]*\([^)\n]*\))?)[ \t]+([A-Za-z_]\w*)[ \t]*[<(]",
    re.M,
)
_REPORTERS = re.compile(r"(?:test|main$|my_|_*(?:foo|bar|baz|qux|quux)(?:_|\d|$))", re.I)


def _quoted_definitions(code: str) -> list[str]:
    """The definitions an issue quotes in its code blocks, as it quotes the repository's source
    to say where the fault is: named as plainly as prose names them. A test, a program's main and
    a placeholder (foo, my_fn) are the reporter's own code, not the repository's."""
    return [n for n in _DEFINITION.findall(code) if not _REPORTERS.match(n)]


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*|[^A-Za-z0-9\s]+")
COMPOUND_WORDS = (2, 3)


def compounds(prose: str) -> frozenset[str]:
    """Two or three adjacent words of the prose run together in lower case, as code would name
    what they describe ("type adapter factory" -> typeadapterfactory); a phrase neither starts
    nor ends on a stopword, and punctuation breaks it."""
    found: set[str] = set()
    words = _WORD.findall(prose[:4000])
    for n in COMPOUND_WORDS:
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if not all(w[0].isalpha() for w in run):
                continue
            if run[0].lower() in STOPWORDS or run[-1].lower() in STOPWORDS:
                continue
            found.add("".join(w.lower() for w in run))
    return frozenset(found)


def folded(name: str) -> str:
    """A name as file and definition names are compared: no separators, lower case."""
    return name.replace("_", "").replace("-", "").lower()


def _qualified(text: str) -> list[tuple[str, float]]:
    """The `::`-qualified names of text, dotted as the index qualifies them (`Capturer::~Capturer`
    -> `Capturer.Capturer`), each with the share of its mention's weight it gets: the whole name
    in full, and the type it is a member of (`Buf` in `Buf::get_int`) at half, since the issue
    is about that type too. A name under a standard library (`std::vector`) is dropped."""
    found: list[tuple[str, float]] = []
    for qualified in _COLONS.findall(text):
        parts = [p.lstrip("~") for p in qualified.split("::")]
        if parts[0] in _STANDARD_ROOTS or not _typed(qualified):
            continue
        found.append((".".join(parts), 1.0))
        if parts[-2][:1].isupper():
            found.append((parts[-2], 0.5))
    return found


def _linked_path(url: re.Match[str]) -> str:
    """What is left of a web address: the path of the repository file it links to, if any."""
    linked = _LINKED_FILE.search(url[0])
    return f" {linked[1]} " if linked else " "


def _read_whole(qualified: str) -> bool:
    """Whether a `::` name is read as one (a type's member, or the standard library's, which is
    then dropped), not as the words and names of its parts (a path of modules)."""
    return _typed(qualified) or qualified.split("::")[0] in _STANDARD_ROOTS


def _typed(qualified: str) -> bool:
    """A qualified name through a type (`Buf::get_int`, `fd::cli::Opts`), not a path of modules
    (`grep_regex::literal`, a log target), whose parts are read as words and names are."""
    return any(part.lstrip("~")[:1].isupper() for part in qualified.split("::"))


def _clean(name: str) -> str:
    name = name.strip().strip(".:,;()[]{}'\"").removesuffix("()")
    for prefix in _MODULE_PREFIXES:
        if name.startswith(prefix) and name.count(".") >= 1:
            name = name[len(prefix) :]
    return name


def _is_identifier(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    if last in _EXTENSIONS and "." in name:
        return False
    if name in _NOT_CODE or last in _BUILTINS or last in _KEYWORDS or len(last) < 3:
        return False
    if "." in name and last.lower() in _DOMAINS:
        return False
    if re.fullmatch(r"[\w.]+", name) is None or name[0].isdigit():
        return False
    return not (name.count(".") >= 1 and all(p.islower() and len(p) <= 3 for p in name.split(".")))


# "a.py at line 227", "line 227 of a.py", "a.py, line 227", or "a.c:1043" in the prose
_SAID_LINE = re.compile(
    rf"(?<![\w/.]){_SOURCE}`?(?:,? (?:at |on |in )?line (\d+)\b|:(\d+)\b)"
    rf"|\blines? (\d+) (?:of|in) `?{_SOURCE}\b"
)


def cited_lines(text: str) -> list[Frame]:
    """The lines of the repository's files an issue says in its prose are at fault: a file's
    name with a line number. A user who read the code and says where it goes wrong names the
    definition to look at as plainly as a traceback would. Code blocks are left out: a
    compiler's or a test's `file:line` there is the reporter's own program. A link to a line
    (blob/REF/a.c#L120) is not read so: it shows how something works elsewhere as often as it
    points to the fault, at a ref whose lines have moved since (Multi-SWE: of 12 issues with
    such links, the 2 answers that changed got worse, with the link weighed 3.0 or 1.0)."""
    found = []
    prose = _FENCE.sub(" ", _without_stacks(text))
    for m in _SAID_LINE.finditer(_URL.sub(" ", prose)):
        path, line = (m[1], m[2] or m[3]) if m[1] else (m[5], m[4])
        found.append(Frame(path, int(line), ""))
    return list(dict.fromkeys(found))[:6]


def _without_stacks(text: str) -> str:
    for stack in STACKS:
        text = stack.sub(" ", text)
    return text


def _paths(text: str, frames: list[Frame]) -> list[str]:
    found: list[str] = []
    for frame in reversed(frames):
        found.append(frame.path)
    for match in _PATH.findall(_without_stacks(text)):
        found.append(match)
    out = []
    for path in found:
        rel = path.replace("\\", "/")
        rel = re.sub(r"^(?:[A-Za-z]:)?/+", "", rel)
        if rel and rel not in out:
            out.append(rel)
    return out[:6]
