"""Queries shared by the application layers. Plain functions taking a session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_STATES,
    CardState,
    Case,
    CaseMessage,
    Customer,
    CustomerHandle,
    Event,
    FeedCursor,
    InboundDelivery,
    Mention,
    RefusalTally,
    Tier,
)


def insert_mention_if_new(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a mention unless (platform, external_id) is already stored.

    Returns the new row's id, or ``None`` for a duplicate. ``ON CONFLICT DO NOTHING`` makes
    this safe under concurrent ingest on PostgreSQL: exactly one inserter wins.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Mention)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(Mention.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def customer_for_handle(session: Session, platform: str, handle: str, *, platform_user_id: str | None,
                        display_name: str | None, followers: int, verified: bool) -> Customer:
    """The customer behind a platform handle, created on first sight; profile kept current."""
    handle = handle.lower()
    query = (
        select(Customer)
        .join(CustomerHandle)
        .where(CustomerHandle.platform == platform, CustomerHandle.handle == handle)
    )
    customer = session.scalars(query).first()
    if customer is None:
        try:
            with session.begin_nested():
                customer = Customer(display_name=display_name, followers=followers, verified=verified)
                customer.handles.append(
                    CustomerHandle(platform=platform, handle=handle, platform_user_id=platform_user_id)
                )
                session.add(customer)
        except IntegrityError:
            # Another ingest created the same handle a moment ago: use theirs.
            customer = session.scalars(query).one()
        return customer
    if display_name:
        customer.display_name = display_name
    customer.followers = followers
    customer.verified = verified or customer.verified
    return customer


def open_case_for_conversation(session: Session, platform: str, conversation_id: str | None,
                               in_reply_to_id: str | None) -> Case | None:
    """The open case this mention belongs to: same conversation, or a reply to one of its mentions."""
    if conversation_id:
        case = session.scalars(
            select(Case)
            .where(Case.platform == platform, Case.conversation_id == conversation_id, Case.state.in_(OPEN_STATES))
            .order_by(Case.id)
            .limit(1)
        ).first()
        if case is not None:
            return case
    if in_reply_to_id:
        return session.scalars(
            select(Case)
            .join(Mention, Mention.case_id == Case.id)
            .where(Mention.platform == platform, Mention.external_id == in_reply_to_id, Case.state.in_(OPEN_STATES))
            .limit(1)
        ).first()
    return None


def customer_history(session: Session, customer_id: int, *, exclude_case_id: int | None = None) -> tuple[int, bool]:
    """(number of earlier cases, whether one is still open) for a customer."""
    query = select(Case.state).where(Case.customer_id == customer_id)
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    states = session.scalars(query).all()
    return len(states), any(s in OPEN_STATES for s in states)


def add_event(session: Session, case_id: int, type: str, *, actor: str = "system", source: str = "system",
              actor_agent_id: int | None = None, payload: dict[str, Any] | None = None, at=None) -> Event:
    event = Event(case_id=case_id, type=type, actor=actor, source=source, actor_agent_id=actor_agent_id,
                  payload=payload or {})
    if at is not None:
        event.created_at = at
    session.add(event)
    return event


def funnel_counts(session: Session) -> dict[str, int]:
    """Mentions stored per tier (for the demo's funnel and ``mentiondesk status``)."""
    rows = session.execute(select(Mention.tier, func.count()).group_by(Mention.tier)).all()
    counts = {t.value: 0 for t in Tier}
    for tier, n in rows:
        if tier is not None:
            counts[tier.value] += n
    return counts


def _insert_for(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def record_delivery(session: Session, platform: str, key: str) -> bool:
    """Remember a platform delivery (event id, button press); False when it was seen before.

    Done in the same transaction as the work it guards, so a retried delivery is processed at
    most once even when two replicas receive it at the same moment.
    """
    stmt = (
        _insert_for(session)(InboundDelivery)
        .values(platform=platform, delivery_key=key[:200])
        .on_conflict_do_nothing(index_elements=["platform", "delivery_key"])
        .returning(InboundDelivery.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def tally_refusal(session: Session, platform: str, user_id: str, window_start, *, case_id: int | None, action: str,
                  at) -> int:
    """Count one refusal of an unknown user in its window; returns the window's count so far.

    One atomic upsert (``ON CONFLICT DO UPDATE … count + 1``): of two concurrent first refusals
    exactly one sees 1, on SQLite and PostgreSQL alike.
    """
    insert = _insert_for(session)(RefusalTally).values(
        platform=platform, user_id=user_id[:200], window_start=window_start, count=1, first_case_id=case_id,
        last_case_id=case_id, last_action=action[:32], last_at=at)
    stmt = insert.on_conflict_do_update(
        index_elements=["platform", "user_id", "window_start"],
        set_={"count": RefusalTally.count + 1, "last_case_id": case_id, "last_action": action[:32], "last_at": at},
    ).returning(RefusalTally.count)
    return session.execute(stmt).scalar_one()


def prune_deliveries(session: Session, older_than) -> int:
    """Forget processed deliveries older than ``older_than`` (platforms stop retrying within hours)."""
    from sqlalchemy import delete

    result = session.execute(delete(InboundDelivery).where(InboundDelivery.received_at < older_than))
    return result.rowcount or 0


def reserve_case_message(session: Session, case_id: int, platform: str, channel: str) -> bool:
    """Create the pending card row for (case, platform, channel); False when it already exists."""
    stmt = (
        _insert_for(session)(CaseMessage)
        .values(case_id=case_id, platform=platform, channel=channel, state=CardState.PENDING, attempts=0)
        .on_conflict_do_nothing(index_elements=["case_id", "platform", "channel"])
        .returning(CaseMessage.id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def case_message_by_message(session: Session, platform: str, channel: str, message_id: str) -> CaseMessage | None:
    return session.scalars(
        select(CaseMessage).where(CaseMessage.platform == platform, CaseMessage.channel == channel,
                                  CaseMessage.message_id == message_id)
    ).first()


def add_event_once(session: Session, case_id: int, type: str, dedupe_key: str, *, actor: str = "system",
                   source: str = "system", payload: dict[str, Any] | None = None, at=None) -> bool:
    """Append an event unless one with ``dedupe_key`` exists: True if this call wrote it.

    ``ON CONFLICT DO NOTHING`` on the unique key: of any number of concurrent writers (two
    replicas, a timer fired twice, a restart replaying a step) exactly one wins, on SQLite and
    PostgreSQL alike, without aborting the surrounding transaction.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"case_id": case_id, "type": type, "actor": actor, "source": source, "payload": payload or {},
              "dedupe_key": dedupe_key}
    if at is not None:
        values["created_at"] = at
    stmt = insert(Event).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Event.id)
    return session.execute(stmt).scalar_one_or_none() is not None


def feed_cursor(session: Session, source: str, query_key: str, *, brand: str | None = None) -> FeedCursor:
    """The cursor row of one polled query, created on first use (concurrent creators agree), locked
    for the caller's transaction on PostgreSQL so two pollers never advance it at once."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(FeedCursor).values(source=source, query_key=query_key, brand=brand, status="new",
                                              failures=0, reads_this_month=0, reads_per_hour=0.0)
                    .on_conflict_do_nothing(index_elements=["source", "query_key"]))
    query = select(FeedCursor).where(FeedCursor.source == source, FeedCursor.query_key == query_key)
    if dialect == "postgresql":
        query = query.with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def feed_cursors(session: Session, source: str | None = None) -> list[FeedCursor]:
    query = select(FeedCursor).order_by(FeedCursor.source, FeedCursor.query_key)
    if source is not None:
        query = query.where(FeedCursor.source == source)
    return list(session.scalars(query))
