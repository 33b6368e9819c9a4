"""Stores damaged on disk: every command says so in one line (index and sleep included), and
`index --rebuild` keeps the notes and sessions that can still be read."""

import re
from pathlib import Path

import duckdb

from swe_agent.store.db import open_store, store_path
from tests.procs import swe

HEADER = 3 * 4096  # DuckDB's file headers, then blocks of BLOCK bytes (8 of checksum first)
BLOCK = 262_144
KEPT = ("notes", "agent_sessions", "agent_messages", "agent_turns", "sleep_runs")
COMMANDS = (["status"], ["search", "redirect"], ["symbols", "Session"], ["notes"], ["sessions"],
            ["index"], ["sleep"], ["ask", "where are redirects followed?"])  # fmt: skip


def blocks_of(path: Path, tables: tuple[str, ...] | list[str]) -> set[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            b
            for t in tables
            for (b,) in con.execute(
                "SELECT DISTINCT block_id FROM pragma_storage_info(?) WHERE block_id >= 0", [t]
            ).fetchall()
        }
    finally:
        con.close()


def notes_and_sessions(repo: Path) -> tuple[list[tuple], list[tuple]]:
    with open_store(repo, read_only=True) as store:
        return (
            store.query("SELECT id, stale, body FROM notes ORDER BY id"),
            store.query("SELECT id, title, turns FROM agent_sessions ORDER BY id"),
        )


def assert_one_line_error(done, words: str, *, must_fail: bool = True) -> None:
    """A command that reads no damaged block may succeed; one that writes must fail."""
    if not must_fail and done.returncode == 0:
        return
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert words in done.stderr
    assert "--rebuild" in done.stderr


def test_a_damaged_block_is_found_by_every_command_and_a_rebuild_keeps_the_notes(
    used_repo: Path,
) -> None:
    path = store_path(used_repo)
    target = sorted(blocks_of(path, ["definitions"]) - blocks_of(path, KEPT))[0]
    with path.open("r+b") as fh:
        fh.seek(HEADER + target * BLOCK + 64)
        fh.write(b"\xde\xad\xbe\xef" * 2000)

    for args in COMMANDS:
        writes = args[0] in ("index", "sleep")
        assert_one_line_error(swe(*args, "-C", str(used_repo)), "damaged", must_fail=writes)
    assert_one_line_error(swe("daemon", "start", "-C", str(used_repo)), "damaged")
    before = notes_and_sessions(used_repo)  # their blocks are whole; `ask` may have added a session

    done = swe("index", "--rebuild", "-C", str(used_repo))
    assert done.returncode == 0, done.stderr
    assert f"kept {len(before[0])} notes, {len(before[1])} sessions" in done.stderr, done.stderr
    assert notes_and_sessions(used_repo) == before
    assert list(path.parent.glob("index.duckdb.damaged-*"))  # kept, never deleted
    assert (
        "Session.resolve_redirects"
        in swe("symbols", "resolve_redirects", "-C", str(used_repo)).stdout
    )
    assert swe("notes", "-s", "redirect", "-C", str(used_repo)).stdout.strip()


def test_a_half_truncated_store_is_one_line_everywhere_and_rebuild_starts_afresh(
    used_repo: Path,
) -> None:
    path = store_path(used_repo)
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)

    for args in COMMANDS:
        assert_one_line_error(swe(*args, "-C", str(used_repo)), "damaged")

    done = swe("index", "--rebuild", "-C", str(used_repo))
    assert done.returncode == 0, done.stderr
    # what the first half still holds is kept: the notes too when their blocks lie there (an
    # `ask` that reads no notes leaves them where sleep wrote them, early in the file)
    assert re.search(r"kept (nothing|\d+ notes); could not read", done.stderr), done.stderr
    assert "damaged file is" in done.stderr
    assert swe("status", "-C", str(used_repo)).returncode == 0
