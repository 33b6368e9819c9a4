"""Everyday use: what a person sees matches what happened."""

import json
from pathlib import Path

from tests.helpers import commit_all, git
from tests.procs import offline_env, swe


def repo_with_many(tmp_path: Path) -> Path:
    """25 definitions of `send` and 45 calls of it."""
    root = tmp_path / "many"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for i in range(25):
        (root / f"m{i}.py").write_text(
            "def send(x):\n    return x\n\n\n"
            + "".join(
                f"def use{j}():\n    return send({j})\n\n\n" for j in range(3 if i < 15 else 0)
            )
        )
    commit_all(root, "many")
    assert swe("index", "-C", str(root)).returncode == 0
    return root


def test_symbols_says_how_many_it_cut_and_fails_when_nothing_matches(tmp_path: Path) -> None:
    root = repo_with_many(tmp_path)
    done = swe("symbols", "send", "-C", str(root))
    assert done.returncode == 0
    assert "… more definitions; give Class.method to narrow" in done.stdout
    assert (
        "references (45):" in done.stdout
        and "… 25 more references; --json lists them" in done.stdout
    )
    assert (
        len(json.loads(swe("symbols", "send", "--json", "-C", str(root)).stdout)["references"])
        == 45
    )

    missing = swe("symbols", "nosuchname", "-C", str(root))
    assert missing.returncode == 1
    assert "no definition matches 'nosuchname'" in missing.stderr
    assert swe("symbols", "nosuchname", "--json", "-C", str(root)).returncode == 1


def test_offline_sleep_is_linear_on_a_minified_one_line_file(tmp_path: Path) -> None:
    """4,300 functions on one 300 KB line: every definition scanned the whole line (83 s);
    a guard with a wide margin, not a benchmark."""
    root = tmp_path / "minified"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "app.min.js").write_text(
        ";".join(
            f"function f{i}(a,b){{var c=a+b*{i};if(c>{i}){{return g{i}(c)}}return c}}"
            for i in range(4300)
        )
    )
    commit_all(root, "minified")
    assert swe("index", "-C", str(root)).returncode == 0
    done = swe("sleep", "--json", "-C", str(root), timeout=60)
    assert done.returncode == 0
    assert json.loads(done.stdout)["files_done"] == 1


def in_a_terminal(*args: str, cwd: Path, **env: str) -> str:
    """What a person sees: the command run in a pseudo-terminal, its output as text."""
    import os
    import pty
    import subprocess

    from tests.procs import SWE_AGENT, offline_env

    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [SWE_AGENT, *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=cwd,
        env=offline_env(**{"COLUMNS": "160", **env}),
    )
    os.close(secondary)
    out = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=60)
    os.close(primary)
    return out.decode(errors="replace")


def test_offline_sleep_counts_files_and_claims_no_model_tokens(sample_repo: Path) -> None:
    import re

    shown = in_a_terminal("sleep", cwd=sample_repo)
    bar = re.findall(r"(\d+) of (\d+) files", shown)
    assert bar
    assert bar[-1][0] == bar[-1][1]  # the bar ends full: it counts files, not the budget
    assert "tokens spent" not in shown
    assert "no model tokens" in shown


def test_an_offline_answer_claims_no_model_tokens(sample_repo: Path) -> None:
    done = swe("ask", "where are redirects followed?", "--stats", "-C", str(sample_repo))
    assert done.returncode == 0
    assert "answered offline" in done.stdout
    assert "tokens in" not in done.stdout
    assert "no model spent any" in done.stdout


def test_a_task_over_the_budget_is_cut_to_fit_and_answered(
    sample_repo: Path, tmp_path: Path
) -> None:
    issue = tmp_path / "issue.txt"
    filler = "\n".join(
        f"log line {i}: cookie jar merged, retry adapter waited" for i in range(3000)
    )
    issue.write_text("The Authorization header survives a redirect to another host.\n" + filler)
    done = swe("task", str(issue), "--json", "-C", str(sample_repo))
    assert done.returncode == 0, done.stderr
    assert "more than a quarter of the 16,000-token context" in done.stderr
    assert "cut" in done.stderr
    result = json.loads(done.stdout)
    assert result["locations"]
    assert "characters cut to fit the context" in result["question"]


