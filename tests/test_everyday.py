"""Everyday use: what a person sees matches what happened."""

import json
from pathlib import Path

from tests.helpers import commit_all, git
from tests.procs import swe


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


def test_notes_lists_a_page_and_says_how_many_more(sample_repo: Path) -> None:
    assert swe("sleep", "-C", str(sample_repo)).returncode == 0
    total = len(json.loads(swe("notes", "--json", "-C", str(sample_repo)).stdout))
    assert total > 20
    page = swe("notes", "-C", str(sample_repo)).stdout
    assert page.count("\n[") + page.startswith("[") == 20
    assert f"… {total - 20:,} more notes: -n {total}" in page
    assert len(json.loads(swe("notes", "-n", "3", "--json", "-C", str(sample_repo)).stdout)) == 3
    assert swe("notes", "-n", "3", "-C", str(sample_repo)).stdout.count("\n[") + 1 == 3
