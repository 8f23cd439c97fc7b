"""Metrics from a hand-built event log equal figures computed by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.reporting.metrics import compute
from storage.models import Agent, Case, CaseState, Event, Tier

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)  # a Monday
SINCE, UNTIL = T0, T0 + timedelta(hours=3)  # 09:00 - 12:00
DEFAULT_SLA = {"tier1": {"claim": 900, "first_reply": 3600}, "tier2": {"claim": 7200, "first_reply": 28800}}


def at(hh: int, mm: int, day: int = 16) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=timezone.utc)


def build_log(session) -> None:
    ids = {a.name.split()[0]: a.id for a in session.scalars(select(Agent))}

    def case(tier, platform, topic, sentiment, opened, state, assignee=None, escalation=None) -> int:
        row = Case(tier=Tier(tier), platform=platform, topic=topic, sentiment=sentiment, intent="question",
                   opened_at=opened, state=state, assignee_id=ids.get(assignee), escalation=escalation)
        session.add(row)
        session.flush()
        return row.id

    def ev(case_id, type, when, who=None, **payload) -> None:
        session.add(Event(case_id=case_id, type=type, created_at=when, actor=who or "system",
                          actor_agent_id=ids.get(who), payload=payload))

    a = case("tier1", "x", "baggage", "negative", at(9, 0), CaseState.RESOLVED, "Ana")
    ev(a, "claimed", at(9, 5), "Ana")
    ev(a, "reply_queued", at(9, 20), "Ana", outbox_id=6)
    ev(a, "approval_requested", at(9, 40), "Ana", outbox_id=9)  # never decided: pending
    ev(a, "resolved", at(10, 0), "Ana")
    ev(a, "survey_sent", at(10, 1))
    ev(a, "satisfaction", at(10, 30), score=4)

    b = case("tier1", "instagram", "delay", "negative", at(9, 30), CaseState.RESOLVED, "Ben")
    ev(b, "claimed", at(9, 50), "Ben")
    ev(b, "approval_requested", at(10, 0), "Ben", outbox_id=7)
    ev(b, "approved", at(10, 12), "Erin", outbox_id=7)
    ev(b, "approval_requested", at(10, 40), "Ben", outbox_id=8)
    ev(b, "rejected", at(11, 10), "Erin", outbox_id=8)
    ev(b, "resolved", at(11, 30), "Ben")
    ev(b, "survey_sent", at(11, 31))
    ev(b, "satisfaction", at(11, 45), score=2)

    # Its own SLA snapshot (10 min to claim, 20 min to reply) wins over the default.
    c = case("tier2", "x", None, "positive", at(10, 0), CaseState.ESCALATED,
             escalation={"sla": {"claim": 600, "first_reply": 1200}})
    ev(c, "claimed", at(10, 15), "Ana")
    ev(c, "sla_breached", at(10, 20), sla="first_reply")
    ev(c, "escalated", at(10, 30), "Ana", level="pr", to_team="pr", from_team="care")

    d = case("tier1", "x", "baggage", "neutral", at(11, 50), CaseState.REPLIED)
    ev(d, "reply_queued", at(12, 10), "Ben", outbox_id=10)  # after UNTIL: not seen

    e = case("tier2", "facebook", None, "neutral", at(11, 0), CaseState.NOT_ACTIONABLE)
    ev(e, "not_actionable", at(11, 10), "Dev")

    f = case("tier1", "x", "delay", "negative", at(8, 0, day=15), CaseState.CLAIMED, "Ana")  # before SINCE
    ev(f, "claimed", at(8, 1, day=15), "Ana")
    ev(f, "satisfaction", at(10, 0), score=1)  # a case opened before SINCE: not counted
    case("tier1", "x", "delay", "negative", at(12, 30), CaseState.OPEN)  # after UNTIL
    session.commit()


def test_metrics_equal_hand_computed_figures(runtime):
    with runtime.sessions() as session:
        build_log(session)
        r = compute(session, SINCE, UNTIL, default_sla=DEFAULT_SLA)

    assert r.cases == 5 and r.not_actionable == 1
    # claim: A 300 s, B 1200 s, C 900 s
    assert (r.time_to_claim.count, r.time_to_claim.mean, r.time_to_claim.median, r.time_to_claim.p90) == \
        (3, 800, 900, 1200)
    # first reply: A 1200 s (reply_queued), B 1800 s (approval_requested); D's reply came after UNTIL
    assert (r.time_to_first_reply.count, r.time_to_first_reply.mean, r.time_to_first_reply.p90) == (2, 1500, 1800)
    assert (r.time_to_resolve.count, r.time_to_resolve.mean, r.time_to_resolve.median) == (2, 5400, 5400)

    # claim SLA: A met; B (20 min > 15) and C (15 min > its own 10) breached; D, E not due yet
    claim = r.sla["claim"]
    assert (claim.met, claim.breached, claim.pending) == (1, 2, 2)
    assert claim.compliance == pytest.approx(1 / 3)
    # first reply: A, B met; C never answered and its 20 min passed; D, E not due yet
    reply = r.sla["first_reply"]
    assert (reply.met, reply.breached, reply.pending) == (2, 1, 2)
    assert reply.compliance == pytest.approx(2 / 3)
    assert r.sla_breach_events == 1

    assert r.volume["tier"] == {"tier1": 3, "tier2": 2}
    assert r.volume["topic"] == {"(none)": 2, "baggage": 2, "delay": 1}
    assert r.volume["sentiment"] == {"negative": 2, "neutral": 2, "positive": 1}
    assert r.volume["platform"] == {"facebook": 1, "instagram": 1, "x": 3}
    assert r.volume["hour"] == {"09": 2, "10": 1, "11": 2}
    assert r.volume["day"] == {"2026-11-16": 5}

    agents = {a.name.split()[0]: a for a in r.agents}
    assert set(agents) == {"Ana", "Ben"}
    ana, ben = agents["Ana"], agents["Ben"]
    assert (ana.claimed, ana.replies, ana.resolved, ana.open_now) == (2, 2, 1, 1)  # open_now: case F
    assert (ben.claimed, ben.replies, ben.resolved, ben.open_now) == (1, 2, 1, 0)
    assert (ana.handling.count, ana.handling.mean) == (1, 3300)  # 09:05 -> 10:00
    assert (ben.handling.count, ben.handling.mean) == (1, 6000)  # 09:50 -> 11:30

    assert r.escalations == {"total": 1, "by_level": {"pr": 1}, "by_team": {"pr": 1}}
    ap = r.approvals
    assert (ap["requested"], ap["approved"], ap["rejected"], ap["pending"]) == (3, 1, 1, 1)
    assert (ap["delay"].count, ap["delay"].mean, ap["delay"].p90) == (2, 1260, 1800)  # 12 min and 30 min

    assert r.first_reply_by_day == {"2026-11-16": 1500}
    assert r.satisfaction == {"surveys": 2, "answers": 2, "mean": 3.0, "by_score": {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}}
    data = r.as_dict()
    assert data["sla"]["claim"]["compliance"] == pytest.approx(1 / 3)


def test_empty_period_is_refused(runtime):
    with runtime.sessions() as session, pytest.raises(ValueError, match="empty period"):
        compute(session, UNTIL, SINCE)
