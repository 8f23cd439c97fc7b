"""A spike against a Slack that takes about one message per second per channel.

The fake answers 429 (Retry-After: 1) beyond that, as Slack does. Forty posts arriving at once
in one team's channel must not become forty cards queued for forty seconds: the poster shows a
few cards, then one backlog digest updated as more posts arrive, and crisis posts still get a
card of their own at once. Two replicas on PostgreSQL flushing the same channels show every
case exactly once.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.app.runtime import Runtime
from bot.core.mention import parse_mention
from bot.desk import card_pace
from bot.desk.card_pace import DIGEST, OPENING, Pace
from handlers.slack import backlog_card
from handlers.slack.poster import CARD_EVENT, CardPoster
from storage.models import CardState, Case, CaseMessage
from tests.conftest import ServerThread, mention
from tests.fakes.slack_api import FakeSlack

BAGGAGE = "C0BAGS0001"
PLACES = ["Madrid", "Lisbon", "Paris", "Rome", "Berlin", "Oslo", "Dublin", "Vienna", "Prague", "Athens"]
CRISIS_TEXT = "@SkylarkAir emergency: smoke in the cabin on flight SK{n}, we made an emergency landing"


def bag_posts(n: int, start: int = 0) -> list[dict]:
    return [mention(f"bag{i}", f"@SkylarkAir my bag never arrived in {PLACES[i % len(PLACES)]}, please help "
                               f"(file {i:05d})", handle=f"flyer{i}") for i in range(start, start + n)]


@pytest.fixture
def slack():
    fake = FakeSlack(channel_rate=1.0, channel_burst=3)
    with ServerThread(fake.app) as server:
        yield fake, WebClient(token=fake.token, base_url=server.url + "/api/")


def ingest(runtime: Runtime, posts: list[dict]) -> list[int]:
    outcomes = runtime.ingest_batch([parse_mention(p) for p in posts])
    return [o.case_id for o in outcomes if o.new_case]


def drain(posters: list[CardPoster], case_ids: list[int], timeout: float = 15.0) -> None:
    """Flush until every case is shown (own card or digest), as the poster worker would."""
    for poster in posters:
        poster.reserve_many(case_ids)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for poster in posters:
            for channel in poster.channels_due():
                poster.flush_channel(channel)
        with posters[0].sessions() as session:
            left = session.scalar(select(CaseMessage.id).where(CaseMessage.state != CardState.POSTED).limit(1))
        if left is None:
            return
        time.sleep(0.1)
    raise AssertionError("cards still due after the spike")


def shown(fake: FakeSlack, channel: str) -> tuple[dict[int, int], dict[int, int], list[dict]]:
    """(case -> own cards, case -> digests showing it, the digests) from the fake's own record."""
    own: dict[int, int] = {}
    in_digest: dict[int, int] = {}
    digests = []
    for message in fake.cards(channel):
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == CARD_EVENT:
            own[payload["case_id"]] = own.get(payload["case_id"], 0) + 1
        elif meta.get("event_type") == backlog_card.DIGEST_EVENT:
            digests.append(message)
            for case_id in payload["case_ids"]:
                in_digest[case_id] = in_digest.get(case_id, 0) + 1
    return own, in_digest, digests


def test_a_spike_becomes_a_few_cards_and_one_digest_within_seconds(config, database_url, slack):
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    poster = CardPoster(runtime.sessions, client, backoff=0.01)
    try:
        started = time.monotonic()
        case_ids = ingest(runtime, bag_posts(40))
        assert len(case_ids) == 40
        drain([poster], case_ids[:3])  # the first posts of the day: a card each (the burst)
        drain([poster], case_ids)  # then the rest at once: more than the channel takes in 3 s
        took = time.monotonic() - started
        own, in_digest, digests = shown(fake, BAGGAGE)
        assert took < 8, took  # not 40 cards at one a second
        assert fake.rate_limited == []  # the pace kept within Slack's limit: not one 429
        assert len(own) <= 4 and len(digests) == 1
        assert set(own) | set(in_digest) == set(case_ids) and not set(own) & set(in_digest)  # each case once
        digest = digests[0]
        # What the agents see: the count, the topics, the most urgent posts with an Open button.
        assert digest["text"].startswith(f"📥 {len(in_digest)} posts in 1 min")
        assert "lost_luggage" in digest["text"]
        opens = [b["accessory"] for b in digest["blocks"] if b.get("accessory", {}).get("action_id") == backlog_card.OPEN]
        assert len(opens) == min(10, len(in_digest))
        assert any("more:" in e["text"] for b in digest["blocks"] if b["type"] == "context" for e in b["elements"])
        # Digest lines escape the post text like every card.
        assert all("<" not in b["text"]["text"].replace("<http", "") for b in digest["blocks"] if b["type"] == "section")

        # More posts while the spike lasts join the same digest (updated in place, no new message).
        more = ingest(runtime, bag_posts(10, start=40))
        time.sleep(1.0)  # one digest update a second at most
        drain([poster], more)
        own2, in_digest2, digests2 = shown(fake, BAGGAGE)
        assert len(digests2) == 1 and set(more) <= set(in_digest2)
        assert digests2[0]["text"].startswith(f"📥 {len(in_digest2)} posts")
        assert fake.rate_limited == []
        with runtime.sessions() as session:
            rows = session.scalars(select(CaseMessage)).all()
        assert all(r.state == CardState.POSTED for r in rows)
        assert {r.message_id for r in rows if r.case_id in in_digest2} == {DIGEST + digests2[0]["ts"]}
    finally:
        runtime.close()


