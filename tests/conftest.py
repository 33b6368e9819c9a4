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


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    """A real git repository with three commits, built from fixtures/sample."""
    return make_sample_repo(tmp_path / "sample")
