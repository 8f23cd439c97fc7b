"""The outbox relay: pending → sending → sent / failed, exactly once across crashes.

Each entry is taken with a conditional UPDATE (``pending`` → ``sending``, committed *before* the
platform is called), so two workers never send the same entry. After the platform answers, the
result is recorded in a second transaction. A crash between the two leaves the entry in
``sending``: we cannot know whether the post went out, so :meth:`OutboxRelay.reconcile` asks the
platform (the sender's ``find_sent``) before sending again. That is what makes delivery
exactly-once rather than at-least-once.

Transient errors (5xx, 429, timeouts) put the entry back to ``pending`` with an exponential
back-off; permanent ones (deleted post, duplicate content, replies not allowed) and used-up
retries mark it ``failed`` with the reason, which the agent sees on the card.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.desk import actions
from bot.desk.actions import ActionResult
from bot.core.faults import fault_point
from bot.core.observability import PLATFORM_ERRORS
from storage.clock import utcnow
from storage.db import transaction
from storage.models import Case, Mention, OutboxEntry, OutboxKind, OutboxState, Visibility

log = logging.getLogger(__name__)

BASE_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(minutes=10)
# An entry longer than this in ``sending`` belongs to a worker that died: reconcile it.
SENDING_LEASE = timedelta(minutes=2)




@dataclass(frozen=True)
class OutboxJob:
    """What a sender needs to deliver one entry (a snapshot: no session crosses the network call)."""

    id: int
    case_id: int
    platform: str
    kind: OutboxKind
    visibility: Visibility
    text: str
    in_reply_to: str | None
    recipient_id: str | None
    conversation_id: str | None
    brand: str | None
    sending_since: datetime | None
    attempts: int
    # When the entry was queued: fixed for its whole life, so a sender can derive an idempotency
    # key from (id, created_at) that a replica or a restart computes the same (Bluesky's record key).
    created_at: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    external_id: str
    url: str | None = None


class SendError(Exception):
    """A send that did not happen. ``permanent`` ones are not retried; ``retry_at`` honours a 429 reset."""

    def __init__(self, reason: str, *, permanent: bool, retry_at: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_at = retry_at


class Sender(Protocol):
    platform: str

    def send(self, job: OutboxJob) -> Delivery: ...

    def find_sent(self, job: OutboxJob) -> Delivery | None:
        """The post this entry already made, if a crashed attempt did make it."""
        ...


class OutboxRelay:
    def __init__(self, sessions: sessionmaker[Session], senders: dict[str, Sender], *, max_attempts: int = 5,
                 clock: Callable[[], datetime] = utcnow,
                 listeners: list[Callable[[ActionResult], object]] | None = None,
                 base_backoff: timedelta = BASE_BACKOFF, sending_lease: timedelta = SENDING_LEASE):
        self.sessions = sessions
        self.sending_lease = sending_lease
        self.base_backoff = base_backoff
        self.senders = senders
        self.max_attempts = max_attempts
        self.clock = clock
        # Told about each recorded outcome (reply_sent, reply_failed, liked …): the team-platform
        # adapters refresh their cards from here.
        self.listeners = listeners if listeners is not None else []

    # --- one pass --------------------------------------------------------------------------------

    def run_once(self, *, limit: int = 50) -> list[ActionResult]:
        """Reconcile stale sends, then deliver up to ``limit`` due entries; returns the outcomes."""
        results = self.reconcile()
        for _ in range(limit):
            job = self._take()
            if job is None:
                break
            result = self._deliver(job)
            if result is not None:
                results.append(result)
        return results

    def reconcile(self, *, older_than: timedelta | None = None) -> list[ActionResult]:
        """Entries stuck in ``sending`` (their worker died mid-send): look on the platform first."""
        cutoff = self.clock() - (self.sending_lease if older_than is None else older_than)
        with self.sessions() as session:
            stale = list(session.scalars(select(OutboxEntry.id).where(
                OutboxEntry.state == OutboxState.SENDING, OutboxEntry.platform.in_(list(self.senders)),
                or_(OutboxEntry.sending_since.is_(None), OutboxEntry.sending_since <= cutoff))))
        results = []
        for outbox_id in stale:
            job = self._job(outbox_id)
            try:
                found = self.senders[job.platform].find_sent(job)
            except SendError as exc:
                log.warning("outbox %d: cannot check whether it was sent (%s); will look again", job.id, exc.reason)
                continue
            if found is not None:
                log.info("outbox %d was sent before a restart (%s): recorded, not sent again", job.id, found.external_id)
                results.append(self._record_sent(job, found))
            else:
                with transaction(self.sessions) as session:
                    session.execute(update(OutboxEntry).where(OutboxEntry.id == job.id,
                                                              OutboxEntry.state == OutboxState.SENDING)
                                    .values(state=OutboxState.PENDING, sending_since=None, updated_at=self.clock()))
                log.info("outbox %d was not sent before a restart: queued again", job.id)
        return [r for r in results if r is not None]

    # --- the state machine -----------------------------------------------------------------------

    def _take(self) -> OutboxJob | None:
        """Move one due ``pending`` entry to ``sending`` (committed before any network call)."""
        now = self.clock()
        with transaction(self.sessions) as session:
            query = (select(OutboxEntry.id)
                     .where(OutboxEntry.state == OutboxState.PENDING, OutboxEntry.platform.in_(list(self.senders)),
                            or_(OutboxEntry.next_attempt_at.is_(None), OutboxEntry.next_attempt_at <= now))
                     .order_by(OutboxEntry.created_at, OutboxEntry.id).limit(1))
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)  # replicas take different entries
            outbox_id = session.scalar(query)
            if outbox_id is None:
                return None
            taken = session.execute(update(OutboxEntry)
                                    .where(OutboxEntry.id == outbox_id, OutboxEntry.state == OutboxState.PENDING)
                                    .values(state=OutboxState.SENDING, sending_since=now, updated_at=now,
                                            attempts=OutboxEntry.attempts + 1)
                                    .execution_options(synchronize_session=False)).rowcount
            if taken != 1:
                return None
        return self._job(outbox_id)

    def _job(self, outbox_id: int) -> OutboxJob:
        with self.sessions() as session:
            entry = session.get(OutboxEntry, outbox_id)
            case = session.get(Case, entry.case_id)
            recipient = entry.recipient_id
            if recipient is None and entry.visibility == Visibility.PRIVATE:
                recipient = session.scalar(select(Mention.author_id).where(Mention.case_id == entry.case_id)
                                           .order_by(Mention.created_at.desc()).limit(1))
            return OutboxJob(entry.id, entry.case_id, entry.platform, entry.kind, entry.visibility, entry.text,
                             entry.in_reply_to, recipient, case.conversation_id if case else None,
                             case.brand if case else None, entry.sending_since, entry.attempts, entry.created_at)

    def _deliver(self, job: OutboxJob) -> ActionResult | None:
        try:
            delivery = self.senders[job.platform].send(job)
        except SendError as exc:
            return self._send_failed(job, exc)
        fault_point("reply_sent")  # the platform has the reply; our record of it is not written yet
        return self._record_sent(job, delivery)

    def _record_sent(self, job: OutboxJob, delivery: Delivery) -> ActionResult | None:
        with transaction(self.sessions) as session:
            result = actions.mark_reply_sent(session, job.id, external_id=delivery.external_id, url=delivery.url,
                                             now=self.clock())
        return self._announce(result)

    def _send_failed(self, job: OutboxJob, exc: SendError) -> ActionResult | None:
        PLATFORM_ERRORS.labels(job.platform, "permanent" if exc.permanent else "transient").inc()
        now = self.clock()
        if exc.permanent or job.attempts >= self.max_attempts:
            reason = exc.reason if exc.permanent else f"gave up after {job.attempts} attempts: {exc.reason}"
            log.warning("outbox %d failed: %s", job.id, reason)
            with transaction(self.sessions) as session:
                result = actions.mark_reply_failed(session, job.id, reason=reason, now=now)
            return self._announce(result)
        retry_at = exc.retry_at or now + min(self.base_backoff * 2 ** (job.attempts - 1), MAX_BACKOFF)
        log.info("outbox %d: %s; retrying at %s", job.id, exc.reason, retry_at.isoformat(timespec="seconds"))
        with transaction(self.sessions) as session:
            session.execute(update(OutboxEntry).where(OutboxEntry.id == job.id, OutboxEntry.state == OutboxState.SENDING)
                            .values(state=OutboxState.PENDING, sending_since=None, next_attempt_at=retry_at,
                                    last_error=exc.reason[:200], updated_at=now))
        return None

    def _announce(self, result: ActionResult) -> ActionResult:
        if result.ok:
            for listener in self.listeners:
                try:
                    listener(result)
                except Exception:
                    log.exception("relay listener %r failed", listener)
        return result


class RelayWorker:
    """Runs the relay in a background thread: woken at once when a reply is queued or approved,
    and every ``poll_every`` seconds for retries and stale sends."""

    def __init__(self, relay: OutboxRelay, *, poll_every: float = 5.0, startup_lease: timedelta | None = None):
        self.relay = relay
        self.startup_lease = startup_lease
        self.poll_every = poll_every
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()

    def start(self) -> None:
        # Start-up: on SQLite (one process) anything left in ``sending`` is from a process that is
        # gone. On PostgreSQL another replica may be sending right now, so only entries older than
        # the lease (far longer than an X request may take, see xapi's timeout) are reconciled.
        lease = self.startup_lease
        if lease is None:
            lease = timedelta(0) if self.relay.sessions.kw["bind"].dialect.name == "sqlite" else self.relay.sending_lease
        try:
            self.relay.reconcile(older_than=lease)
        except Exception:
            log.exception("outbox reconcile at start-up failed; the worker retries it")
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()

    def wake(self, *_: object) -> None:
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float = 10) -> bool:
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.relay.run_once()
            except Exception:  # a bug or a database outage: log it, try again on the next round
                log.exception("outbox relay round failed")
            if not self._wake.is_set():
                self._idle.set()
            self._wake.wait(self.poll_every)
