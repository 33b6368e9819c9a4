from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store, open_store


@pytest.fixture
def indexed(sample_repo: Path) -> Iterator[tuple[GitRepo, Store]]:
    """The sample repository and its store, indexed."""
    repo = GitRepo(sample_repo)
    with open_store(sample_repo, create=True) as store:
        index_repository(repo, store)
        yield repo, store
