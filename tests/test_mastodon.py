"""The Mastodon source and relay end to end: Mastodon.py against the local fake instance
(REST + server-sent events on 127.0.0.1), a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.desk import commands as cmd
from bot.feeds import mastodon_api
from bot.desk.service import CaseDesk
from bot.desk.case_view import load_card
from bot.core.config import MastodonSource
from bot.feeds.mastodon import MastodonFeed, rewind
from bot.desk.redaction import REDACTED_TEXT
from bot.relay.mastodon import MastodonSender, idempotency_key
from bot.relay.outbox import OutboxRelay, RelayWorker
from bot.app.runtime import Runtime
from storage.models import Case, Event, FeedCursor, Mention, OutboxEntry, OutboxState, QuarantinedEvent
from tests.conftest import ServerThread
from tests.fakes.mastodon_api import TOKEN, FakeMastodon

CUSTOMER = "200"
ANA = "U0ANA00001"  # an agent in the sample config


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the relay catches it."""


def wait_for(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def fake():
    fake = FakeMastodon(heartbeat_seconds=0.2)
    fake.add_account(CUSTOMER, "maria", "Maria", followers=840)
    with ServerThread(fake.app) as server:
        fake.url = server.url
        yield fake
        fake.drop_streams()


def client_for(fake: FakeMastodon):
    return mastodon_api.make_client(fake.url, TOKEN, timeout=5)


@pytest.fixture
def runtime_(config, database_url):
    config = config.model_copy(update={"mastodon": MastodonSource(search=False, hashtags=True)})
    runtime = Runtime.build(config, database=database_url)
    yield runtime
    runtime.close()


@pytest.fixture
def feed(runtime_, fake):
    feed = MastodonFeed(runtime_, client_for(fake), base_backoff=0.05)
    feed.start()
    assert feed.wait_connected(10), feed.sources_health()
    yield feed
    feed.stop()


def mentions(runtime) -> list[Mention]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Mention).order_by(Mention.id)))


def case_of(runtime, status_id: str) -> int:
    def find():
        with runtime.sessions() as s:
            return s.scalar(select(Mention.case_id).where(Mention.platform == "mastodon",
                                                          Mention.external_id == status_id))
    return wait_for(find, what=f"a case for status {status_id}")


def new_relay(runtime, fake, **kwargs) -> OutboxRelay:
    return OutboxRelay(runtime.sessions, {"mastodon": MastodonSender(client_for(fake))}, **kwargs)


def outbox(runtime, outbox_id: int) -> OutboxEntry:
    with runtime.sessions() as s:
        return s.get(OutboxEntry, outbox_id)


# --- in, triaged, answered, exactly once -----------------------------------------------------------

