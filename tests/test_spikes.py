"""Spike detector on replayed traffic (SQLite and PostgreSQL), and the PR alert in Slack whose
button switches the topic into crisis mode."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.core.mention import parse_mention
from bot.core.config_routing import Spikes
from bot.app.runtime import Runtime
from bot.routing.spikes import _counts, detect, usual_counts
from storage.db import transaction
from storage.models import SpikeAlert, TopicModeSwitch
from storage.modes import crisis_topics
from tests.conftest import mention
from tests.routing_fixtures import routing_config

START = datetime(2026, 11, 9, 0, 0, tzinfo=timezone.utc)  # 14 days of history before 2026-11-23
WINDOW = timedelta(minutes=15)
SETTINGS = Spikes(window_minutes=15, min_count=8, ratio=3.0, baseline_days=14)
COMPLAINTS = ["my bag is lost again, terrible", "still no suitcase, awful service", "lost luggage and nobody answers, horrible",
              "my baggage never arrived, worst airline", "where is my bag?? this is a disgrace"]


def post(n: int, at: datetime, text: str | None = None) -> dict:
    rng = random.Random(n)
    body = text or f"@SkylarkAir {rng.choice(COMPLAINTS)} on SK{100 + n % 900} ref {n}"
    return mention(f"s{n}", body, handle=f"flyer{n}", created_at=at.isoformat().replace("+00:00", "Z"))


def normal_day(day: datetime, first_id: int) -> list[tuple[dict, datetime]]:
    """Usual traffic: about two baggage complaints an hour between 08:00 and 20:00, at random minutes."""
    rng = random.Random(first_id)
    out, n = [], first_id
    for hour in range(8, 20):
        for _ in range(rng.choice([1, 2, 2, 3])):
            at = day + timedelta(hours=hour, minutes=rng.randrange(60))
            out.append((post(n, at), at))
            n += 1
    return sorted(out, key=lambda p: p[1])


@pytest.fixture
def rt(database_url):
    runtime = Runtime.build(routing_config(), database=database_url)
    yield runtime
    runtime.close()


def replay(rt, posts, *, check: bool) -> list:
    """Ingest posts one by one at their own time; run the detector after each when ``check``."""
    alerts = []
    if not check:
        mentions = [parse_mention(p) for p, _ in posts]
        with transaction(rt.sessions) as session:
            rt.ingest.ingest_many(session, mentions, now=[at for _, at in posts])
        return alerts
    for p, at in posts:
        with transaction(rt.sessions) as session:
            rt.ingest.ingest_many(session, [parse_mention(p)], now=at)
            alerts += [(at, spike) for spike in detect(session, SETTINGS, now=at)]
    return alerts


def test_burst_alerts_within_one_window_and_normal_traffic_does_not(rt):
    history = [p for d in range(14) for p in normal_day(START + timedelta(days=d), 10_000 * (d + 1))]
    replay(rt, history, check=False)
    with rt.sessions() as session:
        assert session.scalar(select(SpikeAlert.id)) is None

    # Day 15: the usual traffic, checked after every post: no alert.
    today = START + timedelta(days=14)
    usual = normal_day(today, 900_000)
    assert replay(rt, [p for p in usual if p[1] < today + timedelta(hours=14)], check=True) == []

    # 14:00: a burst of 15 complaints in 6 minutes about lost luggage.
    burst_start = today + timedelta(hours=14, minutes=2)
    burst = [(post(800_000 + i, burst_start + timedelta(seconds=24 * i)), burst_start + timedelta(seconds=24 * i))
             for i in range(15)]
    later = [p for p in usual if p[1] >= today + timedelta(hours=14)]
    alerts = replay(rt, sorted(burst + later, key=lambda p: p[1]), check=True)
    assert len(alerts) == 1, [(a.topic, a.sentiment, a.count) for _, a in alerts]
    at, spike = alerts[0]
    assert spike.topic == "lost_luggage" and spike.sentiment == "negative"
    assert at - burst_start <= WINDOW  # alerted within one window of the burst's start
    assert spike.count >= SETTINGS.min_count and spike.count >= 3 * spike.expected
    assert len(spike.examples) == 3 and all(e["text"].startswith("@SkylarkAir") for e in spike.examples)
    assert "negative mentions about lost_luggage in 15 min (usually" in spike.summary
    # Checking again (another replica, the next batch) does not alert twice.
    with transaction(rt.sessions) as session:
        assert detect(session, SETTINGS, now=burst[-1][1] + timedelta(minutes=1)) == []


def test_a_rush_that_comes_every_day_is_not_a_spike(rt):
    # Every day 12:00-12:12 brings 12 complaints (a daily flight bank): usual, so no alert...
    history = []
    for d in range(15):
        noon = START + timedelta(days=d, hours=12)
        history += [(post(50_000 * (d + 1) + i, noon + timedelta(minutes=i), BAD.format(n=50_000 * (d + 1) + i)),
                     noon + timedelta(minutes=i)) for i in range(12)]
    replay(rt, history[:-12], check=False)
    assert replay(rt, history[-12:], check=True) == []
    # ...though the window holds enough to alert without that history: the same window on past
    # days (12 a day) is what makes it usual, not the hour's average (12 / 4 windows = 3).
    with rt.sessions() as session:
        now = history[-1][1]
        count = _counts(session, now - WINDOW, now, ["negative"])[("lost_luggage", "negative")]
        usual = usual_counts(session, now, SETTINGS)[("lost_luggage", "negative")]
    assert count == 12 and count >= SETTINGS.min_count and usual == 12 and count >= SETTINGS.ratio * 12 / 4


BAD = "@SkylarkAir my bag is lost again, terrible awful service on SK{n}"


# --- the alert in Slack ----------------------------------------------------------------------------


def test_spike_alert_reaches_pr_and_its_button_switches_crisis_mode(database_url):
    from tests.test_slack import PR, build_desk

    desk, close = build_desk(routing_config(), database_url)
    try:
        desk.runtime.spike_watch.min_interval = 0
        now = datetime.now(timezone.utc)
        desk.ingest(*[post(700 + i, now - timedelta(minutes=5) + timedelta(seconds=20 * i)) for i in range(9)])

        def alert():
            return next((m for m in desk.fake.cards(PR) if m["text"].startswith("Spike:")), None)
        from tests.test_slack import wait_until

        message = wait_until(alert, what="spike alert in the PR channel")
        text = str(message["blocks"])
        assert " negative mentions about lost_luggage in 15 min (usually 0.0)" in text and "<@U0ERIN0001>" in text
        buttons = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert buttons == ["crisis_on", "crisis_off"]

        # An agent may not switch; the refusal is told only to them and logged.
        press(desk, "U0ANA00001", message, "crisis_on")
        wait_until(lambda: any("Not switched" in e["text"] for e in desk.fake.ephemerals), what="refusal")
        # PR switches: recorded, said in the alert's thread, and new lost-luggage cases go to PR.
        press(desk, "U0ERIN0001", message, "crisis_on")
        wait_until(lambda: desk.fake.thread(PR, message["ts"]), what="thread line")
        assert "lost_luggage is in crisis mode" in desk.fake.thread(PR, message["ts"])[0]["text"]
        with desk.runtime.sessions() as session:
            assert crisis_topics(session) == {"lost_luggage"}
            log = [(r.mode, r.actor, r.source) for r in session.scalars(select(TopicModeSwitch).order_by(TopicModeSwitch.id))]
        assert log == [("refused", "Ana Ortiz", "slack"), ("crisis", "Erin Walsh", "slack")]
        case_id = desk.ingest(post(799, now))[0]["case_id"]
        assert desk.case(case_id).team == "pr"
    finally:
        close()


def press(desk, user: str, message: dict, action_id: str):
    import json
    import time
    from urllib.parse import urlencode

    from tests.test_slack import PR, TEAM_ID

    payload = {"type": "block_actions", "team": {"id": TEAM_ID, "domain": "fake"},
               "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID}, "api_app_id": "A0MENTION1",
               "token": "legacy-token-unused", "trigger_id": "t.9",
               "container": {"type": "message", "message_ts": message["ts"], "channel_id": PR, "is_ephemeral": False},
               "channel": {"id": PR, "name": "pr"}, "message": {"type": "message", "ts": message["ts"]},
               "response_url": f"{desk.fake_url}/response/press",
               "actions": [{"type": "button", "action_id": action_id, "block_id": "spike:1", "value": "lost_luggage",
                            "action_ts": f"{time.time():.6f}"}]}
    response = desk.interaction(payload)
    assert response.status_code == 200

