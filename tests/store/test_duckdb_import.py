"""DuckDB is imported when a store is first connected, which a first index does while its
parser process parses: a Ctrl-C then must wait for the import to finish (one raised inside
the extension's initialisation aborted the process), and is raised after it."""

import subprocess
import sys

# A Ctrl-C that lands as the import of duckdb's modules begins (an audit hook raises it)
HARNESS = """
import signal, sys
from swe_agent.store.db import imported_duckdb
fired = []
def hook(event, args):
    if event == "import" and str(args[0]).startswith("duckdb.") and not fired:
        fired.append(args[0])
        signal.raise_signal(signal.SIGINT)
sys.addaudithook(hook)
try:
    imported_duckdb() if sys.argv[1] == "held" else __import__("duckdb")
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted; imported:", "duckdb" in sys.modules, bool(fired))
"""


def test_a_ctrl_c_during_the_import_of_duckdb_is_raised_once_it_is_imported() -> None:
    def run(how: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", HARNESS, how], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr[-500:]
        return done.stdout.strip()

    assert run("plain") == "interrupted; imported: False True"  # what the harness does
    assert run("held") == "interrupted; imported: True True"
