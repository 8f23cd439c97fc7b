"""What a case card shows, read from the database: one platform-neutral snapshot per render.

Slack's Block Kit renderer (``handlers/slack/cards.py``) and, later, Discord and the web console
draw their cards from a :class:`CardView`, so every platform shows the same facts and the status
line is derived from the event log in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.durations import human_duration
from bot.desk.people import Person
from bot.core.business_time import snapshot_clock
from bot.desk import drafts
from storage.clock import utcnow
from storage.models import (OPEN_STATES, Agent, Case, Customer, Event, Mention, OutboxEntry, OutboxKind,
                            OutboxState, Visibility)

#: Event types that change what the status line says, newest wins.
STATUS_EVENTS = ("claimed", "released", "reassigned", "escalated", "reply_queued", "approval_requested",
                 "reply_sent", "reply_failed", "resolved", "not_actionable", "like_queued", "repost_queued",
                 "liked", "reposted")
#: Platforms where the relay can like, repost and post a public thank-you.
ENGAGE_PLATFORMS = ("x", "mastodon")


@dataclass(frozen=True)
class CardView:
    case_id: int
    state: str
    tier: str
    priority: float
    intent: str
    sentiment: str
    sentiment_score: float
    topic: str | None
    team: str | None
    platform: str
    url: str | None
    text: str
    author_handle: str
    author_name: str | None
    followers: int
    verified: bool
    crm_tier: str | None
    earlier_contacts: int
    mentions: int
    reasons: list[str]
    opened_at: datetime
    assignee: Person | None
    claimed_after_seconds: int | None
    # The newest status event (type, actor person or label, payload), or None for a fresh case.
    status: tuple[str, Person | str, dict] | None
    reply_state: str | None  # pending / awaiting_approval / sent of the newest outbox entry
    reply_url: str | None = None  # where the newest sent reply can be seen
    reply_error: str | None = None  # why the newest reply failed, if it did
    # Praise can be liked and reposted; a privately resolved case can be thanked in public.
    can_engage: bool = False
    engaged: frozenset[str] = frozenset()  # "like" / "repost" already queued or done
    can_thank_publicly: bool = False
    # The routing decision (bot/routing/) and the agent it named, when routing is configured.
    routing: dict | None = None
    routed_to: Person | None = None
    # Customer 360: CRM value, the note of a failed CRM lookup, earlier cases (newest first) and
    # the other cases of this customer still open.
    crm_value: float | None = None
    crm_note: str | None = None
    history: list[PastCase] = field(default_factory=list)
    open_conversations: list[int] = field(default_factory=list)
    # Incident grouping: the parent of a child case, or the children of a parent.
    parent_id: int | None = None
    children: list[int] = field(default_factory=list)
    # Who has the Reply dialog open on it now (their drafting lease runs: bot/desk/drafts.py).
    drafting: list[str] = field(default_factory=list)
    # The SLA running now: which one, and the time left in its clock (negative: overdue by).
    sla_due: SlaDue | None = None
    # Triage flagged insults, harassment or threats at the brand or its staff, and what kind.
    abusive: bool = False
    abuse: str | None = None


@dataclass(frozen=True)
class SlaDue:
    sla: str  # claim | first_reply
    seconds_left: float
    business_hours: bool  # counted in the team's business hours (else 24/7)
    due_at: datetime | None = None


def _sla_due(case: Case, replied: bool, now: datetime) -> SlaDue | None:
    """The claim SLA while nobody has claimed, then the first-reply SLA until a reply is queued;
    the time left counted in the clock the case's snapshot names (bot/core/business_time.py)."""
    if case.state not in OPEN_STATES:
        return None
    if case.assignee_id is None and case.claimed_at is None and case.claim_due_at is not None:
        name, due = "claim", case.claim_due_at
    elif not replied and case.reply_due_at is not None:
        name, due = "first_reply", case.reply_due_at
    else:
        return None
    clock = snapshot_clock(case.escalation)
    # Overdue time is plain elapsed time: "overdue by" means since the deadline passed.
    left = clock.seconds_between(now, due) if due > now else (due - now).total_seconds()
    return SlaDue(name, left, not clock.always, due)


@dataclass(frozen=True)
class PastCase:
    case_id: int
    platform: str
    state: str
    sentiment: str
    agent: str | None
    opened_at: datetime


HISTORY_SHOWN = 3


def _customer_360(session: Session, case: Case) -> tuple[list[PastCase], list[int], str | None]:
    history: list[PastCase] = []
    open_ids: list[int] = []
    if case.customer_id:
        others = session.execute(
            select(Case.id, Case.platform, Case.state, Case.sentiment, Agent.name, Case.opened_at)
            .outerjoin(Agent, Agent.id == Case.assignee_id)
            .where(Case.customer_id == case.customer_id, Case.id != case.id).order_by(Case.id.desc())).all()
        for cid, platform, state, sentiment, agent, opened in others:
            if state in OPEN_STATES:
                open_ids.append(cid)
            elif cid < case.id and len(history) < HISTORY_SHOWN:
                history.append(PastCase(cid, platform, state.value, sentiment, agent, opened))
    lookup = session.scalars(select(Event).where(Event.case_id == case.id, Event.type == "crm_lookup")
                             .order_by(Event.id.desc()).limit(1)).first()
    note = lookup.payload.get("note") if lookup is not None and not lookup.payload.get("ok", True) else None
    return history, sorted(open_ids), note