def test_streamed_mention_becomes_a_case_and_the_reply_goes_into_its_thread_once(runtime_, feed, fake):
    status = fake.post(CUSTOMER, "@SkylarkHelp my bag never arrived on SK212 and nobody answers, please help")
    case_id = case_of(runtime_, status["id"])
    [stored] = mentions(runtime_)
    assert stored.author_handle == "maria@mastodon.example" and stored.author_followers == 840
    assert stored.text.startswith("@SkylarkHelp my bag never arrived") and stored.url == status["url"]
    desk = CaseDesk(runtime_.sessions)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    queued = desk.run(cmd.Reply(text="So sorry Maria, we're tracing your bag now.", idempotency_key="k1"), case_id, "slack", ANA)
    assert queued.event == "reply_queued"

    assert [r.event for r in new_relay(runtime_, fake).run_once()] == ["reply_sent"]
    [reply] = fake.replies_to(status["id"])
    assert reply["in_reply_to_id"] == status["id"] and reply["visibility"] == "public"
    assert mastodon_api.html_to_text(reply["content"]) == \
        "@maria@mastodon.example So sorry Maria, we're tracing your bag now."
    [post] = fake.requests_to("/api/v1/statuses", "POST")
    assert post.headers["idempotency-key"] == idempotency_key(new_relay(runtime_, fake)._job(queued.outbox_id))
    entry = outbox(runtime_, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == reply["id"] and entry.external_url == reply["url"]
    assert new_relay(runtime_, fake).run_once() == []  # nothing left to send
    assert len(fake.requests_to("/api/v1/statuses", "POST")) == 1


def test_the_access_token_never_reaches_the_logs(runtime_, fake, caplog):
    caplog.set_level(logging.DEBUG)
    feed = MastodonFeed(runtime_, client_for(fake), base_backoff=0.05)
    feed.start()
    try:
        assert feed.wait_connected(10)
        case_of(runtime_, fake.post(CUSTOMER, "@SkylarkHelp where is my refund?")["id"])
    finally:
        feed.stop()
    assert TOKEN not in caplog.text


@pytest.fixture
def claimed_case(runtime_, feed, fake):
    status = fake.post(CUSTOMER, "@SkylarkHelp my bag never arrived on SK212, please help")
    case_id = case_of(runtime_, status["id"])
    desk = CaseDesk(runtime_.sessions)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    return desk, case_id, status


@pytest.mark.parametrize("crash_after_send", [True, False])
def test_restart_between_send_and_record_still_posts_exactly_one_reply(runtime_, fake, claimed_case, crash_after_send):
    desk, case_id, status = claimed_case
    queued = desk.run(cmd.Reply(text="We found your bag, it arrives tonight.", idempotency_key="crash"), case_id, "slack", ANA)
    relay = new_relay(runtime_, fake)
    sender = relay.senders["mastodon"]
    real_send = sender.send

    def send_then_die(job):
        if crash_after_send:
            real_send(job)  # the status reaches Mastodon ...
        raise Crash()  # ... and the process dies before recording it (or before sending at all)

    sender.send = send_then_die
    with pytest.raises(Crash):
        relay.run_once()
    assert outbox(runtime_, queued.outbox_id).state == OutboxState.SENDING

    # A new process: its worker reconciles the entry left in `sending` (looks in the thread), then delivers.
    worker = RelayWorker(new_relay(runtime_, fake, listeners=[]), poll_every=0.05, startup_lease=timedelta(0))
    worker.start()
    try:
        assert worker.wait_idle(10)
    finally:
        worker.stop()
    [reply] = fake.replies_to(status["id"])
    entry = outbox(runtime_, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == reply["id"]
    with runtime_.sessions() as s:
        sent = s.scalar(select(func.count()).select_from(Event).where(Event.case_id == case_id,
                                                                     Event.type == "reply_sent"))
    assert sent == 1


def test_after_the_idempotency_hour_reconcile_finds_the_reply_in_the_thread(runtime_, fake, claimed_case):
    """A process that died mid-send and comes back after Mastodon forgot the key: the relay's
    reconcile finds the reply in the customer's thread and records it instead of posting again."""
    desk, case_id, status = claimed_case
    queued = desk.run(cmd.Reply(text="Your bag is on the 18:05 flight.", idempotency_key="late"), case_id, "slack", ANA)
    relay = new_relay(runtime_, fake)
    sender = relay.senders["mastodon"]
    real_send = sender.send

    def send_then_die(job):
        real_send(job)
        raise Crash()

    sender.send = send_then_die
    with pytest.raises(Crash):
        relay.run_once()
    fake.expire_idempotency_keys()
    results = new_relay(runtime_, fake, listeners=[]).reconcile(older_than=timedelta(0))
    assert [r.event for r in results] == ["reply_sent"]
    [reply] = fake.replies_to(status["id"])
    assert outbox(runtime_, queued.outbox_id).external_id == reply["id"]
    assert len(fake.requests_to("/api/v1/statuses", "POST")) == 1


def test_a_resend_with_the_same_idempotency_key_returns_the_first_status(runtime_, fake, claimed_case):
    """Without reconcile (a worker that re-sends an entry blindly), the Idempotency-Key alone
    keeps Mastodon from posting twice: the fake answers a repeated key as Mastodon does."""
    desk, case_id, status = claimed_case
    queued = desk.run(cmd.Reply(text="On it, Maria.", idempotency_key="idem"), case_id, "slack", ANA)
    relay = new_relay(runtime_, fake)
    job = relay._job(queued.outbox_id)
    first = relay.senders["mastodon"].send(job)
    again = relay.senders["mastodon"].send(job)
    assert first.external_id == again.external_id
    assert len(fake.requests_to("/api/v1/statuses", "POST")) == 2 and len(fake.replies_to(status["id"])) == 1


@pytest.mark.parametrize("asked,customer_visibility,expected", [
    ("private", "public", "direct"),
    ("public", "unlisted", "unlisted"),
    ("public", "private", "private"),
    ("public", "direct", "unlisted"),  # a public answer never puts a DM on the public timelines
])
def test_reply_visibility_follows_the_customer_and_private_is_direct(runtime_, feed, fake, asked,
                                                                     customer_visibility, expected):
    status = fake.post(CUSTOMER, "@SkylarkHelp my booking reference does not work, please help",
                       visibility=customer_visibility)
    case_id = case_of(runtime_, status["id"])
    desk = CaseDesk(runtime_.sessions)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    desk.run(cmd.Reply(text="Please send us your booking reference.", visibility=asked, idempotency_key="v"), case_id, "slack", ANA)
    assert [r.event for r in new_relay(runtime_, fake).run_once()] == ["reply_sent"]
    [reply] = fake.replies_to(status["id"])
    assert reply["visibility"] == expected
    # A direct status reaches only the accounts it mentions: the customer is always mentioned.
    assert [m["id"] for m in reply["mentions"]] == [CUSTOMER]


def test_the_length_limit_is_the_instances(runtime_):
    small = FakeMastodon(max_characters=60)
    small.add_account(CUSTOMER, "maria", "Maria")
    with ServerThread(small.app) as server:
        small.url = server.url
        status = small.post(CUSTOMER, "@SkylarkHelp my flight SK212 was cancelled, please help", publish=False)
        feed = MastodonFeed(runtime_, client_for(small))
        feed.backfill(feed.streams[0])
        case_id = case_of(runtime_, status["id"])
        desk = CaseDesk(runtime_.sessions)
        desk.run(cmd.Claim(), case_id, "slack", ANA)
        # Well under the 500 the reply dialog allows, over this instance's 60: 34 characters, the
        # link counting 23 and "@maria@mastodon.example " counting as "@maria " (7).
        queued = desk.run(cmd.Reply(text="So sorry! Rebook at no cost here: "
                          "https://skylark.example/rebook/SK212", idempotency_key="long"), case_id, "slack", ANA)
        [result] = new_relay(runtime_, small).run_once()
    assert result.event == "reply_failed"
    assert outbox(runtime_, queued.outbox_id).last_error == \
        "too long for this Mastodon instance: 64 characters (with the customer's @handle), 60 at most"
    assert small.requests_to("/api/v1/statuses", "POST") == []


# --- streaming: resume, deletes, bad events --------------------------------------------------------

def test_a_dropped_stream_resumes_with_nothing_lost_and_nothing_doubled(runtime_, feed, fake):
    first = fake.post(CUSTOMER, "@SkylarkHelp #SkylarkAir lost my bag on SK212")
    case_of(runtime_, first["id"])
    wait_for(lambda: len(mentions(runtime_)) == 1)
    # The instance restarts: streams are cut and refused until it is back.
    fake.fail("/api/v1/streaming", 503, times=1_000_000)
    fake.drop_streams()
    wait_for(lambda: fake.listening("user") == 0 and fake.listening("hashtag:skylarkair") == 0)
    missed = [fake.post(CUSTOMER, f"@SkylarkHelp #SkylarkAir still waiting for bag {n} from SK212")
              for n in range(3)]  # published while nobody listens: the stream will never send them
    wait_for(lambda: len(fake.requests_to("/api/v1/streaming")) >= 6, what="reconnects refused")
    assert len(mentions(runtime_)) == 1
    fake.failures.clear()  # the instance is back
    wait_for(lambda: fake.listening("user") == 1 and fake.listening("hashtag:skylarkair") == 1,
             what="both streams back")
    wait_for(lambda: feed.wait_connected(0.01))
    after = fake.post(CUSTOMER, "@SkylarkHelp #SkylarkAir any news about SK212?")
    wait_for(lambda: len(mentions(runtime_)) == 5, what="all five posts stored")
    time.sleep(0.3)  # anything doubled would arrive now
    ids = [m.external_id for m in mentions(runtime_)]
    assert sorted(ids) == sorted([first["id"], *(m["id"] for m in missed), after["id"]])
    # The backfill asked from the last id seen, not from the start.
    with runtime_.sessions() as s:
        cursor = s.scalar(select(FeedCursor).where(FeedCursor.query_key == "notifications:Skylark Airways"))
    backfills = [c for c in fake.requests_to("/api/v1/notifications") if c.params.get("min_id")]
    assert backfills and backfills[0].params["min_id"] == fake.notifications[0]["id"]
    assert cursor.since_id == fake.notifications[-1]["id"] and cursor.status == "ok"
    assert feed.health["notifications:Skylark Airways"].connects >= 2


def test_a_deleted_post_is_redacted_on_its_card(runtime_, feed, fake):
    seen = []
    runtime_.action_listeners.append(seen.append)
    status = fake.post(CUSTOMER, "@SkylarkHelp my card number is 4111 1111 and SK212 lost my bag")
    case_id = case_of(runtime_, status["id"])
    fake.delete(status["id"])

    def redacted():
        with runtime_.sessions() as s:
            return s.scalar(select(Mention.text).where(Mention.external_id == status["id"])) == REDACTED_TEXT
    wait_for(redacted, what="the mention redacted")
    with runtime_.sessions() as s:
        row = s.scalar(select(Mention).where(Mention.external_id == status["id"]))
        assert "4111" not in json.dumps(row.raw)
        card = load_card(s, case_id)
        assert card.text == REDACTED_TEXT
        assert [e.type for e in s.scalars(select(Event).where(Event.case_id == case_id))].count("post_redacted") == 1
    wait_for(lambda: [r for r in seen if r.event == "post_redacted"], what="the card refresh")
    assert seen[-1].case_id == case_id and seen[-1].source == "mastodon"


def test_a_bad_event_is_quarantined_and_the_stream_goes_on(runtime_, feed, fake):
    fake.send_raw("user", "event: notification\ndata: {this is not json\n\n")
    fake.publish("user", "notification", {"id": fake.next_id(), "type": "mention", "created_at": "2026-12-01T10:00:00Z",
                                          "account": fake.accounts[CUSTOMER],
                                          "status": {"id": fake.next_id(), "content": "<p>no account</p>"}})
    good = fake.post(CUSTOMER, "@SkylarkHelp my SK212 flight was cancelled, please help")
    case_of(runtime_, good["id"])
    with runtime_.sessions() as s:
        quarantined = list(s.scalars(select(QuarantinedEvent).order_by(QuarantinedEvent.id)))
    assert [(q.source, q.stream, q.event) for q in quarantined] == [
        ("mastodon", "notifications:Skylark Airways", "notification")] * 2
    assert "malformed" in quarantined[0].reason and "{this is not json" in quarantined[0].payload
    assert "account" in quarantined[1].reason
    assert feed.health["notifications:Skylark Airways"].connects == 1  # never reconnected
    assert feed.health["notifications:Skylark Airways"].quarantined == 2


# --- rate limits, search ---------------------------------------------------------------------------

def test_the_relay_stops_before_the_rate_limit_and_resumes_at_the_reset(runtime_, fake, claimed_case):
    desk, case_id, status = claimed_case
    queued = desk.run(cmd.Reply(text="Checking now.", idempotency_key="rl"), case_id, "slack", ANA)
    reset_in = 120
    fake.rate_limit(remaining=1, reset_in=reset_in)  # one request left in this window
    assert new_relay(runtime_, fake).run_once() == []
    entry = outbox(runtime_, queued.outbox_id)
    assert entry.state == OutboxState.PENDING and "rate limit" in entry.last_error
    expected = datetime.now(timezone.utc) + timedelta(seconds=reset_in)
    assert abs((entry.next_attempt_at - expected).total_seconds()) < 5
    assert fake.rate_limited == []  # it stopped at Remaining 0 instead of running into a 429
    assert fake.requests_to("/api/v1/statuses", "POST") == []


def test_a_429_is_retried_at_the_instances_reset(runtime_, fake, claimed_case):
    desk, case_id, status = claimed_case
    queued = desk.run(cmd.Reply(text="Checking now.", idempotency_key="429"), case_id, "slack", ANA)
    fake.rate_limit(remaining=0, reset_in=90)
    assert new_relay(runtime_, fake).run_once() == []
    entry = outbox(runtime_, queued.outbox_id)
    expected = datetime.now(timezone.utc) + timedelta(seconds=90)
    assert entry.state == OutboxState.PENDING and abs((entry.next_attempt_at - expected).total_seconds()) < 5


def test_a_rate_limited_stream_waits_for_the_reset_before_reconnecting(runtime_, fake):
    fake.rate_limit(remaining=0, reset_in=60)
    feed = MastodonFeed(runtime_, client_for(fake), base_backoff=0.05)
    feed.start()
    try:
        def parked():
            with runtime_.sessions() as s:
                return s.scalar(select(FeedCursor).where(FeedCursor.query_key == "notifications:Skylark Airways",
                                                         FeedCursor.status == "rate_limited"))
        cursor = wait_for(parked, what="the stream parked until the reset")
        refused = len(fake.rate_limited)
        time.sleep(1.0)
        # It does not hammer the instance: once told the window is used up, it waits for the reset.
        assert len(fake.rate_limited) == refused
        assert (cursor.next_poll_at - datetime.now(timezone.utc)).total_seconds() > 50
    finally:
        feed.stop()


def test_keyword_search_finds_posts_that_name_no_handle(runtime_, fake):
    status = fake.post(CUSTOMER, "Skylark Airways lost my bag on SK212, nobody answers", publish=False)
    feed = MastodonFeed(runtime_, client_for(fake), settings=MastodonSource(search=True))
    assert feed.search_keywords() >= 1
    case_of(runtime_, status["id"])
    assert feed.search_keywords() == 0  # the cursor moved: nothing read twice


def test_keyword_search_stops_where_the_instance_refuses_it(runtime_, fake):
    fake.fail("/api/v2/search", 403)
    feed = MastodonFeed(runtime_, client_for(fake), settings=MastodonSource(search=True))
    assert feed.search_keywords() == 0
    with runtime_.sessions() as s:
        cursor = s.scalar(select(FeedCursor).where(FeedCursor.query_key == "search:Skylark Airways"))
    assert cursor.status == "unavailable" and "keyword search" in cursor.last_error
    assert feed.search_keywords() == 0 and len(fake.requests_to("/api/v2/search")) == 1


def test_rewind_moves_a_snowflake_back_in_time():
    now_ms = int(time.time() * 1000)
    snowflake = str((now_ms << 16) + 1234)
    assert int(rewind(snowflake, timedelta(minutes=5))) >> 16 == now_ms - 300_000


# --- praise, customer 360, configuration -----------------------------------------------------------

def test_praise_is_favourited_and_boosted_once(runtime_, feed, fake):
    status = fake.post(CUSTOMER, "@SkylarkHelp thank you! The crew on SK212 was wonderful, best flight ever")
    case_id = case_of(runtime_, status["id"])
    desk = CaseDesk(runtime_.sessions)
    with runtime_.sessions() as s:
        assert load_card(s, case_id).can_engage
    assert desk.run(cmd.Engage(kind="like", idempotency_key="like-1"), case_id, "slack", ANA).event == "like_queued"
    assert desk.run(cmd.Engage(kind="like", idempotency_key="like-1"), case_id, "slack", ANA).code == "duplicate"
    assert desk.run(cmd.Engage(kind="repost", idempotency_key="rp-1"), case_id, "slack", ANA).ok
    events_ = [r.event for r in new_relay(runtime_, fake).run_once()]
    assert sorted(events_) == ["liked", "reposted"]
    assert fake.favourites == {status["id"]} and fake.reblogs == {status["id"]}
    assert fake.statuses.keys() == {status["id"]}  # no status posted for either


def test_customer_360_joins_the_mastodon_identity_to_the_x_one(config, database_url, fake):
    from bot.crm.known import KnownCustomer
    from storage.models import CustomerHandle

    known = KnownCustomer(name="Maria", handles={"x": "maria_travels", "mastodon": "@maria@mastodon.example"})
    config = config.model_copy(update={"customers": [known], "mastodon": MastodonSource(search=False)})
    runtime = Runtime.build(config, database=database_url)
    try:
        feed = MastodonFeed(runtime, client_for(fake))
        status = fake.post(CUSTOMER, "@SkylarkHelp my SK212 bag is still missing, please help", publish=False)
        feed.backfill(feed.streams[0])
        case_of(runtime, status["id"])
        with runtime.sessions() as s:
            [row] = s.scalars(select(Mention)).all()
            handles = {(h.platform, h.handle) for h in s.scalars(select(CustomerHandle).where(
                CustomerHandle.customer_id == row.customer_id))}
        assert handles == {("x", "maria_travels"), ("mastodon", "maria@mastodon.example")}
    finally:
        runtime.close()


def test_the_mastodon_section_refuses_a_secret_and_an_unknown_brand(tmp_path):
    from bot.core.config import ConfigError, load_config

    base = "brands:\n  - name: Skylark\n    handles: ['@SkylarkHelp']\n"
    path = tmp_path / "c.yaml"
    path.write_text(base + "mastodon:\n  base_url: https://mastodon.social\n  access_token: abc123\n")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert "c.yaml:6: mastodon.access_token: unknown setting" in str(refused.value)
    path.write_text(base + "mastodon:\n  brand: Nope\n")
    with pytest.raises(ConfigError) as unknown:
        load_config(path)
    assert "unknown brand 'Nope'" in str(unknown.value)
    path.write_text(base + "mastodon:\n  base_url: mastodon.social\n")
    with pytest.raises(ConfigError) as bad_url:
        load_config(path)
    assert "base_url" in str(bad_url.value)
    path.write_text(base + "mastodon:\n  base_url: https://mastodon.social\n  brand: Skylark\n")
    assert load_config(path).mastodon.base_url == "https://mastodon.social"


def test_a_missing_setting_is_named(config, database_url):
    from bot.feeds.mastodon_api import MastodonConfigError
    from bot.core.settings import Settings
    from pydantic import SecretStr

    config = config.model_copy(update={"mastodon": MastodonSource()})  # no base_url in the file either
    runtime = Runtime.build(config, database=database_url, settings=Settings(mastodon_access_token=SecretStr("t")))
    try:
        with pytest.raises(MastodonConfigError, match="MENTIONDESK_MASTODON_BASE_URL"):
            runtime.enable_mastodon(start=False)
    finally:
        runtime.close()
    without_token = Runtime.build(config, database=database_url, settings=Settings())
    try:
        assert without_token.enable_mastodon(start=False) == (None, None)  # Mastodon is simply off
    finally:
        without_token.close()


def test_the_card_names_mastodon_links_the_post_and_escapes_its_text(runtime_, fake):
    from handlers.slack.cards import render_card

    status = fake.post(CUSTOMER, "@SkylarkHelp <!channel> my bag never arrived on SK212 & nobody answers, please help",
                       publish=False)
    feed = MastodonFeed(runtime_, client_for(fake))
    feed.backfill(feed.streams[0])
    case_id = case_of(runtime_, status["id"])
    with runtime_.sessions() as s:
        view = load_card(s, case_id)
    assert view.platform == "mastodon" and view.url == status["url"]
    assert view.text.startswith("@SkylarkHelp <!channel> my bag")  # the author's words, HTML undone
    blocks = json.dumps(render_card(view))
    assert "<!channel>" not in blocks and "&lt;!channel&gt;" in blocks  # pings no one on Slack
    assert "Mastodon" in blocks and status["url"] in blocks


def test_the_customers_answer_to_our_reply_joins_the_case(runtime_, feed, fake, claimed_case):
    desk, case_id, status = claimed_case
    desk.run(cmd.Reply(text="Sorry Maria, which flight was it?", idempotency_key="q"), case_id, "slack", ANA)
    assert [r.event for r in new_relay(runtime_, fake).run_once()] == ["reply_sent"]
    [ours] = fake.replies_to(status["id"])
    answer = fake.post(CUSTOMER, "@SkylarkHelp it was SK212 from Madrid", in_reply_to=ours["id"])
    assert case_of(runtime_, answer["id"]) == case_id  # the thread so far, on one card
    with runtime_.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_a_silent_stream_is_reconnected_and_caught_up(runtime_):
    quiet = FakeMastodon(heartbeat_seconds=30)  # a stalled connection: no event, no heartbeat
    quiet.add_account(CUSTOMER, "maria", "Maria")
    with ServerThread(quiet.app) as server:
        quiet.url = server.url
        settings = MastodonSource(search=False, hashtags=False).model_copy(update={"stream_timeout_seconds": 0.5})
        feed = MastodonFeed(runtime_, client_for(quiet), settings=settings, base_backoff=0.05)
        feed.start()
        try:
            assert feed.wait_connected(10)
            status = quiet.post(CUSTOMER, "@SkylarkHelp is SK212 on time?", publish=False)  # never streamed
            wait_for(lambda: feed.health["notifications:Skylark Airways"].connects >= 2, what="a reconnect")
            case_of(runtime_, status["id"])  # the reconnect's backfill brought it
            assert feed.health["notifications:Skylark Airways"].errors >= 1  # counted, not hidden
        finally:
            feed.stop()
            quiet.drop_streams()


def test_blocked_words_and_pr_approval_apply_to_mastodon_replies(runtime_, fake, claimed_case):
    from bot.desk.reply_policy import ReplyPolicy

    _, case_id, status = claimed_case  # a lost-bag case ("bag" → lost_luggage)
    desk = CaseDesk(runtime_.sessions, policy=ReplyPolicy(sensitive_topics=frozenset({"lost_luggage"})))
    refused = desk.run(cmd.Reply(text="Send us your card number please", idempotency_key="b"), case_id, "slack", ANA)
    assert not refused.ok and "blocked wording" in refused.reason
    waiting = desk.run(cmd.Reply(text="We are tracing it with the airport.", idempotency_key="a"), case_id, "slack", ANA)
    assert waiting.event == "approval_requested"
    assert new_relay(runtime_, fake).run_once() == [] and fake.replies_to(status["id"]) == []  # not before PR
    assert desk.run(cmd.Approve(outbox_id=waiting.outbox_id), case_id, "slack", "U0ERIN0001").ok
    assert [r.event for r in new_relay(runtime_, fake).run_once()] == ["reply_sent"]
    assert len(fake.replies_to(status["id"])) == 1


def test_a_busy_hashtag_backfills_page_after_page_without_repeating(runtime_, fake):
    feed = MastodonFeed(runtime_, client_for(fake))
    tag = next(s for s in feed.streams if s.tag == "skylarkair")
    first = fake.post(CUSTOMER, "#SkylarkAir my bag never arrived on SK212", publish=False)
    feed.backfill(tag)  # first start: sets the cursor
    burst = [fake.post(CUSTOMER, f"#SkylarkAir lost bag report {n} from SK212", publish=False) for n in range(90)]
    assert feed.backfill(tag) >= 90  # three pages of 40 (the first re-reads the margin before the cursor)
    stored = {m.external_id for m in mentions(runtime_)}
    assert stored == {first["id"], *(s["id"] for s in burst)}
    with runtime_.sessions() as s:
        cursor = s.scalar(select(FeedCursor).where(FeedCursor.query_key == "tag:skylarkair"))
    assert cursor.since_id == burst[-1]["id"]


def test_keyword_search_never_moves_past_posts_a_full_page_left_waiting(runtime_, fake):
    seed = fake.post(CUSTOMER, "Skylark Airways, where is my bag from SK212?", publish=False)
    feed = MastodonFeed(runtime_, client_for(fake), settings=MastodonSource(search=True))
    feed.search_keywords()  # the first round reads the newest page and sets the cursor
    many = [fake.post(CUSTOMER, f"Skylark Airways lost bag number {n} on SK212", publish=False) for n in range(45)]
    later = fake.post(CUSTOMER, "Skylark Miles points missing after my SK212 flight", publish=False)
    feed.search_keywords()  # one page of 40 per keyword: 5 newer posts still wait behind it
    feed.search_keywords()
    assert {m.external_id for m in mentions(runtime_)} == {seed["id"], *(s["id"] for s in many), later["id"]}
