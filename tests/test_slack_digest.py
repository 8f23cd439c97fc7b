"""Supervisor figures in Slack: ``/mentiondesk stats [today|week]`` and the digest, against the fake Slack."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handlers.slack.digest import Digest
from tests.test_slack import ANA, build_desk, open_bag_case, wait_until
from handlers.slack import cards

SUPERVISORS = "C0SUPERV01"


@pytest.fixture
def desk(config, database_url):
    d, close = build_desk(config, database_url)
    yield d
    close()


def test_stats_today_and_week(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.events(case_id, "claimed"), what="claim")
    for text in ("stats week", "stats", "stats fortnight"):
        assert desk.command(ANA, text).status_code == 200
    answers = wait_until(lambda: len(desk.fake.responses) >= 3 and desk.fake.responses, what="answers")
    by_text = [a["text"] for a in answers]
    week = next(t for t in by_text if "*Last 7 days*" in t)
    assert "*1* cases (tier1 1)" in week and "Ana Ortiz 1 claimed / 1 open" in week
    assert any("*Today*" in t and "Median time to claim" in t for t in by_text)
    assert any("Usage: `/mentiondesk stats [today|week]`" in t for t in by_text)


def test_daily_digest_is_posted_once(desk):
    case_id, card = open_bag_case(desk)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    wait_until(lambda: desk.events(case_id, "claimed"), what="claim")
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    digest = Digest(desk.runtime.sessions, desk.adapter.client, SUPERVISORS, at="07:30",
                    targets=lambda: {"tier1": {"claim": 900, "first_reply": 3600}}, clock=lambda: tomorrow)
    assert digest.post("yesterday") is True
    assert digest.post("yesterday") is False  # another replica, or a re-fired job: not twice
    posted = desk.fake.channel(SUPERVISORS)
    assert len(posted) == 1
    text = posted[0]["text"]
    assert text.startswith("*Yesterday*") and "*1* cases" in text and "claim 100 %" in text
    with pytest.raises(ValueError, match="HH:MM"):
        Digest(desk.runtime.sessions, desk.adapter.client, SUPERVISORS, at="7 o'clock")
    digest.start()
    jobs = {job.id: job for job in digest.scheduler.get_jobs()}
    assert set(jobs) == {"digest-daily", "digest-weekly"}
    assert (jobs["digest-daily"].next_run_time.hour, jobs["digest-daily"].next_run_time.minute) == (7, 30)
    digest.stop()
