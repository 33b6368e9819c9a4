"""Keep the store in step with the work tree.

Content hashes decide what is parsed again (size and mtime spare the hashing of files that
did not move); deleted and renamed files leave with everything tied to them; notes about a
file whose content changed go stale in the same transaction.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from swe_agent.code.chunks import VERSION as CHUNK_VERSION
from swe_agent.code.extract import VERSION as EXTRACT_VERSION
from swe_agent.code.languages import queries_digest
from swe_agent.code.tokens import VERSION as TOKENIZER_VERSION
from swe_agent.index.parse import (
    POOL_THRESHOLD,
    Batch,
    Rows,
    Spilled,
    content_hash,
    gather,
    parse_all,
)
from swe_agent.repo.gitrepo import GitRepo, RepoFile
from swe_agent.store import files as files_table
from swe_agent.store.db import Store
from swe_agent.store.search import CHUNK_COLUMNS, add_postings
from swe_agent.store.symbols import DEF_COLUMNS, REF_COLUMNS

# store.notes and store.sessions (with json and uuid, ~15 ms) are imported where they are used,
# which a first index never is: it forks its parser process that much sooner

Progress = Callable[[int, int], None]
COLUMNS = {  # the columns of each table of parse.Rows but terms, in the order of its rows
    "files": files_table.FILE_COLUMNS,
    "definitions": DEF_COLUMNS,
    "refs": REF_COLUMNS,
    "chunks": CHUNK_COLUMNS,
}


class Indexer(Protocol):
    """index_repository, or rebuild_index: what the CLI and the daemon call to index."""

    def __call__(
        self,
        repo: GitRepo,
        store: Store,
        *,
        max_bytes: int = ...,
        workers: int = ...,
        progress: Progress | None = ...,
        only: list[str] | None = ...,
    ) -> IndexReport: ...


@dataclass(slots=True)
class IndexReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    invalid_utf8: list[str] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    stale_notes: int = 0
    seconds: float = 0.0
    head: str | None = None

    kept_notes: int | None = None  # a rebuild says what it kept
    kept_sessions: int | None = None

    @property
    def touched(self) -> list[str]:
        return self.added + self.changed + self.removed

    def as_dict(self) -> dict:
        return {
            "added": self.added, "changed": self.changed, "removed": self.removed,
            "unchanged": self.unchanged, "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "invalid_utf8": self.invalid_utf8, "parse_errors": self.parse_errors,
            "stale_notes": self.stale_notes, "seconds": round(self.seconds, 3), "head": self.head,
            "kept_notes": self.kept_notes, "kept_sessions": self.kept_sessions,
        }  # fmt: skip


def index_version() -> str:
    """What the rows of a store depend on besides the files: the tokenizer, the extraction
    and the tag queries. A store written under another version is parsed again, file by file."""
    return f"{TOKENIZER_VERSION}.{EXTRACT_VERSION}.{CHUNK_VERSION}-{queries_digest()}"


def plan(
    repo: GitRepo, store: Store, max_bytes: int
) -> tuple[list[str], list[str], list[str], int, list[tuple[str, str]]]:
    """(added, changed, removed, unchanged count, skipped) comparing work tree and store."""
    candidates, skipped = repo.candidate_files(max_bytes)
    if store.unmade:  # a new store knows no file: nothing to ask it (and it is made later)
        known, binary = {}, {}
    else:
        known = files_table.known_files(store)
        binary = files_table.known_binaries(store)
    if known and store.meta("tokenizer") != index_version():
        known = {p: files_table.FileState("", -1, None) for p in known}  # every file parses again
    added, changed, unchanged = [], [], 0
    for f in candidates:
        state = known.get(f.path)
        if binary.get(f.path) == (f.size, f.mtime_ns):
            skipped.append(
                (f.path, "binary")
            )  # unchanged since it was found binary: not read again
        elif state is None:
            added.append(f.path)
        elif _same(repo.root, f, state):
            unchanged += 1
        else:
            changed.append(f.path)
    present = {f.path for f in candidates}
    removed = [p for p in known if p not in present]
    return added, changed, removed, unchanged, skipped


def _same(root: Path, f: RepoFile, state: files_table.FileState) -> bool:
    if f.size == state.size and f.mtime_ns == state.mtime_ns:
        return True
    try:
        return content_hash((root / f.path).read_bytes()) == state.hash
    except OSError:
        return False


def index_repository(
    repo: GitRepo,
    store: Store,
    *,
    max_bytes: int = 1_000_000,
    workers: int = 0,
    progress: Progress | None = None,
    only: list[str] | None = None,
) -> IndexReport:
    """Bring the store up to date with the work tree. `only` restricts the work to some paths."""
    with _collector_paused():
        return _index(repo, store, max_bytes, workers, progress, only)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an index runs: it makes hundreds of thousands of rows,
    none of them in a cycle, and each collection walks them all (flask: ~5% of the CPU)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _index(
    repo: GitRepo,
    store: Store,
    max_bytes: int,
    workers: int,
    progress: Progress | None,
    only: list[str] | None,
) -> IndexReport:
    started = time.perf_counter()
    new = store.unmade
    repo.exclude_store()
    head = repo.head_later()  # while the files are listed
    try:
        added, changed, removed, unchanged, skipped = plan(repo, store, max_bytes)
    except BaseException:
        head()  # its git waited for, not left behind
        raise
    if only is not None:
        wanted = set(only)
        added = [p for p in added if p in wanted]
        changed = [p for p in changed if p in wanted]
        removed = [p for p in removed if p in wanted]
    report = IndexReport(added, changed, removed, unchanged, skipped, head=head())
    todo = added + changed
    first = True
    done = 0
    batches = parse_all(str(repo.root), todo, report.head, workers, store.path.parent)
    # Below the pool's size the files come in batches of this process's and parts of the
    # fork's: one transaction holds them all and the index's metadata, so that a reader sees
    # the old files or the new, never changed files deleted and not yet written again (and the
    # store pays one commit, which writes a first index straight into the file rather than
    # into the log first). A pool's batches commit one by one, the metadata after them.
    # The transaction begins once the first batch is parsed: a new store is made then, while
    # the parser process beside this one goes on (under _settings).
    whole = len(todo) < POOL_THRESHOLD
    with closing(batches):
        ahead = list(islice(batches, 1))
        with (
            store.settings(**_settings(new, whole)),
            store.transaction(checkpoint=True) if whole else nullcontext(),
        ):
            if whole:  # one transaction: its metadata goes in first, not after the last file
                store.set_metas(_metas(report.head))
            with store.appending() if whole else nullcontext():
                for batch in chain(ahead, batches):
                    with nullcontext() if whole else store.transaction():
                        if first:
                            report.stale_notes = _begin(
                                store, repo.root, new, changed + removed, skipped
                            )
                            first = False
                        rows = _write(store, repo.root, batch)
                        report.skipped.extend(rows.skipped)
                        report.invalid_utf8.extend(rows.invalid_utf8)
                        report.parse_errors.extend(rows.parse_errors)
                    done += len(batch)
                    if progress:
                        progress(done, len(todo))
            with nullcontext() if whole else store.transaction():
                if first:
                    report.stale_notes = _begin(store, repo.root, new, changed + removed, skipped)
                if not new:  # a new store holds no notes
                    report.stale_notes += _stale_where_code_differs(store)
                if not whole:  # a pool's batches are committed: the index is complete
                    store.set_metas(_metas(report.head))
    _in_path_order(report)
    report.seconds = time.perf_counter() - started
    return report


def _metas(head: str | None) -> dict[str, str]:
    """The index's metadata: the commit indexed, the version its rows were made with, when."""
    return {
        "indexed_head": head or "",
        "tokenizer": index_version(),
        "indexed_at": str(time.time()),
    }


