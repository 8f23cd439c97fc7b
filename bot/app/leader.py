"""Leader election between replicas: one process at a time runs the singletons.

Feed polling and the escalation timers must run in exactly one replica (APScheduler's job store
must not be shared by several schedulers; two pollers would waste the read quota). Everything
else — webhook, Slack interactions, card posting, the outbox relay — runs in every replica and
is made safe by conditional updates and ``SKIP LOCKED``.

The leader is whoever holds a PostgreSQL **session advisory lock**, taken on a connection kept
open for that purpose. If the leader process dies (even ``kill -9``) its connection drops and
PostgreSQL releases the lock; another replica's next attempt, at most ``check_every`` seconds
later, takes it over. If the leader loses its connection (PostgreSQL restarted) it steps down at
once and competes again. SQLite is a single-process database: there the process is always leader.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

from bot.core.observability import IS_LEADER

log = logging.getLogger(__name__)

# Any 64-bit number that no other application on the database uses as an advisory lock key.
LOCK_KEY = 0x6D656E74696F6E  # "mention"


class Leadership:
    def __init__(self, engine: Engine, *, key: int = LOCK_KEY, check_every: float = 2.0,
                 on_elected: list[Callable[[], object]] | None = None,
                 on_demoted: list[Callable[[], object]] | None = None, name: str = "replica"):
        self.engine = engine
        self.key = key
        self.check_every = check_every
        self.on_elected = on_elected if on_elected is not None else []
        self.on_demoted = on_demoted if on_demoted is not None else []
        self.name = name
        self._conn: Connection | None = None
        self._leader = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._changes = threading.Condition()

    @property
    def is_leader(self) -> bool:
        return self._leader

    def start(self) -> None:
        if self.engine.dialect.name != "postgresql":
            self._elected()  # one process owns a SQLite file
            return
        self._thread = threading.Thread(target=self._run, name="leader-election", daemon=True)
        self._thread.start()

    def wait(self, leader: bool = True, timeout: float = 10.0) -> bool:
        """Block until this replica is (or is no longer) the leader; for tests and start-up."""
        with self._changes:
            return self._changes.wait_for(lambda: self._leader == leader, timeout)

    def stop(self) -> None:
        """Step down (graceful shutdown): stop the singletons, release the lock for the next leader."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.check_every + 5)
        if self._leader:
            self._demoted("shutting down")
        self._release()

    # --- the election loop -----------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._leader:
                    self._conn.execute(text("SELECT 1"))  # still holding the lock's connection?
                elif self._try_acquire():
                    self._elected()
            except Exception as exc:  # the lock's connection is gone: so is the lock
                if self._leader:
                    self._demoted(f"lost the database connection ({type(exc).__name__})")
                self._release()
            self._stop.wait(self.check_every)

    def _try_acquire(self) -> bool:
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
        return got

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not conn.closed:
                conn.execute(text("SELECT pg_advisory_unlock_all()"))
        except Exception:  # the connection is already broken; closing it releases the lock anyway
            pass
        try:
            conn.invalidate()  # never hand a connection that held the lock back to the pool
            conn.close()
        except Exception:
            pass

    def _elected(self) -> None:
        log.info("%s is the leader: starting feed polling and timers", self.name)
        self._set(True)
        for start in self.on_elected:
            try:
                start()
            except Exception:
                log.exception("leader start-up step %r failed", start)

    def _demoted(self, why: str) -> None:
        log.warning("%s is no longer the leader (%s): stopping feed polling and timers", self.name, why)
        for stop in self.on_demoted:
            try:
                stop()
            except Exception:
                log.exception("leader shut-down step %r failed", stop)
        self._set(False)

    def _set(self, leader: bool) -> None:
        IS_LEADER.set(1 if leader else 0)
        with self._changes:
            self._leader = leader
            self._changes.notify_all()
