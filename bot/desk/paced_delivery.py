"""Card delivery at the channel's pace: a channel's due cards planned together, the backlog in a digest.

:class:`~bot.desk.delivery.CardDelivery` posts one case at a time; this adds the per-channel
flush of :mod:`bot.desk.card_pace` for a platform whose channel also implements
:class:`~bot.desk.card_pace.DigestChannel`. Guarantees are the card machine's: every row is
leased before the platform is called and recorded after, a failure gives it back (retried about a
second later, not after the card backoff: a rate limit is the usual cause), a poster that died
mid-call leaves rows whose lease runs out and the next poster looks on the platform first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.desk import card_pace
from bot.desk.card_pace import ChannelPlan, Pace
from bot.desk.case_view import load_card
from bot.desk.delivery import CardDelivery, DeliveryFailed
from storage import queries
from storage.db import transaction
from storage.models import CardState, Case, CaseMessage, Team

import logging

log = logging.getLogger(__name__)

#: A digest that could not go out (rate limit, outage) is tried again this much later.
DIGEST_RETRY = timedelta(seconds=1)


class PacedDelivery(CardDelivery):
    """``CardDelivery`` plus :meth:`flush_channel`; ``self.channel`` must implement DigestChannel."""

    def __init__(self, *args, pace: Pace | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pace = pace or Pace()
        self._channel_locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._digest_updated: dict[str, float] = {}  # digest message id -> monotonic time of our last update

    # --- reserving rows -------------------------------------------------------------------------

    def reserve_many(self, case_ids: Iterable[int]) -> set[str]:
        """Step 1 for many cases in one transaction; the channels that got new rows."""
        ids = sorted(set(case_ids))
        if not ids:
            return set()
        with transaction(self.sessions) as session:
            rows = session.execute(select(Case.id, self.channel.team_channel).join(Team, Team.name == Case.team)
                                   .where(Case.id.in_(ids), self.channel.team_channel.is_not(None))).all()
            if not rows:
                return set()
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            session.execute(dialect.insert(CaseMessage).values(
                [{"case_id": case_id, "platform": self.platform, "channel": channel, "state": CardState.PENDING,
                  "attempts": 0} for case_id, channel in rows])
                .on_conflict_do_nothing(index_elements=["case_id", "platform", "channel"]))
        return {channel for _, channel in rows}

    def reserve_missing(self, *, within: timedelta = timedelta(hours=24), limit: int = 500) -> set[str]:
        """Rows for open cases that have none yet (stored by another process, or a crash before step 1)."""
        return self.reserve_many(self.missing(within, limit))

    # --- flushing a channel ---------------------------------------------------------------------

    def channels_due(self) -> list[str]:
        """Channels with cards waiting to be posted now."""
        now = self.clock()
        with self.sessions() as session:
            return list(session.scalars(select(CaseMessage.channel).where(
                CaseMessage.platform == self.platform, CaseMessage.state == CardState.PENDING,
                (CaseMessage.next_attempt_at.is_(None)) | (CaseMessage.next_attempt_at <= now)).distinct()))

    def recover_expired(self) -> int:
        """Rows whose poster died mid-post (lease run out): one at a time, looking on the platform first."""
        now = self.clock()
        with self.sessions() as session:
            rows = session.execute(select(CaseMessage.case_id, CaseMessage.channel).where(
                CaseMessage.platform == self.platform, CaseMessage.state == CardState.POSTING,
                CaseMessage.lease_until < now).order_by(CaseMessage.id).limit(200)).all()
        return sum(1 for case_id, channel in rows if self.deliver(case_id, channel))

    def _channel_lock(self, channel: str) -> threading.Lock:
        with self._locks_guard:
            return self._channel_locks.setdefault(channel, threading.Lock())

    def _may_update(self, digest_id: str) -> bool:
        last = self._digest_updated.get(digest_id)
        return last is None or time.monotonic() - last >= self.pace.update_every

    def flush_channel(self, channel: str) -> ChannelPlan:
        """Plan the channel's due cards (one short transaction), then post them; what was done."""
        with self._channel_lock(channel):
            with transaction(self.sessions) as session:
                plan = card_pace.plan_channel(session, self.platform, channel, pace=self.pace, now=self.clock(),
                                              lease=self.lease, may_update=self._may_update)
            for case_id in plan.own:
                with self.lock(case_id):
                    with self.sessions() as session:
                        view = load_card(session, case_id)
                    if view is None:
                        self._give_back_many(channel, [case_id], "case gone", DIGEST_RETRY)
                        continue
                    self._post_view(case_id, channel, view)
            if plan.new_digest:
                self._post_digest(channel, plan.new_digest)
            if plan.join_digest and plan.digest_id:
                self._join_digest(channel, plan.digest_id, plan.join_digest)
        return plan

    def _post_digest(self, channel: str, case_ids: list[int]) -> str | None:
        with self.sessions() as session:
            digest = card_pace.DigestView(channel, card_pace.digest_items(session, case_ids))
        try:
            ts = self.channel.post_digest(channel, digest)
        except DeliveryFailed as exc:
            self._give_back_many(channel, case_ids, exc.error, DIGEST_RETRY)
            return None
        except BaseException as exc:
            self._give_back_many(channel, case_ids, type(exc).__name__, DIGEST_RETRY)
            raise
        self._record_digest(channel, card_pace.DIGEST + ts, case_ids, card_pace.POSTING_DIGEST, first=True)
        self._digest_updated[card_pace.DIGEST + ts] = time.monotonic()
        log.info("posted a digest of %d cases to %s %s (%s)", len(case_ids), self.platform, channel, ts)
        return ts

    def _join_digest(self, channel: str, digest_id: str, case_ids: list[int]) -> None:
        with self.sessions() as session:
            digest = card_pace.load_digest(session, self.platform, channel, digest_id)
        try:
            self.channel.update_digest(channel, digest_id[len(card_pace.DIGEST):], digest)
        except DeliveryFailed as exc:
            self._give_back_many(channel, case_ids, exc.error, DIGEST_RETRY)
            return
        except BaseException as exc:
            self._give_back_many(channel, case_ids, type(exc).__name__, DIGEST_RETRY)
            raise
        self._digest_updated[digest_id] = time.monotonic()
        self._record_digest(channel, digest_id, case_ids, digest_id, first=False)

    def _record_digest(self, channel: str, digest_id: str, case_ids: list[int], leased_as: str, *,
                       first: bool) -> None:
        now = self.clock()
        with transaction(self.sessions) as session:
            values = {"state": CardState.POSTED, "message_id": digest_id, "lease_until": None, "last_error": None}
            if first:
                values["posted_at"] = now
            session.execute(update(CaseMessage).where(
                CaseMessage.platform == self.platform, CaseMessage.channel == channel,
                CaseMessage.case_id.in_(case_ids), CaseMessage.state == CardState.POSTING,
                CaseMessage.message_id == leased_as).values(**values).execution_options(synchronize_session=False))
            for case_id in case_ids:
                queries.add_event(session, case_id, "posted", actor=self.platform, source=self.platform,
                                  payload={"channel": channel, "digest": digest_id[len(card_pace.DIGEST):]})

    def _give_back_many(self, channel: str, case_ids: list[int], error: str, delay: timedelta) -> None:
        with transaction(self.sessions) as session:
            session.execute(update(CaseMessage).where(
                CaseMessage.platform == self.platform, CaseMessage.channel == channel,
                CaseMessage.case_id.in_(case_ids), CaseMessage.state == CardState.POSTING)
                .values(state=CardState.PENDING, lease_until=None, message_id=None, posted_at=None,
                        last_error=error[:200], next_attempt_at=self.clock() + delay)
                .execution_options(synchronize_session=False))
        log.warning("could not show %d case(s) in %s %s (%s); trying again shortly", len(case_ids), self.platform,
                    channel, error)

    # --- a case's own card, opened from a digest --------------------------------------------------

    def open_from_digest(self, case_id: int, channel: str) -> str | None:
        """Give a case shown in a digest its own card, in the digest's thread; its message id.

        Exactly once: the row moves from ``digest:<ts>`` to ``digest-open:<ts>`` with a
        conditional update before posting; a second press (here or in another replica) finds it
        taken and does nothing. A failed post puts the row back."""
        with self.lock(case_id):
            with transaction(self.sessions) as session:
                row = session.execute(select(CaseMessage.message_id).where(
                    CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                    CaseMessage.channel == channel, CaseMessage.state == CardState.POSTED)).first()
                if row is None or not (row.message_id or "").startswith(card_pace.DIGEST):
                    return None  # not in a digest (it has its own card already), or being opened
                digest_id = row.message_id
                taken = session.execute(update(CaseMessage).where(and_(
                    CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                    CaseMessage.channel == channel, CaseMessage.message_id == digest_id))
                    .values(message_id=card_pace.OPENING + digest_id[len(card_pace.DIGEST):])
                    .execution_options(synchronize_session=False)).rowcount == 1
                view = load_card(session, case_id) if taken else None
            if view is None:
                return None
            thread = digest_id[len(card_pace.DIGEST):]
            try:
                message_id = self.channel.post_in_thread(channel, thread, view)
            except DeliveryFailed as exc:
                with transaction(self.sessions) as session:
                    session.execute(update(CaseMessage).where(
                        CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                        CaseMessage.channel == channel).values(message_id=digest_id))
                log.warning("could not open the card of case %d from its digest: %s", case_id, exc.error)
                return None
            with transaction(self.sessions) as session:
                session.execute(update(CaseMessage).where(
                    CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                    CaseMessage.channel == channel).values(message_id=str(message_id)))
                queries.add_event(session, case_id, "posted", actor=self.platform, source=self.platform,
                                  payload={"channel": channel, "message_id": str(message_id), "thread": thread})
            return str(message_id)
