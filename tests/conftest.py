import shutil
import signal
from pathlib import Path

import pytest

from tests.helpers import make_sample_repo


def pytest_configure(config: pytest.Config) -> None:
    """A runner started in the background without job control (`nohup pytest &`, some CI
    shells) ignores Ctrl-C, and every command a test starts would inherit that: the tests that
    interrupt `index` or `daemon logs -f` would then see it ignored. A handler of our own is
    reset to the default when a child execs, so the commands react to Ctrl-C as for a user."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository built once per run (its commits have fixed authors and dates, so
    every build is the same repository); tests get copies, never this one."""
    return make_sample_repo(tmp_path_factory.mktemp("sample-template") / "sample")


@pytest.fixture
def sample_repo(sample_template: Path, tmp_path: Path) -> Path:
    """A real git repository with three commits, built from fixtures/sample: a copy of its
    working tree and .git, the test's own."""
    root = tmp_path / "sample"
    shutil.copytree(sample_template, root, symlinks=True)
    return root


@pytest.fixture(scope="session")
def used_template(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository indexed, slept on and asked about once by the CLI, once per run."""
    from tests.procs import swe

    root = tmp_path_factory.mktemp("used-template") / "sample"
    shutil.copytree(sample_template, root, symlinks=True)
    assert swe("sleep", "-C", str(root)).returncode == 0
    assert swe("ask", "where are redirects followed?", "-C", str(root)).returncode == 0
    return root


@pytest.fixture
def used_repo(used_template: Path, tmp_path: Path) -> Path:
    """The sample repository indexed, slept on and asked about once: a copy with its store,
    the test's own (to change, damage or rebuild)."""
    root = tmp_path / "sample"
    shutil.copytree(used_template, root, symlinks=True)
    return root
