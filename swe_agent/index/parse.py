"""Parsing the files of an index: one file read, parsed, chunked and tokenised into the rows the
store needs (analyse_file, pure but for the read), and the parser processes that do it for many
files, which leave Ctrl-C to their parent and end when the parent does.

A repository of a few hundred files (a flask) is parsed by this process and one forked beside
it, which take its files one by one from either end (a token each in a pipe, so that neither
waits for the other when other work holds a core). Each hands its files over in parts as it
parses them (the fork's as marshal files, no pickling), and this process writes every part
as it comes, its own and the fork's (those ready together in one write), so that the fork
parses more of the files while it writes and little is left to write after the last file
(the rows are those of one process, the fork's parts in the order they came). It costs ~10%
more CPU on an idle machine (flask: 0.64 s -> 0.71 s) and pays where a second core is free. Splitting only when the load
average leaves a core free was tried and did not pay: at load 11 on 2 cores, flask parsed in
one process took longer (paired wall median +0.23 s over 9 alternating runs, 3.3 s -> 4.1 s)
for no less CPU, since two runnable processes get two shares of a busy machine. More files go
to a pool, whose rows come back pickled while this process writes."""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeAlias, TypeVar

from swe_agent.code.chunks import chunk_file
from swe_agent.code.extract import parse_source, prepare
from swe_agent.code.languages import language_for
from swe_agent.code.paths import is_generated_text
from swe_agent.code.tokens import terms_text
from swe_agent.store.keys import stable_ids

T = TypeVar("T")

# Below this many files (a flask or a click) there is no pool: its forks and the pickling of
# every file's rows back (~1 ms a file) cost about what a second core saves, and more than that
# on a busy machine (flask, load 10 on 2 cores: 1.5 s CPU in-process, 1.8 s pooled)
POOL_THRESHOLD = 400
BATCH = 400  # files parsed per batch handed back (written per transaction on a first index)
# From this many files a second process parses beside this one (a guess, not measured: below
# it, forking and handing rows over should cost more than a second core saves)
SPLIT_MIN = 64
# This process hands its parsed files back whenever their chunks hold this many terms (~0.3 us
# each to count into postings): written meanwhile, not all after the last file while the fork has
# nothing left to do
FLUSH_TERMS = 40_000
PARENT_CHECK = 0.5  # seconds between a parser process's looks at whether its parent lives


@dataclass(slots=True)
class Parsed:
    """Everything the store needs about one file, as rows."""

    path: str
    file_row: tuple
    definitions: list[tuple] = field(default_factory=list)
    references: list[tuple] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # of each chunk: its terms_text
    invalid_utf8: bool = False


@dataclass(slots=True)
class Rows:
    """The rows of parsed files, by table, and what the index reports about them."""

    files: list[tuple] = field(default_factory=list)
    definitions: list[tuple] = field(default_factory=list)
    refs: list[tuple] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # of each chunk, counted into postings
    skipped: list[tuple[str, str]] = field(default_factory=list)
    invalid_utf8: list[str] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Spilled:
    """Files parsed by the process beside this one, handed over as their rows (one marshal
    file a part: no pickling, no DuckDB in that process); `parts` of the fork's, joined with
    this process's files that were ready with them (_together)."""

    count: int
    rows: Rows
    parts: int = 1

    def __len__(self) -> int:
        return self.count


Batch: TypeAlias = list[Parsed | tuple[str, str]] | Spilled  # as parse_all hands them over


def joined(parts: Iterable[Rows]) -> Rows:
    """The rows of several parts, one part after another."""
    parts = list(parts)
    return Rows(*([x for rows in parts for x in getattr(rows, name)] for name in Rows.__slots__))


def _terms_in(texts: list[str]) -> int:
    """How many terms the terms_text of chunks hold (each is followed by a space)."""
    return sum(text.count(" ") for text in texts)


