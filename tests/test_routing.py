"""Routing on scripted scenarios, on real SQLite and PostgreSQL: each asserts the decision and
the explanation stored on the case (column and ``routed`` event) and shown on the card."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.desk.case_view import load_card
from bot.core.config import ConfigError, parse_config
from bot.core.mention import parse_mention
from bot.core.config_routing import AgentRouting
from bot.routing.shifts import on_shift
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from handlers.slack.cards import render_card
from storage.db import transaction
from storage.models import Case, CaseState, Event
from tests.conftest import mention
from tests.routing_fixtures import routing_config, routing_config_text

# 2026-11-23 is a Monday. Ana works Mon-Fri 08:00-16:00 London (= UTC in November).
MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
MON_20 = datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc)
ANA, BEN, DEV = "U0ANA00001", "U0BEN00001", "U0DEV00001"


@pytest.fixture
def rt(database_url):
    runtime = Runtime.build(routing_config(), database=database_url)
    yield runtime
    runtime.close()


_ids = iter(range(1, 10_000))


def open_case(rt, text, at, **kw) -> Case:
    n = next(_ids)
    # A word of its own per post: the spam filter calls the same text posted 3 times spam.
    text = f"{text} Thanks, {'ABCDEFGHIJ'[n % 10]}{'abcdefghij'[n // 10 % 10]}{'abcdefghij'[n // 100 % 10]}"
    outcome = rt.ingest_batch([parse_mention(mention(f"r{n}", text, **kw))], now=at)[0]
    assert outcome.case_id is not None and outcome.new_case, "scenario post should open a case"
    with rt.sessions() as session:
        return session.get(Case, outcome.case_id)


def act(rt, fn, case_id, user, at, **kw):
    with transaction(rt.sessions) as session:
        result = fn(session, case_id, resolve_actor(session, "slack", user), now=at, **kw)
    assert result.ok, result.reason
    return result


def routed_event(rt, case_id) -> Event:
    with rt.sessions() as session:
        return session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "routed")).one()


def card_text(rt, case_id) -> str:
    with rt.sessions() as session:
        blocks = render_card(load_card(session, case_id))
    return str(blocks)


DELAY = "@SkylarkAir my flight SK212 is delayed again, can you help me rebook?"


def test_last_agent_on_shift_is_suggested_and_shown_on_the_card(rt):
    first = open_case(rt, DELAY, MON_10, handle="maria_g")
    assert first.team == "care"
    act(rt, actions.claim, first.id, ANA, MON_10 + timedelta(minutes=1))
    act(rt, actions.resolve, first.id, ANA, MON_10 + timedelta(minutes=20))

    again = open_case(rt, "@SkylarkAir still delayed, what now? please help", MON_10 + timedelta(hours=1),
                      handle="maria_g")
    assert again.routing["agent"] == "Ana Ortiz" and again.routing["mode"] == "suggest"
    assert again.routing["reason"] == "last agent for this customer"
    assert again.routing["explanation"] == "Suggested: Ana Ortiz — last agent for this customer"
    assert again.state == CaseState.OPEN and again.assignee_id is None  # suggest mode assigns nobody
    assert routed_event(rt, again.id).payload["agent"] == "Ana Ortiz"
    assert "Suggested: <@U0ANA00001> — last agent for this customer" in card_text(rt, again.id)


def test_last_agent_off_shift_goes_to_someone_on_shift(rt):
    first = open_case(rt, DELAY, MON_10, handle="maria_g")
    act(rt, actions.claim, first.id, ANA, MON_10)
    act(rt, actions.resolve, first.id, ANA, MON_10 + timedelta(minutes=5))

    evening = open_case(rt, "@SkylarkAir delayed again tonight, can you help?", MON_20, handle="maria_g")
    routing = evening.routing
    assert routing["agent"] == "Ben Carter"
    assert routing["reason"] == "least loaded agent on shift in care (0 open cases)"
    steps = {s["step"]: s for s in routing["steps"]}
    assert steps["last_agent"]["outcome"] == "unavailable"
    assert steps["last_agent"]["detail"] == ("last agent Ana Ortiz is off shift "
                                             "(mon,tue,wed,thu,fri 08:00-16:00 Europe/London)")
    assert "Ana Ortiz is off shift" in routing["explanation"]


def test_one_batch_counts_its_own_cases_toward_the_queue_limit(rt):
    # Five posts in ONE ingest batch: the desk is read once for the batch, and the cases it routes
    # count as they go, so the fourth and fifth overflow exactly as if they came one by one.
    posts = [parse_mention(mention(f"batch{n}", f"{DELAY} Thanks, B{'abcde'[n]}", handle=f"batch{n}"))
             for n in range(5)]
    outcomes = rt.ingest_batch(posts, now=MON_10)
    with rt.sessions() as session:
        teams = [session.get(Case, o.case_id).team for o in outcomes]
    assert teams == ["care", "care", "care", "digital", "digital"]


def test_caps_reached_skip_the_agent(rt):
    # Ana owns two open cases: her cap.
    for n in range(2):
        c = open_case(rt, DELAY, MON_10, handle=f"busy{n}")
        act(rt, actions.claim, c.id, ANA, MON_10)
    # Ben is at his cap (3) too.
    for n in range(3):
        c = open_case(rt, DELAY, MON_10, handle=f"other{n}")
        act(rt, actions.claim, c.id, BEN, MON_10)
    # A returning customer of Ana's.
    old = open_case(rt, DELAY, MON_10 - timedelta(days=3), handle="loyal")
    act(rt, actions.claim, old.id, DEV, MON_10)
    act(rt, actions.reassign, old.id, DEV, MON_10, to_agent_id=_agent_id(rt, "Ana Ortiz"))
    act(rt, actions.resolve, old.id, ANA, MON_10)

    case = open_case(rt, "@SkylarkAir delayed once more, could you help?", MON_10 + timedelta(minutes=5), handle="loyal")
    steps = {s["step"]: s for s in case.routing["steps"]}
    assert steps["last_agent"]["detail"] == "last agent Ana Ortiz is at their cap (2/2 open cases)"
    # Ben is capped as well, so the lead Dev (no one else in care is routable) gets it.
    assert case.routing["agent"] == "Dev Patel"
    assert "Ana Ortiz is at their cap (2/2 open cases)" in case.routing["explanation"]


def _agent_id(rt, name):
    from storage.models import Agent

    with rt.sessions() as session:
        return session.scalars(select(Agent.id).where(Agent.name == name)).one()


def test_overflow_to_the_backup_team_when_the_queue_passes_its_limit(rt):
    queued = [open_case(rt, DELAY, MON_10, handle=f"queued{n}") for n in range(3)]
    assert all(c.team == "care" for c in queued)
    fourth = open_case(rt, DELAY, MON_10, handle="fourth")
    assert fourth.team == "digital"
    assert fourth.routing["team_reason"] == "care queue at 3 (limit 3) → overflow to digital"
    assert fourth.routing["agent"] == "Ben Carter"  # in digital; Dev too, equal load, name order
    assert "team *digital*" in card_text(rt, fourth.id)
    # Claiming one of the queued cases brings the queue back under its limit.
    act(rt, actions.claim, queued[0].id, ANA, MON_10)
    assert open_case(rt, DELAY, MON_10, handle="fifth").team == "care"


def test_vip_goes_to_a_senior_agent(rt):
    case = open_case(rt, DELAY, MON_10, handle="celebrity", followers=250_000)
    assert case.routing["agent"] == "Dev Patel"
    assert case.routing["reason"] == "VIP (250,000 followers) → senior agent"
    assert "Suggested: <@U0DEV00001> — VIP (250,000 followers) → senior agent" in card_text(rt, case.id)


def test_strongly_negative_goes_to_the_best_satisfaction_score(rt):
    text = "@SkylarkAir worst airline ever, disgusting awful horrible service, delayed and rude staff, I hate you"
    case = open_case(rt, text, MON_10, handle="furious")
    assert case.sentiment_score <= -0.6
    assert case.routing["agent"] == "Ben Carter"
    assert case.routing["reason"].startswith("strongly negative (") and "best satisfaction score (0.95)" in case.routing["reason"]


def test_auto_mode_assigns_and_respects_an_overnight_shift(rt):
    # Friday 23:00 in Paris: Chloe's overnight shift; Ana is off, Dev has equal load (name order).
    fri_night = datetime(2026, 11, 20, 22, 0, tzinfo=timezone.utc)
    case = open_case(rt, "@SkylarkAir my bag never arrived, please help", fri_night, handle="bagless")
    assert case.team == "baggage" and case.routing["mode"] == "auto"
    assert case.routing["agent"] == "Chloe Martin"
    assert case.state == CaseState.CLAIMED and case.assignee_id == _agent_id(rt, "Chloe Martin")
    with rt.sessions() as session:
        types = [e.type for e in session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))]
    assert types[:4] == ["received", "triaged", "routed", "assigned"]
    assert "Assigned to <@U0CHLOE001>" in card_text(rt, case.id)
    # Saturday 05:30 Paris is still her shift, but she is at her cap (1): Dev gets the next one.
    sat_early = datetime(2026, 11, 21, 4, 30, tzinfo=timezone.utc)
    second = open_case(rt, "@SkylarkAir my suitcase is lost, please help", sat_early, handle="bagless2")
    assert second.routing["agent"] == "Dev Patel"
    assert "Chloe Martin is at their cap (1/1 open cases)" not in second.routing["explanation"]  # not the last agent
    assert second.routing["reason"] == "least loaded agent on shift in baggage (0 open cases)"


def test_keywords_route_whatever_the_topic(rt):
    case = open_case(rt, "@SkylarkAir the seatback screen is broken on SK212, can you help?", MON_10, handle="screen")
    assert case.team == "digital"
    assert case.routing["team_reason"] == "keyword “seatback screen” → digital"


def test_nobody_eligible_leaves_the_case_in_the_queue(rt):
    # Sunday 03:00: Ana off shift; cap everybody else in baggage: Chloe off shift (not Friday night),
    # Dev at cap 5.
    sunday = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
    for n in range(5):
        c = open_case(rt, DELAY, sunday, handle=f"devs{n}")
        act(rt, actions.claim, c.id, DEV, sunday)
    case = open_case(rt, "@SkylarkAir my bag never arrived, please help", sunday, handle="late_bag")
    assert case.routing["agent"] is None and case.state == CaseState.OPEN and case.assignee_id is None
    assert case.routing["explanation"].startswith("Nobody assigned — left in the baggage queue")
    assert "nobody in baggage is on shift and under their cap" in case.routing["explanation"]


def test_shift_windows_follow_the_agents_time_zone():
    ana = AgentRouting(timezone="America/New_York",
                       shifts=[{"days": ["mon"], "start": "09:00", "end": "17:00"}])
    # 14:00 UTC = 09:00 New York (EST in November): first minute of the shift; 22:00 UTC = 17:00: over.
    assert on_shift(ana, datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc))
    assert not on_shift(ana, datetime(2026, 11, 23, 13, 59, tzinfo=timezone.utc))
    assert not on_shift(ana, datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc))
    # In July New York is on EDT: 09:00 local is 13:00 UTC (Monday 2026-07-06).
    assert on_shift(ana, datetime(2026, 7, 6, 13, 0, tzinfo=timezone.utc))
    night = AgentRouting(shifts=[{"days": ["sun"], "start": "22:00", "end": "06:00"}])
    assert on_shift(night, datetime(2026, 11, 23, 5, 59, tzinfo=timezone.utc))  # Monday morning part
    assert not on_shift(night, datetime(2026, 11, 23, 22, 30, tzinfo=timezone.utc))  # Monday night: no


@pytest.mark.parametrize("snippet, message", [
    ("    nobody: {mode: auto}\n", "routing.teams.nobody: unknown team 'nobody'"),
    ("    care: {queue_limit: 5}\n", "queue_limit needs overflow_to"),
    ("    care: {mode: sometimes}\n", "'suggest' or 'auto'"),
])
def test_bad_routing_config_is_refused_with_its_line(snippet, message):
    text = routing_config_text().replace("  teams:\n    care: {mode: suggest, queue_limit: 3, overflow_to: digital}\n",
                                         "  teams:\n" + snippet)
    with pytest.raises(ConfigError) as err:
        parse_config(load_yaml_with_lines("bad.yaml", text))
    assert message in str(err.value) and "bad.yaml:" in str(err.value)


def test_unknown_time_zone_is_refused():
    text = routing_config_text().replace("timezone: Europe/Paris", "timezone: Europe/Atlantis")
    with pytest.raises(ConfigError, match="unknown time zone 'Europe/Atlantis'"):
        parse_config(load_yaml_with_lines("bad.yaml", text))


def test_the_readme_routing_example_is_a_valid_config():
    import re
    from pathlib import Path

    from tests.conftest import example_config_text

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(routing:.*?)```", readme, re.S).group(1)
    config = parse_config(load_yaml_with_lines("README.md", example_config_text() + block))
    assert config.routing.crisis.team == "pr" and config.routing.grouping.enabled


def test_concurrent_auto_assignments_never_pass_a_cap(rt):
    import threading

    # Sunday 03:00: in baggage (auto mode) only Dev is on shift; his cap is 5.
    sunday = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
    barrier = threading.Barrier(8)
    errors = []

    def one(n):
        try:
            barrier.wait()
            text = f"@SkylarkAir my bag never arrived on SK{300 + n}, please help. Thanks, {'ABCDEFGH'[n]}x"
            rt.ingest_batch([parse_mention(mention(f"cc{n}", text, handle=f"crowd{n}"))], now=sunday)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with rt.sessions() as session:
        cases = session.scalars(select(Case).where(Case.team == "baggage")).all()
    assert len(cases) == 8
    assigned = [c for c in cases if c.assignee_id is not None]
    assert len(assigned) == 5 and {c.assignee_id for c in assigned} == {_agent_id(rt, "Dev Patel")}
    waiting = [c for c in cases if c.assignee_id is None]
    assert all("Dev Patel is at their cap (5/5 open cases)" in c.routing["explanation"] for c in waiting), [c.routing["explanation"] for c in waiting]


def test_slack_presence_keeps_away_agents_out_of_routing(database_url):
    from tests.test_slack import build_desk

    text = routing_config_text() + "  use_presence: true\n"
    desk, close = build_desk(parse_config(load_yaml_with_lines("presence.yaml", text)), database_url)
    rt = desk.runtime
    desk.adapter.presence.stop()  # the background refresher: this test refreshes by hand
    before = len(desk.fake.calls_of("users.getPresence"))
    try:
        # Slack says Ana is away: the refresher (a background thread in serve) puts it on the board.
        desk.fake.presence["U0ANA00001"] = "away"
        assert desk.adapter.presence.refresh_once() == 6
        ana = _agent_id(rt, "Ana Ortiz")
        assert rt.presence.away() == {ana}
        first = open_case(rt, DELAY, MON_10, handle="maria_g")
        assert first.routing["agent"] == "Ben Carter"  # Ana would win on name order
        act(rt, actions.claim, first.id, ANA, MON_10)
        act(rt, actions.resolve, first.id, ANA, MON_10)
        again = open_case(rt, "@SkylarkAir still delayed, please help", MON_10 + timedelta(minutes=30), handle="maria_g")
        steps = {s["step"]: s for s in again.routing["steps"]}
        assert steps["last_agent"]["detail"] == "last agent Ana Ortiz is away on Slack"
        # Back at her desk: she is the last agent again.
        desk.fake.presence["U0ANA00001"] = "active"
        desk.adapter.presence.refresh_once()
        assert rt.presence.away() == frozenset()
        third = open_case(rt, "@SkylarkAir and now the rebooking failed, can you help", MON_10 + timedelta(minutes=40),
                          handle="maria_g")
        assert third.routing["agent"] == "Ana Ortiz" and third.routing["reason"] == "last agent for this customer"
        assert len(desk.fake.calls_of("users.getPresence")) - before == 12
    finally:
        close()
