"""The floor, as a lead sees it (``/mentiondesk floor`` in Slack, ``floor`` in Discord): who holds
what, who is drafting, what waits unclaimed, and what is about to breach its SLA.

One platform-neutral read, :func:`floor`, rendered by each adapter in its own markup. Only leads
and supervisors see it (:data:`FLOOR_ROLES`); anyone else gets the reason. The deadlines are the
ones the escalation engine put on the case (``claim_due_at`` / ``reply_due_at``, counted in the
case's SLA clock, business hours included), so the floor and the timers never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.business_time import snapshot_clock
from bot.desk.actions import Actor
from bot.desk.card_lines import SLA_WORDS, Markup, hours_minutes
from storage.models import (
    OPEN_STATES,
    Agent,
    Case,
    OutboxEntry,
    OutboxKind,
    ReplyDraft,
    Role,
)

FLOOR_ROLES = frozenset({Role.LEAD, Role.SUPERVISOR})
#: "About to breach": a deadline within this long, or already passed.
SOON = timedelta(minutes=30)


@dataclass(frozen=True)
class Holder:
    name: str
    case_ids: list[int]
    drafting: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class AtRisk:
    case_id: int
    sla: str  # claim | first_reply
    due_at: datetime
    owner: str | None
    #: Time left in the case's SLA clock (negative: overdue by, in plain time).
    seconds_left: float = 0.0
    business_hours: bool = False


@dataclass(frozen=True)
class Floor:
    holders: list[Holder]
    unclaimed: list[int]
    at_risk: list[AtRisk]


def may_see_floor(actor: Actor) -> str | None:
    """Why ``actor`` may not see the floor (None: they may)."""
    if actor.agent_id is None:
        return "you are not registered as an agent in mentiondesk"
    if actor.role not in FLOOR_ROLES:
        return f"only leads and supervisors see the floor (you are {actor.role.value})"
    return None


def floor(session: Session, now: datetime) -> Floor:
    rows = session.execute(select(Case.id, Case.assignee_id, Case.claim_due_at, Case.reply_due_at, Case.claimed_at,
                                  Agent.name, Case.escalation).outerjoin(Agent, Agent.id == Case.assignee_id)
                           .where(Case.state.in_(OPEN_STATES)).order_by(Case.id)).all()
    # A reply queued (or waiting for PR) stops the first-reply SLA, as in the engine.
    replied = set(session.scalars(select(OutboxEntry.case_id).join(Case, Case.id == OutboxEntry.case_id).where(
        Case.state.in_(OPEN_STATES), OutboxEntry.kind == OutboxKind.REPLY, OutboxEntry.author_agent_id.is_not(None))))
    leases = session.execute(select(ReplyDraft.case_id, Agent.name).join(Agent, Agent.id == ReplyDraft.agent_id)
                             .where(ReplyDraft.lease_until > now)).all()
    holders: dict[str, Holder] = {}
    unclaimed, at_risk = [], []
    for case_id, assignee_id, claim_due, reply_due, claimed_at, owner, escalation in rows:
        if assignee_id is None:
            unclaimed.append(case_id)
        else:
            holders.setdefault(owner, Holder(owner, [])).case_ids.append(case_id)
        if assignee_id is None and claimed_at is None and claim_due is not None:
            due = ("claim", claim_due)
        elif reply_due is not None and case_id not in replied:
            due = ("first_reply", reply_due)
        else:
            continue
        clock = snapshot_clock(escalation)
        # "Soon" in the case's own clock: a business-hours deadline on Monday morning is not
        # about to breach on Friday night.
        left = clock.seconds_between(now, due[1]) if due[1] > now else (due[1] - now).total_seconds()
        if left <= SOON.total_seconds():
            at_risk.append(AtRisk(case_id, due[0], due[1], owner, left, not clock.always))
    for case_id, name in leases:
        holders.setdefault(name, Holder(name, [])).drafting.append(case_id)
    return Floor(sorted(holders.values(), key=lambda h: (-len(h.case_ids), h.name)), unclaimed,
                 sorted(at_risk, key=lambda r: r.due_at))


def floor_lines(seen: Floor, now: datetime, markup: Markup) -> list[str]:
    """The floor in a platform's markup (names escaped by ``markup.text``)."""
    lines = [markup.bold("The floor")]
    for holder in seen.holders:
        cases = ", ".join(f"#{i}" for i in holder.case_ids[:12]) or "none"
        drafting = f" · ✍️ drafting on {', '.join(f'#{i}' for i in holder.drafting)}" if holder.drafting else ""
        lines.append(f"• {markup.text(holder.name, 100)}: {len(holder.case_ids)} open ({cases}){drafting}")
    waiting = ", ".join(f"#{i}" for i in seen.unclaimed[:12])
    lines.append(f"{markup.bold('Unclaimed:')} {len(seen.unclaimed)}" + (f" ({waiting})" if waiting else ""))
    if not seen.at_risk:
        return [*lines, "Nothing is about to breach. 🎉"]
    lines.append(markup.bold("About to breach:"))
    for risk in seen.at_risk[:15]:
        left = risk.seconds_left
        clock = " (business hours)" if risk.business_hours else ""
        when = f"overdue by {hours_minutes(-left)}" if left < 0 else f"due in {hours_minutes(left)}{clock}"
        owner = markup.text(risk.owner, 100) if risk.owner else "nobody"
        lines.append(f"• #{risk.case_id} {SLA_WORDS.get(risk.sla, risk.sla)} {when} · {owner}")
    return lines
