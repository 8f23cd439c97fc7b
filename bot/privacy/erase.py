"""Erasing a customer's personal data: on their request (``forget``) and by retention.

Rows are blanked, never deleted, so counts by tier, state, team and day still add up:

* **mention**: text and author handle become ``[erased]``; author id and name, URL, conversation
  and reply ids, the raw payload and the triage reasons (they quote the text) are cleared,
  followers set to 0, and the post id becomes ``erased:<row id>`` (the id leads back to the post,
  hence to the person). Tier, intent, sentiment, topic, score and times stay.
* **case**: conversation id cleared; priority reasons and routing keep their numbers but lose
  their free text; ``erased_at`` is set. State, tier, team, owner and times stay.
* **events** of the case: their payloads are scrubbed the same way (only structural words such
  as states, teams, levels and kinds keep their text; numbers and ids stay). This is the one
  change ever made to an event row; it runs as a bulk UPDATE, outside the ORM's append-only guard.
* **outbox** entries of the case: text becomes ``[erased]``, recipient, post replied to and reply
  URL are cleared; drafts not sent yet (pending, awaiting approval) are rejected first, by a
  conditional UPDATE, so nothing written for that person goes out after the erasure.
* **customer** (forget, or retention once nothing of theirs is left): name, CRM id, tier and
  value cleared, followers 0, every platform handle deleted; the row stays as an anonymous one.

One ``personal_data_erased`` event per case says why and how many rows, never what was erased.
Everything runs in the caller's transaction: an erasure happens whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.orm import Session

from bot.crm.merge import normal_handle
from storage import queries
from storage.models import (
    Case,
    CaseState,
    Customer,
    CustomerHandle,
    Event,
    Mention,
    OutboxEntry,
    OutboxState,
    ReplyDraft,
)

ERASED = "[erased]"
ERASED_EVENT = "personal_data_erased"
CLOSED_STATES = (CaseState.RESOLVED, CaseState.NOT_ACTIONABLE)
# Payload keys whose text is structure, not a person's words or identity: kept when scrubbing.
STRUCTURAL_KEYS = frozenset({
    "action", "code", "kind", "visibility", "level", "from_team", "to_team", "team", "tier", "intent", "topic",
    "sentiment", "sla", "step", "category", "mode", "state", "due_at", "outbox", "factor", "source", "platform",
    "status", "assignee", "previous_assignee", "author", "agent", "from", "to", "why_code",
})


def scrub(value: Any, key: str | None = None) -> Any:
    """``value`` with every text erased except under :data:`STRUCTURAL_KEYS`; numbers, booleans
    and the shape of dicts and lists are kept (reports read counts, scores and ids)."""
    if isinstance(value, dict):
        return {k: scrub(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, key) for v in value]
    if isinstance(value, str):
        return value if key in STRUCTURAL_KEYS else ERASED
    return value


@dataclass
class Erased:
    """How many rows an erasure blanked (what the event and the command report)."""

    cases: int = 0
    mentions: int = 0
    events: int = 0
    outbox: int = 0
    customers: int = 0
    handles: int = 0
    case_ids: list[int] = field(default_factory=list)

    def add(self, other: "Erased") -> None:
        for name in ("cases", "mentions", "events", "outbox", "customers", "handles"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.case_ids += other.case_ids

    def as_dict(self) -> dict[str, int]:
        return {"cases": self.cases, "mentions": self.mentions, "events": self.events, "outbox": self.outbox,
                "customers": self.customers, "handles": self.handles}


def _erase_mentions(session: Session, now: datetime, *where) -> int:
    stmt = (update(Mention).where(*where)
            .values(text=ERASED, author_handle=ERASED, author_id=None, author_name=None, author_followers=0,
                    url=None, conversation_id=None, in_reply_to_id=None, raw={}, reasons=[],
                    external_id=literal("erased:").concat(cast(Mention.id, String)), erased_at=now)
            .execution_options(synchronize_session=False))
    return session.execute(stmt).rowcount


def _scrub_events(session: Session, case_id: int) -> int:
    rows = session.execute(select(Event.id, Event.payload).where(Event.case_id == case_id,
                                                                  Event.type != ERASED_EVENT)).all()
    changed = 0
    for event_id, payload in rows:
        clean = scrub(payload or {})
        if clean != payload:
            session.execute(update(Event).where(Event.id == event_id).values(payload=clean)
                            .execution_options(synchronize_session=False))
            changed += 1
    return changed


def _erase_outbox(session: Session, now: datetime, *where) -> int:
    # Not sent yet: never send it now (conditional, so a relay that took it meanwhile keeps it).
    session.execute(update(OutboxEntry)
                    .where(*where, OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.AWAITING_APPROVAL)))
                    .values(state=OutboxState.REJECTED, last_error="the customer's data was erased", updated_at=now)
                    .execution_options(synchronize_session=False))
    return session.execute(update(OutboxEntry).where(*where, OutboxEntry.text != ERASED)
                           .values(text=ERASED, template=None, recipient_id=None, in_reply_to=None, external_url=None,
                                   updated_at=now)
                           .execution_options(synchronize_session=False)).rowcount


def erase_case(session: Session, case_id: int, *, why: str, actor: str, source: str, now: datetime) -> Erased:
    """Blank the personal data of one case, its posts, events and replies (see the module docstring)."""
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        return Erased()
    done = Erased(cases=1, case_ids=[case_id])
    done.mentions = _erase_mentions(session, now, Mention.case_id == case_id, Mention.erased_at.is_(None))
    done.outbox = _erase_outbox(session, now, OutboxEntry.case_id == case_id)
    done.events = _scrub_events(session, case_id)
    # Unsent drafts may quote the customer: they go with the case's personal data.
    session.execute(delete(ReplyDraft).where(ReplyDraft.case_id == case_id))
    session.execute(update(Case).where(Case.id == case_id)
                    .values(conversation_id=None, priority_reasons=scrub(case.priority_reasons or []),
                            routing=scrub(case.routing) if case.routing else None,
                            erased_at=case.erased_at or now)
                    .execution_options(synchronize_session=False))
    if case.erased_at is None or done.mentions or done.outbox or done.events:
        queries.add_event(session, case_id, ERASED_EVENT, actor=actor, source=source, at=now,
                          payload={"why": why, "mentions": done.mentions, "events": done.events,
                                   "outbox": done.outbox})
    return done


def _erase_identity(session: Session, customer_id: int, now: datetime) -> Erased:
    handles = session.execute(delete(CustomerHandle).where(CustomerHandle.customer_id == customer_id)
                              .execution_options(synchronize_session=False)).rowcount
    session.execute(update(Customer).where(Customer.id == customer_id)
                    .values(display_name=None, crm_id=None, crm_tier=None, crm_value=None, followers=0,
                            verified=False, erased_at=func.coalesce(Customer.erased_at, now))
                    .execution_options(synchronize_session=False))
    return Erased(customers=1, handles=handles)


def customers_by_handle(session: Session, handle: str, platform: str | None = None) -> list[Customer]:
    """Every stored customer with ``handle`` (on ``platform``, or on any platform)."""
    platform_, handle = normal_handle(platform or "x", handle)
    query = select(Customer).join(CustomerHandle).where(CustomerHandle.handle == handle)
    if platform:
        query = query.where(CustomerHandle.platform == platform_)
    return list(session.scalars(query.order_by(Customer.id)).unique())


def mentions_by_author(handle: str, platform: str | None = None):
    """The WHERE clause for posts written under ``handle`` (also those stored without a customer)."""
    platform_, handle = normal_handle(platform or "x", handle)
    clause = func.lower(Mention.author_handle).in_([handle, "@" + handle])
    return clause & (Mention.platform == platform_) if platform else clause


def forget_customer(session: Session, handle: str, *, platform: str | None = None, actor: str = "cli",
                    now: datetime) -> Erased:
    """Erase everything held about the person behind ``handle``: the cases they opened (whole:
    the conversation quotes them), their posts in other cases, and their identity."""
    customers = customers_by_handle(session, handle, platform)
    customer_ids = [c.id for c in customers]
    done = Erased()
    case_ids = set(session.scalars(select(Case.id).where(Case.customer_id.in_(customer_ids)))) if customer_ids else set()
    # Posts of theirs that sit in someone else's case, or in no case at all.
    by_them = or_(Mention.customer_id.in_(customer_ids), mentions_by_author(handle, platform)) if customer_ids \
        else mentions_by_author(handle, platform)
    other_cases = set(session.scalars(select(Mention.case_id).where(by_them, Mention.case_id.is_not(None))))
    for case_id in sorted(case_ids):
        done.add(erase_case(session, case_id, why="customer_request", actor=actor, source="cli", now=now))
    _, plain_handle = normal_handle(platform or "x", handle)
    for case_id in sorted(other_cases - case_ids):
        # Someone else's case they wrote in: their posts go; the case's event details go too (the
        # triage reasons quote the posts), and so do replies that name them. The owner's posts stay.
        count = _erase_mentions(session, now, by_them, Mention.case_id == case_id, Mention.erased_at.is_(None))
        events = _scrub_events(session, case_id)
        outbox = _erase_outbox(session, now, OutboxEntry.case_id == case_id,
                               func.lower(OutboxEntry.text).contains(plain_handle, autoescape=True))
        if count:
            done.mentions, done.events, done.outbox = done.mentions + count, done.events + events, done.outbox + outbox
            queries.add_event(session, case_id, ERASED_EVENT, actor=actor, source="cli", at=now,
                              payload={"why": "customer_request", "mentions": count, "events": events,
                                       "outbox": outbox})
    done.mentions += _erase_mentions(session, now, by_them, Mention.case_id.is_(None), Mention.erased_at.is_(None))
    for customer_id in customer_ids:
        done.add(_erase_identity(session, customer_id, now))
    return done


def erase_expired(session: Session, *, days: int, now: datetime, limit: int = 500) -> Erased:
    """Retention: erase closed cases resolved more than ``days`` ago, posts that opened no case
    received that long ago, and the identity of customers with nothing unerased left. At most
    ``limit`` cases per call (call again while ``cases == limit``)."""
    cutoff = now - timedelta(days=days)
    done = Erased()
    expired = list(session.scalars(select(Case.id).where(
        Case.state.in_(CLOSED_STATES), Case.resolved_at < cutoff, Case.erased_at.is_(None))
        .order_by(Case.resolved_at, Case.id).limit(limit)))
    for case_id in expired:
        done.add(erase_case(session, case_id, why="retention", actor="retention", source="system", now=now))
    done.mentions += _erase_mentions(session, now, Mention.case_id.is_(None), Mention.received_at < cutoff,
                                     Mention.erased_at.is_(None))
    left = list(session.scalars(select(Customer.id).where(
        # Known from posts (a CRM-imported customer who never wrote is not ours to expire), all erased.
        Customer.erased_at.is_(None), exists().where(Mention.customer_id == Customer.id),
        ~exists().where(Case.customer_id == Customer.id, Case.erased_at.is_(None)),
        ~exists().where(Mention.customer_id == Customer.id, Mention.erased_at.is_(None))).limit(limit)))
    for customer_id in left:
        done.add(_erase_identity(session, customer_id, now))
    return done