def gather(batch: list[Parsed | tuple[str, str]]) -> Rows:
    """The rows of a batch, file after file."""
    rows = Rows()
    for item in batch:
        if isinstance(item, tuple):
            rows.skipped.append(item)
            continue
        rows.files.append(item.file_row)
        rows.definitions.extend(item.definitions)
        rows.refs.extend(item.references)
        rows.chunks.extend(item.chunks)
        rows.terms.extend(item.terms)
        if item.invalid_utf8:
            rows.invalid_utf8.append(item.path)
        if item.file_row[-1]:
            rows.parse_errors.append(item.path)
    return rows


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def analyse_file(root: str, path: str, commit: str | None) -> Parsed | tuple[str, str]:
    """Read, parse, chunk and tokenise one file. Runs in worker processes; pure but for the read."""
    full = os.path.join(root, path)
    try:
        with open(full, "rb") as fh:
            data = fh.read()
            stat = os.fstat(fh.fileno())
    except OSError as exc:
        return (path, f"unreadable ({exc.strerror or exc})")
    if b"\0" in data[:8192]:
        return (path, "binary")
    try:
        text = data.decode("utf-8")
        invalid = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        invalid = True
    language = language_for(path, data)
    parsed = parse_source(path, data, language)
    lines = text.splitlines()
    digest = content_hash(data)
    out = Parsed(
        path,
        (
            path,
            parsed.language,
            digest,
            len(data),
            stat.st_mtime_ns,
            len(lines),
            commit,
            is_generated_text(text),
            parsed.error_count,
        ),
        invalid_utf8=invalid,
    )
    ids = stable_ids(path)  # every id of a file's rows starts with its path
    out.definitions = [
        (ids(d.qualname, d.start_line), path, d.name, d.qualname, d.kind, d.start_line,
         d.end_line, d.signature, d.doc, d.parent)
        for d in parsed.definitions
    ]  # fmt: skip
    out.references = [(path, *r) for r in parsed.references]  # (path, name, line, kind, enclosing)
    path_terms = terms_text(path.replace("/", " ").replace(".", " "))
    for ordinal, chunk in enumerate(chunk_file(lines, parsed.definitions)):
        text = terms_text(chunk.text, path_terms)
        out.chunks.append(
            (
                ids(digest, ordinal),
                "code",
                path,
                chunk.start_line,
                chunk.end_line,
                chunk.symbol,
                text.count(" "),
            )
        )
        out.terms.append(text)
    return out


def _analyse_many(args: tuple[str, list[str], str | None]) -> list[Parsed | tuple[str, str]]:
    root, paths, commit = args
    return [analyse_file(root, p, commit) for p in paths]


