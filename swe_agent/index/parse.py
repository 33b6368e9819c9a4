"""Parsing the files of an index: one file read, parsed, chunked and tokenised into the rows the
store needs (analyse_file, pure but for the read), and the pool of parser processes that does it
for many files, which leaves Ctrl-C to its parent and ends when the parent does."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TypeVar

from swe_agent.code.chunks import chunk_file
from swe_agent.code.extract import parse_source
from swe_agent.code.languages import language_for
from swe_agent.code.tokens import term_counts, terms
from swe_agent.store.keys import stable_id

T = TypeVar("T")

# Below this many files (a flask or a click) parsing stays in-process: the pool's forks and the
# pickling of every file's rows back (~1 ms a file) cost about what a second core saves, and
# more than that on a busy machine (flask, load 10 on 2 cores: 1.5 s CPU in-process, 1.8 s pooled)
POOL_THRESHOLD = 400
BATCH = 400  # files parsed per batch handed back (written per transaction on a first index)
PARENT_CHECK = 0.5  # seconds between a parser process's looks at whether its parent lives


@dataclass(slots=True)
class Parsed:
    """Everything the store needs about one file, as rows."""

    path: str
    file_row: tuple
    definitions: list[tuple] = field(default_factory=list)
    references: list[tuple] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)
    postings: list[tuple] = field(default_factory=list)
    invalid_utf8: bool = False


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def analyse_file(root: str, path: str, commit: str | None) -> Parsed | tuple[str, str]:
    """Read, parse, chunk and tokenise one file. Runs in worker processes; pure but for the read."""
    full = os.path.join(root, path)
    try:
        data = Path(full).read_bytes()
        stat = os.stat(full)
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
            parsed.error_count,
        ),
        invalid_utf8=invalid,
    )
    for d in parsed.definitions:
        out.definitions.append(
            (
                stable_id(path, d.qualname, d.start_line),
                path,
                d.name,
                d.qualname,
                d.kind,
                d.start_line,
                d.end_line,
                d.signature,
                d.doc,
                d.parent,
            )
        )
    out.references = [(path, r.name, r.line, r.kind, r.enclosing) for r in parsed.references]
    path_terms = terms(path.replace("/", " ").replace(".", " "))
    for ordinal, chunk in enumerate(chunk_file(lines, parsed.definitions)):
        chunk_id = stable_id(path, digest, ordinal)
        counts = term_counts([chunk.text])
        counts.update(path_terms)
        out.chunks.append(
            (
                chunk_id,
                "code",
                path,
                chunk.start_line,
                chunk.end_line,
                chunk.symbol,
                sum(counts.values()),
            )
        )
        out.postings.extend(zip(counts, repeat(chunk_id), counts.values()))
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
    root: str, paths: list[str], commit: str | None, workers: int
) -> Iterator[list[Parsed | tuple[str, str]]]:
    if not paths:
        return
    workers = workers or os.cpu_count() or 1
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