def test_crisis_posts_get_their_own_card_at_once_during_a_spike(config, database_url, slack):
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    poster = CardPoster(runtime.sessions, client, backoff=0.01)
    try:
        bags = ingest(runtime, bag_posts(30))
        drain([poster], bags)  # the digest is open
        crisis = ingest(runtime, [mention(f"crisis{n}", CRISIS_TEXT.format(n=n), handle=f"pax{n}") for n in range(2)])
        assert len(crisis) == 2
        with runtime.sessions() as session:
            intents = {c.intent for c in session.scalars(select(Case).where(Case.id.in_(crisis)))}
        assert intents <= {"crisis", "urgent"}, intents
        time.sleep(1.0)
        drain([poster], crisis + ingest(runtime, bag_posts(10, start=30)))
        seen_own: dict[int, int] = {}
        seen_digest: dict[int, int] = {}
        for channel in list(fake.messages):  # crisis posts may go to another team's channel
            o, d, _ = shown(fake, channel)
            seen_own.update(o)
            seen_digest.update(d)
        assert set(crisis) <= set(seen_own)  # a card each...
        assert not set(crisis) & set(seen_digest)  # ...never a line in a digest
        assert fake.rate_limited == []
    finally:
        runtime.close()


def test_open_gives_a_digest_case_its_own_card_in_the_thread_once(config, database_url, slack):
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    poster = CardPoster(runtime.sessions, client, backoff=0.01)
    try:
        case_ids = ingest(runtime, bag_posts(20))
        drain([poster], case_ids)
        _, in_digest, digests = shown(fake, BAGGAGE)
        case_id = sorted(in_digest)[0]
        ts = poster.open_from_digest(case_id, BAGGAGE)
        assert ts is not None
        assert poster.open_from_digest(case_id, BAGGAGE) is None  # pressed again: nothing more
        thread = fake.thread(BAGGAGE, digests[0]["ts"])
        assert [m["metadata"]["event_payload"]["case_id"] for m in thread] == [case_id]
        assert f"case #{case_id}" in thread[0]["text"]
        assert poster.posted(case_id) == [(BAGGAGE, ts)]  # presses now refresh that card
        others = [c for c in in_digest if c != case_id]
        assert poster.posted(others[0]) == []  # a digest line has no card of its own to update
        with runtime.sessions() as session:
            assert not session.scalars(select(CaseMessage).where(CaseMessage.message_id.like(OPENING + "%"))).all()
    finally:
        runtime.close()


def test_a_digest_that_went_out_before_a_crash_is_found_not_posted_again(config, database_url, slack):
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    poster = CardPoster(runtime.sessions, client, backoff=0.01)
    try:
        case_ids = ingest(runtime, bag_posts(20))
        poster.reserve_many(case_ids)
        real_record = poster._record_digest

        def die(*args, **kwargs):
            raise KeyboardInterrupt  # the process dies between Slack accepting the digest and the record

        poster._record_digest = die
        for _ in range(3):
            try:
                poster.flush_channel(BAGGAGE)
            except KeyboardInterrupt:
                break
            time.sleep(0.4)
        _, in_digest, digests = shown(fake, BAGGAGE)
        assert len(digests) == 1
        poster._record_digest = real_record
        poster.clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=10)  # the leases ran out
        poster.recover_expired()
        own, in_digest_after, digests_after = shown(fake, BAGGAGE)
        assert len(digests_after) == 1 and not set(own) & set(in_digest_after)
        with runtime.sessions() as session:
            rows = {r.case_id: r for r in session.scalars(select(CaseMessage))}
        assert all(rows[c].state == CardState.POSTED and rows[c].message_id == DIGEST + digests[0]["ts"]
                   for c in in_digest)
    finally:
        runtime.close()


def test_two_replicas_on_postgresql_show_every_case_exactly_once(config, pg_database_url, slack):
    fake, client = slack
    runtimes = [Runtime.build(config, database=pg_database_url) for _ in range(2)]
    posters = [CardPoster(rt.sessions, client, backoff=0.01) for rt in runtimes]
    try:
        case_ids = ingest(runtimes[0], bag_posts(30)) + ingest(runtimes[1], bag_posts(30, start=30))
        assert len(case_ids) == 60
        errors: list[BaseException] = []

        def work(poster: CardPoster) -> None:
            try:
                drain([poster], case_ids, timeout=20)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(p,)) for p in posters]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors, errors
        own, in_digest, digests = shown(fake, BAGGAGE)
        assert sorted(list(own) + list(in_digest)) == sorted(case_ids)  # every case, once, in one place
        assert all(n == 1 for n in own.values()) and all(n == 1 for n in in_digest.values())
        assert len(digests) <= 2 and fake.rate_limited == []  # the pace is shared by the replicas
    finally:
        for rt in runtimes:
            rt.close()


