"""The outbox relay to X, end to end: tweepy against the local fake X API, a real database.

The crash tests interrupt the relay between "taken" and "recorded" the way a killed process
would, then start a new relay on the same database and count what reached the fake X.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from bot.core.config import XSource
from bot.feeds.x import XPoller
from bot.relay.outbox import OutboxRelay, RelayWorker
from bot.relay.x import XSender
from bot.app.runtime import Runtime
from bot.core.settings import Settings
from bot.feeds.xapi import make_client
from storage.models import Case, CaseState, Event, OutboxEntry, OutboxState
from tests.conftest import ServerThread
from tests.fakes.x_api import BRAND_ID, FakeX

CUSTOMER = "2001"
ANA = "U0ANA00001"  # an agent in the sample config
BEN = "U0BEN00001"


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the relay catches it."""


@pytest.fixture
def fake_x():
    fake = FakeX()
    fake.add_user(CUSTOMER, "maria_travels", "Maria", followers=840)
    with ServerThread(fake.app) as server:
        fake.url = server.url
        yield fake


def settings_for(fake: FakeX) -> Settings:
    return Settings(x_bearer_token=SecretStr(fake.bearer), x_api_url=fake.url,
                    x_consumer_key=SecretStr("ck"), x_consumer_secret=SecretStr("cs"),
                    x_access_token=SecretStr(f"{BRAND_ID}-user-token"), x_access_token_secret=SecretStr("ats-secret-value"))


@pytest.fixture
def world(config, database_url, fake_x):
    """A runtime that polled one complaint from the fake X into a case, claimed by Ana."""
    config = config.model_copy(update={"x": XSource(poll_interval_seconds=30, search=False,
                                                   thank_you_response=config.x.thank_you_response)})
    runtime = Runtime.build(config, database=database_url, settings=settings_for(fake_x))
    tweet = fake_x.post(CUSTOMER, "@SkylarkHelp my bag never arrived on SK212 and nobody answers, please help")
    XPoller(runtime, make_client(runtime.settings)).poll_due()
    with runtime.sessions() as s:
        case_id = s.scalars(select(Case.id)).one()
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    yield runtime, desk, case_id, tweet
    runtime.close()


def new_relay(runtime, fake, **kwargs) -> OutboxRelay:
    return OutboxRelay(runtime.sessions, {"x": XSender(make_client(settings_for(fake), user_auth=True))}, **kwargs)


def outbox(runtime, outbox_id: int) -> OutboxEntry:
    with runtime.sessions() as s:
        return s.get(OutboxEntry, outbox_id)


def events(runtime, case_id: int) -> list[Event]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)))


def test_public_reply_goes_into_the_customers_thread_once(world, fake_x):
    runtime, desk, case_id, tweet = world
    queued = desk.run(cmd.Reply(text="So sorry Maria, we're tracing your bag now.", idempotency_key="k1"), case_id, "slack", ANA)
    assert queued.event == "reply_queued"
    results = new_relay(runtime, fake_x).run_once()
    assert [r.event for r in results] == ["reply_sent"]
    replies = fake_x.replies_to(tweet["id"])
    assert len(replies) == 1 and replies[0]["author_id"] == BRAND_ID
    assert replies[0]["conversation_id"] == tweet["conversation_id"]
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == replies[0]["id"]
    assert entry.external_url == f"https://x.com/SkylarkHelp/status/{replies[0]['id']}"
    with runtime.sessions() as s:
        case = s.get(Case, case_id)
        assert case.state == CaseState.REPLIED and case.first_reply_at is not None
    sent = [e for e in events(runtime, case_id) if e.type == "reply_sent"]
    assert len(sent) == 1 and sent[0].payload["url"] == entry.external_url
    # Nothing left: a second pass sends nothing more.
    assert new_relay(runtime, fake_x).run_once() == []
    assert len(fake_x.requests_to("/2/tweets", "POST")) == 1


def test_sending_logs_no_token(world, fake_x, caplog):
    runtime, desk, case_id, _ = world
    caplog.set_level(logging.DEBUG)
    desk.run(cmd.Reply(text="Checking now.", idempotency_key="log"), case_id, "slack", ANA)
    assert [r.event for r in new_relay(runtime, fake_x).run_once()] == ["reply_sent"]
    for secret in (f"{BRAND_ID}-user-token", "ats-secret-value", fake_x.bearer):
        assert secret not in caplog.text
    assert "oauth_signature" not in caplog.text


