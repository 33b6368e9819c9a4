"""MCP tool-call latency through a real client session (the SDK's stdio client and a real
`swe-agent mcp` subprocess): the time to a ready session, the first call after start, and warm
p50/p90 of search_code and find_symbol, with the daemon serving the calls and without it (the
server then answers from its copy of the store in memory), and the CPU time each process spends
per call (client, server, daemon), which unlike wall time does not grow with the machine's load.

    .venv/bin/python bench/mcp.py [--repo GIT_REPO] [--calls 50] [--json]

Without --repo it copies the CPython standard library (Lib/*.py) into a git repository.
Targets (issue 11): warm p50 of search_code and find_symbol <= 20 ms, first call <= 1 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # this file hides `mcp`

import anyio  # noqa: E402
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402


def _bench_daemon():
    spec = importlib.util.spec_from_file_location("bench_daemon", HERE / "daemon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_DAEMON = _bench_daemon()
SWE_AGENT, stdlib_repo = _DAEMON.SWE_AGENT, _DAEMON.stdlib_repo

QUERIES = [
    "parse the header of an email message", "retry with exponential backoff", "read a config file",
    "open a socket connection with a timeout", "compress data with zlib", "format a date as text",
    "walk a directory tree", "escape html special characters", "a pool of worker threads",
    "encode an object as json",
]  # fmt: skip


def machine() -> dict[str, object]:
    model = ""
    if Path("/proc/cpuinfo").exists():
        lines = [
            x for x in Path("/proc/cpuinfo").read_text().splitlines() if x.startswith("model name")
        ]
        model = lines[0].split(":", 1)[1].strip() if lines else ""
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu": model,
            "cores": os.cpu_count(), "load_average": os.getloadavg()}  # fmt: skip


def symbol_names(root: Path, count: int = 20) -> list[str]:
    from swe_agent.store.db import open_store

    with open_store(root, read_only=True) as store:
        rows = store.query(
            "SELECT DISTINCT qualname FROM definitions WHERE kind IN ('function', 'method', 'class') "
            "ORDER BY hash(qualname) LIMIT ?",
            [count],
        )
    return [r[0] for r in rows]


def store_open_ms(root: Path, rounds: int = 20) -> float:
    """What one local call pays before its query: opening the store read-only and closing it."""
    from swe_agent.store.db import open_store

    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        open_store(root, read_only=True).close()
        times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times), 1)


async def session_figures(root: Path, names: list[str], calls: int) -> dict[str, object]:
    params = StdioServerParameters(command=SWE_AGENT, args=["mcp", "-C", str(root)])
    started = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        ready = time.perf_counter() - started
        first = await _timed(session, "search_code", {"query": QUERIES[0], "k": 10})
        figures: dict[str, object] = {"ready_s": round(ready, 2), "first_call_ms": round(first, 1)}
        processes = {"server": _server_pid(root), "daemon": _daemon_pid(root)}
        for tool, arguments in (
            ("search_code", [{"query": q, "k": 10} for q in QUERIES]),
            ("find_symbol", [{"name": n} for n in names]),
        ):
            cpu = _cpu_seconds(processes)
            times = [
                await _timed(session, tool, arguments[i % len(arguments)]) for i in range(calls)
            ]
            spent = {k: v - cpu[k] for k, v in _cpu_seconds(processes).items()}
            times.sort()
            figures[tool] = {"p50_ms": round(times[len(times) // 2], 1),
                             "p90_ms": round(times[int(len(times) * 0.9)], 1),
                             "max_ms": round(times[-1], 1),
                             "cpu_ms_per_call": {k: round(1000 * v / calls, 1)
                                                 for k, v in spent.items()}}  # fmt: skip
    return figures


def _cpu_seconds(processes: dict[str, int | None]) -> dict[str, float]:
    """CPU time (user and system) spent so far by the bench (the client) and by each process:
    unlike wall time, it does not grow with the machine's load."""
    spent = {"client": time.process_time()}
    for name, pid in processes.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            spent[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):  # no such process, or no /proc
            spent[name] = 0.0
    return spent


def _server_pid(root: Path) -> int | None:
    """The `swe-agent mcp -C root` process this bench started (Linux /proc)."""
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"mcp" in words and str(root).encode() in words:
            return int(entry.name)
    return None


def _daemon_pid(root: Path) -> int | None:
    try:
        return int((root / ".swe_agent" / "daemon.pid").read_text())
    except (OSError, ValueError):
        return None


async def _timed(session: ClientSession, tool: str, arguments: dict[str, object]) -> float:
    started = time.perf_counter()
    result = await session.call_tool(tool, arguments)
    elapsed = 1000 * (time.perf_counter() - started)
    if result.is_error and "no symbol named" not in result.content[0].text:
        raise SystemExit(f"{tool} {arguments} failed: {result.content[0].text}")
    return elapsed


def wait_for_daemon(root: Path, limit: float = 300.0) -> None:
    """Until the daemon has caught up and finished its sleep-time work: a run that yielded to a
    request (`daemon start` pings it) goes on afterwards, and calls measured meanwhile would
    share the CPU with it."""
    log = root / ".swe_agent" / "daemon.log"
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        runs = (
            [x for x in log.read_text().splitlines() if "sleep-time:" in x] if log.exists() else []
        )
        if runs and "yielded" not in runs[-1]:
            return
        time.sleep(0.2)
    raise SystemExit("the daemon did not finish catching up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = args.repo.resolve() if args.repo else stdlib_repo()
    subprocess.run([SWE_AGENT, "index", str(root)], check=True, capture_output=True)
    names = symbol_names(root)
    report: dict[str, object] = {"machine": machine(), "repo": str(root),
                                 "store_open_ms": store_open_ms(root)}  # fmt: skip
    report["standalone"] = anyio.run(session_figures, root, names, args.calls)
    subprocess.run([SWE_AGENT, "daemon", "start", "-C", str(root)], check=True, capture_output=True)
    try:
        wait_for_daemon(root)
        report["through_daemon"] = anyio.run(session_figures, root, names, args.calls)
    finally:
        subprocess.run([SWE_AGENT, "daemon", "stop", "-C", str(root)], capture_output=True)
    print(json.dumps(report, indent=2) if args.json else _text(report))


def _text(report: dict) -> str:
    m = report["machine"]
    lines = [f"machine: {m['cpu'] or m['platform']}, {m['cores']} cores, load {m['load_average'][0]:.1f}",
             f"repository: {report['repo']}",
             f"store open+close, read-only: {report['store_open_ms']} ms"]  # fmt: skip
    for mode in ("standalone", "through_daemon"):
        f = report[mode]
        lines.append(f"{mode}: ready {f['ready_s']} s, first call {f['first_call_ms']} ms")
        for tool in ("search_code", "find_symbol"):
            t = f[tool]
            cpu = ", ".join(f"{k} {v}" for k, v in t["cpu_ms_per_call"].items() if v)
            lines.append(
                f"  {tool:<12} p50 {t['p50_ms']:>7} ms  p90 {t['p90_ms']:>7} ms  max {t['max_ms']:>7} ms"
                f"  cpu ms per call: {cpu}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
