"""Settings. Precedence: defaults < user config < repo .swe_agent/config.toml < SWE_AGENT_* env
< command-line flags (applied by cli.py with `replace`)."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from swe_agent.errors import SweAgentError

ENV_PREFIX = "SWE_AGENT_"
USER_CONFIG = (
    Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "swe-agent" / "config.toml"
)


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int = 1_000_000
    """Files larger than this are skipped by the index."""
    workers: int = 0
    """Parser processes for indexing; 0 means one per core."""
    sleep_model: str = "claude-haiku-5-5"
    """Model that writes sleep-time notes when ANTHROPIC_API_KEY is set."""
    foreground_model: str = "claude-sonnet-5-5"
    """Model that answers questions when ANTHROPIC_API_KEY is set."""
    sleep_budget: int = 200_000
    """Model tokens one `swe-agent sleep` run may spend when Claude writes the notes."""
    offline_sleep_budget: int = 5_000_000
    """Note tokens one offline `swe-agent sleep` run may write. Offline analysis costs CPU
    seconds, not model tokens (Django, 5,400 files: 1.4M in about 18 s on 2 cores), so by
    default it covers the whole repository: notes about only part of it would pull answers
    toward that part."""
    sleep_level: int = 2
    """How much sleep-time analysis to do: 0 none, 1 summaries, 2 + questions, 3 + history."""
    note_kinds: str = ""
    """Kinds of notes the agent reads, comma-separated (summary, question, tests, history,
    cochange, overview); empty reads every kind."""
    context_budget: int = 16_000
    """Tokens of the foreground agent's main context."""
    max_steps: int = 12
    """Tool calls the foreground agent may make for one question."""
    request_timeout: float = 60.0
    """Seconds one model request may take."""
    call_deadline: float = 180.0
    """Seconds one model call may take, retries included."""
    max_retries: int = 4
    """Retries of a model call on 408, 409, 429, 5xx, timeouts and connection errors (never on a
    spend limit)."""
    max_retry_after: float = 30.0
    """Longest wait in seconds a server's retry-after may ask for; a longer one ends the call."""
    debounce_seconds: float = 0.3
    """Quiet time before the watcher flushes file events."""
    max_delay_seconds: float = 2.0
    """Longest the watcher holds events during a storm of them."""
    sleep_budget_per_commit: int = 50_000
    """Model tokens the daemon spends per new commit (offline it uses offline_sleep_budget)."""
    sleep_budget_per_hour: int = 400_000
    """Model tokens the daemon spends per hour at most (offline: no hourly cap)."""
    batch_poll_seconds: float = 60.0
    """How often the daemon asks the Message Batches API whether its sleep-time batches have
    ended (each poll is one small request per open batch)."""
    log_max_bytes: int = 5_000_000
    """Size at which the daemon moves its log to daemon.log.1 and starts a new one."""

    def sleep_budget_for(self, model: object | None, *, per_commit: bool = False) -> int:
        """The budget of a sleep run: model tokens with a model, note tokens offline."""
        if model is None:
            return self.offline_sleep_budget
        return self.sleep_budget_per_commit if per_commit else self.sleep_budget


NOTE_KINDS = ("summary", "question", "tests", "docs", "history", "cochange", "overview")


def note_kinds(text: str) -> frozenset[str] | None:
    """The kinds a `note_kinds` setting names; None for every kind."""
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = sorted(kinds - set(NOTE_KINDS))
    if unknown:
        raise SweAgentError(
            f"unknown note kind {unknown[0]!r} in note_kinds",
            f"give some of {', '.join(NOTE_KINDS)}",
        )
    return kinds or None


# Each setting's range, checked before anything is touched: (least, most), None for no bound.
LIMITS: dict[str, tuple[float | None, float | None]] = {
    "max_file_bytes": (1, None), "workers": (0, 1024), "sleep_budget": (0, None),
    "offline_sleep_budget": (0, None), "sleep_level": (0, 3), "context_budget": (2000, None),
    "max_steps": (2, 1000), "request_timeout": (0.1, 3600), "call_deadline": (0.1, 86400),
    "max_retries": (0, 100), "max_retry_after": (0, 3600), "debounce_seconds": (0, 60),
    "max_delay_seconds": (0.01, 3600), "sleep_budget_per_commit": (0, None),
    "sleep_budget_per_hour": (0, None), "log_max_bytes": (100, None),
    "batch_poll_seconds": (0.01, 86400),
}  # fmt: skip
_INT = re.compile(r"[+-]?\d[\d_]*")


