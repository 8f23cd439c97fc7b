"""X and Slack together: a tweet becomes a card, the agent's reply goes back to X through the
relay, and the card follows (sent with its link, failures named, follow-ups in the thread,
Like / Repost on praise). Fake X API and fake Slack Web API on 127.0.0.1, signed Slack requests
to the real Bolt endpoint, real databases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.core.config import XSource
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from handlers.slack import cards
from handlers.slack.app import SlackAdapter
from storage.models import Case, CaseState, OutboxEntry
from tests.conftest import ServerThread
from tests.fakes.slack_api import FakeSlack
from tests.fakes.x_api import BRAND_ID, FakeX
from tests.test_slack import ANA, BAGGAGE, CARE, SECRET, Desk, button_ids, card_text, wait_until

CUSTOMER = "2001"


@pytest.fixture
def desk(config, database_url):
    fake_x = FakeX()
    fake_x.add_user(CUSTOMER, "maria_travels", "Maria", followers=840)
    slack = FakeSlack()
    with ServerThread(fake_x.app) as x_server, ServerThread(slack.app) as slack_server:
        settings = Settings(database_url=database_url, slack_bot_token=SecretStr(slack.token),
                            slack_signing_secret=SecretStr(SECRET), slack_app_token=None,
                            slack_api_url=slack_server.url + "/api/", webhook_token=None,
                            x_bearer_token=SecretStr(fake_x.bearer), x_api_url=x_server.url,
                            x_consumer_key=SecretStr("ck"), x_consumer_secret=SecretStr("cs"),
                            x_access_token=SecretStr(f"{BRAND_ID}-token"), x_access_token_secret=SecretStr("s"))
        config = config.model_copy(update={"x": config.x.model_copy(update={"search": False})})
        runtime = Runtime.build(config, database=database_url, settings=settings)
        adapter = SlackAdapter(runtime)
        app = create_app(runtime, slack=adapter)  # builds the X poller and relay from the settings
        assert runtime.x_poller is not None and runtime.relay_worker is not None
        with ServerThread(app) as server:
            adapter.start()
            runtime.relay_worker.start()
            d = Desk(runtime, slack, slack_server.url, server.url, adapter)
            d.x = fake_x
            try:
                yield d
            finally:
                d.http.close()
                adapter.stop()
                runtime.close()


def poll(desk) -> None:
    """One poll round now; the next call runs a minute later, when the queries are due again."""
    for result in desk.runtime.x_poller.poll_due():
        assert result.status in ("ok", "not_due"), result
    clock = desk.runtime.x_poller.clock
    desk.runtime.x_poller.clock = lambda: clock() + timedelta(minutes=1)


def only_case(desk) -> int:
    with desk.runtime.sessions() as session:
        return session.scalars(select(Case.id)).one()


def card_where(desk, channel: str, ts: str, needle: str) -> dict:
    return wait_until(lambda: next((m for m in desk.fake.cards(channel)
                                    if m["ts"] == ts and needle in card_text(m)), None), what=needle)


def test_tweet_to_card_to_reply_on_x(desk):
    tweet = desk.x.post(CUSTOMER, "@SkylarkHelp my bag never arrived in Madrid, please help!")
    poll(desk)
    case_id = only_case(desk)
    card = desk.card(BAGGAGE, case_id)
    assert "maria_travels" in card_text(card) and f"status/{tweet['id']}" in card_text(card)

    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    card_where(desk, BAGGAGE, card["ts"], "Claimed by")
    result = desk.adapter.desk.run(cmd.Reply(text="So sorry Maria, we're tracing it now.", idempotency_key="view-1"), case_id, "slack", ANA)
    assert result.event == "reply_queued"
    # The relay wakes on the queued reply, posts it on X in Maria's thread, and the card shows the link.
    sent = card_where(desk, BAGGAGE, card["ts"], "Reply sent")
    reply = desk.x.replies_to(tweet["id"])
    assert len(reply) == 1 and reply[0]["text"] == "So sorry Maria, we're tracing it now."
    assert f"https://x.com/SkylarkHelp/status/{reply[0]['id']}" in card_text(sent)
    assert desk.case(case_id).state == CaseState.REPLIED

    # Maria answers in the same conversation: no new case; her post appears in the card's thread.
    desk.x.post(CUSTOMER, "Thanks, file ref DENSK12345", in_reply_to=reply[0]["id"])
    poll(desk)
    follow_up = wait_until(lambda: [m for m in desk.fake.thread(BAGGAGE, card["ts"]) if "New post from" in m["text"]],
                           what="follow-up in the thread")
    assert "DENSK12345" in follow_up[0]["text"]
    assert len(desk.fake.cards(BAGGAGE)) == 1
    assert desk.events(case_id, "received")[-1].payload["joined"] is True

    # What a Prometheus scrape sees.
    metrics = desk.http.get("/metrics").text
    assert 'mentiondesk_outbox{state="sent"} 1.0' in metrics
    assert 'mentiondesk_cases{state="replied"} 1.0' in metrics
    assert 'mentiondesk_feed_up{query="mentions:SkylarkHelp",source="x"} 1.0' in metrics
    ingested = re.search(r"^mentiondesk_mentions_ingested_total ([0-9.]+)$", metrics, re.M)
    assert ingested and float(ingested.group(1)) >= 2
    assert re.search(r"^mentiondesk_triage_seconds_count ([1-9][0-9.]*)$", metrics, re.M)


def test_failed_reply_is_named_on_the_card_and_pings_its_author(desk):
    desk.x.post(CUSTOMER, "@SkylarkHelp my bag is lost, help")
    poll(desk)
    case_id = only_case(desk)
    card = desk.card(BAGGAGE, case_id)
    desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"])
    card_where(desk, BAGGAGE, card["ts"], "Claimed by")
    desk.x.fail("/2/tweets", 403, detail="You are not allowed to create a Tweet with duplicate content.")
    desk.adapter.desk.run(cmd.Reply(text="We're on it.", idempotency_key="v1"), case_id, "slack", ANA)
    failed = card_where(desk, BAGGAGE, card["ts"], "could not be sent")
    assert "duplicate content" in card_text(failed)
    ping = wait_until(lambda: [m for m in desk.fake.thread(BAGGAGE, card["ts"]) if f"<@{ANA}> your reply" in m["text"]],
                      what="author pinged")
    assert "reword" in ping[0]["text"]
    with desk.runtime.sessions() as s:
        assert s.query(OutboxEntry).one().state.value == "failed"


def test_praise_card_offers_like_and_repost_once(desk):
    praise = desk.x.post(CUSTOMER, "@SkylarkHelp the crew on SK100 were wonderful today, thank you!")
    poll(desk)
    case_id = only_case(desk)
    card = desk.card(CARE, case_id)
    assert cards.LIKE in button_ids(card) and cards.REPOST in button_ids(card)
    desk.press(cards.LIKE, case_id, ANA, ts=card["ts"], channel=CARE)
    desk.press(cards.LIKE, case_id, ANA, ts=card["ts"], channel=CARE)  # a double click
    liked = card_where(desk, CARE, card["ts"], "Liked on the platform")
    assert cards.LIKE not in button_ids(liked) and cards.REPOST in button_ids(liked)
    assert desk.x.likes == [(BRAND_ID, praise["id"])]
    assert len(desk.x.requests_to(f"/2/users/{BRAND_ID}/likes")) == 1