def _person(agent: Agent | None) -> Person | None:
    return Person.of(agent) if agent is not None else None


def load_card(session: Session, case_id: int, now: datetime | None = None) -> CardView | None:
    """The card of a case. The case row and its events are separate reads: an action that
    commits between them would give a card whose status line and buttons disagree (on
    PostgreSQL's read committed), so the card is read again when the case changed meanwhile."""
    def stamp() -> tuple | None:
        row = session.execute(select(Case.updated_at, Case.state, Case.assignee_id, Case.team)
                              .where(Case.id == case_id)).first()
        return tuple(row) if row else None

    view = None
    for _ in range(3):
        before = stamp()
        view = _load_card(session, case_id, now)
        if view is None or stamp() == before:
            return view
    return view


def _load_card(session: Session, case_id: int, now: datetime | None) -> CardView | None:
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        return None
    first = session.scalars(select(Mention).where(Mention.case_id == case_id)
                            .order_by(Mention.created_at, Mention.id).limit(1)).first()
    n_mentions = session.scalar(select(func.count()).select_from(Mention).where(Mention.case_id == case_id)) or 0
    customer = session.get(Customer, case.customer_id) if case.customer_id else None
    earlier = 0
    if case.customer_id:
        earlier = session.scalar(select(func.count()).select_from(Case).where(
            Case.customer_id == case.customer_id, Case.id < case.id)) or 0
    status_event = session.scalars(select(Event).where(Event.case_id == case_id, Event.type.in_(STATUS_EVENTS))
                                   .order_by(Event.id.desc()).limit(1)).first()
    status = None
    if status_event is not None:
        who = _person(session.get(Agent, status_event.actor_agent_id)) if status_event.actor_agent_id else None
        status = (status_event.type, who or status_event.actor, dict(status_event.payload))
    claimed_after = None
    if case.claimed_at is not None:
        claimed_after = max(0, int((case.claimed_at - case.opened_at).total_seconds()))
    entries = list(session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == case_id)
                                   .order_by(OutboxEntry.id.desc())))
    # Agents' replies; system messages (the satisfaction survey) are not what the card reports.
    replies = [e for e in entries if e.kind == OutboxKind.REPLY and e.author_agent_id is not None]
    outbox = replies[0] if replies else None
    engaged = frozenset(e.kind.value for e in entries if e.kind != OutboxKind.REPLY
                        and e.state in (OutboxState.PENDING, OutboxState.SENDING, OutboxState.SENT))
    private_sent = any(e.visibility == Visibility.PRIVATE and e.state == OutboxState.SENT for e in replies)
    public_after = any(e.visibility == Visibility.PUBLIC and e.state != OutboxState.FAILED
                       and e.state != OutboxState.REJECTED for e in replies if private_sent)
    engage_platform = case.platform in ENGAGE_PLATFORMS
    reasons = sorted(case.priority_reasons or [], key=lambda r: -float(r.get("points", 0)))
    history, open_ids, crm_note = _customer_360(session, case)
    return CardView(
        case_id=case.id, state=case.state.value, tier=case.tier.value, priority=case.priority, intent=case.intent,
        sentiment=case.sentiment, sentiment_score=case.sentiment_score, topic=case.topic, team=case.team,
        platform=case.platform, url=first.url if first else None, text=first.text if first else "",
        author_handle=first.author_handle if first else "?", author_name=first.author_name if first else None,
        followers=first.author_followers if first else (customer.followers if customer else 0),
        verified=bool(first.author_verified if first else False) or bool(customer and customer.verified),
        crm_tier=customer.crm_tier if customer else None, earlier_contacts=earlier, mentions=n_mentions,
        reasons=[f"{r.get('detail', r.get('factor'))} (+{float(r.get('points', 0)):g})"
                 for r in reasons if float(r.get("points", 0)) > 0][:3],
        opened_at=case.opened_at, assignee=_person(case.assignee), claimed_after_seconds=claimed_after,
        status=status, reply_state=outbox.state.value if outbox else None,
        reply_url=outbox.external_url if outbox else None,
        reply_error=outbox.last_error if outbox and outbox.state == OutboxState.FAILED else None,
        # "A positive tier-2 card": praise, never a request for help that happens to sound polite.
        can_engage=engage_platform and case.tier.value == "tier2" and not case.abusive
        and (case.intent == "praise" or case.sentiment == "positive"),
        engaged=engaged,
        can_thank_publicly=engage_platform and private_sent and not public_after
        and case.state.value in ("replied", "resolved"),
        routing=dict(case.routing) if case.routing else None,
        routed_to=_person(session.get(Agent, case.routing["agent_id"]))
        if case.routing and case.routing.get("agent_id") else None,
        crm_value=customer.crm_value if customer else None, crm_note=crm_note, history=history,
        open_conversations=open_ids, parent_id=case.parent_id,
        children=list(session.scalars(select(Case.id).where(Case.parent_id == case.id).order_by(Case.id))),
        drafting=drafts.drafting(session, case.id, now or utcnow()) if case.state in OPEN_STATES else [],
        sla_due=_sla_due(case, bool(replies), now or utcnow()),
        abusive=case.abusive, abuse=case.abuse,
    )


# --- words every renderer uses (Slack, Discord, the console) -----------------------------------

def duration(seconds: int | None) -> str:
    return human_duration(seconds)


def followers(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M followers"
    if n >= 10_000:
        return f"{n / 1000:.0f}k followers"
    return f"{n:,} followers"
