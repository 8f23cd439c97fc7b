"""The escalation engine on real SQLite and PostgreSQL, with a clock the tests move.

Warning then breach then next step; business-hours pause and resume across a restart; claim
stops the chain; no double ping on restart, duplicate timer or concurrent ticks; the snapshot
keeps running escalations independent of later map edits.
"""

from __future__ import annotations

import textwrap
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from escalation.engine import EscalationEngine
from escalation.map import parse_escalation_map
from storage.db import transaction
from storage.models import Case, CaseState, Event
from tests.conftest import mention

# Saturday 21 November 2026, 10:00 UTC (London is on GMT: UTC+0).
SAT = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
ANA, DEV = "U0ANA00001", "U0DEV00001"

MAP = """\
business_hours:
  baggage: {timezone: Europe/London, days: [mon, tue, wed, thu, fri], open: "08:00", close: "18:00"}
sla:
  tier1: {claim: 15m, first_reply: 1h, warn_before: 5m, on_breach: [next_step, notify_lead, release_claim]}
categories:
  - name: safety
    match: {topics: [safety]}
    team: pr
    chain:
      - notify_people: [Erin Walsh]
      - wait: 1h
      - notify_people: [Dev Patel]
      - wait: 1h
      - repeat: 1
  - name: baggage
    match: {topics: [lost_luggage]}
    team: baggage
    chain:
      - business_hours: baggage
      - notify_people: [Chloe Martin]
"""
SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"
BAG = "@SkylarkAir my bag never arrived, please help"


def load_map(config, text=MAP):
    return parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(text)), config)


def wire(runtime, emap) -> EscalationEngine:
    engine = EscalationEngine(runtime.sessions, emap, clock=lambda: SAT)
    runtime.ingest.case_openers.append(engine.start_case)
    return engine


def open_case(runtime, text, at=SAT, id="m1") -> int:
    outcome = runtime.ingest_batch([parse_mention(mention(id, text, created_at=at.isoformat()))], now=at)[0]
    assert outcome.case_id is not None
    return outcome.case_id


def esc_events(runtime, case_id) -> list[Event]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event).where(Event.case_id == case_id, Event.dedupe_key.is_not(None))
                                    .order_by(Event.id)))


def who(result) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.kind, tuple(person.name for person in p.people)) for p in result.pings]


def act(runtime, fn, case_id, user, now, **kw):
    with transaction(runtime.sessions) as session:
        return fn(session, case_id, resolve_actor(session, "slack", user), now=now, **kw)


def test_snapshot_is_taken_when_the_case_opens(runtime, config):
    wire(runtime, load_map(config))
    case_id = open_case(runtime, SAFETY)
    with runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert case.escalation["category"] == "safety" and case.escalation["team"] == "pr"
        assert [s["kind"] for s in case.escalation["chain"]][:2] == ["notify_people", "wait"]
    assert [e.type for e in esc_events(runtime, case_id)] == ["escalation_started"]


def test_warning_then_breach_then_next_step(runtime, config):
    engine = wire(runtime, load_map(config))
    case_id = open_case(runtime, SAFETY)

    first = engine.tick(case_id, SAT)
    assert who(first) == [("notify_people", ("Erin Walsh",))]
    assert first.next_at == SAT + timedelta(minutes=10)  # the claim warning

    assert engine.tick(case_id, SAT + timedelta(minutes=5)).pings == []  # nothing due yet

    warning = engine.tick(case_id, SAT + timedelta(minutes=10))
    assert [p.kind for p in warning.pings] == ["sla_warning"]
    # The engine names the team; each adapter posts in that team's channel on its platform.
    assert warning.pings[0].team == "pr" and warning.pings[0].channels == ()
    assert next(t for t in config.teams if t.name == "pr").channels.slack == "C0PRPR0001"
    assert warning.next_at == SAT + timedelta(minutes=15)

    # The claim breach notifies the lead and cuts the 1h wait short: Dev is pinged at +15m, not +60m.
    breach = engine.tick(case_id, SAT + timedelta(minutes=15))
    assert who(breach) == [("sla_breach", ()), ("notify_lead", ()), ("notify_people", ("Dev Patel",))]
    types = [e.type for e in esc_events(runtime, case_id)]
    assert types == ["escalation_started", "escalation_step", "sla_warning", "sla_breached", "escalation_step"]
    assert breach.next_at == SAT + timedelta(minutes=55)  # first-reply warning


def test_claim_stops_the_chain_and_the_claim_sla(runtime, config):
    engine = wire(runtime, load_map(config))
    case_id = open_case(runtime, SAFETY)
    assert who(engine.tick(case_id, SAT)) == [("notify_people", ("Erin Walsh",))]
    assert act(runtime, actions.claim, case_id, DEV, SAT + timedelta(minutes=3)).ok

    later = engine.tick(case_id, SAT + timedelta(hours=3))
    # Only the first-reply SLA still runs (the claim answered nothing yet): warning and breach.
    assert [p.kind for p in later.pings] == ["sla_warning", "sla_breach", "notify_lead"]
    assert later.stopped
    types = [e.type for e in esc_events(runtime, case_id)]
    assert "escalation_stopped" in types and types.count("escalation_step") == 1
    # release_claim: the unanswered claim went back to the queue, recorded with the timer as actor
    with runtime.sessions() as session:
        assert session.get(Case, case_id).state == CaseState.OPEN
        released = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "released")).one()
        assert released.actor == "SLA timer"
    # Released, the case does not restart the chain: it stopped for good.
    assert engine.tick(case_id, SAT + timedelta(hours=5)).pings == []