def _in_path_order(report: IndexReport) -> None:
    """What the report lists of the files, by path: the fork's parts come from the last file
    on, and as they are ready, so the order they came in says nothing."""
    report.skipped.sort()
    report.invalid_utf8.sort()
    report.parse_errors.sort()


def _settings(new: bool, whole: bool) -> dict[str, str | int]:
    """DuckDB's settings while an index runs. `whole` and `new`, the first index of a repository
    of fewer than POOL_THRESHOLD files, in one transaction: one thread, since on a few hundred
    files' rows a second one costs more CPU than it saves (flask's rows: 181 -> 155 ms) and
    takes it from the parser process (not for an update of a store, whose deletes scan tables
    that may be large). `new`, the first index of a new store: no wait for the disk at its
    commit (~25 ms of a flask's serial tail, three fdatasyncs): it holds nothing that cannot
    be made again from the work tree; if the machine fails before the system writes it out,
    the store may be left damaged, which opening it says (DuckDB checks each block's
    checksum), and `index --rebuild` makes it anew. The system writes the
    rows out within seconds (its expiry of dirty pages), and the store's later commits wait
    for the disk again. Not for a pool's batches: Django's first index took ~1.7 CPU s more
    with them unsynced (7 alternating runs at load 10-15, not understood). Also for `whole`
    and `new`: no DICT_FSST compression of strings at the commit, whose analysis of the
    postings' terms was a third of that commit, all of it in the serial tail after the last
    file (flask: 48 -> 34 ms of CPU, median of 5); they are stored uncompressed instead (its
    store 3.2 -> 4.2 MB, read as fast), until a checkpoint rewrites their row group (sleep's)."""
    if whole and new:
        return {"threads": 1, "fsync_mode": "NONE", "disabled_compression_methods": "dict_fsst"}
    return {}


