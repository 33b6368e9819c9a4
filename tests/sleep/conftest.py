import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import STORE_DIR, Store, open_store


@pytest.fixture(scope="session")
def indexed_store_template(sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store folder of the sample repository indexed once per run, as `index` makes it."""
    root = tmp_path_factory.mktemp("indexed-sample") / "sample"
    shutil.copytree(sample_template, root, symlinks=True)
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store)
    return root / STORE_DIR


@pytest.fixture
def indexed(sample_repo: Path, indexed_store_template: Path) -> Iterator[tuple[GitRepo, Store]]:
    """The sample repository and its store, indexed: a copy of a store that indexed the same
    commits, which a test may change as its own."""
    shutil.copytree(indexed_store_template, sample_repo / STORE_DIR, symlinks=True)
    repo = GitRepo(sample_repo)
    with open_store(sample_repo, create=True) as store:
        yield repo, store