def test_a_stream_of_urgent_posts_does_not_hold_the_digest_back(config, database_url, slack):
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    # Every crisis post is urgent; with one token a second they alone could take every token.
    poster = CardPoster(runtime.sessions, client, backoff=0.01)
    try:
        # Urgent posts for the same channel as the backlog (baggage): they compete for its tokens.
        crisis = ingest(runtime, [mention(f"urgentS{n}", f"@SkylarkAir URGENT my bag never arrived and my insulin "
                                                         f"is in it, I need it today (file U{n:04d})", handle=f"paxS{n}")
                                  for n in range(8)])
        bags = ingest(runtime, bag_posts(30, start=200))
        poster.reserve_many(crisis + bags)
        deadline = time.monotonic() + 4.5  # far fewer than the 8 seconds the urgent cards need alone
        while time.monotonic() < deadline:
            for channel in poster.channels_due():
                poster.flush_channel(channel)
            time.sleep(0.1)
        own: dict[int, int] = {}
        in_digest: dict[int, int] = {}
        for channel in list(fake.messages):
            o, d, _ = shown(fake, channel)
            own.update(o)
            in_digest.update(d)
        assert set(bags) <= set(in_digest)  # the backlog is in the channel within seconds
        # The urgent posts too: the most urgent on cards of their own, those that waited the hold
        # (3 s) for one at the top of the digest. Each is shown once.
        assert set(crisis) <= set(own) | set(in_digest) and not set(own) & set(in_digest)
        assert len(set(crisis) & set(own)) >= 3 and fake.rate_limited == []
        with runtime.sessions() as session:
            digest = card_pace.load_digest(session, "slack", BAGGAGE, DIGEST + shown(fake, BAGGAGE)[2][0]["ts"])
        folded = [i for i in digest.items if i.case_id in crisis]
        # 8 urgent cards need 8 s; in 4.5 s the channel takes at most 7 messages, one a digest.
        assert folded and all(i.intent == "urgent" for i in folded)
        assert digest.items[:len(folded)] == folded and "🚨 urgent" in backlog_card.item_line(folded[0])  # first
    finally:
        runtime.close()


def test_a_long_spike_does_not_hold_urgent_posts_back(config, database_url, slack):
    """The other way round: while a spike fills a new digest every second, urgent posts of the
    same channel still reach it within seconds (digest and urgent card take turns for the
    channel's one message a second; one that waited the hold is listed in the digest), and the
    backlog keeps reaching the channel."""
    fake, client = slack
    runtime = Runtime.build(config, database=database_url)
    # Small digests: each flush's backlog fills one, so every second wants a new digest message.
    poster = CardPoster(runtime.sessions, client, backoff=0.01, pace=Pace(digest_max=5))
    try:
        urgent = ingest(runtime, [mention(f"urgentL{n}", f"@SkylarkAir URGENT my bag never arrived and my insulin "
                                                         f"is in it, I need it today (file L{n:04d})", handle=f"paxL{n}")
                                  for n in range(4)])
        bags: list[int] = []
        shown_at: dict[int, float] = {}
        started = time.monotonic()
        for second in range(8):
            bags += ingest(runtime, bag_posts(8, start=400 + 8 * second))
            poster.reserve_many(urgent + bags)
            until = time.monotonic() + 1
            while time.monotonic() < until:
                for channel in poster.channels_due():
                    poster.flush_channel(channel)
                for channel in list(fake.messages):
                    own, in_digest, _ = shown(fake, channel)
                    for case_id in [*own, *in_digest]:
                        shown_at.setdefault(case_id, time.monotonic() - started)
                time.sleep(0.05)
        own = {}
        for channel in list(fake.messages):
            own.update(shown(fake, channel)[0])
        assert set(urgent) <= set(shown_at), "urgent posts still waiting for the channel"
        assert max(shown_at[c] for c in urgent) < 5.0, sorted(shown_at[c] for c in urgent)
        assert set(urgent) & set(own)  # cards for the first of them
        assert len([c for c in bags if c in shown_at]) >= 20  # and the backlog kept coming: 4+ digests of 5
        assert fake.rate_limited == []
    finally:
        runtime.close()


def test_only_the_factors_points_of_a_banded_score_make_a_post_urgent():
    from bot.desk.card_pace import Pace

    # Complaint band (+200): an ordinary complaint is folded, a complaint whose factors (a big
    # account, a long wait…) reach 80 of 100 gets its own card, like any crisis or urgent post.
    assert not Pace().urgent(236.0, "complaint", None)
    assert Pace().urgent(285.0, "complaint", None)
    assert Pace().urgent(410.0, "crisis", None) and Pace().urgent(305.0, "urgent", None)
    assert Pace(band_step=None).urgent(85.0, "complaint", None)  # bands off: the score is the factors
