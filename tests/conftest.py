from pathlib import Path

import pytest

from tests.helpers import make_sample_repo


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    """A real git repository with three commits, built from fixtures/sample."""
    return make_sample_repo(tmp_path / "sample")