def test_private_reply_is_a_direct_message_to_the_author(world, fake_x):
    runtime, desk, case_id, tweet = world
    queued = desk.run(cmd.Reply(text="Please share your file reference here.", visibility="private", idempotency_key="dm1"), case_id, "slack", ANA)
    new_relay(runtime, fake_x).run_once()
    assert [(d["participant_id"], d["text"]) for d in fake_x.dms] == [(CUSTOMER, "Please share your file reference here.")]
    assert fake_x.replies_to(tweet["id"]) == []  # nothing public
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == fake_x.dms[0]["id"]


@pytest.mark.parametrize("crash_after_send", [True, False])
def test_crash_between_send_and_record_never_doubles_the_reply(world, fake_x, crash_after_send):
    runtime, desk, case_id, tweet = world
    queued = desk.run(cmd.Reply(text="We found your bag, it arrives tonight.", idempotency_key="crash"), case_id, "slack", ANA)
    relay = new_relay(runtime, fake_x)
    sender = relay.senders["x"]
    real_send = sender.send

    def send_then_die(job):
        if crash_after_send:
            real_send(job)  # the post reaches X ...
        raise Crash()  # ... and the process dies before recording it (or before sending at all)

    sender.send = send_then_die
    with pytest.raises(Crash):
        relay.run_once()
    assert outbox(runtime, queued.outbox_id).state == OutboxState.SENDING
    assert len(fake_x.replies_to(tweet["id"])) == (1 if crash_after_send else 0)

    # A new process starts: its worker reconciles the entry left in `sending`, then delivers.
    # (startup_lease 0: the test knows the old process is gone; replicas wait out the lease instead)
    worker = RelayWorker(new_relay(runtime, fake_x, listeners=[]), poll_every=0.05, startup_lease=timedelta(0))
    worker.start()
    try:
        assert worker.wait_idle(10)
    finally:
        worker.stop()
    replies = fake_x.replies_to(tweet["id"])
    assert len(replies) == 1  # exactly one reply on X, whichever side of the send the crash fell
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == replies[0]["id"]
    assert len(fake_x.requests_to("/2/tweets", "POST")) == 1
    assert [e.type for e in events(runtime, case_id)].count("reply_sent") == 1


def test_transient_errors_retry_with_backoff_then_send(world, fake_x):
    runtime, desk, case_id, tweet = world
    queued = desk.run(cmd.Reply(text="Looking into it.", idempotency_key="t1"), case_id, "slack", ANA)
    fake_x.fail("/2/tweets", 503, times=2)
    now = [datetime.now(timezone.utc)]
    relay = new_relay(runtime, fake_x, clock=lambda: now[0])
    assert relay.run_once() == []
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.PENDING and "503" in entry.last_error
    assert entry.next_attempt_at - now[0] == timedelta(seconds=5)
    assert relay.run_once() == []  # not due yet: X is not asked
    assert len(fake_x.requests_to("/2/tweets", "POST")) == 1
    now[0] += timedelta(seconds=6)
    relay.run_once()
    assert outbox(runtime, queued.outbox_id).next_attempt_at - now[0] == timedelta(seconds=10)
    now[0] += timedelta(seconds=11)
    assert [r.event for r in relay.run_once()] == ["reply_sent"]
    assert len(fake_x.replies_to(tweet["id"])) == 1


def test_rate_limited_send_waits_for_the_reset(world, fake_x):
    runtime, desk, case_id, _ = world
    queued = desk.run(cmd.Reply(text="On it.", idempotency_key="r1"), case_id, "slack", ANA)
    reset = int((datetime.now(timezone.utc) + timedelta(minutes=3)).timestamp())
    fake_x.fail("/2/tweets", 429, reset=reset)
    new_relay(runtime, fake_x).run_once()
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.PENDING and int(entry.next_attempt_at.timestamp()) == reset


