"""Supervisor metrics computed from cases and their append-only event log.

Scope: the cases *opened* in ``[since, until)``, seen as of ``until`` (events after ``until`` are
ignored), so a report for last week reads the same tomorrow as today.

Definitions (the README repeats them for supervisors):

* time to claim — case opened → its first ``claimed`` (or ``reassigned``) event;
* time to first reply — opened → the first reply the agent committed: ``reply_queued``, or
  ``approval_requested`` for a reply held for PR (the same moment the first-reply SLA stops,
  see escalation/engine.py);
* time to resolve — opened → ``resolved``; cases closed as ``not_actionable`` are counted apart;
* SLA compliance — per case, the SLA snapshotted when it opened (``case.escalation["sla"]``),
  else ``default_sla[tier]``; *met* when the event came within the target, *breached* when it
  came late or has not come and the deadline has passed, *pending* otherwise. Compliance is
  met / (met + breached). A snapshot whose SLA counts business hours (``sla.hours_team``) is
  measured in that team's working time (bot/core/business_time.py), as its timers were;
* per agent — cases claimed, replies written, cases resolved (by the agent who acted), open
  cases they own right now, and handling time: first claim → resolution, for the cases they resolved;
* abusive — cases triage flagged for insults, harassment or threats at the brand or its staff
  (``case.abusive``; bot/triage/abuse.py), with the team they went to;
* approvals — each ``approval_requested`` paired with the ``approved`` / ``rejected`` event of
  the same outbox entry; the delay is the time between them.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.business_time import ALWAYS, WorkingTime, snapshot_clock
from storage.models import OPEN_STATES, Agent, Case, Event

CLAIM_EVENTS = ("claimed", "reassigned")
REPLY_EVENTS = ("reply_queued", "approval_requested")
DECISION_EVENTS = ("approved", "rejected")
READ_EVENTS = (*CLAIM_EVENTS, *REPLY_EVENTS, *DECISION_EVENTS, "resolved", "not_actionable", "escalated",
               "sla_breached", "survey_sent", "satisfaction")


@dataclass(frozen=True)
class Durations:
    """Summary of a set of durations, in seconds (None when there is none)."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, seconds: list[float]) -> Durations:
        if not seconds:
            return cls(0, None, None, None)
        ordered = sorted(seconds)
        # Nearest-rank 90th percentile: a value that really occurred, easy to check by hand.
        rank = max(1, -(-9 * len(ordered) // 10))
        return cls(len(ordered), statistics.fmean(ordered), statistics.median(ordered), ordered[rank - 1])


@dataclass(frozen=True)
class SlaFigures:
    met: int = 0
    breached: int = 0
    pending: int = 0

    @property
    def compliance(self) -> float | None:
        decided = self.met + self.breached
        return self.met / decided if decided else None


@dataclass
class AgentLoad:
    name: str
    claimed: int = 0
    replies: int = 0
    resolved: int = 0
    open_now: int = 0
    handling: Durations = field(default_factory=lambda: Durations.of([]))


@dataclass
class Report:
    since: datetime
    until: datetime
    cases: int
    not_actionable: int
    time_to_claim: Durations
    time_to_first_reply: Durations
    time_to_resolve: Durations
    sla: dict[str, SlaFigures]  # "claim", "first_reply"
    sla_breach_events: int
    volume: dict[str, dict[str, int]]  # tier, topic, sentiment, platform, hour (of day, UTC), day
    agents: list[AgentLoad]
    escalations: dict[str, Any]  # total, by_level, by_team
    approvals: dict[str, Any]  # requested, approved, rejected, pending, delay
    first_reply_by_day: dict[str, float] = field(default_factory=dict)  # day opened -> median seconds
    satisfaction: dict[str, Any] = field(default_factory=dict)  # surveys sent, answers, mean score, by_score
    abusive: dict[str, Any] = field(default_factory=dict)  # cases flagged abusive: total, by_team

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"], data["until"] = self.since.isoformat(), self.until.isoformat()
        for name, figures in self.sla.items():
            data["sla"][name]["compliance"] = figures.compliance
        return data


def _first(events: list[Event], types: tuple[str, ...]) -> Event | None:
    return next((e for e in events if e.type in types), None)


def _sla_outcome(target: float | None, opened: datetime, done: datetime | None, until: datetime,
                 clock: WorkingTime = ALWAYS) -> str | None:
    """met / breached / pending, the time counted in the SLA's clock (business hours or 24/7)."""
    if target is None:
        return None
    if done is not None:
        return "met" if clock.seconds_between(opened, done) <= target else "breached"
    return "breached" if clock.after(opened, target) <= until else "pending"


sla_clock = snapshot_clock


def compute(session: Session, since: datetime, until: datetime,
            default_sla: dict[str, dict[str, float]] | None = None) -> Report:
    """The report for cases opened in ``[since, until)``, as of ``until``."""
    if since >= until:
        raise ValueError(f"empty period: since {since.isoformat()} is not before until {until.isoformat()}")
    cases = list(session.scalars(select(Case).where(Case.opened_at >= since, Case.opened_at < until)
                                 .order_by(Case.id)))
    ids = [c.id for c in cases]
    events_by_case: dict[int, list[Event]] = defaultdict(list)
    for start in range(0, len(ids), 500):  # bounded IN lists
        chunk = ids[start:start + 500]
        for event in session.scalars(select(Event).where(Event.case_id.in_(chunk), Event.type.in_(READ_EVENTS),
                                                         Event.created_at < until).order_by(Event.id)):
            events_by_case[event.case_id].append(event)
    names = {a.id: a.name for a in session.scalars(select(Agent))}
    agents: dict[str, AgentLoad] = {}

    def load(agent_id: int | None) -> AgentLoad | None:
        if agent_id is None or agent_id not in names:
            return None
        return agents.setdefault(names[agent_id], AgentLoad(names[agent_id]))

    claim_s, reply_s, resolve_s = [], [], []
    reply_by_day: dict[str, list[float]] = defaultdict(list)
    handling: dict[str, list[float]] = defaultdict(list)
    sla = {"claim": Counter(), "first_reply": Counter()}
    volume = {k: Counter() for k in ("tier", "topic", "sentiment", "platform", "hour", "day")}
    escalations = {"total": 0, "by_level": Counter(), "by_team": Counter()}
    requested: dict[int, datetime] = {}
    decided = Counter()
    approval_delays: list[float] = []
    breach_events = not_actionable = surveys = 0
    abusive: Counter = Counter()
    scores: Counter = Counter()

    for case in cases:
        events = events_by_case[case.id]
        opened = case.opened_at
        volume["tier"][case.tier.value] += 1
        volume["topic"][case.topic or "(none)"] += 1
        volume["sentiment"][case.sentiment] += 1
        volume["platform"][case.platform] += 1
        volume["hour"][f"{opened.hour:02d}"] += 1
        volume["day"][opened.date().isoformat()] += 1

        claim, reply, resolved = _first(events, CLAIM_EVENTS), _first(events, REPLY_EVENTS), _first(events, ("resolved",))
        if claim:
            claim_s.append((claim.created_at - opened).total_seconds())
        if reply:
            reply_s.append((reply.created_at - opened).total_seconds())
            reply_by_day[opened.date().isoformat()].append(reply_s[-1])
        if resolved:
            resolve_s.append((resolved.created_at - opened).total_seconds())
            if claim and (who := load(resolved.actor_agent_id)):
                handling[who.name].append((resolved.created_at - claim.created_at).total_seconds())
        not_actionable += any(e.type == "not_actionable" for e in events)
        if case.abusive:
            abusive[case.team or "(none)"] += 1

        targets = (case.escalation or {}).get("sla") or (default_sla or {}).get(case.tier.value) or {}
        for name, done in (("claim", claim), ("first_reply", reply)):
            outcome = _sla_outcome(targets.get(name), opened, done.created_at if done else None, until,
                                   sla_clock(case.escalation))
            if outcome:
                sla[name][outcome] += 1

        for event in events:
            if event.type in ("claimed", "resolved", *REPLY_EVENTS) and (who := load(event.actor_agent_id)):
                if event.type == "claimed":
                    who.claimed += 1
                elif event.type == "resolved":
                    who.resolved += 1
                else:
                    who.replies += 1
            elif event.type == "escalated":
                escalations["total"] += 1
                escalations["by_level"][event.payload.get("level", "?")] += 1
                escalations["by_team"][event.payload.get("to_team", "?")] += 1
            elif event.type == "sla_breached":
                breach_events += 1
            elif event.type == "survey_sent":
                surveys += 1
            elif event.type == "satisfaction" and event.payload.get("score") in (1, 2, 3, 4, 5):
                scores[event.payload["score"]] += 1
            if event.type == "approval_requested":
                requested[event.payload.get("outbox_id")] = event.created_at
            elif event.type in DECISION_EVENTS and event.payload.get("outbox_id") in requested:
                decided[event.type] += 1
                approval_delays.append((event.created_at - requested.pop(event.payload["outbox_id"])).total_seconds())

    # Who holds what right now (not limited to the period: a supervisor's view of the floor).
    for agent_id, in session.execute(select(Case.assignee_id).where(Case.state.in_(OPEN_STATES),
                                                                     Case.assignee_id.is_not(None))):
        if who := load(agent_id):
            who.open_now += 1
    for name, values in handling.items():
        agents[name].handling = Durations.of(values)

    return Report(
        since=since, until=until, cases=len(cases), not_actionable=not_actionable,
        time_to_claim=Durations.of(claim_s), time_to_first_reply=Durations.of(reply_s),
        time_to_resolve=Durations.of(resolve_s),
        sla={name: SlaFigures(c["met"], c["breached"], c["pending"]) for name, c in sla.items()},
        sla_breach_events=breach_events,
        volume={k: dict(sorted(v.items())) for k, v in volume.items()},
        agents=sorted(agents.values(), key=lambda a: a.name),
        escalations={"total": escalations["total"], "by_level": dict(escalations["by_level"]),
                     "by_team": dict(escalations["by_team"])},
        approvals={"requested": decided.total() + len(requested), "approved": decided["approved"],
                   "rejected": decided["rejected"], "pending": len(requested),
                   "delay": Durations.of(approval_delays)},
        first_reply_by_day={day: statistics.median(v) for day, v in sorted(reply_by_day.items())},
        satisfaction={"surveys": surveys, "answers": scores.total(),
                      "mean": sum(k * n for k, n in scores.items()) / scores.total() if scores else None,
                      "by_score": {k: scores[k] for k in range(1, 6)}},
        abusive={"total": abusive.total(), "by_team": dict(sorted(abusive.items()))},
    )


PERIODS = ("today", "yesterday", "week", "last_week")


def period_bounds(word: str, now: datetime) -> tuple[datetime, datetime]:
    """``today`` (since midnight UTC), ``yesterday``, ``week`` (the last 7 days including today) or
    ``last_week`` (the 7 whole days before today)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    bounds = {"today": (midnight, now), "yesterday": (midnight - timedelta(days=1), midnight),
              "week": (midnight - timedelta(days=6), now), "last_week": (midnight - timedelta(days=7), midnight)}
    if word not in bounds:
        raise ValueError(f"unknown period {word!r}: use {', '.join(PERIODS)}")
    return bounds[word]


def sla_targets(escalation_map: Any) -> dict[str, dict[str, float]]:
    """``{tier: {"claim": s, "first_reply": s}}`` from an escalation map: the default targets for
    cases opened without an SLA snapshot."""
    return {tier: {"claim": p.claim.total_seconds(), "first_reply": p.first_reply.total_seconds()}
            for tier, p in escalation_map.sla.items()}