def test_ask_reads_the_question_from_stdin(sample_repo: Path) -> None:
    done = swe(
        "ask", "-", "--json", "-C", str(sample_repo), input="where are redirects followed?\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["question"].strip() == "where are redirects followed?"


def test_notes_lists_a_page_and_says_how_many_more(sample_repo: Path) -> None:
    assert swe("sleep", "-C", str(sample_repo)).returncode == 0
    total = len(json.loads(swe("notes", "--json", "-C", str(sample_repo)).stdout))
    assert total > 20
    page = swe("notes", "-C", str(sample_repo)).stdout
    assert page.count("\n[") + page.startswith("[") == 20
    assert f"… {total - 20:,} more notes: -n {total}" in page
    assert len(json.loads(swe("notes", "-n", "3", "--json", "-C", str(sample_repo)).stdout)) == 3
    assert swe("notes", "-n", "3", "-C", str(sample_repo)).stdout.count("\n[") + 1 == 3


def test_an_answer_fits_the_terminal_and_is_coloured_only_there(sample_repo: Path) -> None:
    import re

    assert swe("index", "-C", str(sample_repo)).returncode == 0
    question = (
        "ask",
        "why is my Authorization header dropped when a redirect goes to another host?",
    )
    shown = in_a_terminal(*question, cwd=sample_repo, COLUMNS="60")
    visible = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    prose = [line for line in visible.splitlines() if not re.match(r"^\s*\d+\|", line)]
    assert prose
    assert max(len(line) for line in prose) <= 60
    assert "\x1b[36mminihttp/sessions.py:" in shown
    assert "\x1b[36m" not in in_a_terminal(*question, cwd=sample_repo, COLUMNS="60", NO_COLOR="1")
    piped = swe(*question, "-C", str(sample_repo)).stdout
    assert "\x1b[" not in piped
    assert max(len(line) for line in piped.splitlines()) > 60


def test_an_answer_shows_the_ranked_list_first_one_line_each(sample_repo: Path) -> None:
    done = swe("ask", "where are redirects followed?", "-C", str(sample_repo))
    lines = done.stdout.splitlines()
    assert lines[0] == "Locations, best first:"
    ranked = lines[1 : lines.index("")]
    assert ranked[0].startswith("  1. minihttp/sessions.py:")
    assert all(line[3] == "." for line in ranked)
    assert all(len(line) <= 200 for line in ranked)


def test_an_offline_answer_gives_its_reasons_in_words(sample_repo: Path) -> None:
    """No "BM25 rank 10": why each location, as a person would say it."""
    done = swe(
        "ask", "where is Session.send and how are redirects followed?", "-C", str(sample_repo)
    )
    lines = done.stdout.splitlines()
    ranked = lines[1 : lines.index("")]
    assert done.returncode == 0, done.stderr
    assert ranked
    assert not any("BM25" in line or "rank " in line for line in ranked), ranked
    words = ("named in the question", "its note answers:", "matches the question's words")
    assert any(w in line for line in ranked for w in words), ranked


def test_notes_longer_than_the_terminal_go_through_the_pager(sample_repo: Path) -> None:
    assert swe("sleep", "-C", str(sample_repo)).returncode == 0
    pager = "sed s/^/paged:/"
    paged = in_a_terminal("notes", cwd=sample_repo, LINES="10", PAGER=pager)
    assert "paged:[" in paged
    assert "paged:" not in in_a_terminal("notes", cwd=sample_repo, LINES="500", PAGER=pager)
    assert "paged:" not in swe("notes", "-C", str(sample_repo), env=offline_env(PAGER=pager)).stdout
