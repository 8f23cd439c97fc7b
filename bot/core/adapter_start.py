"""Starting a team-platform adapter (Slack, Discord) without letting it take the server down.

``serve`` also carries the webhook (``/ingest``), the console and the relay: a Slack that is
unreachable at start-up, or a token it refuses, must not stop those. So each adapter is started
by an :class:`AdapterStarter`: one attempt at start-up, in line (a healthy platform comes up
before the first request, as before), and when that fails, attempts in the background with
exponential back-off (``first_delay`` × 2ⁿ, at most ``max_delay``) until one succeeds or the
server stops. The adapter's state (``starting``, ``up``, ``retrying`` with the reason and the
next attempt, ``stopped``) is shown by ``/readyz`` (and ``mentiondesk_adapter_up`` on /metrics) and written to ``adapter_status`` (one row per
replica and adapter) for ``mentiondesk status``. A failed write there (the database is down too)
is logged and never stops the attempts.

The reason shown is the adapter's own words (its ``connect`` raises with a message that names
the problem and holds no secret), else just the exception's type.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.core.observability import ADAPTER_UP
from storage.db import transaction
from storage.models import AdapterStatus

log = logging.getLogger(__name__)


class AdapterUnavailable(Exception):
    """An adapter could not start; the message names why, for operators (no secrets in it)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class AdapterStarter:
    def __init__(self, name: str, connect: Callable[[], object], *, replica: str,
                 sessions: sessionmaker[Session] | None = None, first_delay: float = 1.0, max_delay: float = 300.0):
        self.name = name
        self.connect = connect
        self.replica = replica
        self.sessions = sessions
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.state = "starting"
        self.detail: str | None = None
        self.attempts = 0
        self.next_attempt_at: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()

    @property
    def is_up(self) -> bool:
        return self.state == "up"

    def start(self) -> None:
        """Try once now; if that fails, keep trying in the background."""
        self._set("starting", None, None)
        if self._attempt():
            return
        self._thread = threading.Thread(target=self._retry, name=f"{self.name}-start", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        # The row outlives the process: say it is gone (keeping why it never came up, if so).
        self._set("stopped", self.detail, None)

    def wait_up(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.state == "up", timeout)

    def snapshot(self) -> dict[str, Any]:
        out: dict[str, Any] = {"state": self.state, "attempts": self.attempts}
        if self.detail:
            out["detail"] = self.detail
        if self.next_attempt_at is not None:
            out["next_attempt_at"] = self.next_attempt_at.isoformat()
        return out

    # --- the attempts ----------------------------------------------------------------------------

    def _retry(self) -> None:
        delay = self.first_delay
        while True:
            wait = (self.next_attempt_at - utcnow()).total_seconds() if self.next_attempt_at else delay
            if self._stop.wait(max(0.0, wait)):
                return
            delay = min(delay * 2, self.max_delay)
            if self._attempt(delay):
                return

    def _attempt(self, next_delay: float | None = None) -> bool:
        self.attempts += 1
        try:
            self.connect()
        except Exception as exc:  # noqa: BLE001 - whatever it is, the server stays up and tries again
            delay = min(next_delay or self.first_delay, self.max_delay)
            reason = str(exc) if isinstance(exc, AdapterUnavailable) else type(exc).__name__
            log.warning("%s adapter could not start (attempt %d): %s; next attempt in %.0f s", self.name,
                        self.attempts, reason, delay)
            self._set("retrying", reason, utcnow() + timedelta(seconds=delay))
            return False
        log.info("%s adapter is up (attempt %d)", self.name, self.attempts)
        self._set("up", None, None)
        return True

    def _set(self, state: str, detail: str | None, next_attempt_at: datetime | None) -> None:
        with self._changed:
            self.state, self.detail, self.next_attempt_at = state, detail, next_attempt_at
            self._changed.notify_all()
        ADAPTER_UP.labels(self.name).set(1 if state == "up" else 0)
        self._record()

    def _record(self) -> None:
        if self.sessions is None:
            return
        values = {"replica": self.replica[:200], "adapter": self.name, "state": self.state,
                  "detail": self.detail[:300] if self.detail else None, "attempts": self.attempts,
                  "next_attempt_at": self.next_attempt_at, "updated_at": utcnow()}
        try:
            with transaction(self.sessions) as session:
                insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
                stmt = insert(AdapterStatus).values(**values)
                session.execute(stmt.on_conflict_do_update(
                    index_elements=["replica", "adapter"],
                    set_={k: stmt.excluded[k] for k in values if k not in ("replica", "adapter")}))
        except Exception as exc:  # noqa: BLE001 - the database may be down as well: /readyz still knows
            log.warning("could not record the %s adapter's state (%s)", self.name, type(exc).__name__)
