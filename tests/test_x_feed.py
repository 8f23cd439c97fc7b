"""The X source end to end: tweepy against a local fake X API v2, a real database."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.core.config import XSource
from bot.feeds.x import ReadBudget, XPoller, build_queries, search_query
from bot.app.runtime import Runtime
from bot.core.settings import Settings
from bot.feeds.xapi import make_client
from storage import queries
from storage.models import Case, FeedCursor, Mention
from tests.conftest import ServerThread
from tests.fakes.x_api import BRAND_ID, FakeX, at

CUSTOMER = "2001"


@pytest.fixture
def fake_x():
    fake = FakeX()
    fake.add_user(CUSTOMER, "maria_travels", "Maria", followers=840)
    fake.add_user("2002", "spammy", "Deals", followers=1)
    with ServerThread(fake.app) as server:
        fake.url = server.url
        yield fake


def x_settings(fake: FakeX, **extra) -> Settings:
    return Settings(x_bearer_token=SecretStr(fake.bearer), x_api_url=fake.url, **extra)


def build(config, database_url, fake, **x) -> tuple[Runtime, XPoller]:
    config = config.model_copy(update={"x": XSource(**{"poll_interval_seconds": 30, **x})})
    runtime = Runtime.build(config, database=database_url, settings=x_settings(fake))
    return runtime, XPoller(runtime, make_client(runtime.settings))


def stored(runtime) -> list[Mention]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Mention).order_by(Mention.id)))


def cursor(runtime, key: str) -> FeedCursor:
    with runtime.sessions() as s:
        return s.scalars(select(FeedCursor).where(FeedCursor.query_key == key)).one()


def test_queries_cover_mentions_and_search(config):
    keys = [q.key for q in build_queries(config)]
    assert keys == ["mentions:SkylarkHelp", "search:Skylark Airways"]
    query = search_query(config.brands[0])
    assert query.startswith('(#SkylarkAir OR #FlySkylark OR "Skylark Airways"')
    assert "-is:retweet" in query and "-from:SkylarkHelp" in query


def test_poll_stores_mentions_with_author_and_thread(config, database_url, fake_x):
    first = fake_x.post(CUSTOMER, "@SkylarkHelp my bag did not arrive on SK212, can you help?", created_at=at(10))
    fake_x.post(CUSTOMER, "Still waiting at the belt @SkylarkHelp", in_reply_to=first["id"], created_at=at(5))
    runtime, poller = build(config, database_url, fake_x)
    try:
        results = {r.query: r for r in poller.poll_due()}
        assert results["mentions:SkylarkHelp"].status == "ok" and results["mentions:SkylarkHelp"].read == 2
        rows = stored(runtime)
        assert [r.external_id for r in rows] == [first["id"], fake_x.replies_to(first["id"])[0]["id"]]
        assert rows[0].author_handle == "maria_travels" and rows[0].author_followers == 840
        assert rows[0].url == f"https://x.com/maria_travels/status/{first['id']}"
        assert rows[1].in_reply_to_id == first["id"] and rows[1].conversation_id == first["id"]
        # The follow-up in the same conversation joined the first mention's case.
        with runtime.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 1
            case = s.scalars(select(Case)).one()
            assert {m.case_id for m in s.scalars(select(Mention))} == {case.id}
            assert case.customer_id == rows[0].customer_id
        # The request asked for what triage needs.
        call = fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")[0]
        assert "public_metrics" in call.params["user.fields"] and "conversation_id" in call.params["tweet.fields"]
        assert "author_id" in call.params["expansions"]
    finally:
        runtime.close()


def test_links_are_stored_with_the_address_they_stand_for(config, database_url, fake_x):
    # X replaces every link with t.co; agents and the spam filter need the real address.
    fake_x.post(CUSTOMER, "@SkylarkHelp win a free flight!! https://bit.ly/fr33-fl1ght",
                links={"https://bit.ly/fr33-fl1ght": "https://t.co/AbC123xyz"}, created_at=at(3))
    runtime, poller = build(config, database_url, fake_x)
    try:
        poller.poll_due()
        [row] = stored(runtime)
        assert row.text == "@SkylarkHelp win a free flight!! https://bit.ly/fr33-fl1ght"
        call = fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")[0]
        assert "entities" in call.params["tweet.fields"]
    finally:
        runtime.close()


def test_since_id_resumes_across_restart(config, database_url, fake_x):
    for i in range(3):
        fake_x.post(CUSTOMER, f"@SkylarkHelp question {i}: can I change my seat?", created_at=at(30 - i))
    runtime, poller = build(config, database_url, fake_x)
    poller.poll_due()
    newest = cursor(runtime, "mentions:SkylarkHelp").since_id
    runtime.close()
    assert len(stored(Runtime.build(config, database=database_url))) == 3

    later = fake_x.post(CUSTOMER, "@SkylarkHelp and one more: is wifi free?")
    runtime, poller = build(config, database_url, fake_x)  # a new process: nothing in memory
    poller.clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=1)  # the query is due again
    try:
        results = {r.query: r for r in poller.poll_due()}
        assert results["mentions:SkylarkHelp"].read == 1  # only the new post was read
        last_call = fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")[-1]
        assert last_call.params["since_id"] == newest
        assert [m.external_id for m in stored(runtime)][-1] == later["id"]
        assert len(stored(runtime)) == 4
        assert cursor(runtime, "mentions:SkylarkHelp").since_id == later["id"]
    finally:
        runtime.close()


def test_pages_through_a_backlog_and_skips_posts_before_the_start_date(config, database_url, fake_x):
    brand = config.brands[0].model_copy(update={"start_date": (datetime.now(timezone.utc) - timedelta(days=2)).date()})
    config = config.model_copy(update={"brands": [brand]})
    fake_x.post(CUSTOMER, "@SkylarkHelp old news from last week", created_at=at(60 * 24 * 6))
    for i in range(23):
        fake_x.post(CUSTOMER, f"@SkylarkHelp post number {i} about my booking", created_at=at(100 - i))
    runtime, poller = build(config, database_url, fake_x, page_size=10, search=False)
    try:
        result = poller.poll_due()[0]
        assert result.status == "ok" and result.read == 23 and not result.truncated
        assert len(fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")) == 3  # 10 + 10 + 3
        assert "old news" not in " ".join(m.text for m in stored(runtime))
        first = fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")[0]
        assert first.params["start_time"].startswith(str(brand.start_date))
    finally:
        runtime.close()


def test_rate_limit_parks_one_query_until_reset_and_others_go_on(config, database_url, fake_x):
    fake_x.post(CUSTOMER, "@SkylarkHelp hello #FlySkylark")
    reset = int((datetime.now(timezone.utc) + timedelta(minutes=7)).timestamp())
    fake_x.fail(f"/2/users/{BRAND_ID}/mentions", 429, reset=reset)
    runtime, poller = build(config, database_url, fake_x)
    try:
        results = {r.query: r for r in poller.poll_due()}
        assert results["mentions:SkylarkHelp"].status == "rate_limited"
        assert results["search:Skylark Airways"].status == "ok" and results["search:Skylark Airways"].read == 1
        parked = cursor(runtime, "mentions:SkylarkHelp")
        assert parked.status == "rate_limited" and int(parked.next_poll_at.timestamp()) == reset
        assert parked.since_id is None  # nothing was read, nothing skipped
        calls = len(fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions"))
        assert {r.query: r.status for r in poller.poll_due()}["mentions:SkylarkHelp"] == "not_due"
        assert len(fake_x.requests_to(f"/2/users/{BRAND_ID}/mentions")) == calls  # X was not asked again
        # After the reset the query reads what it missed.
        poller.clock = lambda: datetime.fromtimestamp(reset + 1, tz=timezone.utc)
        again = {r.query: r for r in poller.poll_due()}["mentions:SkylarkHelp"]
        assert again.status == "ok" and again.duplicates == 1  # the search already stored that post
    finally:
        runtime.close()


def test_server_errors_back_off_exponentially(config, database_url, fake_x):
    fake_x.fail(f"/2/users/{BRAND_ID}/mentions", 503, times=3)
    runtime, poller = build(config, database_url, fake_x, search=False)
    try:
        now = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
        waits = []
        for _ in range(3):
            poller.clock = lambda: now
            result = poller.poll_due()[0]
            assert result.status == "error" and "503" in result.error
            c = cursor(runtime, "mentions:SkylarkHelp")
            waits.append((c.next_poll_at - now).total_seconds())
            now = c.next_poll_at
        assert waits == [30, 60, 120]
        poller.clock = lambda: now
        assert poller.poll_due()[0].status == "ok"
        assert cursor(runtime, "mentions:SkylarkHelp").failures == 0
    finally:
        runtime.close()


def test_bad_tokens_are_reported_without_leaking_them(config, database_url, fake_x, caplog):
    caplog.set_level(logging.DEBUG)
    runtime = Runtime.build(config, database=database_url,
                            settings=Settings(x_bearer_token=SecretStr("wrong-secret-token"), x_api_url=fake_x.url))
    try:
        poller = XPoller(runtime, make_client(runtime.settings))
        result = poller.poll_due()[0]
        assert result.status == "auth" and "401" in result.error
        assert "wrong-secret-token" not in caplog.text
    finally:
        runtime.close()


def test_read_quota_is_spread_over_the_month():
    settings = XSource(poll_interval_seconds=60, monthly_read_quota=10_000, page_size=100, max_pages=5)
    budget = ReadBudget(settings)
    now = datetime(2026, 11, 16, tzinfo=timezone.utc)  # 15 days (360 h) left in November
    # Quiet traffic: poll at the configured interval and read everything.
    quiet = budget.plan(now=now, used=2_000, queries=2, observed_per_hour=5)
    assert quiet.interval == timedelta(seconds=60) and quiet.read_cap == 500 and quiet.note is None
    # 8,000 left over 360 h for 2 queries is 11.1 posts/h each; 30/h is too many: one page every 54 min.
    busy = budget.plan(now=now, used=2_000, queries=2, observed_per_hour=30)
    assert busy.read_cap == 10 and abs(busy.interval.total_seconds() - 3240) < 1 and "stay within" in busy.note
    # A bigger quota throttles per poll instead of stretching the interval.
    # (200,000 over 360 h is 555.6/h, 92 posts per 10-minute poll.)
    big = ReadBudget(XSource(poll_interval_seconds=600, monthly_read_quota=200_000)).plan(
        now=now, used=0, queries=1, observed_per_hour=2_000)
    assert big.interval == timedelta(seconds=600) and big.read_cap == 92
    # Used up: wait for the next month.
    done = budget.plan(now=now, used=10_000, queries=2, observed_per_hour=1)
    assert done.read_cap == 0 and now + done.interval == datetime(2026, 12, 1, tzinfo=timezone.utc)


def test_quota_stops_polling_when_used_up(config, database_url, fake_x):
    for i in range(12):
        fake_x.post(CUSTOMER, f"@SkylarkHelp need help number {i}")
    runtime, poller = build(config, database_url, fake_x, monthly_read_quota=12, search=False)
    try:
        assert poller.poll_due()[0].read == 12
        calls = len(fake_x.calls)
        poller.clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=5)
        result = poller.poll_due()[0]
        assert result.status == "quota" and len(fake_x.calls) == calls
        with runtime.sessions() as s:
            c = queries.feed_cursor(s, "x", "mentions:SkylarkHelp")
            assert c.reads_this_month == 12 and "quota used up" in c.last_error
    finally:
        runtime.close()


def test_status_command_shows_poller_health_and_outbox(config, database_url, fake_x):
    from typer.testing import CliRunner

    from bot.app.cli.main import app

    fake_x.post(CUSTOMER, "@SkylarkHelp where is my refund? #FlySkylark")
    reset = int((datetime.now(timezone.utc) + timedelta(minutes=9)).timestamp())
    fake_x.fail(f"/2/users/{BRAND_ID}/mentions", 429, reset=reset)
    runtime, poller = build(config, database_url, fake_x)
    poller.poll_due()
    runtime.close()
    result = CliRunner().invoke(app, ["status", "--database-url", database_url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 3}
    assert "rate_limited" in lines["x mentions:SkylarkHelp"] and "rate limited until" in lines["x mentions:SkylarkHelp"]
    assert " ok " in lines["x search:Skylark Airways"]
    assert "X reads this month 1" in result.output
    # The open queue counts by tier under the names triage, cards and stats use.
    header = next(line for line in result.output.splitlines() if " state " in line and "tier1" in line)
    assert "tier2" in header and "P1" not in result.output and "P2" not in result.output
