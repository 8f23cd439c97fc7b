"""The outbox relay to Bluesky, end to end: the real ``atproto`` client against the local fake
PDS and chat service, a real database (SQLite and PostgreSQL).

Mention → case → claim → reply → exactly one post in the customer's thread, with the right
``reply.root`` and ``reply.parent``; a crash between send and record still leaves one; chat
messages for private replies, and a clear reason when they are not possible."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from bot.feeds.bluesky import BlueskyListener
from bot.relay.bluesky import NO_DMS, BlueskySender, graphemes
from bot.relay.outbox import OutboxRelay, RelayWorker
from storage.models import Case, CaseState, Event, OutboxEntry, OutboxState
from tests.bluesky_helpers import CUSTOMER, account, bluesky_runtime, fake_bsky  # noqa: F401
from tests.fakes.bluesky import BRAND_DID, CHAT_PROXY

ANA = "U0ANA00001"  # an agent in the sample config
BEN = "U0BEN00001"


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the relay catches it."""


def ingest_live(runtime, fake) -> None:
    """What the listener does with the frames the fake emitted (without running the websocket)."""
    BlueskyListener(runtime, account(runtime)).handle_frames([text for _, text in fake.frames])
    fake.frames.clear()


def build_world(config, database_url, fake, **source):
    runtime = bluesky_runtime(config, database_url, fake, backfill=False, **source)
    root = fake.post(CUSTOMER, "@skylark.bsky.social my bag never arrived on SK212, please help", mention=BRAND_DID)
    follow_up = fake.post(CUSTOMER, "Still nothing. Reference is on the tag: see example.com/tag...", reply_to=root["uri"],
                          link=("example.com/tag...", "https://example.com/tag/77"))
    ingest_live(runtime, fake)
    with runtime.sessions() as s:
        case_id = s.scalars(select(Case.id)).one()
    desk = CaseDesk(runtime.sessions)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    return runtime, desk, case_id, root, follow_up


@pytest.fixture
def world(config, database_url, fake_bsky):
    runtime, desk, case_id, root, follow_up = build_world(config, database_url, fake_bsky)
    yield runtime, desk, case_id, root, follow_up
    runtime.close()


def new_relay(runtime, *, direct_messages=False, **kwargs) -> OutboxRelay:
    sender = BlueskySender(account(runtime), direct_messages=direct_messages)
    return OutboxRelay(runtime.sessions, {"bluesky": sender}, **kwargs)


def outbox(runtime, outbox_id: int) -> OutboxEntry:
    with runtime.sessions() as s:
        return s.get(OutboxEntry, outbox_id)


def events(runtime, case_id: int) -> list[Event]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)))


def test_reply_goes_into_the_customers_thread_once_with_root_and_parent(world, fake_bsky):
    runtime, desk, case_id, root, follow_up = world
    with runtime.sessions() as s:
        assert len(s.scalars(select(Case)).all()) == 1  # the follow-up joined the case of its thread
    text = "So sorry Maria, we're tracing your bag now: https://skylark.example/bags and @maria.bsky.social"
    queued = desk.run(cmd.Reply(text=text, idempotency_key="k1"), case_id, "slack", ANA)
    assert queued.event == "reply_queued"
    assert [r.event for r in new_relay(runtime).run_once()] == ["reply_sent"]
    replies = fake_bsky.replies_to(follow_up["uri"])
    assert len(replies) == 1
    reply = replies[0]["value"]
    # The newest post of the conversation is the parent; the thread's first post stays the root.
    refs = {k: (v["uri"], v["cid"]) for k, v in reply["reply"].items() if k != "$type"}
    assert refs == {"root": (root["uri"], root["cid"]), "parent": (follow_up["uri"], follow_up["cid"])}
    features = sorted(f["features"][0]["$type"].rsplit("#", 1)[1] for f in reply["facets"])
    assert features == ["link", "mention"]
    assert {f["features"][0].get("did") for f in reply["facets"]} >= {CUSTOMER}
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == replies[0]["uri"]
    assert entry.external_url == "https://bsky.app/profile/{}/post/{}".format(*replies[0]["uri"][5:].split("/")[::2])
    with runtime.sessions() as s:
        assert s.get(Case, case_id).state == CaseState.REPLIED
    assert new_relay(runtime).run_once() == []
    assert len(fake_bsky.requests_to("com.atproto.repo.createRecord")) == 1