def rebuild_index(
    repo: GitRepo,
    store: Store,
    *,
    max_bytes: int = 1_000_000,
    workers: int = 0,
    progress: Progress | None = None,
    only: list[str] | None = None,
) -> IndexReport:
    """Index from scratch in the same store: notes and sessions stay, and a note goes stale only
    when the code it speaks of changed."""
    with store.transaction():
        files_table.delete_all(store)
    report = index_repository(
        repo, store, max_bytes=max_bytes, workers=workers, progress=progress, only=only
    )
    from swe_agent.store import notes as notes_table
    from swe_agent.store import sessions as sessions_table

    report.kept_notes = notes_table.current_notes(store)
    report.kept_sessions = sessions_table.session_count(store)
    return report


def _stale_where_code_differs(store: Store) -> int:
    """Mark stale the notes whose file is gone or holds other content than they were written
    for; only a rebuild, or one cut short, leaves any (an update stales them in `_begin`)."""
    from swe_agent.store import notes as notes_table

    return notes_table.stale_where_code_differs(store)


def _begin(
    store: Store, root: Path, new: bool, gone: list[str], skipped: list[tuple[str, str]]
) -> int:
    """Before the first rows: delete the old rows of changed and removed files, mark their
    notes stale (how many, returned) and replace the skipped files. A new store's tables were
    made empty a moment ago: the skipped files are added, nothing else asked of it."""
    if new:
        files_table.add_skipped(store, root, skipped)
        return 0
    stale = 0
    if gone:
        from swe_agent.store.notes import mark_stale

        stale = mark_stale(store, gone)
        files_table.delete_files(store, gone)
    files_table.replace_skipped(store, root, skipped)
    return stale


def _write(store: Store, root: Path, batch: Batch) -> Rows:
    """Write a batch's rows (through DuckDB's appender, Store.append) and their postings;
    returns them, for what the index reports."""
    rows = batch.rows if isinstance(batch, Spilled) else gather(batch)
    files_table.add_skipped(store, root, rows.skipped)
    for table, columns in COLUMNS.items():
        store.append(table, columns, getattr(rows, table))
    add_postings(store, [chunk[0] for chunk in rows.chunks], rows.terms)
    return rows
