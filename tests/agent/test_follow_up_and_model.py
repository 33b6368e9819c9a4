"""`--session ID` follows up a session named, not only the last; `--model` picks the model of
ask, task and sleep for one command."""

import json
from pathlib import Path

from tests.fakeapi import FakeAnthropic, text_message
from tests.procs import offline_env, swe


def test_session_follows_up_the_session_named(sample_repo: Path) -> None:
    repo = str(sample_repo)
    first = json.loads(swe("ask", "where are redirects followed?", "--json", "-C", repo).stdout)
    swe("ask", "how is the Authorization header set?", "--json", "-C", repo)  # now the last
    again = swe("ask", "and the cookies?", "--session", first["session"], "--json", "-C", repo)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["session"] == first["session"]
    missing = swe("ask", "and then?", "--session", "nosuchsession", "-C", repo)
    assert missing.returncode == 1 and "no session 'nosuchsession'" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    both = swe("ask", "and then?", "--session", first["session"], "--continue", "-C", repo)
    assert both.returncode == 1 and "give one of them" in both.stderr


def test_model_names_the_model_asked(sample_repo: Path) -> None:
    repo = str(sample_repo)
    assert swe("index", "-C", repo).returncode == 0
    with FakeAnthropic([text_message("The redirect logic is in sessions.py.")] * 30) as api:
        env = offline_env(ANTHROPIC_API_KEY=api.key, ANTHROPIC_BASE_URL=api.url)
        question = "where are redirects followed?"
        done = swe("ask", question, "--model", "claude-haiku-5-5", "-C", repo, env=env)
        assert done.returncode == 0, done.stderr
        assert api.messages and {m["model"] for m in api.messages} == {"claude-haiku-5-5"}
        plan = swe(
            "sleep", "--dry-run", "--json", "--model", "claude-sonnet-5-5", "-C", repo, env=env
        )
        assert plan.returncode == 0, plan.stderr
        assert "claude-sonnet-5-5" in json.loads(plan.stdout)["mode"]
    empty = swe("ask", "where?", "--model", " ", "-C", repo)
    assert empty.returncode == 1 and "--model is empty" in empty.stderr
