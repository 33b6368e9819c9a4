"""History read from real git repositories: the lines each commit changed, found at HEAD."""

from __future__ import annotations

import random
from pathlib import Path

from swe_agent.repo.gitrepo import GitRepo
from swe_agent.sleep.history import WHOLE, Tracker, parse_log, read_history
from tests.helpers import commit_all, git


def _newest_per_line(root: Path, path: str) -> dict[int, int]:
    """Per HEAD line, the newest commit (0 = HEAD) that wrote it, from the tracker's map of
    each version's lines to HEAD's, as read_history walks the commits."""
    tracker, newest = Tracker(), {}
    with GitRepo(root).log_hunks(100, ["*.py"]) as lines:
        for index, commit in enumerate(parse_log(lines)):
            for change in commit.files:
                assert change.new is not None
                _, segments = tracker.files.get(change.new, (path, WHOLE))
                for _, _, start, count in change.hunks:
                    for first, last, head in segments:
                        for line in range(max(first, start), min(last, start + count - 1) + 1):
                            newest.setdefault(head + line - first, index)
                tracker.step(change)
    return newest


def test_each_line_is_credited_to_the_commit_git_blame_names(tmp_path: Path) -> None:
    """Random insertions, replacements and removals over 20 commits: for every line of HEAD
    the newest commit history credits with it is the one `git blame` names."""
    for seed in range(4):
        rnd = random.Random(seed)
        root = tmp_path / f"r{seed}"
        root.mkdir()
        git(root, "init", "-q")
        lines = [f"line{i}" for i in range(30)]
        made = 0
        for day in range(1, 21):
            for _ in range(rnd.randint(1, 3)):
                at, size = rnd.randrange(len(lines) + 1), rnd.randint(1, 4)
                new = [f"c{day}_{made + j}" for j in range(rnd.randint(1, 4))]
                made += len(new)
                action = rnd.choice("irr" if len(lines) > 8 else "i")
                if action == "i":
                    lines[at:at] = new
                else:
                    lines[at : at + size] = new if rnd.random() < 0.7 else []
            (root / "a.py").write_text("\n".join(lines) + "\n")
            commit_all(root, f"change {day}", day=day)
        shas = git(root, "log", "--format=%H").split()
        blamed = {}
        for row in git(root, "blame", "--porcelain", "HEAD", "--", "a.py").splitlines():
            parts = row.split()
            if len(parts) >= 3 and len(parts[0]) == 40 and parts[1].isdigit():
                blamed[int(parts[2])] = shas.index(parts[0])
        assert _newest_per_line(root, "a.py") == blamed, seed


def test_a_definition_keeps_its_commits_through_later_insertions_and_a_move(
    tmp_path: Path,
) -> None:
    """A commit that fixed `second` stays with `second` after a later commit added a function
    above it (the old hunk's line numbers now point into `first`) and another moved the file."""
    root = tmp_path / "moved"
    root.mkdir()
    git(root, "init", "-q")
    body = "def first():\n    return 1\n\n\ndef second():\n    return 2\n"
    (root / "old.py").write_text(body)
    (root / "other.py").write_text("x = 1\n")
    commit_all(root, "Import", day=1)
    (root / "old.py").write_text(body.replace("return 2", "return 3  # no overflow"))
    commit_all(root, "Fix the overflow in second", day=2)
    added = "def first():\n    return 1\n    # one\n    # two\n    # three\n"
    (root / "old.py").write_text(added + "\n\ndef second():\n    return 3  # no overflow\n")
    commit_all(root, "Comment first", day=3)
    git(root, "mv", "old.py", "new.py")
    commit_all(root, "Move old.py to new.py", day=4)
    history = read_history(GitRepo(root))
    spans = [
        {"qualname": "first", "start_line": 1, "end_line": 5},
        {"qualname": "second", "start_line": 8, "end_line": 9},
    ]
    found = {
        name: [history.messages[i] for i in commits]
        for name, commits in history.definition_commits("new.py", spans).items()
    }
    assert found == {"first": ["Comment first"], "second": ["Fix the overflow in second"]}


def test_code_lines_that_look_like_headers_are_not_read_as_headers(tmp_path: Path) -> None:
    """A removed line "-- a" is printed "--- a", an added "++ b" as "+++ b": read by count,
    they are lines of code, and the file's history stays whole."""
    root = tmp_path / "dashes"
    root.mkdir()
    git(root, "init", "-q")
    (root / "q.py").write_text('SQL = """\n-- a\nselect 1\n"""\n')
    commit_all(root, "Import", day=1)
    (root / "q.py").write_text('SQL = """\n++ b\nselect 1\n"""\n')
    commit_all(root, "Swap the comment", day=2)
    (root / "q.py").write_text('SQL = """\n++ b\nselect 2\n"""\n')
    commit_all(root, "Select two", day=3)
    history = read_history(GitRepo(root))
    assert history.changed["q.py"] == [(3, 3, 0), (2, 2, 1)]
    assert history.messages == ["Select two", "Swap the comment", "Import"]
