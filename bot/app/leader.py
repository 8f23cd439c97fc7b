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

Every leader query is bounded, twice. On the server, the lock's connection has a
``statement_timeout``. On the client, each query runs under a watchdog (``confirm_timeout``): on a
half-open connection (a network partition, a dead NAT entry) a query can block for as long as the
kernel keeps the socket, while PostgreSQL may already have freed the lock for another replica.
So a leader that has not *confirmed* it still holds the lock (a ``pg_locks`` row of its own
backend, not merely a live connection) within ``confirm_timeout`` steps down at once and competes
again on a new connection; the stuck one is abandoned. Leader work therefore never runs longer than
``check_every + confirm_timeout`` past the last confirmation. The engine's TCP keep-alives and
connect timeout (storage/db.py) make the kernel give up on a dead peer too.
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


# Is the lock ours? The advisory lock of a bigint key shows up in pg_locks split in two halves.
_CONFIRM = text("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND objsubid = 1 "
                "AND ((classid::bigint << 32) | objid::bigint) = :key)")


class LockUnconfirmed(Exception):
    """The leader could not show, in time, that it still holds the lock."""


def bounded(work: Callable[[], object], timeout: float, what: str) -> object:
    """Run ``work`` but wait for it at most ``timeout`` seconds.

    A query blocked on a half-open socket cannot be interrupted from Python, so it runs in a
    daemon thread of its own that is simply abandoned when it overruns."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"leader-{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise LockUnconfirmed(f"{what} took longer than {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


class Leadership:
    def __init__(self, engine: Engine, *, key: int = LOCK_KEY, check_every: float = 2.0,
                 confirm_timeout: float = 5.0,
                 on_elected: list[Callable[[], object]] | None = None,
                 on_demoted: list[Callable[[], object]] | None = None, name: str = "replica"):
        self.engine = engine
        self.key = key
        self.check_every = check_every
        self.confirm_timeout = confirm_timeout
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
            self._thread.join(self.check_every + 3 * self.confirm_timeout + 1)
        if self._leader:
            self._demoted("shutting down")
        self._release()

    # --- the election loop -----------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._leader:
                    self._confirm()
                elif self._try_acquire():
                    self._elected()
            except LockUnconfirmed as exc:  # a hung query: the lock may be someone else's by now
                if self._leader:
                    self._demoted(f"cannot confirm its lock: {exc}")
                self._abandon()
            except Exception as exc:  # the lock's connection is gone: so is the lock
                if self._leader:
                    self._demoted(f"lost the database connection ({type(exc).__name__})")
                self._release()
            self._stop.wait(self.check_every)

    def _confirm(self) -> None:
        conn = self._conn
        held = bounded(lambda: conn.execute(_CONFIRM, {"key": self.key}).scalar(), self.confirm_timeout,
                       "confirming the lock")
        if not held:
            raise LockUnconfirmed("the lock is no longer held by this connection")

    def _try_acquire(self) -> bool:
        conn = self._conn
        if conn is None:
            conn = bounded(self._connect, self.confirm_timeout * 2, "connecting")
            self._conn = conn  # only once it answered: a connection abandoned mid-connect never is
        return bool(bounded(lambda: conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                                 {"key": self.key}).scalar(),
                            self.confirm_timeout, "taking the lock"))

    def _connect(self) -> Connection:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        # The server-side bound on every leader query; the watchdog (bounded) is the client-side one.
        conn.execute(text("SELECT set_config('statement_timeout', :ms, false)"),
                     {"ms": str(int(self.confirm_timeout * 1000))})
        return conn

    def _abandon(self) -> None:
        """Forget a connection stuck in a query; closing it would wait for that query, so a daemon
        thread does it. If the lock is still on it, PostgreSQL frees it when the socket dies."""
        conn, self._conn = self._conn, None
        if conn is not None:
            # invalidate() closes the socket without a round trip (no unlock query that would queue
            # behind the stuck one); the blocked query then fails and its thread ends.
            threading.Thread(target=conn.invalidate, name="leader-abandon", daemon=True).start()

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        self._close(conn)

    @staticmethod
    def _close(conn: Connection | None) -> None:
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