@pytest.mark.parametrize("crash_after_send", [True, False])
def test_crash_between_send_and_record_never_doubles_the_reply(world, fake_bsky, crash_after_send):
    runtime, desk, case_id, _, follow_up = world
    queued = desk.run(cmd.Reply(text="We found your bag, it arrives tonight.", idempotency_key="crash"), case_id, "slack", ANA)
    relay = new_relay(runtime)
    sender = relay.senders["bluesky"]
    real_send = sender.send

    def send_then_die(job):
        if crash_after_send:
            real_send(job)  # the post reaches the PDS ...
        raise Crash()  # ... and the process dies before recording it (or before sending at all)

    sender.send = send_then_die
    with pytest.raises(Crash):
        relay.run_once()
    assert outbox(runtime, queued.outbox_id).state == OutboxState.SENDING
    # A new process: its worker reconciles the entry left in `sending` (getRecord under the entry's
    # record key), then delivers what was not sent.
    worker = RelayWorker(new_relay(runtime, listeners=[]), poll_every=0.05, startup_lease=timedelta(0))
    worker.start()
    try:
        assert worker.wait_idle(10)
    finally:
        worker.stop()
    replies = fake_bsky.replies_to(follow_up["uri"])
    assert len(replies) == 1
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT and entry.external_id == replies[0]["uri"]
    assert len(fake_bsky.requests_to("com.atproto.repo.createRecord")) == 1
    assert [e.type for e in events(runtime, case_id)].count("reply_sent") == 1


def test_a_resend_of_the_same_entry_is_refused_by_the_pds_and_recognised_as_sent(world, fake_bsky):
    """Even without reconciling first (a second replica, a lost answer), the record key makes the
    second createRecord fail, and the sender reports the post that is there."""
    runtime, desk, case_id, _, follow_up = world
    queued = desk.run(cmd.Reply(text="Tracing it now.", idempotency_key="twice"), case_id, "slack", ANA)
    relay = new_relay(runtime)
    job = relay._take()
    sender = relay.senders["bluesky"]
    first, second = sender.send(job), sender.send(job)
    assert first == second
    assert len(fake_bsky.replies_to(follow_up["uri"])) == 1
    assert [c.status for c in fake_bsky.requests_to("com.atproto.repo.createRecord")] == [200, 400]
    assert queued.outbox_id == job.id


def test_rate_limited_send_waits_for_the_reset(world, fake_bsky):
    runtime, desk, case_id, _, follow_up = world
    queued = desk.run(cmd.Reply(text="On it.", idempotency_key="r1"), case_id, "slack", ANA)
    reset = int((datetime.now(timezone.utc) + timedelta(minutes=3)).timestamp())
    fake_bsky.fail("com.atproto.repo.createRecord", 429, reset=reset, error="RateLimitExceeded",
                   message="Rate Limit Exceeded")
    assert new_relay(runtime).run_once() == []
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.PENDING and int(entry.next_attempt_at.timestamp()) == reset
    assert entry.last_error == "Bluesky rate limit reached"
    assert fake_bsky.replies_to(follow_up["uri"]) == []


def test_transient_error_retries_and_a_deleted_post_fails_with_the_reason(world, fake_bsky):
    runtime, desk, case_id, _, follow_up = world
    queued = desk.run(cmd.Reply(text="Looking into it.", idempotency_key="t1"), case_id, "slack", ANA)
    fake_bsky.fail("com.atproto.repo.createRecord", 503)
    now = [datetime.now(timezone.utc)]
    relay = new_relay(runtime, clock=lambda: now[0])
    assert relay.run_once() == []
    assert outbox(runtime, queued.outbox_id).state == OutboxState.PENDING
    fake_bsky.delete(follow_up["uri"])  # the customer deletes the post before the retry
    now[0] += timedelta(seconds=6)
    assert [r.event for r in relay.run_once()] == ["reply_failed"]
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.FAILED and entry.last_error == "the customer's post was deleted"


def test_too_long_for_bluesky_counts_graphemes_not_code_points(world, fake_bsky):
    runtime, desk, case_id, _, _ = world
    assert graphemes("👩‍✈️ ok") == 4  # one pilot (five code points), a space, two letters
    queued = desk.run(cmd.Reply(text="é" * 150, idempotency_key="len"), case_id, "slack", ANA) # 150 graphemes
    assert [r.event for r in new_relay(runtime).run_once()] == ["reply_sent"]
    assert outbox(runtime, queued.outbox_id).state == OutboxState.SENT


