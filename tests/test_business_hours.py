"""SLA clocks that know business hours (issue 22 item 1): a Friday-evening case, a holiday, a
daylight-saving change; the per-category 24/7 override; the deadline on the card and in the
console; `escalation simulate`; reports counting business time; SQLite and PostgreSQL."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.business_time import WorkingTime
from bot.core.mention import parse_mention
from bot.core.yaml_source import load_yaml_with_lines
from bot.desk.card_lines import sla_words
from bot.desk.case_view import load_card
from bot.reporting.metrics import compute
from escalation.chain import CaseFacts, deadlines, plan, snapshot
from escalation.engine import EscalationEngine
from escalation.map import parse_escalation_map
from handlers.slack.cards import render_card
from storage.models import Case
from tests.conftest import mention

MAP = """\
business_hours:
  baggage: {timezone: Europe/London, days: [mon, tue, wed, thu, fri], open: "08:00", close: "18:00",
            holidays: [2026-12-25, 2026-12-28]}
  digital: {timezone: America/New_York, days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00"}
sla:
  tier1: {claim: 2h, first_reply: 4h, warn_before: 30m, on_breach: [notify_lead], clock: business_hours}
  tier2: {claim: 2h, first_reply: 8h, warn_before: 30m, on_breach: [notify_lead], clock: business_hours}
categories:
  - name: safety
    match: {topics: [safety]}
    team: baggage
    sla_clock: 24/7
  - name: bags
    match: {topics: [lost_luggage]}
    team: baggage
    chain:
      - notify_people: [Ana Ortiz]
      - wait: 1h
      - notify_people: [Dev Patel]
"""


def load_map(config, text=MAP):
    return parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(text)), config)


def facts(tier="tier2", topic="lost_luggage", team="baggage") -> CaseFacts:
    return CaseFacts(tier=tier, intent="complaint", topic=topic, sentiment="negative", team=team)


def test_a_friday_evening_case_is_due_on_monday_morning_and_so_is_its_warning(config):
    snap = snapshot(load_map(config), facts())
    friday = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # London is on UTC in November
    due = deadlines(snap, friday)
    # 30 working minutes on Friday, the other 90 from 08:00 on Monday.
    assert due["claim"] == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    items = {d.key: d for d in plan(snap, friday)}
    assert items["sla:claim:warning"].at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert items["sla:claim:breach"].detail["business_hours"] == "baggage"
    # The chain's wait counts working time too: Dev is pinged on Monday, not at 18:30 on Friday.
    assert items["chain:0:2"].at == datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    # 24/7 for safety posts, whatever the tier says.
    safety = snapshot(load_map(config), facts(topic="safety"))
    assert deadlines(safety, friday)["claim"] == friday + timedelta(hours=2)
    assert safety.sla.hours_team is None


def test_holidays_do_not_count(config):
    snap = snapshot(load_map(config), facts())
    christmas_eve = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)
    # 1 h on Thursday; Friday 25th is a holiday, then the weekend, Monday 28th a holiday too.
    assert deadlines(snap, christmas_eve)["claim"] == datetime(2026, 12, 29, 9, 0, tzinfo=UTC)


def test_a_daylight_saving_change_keeps_the_local_working_day(config):
    snap = snapshot(load_map(config), facts(team="digital", topic=None))
    # Friday 16:00 in New York (EDT, UTC-4); the clocks go back on Sunday 1 November.
    friday = datetime(2026, 10, 30, 20, 0, tzinfo=UTC)
    # 1 h on Friday, then Monday from 09:00 EST = 14:00 UTC (it was 13:00 UTC the week before).
    assert deadlines(snap, friday)["claim"] == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    clock = snap.sla_clock()
    assert clock.seconds_between(friday, datetime(2026, 11, 2, 15, 0, tzinfo=UTC)) == 7200
    # A snapshot survives storing: the same deadlines from its JSON.
    from escalation.snapshot import Snapshot

    assert deadlines(Snapshot.from_json(snap.to_json()), friday) == deadlines(snap, friday)


def test_working_time_from_json_round_trips():
    clock = WorkingTime(False, "Europe/London", ("mon",), holidays=frozenset())
    assert WorkingTime.from_json(clock.to_json()) == clock


def test_the_card_says_how_much_business_time_is_left_and_reports_count_it(runtime, config):
    emap = load_map(config)
    friday = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    engine = EscalationEngine(runtime.sessions, emap, clock=lambda: friday)
    runtime.ingest.case_openers.append(engine.start_case)
    text = "@SkylarkAir my suitcase never arrived at Heathrow, where is my bag"
    outcome = runtime.ingest_batch([parse_mention(mention("b1", text, created_at=friday.isoformat()))], now=friday)[0]
    with runtime.sessions() as session:
        case = session.get(Case, outcome.case_id)
        assert case.escalation["sla"].get("hours_team") == "baggage", case.escalation
        assert case.claim_due_at == deadlines(snapshot(emap, facts(tier=case.tier.value, topic=case.topic)),
                                              case.opened_at)["claim"]
        assert case.claim_due_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        card = load_card(session, outcome.case_id, datetime(2026, 11, 23, 8, 10, tzinfo=UTC))
    assert sla_words(card) == "claim due in 1 h 20 m (business hours), by Mon 09:30 UTC"
    assert "⏱ Claim due in 1 h 20 m (business hours), by Mon 09:30 UTC" in str(render_card(card))
    # At arrival on Friday evening the whole 2 working hours lie ahead, though Monday is 64 h away.
    with runtime.sessions() as session:
        assert load_card(session, outcome.case_id, friday).sla_due.seconds_left == 7200

    # Reports measure the claim in business time: claimed Monday 08:10 is within 2 working hours.
    claimed_at = datetime(2026, 11, 23, 8, 10, tzinfo=UTC)
    from bot.desk import commands as cmd
    from bot.desk.service import CaseDesk

    desk = CaseDesk(runtime.sessions, config=runtime.config, clock=lambda: claimed_at)
    assert desk.run(cmd.Claim(), outcome.case_id, "slack", "U0ANA00001").ok
    with runtime.sessions() as session:
        report = compute(session, friday - timedelta(hours=1), claimed_at + timedelta(minutes=1))
    assert (report.sla["claim"].met, report.sla["claim"].breached) == (1, 0)


def test_simulate_shows_the_business_hours_clock(tmp_path):
    path = tmp_path / "esc.yaml"
    path.write_text(MAP, encoding="utf-8")
    result = CliRunner().invoke(app, ["escalation", "simulate", str(path), "--text",
                                      "@SkylarkAir my bag never arrived, where is my luggage",
                                      "--at", "2026-11-20T17:30:00"])
    assert result.exit_code == 0, result.output
    assert "SLA clock: business hours of team baggage (Europe/London)" in result.output
    assert "Mon 09:30" in result.output or "Mon 08:" in result.output


def test_the_console_case_page_says_how_much_business_time_is_left(runtime):
    from bot.app.server import create_app
    from storage.db import transaction
    from tests.conftest import ServerThread
    from tests.test_web_console import login, seed

    case_id = seed(runtime)[1]
    hours = {"always": False, "timezone": "Europe/London", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
             "open": "00:00", "close": "24:00"}
    with transaction(runtime.sessions) as session:
        case = session.get(Case, case_id)
        case.escalation = {"version": 1, "chain": [], "business_hours": {"care": hours},
                           "sla": {"claim": 7200, "first_reply": 28800, "warn_before": 0, "hours_team": "care"}}
        case.claim_due_at = datetime.now(UTC) + timedelta(hours=1, minutes=20, seconds=30)
    with ServerThread(create_app(runtime)) as server:
        client, _ = login(server.url, "Ana Ortiz")
        page = client.get(f"/console/cases/{case_id}")
    assert 'id="sla-due">⏱ claim due in 1 h 20 m (business hours), by ' in page.text