def _worker_start() -> None:
    """A parser process leaves Ctrl-C to its parent, which ends the pool, and ends when its
    parent does: a kill -9 of `index` would otherwise leave it (and a git it holds a pipe of)
    waiting for work forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held while the pool forked
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def parse_all(
    root: str, paths: list[str], commit: str | None, workers: int, spill: Path | None = None
) -> Generator[Batch, None, None]:
    """The files parsed, in batches in the order of paths. With `spill` (a folder of the
    store), a process forked beside this one may parse some of them and write their rows there."""
    if not paths:
        return
    workers = workers or os.cpu_count() or 1
    if (
        spill is not None
        and workers > 1
        and _may_fork()
        and SPLIT_MIN <= len(paths) < POOL_THRESHOLD
    ):
        yield from _parse_beside(root, paths, commit, spill / f".parsed-{os.getpid()}")
        return
    if len(paths) < POOL_THRESHOLD or workers == 1:
        for start in range(0, len(paths), BATCH):
            yield _analyse_many((root, paths[start : start + BATCH], commit))
        return
    import multiprocessing  # only here: a small repository never pays for importing it

    # fork is cheapest, but unsafe once threads run (the daemon's observer): then forkserver.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    step = max(8, min(64, len(paths) // (workers * 8) or 8))
    jobs = [(root, paths[i : i + step], commit) for i in range(0, len(paths), step)]
    # A pool that terminate() ends at once: on Ctrl-C or an error nothing waits for queued work.
    with (
        _ctrl_c_held() as release,
        multiprocessing.get_context(method).Pool(workers, initializer=_worker_start) as pool,
    ):
        release()
        pending: list[Parsed | tuple[str, str]] = []
        for result in interrupted_as_such(pool.imap(_analyse_many, jobs)):
            pending.extend(result)
            if len(pending) >= BATCH:
                yield pending
                pending = []
        if pending:
            yield pending


def _may_fork() -> bool:
    """A plain fork is safe while no other thread of ours runs (the daemon's observer would)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _parse_beside(root: str, paths: list[str], commit: str | None, folder: Path) -> Iterator[Batch]:
    """Parse paths here from the first on and in a forked process from the last on, each file
    taken by one of them through a token in a pipe: this process's files in batches as they
    are parsed, and the fork's in parts (Spilled batches) as it hands them over, so that this
    process writes them while the fork parses more; whatever the fork took and did not hand
    over (it failed) is parsed here at the end."""
    for left in folder.parent.glob(".parsed-*"):  # by a killed index: this one holds the store
        shutil.rmtree(left, ignore_errors=True)
    folder.mkdir()
    prepare(map(language_for, paths))  # built once, here, rather than in both processes
    tokens = _tokens(len(paths))
    ready, told = os.pipe()
    pid = None
    try:
        with _ctrl_c_held() as release:
            pid = os.fork()
            if pid == 0:
                os.close(ready)
                _parse_from_the_end(tokens, told, root, paths, commit, folder)
            release()  # a Ctrl-C held while it forked lands here, where the fork is ended
        os.close(told)
        told = -1
        os.set_blocking(ready, False)
        parts = _Parts(ready, folder, len(paths))
        mine = yield from _parse_from_the_start(tokens, root, paths, commit, parts)
        _, status = os.waitpid(pid, 0)
        pid = None
        arrived = list(parts.arrived())  # every part handed over before it ended
        if arrived:
            yield _together([], arrived)
        if os.waitstatus_to_exitcode(status) != 0 or parts.first > mine:
            # parsed here, where whatever failed there fails as it would without a fork
            yield _analyse_many((root, paths[mine : parts.first], commit))
    finally:
        for fd in (tokens, ready, told):
            if fd >= 0:
                os.close(fd)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)


PART = struct.Struct("=ii")  # a part handed over: (first, end) of its files' places in paths


@dataclass(slots=True)
class _Parts:
    """The parts the fork has handed over, read from its pipe as they come: `first` is the
    place in paths of the earliest file handed over so far (they come from the last on)."""

    ready: int
    folder: Path
    first: int

    def arrived(self) -> Iterator[Spilled]:
        while True:
            try:
                told = os.read(self.ready, PART.size * 64)
            except BlockingIOError:  # none yet
                return
            if not told:  # the fork has ended and every part was read
                return
            for first, end in PART.iter_unpack(told):
                self.first = min(self.first, first)
                yield _spilled(self.folder / str(first), end - first)


def _parse_from_the_start(
    tokens: int, root: str, paths: list[str], commit: str | None, parts: _Parts
) -> Generator[Batch, None, int]:
    """This process's part: files from the first on while tokens last, handed back whenever
    they are due (_Part.due) or a part of the fork's arrived (with it), and at the end,
    so that their rows are written while the fork still parses and it takes more files.
    Returns how many files were parsed here."""
    done, pending, part = 0, [], _Part()
    while os.read(tokens, 1):
        item = analyse_file(root, paths[done], commit)
        done += 1
        pending.append(item)
        part.add(_terms_in(item.terms) if isinstance(item, Parsed) else 0)
        arrived = list(parts.arrived())
        if arrived or part.due(tokens):
            yield _together(pending, arrived)
            pending = []
            part.count = 0
    arrived = list(parts.arrived())
    if pending or arrived:
        yield _together(pending, arrived)
    return done


@dataclass(slots=True)
class _Part:
    """The terms of the files a process has parsed and not yet handed over (`count`), and of
    all it parsed (`seen`, in `files`)."""

    count: int = 0
    seen: int = 0
    files: int = 0

    def add(self, terms: int) -> None:
        self.count += terms
        self.seen += terms
        self.files += 1

    def due(self, tokens: int) -> bool:
        """Whether to hand the files over now: once their terms reach FLUSH_TERMS, or, near
        the end, once they hold as many as the files no process has taken yet are expected to
        (at this process's mean), so that the parts shrink as the files run out. The last
        part of each process is written after both are done, where no second core shares the
        work: it now holds about a file rather than up to FLUSH_TERMS terms (flask: a fifth
        of its rows)."""
        if self.count >= FLUSH_TERMS:
            return True
        return self.count > 0 and self.count * self.files >= self.seen * _untaken(tokens)


