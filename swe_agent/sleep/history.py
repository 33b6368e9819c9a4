"""What git history says about the code, from one pass over `git log HEAD` (never --all):
which commits changed which lines of today's code, and which files change together.

The lines a commit changed are found where they are at HEAD, not where they were: walking the
commits newest first, each file of HEAD keeps a map from the line numbers of the version being
read to those of HEAD (a hunk of a newer commit shifts the lines below it, and lines it rewrote
have no older counterpart). Lines rewritten since count where their replacement stands. So the
definition a commit changed is the one that holds those lines today, found from the index's
spans, where a hunk header names the definition above the hunk, or none.
"""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from swe_agent.code.languages import EXTENSIONS
from swe_agent.repo.gitrepo import GitRepo

BULK = 40  # a commit touching more files than this (an import, a reformat) says nothing of one function
MESSAGE_CHARS = 240  # of a commit's message: its subject and the start of its body
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_TRAILER = re.compile(r"^[\w-]+-by:|^(?:Closes|Fixes|Refs|See|Change-Id):?\s", re.I)

Hunk = tuple[int, int, int, int]  # old start, old count, new start, new count (git's -U0 header)


@dataclass(slots=True)
class History:
    churn: Counter[str] = field(default_factory=Counter)  # path -> commits touching it
    last_touched: dict[str, int] = field(
        default_factory=dict
    )  # path -> index of newest commit (0 = HEAD)
    cochange: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    messages: list[str] = field(default_factory=list)  # commit index -> its message, shortened
    changed: dict[str, list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # HEAD path -> (first, last line at HEAD, commit index), newest commit first
    commits: int = 0  # commits read
    seconds: float = 0.0

    def definition_commits(
        self, path: str, definitions: list[dict[str, Any]]
    ) -> dict[str, list[int]]:
        """Each definition's commits, newest first: those that changed lines of its own (not
        only lines of a definition nested in it)."""
        ranges = self.changed.get(path)
        if not ranges or not definitions:
            return {}
        last = max(d["end_line"] for d in definitions)
        owner: list[str | None] = [None] * (last + 2)
        for d in sorted(definitions, key=lambda d: (d["start_line"], -d["end_line"])):
            owner[d["start_line"] : d["end_line"] + 1] = [d["qualname"]] * (
                d["end_line"] - d["start_line"] + 1
            )
        found: dict[str, list[int]] = defaultdict(list)
        for first, end, commit in ranges:
            for name in dict.fromkeys(owner[min(first, last + 1) : min(end, last) + 1]):
                if name is not None and (not found[name] or found[name][-1] != commit):
                    found[name].append(commit)
        return dict(found)


def read_history(
    repo: GitRepo,
    commits: int = 1000,
    with_hunks: bool = True,
    seconds: float | None = None,
    paths: Iterable[str] = (),
) -> History:
    """One `git log` pass of at most `commits` commits (and `seconds`, when given): files per
    commit, and with hunks the lines of HEAD each commit changed, in files of code only (of the
    languages of `paths`, when given: git reads fewer commits for fewer patterns)."""
    started = time.perf_counter()
    history = History()
    if not with_hunks:
        blocks = (repo.log_files(commits) or "").split("\x01")[1:]
        for index, block in enumerate(blocks):
            parents, _, rest = block.partition("\n")
            _count(history, index, bool(parents.strip()), [f for f in rest.split("\n") if f])
        history.commits = len(blocks)
        history.seconds = time.perf_counter() - started
        return history
    deadline = started + seconds if seconds else None
    tracker = Tracker()
    with repo.log_hunks(commits, code_patterns(paths)) as lines:
        for index, commit in enumerate(parse_log(lines)):
            if deadline and time.perf_counter() > deadline:
                break
            history.messages.append(shorten(commit.message))
            history.commits = index + 1
            bulk = not commit.parents or len(commit.files) > BULK
            touched = [c.new for c in commit.files if c.new]
            _count(history, index, bool(commit.parents), touched)
            for change in commit.files:
                for head, first, end in tracker.step(change):
                    if not bulk:
                        history.changed[head].append((first, end, index))
    history.seconds = time.perf_counter() - started
    return history


def code_patterns(paths: Iterable[str] = ()) -> list[str]:
    """Pathspecs of the files of code among `paths` (of every language we parse when none)."""
    suffixes = {"." + p.rsplit(".", 1)[-1] for p in paths if "." in p.rsplit("/", 1)[-1]}
    return sorted(f"*{ext}" for ext in EXTENSIONS if ext in suffixes or not suffixes)


def _count(history: History, index: int, has_parents: bool, files: list[str]) -> None:
    for path in files:
        history.churn[path] += 1
        history.last_touched.setdefault(path, index)
    if has_parents and 1 < len(files) <= 12:
        for path in files:
            history.cochange[path].update(f for f in files if f != path)


def shorten(message: str) -> str:
    """Subject and the first paragraph of the body, without trailers, on one line."""
    subject, _, body = message.strip().partition("\n")
    paragraph = body.strip().split("\n\n", 1)[0]
    kept = [line for line in paragraph.splitlines() if not _TRAILER.match(line.strip())]
    text = " ".join(" ".join([subject, *kept]).split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1].rsplit(" ", 1)[0] + "…"


# -- reading git's output ----------------------------------------------------------------------


@dataclass(slots=True)
class FileChange:
    old: str | None  # None: the commit added the file
    new: str | None  # None: the commit deleted it
    hunks: list[Hunk] = field(default_factory=list)


@dataclass(slots=True)
class Commit:
    parents: list[str]
    message: str
    files: list[FileChange]


def parse_log(lines: Iterable[str]) -> Iterator[Commit]:
    """Commits from `git log -p -U0` with the format of GitRepo.log_hunks. A hunk's removed and
    added lines are skipped by count, so no line of code is ever read as a header."""
    commit: Commit | None = None
    message: list[str] | None = None
    change: FileChange | None = None
    skip = 0
    for line in lines:
        line = line.rstrip("\n")
        if skip:
            if not line.startswith("\\"):  # "\ No newline at end of file" is not a line
                skip -= 1
            continue
        if message is not None:  # inside the message, up to its end mark
            text, mark, _ = line.partition("\x03")
            message.append(text)
            if mark:
                assert commit is not None
                commit.message, message = "\n".join(message), None
            continue
        if line.startswith("\x01"):
            if commit is not None:
                yield commit
            parents, _, first = line[1:].partition("\x02")
            commit, message, change = Commit(parents.split(), "", []), [], None
            text, mark, _ = first.partition("\x03")
            message.append(text)
            if mark:
                commit.message, message = text, None
        elif commit is None:
            continue
        elif line.startswith("diff --git "):
            change = FileChange(None, None)
            commit.files.append(change)
        elif change is None:
            continue
        elif line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                a, b, c, d = match.groups()
                hunk = (int(a), 1 if b is None else int(b), int(c), 1 if d is None else int(d))
                change.hunks.append(hunk)
                skip = hunk[1] + hunk[3]
        elif line.startswith("--- "):
            change.old = None if line == "--- /dev/null" else line[6:]
        elif line.startswith("+++ "):
            change.new = None if line == "+++ /dev/null" else line[6:]
        elif line.startswith("rename from "):
            change.old = line[len("rename from ") :]
        elif line.startswith("rename to "):
            change.new = line[len("rename to ") :]
    if commit is not None:
        yield commit


# -- following lines back through the commits -------------------------------------------------

Segment = tuple[int, int, int]  # first and last line in the version read, first line at HEAD
WHOLE: list[Segment] = [(1, 1 << 40, 1)]


class Tracker:
    """For each file of HEAD, where its surviving lines are in the version being read. Fed the
    file changes of each commit, newest commit first."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, list[Segment]]] = {}  # path then -> (HEAD path, map)
        self.gone: set[str] = set()  # paths that, from here on back, are no file of HEAD

    def step(self, change: FileChange) -> list[tuple[str, int, int]]:
        """The HEAD lines (path, first, last) the change made; then the map goes back to the
        version before it."""
        if change.new is None:  # deleted by then: the path holds nothing of HEAD before
            if change.old:
                self.gone.add(change.old)
            return []
        if change.new in self.files:
            head, segments = self.files.pop(change.new)
        elif change.new in self.gone:
            return []
        else:  # first seen: unchanged since, so as at HEAD
            head, segments = change.new, WHOLE
        made = [_to_head(head, segments, c, d) for _, _, c, d in change.hunks]
        self.gone.add(change.new)
        if change.old is not None:
            self.files[change.old] = (head, _before(segments, change.hunks))
            self.gone.discard(change.old)
        return made


def _to_head(head: str, segments: list[Segment], start: int, count: int) -> tuple[str, int, int]:
    """The HEAD lines of [start, start + count) that survive; when none does, the HEAD line
    after the last one before it that survives (where their replacement or removal is)."""
    first, last = start, start + count - 1
    if count == 0:  # lines removed after line `start`: they stood below it
        first = last = max(start, 1)
    i = bisect.bisect_right(segments, (first, 1 << 62, 0))  # segments[:i] start at or above
    anchor = 1
    if i:
        s, e, h = segments[i - 1]
        if e < first:
            anchor = h + e - s + 1
        else:  # it holds `first`
            i -= 1
    found = []
    for s, e, h in segments[i:]:
        if s > last:
            break
        found.append((h + max(s, first) - s, h + min(e, last) - s))
    if found:
        return head, found[0][0], found[-1][1]
    return head, anchor, anchor


def _before(segments: list[Segment], hunks: list[Hunk]) -> list[Segment]:
    """The map of the version before the hunks: lines they added leave it, and the lines below
    each hunk move back by the lines it added less those it removed."""
    hunks = sorted(hunks, key=lambda h: h[2])
    ends = [c + d - 1 if d else c for _, _, c, d in hunks]  # lines after this are below the hunk
    moved = [0]
    for _, b, _, d in hunks:
        moved.append(moved[-1] + d - b)
    out: list[Segment] = []
    for s, e, h in segments:
        j = bisect.bisect_left(ends, s)  # the hunks before j lie wholly above line s
        cur = s
        while cur <= e and j < len(hunks):
            _, _, c, d = hunks[j]
            if d and c > e or not d and c >= e:
                break
            if d:
                if cur < c:
                    out.append((cur - moved[j], c - 1 - moved[j], h + cur - s))
                cur = max(cur, c + d)
            elif c >= cur:
                out.append((cur - moved[j], c - moved[j], h + cur - s))
                cur = c + 1
            j += 1
        if cur <= e:
            out.append((cur - moved[j], e - moved[j], h + cur - s))
    return out
