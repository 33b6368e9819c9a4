import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from swe_agent.cli import app
from swe_agent.errors import interrupted
from swe_agent.index.parse import SPLIT_MIN
from tests.helpers import commit_all, git

runner = CliRunner()
SWE_AGENT = Path(sys.executable).parent / "swe-agent"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SWE_AGENT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_index_then_query_commands_as_json(sample_repo: Path) -> None:
    first = runner.invoke(app, ["index", str(sample_repo), "--json"])
    assert first.exit_code == 0, first.output
    assert "minihttp/sessions.py" in json.loads(first.output)["added"]
    second = json.loads(runner.invoke(app, ["index", "-C", str(sample_repo), "--json"]).output)
    assert second["added"] == second["changed"] == []
    assert second["unchanged"] > 0

    hits = json.loads(
        runner.invoke(
            app, ["search", "retry backoff", "-C", str(sample_repo), "--json", "-k", "3"]
        ).output
    )
    assert hits[0]["path"] == "minihttp/adapters.py"
    assert len(hits) <= 3

    found = json.loads(
        runner.invoke(app, ["symbols", "Session.send", "-C", str(sample_repo), "--json"]).output
    )
    assert found["definitions"][0]["qualname"] == "Session.send"
    assert {c["qualname"] for c in found["callers"]} >= {
        "Session.request",
        "Session.resolve_redirects",
    }

    outline = json.loads(
        runner.invoke(
            app, ["outline", "minihttp/sessions.py", "-C", str(sample_repo), "--json"]
        ).output
    )
    assert "Session.rebuild_auth" in [d["qualname"] for d in outline["definitions"]]

    status = json.loads(runner.invoke(app, ["status", "-C", str(sample_repo), "--json"]).output)
    assert status["fresh"] is True
    assert status["counts"]["files"] >= 8
    assert status["store_bytes"] > 0


def test_text_output_for_people(sample_repo: Path) -> None:
    assert runner.invoke(app, ["index", str(sample_repo)]).exit_code == 0
    text = runner.invoke(app, ["outline", "minihttp/auth.py", "-C", str(sample_repo)]).output
    assert "class HTTPBasicAuth" in text
    assert "method apply" in text
    text = runner.invoke(app, ["status", "-C", str(sample_repo)]).output
    assert "index: fresh" in text
    assert "daemon: not running" in text


def test_user_mistakes_are_one_line_errors_without_traceback(
    tmp_path: Path, sample_repo: Path
) -> None:
    cases = [
        (["index", str(tmp_path / "nowhere")], "not inside a git repository"),
        (["search", "x", "-C", str(sample_repo)], "no index yet"),
        (["status", "-C", str(tmp_path)], "not inside a git repository"),
    ]
    for args, message in cases:
        done = run(*args)
        assert done.returncode != 0
        assert message in done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert run("index", str(sample_repo)).returncode == 0
    done = run("outline", "no/such/file.py", "-C", str(sample_repo))
    assert done.returncode == 1
    assert "not in the index" in done.stderr
    done = run("search", "  ", "-C", str(sample_repo))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: the search query is empty: give words, identifiers or a question to search for"
    )


def test_corrupt_store_suggests_rebuild_and_rebuild_fixes_it(sample_repo: Path) -> None:
    store = sample_repo / ".swe_agent" / "index.duckdb"
    store.parent.mkdir()
    store.write_bytes(b"garbage" * 1000)
    done = run("search", "redirect", "-C", str(sample_repo))
    assert done.returncode == 1
    assert "--rebuild" in done.stderr
    assert "Traceback" not in done.stderr
    assert run("index", "--rebuild", str(sample_repo)).returncode == 0
    assert "resolve_redirects" in run("search", "redirect", "-C", str(sample_repo)).stdout


