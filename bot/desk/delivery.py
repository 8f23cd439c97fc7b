"""Deliver each case's card to its team's channel exactly once, keep it current, retry what failed.

One machine for every team platform (Slack, Discord, and any later one): the platform only
implements :class:`CardChannel` (post, update, find, say in thread) and this module runs the
protocol on the shared ``case_message`` table, one row per case + platform + channel.

Posting protocol (safe with several replicas and across restarts):

1. **reserve**: insert the row as *pending* (unique per case + platform + channel, so a second
   poster, a retried webhook or a restart finds it there and stops);
2. **lease**: a conditional UPDATE moves it to *posting* with a lease; only one poster wins;
3. if the row was *posting* under a lease that ran out, the poster before us died mid-post: ask
   the channel to **find** the card (by its metadata) before posting, so a channel never shows a
   case twice;
4. **post**; a :class:`DeliveryFailed` (the platform's retries exhausted) gives the row back as
   *pending* with a later ``next_attempt_at`` (exponential backoff), and :meth:`retry_pending`
   posts it later: a card is delayed, never lost;
5. **record** the message id (*posted*) with a ``posted`` event, then re-render if someone acted
   on the case meanwhile, and hand an escalated case over in the new card's thread.

Posting and refreshing take the case's lock (striped: a fixed number of locks), so a press
handled while its card is being posted refreshes after the card is recorded and its thread line
is never lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from bot.core.faults import fault_point
from bot.desk import card_pace
from bot.desk.case_view import CardView, load_card
from bot.desk.handoff import Handoff, latest_handoff
from storage import queries
from storage.clock import utcnow
from storage.db import transaction
from storage.models import OPEN_STATES, CardState, Case, CaseMessage, Team

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The platform refused or could not take a call, after its own retries; ``error`` is short."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


class CardChannel(Protocol):
    """What a team platform implements so the machine can deliver cards there."""

    #: ``case_message.platform`` and the ``actor``/``source`` of the ``posted`` event.
    platform: str
    #: The ``Team`` column naming this platform's channel for a team.
    team_channel: InstrumentedAttribute

    def post(self, channel: str, view: CardView) -> str:
        """Post the card; the platform's message id. Raises :class:`DeliveryFailed`."""

    def update(self, channel: str, message_id: str, view: CardView) -> None:
        """Re-render a posted card in place (failures are logged, not raised: the next event re-renders)."""

    def find(self, channel: str, case_id: int, since: datetime) -> str | None:
        """The message id of this case's card in ``channel`` if it is there already (after a crash)."""

    def say(self, channel: str, message_id: str, text: str) -> None:
        """Say ``text`` (already safe for the platform) in the card's thread; failures are logged."""

    def rendered(self, view: CardView) -> Any:
        """A comparable rendering of the card: equal renderings need no update."""

    def status_line(self, view: CardView) -> str:
        """The thread line that tells what just happened to the case."""

    def card_recorded(self, channel: str, message_id: str, view: CardView) -> None:
        """Called once the card is recorded (Discord starts the card's thread here)."""

    def hand_over(self, channel: str, message_id: str, handoff: Handoff) -> None:
        """Post an escalation handoff (people pinged, reason, history) in the card's thread."""