def _untaken(tokens: int) -> int:
    """How many files no process has taken yet: the tokens left in the pipe."""
    import fcntl  # POSIX, as the fork that parses beside this process
    import termios

    return int.from_bytes(fcntl.ioctl(tokens, termios.FIONREAD, bytes(4)), sys.byteorder)


def _together(pending: list[Parsed | tuple[str, str]], arrived: list[Spilled]) -> Batch:
    """This process's files ready so far and the fork's parts that arrived meanwhile, as one
    batch: one write, whose statements cost ~7 ms of CPU before any row (flask's first index
    wrote 6 batches, its last two one after the other once the files were parsed)."""
    if not arrived:
        return pending
    rows = joined([gather(pending), *(part.rows for part in arrived)])
    return Spilled(len(pending) + sum(map(len, arrived)), rows, sum(p.parts for p in arrived))


def _tokens(count: int) -> int:
    """The reading end of a pipe that holds count bytes and ends after them."""
    tokens, fill = os.pipe()
    try:
        os.write(fill, bytes(count))  # fewer than POOL_THRESHOLD bytes: never blocks
    finally:
        os.close(fill)
    return tokens


def _parse_from_the_end(
    tokens: int, told: int, root: str, paths: list[str], commit: str | None, folder: Path
) -> NoReturn:
    """The forked process: parse files from the last on while tokens last and hand them over
    in parts, each when it is due (_Part.due) and the last at the end (_hand_over); exit
    0 once all are handed over, 1 on any failure. It leaves Ctrl-C to its parent, stops when
    its parent is gone, and never returns into its parent's code (which holds the store's
    connection)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one held while it forked goes too
        parent = os.getppid()
        end = place = len(paths)
        made: list[Rows] = []
        part = _Part()
        while os.getppid() == parent and os.read(tokens, 1):
            place -= 1
            made.append(gather([analyse_file(root, paths[place], commit)]))
            part.add(_terms_in(made[-1].terms))
            if part.due(tokens):
                _hand_over(told, folder, place, end, made)
                end, made, part.count = place, [], 0
        if os.getppid() == parent:
            if made:
                _hand_over(told, folder, place, end, made)
            code = 0
    finally:
        os._exit(code)


def _hand_over(told: int, folder: Path, first: int, end: int, made: list[Rows]) -> None:
    """Write the rows of paths[first:end] (made from the last on) in the order of paths, as
    one marshal file of the fields of Rows, then tell the parent where it is."""
    rows = joined(reversed(made))
    fields = [getattr(rows, name) for name in Rows.__slots__]
    (folder / str(first)).write_bytes(marshal.dumps(fields))
    os.write(told, PART.pack(first, end))  # a few bytes: written whole, and never blocks


def _spilled(path: Path, count: int) -> Spilled:
    return Spilled(count, Rows(*marshal.loads(path.read_bytes())))


def interrupted_as_such(results: Iterable[T]) -> Iterator[T]:
    """The pool's results, with a Ctrl-C kept a Ctrl-C: one that lands while the waiting thread
    takes back its condition's lock leaves the lock released, and leaving the `with` then raises
    RuntimeError("release unlocked lock") over the KeyboardInterrupt (`index` printed a
    traceback and exited 1)."""
    try:
        yield from results
    except RuntimeError as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise


@contextmanager
def _ctrl_c_held() -> Iterator[Callable[[], None]]:
    """Hold Ctrl-C back while the pool forks, and deliver it when released: one that lands in
    an at-fork handler (logging's, in the parent) is printed as ignored and lost, and `index`
    would then finish and exit 0."""
    if not hasattr(signal, "pthread_sigmask"):
        yield lambda: None
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    try:
        yield release
    finally:
        release()
