"""Files' lines kept between calls are the file as it is now: an edit is seen at once, even one
that keeps the file's size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from swe_agent.agent.filelines import FileLines


def test_an_edit_is_seen_even_when_the_size_stays(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("a = 1\nb = 2\n")
    files = FileLines(kept=1)
    assert files.lines(path) == ["a = 1", "b = 2"]
    path.write_text("a = 3\nb = 4\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert files.lines(path) == ["a = 3", "b = 4"]
    other = tmp_path / "b.py"
    other.write_text("c = 5\n")
    assert files.lines(other) == ["c = 5"] and files.lines(path) == ["a = 3", "b = 4"]


def test_a_file_gone_is_an_error_not_old_lines(tmp_path: Path) -> None:
    path = tmp_path / "gone.py"
    path.write_text("x = 1\n")
    files = FileLines()
    files.lines(path)
    path.unlink()
    with pytest.raises(FileNotFoundError):
        files.lines(path)