def test_private_reply_is_a_chat_message_through_the_chat_proxy(config, database_url, fake_bsky):
    runtime, desk, case_id, root, follow_up = build_world(config, database_url, fake_bsky, direct_messages=True)
    try:
        queued = desk.run(cmd.Reply(text="Please send me your file reference here.", visibility="private", idempotency_key="dm1"), case_id, "slack", ANA)
        assert [r.event for r in new_relay(runtime, direct_messages=True).run_once()] == ["reply_sent"]
        (convo_id, messages), = fake_bsky.messages.items()
        assert [m["text"] for m in messages] == ["Please send me your file reference here."]
        assert {m["did"] for m in fake_bsky.convos[convo_id]["members"]} == {BRAND_DID, CUSTOMER}
        assert all(c.headers.get("atproto-proxy") == CHAT_PROXY for c in fake_bsky.calls if c.nsid.startswith("chat."))
        assert fake_bsky.replies_to(follow_up["uri"]) == []  # nothing public
        entry = outbox(runtime, queued.outbox_id)
        assert entry.state == OutboxState.SENT and entry.external_id == f"{convo_id}/{messages[0]['id']}"
    finally:
        runtime.close()


def test_crash_after_a_chat_message_is_reconciled_not_resent(config, database_url, fake_bsky):
    runtime, desk, case_id, _, _ = build_world(config, database_url, fake_bsky, direct_messages=True)
    try:
        desk.run(cmd.Reply(text="Your bag is on its way.", visibility="private", idempotency_key="dm-crash"), case_id, "slack", ANA)
        relay = new_relay(runtime, direct_messages=True)
        sender = relay.senders["bluesky"]
        real_send = sender.send
        sender.send = lambda job: (real_send(job), (_ for _ in ()).throw(Crash()))
        with pytest.raises(Crash):
            relay.run_once()
        assert [r.event for r in new_relay(runtime, direct_messages=True).reconcile(older_than=timedelta(0))] == \
            ["reply_sent"]
        assert sum(len(m) for m in fake_bsky.messages.values()) == 1
    finally:
        runtime.close()


@pytest.mark.parametrize("setting,refuses,expected", [
    (False, False, NO_DMS),  # the desk was not told the app password may use chat
    (True, True, "the customer does not accept direct messages from the brand"),
])
def test_private_reply_that_cannot_be_a_dm_fails_with_a_reason_on_the_card(config, database_url, fake_bsky, setting,
                                                                           refuses, expected):
    runtime, desk, case_id, _, _ = build_world(config, database_url, fake_bsky, direct_messages=setting)
    try:
        if refuses:
            fake_bsky.refuses_dms.add(CUSTOMER)
        queued = desk.run(cmd.Reply(text="Can you DM us your booking?", visibility="private", idempotency_key="nodm"), case_id, "slack", ANA)
        seen = []
        assert [r.event for r in new_relay(runtime, direct_messages=setting, listeners=[seen.append]).run_once()] \
            == ["reply_failed"]
        entry = outbox(runtime, queued.outbox_id)
        assert entry.state == OutboxState.FAILED and entry.last_error.startswith(expected)
        failed = [e for e in events(runtime, case_id) if e.type == "reply_failed"]
        assert expected in failed[0].payload["reason"]  # what the card shows
        assert fake_bsky.messages == {}
    finally:
        runtime.close()


def test_an_app_password_without_dm_access_is_named(config, database_url, fake_bsky):
    fake_bsky.dm_allowed = False
    runtime, desk, case_id, _, _ = build_world(config, database_url, fake_bsky, direct_messages=True)
    try:
        queued = desk.run(cmd.Reply(text="Can you DM us?", visibility="private", idempotency_key="scope"), case_id, "slack", ANA)
        new_relay(runtime, direct_messages=True).run_once()
        assert outbox(runtime, queued.outbox_id).last_error == NO_DMS
    finally:
        runtime.close()


def test_like_and_repost_are_records_made_once(world, fake_bsky):
    runtime, desk, case_id, root, _ = world
    assert desk.run(cmd.Engage(kind="like", idempotency_key="like-1"), case_id, "slack", BEN).event == "like_queued"
    assert desk.run(cmd.Engage(kind="repost", idempotency_key="rp-1"), case_id, "slack", BEN).ok
    assert sorted(r.event for r in new_relay(runtime).run_once()) == ["liked", "reposted"]
    made = {r["value"]["$type"]: {k: r["value"]["subject"][k] for k in ("uri", "cid")} for r in fake_bsky.records.values()
            if r["uri"].startswith(f"at://{BRAND_DID}/")}
    assert made == {"app.bsky.feed.like": {"uri": root["uri"], "cid": root["cid"]},
                    "app.bsky.feed.repost": {"uri": root["uri"], "cid": root["cid"]}}