@pytest.mark.parametrize("status,detail,expected", [
    (403, "You are not allowed to create a Tweet with duplicate content.", "duplicate content"),
    (400, "Your Tweet could not be sent: the Tweet you are replying to has been deleted or is not visible.",
     "deleted"),
    (403, "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged "
          "by the author of the post you are replying to.", "does not allow a reply"),
])
def test_permanent_errors_fail_the_reply_and_tell_the_agent_why(world, fake_x, status, detail, expected):
    runtime, desk, case_id, _ = world
    queued = desk.run(cmd.Reply(text="We are on it.", idempotency_key="p1"), case_id, "slack", ANA)
    fake_x.fail("/2/tweets", status, detail=detail)
    seen = []
    results = new_relay(runtime, fake_x, listeners=[seen.append]).run_once()
    assert [r.event for r in results] == ["reply_failed"] and seen == results
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.FAILED and expected in entry.last_error
    failed = [e for e in events(runtime, case_id) if e.type == "reply_failed"]
    assert len(failed) == 1 and expected in failed[0].payload["reason"]
    assert len(fake_x.requests_to("/2/tweets", "POST")) == 1  # not retried
    with runtime.sessions() as s:
        assert s.get(Case, case_id).state == CaseState.CLAIMED  # still the agent's to answer


def test_retries_used_up_mark_the_reply_failed(world, fake_x):
    runtime, desk, case_id, _ = world
    queued = desk.run(cmd.Reply(text="Hang on.", idempotency_key="u1"), case_id, "slack", ANA)
    fake_x.fail("/2/tweets", 500, times=10)
    now = [datetime.now(timezone.utc)]
    relay = new_relay(runtime, fake_x, clock=lambda: now[0], max_attempts=3)
    for _ in range(3):
        relay.run_once()
        now[0] += timedelta(minutes=11)
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.FAILED and entry.last_error.startswith("gave up after 3 attempts")


def test_like_and_repost_praise_once(config, database_url, fake_x):
    config = config.model_copy(update={"x": XSource(poll_interval_seconds=30, search=False,
                                                   thank_you_response=config.x.thank_you_response)})
    runtime = Runtime.build(config, database=database_url, settings=settings_for(fake_x))
    try:
        praise = fake_x.post(CUSTOMER, "@SkylarkHelp the crew on SK100 were wonderful today, thank you!")
        XPoller(runtime, make_client(runtime.settings)).poll_due()
        with runtime.sessions() as s:
            case = s.scalars(select(Case)).one()
            assert case.intent == "praise"
        desk = CaseDesk(runtime.sessions)
        assert desk.run(cmd.Engage(kind="like", idempotency_key="like-1"), case.id, "slack", BEN).event == "like_queued"
        assert desk.run(cmd.Engage(kind="like", idempotency_key="like-1"), case.id, "slack", BEN).code == "duplicate"
        assert desk.run(cmd.Engage(kind="repost", idempotency_key="rp-1"), case.id, "slack", BEN).ok
        results = new_relay(runtime, fake_x).run_once()
        assert sorted(r.event for r in results) == ["liked", "reposted"]
        assert fake_x.likes == [(BRAND_ID, praise["id"])] and fake_x.reposts == [(BRAND_ID, praise["id"])]
    finally:
        runtime.close()


def test_public_thank_you_after_a_private_resolution(world, fake_x):
    runtime, desk, case_id, tweet = world
    thanks = runtime.config.thank_you_text()  # the canned response x.thank_you_response names
    assert thanks and thanks.startswith("Glad we could sort this out in DM.")
    refused = desk.run(cmd.ThankPublicly(idempotency_key="ty0"), case_id, "slack", ANA)
    assert not refused.ok  # not before a private resolution
    desk.run(cmd.Reply(text="Your bag is on its way.", visibility="private", idempotency_key="dm"), case_id, "slack", ANA)
    relay = new_relay(runtime, fake_x)
    relay.run_once()
    assert desk.run(cmd.Resolve(), case_id, "slack", ANA).ok
    queued = desk.run(cmd.ThankPublicly(idempotency_key="ty1"), case_id, "slack", ANA)
    assert queued.ok and queued.event == "reply_queued"
    relay.run_once()
    public = fake_x.replies_to(tweet["id"])
    assert [t["text"] for t in public] == [thanks]
    with runtime.sessions() as s:
        assert s.get(Case, case_id).state == CaseState.RESOLVED  # the thank-you does not reopen it
