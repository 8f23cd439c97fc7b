"""Choosing a case's escalation and laying it out in time — pure functions, no database.

``snapshot(map, facts)`` picks the first matching category and freezes its chain, SLA and the
business hours it refers to into a typed :class:`~escalation.snapshot.Snapshot` (stored on the
case as JSON when it opens, so later edits of the map do not change running escalations).

``plan(snapshot, opened_at, advances)`` turns a snapshot into the list of :class:`Due` items —
pings of the chain and SLA warnings/breaches — each with the moment it is due and a key that
is unique within the case. The same inputs always give the same plan: that is what makes a
restart harmless (the plan is recomputed; the event log says which keys were already done).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from escalation.map import Category, EscalationMap
from escalation.snapshot import PING_KINDS, ChainWalk, Due, SlaTerms, Snapshot, step_from_map

__all__ = ["PING_KINDS", "CaseFacts", "Due", "Snapshot", "approval_plan", "chain_plan", "choose_category", "deadlines",
           "matches",
           "plan", "sla_plan", "snapshot", "unattended_plan"]


@dataclass(frozen=True)
class CaseFacts:
    """What the categories match on; built from a stored case or from a text (simulate)."""

    tier: str
    intent: str
    topic: str | None
    sentiment: str
    text: str = ""
    followers: int = 0
    verified: bool = False
    crm_tier: str | None = None
    team: str | None = None
    abusive: bool = False


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text, re.IGNORECASE) is not None


def matches(category: Category, facts: CaseFacts, vip_crm_tiers: list[str]) -> bool:
    m = category.match
    if m.tiers and facts.tier not in m.tiers:
        return False
    if m.intents and facts.intent not in m.intents:
        return False
    if m.topics and facts.topic not in m.topics:
        return False
    if m.sentiments and facts.sentiment not in m.sentiments:
        return False
    if m.keywords and not any(_has_phrase(facts.text, k) for k in m.keywords):
        return False
    if m.min_followers is not None and facts.followers < m.min_followers:
        return False
    if m.vip is not None:
        is_vip = facts.verified or (facts.crm_tier or "").lower() in {t.lower() for t in vip_crm_tiers}
        if is_vip != m.vip:
            return False
    if m.abusive is not None and facts.abusive != m.abusive:
        return False
    return True


def choose_category(emap: EscalationMap, facts: CaseFacts) -> Category | None:
    return next((c for c in emap.categories if matches(c, facts, emap.vip_crm_tiers)), None)


def snapshot(emap: EscalationMap, facts: CaseFacts) -> Snapshot | None:
    """The frozen escalation of a case with ``facts``; None when neither a category nor an SLA applies."""
    category = choose_category(emap, facts)
    sla = emap.sla.get(facts.tier)
    if category is None and sla is None:
        return None
    chain = tuple(step_from_map(step, emap) for step in (category.chain if category else []))
    hours = {team: emap.business_hours[team] for team in (step.business_hours_used() for step in chain) if team}
    team = category.team if category and category.team else facts.team
    # The SLA counts the team's working time when the tier (or the category, overriding it) says
    # so and the team has hours; otherwise the 24/7 clock, as before business hours existed.
    clock = (category.sla_clock if category and category.sla_clock else None) or (sla.clock if sla else "24/7")
    hours_team = team if clock == "business_hours" and team in emap.business_hours else None
    if hours_team:
        hours[hours_team] = emap.business_hours[hours_team]
    return Snapshot(
        category=category.name if category else None,
        team=team,
        requires_approval=bool(category and category.requires_approval),
        chain=chain,
        business_hours=hours,
        sla=None if sla is None else SlaTerms(
            int(sla.claim.total_seconds()), int(sla.first_reply.total_seconds()), int(sla.warn_before.total_seconds()),
            tuple(sla.on_breach), int(sla.approval.total_seconds()) if sla.approval else None, hours_team),
    )


def chain_plan(snap: Snapshot, opened_at: datetime, advances: list[datetime] = ()) -> list[Due]:
    """The chain's pings in time order. ``advances`` are moments at which a breach with
    ``next_step`` cut the wait in progress short."""
    walk = ChainWalk(opened_at, snap.business_hours, sorted(advances), snap.sla_clock())
    while walk.index < len(snap.chain):
        snap.chain[walk.index].walk(walk)
    return walk.out


def sla_plan(snap: Snapshot, opened_at: datetime) -> list[Due]:
    sla = snap.sla
    if not sla:
        return []
    out = []
    clock = snap.sla_clock()
    extra = {"business_hours": sla.hours_team} if sla.hours_team else {}
    for name, seconds in (("claim", sla.claim), ("first_reply", sla.first_reply)):
        # Both counted in the SLA's clock: a warning 10 min before a business-hours deadline
        # comes 10 working minutes before it, never in the night before.
        deadline = clock.after(opened_at, seconds)
        if sla.warn_before:
            out.append(Due(f"sla:{name}:warning", clock.after(opened_at, seconds - sla.warn_before), "sla_warning",
                           sla=name, detail={"deadline": deadline.isoformat(), **extra}))
        out.append(Due(f"sla:{name}:breach", deadline, "sla_breach", sla=name,
                       detail={"deadline": deadline.isoformat(), "actions": list(sla.on_breach), **extra}))
    return out


def deadlines(snap: Snapshot, opened_at: datetime) -> dict[str, datetime]:
    """When the case must be claimed and first answered (``claim`` / ``first_reply``), in its SLA's clock."""
    return {d.sla: d.at for d in sla_plan(snap, opened_at) if d.kind == "sla_breach"}


def plan(snap: Snapshot, opened_at: datetime, advances: list[datetime] = ()) -> list[Due]:
    """Everything the case's escalation will do, in time order (SLA items first on a tie)."""
    items = sla_plan(snap, opened_at) + chain_plan(snap, opened_at, advances)
    return sorted(items, key=lambda d: (d.at, not d.kind.startswith("sla"), d.key))


def unattended_plan(snap: Snapshot, opened_at: datetime) -> list[Due]:
    """The plan if nobody ever claims or answers: each breach with ``next_step`` cuts the wait
    in progress short, as the engine would (``mentiondesk escalation simulate``)."""
    advances: list[datetime] = []
    while True:
        items = plan(snap, opened_at, advances)
        new = [d.at for d in items if d.kind == "sla_breach" and "next_step" in d.detail["actions"]
               and d.at not in advances]
        if not new:
            return items
        advances.append(min(new))


def approval_plan(snap: Snapshot, requests: list[tuple[int, datetime]]) -> list[Due]:
    """The approval SLA: one breach per reply draft (outbox id, requested at) PR has not decided on."""
    seconds = snap.sla.approval if snap.sla else None
    if not seconds:
        return []
    return [Due(f"sla:approval:{outbox_id}:breach", at + timedelta(seconds=seconds), "sla_breach", sla="approval",
                detail={"deadline": (at + timedelta(seconds=seconds)).isoformat(), "outbox_id": outbox_id,
                        "actions": [a for a in snap.sla.on_breach if a == "notify_lead"]})
            for outbox_id, at in requests]