def _kind(field: dataclasses.Field[Any]) -> type:
    if isinstance(field.type, type):
        return field.type
    return {"int": int, "float": float, "str": str}.get(str(field.type), str)


def _coerce(field: dataclasses.Field[Any], value: Any, source: str) -> Any:
    """value as the setting's type, from TOML (typed) or the environment (text); a bool, a
    fraction for a whole number, NaN or a value out of range is refused, never rounded."""
    kind = _kind(field)
    converted: Any = None
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        converted = value
    elif kind is int and isinstance(value, str) and _INT.fullmatch(value.strip()):
        converted = int(value.strip())
    elif kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        converted = float(value)
    elif kind is float and isinstance(value, str):
        with contextlib.suppress(ValueError):
            converted = float(value)
    elif kind is str and isinstance(value, str) and value.strip():
        converted = value.strip()
    low, high = LIMITS.get(field.name, (None, None))
    ok = converted is not None and (
        kind is str
        or (
            math.isfinite(converted)
            and (low is None or converted >= low)
            and (high is None or converted <= high)
        )
    )
    if not ok:
        raise SweAgentError(
            f"bad value {value!r} for {field.name} in {source}", f"give {_wanted(kind, low, high)}"
        )
    return converted


def _wanted(kind: type, low: float | None, high: float | None) -> str:
    words = {int: "a whole number", float: "a number", str: "a non-empty string"}[kind]
    if low is not None and high is not None:
        return f"{words} from {low:,} to {high:,}"
    return f"{words} of {low:,} or more" if low is not None else words


def _apply(settings: Settings, values: dict[str, Any], source: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    changes = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            raise SweAgentError(
                f"unknown setting {key!r} in {source}", f"known: {', '.join(known)}"
            )
        changes[name] = _coerce(known[name], value, source)
    return dataclasses.replace(settings, **changes)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SweAgentError(f"{path} is not valid TOML ({exc})", "fix or delete the file") from None
    except UnicodeDecodeError as exc:
        raise SweAgentError(f"{path} is not UTF-8 (byte {exc.start})", "save it as UTF-8") from None
    except OSError as exc:
        raise SweAgentError(
            f"cannot read {path} ({exc.strerror})", "check its permissions"
        ) from None


def load_settings(root: Path | None, environ: dict[str, str] | None = None) -> Settings:
    return settings_and_sources(root, environ)[0]


def settings_and_sources(
    root: Path | None, environ: dict[str, str] | None = None
) -> tuple[Settings, dict[str, str]]:
    """The settings in effect, and where each came from: "default", a config file, or $VARIABLE."""
    environ = dict(os.environ if environ is None else environ)
    settings = Settings()
    sources = {f.name: "default" for f in fields(Settings)}
    for path in (USER_CONFIG, root / ".swe_agent" / "config.toml" if root else None):
        if path and path.is_file():
            values = _read_toml(path)
            settings = _apply(settings, values, str(path))
            sources.update({key.replace("-", "_"): str(path) for key in values})
    for key, value in sorted(environ.items()):
        name = key[len(ENV_PREFIX) :].lower()
        if key.startswith(ENV_PREFIX) and name in sources:
            settings = _apply(settings, {name: value}, f"${key}")
            sources[name] = f"${key}"
    return settings, sources


def unknown_variables(environ: dict[str, str]) -> list[str]:
    """SWE_AGENT_* variables that name no setting (a typo is otherwise silently ignored)."""
    known = {f.name for f in fields(Settings)}
    return sorted(
        k for k in environ if k.startswith(ENV_PREFIX) and k[len(ENV_PREFIX) :].lower() not in known
    )


def override(settings: Settings, **flags: Any) -> Settings:
    """Apply command-line flags that were given (None means not given)."""
    return dataclasses.replace(settings, **{k: v for k, v in flags.items() if v is not None})