class CardDelivery:
    """The posting protocol of the module docstring, for one :class:`CardChannel`."""

    def __init__(self, sessions: sessionmaker[Session], channel: CardChannel, *,
                 retry_delay: timedelta = timedelta(seconds=30), lease: timedelta = timedelta(seconds=60),
                 clock: Callable[[], datetime] = utcnow):
        self.sessions, self.channel = sessions, channel
        self.retry_delay, self.lease, self.clock = retry_delay, lease, clock
        self._case_locks = [threading.RLock() for _ in range(64)]

    @property
    def platform(self) -> str:
        return self.channel.platform

    def lock(self, case_id: int) -> threading.RLock:
        return self._case_locks[case_id % len(self._case_locks)]

    # --- posting ---------------------------------------------------------------------------------

    def post_case(self, case_id: int) -> str | None:
        """Post the case's card to its team channel unless it is already there; the message id or None."""
        channel = self.reserve(case_id)
        return self.deliver(case_id, channel) if channel else None

    def reserve(self, case_id: int) -> str | None:
        with transaction(self.sessions) as session:
            case = session.get(Case, case_id)
            if case is None or not case.team:
                return None
            channel = session.scalars(select(self.channel.team_channel).where(Team.name == case.team)).first()
            if channel:
                queries.reserve_case_message(session, case_id, self.platform, channel)
            return channel

    def retry_pending(self) -> int:
        """Post every card whose earlier attempt failed (or whose poster died); how many went out."""
        return sum(1 for case_id, channel in self.due() if self.deliver(case_id, channel))

    def due(self) -> list[tuple[int, str]]:
        now = self.clock()
        with self.sessions() as session:
            return [tuple(row) for row in session.execute(
                select(CaseMessage.case_id, CaseMessage.channel).where(
                    CaseMessage.platform == self.platform,
                    or_((CaseMessage.state == CardState.PENDING)
                        & or_(CaseMessage.next_attempt_at.is_(None), CaseMessage.next_attempt_at <= now),
                        (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now)),
                ).order_by(CaseMessage.id))]

    def post_missing(self, *, within: timedelta = timedelta(hours=24), limit: int = 100) -> int:
        """Post cards for open cases that have none in their team's channel yet.

        Covers cases stored without a notification reaching us: ingested by the CLI or another
        replica, a crash between commit and post. Only recent cases, so pointing a fresh install
        at an old database does not flood the channels.
        """
        return sum(1 for case_id in self.missing(within, limit) if self.post_case(case_id))

    def missing(self, within: timedelta, limit: int) -> list[int]:
        team_channel = self.channel.team_channel
        has_card = select(CaseMessage.id).where(CaseMessage.case_id == Case.id, CaseMessage.platform == self.platform,
                                                CaseMessage.channel == team_channel).exists()
        with self.sessions() as session:
            return list(session.scalars(
                select(Case.id).join(Team, Team.name == Case.team)
                .where(Case.state.in_(OPEN_STATES), Case.opened_at >= self.clock() - within,
                       team_channel.is_not(None), ~has_card)
                .order_by(Case.priority.desc()).limit(limit)))

    def deliver(self, case_id: int, channel: str) -> str | None:
        with self.lock(case_id):
            return self._deliver_locked(case_id, channel)

    def _deliver_locked(self, case_id: int, channel: str) -> str | None:
        leased = self.lease_row(case_id, channel)
        if leased is None:
            return None  # posted already, or another poster is on it
        view, prior_state, prior_created = leased
        if prior_state == CardState.POSTING:
            # The poster before us died mid-post (its lease ran out): the card may be there already.
            found = self.channel.find(channel, case_id, prior_created)
            if found is not None:
                log.info("card of case %d was already in %s %s (%s): recorded, not posted again",
                         case_id, self.platform, channel, found)
                return self.record_posted(case_id, channel, found, view)
        return self._post_view(case_id, channel, view)

    def _post_view(self, case_id: int, channel: str, view: CardView) -> str | None:
        """Step 4 and 5 for a row this poster holds the lease of."""
        try:
            message_id = self.channel.post(channel, view)
        except DeliveryFailed as exc:
            self.give_back(case_id, channel, exc.error)
            return None
        except BaseException as exc:  # never leave a row stuck in "posting" because of a bug or odd reply
            self.give_back(case_id, channel, type(exc).__name__)
            raise
        fault_point("card_posted")  # fault-injection suite: die between the platform accepting and the record
        return self.record_posted(case_id, channel, message_id, view)

    def lease_row(self, case_id: int, channel: str) -> tuple[CardView, CardState, datetime] | None:
        """Step 2: lease the row; the card to post and the row's state before the lease, or None."""
        now = self.clock()
        with transaction(self.sessions) as session:
            prior = session.execute(select(CaseMessage.state, CaseMessage.created_at).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                CaseMessage.channel == channel)).first()
            ours = session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                       CaseMessage.channel == channel,
                       or_(CaseMessage.state == CardState.PENDING,
                           (CaseMessage.state == CardState.POSTING) & (CaseMessage.lease_until < now)))
                .values(state=CardState.POSTING, lease_until=now + self.lease, attempts=CaseMessage.attempts + 1)
                .execution_options(synchronize_session=False)).rowcount == 1
            view = load_card(session, case_id) if ours else None
        if view is None or prior is None:
            return None
        return view, prior.state, prior.created_at

    def record_posted(self, case_id: int, channel: str, message_id: str, view: CardView) -> str:
        """Step 5: the card is there; record it, catch up with presses made meanwhile, hand over."""
        with transaction(self.sessions) as session:
            session.execute(
                update(CaseMessage)
                .where(CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                       CaseMessage.channel == channel)
                .values(state=CardState.POSTED, message_id=str(message_id), posted_at=self.clock(), lease_until=None,
                        last_error=None)
                .execution_options(synchronize_session=False))
            queries.add_event(session, case_id, "posted", actor=self.platform, source=self.platform,
                              payload={"channel": channel, "message_id": str(message_id)})
            fresh = load_card(session, case_id)
            handoff = latest_handoff(session, case_id)
        if card_pace.is_digest(str(message_id)):  # found on a digest after a crash: no card of its own to update
            return str(message_id)
        if fresh is not None and self.channel.rendered(fresh) != self.channel.rendered(view):
            self.channel.update(channel, str(message_id), fresh)  # someone acted while we were posting
        self.channel.card_recorded(channel, str(message_id), fresh or view)
        if handoff is not None and fresh is not None and fresh.team == handoff.to_team:
            # An escalated case arrives with its history and pings the people who now own it.
            self.channel.hand_over(channel, str(message_id), handoff)
        log.info("posted case %d to %s %s (%s)", case_id, self.platform, channel, message_id)
        return str(message_id)

    def give_back(self, case_id: int, channel: str, error: str) -> timedelta:
        """Step 4's failure: the row is pending again, due after an exponential backoff."""
        with transaction(self.sessions) as session:
            row = session.scalars(select(CaseMessage).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                CaseMessage.channel == channel)).one()
            delay = self.retry_delay * (2 ** min(max(row.attempts - 1, 0), 6))
            row.state, row.lease_until, row.last_error = CardState.PENDING, None, error[:200]
            row.next_attempt_at = self.clock() + delay
        log.warning("could not post case %d to %s %s (%s); will retry in %s", case_id, self.platform, channel,
                    error, delay)
        return delay

    # --- keeping cards current -------------------------------------------------------------------

    def posted(self, case_id: int) -> list[tuple[str, str]]:
        """(channel, message id) of every posted card of the case on this platform."""
        with self.sessions() as session:
            rows = session.execute(select(CaseMessage.channel, CaseMessage.message_id).where(
                CaseMessage.case_id == case_id, CaseMessage.platform == self.platform,
                CaseMessage.state == CardState.POSTED))
            # A case shown only as a line of a backlog digest has no card of its own to update.
            return [tuple(row) for row in rows if not card_pace.is_digest(row.message_id)]

    def refresh(self, case_id: int, *, announce: bool = True) -> None:
        """Re-render every posted card of the case and say what happened in its thread.

        One refresh per case at a time, each reading the case afresh, so an older render never
        overwrites a newer one."""
        with self.lock(case_id):
            cards = self.posted(case_id)
            if not cards:
                return  # no card of its own (not posted yet, or a line of a backlog digest): nothing to render
            with self.sessions() as session:
                view = load_card(session, case_id)
            if view is None:
                return
            line = self.channel.status_line(view) if announce else None
            for channel, message_id in cards:
                self.channel.update(channel, message_id, view)
                if line:
                    self.channel.say(channel, message_id, line)

    def say_in_threads(self, case_id: int, text: str) -> None:
        """Say ``text`` (already safe for the platform) in the thread of every card of the case."""
        for channel, message_id in self.posted(case_id):
            self.channel.say(channel, message_id, text)
