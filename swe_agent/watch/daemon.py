"""The daemon's work: it owns the store while it runs, indexes and sleeps as the repository
changes, and answers the CLI's requests (its process, socket and pid file: watch/server.py).

One lock guards the store's writes. Reads (agent.reads.all_reads()) skip it: each runs on a cursor of its
own and sees the last committed state. Other requests from the CLI (over the Unix socket) take
the lock before background work does: sleep-time analysis checks `should_yield` between files
and stops when a request waits, and the next flush goes on where it stopped. Writes are short transactions,
so a kill -9 at any moment leaves every committed note intact; on start it catches up with
whatever happened while it was down.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from swe_agent.agent.reads import Reader, all_reads
from swe_agent.config import Settings
from swe_agent.errors import SweAgentError
from swe_agent.repo.gitrepo import GitRepo
from swe_agent.store.db import Store, open_store
from swe_agent.store.salvage import check_readable
from swe_agent.watch.events import Debouncer, classify

if TYPE_CHECKING:
    from swe_agent.agent.request import AskRequest
    from swe_agent.index import IndexReport
    from swe_agent.llm.base import Model
    from swe_agent.llm.batches import ClaudeBatches

log = logging.getLogger("swe_agent.daemon")
HOUR = 3600.0


class Daemon:
    def __init__(self, repo: GitRepo, settings: Settings, environ: dict[str, str]) -> None:
        self.repo, self.root, self.settings, self.environ = repo, repo.root, settings, environ
        self.store = open_store(self.root, create=True)
        try:
            check_readable(self.store)
        except SweAgentError:
            self.store.close()
            raise
        self.lock = threading.Lock()
        self.waiting = 0
        self.stopping = threading.Event()
        self.debouncer = Debouncer(
            settings.debounce_seconds, settings.max_delay_seconds, time.monotonic
        )
        self.events_lock = threading.Lock()
        self.spent: list[tuple[float, int]] = []  # (when, sleep tokens) within the last hour
        self.resume = False  # sleep-time work yielded to a request and goes on when none waits
        self.reader = Reader(self.root)  # holds the search index, loaded after every index
        self.started = time.time()
        self.activity = "starting"
        self.head: str | None = None  # the last commit the index was brought to
        self.next_poll = 0.0  # when open sleep-time batches are next asked about (monotonic)

    def state(self) -> dict[str, Any]:
        """What `daemon status` shows; answered without waiting for the work in hand."""
        return {
            "pid": os.getpid(),
            "root": str(self.root),
            "started_at": self.started,
            "uptime_seconds": round(time.time() - self.started, 1),
            "head": self.head,
            "activity": self.activity,
        }

    @contextmanager
    def _doing(self, what: str) -> Iterator[None]:
        before, self.activity = self.activity, what
        try:
            yield
        finally:
            self.activity = before

    # -- requests ------------------------------------------------------------------------------
    def handle(self, op: str, args: dict[str, Any]) -> Any:
        if op == "ping":
            return self.state()
        if op in all_reads():
            return self._read(op, args)
        self.waiting += 1
        with self.lock, self._doing(f"serving {op}"):
            self.waiting -= 1
            if op == "ask":
                from swe_agent.agent.request import AskRequest

                return self._ask(AskRequest.from_json(args))
            if op == "sleep":
                return self._sleep(
                    args.get("budget"),
                    args.get("level", self.settings.sleep_level),
                    args.get("dry_run", False),
                    model=args.get("model"),
                    batch=bool(args.get("batch")),
                )
            if op == "index":
                return self._index(rebuild=bool(args.get("rebuild"))).as_dict()
            if op == "stop":
                self.stopping.set()
                return {"stopping": True}
        raise SweAgentError(
            f"the daemon does not know {op!r}",
            "upgrade the daemon: `swe-agent daemon stop` then start",
        )

    def _read(self, op: str, args: dict[str, Any]) -> Any:
        """A read on a cursor of its own, outside the lock: it sees the last committed state
        and never waits for indexing or sleep-time work (DuckDB's MVCC keeps it consistent)."""
        reader = Store(self.store.con.cursor(), self.store.path, read_only=True)
        try:
            return self.reader.run(reader, op, args)
        finally:
            reader.close()

    def _ask(self, request: AskRequest) -> dict[str, Any]:
        """Answer on a connection of this thread's own, letting go of the lock around each model
        call: other requests and background work use the store while the model thinks."""
        from swe_agent.agent.answering import answer, session_for
        from swe_agent.llm.factory import open_model
        from swe_agent.store.calls import StoreRecorder

        store = self.store.cursor()
        try:
            request = session_for(store, request)
            with open_model(
                "foreground",
                self.settings,
                self.environ,
                recorder=StoreRecorder(store),
                session_id=request.session_id,
                offline=request.offline,
                name=request.model,
            ) as model:
                return answer(
                    request, store, self.repo, self.settings, model, pause=self._unlocked
                ).to_json()
        finally:
            store.close()

    @contextmanager
    def _unlocked(self) -> Iterator[None]:
        """Inside a request: the lock is free for the block, then taken again (before
        background work, which gives way to a waiting request)."""
        self.lock.release()
        try:
            yield
        finally:
            self.waiting += 1
            self.lock.acquire()
            self.waiting -= 1

    # -- background work -----------------------------------------------------------------------
    def on_event(self, relative: str) -> None:
        change = classify(relative)
        if change is not None:
            with self.events_lock:
                self.debouncer.add(change)

    def tick(self) -> None:
        """Flush due events: index what changed; sleep when HEAD or a branch moved, or when
        sleep-time work that yielded to a request can go on; every batch_poll_seconds, collect
        the sleep-time batches that have ended."""
        if time.monotonic() >= self.next_poll:
            self.next_poll = time.monotonic() + self.settings.batch_poll_seconds
            self._collect()
        with self.events_lock:
            if not self.debouncer.due():
                if self.resume and self.waiting == 0 and self.debouncer.first is None:
                    self._background_sleep()
                return
            files, refs = self.debouncer.take()
        with self.lock:
            before = self.store.meta("indexed_head")
            report = self._index()
            moved = bool(refs) and report.head != before
            if report.touched or moved:
                log.info(
                    "indexed %d changed files (head %s)",
                    len(report.touched),
                    (report.head or "")[:10],
                )
        if moved:
            self._background_sleep()

    def catch_up(self) -> None:
        with self.lock:
            report = self._index()
            log.info("caught up: %d files changed while the daemon was down", len(report.touched))
        self._background_sleep()

    def _collect(self) -> list[dict[str, Any]]:
        """Poll the open sleep-time batches (none without a key); log what each one became."""
        from swe_agent.llm.factory import open_batches
        from swe_agent.sleep.batched import collect, describe
        from swe_agent.store.batches import unfinished

        with self.lock:
            if not unfinished(self.store):
                return []
            with open_batches(self.settings, self.environ) as api, self._doing("collecting"):
                if api is None:
                    return []
                try:
                    collected = collect(api, self.store)
                except SweAgentError as exc:
                    log.warning("sleep-time batches: %s; trying again in %g s", exc,
                                self.settings.batch_poll_seconds)  # fmt: skip
                    return []
        done = [c.as_dict() for c in collected]
        for c in done:
            if c["state"] != "in_progress":
                log.info("sleep-time %s", describe(c))
        return done

    def _index(self, rebuild: bool = False) -> IndexReport:
        """Index what changed, then load the reads' search index again if the code changed (or
        was never loaded): the first search after a commit does not pay for it."""
        from swe_agent.index import Indexer, index_repository, rebuild_index

        indexer: Indexer = rebuild_index if rebuild else index_repository
        with self._doing("rebuilding the index" if rebuild else "indexing"):
            report = indexer(
                self.repo, self.store, max_bytes=self.settings.max_file_bytes, workers=1
            )
        self.head = report.head
        if report.touched or rebuild or not self.reader.loaded:
            self.reader.load(self.store)
        return report

    def _background_sleep(self) -> None:
        now = time.monotonic()
        self.spent = [(t, n) for t, n in self.spent if now - t < HOUR]
        if self.settings.sleep_level <= 0:
            return
        with self.lock:
            result = self._sleep(None, self.settings.sleep_level, False, yielding=True, batch=True)
        sent = result.get("batch")
        if result.get("mode", "offline") != "offline":  # the hourly cap is on model tokens
            self.spent.append((now, sent["estimated_tokens"] if sent else result["tokens_spent"]))
        self.resume = result["yielded"]
        log.info(
            "sleep-time: %d notes, %d tokens%s",
            result["notes_written"],
            result["tokens_spent"],
            " (yielded to a request)" if result["yielded"] else "",
        )
        if sent and (sent["id"] or sent["error"]):
            from swe_agent.sleep.batched import submitted

            log.info("sleep-time %s", submitted(sent))

    def _sleep(
        self,
        budget: int | None,
        level: int,
        dry_run: bool,
        yielding: bool = False,
        model: str | None = None,
        batch: bool = False,
    ) -> dict[str, Any]:
        """A sleep run: with `budget` None, the run's own budget (per commit when it is the
        daemon's background sleep, within the hour's model tokens left); `model` names one
        other than settings.sleep_model; with `batch` and a key, the model's requests go out as
        one Message Batch, collected by a later tick."""
        from swe_agent.llm.factory import open_batches, open_model
        from swe_agent.store.calls import StoreRecorder

        if batch and not dry_run:
            with open_batches(self.settings, self.environ, name=model) as api:
                if api is not None:
                    return self._sleep_in_batch(api, budget, level, yielding)
        with open_model(
            "sleep", self.settings, self.environ, recorder=StoreRecorder(self.store), name=model
        ) as thinker:
            return self._sleep_with(thinker, budget, level, dry_run, yielding)

    def _budget(self, model: object | None, budget: int | None, yielding: bool) -> int:
        """The run's budget: `budget`, or the settings' (per commit for background sleep,
        within the hour's model tokens left)."""
        if budget is not None:
            return budget
        budget = self.settings.sleep_budget_for(model, per_commit=yielding)
        if model is not None and yielding:  # background sleep: the hour's model tokens left
            budget = min(
                budget, self.settings.sleep_budget_per_hour - sum(n for _, n in self.spent)
            )
        return budget

    def _sleep_in_batch(
        self, api: ClaudeBatches, budget: int | None, level: int, yielding: bool
    ) -> dict[str, Any]:
        from swe_agent.sleep.batched import sleep_in_batch

        budget = self._budget(api, budget, yielding)
        if budget <= 0:
            return {"notes_written": 0, "tokens_spent": 0, "yielded": False,
                    "mode": f"claude batch ({api.name})", "batch": None}  # fmt: skip
        with self._doing("sleep-time analysis"):
            return sleep_in_batch(
                self.repo, self.store, api, budget=budget, level=level,
                should_yield=self._should_yield if yielding else None,
            )  # fmt: skip

    def _sleep_with(
        self, model: Model | None, budget: int | None, level: int, dry_run: bool, yielding: bool
    ) -> dict[str, Any]:
        from swe_agent.sleep import run_sleep

        asked, budget = budget, self._budget(model, budget, yielding)
        if asked is None and model is not None and yielding and budget <= 0:
            return {
                "notes_written": 0,
                "tokens_spent": 0,
                "yielded": False,
                "mode": f"claude ({model.name})",
            }
        with self._doing("sleep-time analysis"):
            report = run_sleep(
                self.repo,
                self.store,
                model=model,
                budget=budget,
                level=level,
                dry_run=dry_run,
                should_yield=self._should_yield if yielding else None,
            )
        return report.as_dict()

    def _should_yield(self) -> bool:
        """Sleep-time work gives way to a waiting request, to new changes, and to a stop."""
        return self.waiting > 0 or self.debouncer.first is not None or self.stopping.is_set()

    def close(self) -> None:
        with self.lock:
            self.store.close()
