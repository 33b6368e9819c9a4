"""Bad input is a short error and a non-zero exit, never a traceback."""

import os
import shutil
from pathlib import Path

import pytest

from tests.procs import offline_env, swe


@pytest.fixture
def indexed(sample_repo: Path) -> Path:
    assert swe("index", "-C", str(sample_repo)).returncode == 0
    return sample_repo


def assert_clean_error(done, words: str, code: int = 1) -> None:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert words in done.stderr, done.stderr


def test_numbers_out_of_range_are_usage_errors(indexed: Path) -> None:
    assert_clean_error(
        swe("search", "redirect", "-k", "99999999999999999999", "-C", str(indexed)), "-k", 2
    )
    assert_clean_error(swe("sessions", "-n", "-1", "-C", str(indexed)), "-n", 2)


def test_an_argument_that_is_not_utf8_is_one_line(indexed: Path) -> None:
    for args in (["symbols", b"caf\xe9"], ["ask", b"where is \xff?"], ["search", b"\xfe\xff"]):
        raw = [os.fsdecode(a) if isinstance(a, bytes) else a for a in args]
        done = swe(*raw, "-C", str(indexed))
        assert_clean_error(done, "is not valid UTF-8")
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_binary_tasks_file_for_bench_is_one_line(indexed: Path, tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    done = swe("bench", "localize", "--tasks", str(tasks), "--workdir", str(tmp_path / "work"))
    assert_clean_error(done, "is not a UTF-8 text file")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give the repository to another user")
def test_a_repository_git_calls_dubious_is_one_line_with_the_fix(
    sample_repo: Path, tmp_path: Path
) -> None:
    shutil.chown(sample_repo, user="nobody")
    home = tmp_path / "home"
    home.mkdir()
    env = offline_env(HOME=str(home), GIT_CONFIG_NOSYSTEM="1")
    for args in (["index"], ["status"], ["daemon", "start"], ["ask", "where?"]):
        done = swe(*args, "-C", str(sample_repo), env=env)
        assert_clean_error(done, "dubious ownership")
        assert "safe.directory" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_version_and_a_directory_before_the_command_like_git(indexed: Path, tmp_path: Path) -> None:
    from importlib.metadata import version

    assert swe("--version").stdout.strip() == f"swe-agent {version('swe-agent')}"
    done = swe("-C", str(indexed), "status", cwd=tmp_path)
    assert done.returncode == 0
    assert "index: fresh" in done.stdout
    done = swe("-C", "minihttp", "outline", "auth.py", cwd=indexed)  # paths are read from there
    assert done.returncode == 0, done.stderr
    assert "class HTTPBasicAuth" in done.stdout
    assert_clean_error(swe("-C", str(tmp_path / "nowhere"), "status"), "cannot change to")
    assert "--install-completion" in swe("--help").stdout