def test_reply_stops_the_first_reply_sla_and_resolve_ends_everything(runtime, config):
    engine = wire(runtime, load_map(config))
    case_id = open_case(runtime, SAFETY)
    engine.tick(case_id, SAT)
    assert act(runtime, actions.claim, case_id, DEV, SAT + timedelta(minutes=1)).ok
    assert act(runtime, actions.reply, case_id, DEV, SAT + timedelta(minutes=2), text="We're on it, DM us please",
               idempotency_key="r1").ok
    result = engine.tick(case_id, SAT + timedelta(hours=4))
    assert result.pings == [] and result.next_at is None
    assert act(runtime, actions.resolve, case_id, DEV, SAT + timedelta(hours=4)).ok
    assert engine.tick(case_id, SAT + timedelta(hours=9)).pings == []


def test_no_double_ping_on_duplicate_timer_restart_or_concurrent_ticks(runtime, config, database_url):
    emap = load_map(config)
    engine = wire(runtime, emap)
    case_id = open_case(runtime, SAFETY)
    assert len(engine.tick(case_id, SAT).pings) == 1
    assert engine.tick(case_id, SAT).pings == []  # the same timer fired twice

    restarted = Runtime.build(config, database=database_url)  # a new process on the same database
    try:
        again = EscalationEngine(restarted.sessions, emap)
        assert again.tick(case_id, SAT + timedelta(seconds=30)).pings == []
        # Two replicas fire the +10m warning at once: exactly one of them pings.
        results = []
        barrier = threading.Barrier(2)

        def fire(eng):
            barrier.wait()
            results.append(eng.tick(case_id, SAT + timedelta(minutes=10)))

        threads = [threading.Thread(target=fire, args=(e,)) for e in (engine, again)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(len(r.pings) for r in results) == [0, 1]
    finally:
        restarted.close()
    types = [e.type for e in esc_events(runtime, case_id)]
    assert types == ["escalation_started", "escalation_step", "sla_warning"]


def test_business_hours_pause_and_resume_across_a_restart(runtime, config, database_url):
    emap = load_map(config)
    engine = wire(runtime, emap)
    case_id = open_case(runtime, BAG)  # Saturday: the baggage team is off until Monday 08:00 London

    saturday = engine.tick(case_id, SAT)
    chain_pings = [p for p in saturday.pings if p.kind == "notify_people"]
    assert chain_pings == []
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
    # Nothing of the chain happens on Sunday (the SLA still runs; it is tier1).
    sunday = engine.tick(case_id, datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc))
    assert [p for p in sunday.pings if p.kind == "notify_people"] == []
    assert sunday.next_at == monday

    restarted = Runtime.build(config, database=database_url)
    try:
        resumed = EscalationEngine(restarted.sessions, emap).tick(case_id, monday)
        assert who(resumed) == [("notify_people", ("Chloe Martin",))]
    finally:
        restarted.close()


def test_running_escalations_keep_their_snapshot_when_the_map_changes(runtime, config):
    engine = wire(runtime, load_map(config))
    case_id = open_case(runtime, SAFETY)
    edited = load_map(config, MAP.replace("notify_people: [Erin Walsh]", "notify_people: [Ana Ortiz]"))
    later = EscalationEngine(runtime.sessions, edited)
    assert who(later.tick(case_id, SAT)) == [("notify_people", ("Erin Walsh",))]
    del engine


def test_a_case_without_snapshot_or_unknown_case_is_left_alone(runtime, config):
    engine = EscalationEngine(runtime.sessions, load_map(config))
    case_id = open_case(runtime, SAFETY)  # opened before the engine was wired: no snapshot
    assert engine.tick(case_id, SAT).pings == [] and engine.tick(999_999, SAT).next_at is None


def test_the_approval_request_has_an_sla(runtime, config):
    from bot.desk.reply_policy import ReplyPolicy

    emap = load_map(config, MAP.replace("release_claim]}", "release_claim], approval: 20m}"))
    engine = wire(runtime, emap)
    case_id = open_case(runtime, SAFETY)
    engine.tick(case_id, SAT)
    assert act(runtime, actions.claim, case_id, DEV, SAT + timedelta(minutes=2)).ok
    draft = act(runtime, actions.reply, case_id, DEV, SAT + timedelta(minutes=4), text="We're looking into it",
                idempotency_key="r1", policy=ReplyPolicy(sensitive_topics=frozenset({"safety"})))
    assert draft.event == "approval_requested"
    waiting = engine.tick(case_id, SAT + timedelta(minutes=5))
    assert waiting.pings == [] and waiting.next_at == SAT + timedelta(minutes=24)
    overdue = engine.tick(case_id, SAT + timedelta(minutes=24))
    assert who(overdue) == [("sla_breach", ("Erin Walsh",)), ("notify_lead", ())]
    assert engine.tick(case_id, SAT + timedelta(minutes=30)).pings == []  # once
    assert act(runtime, actions.approve, case_id, "U0ERIN0001", SAT + timedelta(minutes=31),
               outbox_id=draft.outbox_id).ok
    assert engine.tick(case_id, SAT + timedelta(hours=3)).pings == []  # decided, and a reply is queued
