"""`index --rebuild` loses nothing it need not lose: notes about unchanged code and every
session stay, a process holding the store is waited for, and a running daemon does the work."""

import json
import subprocess
import sys
from pathlib import Path

from swe_agent.store.db import open_store
from tests.procs import offline_env, swe, wait_for
from tests.watch.test_daemon import running_daemon

NOTES = "SELECT id, path, title, body FROM notes WHERE NOT stale ORDER BY id"


def notes_and_sessions(repo: Path) -> tuple[list[tuple], list[tuple]]:
    with open_store(repo, read_only=True) as store:
        return store.query(NOTES), store.query(
            "SELECT id, title, turns FROM agent_sessions ORDER BY id"
        )


def test_a_rebuild_keeps_every_session_and_the_notes_whose_code_did_not_change(
    used_repo: Path,
) -> None:
    notes, sessions = notes_and_sessions(used_repo)
    assert notes
    assert sessions
    auth = used_repo / "minihttp/auth.py"
    auth.write_text(auth.read_text() + "\n\ndef digest():\n    return 1\n")

    done = swe("index", "--rebuild", "-C", str(used_repo))

    assert done.returncode == 0, done.stderr
    after, sessions_after = notes_and_sessions(used_repo)
    assert sessions_after == sessions
    assert set(after) == {n for n in notes if n[1] != "minihttp/auth.py"}
    went_stale = sum(n[1] == "minihttp/auth.py" for n in notes)
    assert f"{went_stale} notes went stale" in done.stdout
    assert f"kept {len(after)} current notes" in done.stdout
    assert "digest" in swe("symbols", "digest", "-C", str(used_repo)).stdout


def test_index_and_a_rebuild_under_a_running_daemon_are_done_by_the_daemon(
    used_repo: Path,
) -> None:
    with running_daemon(used_repo):

        def notes_now() -> int:
            status = json.loads(swe("status", "--json", "-C", str(used_repo)).stdout)
            return int(status["notes"]["current"])

        wait_for(lambda: notes_now() > 0)
        before = notes_now()
        plain = swe("index", "-C", str(used_repo))  # not "store busy": the daemon indexes
        assert plain.returncode == 0 and "done by the daemon" in plain.stdout, plain.stderr
        done = swe("index", "--rebuild", "-C", str(used_repo))
        assert done.returncode == 0, done.stderr
        assert "done by the daemon" in done.stdout
        assert notes_now() == before
    notes, sessions = notes_and_sessions(used_repo)
    assert len(notes) == before
    assert len(sessions) == 1


def test_a_rebuild_waits_for_a_process_holding_the_store_and_then_deletes_nothing(
    used_repo: Path,
) -> None:
    notes, sessions = notes_and_sessions(used_repo)
    hold = (
        "import sys, time\nfrom pathlib import Path\nfrom swe_agent.store.db import open_store\n"
        "with open_store(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(used_repo)],
        stdout=subprocess.PIPE,
        text=True,
        env=offline_env(),
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        done = swe("index", "--rebuild", "-C", str(used_repo))
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode != 0
    assert "busy" in done.stderr
    assert "Traceback" not in done.stderr
    assert notes_and_sessions(used_repo) == (notes, sessions)
