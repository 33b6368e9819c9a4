"""Git through GitPython: the root, the files worth indexing, HEAD and history."""

from swe_agent.repo.gitrepo import GitRepo, RepoFile

__all__ = ["GitRepo", "RepoFile"]
