"""The escalation engine: perform a case's due escalation steps, once each, at a given time.

Time comes in from outside (``now``), so tests move a fake clock and the scheduler
(``escalation/scheduler.py``) only decides *when* to call :meth:`EscalationEngine.tick`.

How "never twice" holds: every step the engine performs is one event with a ``dedupe_key``
(``esc:<case>:<item key>``) that the database keeps unique. The event is written *first*, in
the same transaction as the step's effects; a writer that loses the insert (a restart replaying
the step, a duplicate timer, a second replica) does nothing. Pings are handed to the notifier
only after that transaction commits, so a rolled-back step pings no one. The price: a crash
between commit and delivery loses that one ping (at most once, never twice) — the event log
still shows it was due.

What stops or changes a chain:

* claim (or any move out of open/escalated, e.g. resolve) stops the chain for good: one
  ``escalation_stopped`` event, no more chain pings;
* the claim SLA only runs while nobody has claimed; the first-reply SLA only until a reply is
  queued and while the case is not closed;
* a breach with ``next_step`` cuts the chain's current wait short at the breach time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from escalation.chain import PING_KINDS, CaseFacts, Due, approval_plan, deadlines, plan, snapshot
from escalation.snapshot import Snapshot
from escalation.map import EscalationMap
from bot.desk.people import Person, people
from storage.clock import utcnow
from storage import queries
from storage.db import transaction
from storage.models import Agent, Case, CaseState, Customer, Event, Mention, OutboxEntry, OutboxState, Role, Team

log = logging.getLogger(__name__)

ACTOR = "escalation"
UNCLAIMED = (CaseState.OPEN, CaseState.ESCALATED)
CLOSED = (CaseState.RESOLVED, CaseState.NOT_ACTIONABLE)
MAX_ITEMS_PER_TICK = 500  # a bounded loop even if a map were pathological




@dataclass(frozen=True)
class Ping:
    """Tell someone about a case. Adapters (Slack, Discord) turn it into a message."""

    case_id: int
    kind: str  # notify_people | notify_group | post_to_channel | sla_warning | sla_breach | notify_lead
    message: str
    people: tuple[Person, ...] = ()
    groups: tuple[str, ...] = ()  # user group ids as the map names them (adapters keep their platform's)
    channels: tuple[str, ...] = ()  # channel ids as the map names them (post_to_channel)
    #: The team the case belongs to: where a ping goes when the case has no card yet (each
    #: adapter finds that team's channel on its own platform).
    team: str | None = None
    key: str = ""


@dataclass
class TickResult:
    case_id: int
    pings: list[Ping] = field(default_factory=list)
    next_at: datetime | None = None  # when the case needs the engine again; None: never
    stopped: bool = False


def facts_for(session: Session, case: Case) -> CaseFacts:
    """What the escalation map matches on, read from a stored case."""
    batch = queries.OpeningBatch.of(session)
    if batch is not None and case.id in batch.by_id:  # opened by this ingest batch, not stored yet
        first = min(batch.filed[case.id], key=lambda m: (m.created_at, m.id))
    else:
        first = session.scalars(select(Mention).where(Mention.case_id == case.id)
                                .order_by(Mention.created_at, Mention.id).limit(1)).first()
    customer = queries.customer_of(session, case.customer_id)
    return CaseFacts(
        tier=case.tier.value, intent=case.intent, topic=case.topic, sentiment=case.sentiment,
        text=first.text if first else "", followers=max(first.author_followers if first else 0,
                                                       customer.followers if customer else 0),
        verified=bool((first and first.author_verified) or (customer and customer.verified)),
        crm_tier=customer.crm_tier if customer else None, team=case.team, abusive=case.abusive)


class EscalationEngine:
    def __init__(self, sessions: sessionmaker[Session], escalation_map: Callable[[], EscalationMap] | EscalationMap,
                 *, clock: Callable[[], datetime] = utcnow):
        self.sessions = sessions
        # A callable so an edited map (reloaded on change) applies to cases opened from then on.
        self._map = escalation_map if callable(escalation_map) else (lambda: escalation_map)
        self.clock = clock

    # --- when a case opens -----------------------------------------------------------------------

    def start_case(self, session: Session, case: Case, facts: CaseFacts | None = None) -> Snapshot | None:
        """Snapshot the case's escalation onto it (inside the caller's transaction)."""
        if case.escalation is not None:
            return Snapshot.from_json(case.escalation)
        snap = snapshot(self._map(), facts or facts_for(session, case))
        if snap is None:
            return None
        case.escalation = snap.to_json()
        # The deadlines in the SLA's clock, on the case, so cards and the console show "due in ...".
        due = deadlines(snap, case.opened_at)
        case.claim_due_at, case.reply_due_at = due.get("claim"), due.get("first_reply")
        if queries.OpeningBatch.of(session) is None:
            session.flush()
        queries.add_event_once(session, case.id, "escalation_started", f"esc:{case.id}:started", actor=ACTOR,
                               payload={"category": snap.category, "team": snap.team, "steps": len(snap.chain),
                                        "sla": snap.sla.to_json() if snap.sla else None}, at=case.opened_at)
        return snap

    start_case.batched = True  # type: ignore[attr-defined]  # reads queries.OpeningBatch, writes with it

    # --- a timer fired, or the case changed ------------------------------------------------------

    def tick(self, case_id: int, now: datetime | None = None) -> TickResult:
        """Perform every step of the case that is due at ``now`` and not done yet; say when next."""
        now = now or self.clock()
        with transaction(self.sessions) as session:
            result = self._tick(session, case_id, now)
        return result

    def _tick(self, session: Session, case_id: int, now: datetime) -> TickResult:
        result = TickResult(case_id)
        case = session.get(Case, case_id, populate_existing=True)
        if case is None or not case.escalation:
            return result
        snap = Snapshot.from_json(case.escalation)
        prefix = f"esc:{case_id}:"
        events = session.scalars(select(Event).where(Event.case_id == case_id, Event.dedupe_key.is_not(None))).all()
        done = {e.dedupe_key.removeprefix(prefix) for e in events}
        advances = [datetime.fromisoformat(e.payload["due_at"]) for e in events
                    if e.type == "sla_breached" and "next_step" in e.payload.get("actions", [])]

        if "chain:stopped" not in done and (case.state not in UNCLAIMED or case.assignee_id is not None):
            queries.add_event_once(session, case_id, "escalation_stopped", prefix + "chain:stopped", actor=ACTOR,
                                   payload={"why": f"case {case.state.value.replace('_', ' ')}"}, at=now)
            done.add("chain:stopped")
        result.stopped = "chain:stopped" in done

        drafts = _drafts_awaiting_approval(session, case_id)
        for _ in range(MAX_ITEMS_PER_TICK):
            # SLA items first on a tie, as in chain.plan: a breach may cut a wait short.
            items = sorted(plan(snap, case.opened_at, advances) + approval_plan(snap, list(drafts.items())),
                           key=lambda d: (d.at, not d.kind.startswith("sla"), d.key))
            todo = [d for d in items if d.key not in done and self._applies(session, case, d, result.stopped)]
            due = [d for d in todo if d.at <= now]
            if not due:
                result.next_at = min((d.at for d in todo), default=None)
                return result
            item = due[0]
            done.add(item.key)
            event_type, payload = self._event(item, snap)
            if not queries.add_event_once(session, case_id, event_type, prefix + item.key, actor=ACTOR,
                                          payload=payload, at=now):
                continue  # someone else performed it: their pings went out, ours must not
            if item.kind == "sla_breach" and "next_step" in item.detail["actions"]:
                advances.append(item.at)
            result.pings.extend(self._effects(session, case, item, snap, now))
            case = session.get(Case, case_id, populate_existing=True)
        log.error("case %s: more than %s escalation items due at once", case_id, MAX_ITEMS_PER_TICK)
        return result

    @staticmethod
    def _applies(session: Session, case: Case, item: Due, chain_stopped: bool) -> bool:
        if item.kind in PING_KINDS:
            return not chain_stopped
        if item.sla == "claim":
            return case.claimed_at is None and case.state in UNCLAIMED
        if item.sla == "approval":
            entry = session.get(OutboxEntry, item.detail["outbox_id"], populate_existing=True)
            return entry is not None and entry.state == OutboxState.AWAITING_APPROVAL
        # first reply: until something is queued for the customer, while the case is open
        if case.first_reply_at is not None or case.state in CLOSED or case.state == CaseState.AWAITING_APPROVAL:
            return False
        return session.scalars(select(OutboxEntry.id).where(OutboxEntry.case_id == case.id).limit(1)).first() is None

    @staticmethod
    def _event(item: Due, snap: Snapshot) -> tuple[str, dict[str, Any]]:
        base = {"key": item.key, "due_at": item.at.isoformat(), "category": snap.category}
        if item.kind == "sla_warning":
            return "sla_warning", {**base, "sla": item.sla, **item.detail}
        if item.kind == "sla_breach":
            return "sla_breached", {**base, "sla": item.sla, **item.detail}
        return "escalation_step", {**base, "kind": item.kind, "targets": list(item.targets), **item.detail}

    # --- what a performed item does --------------------------------------------------------------

    def _effects(self, session: Session, case: Case, item: Due, snap: Snapshot, now: datetime) -> list[Ping]:
        label = f"case {case.id}" + (f" ({snap.category.replace('_', ' ')})" if snap.category else "")
        if item.kind == "notify_people":
            return [Ping(case.id, item.kind, f"{label} needs you", people=_people(session, item.targets),
                         key=item.key)]
        if item.kind == "notify_group":
            return [Ping(case.id, item.kind, f"{label} needs your group", groups=item.targets, key=item.key)]
        if item.kind == "post_to_channel":
            return [Ping(case.id, item.kind, f"{label} escalated here", channels=item.targets, key=item.key)]
        if item.sla == "approval":  # PR has not decided on a draft in time: PR again, and the leads
            pings = [Ping(case.id, "sla_breach", f"{label}: a reply still waits for PR approval "
                          f"(due {item.at:%H:%M} UTC)", people=_pr_people(session), key=item.key)]
            if "notify_lead" in item.detail["actions"]:
                pings.append(Ping(case.id, "notify_lead", f"{label}: approval overdue",
                                  people=_leads(session, snap.team or case.team), key=item.key + ":lead"))
            return pings
        what = "claimed" if item.sla == "claim" else "answered"
        owner = _people(session, [case.assignee.name]) if case.assignee else ()
        if item.kind == "sla_warning":
            return [Ping(case.id, item.kind, f"{label} must be {what} by {item.detail['deadline']}",
                         people=owner, team=case.team or snap.team, key=item.key)]
        pings = [Ping(case.id, item.kind, f"{label} was not {what} in time (SLA breached)", people=owner,
                      team=case.team or snap.team, key=item.key)]
        actions = item.detail["actions"]
        if "release_claim" in actions and item.sla == "first_reply" and case.state == CaseState.CLAIMED:
            from bot.desk.actions import release_unanswered_claim  # the claim-SLA hook of the case actions

            release_unanswered_claim(session, case.id, claimed_before=now, now=now)
        if "notify_lead" in actions:
            leads = _leads(session, snap.team or case.team)
            pings.append(Ping(case.id, "notify_lead", f"{label}: SLA breached ({item.sla.replace('_', ' ')})",
                              people=leads, key=item.key + ":lead"))
        return pings


def _people(session: Session, names) -> tuple[Person, ...]:
    agents = session.scalars(select(Agent).where(Agent.name.in_(list(names)), Agent.active.is_(True))).all()
    by_name = {a.name: a for a in agents}
    return tuple(Person.of(by_name[n]) for n in names if n in by_name)


def _leads(session: Session, team: str | None) -> tuple[Person, ...]:
    query = select(Agent).where(Agent.role == Role.LEAD, Agent.active.is_(True)).order_by(Agent.name)
    if team:
        query = query.join(Agent.teams).where(Team.name == team)
    return people(session.scalars(query))


def _pr_people(session: Session) -> tuple[Person, ...]:
    query = select(Agent).where(Agent.role == Role.PR, Agent.active.is_(True)).order_by(Agent.name)
    return people(session.scalars(query))


def _drafts_awaiting_approval(session: Session, case_id: int) -> dict[int, datetime]:
    """Reply drafts of the case still waiting for PR: outbox id -> when approval was requested."""
    rows = session.execute(select(OutboxEntry.id, OutboxEntry.created_at).where(
        OutboxEntry.case_id == case_id, OutboxEntry.state == OutboxState.AWAITING_APPROVAL)).all()
    return {outbox_id: created_at for outbox_id, created_at in rows}
