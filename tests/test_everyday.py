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
    assert missing.returncode == 1 and "no definition matches 'nosuchname'" in missing.stderr
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
    assert done.returncode == 0 and json.loads(done.stdout)["files_done"] == 1