def test_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from swe_agent.cli import app\n"
        "heavy = [m for m in ('anthropic', 'tree_sitter', 'duckdb', 'watchdog', 'git', 'httpx', 'mcp') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_version_is_the_installed_packages() -> None:
    """--version prints swe_agent.__version__, which is also what the package was built as
    (pyproject reads it), so the two cannot drift apart."""
    from importlib.metadata import version

    done = subprocess.run(
        [sys.executable, "-m", "swe_agent", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"swe-agent {version('swe-agent')}"


# What a first `index` never needs: the model SDKs, the MCP server, pydantic (typer 0.29
# validated every option with it), the watcher, the progress bar.
NOT_FOR_INDEX = ("anthropic", "mcp", "pydantic", "watchdog", "httpx", "rich")


def test_index_imports_only_what_it_uses(sample_repo: Path) -> None:
    harness = (
        "import sys\n"
        "from swe_agent.cli import main\n"
        "sys.argv = ['swe-agent', 'index', '-C', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        f"    print('loaded:', *(m for m in {NOT_FOR_INDEX!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", harness, str(sample_repo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "indexed" in done.stdout
    assert done.stderr.splitlines()[-1] == "loaded:", done.stderr


# What a first index imports, if at all, only once its parser process is forked
LATER = ("duckdb", "swe_agent.code.macros", "swe_agent.store.notes", "swe_agent.store.sessions")


def test_a_first_index_forks_its_parser_before_it_imports_what_it_needs_later(
    tmp_path: Path,
) -> None:
    """DuckDB's import (~0.12 s) comes once the parser process beside this one parses: the
    fork starts that much sooner (an audit hook sees the fork, and what was imported then).
    Nor are C's macro blanking (~10 ms), by the first C file that needs it, and the notes'
    and sessions' tables (~15 ms), which a first index does not use, imported before it."""
    repo = tmp_path / "many"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for f in range(SPLIT_MIN + 6):
        (repo / f"mod{f:03d}.py").write_text(f"def handle_{f}(request):\n    return {f}\n")
    commit_all(repo, "many modules")
    harness = (
        "import sys\n"
        "forked = []\n"
        f"LATER = {LATER!r}\n"
        "sys.addaudithook(lambda event, args: event == 'os.fork' and forked.append("
        "[m for m in LATER if m in sys.modules]))\n"
        "from swe_agent.cli import main\n"
        "sys.argv = ['swe-agent', 'index', '-C', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('forked with:', forked, 'duckdb' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", harness, str(repo)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stderr.splitlines()[-1] == "forked with: [[]] True", done.stderr


def test_a_ctrl_c_that_a_c_extension_turned_into_its_error_is_a_ctrl_c() -> None:
    """tree-sitter compiling a tag query's regular expression when Ctrl-C landed raised
    QueryError from the KeyboardInterrupt, and `index` printed a traceback and exited 1."""
    import tree_sitter

    def compiled_when_interrupted() -> Exception:
        try:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt as ctrl_c:
                raise tree_sitter.QueryError("regular expression error") from ctrl_c
        except tree_sitter.QueryError as exc:
            return exc

    assert interrupted(compiled_when_interrupted())
    assert interrupted(RuntimeError("Query interrupted"))
    assert not interrupted(tree_sitter.QueryError("Invalid predicate"))


def test_every_command_has_help_text() -> None:
    import typer.main

    group = typer.main.get_command(app)
    assert group.commands, "no commands"
    for name, command in group.commands.items():
        assert command.help or command.short_help, f"{name} has no help"
        assert runner.invoke(app, [name, "--help"]).exit_code == 0


def test_query_commands_import_neither_anthropic_nor_tree_sitter(sample_repo: Path) -> None:
    assert run("index", str(sample_repo)).returncode == 0
    for args in (
        ["search", "redirect"],
        ["symbols", "Session"],
        ["status"],
        ["outline", "minihttp/auth.py"],
    ):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "swe_agent", *args, "-C", str(sample_repo)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr[-500:]
        imported = {
            line.split("|")[-1].strip().split(".")[0]
            for line in done.stderr.splitlines()
            if "|" in line
        }
        assert "anthropic" not in imported, args
        assert "tree_sitter" not in imported, args
