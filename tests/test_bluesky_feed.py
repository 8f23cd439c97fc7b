"""The Bluesky source end to end: the real ``websockets`` and ``atproto`` clients against the
local fake Jetstream and XRPC endpoints, a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.feeds.bluesky import (
    BACKFILL_KEY,
    REDACTED_TEXT,
    STREAM_KEY,
    BlueskyListener,
    FrameError,
    parse_frame,
)
from storage.models import Case, Event, FeedCursor, Mention, QuarantinedInput
from tests.bluesky_helpers import (  # noqa: F401
    CUSTOMER,
    OTHER,
    account,
    bluesky_runtime,
    fake_bsky,
    wait_for,
)
from tests.fakes.bluesky import BRAND_DID

COMPLAINT = "@skylark.bsky.social my bag never arrived on SK212 and nobody answers, please help"


@pytest.fixture
def runtime(config, database_url, fake_bsky):
    rt = bluesky_runtime(config, database_url, fake_bsky, backfill=False)
    yield rt
    rt.close()


def listener(runtime, **kwargs) -> BlueskyListener:
    return BlueskyListener(runtime, account(runtime), batch_seconds=0.05, **kwargs)


def stored(runtime) -> list[Mention]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Mention).order_by(Mention.id)))


def cursor(runtime, key=STREAM_KEY) -> FeedCursor | None:
    with runtime.sessions() as s:
        return s.scalar(select(FeedCursor).where(FeedCursor.source == "bluesky", FeedCursor.query_key == key))


def test_a_mention_on_the_stream_opens_a_case_and_others_are_not_kept(runtime, fake_bsky):
    feed = listener(runtime)
    feed.start()
    try:
        wait_for(feed.connected.is_set, what="the stream to connect")
        fake_bsky.post(OTHER, "Lovely weather for a walk today")  # nothing to do with the brand
        post = fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
        fake_bsky.post(OTHER, "Anyone flown #FlySkylark lately? Thinking of booking", tags=["FlySkylark"])
        wait_for(lambda: len(stored(runtime)) == 2, what="two posts stored")
    finally:
        feed.stop()
    mentions = stored(runtime)
    first = mentions[0]
    assert first.external_id == post["uri"] and first.platform == "bluesky"
    assert (first.author_handle, first.author_id, first.author_followers) == ("maria.bsky.social", CUSTOMER, 840)
    assert first.raw["cid"] == post["cid"] and first.url.startswith("https://bsky.app/profile/maria.bsky.social/post/")
    assert mentions[1].text.startswith("Anyone flown #FlySkylark")
    with runtime.sessions() as s:
        case = s.scalars(select(Case).where(Case.id == first.case_id)).one()
        assert case.platform == "bluesky" and case.conversation_id == post["uri"]
    row = cursor(runtime)
    assert int(row.since_id) >= fake_bsky.frames[-1][0] - 1 and row.status in ("connected", "stopped")
    assert len(fake_bsky.requests_to("app.bsky.actor.getProfiles")) == 1  # authors cached


def test_a_dropped_stream_resumes_from_the_cursor_with_nothing_lost_or_doubled(runtime, fake_bsky):
    feed = listener(runtime)
    feed.start()
    try:
        wait_for(feed.connected.is_set, what="the stream to connect")
        fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
        wait_for(lambda: len(stored(runtime)) == 1, what="the first post")
        fake_bsky.drop()
        # Posted while the connection is down (and just before it dropped): Jetstream replays them.
        for n in range(3):
            fake_bsky.post(OTHER, f"@skylark.bsky.social flight SK{300 + n} delayed again, any news?", mention=BRAND_DID)
        wait_for(lambda: len(fake_bsky.connects) >= 2, what="a reconnect")
        wait_for(lambda: len(stored(runtime)) == 4, what="the posts sent during the cut")
        fake_bsky.post(CUSTOMER, "@skylark.bsky.social still waiting, it's been two days", mention=BRAND_DID)
        wait_for(lambda: len(stored(runtime)) == 5, what="a live post after the reconnect")
    finally:
        feed.stop()
    # The reconnect asked for the saved cursor minus the overlap, so it replayed the frame it had
    # already stored; dedupe dropped it.
    assert fake_bsky.connects[0] is None and fake_bsky.connects[1] is not None
    ids = [m.external_id for m in stored(runtime)]
    assert len(ids) == len(set(ids)) == 5


def test_a_bad_frame_is_quarantined_and_the_stream_goes_on(runtime, fake_bsky):
    feed = listener(runtime)
    feed.start()
    try:
        wait_for(feed.connected.is_set, what="the stream to connect")
        fake_bsky.raw_frame('{"did": "did:plc:x", "time_us": "soon", "kind": "commit"')  # cut in half
        fake_bsky.raw_frame('{"did": "did:plc:x", "time_us": 5, "kind": "commit", "commit": {"operation": "create", '
                            '"collection": "app.bsky.feed.post", "rkey": "3k"}}')  # a create without its record
        fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
        wait_for(lambda: len(stored(runtime)) == 1, what="the good post after the bad frames")
    finally:
        feed.stop()
    with runtime.sessions() as s:
        quarantined = list(s.scalars(select(QuarantinedInput).order_by(QuarantinedInput.id)))
    assert [q.reason.split(":")[0] for q in quarantined] == ["not valid JSON",
                                                             "a post create/update needs commit.record with a text"]
    assert quarantined[0].payload.startswith('{"did": "did:plc:x"') and quarantined[0].source == "bluesky"


def test_frame_errors_name_the_problem():
    with pytest.raises(FrameError, match="time_us"):
        parse_frame('{"kind": "commit"}')
    with pytest.raises(FrameError, match="JSON object"):
        parse_frame("[1, 2]")
    assert parse_frame('{"did": "did:plc:a", "time_us": 9, "kind": "identity"}').operation == "skip"


def test_a_deleted_post_is_redacted_on_the_stored_mention_and_its_case(runtime, fake_bsky):
    refreshed = []
    runtime.action_listeners.append(refreshed.append)
    feed = listener(runtime)
    feed.start()
    try:
        wait_for(feed.connected.is_set, what="the stream to connect")
        post = fake_bsky.post(CUSTOMER, COMPLAINT + " my booking is ABC123", mention=BRAND_DID)
        wait_for(lambda: len(stored(runtime)) == 1, what="the post")
        fake_bsky.delete(post["uri"])
        fake_bsky.delete(f"at://{OTHER}/app.bsky.feed.post/3knotours")  # a post we never stored: ignored
        wait_for(lambda: stored(runtime)[0].text == REDACTED_TEXT, what="the redaction")
    finally:
        feed.stop()
    mention = stored(runtime)[0]
    assert "ABC123" not in str(mention.raw) and mention.raw["redacted"] is True
    with runtime.sessions() as s:
        deleted = list(s.scalars(select(Event).where(Event.type == "post_deleted")))
        all_payloads = " ".join(str(e.payload) for e in s.scalars(select(Event)))
    assert [e.case_id for e in deleted] == [mention.case_id]
    assert "ABC123" not in all_payloads
    assert [(r.case_id, r.event) for r in refreshed] == [(mention.case_id, "post_deleted")]  # cards re-render


def test_backfill_reads_notifications_and_search_and_the_stream_does_not_double_them(config, database_url, fake_bsky):
    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=True)
    try:
        # Posted while the desk was not running (not on the live stream it will join).
        fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID, emit=False)
        fake_bsky.post(OTHER, "The Skylark app keeps logging me out, again", emit=False)
        feed = listener(runtime)
        assert feed.backfill() == "ok"
        assert len(stored(runtime)) == 2
        assert {m.author_followers for m in stored(runtime)} == {840, 12}  # followers from getProfiles
        assert feed.backfill(force=True) == "ok"  # run again (a second gap): dedupe drops repeats
        assert len(stored(runtime)) == 2
        assert cursor(runtime, BACKFILL_KEY).status == "ok"
    finally:
        runtime.close()


def test_a_rate_limited_backfill_waits_for_the_reset(config, database_url, fake_bsky):
    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=True)
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    clock = [now]
    try:
        fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID, emit=False)
        reset = int((now + timedelta(minutes=3)).timestamp())
        fake_bsky.fail("app.bsky.notification.listNotifications", 429, reset=reset, error="RateLimitExceeded",
                       message="Rate Limit Exceeded")
        feed = listener(runtime, clock=lambda: clock[0])
        assert feed.backfill(since=now - timedelta(hours=1)) == "rate_limited"
        row = cursor(runtime, BACKFILL_KEY)
        assert row.next_poll_at == datetime.fromtimestamp(reset, tz=timezone.utc)
        assert "rate limited until 12:03:00 UTC" in row.last_error
        calls = len(fake_bsky.requests_to("app.bsky.notification.listNotifications"))
        clock[0] = now + timedelta(minutes=2)
        assert feed.backfill() == "not_due"  # before the reset: no request at all
        assert len(fake_bsky.requests_to("app.bsky.notification.listNotifications")) == calls
        clock[0] = now + timedelta(minutes=3, seconds=1)
        assert feed.backfill(since=now - timedelta(days=1)) == "ok"
        assert len(stored(runtime)) == 1
    finally:
        runtime.close()


def test_only_the_brand_account_logs_in_and_no_secret_is_logged(runtime, fake_bsky, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    feed = listener(runtime)
    fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
    assert feed.handle_frames([fake_bsky.frames[-1][1]]).new_cases == 1
    from tests.fakes.bluesky import APP_PASSWORD

    assert APP_PASSWORD not in caplog.text and "accessJwt" not in caplog.text
    logins = fake_bsky.requests_to("com.atproto.server.createSession")
    assert len(logins) == 1 and logins[0].body == {"identifier": "skylark.bsky.social"}


def test_a_known_customer_is_one_person_across_x_and_bluesky(config, database_url, fake_bsky):
    from bot.core.config_crm import KnownCustomer
    from bot.core.mention import parse_mention
    from bot.app.runtime import Runtime
    from storage.models import Customer
    from tests.bluesky_helpers import bluesky_config, bluesky_settings
    from tests.conftest import mention

    known = KnownCustomer(name="Maria G", handles={"x": "maria_travels", "bluesky": "maria.bsky.social"})
    cfg = bluesky_config(config, fake_bsky, backfill=False).model_copy(update={"customers": [known]})
    runtime = Runtime.build(cfg, database=database_url, settings=bluesky_settings(fake_bsky))
    try:
        runtime.ingest_batch([parse_mention(mention("1", "@SkylarkHelp my bag is lost, please help",
                                                    handle="maria_travels"))])
        fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
        listener(runtime).handle_frames([text for _, text in fake_bsky.frames])
        with runtime.sessions() as s:
            owners = {m.platform: m.customer_id for m in s.scalars(select(Mention))}
            assert owners["x"] == owners["bluesky"]
            assert s.get(Customer, owners["bluesky"]).display_name == "Maria"
    finally:
        runtime.close()


def test_start_up_and_an_outage_are_backfilled_from_notifications(config, database_url, fake_bsky, monkeypatch):
    import bot.feeds.bluesky as feed_module

    monkeypatch.setattr(feed_module, "GAP", timedelta(0))  # any outage counts as a gap (real: a minute)
    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=True)
    try:
        before = fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID, emit=False)  # while the desk was down
        feed = listener(runtime)
        feed.start()
        try:
            wait_for(feed.connected.is_set, what="the stream to connect")
            wait_for(lambda: [m.external_id for m in stored(runtime)] == [before["uri"]], what="start-up backfill")
            # A post the stream never delivers (Jetstream lost it), then the connection breaks.
            missed = fake_bsky.post(OTHER, "@skylark.bsky.social is SK404 cancelled? please help", mention=BRAND_DID,
                                    emit=False)
            fake_bsky.drop()
            wait_for(lambda: len(stored(runtime)) == 2, what="the backfill after the outage")
        finally:
            feed.stop()
        assert {m.external_id for m in stored(runtime)} == {before["uri"], missed["uri"]}
        assert len(fake_bsky.requests_to("app.bsky.notification.listNotifications")) == 2
    finally:
        runtime.close()


def test_an_unreachable_jetstream_backs_off_and_is_shown_while_other_sources_go_on(runtime, fake_bsky):
    from bot.core.mention import parse_mention
    from tests.conftest import free_port, mention

    feed = listener(runtime, jetstream_url=f"ws://127.0.0.1:{free_port()}/subscribe")  # nothing listens there
    feed.start()
    try:
        wait_for(lambda: (cursor(runtime) is not None and cursor(runtime).failures >= 2), timeout=15,
                 what="two failed connection attempts")
        row = cursor(runtime)
        assert row.status == "disconnected" and row.last_error
        # Another source (the webhook, X) still ingests meanwhile.
        outcome, = runtime.ingest_batch([parse_mention(mention("77", "@SkylarkHelp where is my bag? please help"))])
        assert outcome.new_case
    finally:
        feed.stop()
    assert cursor(runtime).status == "stopped"


def test_a_bad_frame_read_again_after_a_resume_is_quarantined_once(runtime, fake_bsky):
    feed = listener(runtime)
    broken = '{"did": "did:plc:x", "time_us": 12, "kind": "commit", "commit": {"operation": "create"'
    assert feed.handle_frames([broken]).quarantined == 1
    feed.handle_frames([broken])  # the overlap of a reconnect delivers it again
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(QuarantinedInput)) == 1


def test_a_rate_limited_profile_lookup_waits_for_the_reset_and_the_posts_still_arrive(runtime, fake_bsky):
    now = datetime.now(timezone.utc)
    clock = [now]
    feed = listener(runtime, clock=lambda: clock[0])
    reset = int((now + timedelta(minutes=2)).timestamp())
    fake_bsky.fail("app.bsky.actor.getProfiles", 429, reset=reset, error="RateLimitExceeded", message="Rate Limit")
    fake_bsky.post(CUSTOMER, COMPLAINT, mention=BRAND_DID)
    assert feed.handle_frames([fake_bsky.frames[-1][1]]).new_cases == 1
    assert stored(runtime)[0].author_handle == CUSTOMER  # by DID while the profile cannot be read
    fake_bsky.post(OTHER, "@skylark.bsky.social flight SK77 delayed, help", mention=BRAND_DID)
    feed.handle_frames([fake_bsky.frames[-1][1]])
    assert len(fake_bsky.requests_to("app.bsky.actor.getProfiles")) == 1  # not asked again before the reset
    clock[0] = now + timedelta(minutes=2, seconds=1)
    fake_bsky.post(OTHER, "@skylark.bsky.social and SK78 too, please help", mention=BRAND_DID)
    feed.handle_frames([fake_bsky.frames[-1][1]])
    assert len(fake_bsky.requests_to("app.bsky.actor.getProfiles")) == 2
    assert stored(runtime)[-1].author_handle == "tom.bsky.social"
