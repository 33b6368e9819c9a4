"""Real processes for the tests of what must survive: the CLI as a subprocess without an API
key, and a look at the process table (Linux /proc) for what a killed command left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SWE_AGENT = str(Path(sys.executable).parent / "swe-agent")


def offline_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "SWE_AGENT_"))}
    return {**env, **extra}


def swe(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SWE_AGENT, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or offline_env(),
        **kwargs,
    )


def wait_for(check, timeout: float = 20.0, step: float = 0.05) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    raise AssertionError("timed out")


def alive(pid: int) -> bool:
    """True while pid runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def descendants(pid: int) -> set[int]:
    """Every live process below pid."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {p for p in found if alive(p)}


def processes_mentioning(text: str) -> set[int]:
    """Live processes whose command line contains text."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = (
                    Path(f"/proc/{entry}/cmdline")
                    .read_bytes()
                    .replace(b"\0", b" ")
                    .decode(errors="replace")
                )
            except OSError:
                continue
            if text in cmdline and alive(int(entry)):
                found.add(int(entry))
    return found
