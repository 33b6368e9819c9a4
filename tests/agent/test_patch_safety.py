"""`task --apply` never lets a model's patch make a link out of the repository."""

import os
from pathlib import Path

import pytest

from swe_agent.agent.patch import apply_patch
from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo
from tests.helpers import git


def patch_adding_link(repo: Path, name: str, target: str) -> str:
    """A real `git diff` that adds the link name -> target, the work tree left as it was."""
    os.symlink(target, repo / name)
    git(repo, "add", name)
    diff = git(repo, "diff", "--cached")
    git(repo, "rm", "-q", "--cached", name)
    (repo / name).unlink()
    return diff


@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside", "../.env"])
def test_a_patch_making_a_link_out_or_to_a_secret_is_refused(
    sample_repo: Path, target: str
) -> None:
    (sample_repo / ".env").write_text("KEY=secret\n")
    patch = patch_adding_link(sample_repo, "minihttp/certs.py", target)
    assert "new file mode 120000" in patch
    with pytest.raises(SweAgentError, match="link to"):
        apply_patch(GitRepo(sample_repo), patch)
    assert not os.path.lexists(sample_repo / "minihttp/certs.py")


def test_a_patch_making_a_link_inside_the_repository_applies(sample_repo: Path) -> None:
    patch = patch_adding_link(sample_repo, "minihttp/alias.py", "auth.py")
    assert apply_patch(GitRepo(sample_repo), patch) == ["minihttp/alias.py"]
    assert os.readlink(sample_repo / "minihttp/alias.py") == "auth.py"


def test_a_secret_looking_task_file_is_refused_before_any_model_call(sample_repo: Path) -> None:
    from tests.fakeapi import FakeAnthropic, text_message
    from tests.procs import offline_env, swe

    (sample_repo / ".env").write_text("AWS_SECRET_ACCESS_KEY=abc\n")
    with FakeAnthropic([text_message("{}")] * 4) as api:
        env = offline_env(ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url)
        for name in (".env", "key-link.txt"):
            if name == "key-link.txt":
                os.symlink(".env", sample_repo / name)
            done = swe("task", name, "-C", str(sample_repo), env=env, cwd=sample_repo)
            assert done.returncode != 0, done.stderr
            assert "looks like a secret" in done.stderr, done.stderr
        assert api.messages == []
