"""Retention in the running service: the leader replica erases what ``retention.days`` let expire.

One replica at a time (started when elected, stopped when demoted, like the feed poller), every
``retention.check_every_minutes``; each batch of cases is one transaction (bot/privacy/erase.py),
so a crash or a demotion mid-run leaves every case either erased whole or untouched, and the next
run carries on. ``mentiondesk customer retention`` runs the same thing once, by hand.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from bot.privacy.erase import Erased, erase_expired
from storage.db import transaction

log = logging.getLogger(__name__)
BATCH = 500


def run_retention(sessions: sessionmaker[Session], *, days: int, now: datetime, batch: int = BATCH) -> Erased:
    """Erase everything expired, a batch of cases per transaction, until none is left."""
    total = Erased()
    while True:
        with transaction(sessions) as session:
            done = erase_expired(session, days=days, now=now, limit=batch)
        total.add(done)
        if done.cases < batch and done.customers < batch:
            return total


class RetentionWorker:
    def __init__(self, sessions: sessionmaker[Session], *, days: int, every_seconds: float,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.sessions, self.days, self.every_seconds, self.clock = sessions, days, every_seconds, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> Erased:
        done = run_retention(self.sessions, days=self.days, now=self.clock())
        if done.cases or done.mentions or done.customers:
            log.info("retention (%d days): erased %s", self.days, done.as_dict())
        return done

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a failed run is retried on the next tick, never kills the worker
                log.exception("retention run failed; trying again in %.0f s", self.every_seconds)
            self._stop.wait(self.every_seconds)