def test_the_runtime_listens_and_relays_end_to_end(config, database_url, fake_bsky):
    """enable_bluesky as `serve` calls it: the stream opens the case, the agent claims and replies,
    the woken relay worker posts exactly one reply in the thread."""
    from tests.bluesky_helpers import bluesky_runtime, wait_for

    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=False)
    try:
        listener, worker = runtime.enable_bluesky()
        assert listener is runtime.bluesky_listener and worker is runtime.bluesky_relay
        wait_for(listener.connected.is_set, what="the stream to connect")
        # Live from the moment the fake Jetstream fixed the stream's start (no cursor yet).
        wait_for(lambda: len(fake_bsky.connects) >= 1, what="the fake Jetstream to take the stream")
        post = fake_bsky.post(CUSTOMER, "@skylark.bsky.social my bag never arrived on SK212, please help",
                              mention=BRAND_DID)

        def case_id():
            with runtime.sessions() as s:
                return s.scalar(select(Case.id))
        wait_for(lambda: case_id() is not None, what="the case")
        desk = CaseDesk(runtime.sessions, listeners=runtime.action_listeners)
        assert desk.run(cmd.Claim(), case_id(), "slack", ANA).ok
        assert desk.run(cmd.Reply(text="We're on it, Maria.", idempotency_key="e2e"), case_id(), "slack", ANA).ok
        wait_for(lambda: len(fake_bsky.replies_to(post["uri"])) == 1, what="the reply on Bluesky")
        wait_for(lambda: outbox(runtime, 1).state == OutboxState.SENT, what="the reply recorded")
    finally:
        runtime.close()
    assert len(fake_bsky.replies_to(post["uri"])) == 1


def test_no_bluesky_account_means_no_bluesky_source(runtime):
    assert runtime.enable_bluesky() == (None, None)


def test_a_reply_over_300_graphemes_fails_with_the_count_and_is_not_sent(world, fake_bsky):
    runtime, desk, case_id, _, follow_up = world
    queued = desk.run(cmd.Reply(text="a" * 150, idempotency_key="ok-len"), case_id, "slack", ANA)
    # The desk's own limit counts code points (300); a longer reply never reaches the queue ...
    assert not desk.run(cmd.Reply(text="a" * 301, idempotency_key="too-long"), case_id, "slack", ANA).ok
    # ... and the sender checks graphemes itself, whatever a policy allowed.
    relay = new_relay(runtime)
    job = relay._take()
    from dataclasses import replace

    from bot.relay.outbox import SendError

    with pytest.raises(SendError, match="301 characters, 300 at most"):
        relay.senders["bluesky"].send(replace(job, text="é" * 301))
    assert fake_bsky.replies_to(follow_up["uri"]) == []
    assert queued.ok


def test_pr_approval_and_blocked_wording_apply_to_bluesky_unchanged(config, database_url, fake_bsky):
    from bot.desk import actions
    from bot.desk.actions import resolve_actor
    from bot.desk.reply_policy import ReplyPolicy
    from storage.db import transaction

    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=False)
    try:
        post = fake_bsky.post(CUSTOMER, "@skylark.bsky.social smoke in the cabin on SK212, this is unsafe",
                              mention=BRAND_DID)
        ingest_live(runtime, fake_bsky)
        with runtime.sessions() as s:
            case_id = s.scalars(select(Case.id)).one()
            topic = s.get(Case, case_id).topic
        policy = ReplyPolicy(sensitive_topics=frozenset({topic or "safety"}))

        def run(fn, user, **kw):
            with transaction(runtime.sessions) as session:
                return fn(session, case_id, resolve_actor(session, "slack", user), **kw)

        assert run(actions.claim, ANA).ok
        blocked = run(actions.reply, ANA, text="Send us your password and we will check", idempotency_key="b",
                      policy=policy)
        assert not blocked.ok and "blocked wording" in blocked.reason
        held = run(actions.reply, ANA, text="We're so sorry, the crew is looking into it.", idempotency_key="h",
                   policy=policy)
        assert held.event == "approval_requested"
        assert new_relay(runtime).run_once() == [] and fake_bsky.replies_to(post["uri"]) == []  # waits for PR
        assert run(actions.approve, "U0ERIN0001", outbox_id=held.outbox_id).ok
        assert [r.event for r in new_relay(runtime).run_once()] == ["reply_sent"]
        assert len(fake_bsky.replies_to(post["uri"])) == 1
    finally:
        runtime.close()
