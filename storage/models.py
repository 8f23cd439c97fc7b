"""Typed SQLAlchemy 2 models.

One social post is a ``Mention``; one actionable conversation is a ``Case``; every state
change of a case is one append-only ``Event``. People on the brand side are ``Agent`` rows,
grouped in ``Team`` rows that own a channel per team platform. A ``Customer`` is one person
who may have several platform handles (``CustomerHandle``).
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator
from storage.clock import utcnow




class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zone type and hands back naive values; PostgreSQL keeps the zone.
    Storing and returning aware UTC everywhere keeps arithmetic identical on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Role(str, enum.Enum):
    AGENT = "agent"
    LEAD = "lead"
    PR = "pr"
    SUPERVISOR = "supervisor"


class Tier(str, enum.Enum):
    TIER1 = "tier1"
    TIER2 = "tier2"
    NOISE = "noise"
    SPAM = "spam"


class CaseState(str, enum.Enum):
    OPEN = "open"  # waiting for an agent
    CLAIMED = "claimed"  # an agent owns it
    ESCALATED = "escalated"  # handed to a lead / PR / another team
    AWAITING_APPROVAL = "awaiting_approval"  # a reply draft waits for PR
    REPLIED = "replied"  # at least one reply went out; customer may answer
    RESOLVED = "resolved"
    NOT_ACTIONABLE = "not_actionable"


#: States in which a case still needs somebody; a new mention in its conversation joins it.
OPEN_STATES = (
    CaseState.OPEN,
    CaseState.CLAIMED,
    CaseState.ESCALATED,
    CaseState.AWAITING_APPROVAL,
    CaseState.REPLIED,
)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (no native PG enum) so adding a value needs no type migration.
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


agent_team = Table(
    "agent_team",
    Base.metadata,
    Column("agent_id", ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slack_channel: Mapped[str | None] = mapped_column(String(64))
    discord_channel: Mapped[str | None] = mapped_column(String(64))

    agents: Mapped[list[Agent]] = relationship(secondary=agent_team, back_populates="teams")


class Agent(Base):
    __tablename__ = "agent"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.AGENT)
    slack_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    discord_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    skills: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    teams: Mapped[list[Team]] = relationship(secondary=agent_team, back_populates="agents")


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    followers: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    crm_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    crm_tier: Mapped[str | None] = mapped_column(String(50))
    crm_value: Mapped[float | None] = mapped_column(Float)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the person's identity was erased (bot/privacy/): the row stays, anonymous, so
    # counts of customers and their cases still add up.
    erased_at: Mapped[datetime | None]

    handles: Mapped[list[CustomerHandle]] = relationship(back_populates="customer", cascade="all, delete-orphan")


class CustomerHandle(Base):
    """One identity of a customer on one platform (an X account, a Discord user, ...)."""

    __tablename__ = "customer_handle"
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_customer_handle_platform_handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    # Lower-cased handle without "@": handles are case-insensitive on the platforms we serve.
    handle: Mapped[str] = mapped_column(String(200))
    platform_user_id: Mapped[str | None] = mapped_column(String(100))

    customer: Mapped[Customer] = relationship(back_populates="handles")


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_conversation", "platform", "conversation_id"),
        Index("ix_case_state_priority", "state", "priority"),
        # Queues (open, unowned, per team) and caseloads (open, per agent) from the index alone:
        # routing counts both for every ingest batch (bot/routing/service.py).
        Index("ix_case_state_assignee_team", "state", "assignee_id", "team"),
        # A topic's open incident parents of the last hour, without reading every parentless
        # case of the other topics (bot/routing/grouping.py).
        Index("ix_case_topic_parent", "topic", "parent_id", "abusive", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str | None] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    state: Mapped[CaseState] = mapped_column(_enum(CaseState, "case_state"), default=CaseState.OPEN)
    tier: Mapped[Tier] = mapped_column(_enum(Tier, "tier"))
    intent: Mapped[str] = mapped_column(String(32))
    # Insults, harassment or threats at the brand or its staff in any of its posts (a flag, not an
    # intent: bot/triage/abuse.py), and what kind, for the card ("insults staff").
    abusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    abuse: Mapped[str | None] = mapped_column(String(200))
    sentiment: Mapped[str] = mapped_column(String(16))
    sentiment_score: Mapped[float] = mapped_column(Float, default=0.0)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    topic: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(100))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"), index=True)
    # Why the priority is what it is: [{"factor", "value", "weight", "points", "detail"}, ...]
    priority_reasons: Mapped[list[Any]] = mapped_column(default=list)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_due_at: Mapped[datetime | None]
    reply_due_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    first_reply_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The escalation chain and SLA chosen when the case opened (see escalation/engine.py), copied
    # here so later edits of the escalation map do not change running escalations.
    escalation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Who routing chose and why (bot/routing/): team, agent, mode, the steps that fired.
    routing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Many posts about one incident: the first case is the parent, later ones its children
    # (bot/routing/grouping.py). The team answers the parent; the reply goes to each child's thread.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    # Set when the case's personal data (posts, names, replies, event details) was erased
    # (bot/privacy/: a customer's request, or retention); state, tier and times remain.
    erased_at: Mapped[datetime | None]

    customer: Mapped[Customer | None] = relationship()
    assignee: Mapped[Agent | None] = relationship()
    mentions: Mapped[list[Mention]] = relationship(back_populates="case", order_by="Mention.created_at")
    events: Mapped[list[Event]] = relationship(back_populates="case", order_by="Event.id")


class Mention(Base):
    __tablename__ = "mention"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_mention_platform_external_id"),
        Index("ix_mention_conversation", "platform", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(100))
    brand: Mapped[str | None] = mapped_column(String(100))
    author_handle: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[str | None] = mapped_column(String(100))
    author_name: Mapped[str | None] = mapped_column(String(200))
    author_followers: Mapped[int] = mapped_column(Integer, default=0)
    author_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    lang: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    conversation_id: Mapped[str | None] = mapped_column(String(100))
    in_reply_to_id: Mapped[str | None] = mapped_column(String(100))
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Triage outcome (filled in the same transaction that stores the mention).
    tier: Mapped[Tier | None] = mapped_column(_enum(Tier, "tier"))
    intent: Mapped[str | None] = mapped_column(String(32))
    abusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sentiment: Mapped[str | None] = mapped_column(String(16))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    topic: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    erased_at: Mapped[datetime | None]  # text, author and links erased (bot/privacy/)

    case: Mapped[Case | None] = relationship(back_populates="mentions")
    customer: Mapped[Customer | None] = relationship()


class Event(Base):
    """One state change of a case. Rows are never updated or deleted (see the guard below), with
    one exception: erasing a customer's personal data from the payload (bot/privacy/erase.py)."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_case_id", "case_id", "id"),
        UniqueConstraint("dedupe_key", name="uq_event_dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    type: Mapped[str] = mapped_column(String(48), index=True)
    # Who did it: an agent row when a person acted, else a label such as "system" or "triage".
    actor_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    actor: Mapped[str] = mapped_column(String(200), default="system")
    # Where it came from: slack, discord, web, cli, system.
    source: Mapped[str] = mapped_column(String(32), default="system")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set on events that must happen at most once (an escalation step, an SLA breach): the
    # unique constraint makes a second writer (a restart, a duplicate timer, another replica)
    # a no-op instead of a second ping. NULL for ordinary events.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))

    case: Mapped[Case] = relationship(back_populates="events")


class CardState(str, enum.Enum):
    PENDING = "pending"  # not posted yet (or the last try failed): the poster retries it
    POSTING = "posting"  # a poster holds the lease and is posting it right now
    POSTED = "posted"  # the platform accepted it; ``message_id`` is set


class CaseMessage(Base):
    """The card of a case in one team channel: posted once per (platform, channel), then updated in place.

    The row is written *before* the card is posted, so a card that could not be posted (rate
    limit, outage, crash) stays ``pending`` and is retried later instead of being lost, and the
    unique constraint stops two replicas from posting the same card twice.
    """

    __tablename__ = "case_message"
    __table_args__ = (
        UniqueConstraint("case_id", "platform", "channel", name="uq_case_message_case_platform_channel"),
        Index("ix_case_message_message", "platform", "channel", "message_id"),
        Index("ix_case_message_state", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(64))
    # The platform's id of the posted message (Slack: its ``ts``); None until posted.
    message_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[CardState] = mapped_column(_enum(CardState, "card_state"), default=CardState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    next_attempt_at: Mapped[datetime | None]
    # A poster owns a "posting" row until then; after it, another poster may take over.
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None]


class Visibility(str, enum.Enum):
    PUBLIC = "public"  # a public reply in the customer's thread
    PRIVATE = "private"  # a direct message to the customer


class OutboxState(str, enum.Enum):
    PENDING = "pending"  # waiting for the relay to send it
    # The relay has taken it and is talking to the platform. Found in this state at start-up, the
    # send may or may not have happened: the relay looks on the platform before sending again.
    SENDING = "sending"
    AWAITING_APPROVAL = "awaiting_approval"  # sensitive: waits for PR approval before the relay may send
    SENT = "sent"
    FAILED = "failed"
    REJECTED = "rejected"  # PR rejected the draft; it is never sent


class OutboxKind(str, enum.Enum):
    REPLY = "reply"  # a post in the customer's conversation (public) or a direct message (private)
    LIKE = "like"  # like the customer's post (praise)
    REPOST = "repost"  # repost the customer's post (praise: share the thanks)


class OutboxEntry(Base):
    """A reply on its way back to the customer's platform; the relay sends each entry once.

    ``idempotency_key`` is unique: a double-submitted Reply dialog (a retry, a double click)
    lands on the same row instead of queueing the reply twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    kind: Mapped[OutboxKind] = mapped_column(_enum(OutboxKind, "outbox_kind"), default=OutboxKind.REPLY)
    text: Mapped[str] = mapped_column(Text)
    # The reply as written, when it used template variables ({customer.name}): an incident's
    # children get it filled in for their own customer (bot/routing/grouping.py), not ``text``.
    template: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility, "visibility"), default=Visibility.PUBLIC)
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState, "outbox_state"), default=OutboxState.PENDING)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    # The platform id of the post being answered (the latest mention of the case).
    in_reply_to: Mapped[str | None] = mapped_column(String(100))
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    # The platform user a private reply goes to (the customer's id on that platform).
    recipient_id: Mapped[str | None] = mapped_column(String(100))
    # The platform id of the reply once sent, and where to see it.
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str | None] = mapped_column(String(2048))
    # Transient failures wait until then before the next attempt.
    next_attempt_at: Mapped[datetime | None]
    # When the relay took the entry (state ``sending``): how long a send has been in flight.
    sending_since: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]


class FeedCursor(Base):
    """Where one polled query of a source stands: what it has read, when it may ask again, how it is.

    ``since_id`` moves in the same transaction that stores the mentions it covers, so a restart
    neither misses nor re-reads them. ``next_poll_at`` carries rate-limit resets and back-off.
    """

    __tablename__ = "feed_cursor"
    __table_args__ = (UniqueConstraint("source", "query_key", name="uq_feed_cursor_source_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))  # x, ...
    query_key: Mapped[str] = mapped_column(String(200))  # e.g. mentions:SkylarkAir, search:Skylark
    brand: Mapped[str | None] = mapped_column(String(100))
    since_id: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(32), default="new")  # ok, rate_limited, error, quota, ...
    last_error: Mapped[str | None] = mapped_column(String(300))
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive, for the back-off
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    # Posts read this calendar month (UTC), against the configured read quota.
    month: Mapped[str | None] = mapped_column(String(7))
    reads_this_month: Mapped[int] = mapped_column(Integer, default=0)
    # Posts read per hour, smoothed: the traffic the read quota is planned against.
    reads_per_hour: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuarantinedEvent(Base):
    """A feed event that could not be turned into a mention (malformed, not a status, refused):
    kept as received, with the reason, so the stream goes on and nothing is silently dropped."""

    __tablename__ = "feed_quarantine"
    __table_args__ = (Index("ix_feed_quarantine_source", "source", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))  # mastodon, ...
    stream: Mapped[str] = mapped_column(String(200))  # the cursor's query key, e.g. notifications:Skylark
    event: Mapped[str | None] = mapped_column(String(64))  # the stream's event name (update, notification, …)
    reason: Mapped[str] = mapped_column(String(300))
    payload: Mapped[str] = mapped_column(Text)  # as received, cut at 100 000 characters
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuarantinedInput(Base):
    """A frame or payload a feed could not read (not JSON, not the shape its protocol promises).

    Kept verbatim (cut at 64 kB) with the reason, so nothing a platform sent is silently lost and
    the stream goes on past it; ``mentiondesk status`` counts these per source."""

    __tablename__ = "quarantined_input"
    __table_args__ = (Index("ix_quarantined_input_source", "source", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))  # bluesky, ...
    reason: Mapped[str] = mapped_column(String(300))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
class QuarantinedPost(Base):
    """A post a feed read but could not store (a NUL character, a number beyond the column, a
    date that overflows, a field it cannot read): set aside with the reason, so one poison post
    does not stop its feed. The feed moves on past it; ``mentiondesk status`` lists it.

    ``payload`` is the post as the platform sent it, as ASCII JSON (a NUL is kept as ``\\u0000``,
    which any database stores), cut at 20,000 characters.
    """

    __tablename__ = "quarantined_post"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_quarantined_post_source_external"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))  # x, ...
    query_key: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(500))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AdapterStatus(Base):
    """How each replica's team-platform adapters (Slack, Discord) stand: up, or retrying and why.

    Written by the replica itself on every change (bot/core/adapter_start.py), one row per replica and
    adapter, so ``mentiondesk status`` shows it from any process.
    """

    __tablename__ = "adapter_status"
    __table_args__ = (UniqueConstraint("replica", "adapter", name="uq_adapter_status_replica_adapter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    replica: Mapped[str] = mapped_column(String(200))
    adapter: Mapped[str] = mapped_column(String(32))  # slack, discord
    state: Mapped[str] = mapped_column(String(32))  # starting, up, retrying, stopped
    detail: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundDelivery(Base):
    """Deliveries already processed (Slack event ids, button presses), so a retry is a no-op."""

    __tablename__ = "inbound_delivery"
    __table_args__ = (UniqueConstraint("platform", "delivery_key", name="uq_inbound_delivery_platform_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    delivery_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TopicModeSwitch(Base):
    """One switch of a topic into or out of crisis mode; append-only, the newest row per topic is
    in force. Not an ``Event``: a switch belongs to a topic, not to one case."""

    __tablename__ = "topic_mode_switch"
    __table_args__ = (Index("ix_topic_mode_switch_topic", "topic", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))  # crisis / normal
    actor: Mapped[str] = mapped_column(String(200), default="system")
    source: Mapped[str] = mapped_column(String(32), default="cli")
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpikeAlert(Base):
    """A spike the detector reported; unique per (topic, sentiment, window) so it alerts once."""

    __tablename__ = "spike_alert"
    __table_args__ = (UniqueConstraint("topic", "sentiment", "window_start", name="uq_spike_alert_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    examples: Mapped[list[Any]] = mapped_column(default=list)  # mention ids
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RefusalTally(Base):
    """Refusals of one person unknown to mentiondesk within one time window.

    The first refusal of the window is an event like any other (the audit trail says who tried
    what, where); the rest only raise ``count`` here, so someone pressing buttons they may not
    use grows the database by one row per window, not one per press.
    """

    __tablename__ = "refusal_tally"
    __table_args__ = (UniqueConstraint("platform", "user_id", "window_start", name="uq_refusal_tally_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(Integer)
    first_case_id: Mapped[int | None] = mapped_column(Integer)  # None: not a press on a case (crisis buttons)
    last_case_id: Mapped[int | None] = mapped_column(Integer)
    last_action: Mapped[str] = mapped_column(String(32))
    last_at: Mapped[datetime]


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Event, "before_update")
def _refuse_event_update(mapper: Any, connection: Any, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is append-only and cannot be changed")


@event.listens_for(Event, "before_delete")
def _refuse_event_delete(mapper: Any, connection: Any, target: Event) -> None:
    raise AppendOnlyError(f"event {target.id} is append-only and cannot be deleted")


class AgentCredential(Base):
    """The web console password of an agent (an argon2 hash; the password itself is never stored)."""

    __tablename__ = "agent_credential"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Copied into each console session cookie at login; logout and a password change add one,
    # so every cookie issued before (copied, stolen, left open elsewhere) stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")



class LoginThrottle(Base):
    """Console login attempts per account name and per client address (bot/desk/login_throttle.py).

    In the database, not in memory, so every replica behind the load balancer counts the same
    attempts and a restart does not lift a lockout.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_login_throttle_scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # account / address
    key: Mapped[str] = mapped_column(String(200))  # lower-cased login name, or the client's IP address
    failures: Mapped[int] = mapped_column(Integer, default=0)  # attempts not (yet) followed by a success
    last_attempt_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class ReplyDraft(Base):
    """What an agent is typing in a case's Reply dialog (bot/desk/drafts.py), one row per case and agent.

    ``lease_until`` is the drafting lease: while it lies ahead, the card and the console show the
    agent as drafting and a second agent opening Reply is warned. The text survives a closed dialog
    and is offered again when the agent reopens it; the row goes when their reply is queued.
    """

    __tablename__ = "reply_draft"
    __table_args__ = (UniqueConstraint("case_id", "agent_id", name="uq_reply_draft_case_agent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    lease_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
