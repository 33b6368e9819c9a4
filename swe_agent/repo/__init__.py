"""Git: the root, the files worth indexing and HEAD through git itself (what a first index
needs, without importing GitPython); history and the rest through GitPython."""

from swe_agent.repo.gitrepo import GitRepo, RepoFile

__all__ = ["GitRepo", "RepoFile"]
