"""Pace card posting per channel, and fold a channel's backlog into one digest message.

Slack takes about one new message per second per channel (short bursts allowed). At 250 posts
a second a brand opens tens of cases a second, most of them in one team's channel: posted one
card each they would queue for minutes. So each channel's due cards are *planned* together:

* **urgent** cases (intent ``crisis``/``urgent``, the crisis team's cases, priority at or above
  ``urgent_priority``) get their own card, as fast as the pace allows, taking turns with a new
  digest for the channel's token; only when more of them arrive than the channel can show (over
  one a second), one that has waited ``hold_seconds`` for its card is listed at the top of the
  digest instead (🚨), rather than waiting minutes for its turn;
* the others get their own card when the channel can take them all within ``hold_seconds``;
* otherwise they are folded into the channel's **backlog digest**: one message ("📥 37 posts in
  2 min: late_flight 21 · refund 9 …", the highest-priority posts listed with an **Open**
  button each) that is updated in place as more arrive (an update is not a new message), until
  it is ``digest_window`` old or holds ``digest_max`` cases; then the next spike starts a new one.

Planning is one short transaction under the channel's lock (a PostgreSQL transaction-level
advisory lock: two replicas never plan one channel at once) that leases the rows it decides on;
Slack is called after the commit. The pace is read from the rows themselves (when the channel's
last message went out), so it holds across replicas. A case folded into a digest has its
``case_message`` row *posted* with ``message_id = "digest:<ts>"``: it reached the channel once,
and is never posted again by the retry or "missing card" sweeps; **Open** gives it its own card
in the digest's thread (``digest-open:<ts>`` while that is being posted).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from storage.models import CardState, Case, CaseMessage, Mention

DIGEST = "digest:"  # message_id of a case shown in a digest: "digest:<ts of the digest>"
OPENING = "digest-open:"  # its own card is being posted in the digest's thread right now
POSTING_DIGEST = DIGEST + "?"  # leased for a new digest that is being posted right now
URGENT_INTENTS = frozenset({"crisis", "urgent"})  # intents that always count as urgent
LOCK_CLASS = 0x6D64  # first key of the channels' advisory locks ("md"); the second is a hash of the channel


@dataclass(frozen=True)
class Pace:
    per_second: float = 1.0  # new messages a channel takes (Slack: about one a second)
    burst: int = 3  # how many at once after a quiet moment
    hold_seconds: float = 3.0  # a backlog that goes out within this as cards stays cards
    digest_window: timedelta = timedelta(minutes=1)  # a digest takes more cases while younger than this
    # ... and while it holds fewer than this: at 40 new cases a second in one channel (bench/load.py) a
    # digest of 100 was full in 2.5 s, and each new one waited for the channel's turn; 300 is 7.5 s.
    digest_max: int = 300
    update_every: float = 1.0  # seconds between two updates of one digest (by one replica)
    urgent_priority: float = 80.0  # of the factors' points (out of 100 with the default weights)
    urgent_intents: frozenset[str] = URGENT_INTENTS
    urgent_teams: frozenset[str] = frozenset()  # the crisis team's cases are urgent too
    # With priority bands (priority.bands) a score is its band's points plus the factors' points:
    # only the latter are compared with urgent_priority (a band alone is the intent, seen above).
    # Default: the default config's (its weights add up to 100); None: bands are off.
    band_step: float | None = 100.0

    def urgent(self, priority: float, intent: str | None, team: str | None) -> bool:
        factors = priority % self.band_step if self.band_step else priority
        return factors >= self.urgent_priority or intent in self.urgent_intents or team in self.urgent_teams


@dataclass
class ChannelPlan:
    """What one flush of a channel does; every case listed is leased (``posting``) to this poster."""

    channel: str
    own: list[int] = field(default_factory=list)  # cases to post as their own card, in this order
    new_digest: list[int] = field(default_factory=list)  # cases of a new digest message
    join_digest: list[int] = field(default_factory=list)  # cases added to the open digest
    digest_id: str | None = None  # message id ("digest:<ts>") of the open digest
    waiting: int = 0  # due cases left for a later flush (the pace is spent)

    @property
    def empty(self) -> bool:
        return not (self.own or self.new_digest or self.join_digest)


@dataclass(frozen=True)
class DigestItem:
    case_id: int
    priority: float
    tier: str
    topic: str | None
    intent: str | None
    author_handle: str
    text: str
    url: str | None
    opened_at: datetime
    parent_id: int | None


@dataclass(frozen=True)
class DigestView:
    """A digest as the team platform renders it: the cases it holds, most urgent first."""

    channel: str
    items: list[DigestItem]

    @property
    def case_ids(self) -> list[int]:
        return sorted(i.case_id for i in self.items)

    @property
    def topics(self) -> list[tuple[str, int]]:
        return Counter(i.topic or "general" for i in self.items).most_common()

    @property
    def minutes(self) -> int:
        """Over how many minutes these posts arrived (at least 1)."""
        times = [aware(i.opened_at) for i in self.items]
        return max(1, round((max(times) - min(times)).total_seconds() / 60)) if times else 1


class DigestChannel(Protocol):
    """What a team platform implements to show a backlog digest (Slack does)."""

    def post_digest(self, channel: str, digest: DigestView) -> str:
        """Post the digest; its message id. Raises ``DeliveryFailed``."""

    def update_digest(self, channel: str, message_id: str, digest: DigestView) -> None:
        """Re-render the digest in place. Raises ``DeliveryFailed``."""

    def post_in_thread(self, channel: str, thread: str, view) -> str:
        """Post a case's own card in the thread of message ``thread``; its message id. Raises ``DeliveryFailed``."""


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def lock_channel(session: Session, platform: str, channel: str) -> None:
    """Serialise planning of one channel across replicas (held until the transaction ends)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{platform}:{channel}".encode()) - 2**31  # a stable int4
        session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": LOCK_CLASS, "b": key})


def last_message(session: Session, platform: str, channel: str, lease: timedelta) -> tuple[datetime | None, bool]:
    """When the channel's newest message went out (or is going out right now), and whether it
    was a digest (else a card of its own)."""
    where = (CaseMessage.platform == platform, CaseMessage.channel == channel)
    posted = session.execute(select(CaseMessage.posted_at, CaseMessage.message_id).where(
        *where, CaseMessage.state != CardState.PENDING, CaseMessage.posted_at.is_not(None))
        .order_by(CaseMessage.posted_at.desc()).limit(1)).first()
    leased = session.scalar(select(func.max(CaseMessage.lease_until)).where(
        *where, CaseMessage.state == CardState.POSTING, CaseMessage.posted_at.is_(None)))
    last, was_digest = (aware(posted.posted_at), is_digest(posted.message_id) or posted.message_id == POSTING_DIGEST) \
        if posted else (None, False)
    if leased and (last is None or aware(leased) - lease > last):
        last, was_digest = aware(leased) - lease, False  # a card leased for posting went out when it was leased
    return last, was_digest


def open_digest(session: Session, platform: str, channel: str, now: datetime, pace: Pace) -> tuple[str, int] | None:
    """The channel's newest digest still taking cases: (message id, how many it holds)."""
    row = session.execute(
        select(CaseMessage.message_id, func.count())
        .where(CaseMessage.platform == platform, CaseMessage.channel == channel,
               CaseMessage.message_id.like(DIGEST + "%"), CaseMessage.posted_at >= now - pace.digest_window,
               or_(CaseMessage.state == CardState.POSTED, CaseMessage.lease_until >= now))
        .group_by(CaseMessage.message_id).order_by(func.max(CaseMessage.posted_at).desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def _most_urgent_first(row) -> tuple[float, int]:
    """Sort key of due rows: highest priority first, then in the order they were reserved."""
    return -(row.priority or 0.0), row.id


def plan_channel(session: Session, platform: str, channel: str, *, pace: Pace, now: datetime, lease: timedelta,
                 may_update: Callable[[str], bool] = lambda digest_id: True) -> ChannelPlan:
    """Decide (and lease) what goes to ``channel`` now; see the module docstring."""
    lock_channel(session, platform, channel)
    due = session.execute(
        select(CaseMessage.id, CaseMessage.case_id, CaseMessage.created_at, Case.priority, Case.intent, Case.team)
        .join(Case, Case.id == CaseMessage.case_id)
        .where(CaseMessage.platform == platform, CaseMessage.channel == channel,
               CaseMessage.state == CardState.PENDING,
               or_(CaseMessage.next_attempt_at.is_(None), CaseMessage.next_attempt_at <= now))
        .order_by(CaseMessage.id)
        .with_for_update(skip_locked=True, of=CaseMessage)).all()
    plan = ChannelPlan(channel)
    if not due:
        return plan
    last, last_was_digest = last_message(session, platform, channel, lease)
    tokens = pace.burst if last is None else min(pace.burst, int((now - last).total_seconds() * pace.per_second))
    tokens = max(tokens, 0)
    urgent = sorted((r for r in due if pace.urgent(r.priority or 0.0, r.intent, r.team)),
                    key=_most_urgent_first)
    normal = sorted((r for r in due if not pace.urgent(r.priority or 0.0, r.intent, r.team)),
                    key=_most_urgent_first)
    digest = open_digest(session, platform, channel, now, pace) if normal or len(urgent) > tokens else None
    # A backlog with no digest to join needs a new digest message. When it and urgent cards want
    # the same token, they take turns: the digest goes first unless the channel's last message
    # was a digest. Either way round alone starves the other in a long spike: urgent cards first,
    # a steady stream of them (one a second) holds every other post back for minutes; digest
    # first, a backlog that fills a digest each second holds the urgent cards back (measured:
    # a minute at 250 posts/s, bench/load.py).
    needs_digest = (len(normal) > tokens + pace.hold_seconds * pace.per_second
                    and (digest is None or (digest[0] != POSTING_DIGEST and digest[1] >= pace.digest_max)))
    digest_first = needs_digest and not (last_was_digest and urgent)
    own = urgent[:max(tokens - 1, 0)] if digest_first and tokens >= 1 else urgent[:tokens]
    tokens -= len(own)
    chosen_own = [r.case_id for r in own]
    # More urgent posts than the channel can show one card a second (a crisis): those that have
    # waited hold_seconds for a card and get none now are listed at the top of the backlog digest
    # (most urgent first), so that none waits minutes for its turn.
    overdue = [r for r in urgent[len(own):] if aware(r.created_at) <= now - timedelta(seconds=pace.hold_seconds)]
    if overdue:
        normal = sorted([*normal, *overdue], key=_most_urgent_first)
    new_digest: list[int] = []
    join: list[int] = []
    if normal:
        if len(normal) <= tokens and not overdue:
            chosen_own += [r.case_id for r in normal]  # the channel takes them all now: a card each
        elif digest is not None and digest[0] == POSTING_DIGEST:
            pass  # a new digest is being posted right now: join it on the next flush
        elif digest is not None and digest[1] < pace.digest_max:
            if may_update(digest[0]):
                join = [r.case_id for r in normal[:pace.digest_max - digest[1]]]
        elif not overdue and len(normal) + len(urgent) - len(own) <= tokens + pace.hold_seconds * pace.per_second:
            chosen_own += [r.case_id for r in normal[:tokens]]  # a short queue: cards, within seconds
        elif tokens >= 1:
            new_digest = [r.case_id for r in normal[:pace.digest_max]]
    plan.own, plan.new_digest, plan.join_digest = chosen_own, new_digest, join
    plan.digest_id = digest[0] if join else None
    plan.waiting = len(due) - len(chosen_own) - len(new_digest) - len(join)
    _lease(session, platform, channel, chosen_own, now, lease)
    _lease(session, platform, channel, new_digest, now, lease, message_id=POSTING_DIGEST, posted_at=now)
    if join:
        since = session.scalar(select(func.min(CaseMessage.posted_at)).where(
            CaseMessage.platform == platform, CaseMessage.channel == channel, CaseMessage.message_id == digest[0]))
        _lease(session, platform, channel, join, now, lease, message_id=digest[0], posted_at=since or now)
    return plan


def _lease(session: Session, platform: str, channel: str, case_ids: list[int], now: datetime, lease: timedelta,
           **values) -> None:
    if not case_ids:
        return
    session.execute(update(CaseMessage).where(
        CaseMessage.platform == platform, CaseMessage.channel == channel, CaseMessage.case_id.in_(case_ids),
        CaseMessage.state == CardState.PENDING)
        .values(state=CardState.POSTING, lease_until=now + lease, attempts=CaseMessage.attempts + 1, **values)
        .execution_options(synchronize_session=False))


def load_digest(session: Session, platform: str, channel: str, message_id: str, extra: list[int] = ()) -> DigestView:
    """The digest ``message_id`` with every case it holds (and ``extra`` cases about to join it)."""
    held = list(session.scalars(select(CaseMessage.case_id).where(
        CaseMessage.platform == platform, CaseMessage.channel == channel, CaseMessage.message_id == message_id)))
    return DigestView(channel, digest_items(session, sorted(set(held) | set(extra))))


def digest_items(session: Session, case_ids: list[int]) -> list[DigestItem]:
    """One line's worth of each case (its first post), most urgent first."""
    if not case_ids:
        return []
    first = (select(Mention.case_id, func.min(Mention.id).label("mention_id"))
             .where(Mention.case_id.in_(case_ids)).group_by(Mention.case_id).subquery())
    rows = session.execute(
        select(Case.id, Case.priority, Case.tier, Case.topic, Case.intent, Case.opened_at, Case.parent_id,
               Mention.author_handle, Mention.text, Mention.url)
        .join(first, first.c.case_id == Case.id).join(Mention, Mention.id == first.c.mention_id)
        .where(Case.id.in_(case_ids))).all()
    items = [DigestItem(r.id, r.priority or 0.0, getattr(r.tier, "value", r.tier), r.topic, r.intent,
                        r.author_handle or "", r.text or "", r.url, r.opened_at, r.parent_id) for r in rows]
    return sorted(items, key=lambda i: (-i.priority, i.case_id))


def is_digest(message_id: str | None) -> bool:
    """A row shown in a digest (or having its card opened from one), not a card of its own."""
    return bool(message_id) and message_id.startswith((DIGEST, OPENING))
