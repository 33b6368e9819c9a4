"""An indexed copy of the sample repository per test, built once per run and copied."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from swe_agent.config import Settings
from swe_agent.index import index_repository
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store, open_store
from tests.helpers import make_sample_repo


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_sample_repo(tmp_path_factory.mktemp("template") / "sample")
    with open_store(root, create=True) as store:
        index_repository(GitRepo(root), store, workers=1)
    return root


@pytest.fixture
def indexed_repo(indexed_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(indexed_template, root, symlinks=True)
    return root


@pytest.fixture
def store(indexed_repo: Path) -> Iterator[Store]:
    with open_store(indexed_repo) as opened:
        yield opened


@pytest.fixture
def repo(indexed_repo: Path) -> GitRepo:
    return GitRepo(indexed_repo)


@pytest.fixture
def settings() -> Settings:
    return Settings(context_budget=16_000, max_steps=12)
