import pytest

from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import open_store
from tests.helpers import make_sample_repo


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory):
    """The sample repository indexed into a real store, opened read-only; one per test module."""
    root = make_sample_repo(tmp_path_factory.mktemp("rank") / "sample")
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store, max_bytes=1_000_000, workers=1)
    with open_store(root, read_only=True) as store:
        yield store
