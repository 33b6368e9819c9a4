"""Every setting is checked (type and range) before anything is touched, and every command
refuses a broken config, not only index."""

import json
import shutil
from pathlib import Path

import pytest

from swe_agent.config import load_settings
from swe_agent.errors import SweAgentError
from swe_agent.store.db import open_store
from tests.procs import offline_env, swe


def config(repo: Path, text: bytes | str) -> None:
    path = repo / ".swe_agent/config.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("max_file_bytes = 1.9", "give a whole number of 1 or more"),
        ("max_file_bytes = -1", "give a whole number of 1 or more"),
        ("max_file_bytes = true", "give a whole number"),
        ("workers = -3", "give a whole number from 0 to 1,024"),
        ("sleep_level = 7", "from 0 to 3"),
        ("request_timeout = nan", "give a number from 0.1"),
        ("request_timeout = 'soon'", "give a number"),
        ("sleep_model = 3", "a non-empty string"),
    ],
)
def test_a_bad_value_in_a_config_file_is_refused(tmp_path: Path, line: str, words: str) -> None:
    config(tmp_path, line + "\n")
    with pytest.raises(SweAgentError, match=words):
        load_settings(tmp_path, environ={})


def test_environment_values_are_checked_and_named_by_their_variable(tmp_path: Path) -> None:
    assert (
        load_settings(tmp_path, environ={"SWE_AGENT_MAX_FILE_BYTES": "2_000_000"}).max_file_bytes
        == 2_000_000
    )
    assert (
        load_settings(tmp_path, environ={"SWE_AGENT_REQUEST_TIMEOUT": "2.5"}).request_timeout == 2.5
    )
    with pytest.raises(SweAgentError, match=r"\$SWE_AGENT_REQUEST_TIMEOUT: give a number"):
        load_settings(tmp_path, environ={"SWE_AGENT_REQUEST_TIMEOUT": "NaN"})
    with pytest.raises(SweAgentError, match=r"'7' for sleep_level in \$SWE_AGENT_SLEEP_LEVEL"):
        load_settings(tmp_path, environ={"SWE_AGENT_SLEEP_LEVEL": "7"})


@pytest.fixture(scope="module")
def slept_template(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("slept") / "sample"
    shutil.copytree(sample_template, root, symlinks=True)
    assert swe("sleep", "-C", str(root)).returncode == 0
    return root


@pytest.fixture
def slept_repo(slept_template: Path, tmp_path: Path) -> Path:
    """The sample repository after `swe-agent sleep`: a copy with its store, the test's own."""
    root = tmp_path / "sample"
    shutil.copytree(slept_template, root, symlinks=True)
    return root


def store_rows(repo: Path) -> tuple:
    with open_store(repo, read_only=True) as store:
        return (
            store.query("SELECT path, hash FROM files ORDER BY path"),
            store.query("SELECT id, stale FROM notes ORDER BY id"),
        )


def assert_refused(done, args) -> None:
    assert done.returncode != 0, (args, done.stdout)
    assert "bad value" in done.stderr, (args, done.stdout)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("line", ["workers = -3", "max_file_bytes = 1.9", "max_file_bytes = true"])
def test_a_bad_setting_touches_nothing(slept_repo: Path, line: str) -> None:
    before = store_rows(slept_repo)
    config(slept_repo, line + "\n")
    for args in (["index", "--rebuild"], ["index"], ["sleep"]):
        assert_refused(swe(*args, "-C", str(slept_repo)), args)
    assert store_rows(slept_repo) == before


def test_every_command_refuses_a_broken_config_as_index_does(slept_repo: Path) -> None:
    config(slept_repo, "max_file_bytes = -1\n")
    for args in (
        ["status"],
        ["search", "redirect"],
        ["symbols", "Session"],
        ["outline", "minihttp/auth.py"],
        ["notes"],
        ["sessions"],
    ):
        assert_refused(swe(*args, "-C", str(slept_repo)), args)


def test_a_config_that_is_not_utf8_is_one_line(slept_repo: Path) -> None:
    config(slept_repo, b"workers = 2\n# caf\xe9\n")
    done = swe("status", "-C", str(slept_repo))
    assert done.returncode != 0
    assert done.stderr.startswith("error: ")
    assert "not UTF-8" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_unknown_swe_agent_variable_is_warned_of(slept_repo: Path) -> None:
    done = swe("status", "-C", str(slept_repo), env=offline_env(SWE_AGENT_MAX_FILE_BYTE="5"))
    assert done.returncode == 0
    assert "warning: SWE_AGENT_MAX_FILE_BYTE names no setting" in done.stderr


def test_config_shows_each_setting_and_where_it_came_from(sample_repo: Path) -> None:
    config(sample_repo, "workers = 2\n")
    done = swe(
        "config", "--json", "-C", str(sample_repo), env=offline_env(SWE_AGENT_SLEEP_LEVEL="3")
    )
    assert done.returncode == 0, done.stderr
    rows = {r["name"]: (r["value"], r["from"]) for r in json.loads(done.stdout)}
    assert rows["workers"] == (2, str(sample_repo / ".swe_agent/config.toml"))
    assert rows["sleep_level"] == (3, "$SWE_AGENT_SLEEP_LEVEL")
    assert rows["max_steps"] == (12, "default")
