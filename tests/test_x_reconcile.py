"""Reconcile after a crash, however busy the brand was since (issue 17, item 2).

A relay dies between "posted on X" and "recorded"; before a new relay looks, the brand posts more
than a page of other posts (or direct messages). The earlier send is still found, page by page
back to the attempt, so the reply is recorded as sent and never posted twice, nor marked failed.
Real tweepy against the local fake X, a real database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.desk import commands as cmd
from bot.relay.outbox import RelayWorker
from storage.models import OutboxState
from tests.fakes.x_api import BRAND_ID
from tests.test_x_relay import ANA, CUSTOMER, Crash, fake_x, new_relay, outbox, world  # noqa: F401 (fixtures)

LATER_POSTS = 250  # more than two pages of 100: the earlier send is on the third page


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_a_send_hidden_behind_hundreds_of_later_brand_posts_is_found_not_sent_again(world, fake_x, visibility):
    runtime, desk, case_id, tweet = world
    text = "We found your bag, it arrives at your hotel tonight."
    queued = desk.run(cmd.Reply(text=text, visibility=visibility, idempotency_key="busy"), case_id, "slack", ANA)
    relay = new_relay(runtime, fake_x)
    sender = relay.senders["x"]
    real_send = sender.send

    def send_then_die(job):
        real_send(job)  # the post reaches X ...
        raise Crash()  # ... and the process dies before recording it

    sender.send = send_then_die
    with pytest.raises(Crash):
        relay.run_once()
    assert outbox(runtime, queued.outbox_id).state == OutboxState.SENDING

    # Meanwhile the brand keeps talking: other replies under the same post, other DMs to her.
    for i in range(LATER_POSTS):
        if visibility == "public":
            fake_x.post(BRAND_ID, f"Update {i} for everyone flying today", in_reply_to=tweet["id"])
        else:
            fake_x.direct_message(CUSTOMER, f"Follow-up {i}: anything else we can do?")

    worker = RelayWorker(new_relay(runtime, fake_x, listeners=[]), poll_every=0.05, startup_lease=timedelta(0))
    worker.start()
    try:
        assert worker.wait_idle(30)
    finally:
        worker.stop()
    entry = outbox(runtime, queued.outbox_id)
    assert entry.state == OutboxState.SENT, entry.last_error
    if visibility == "public":
        ours = [t for t in fake_x.replies_to(tweet["id"]) if t["text"] == text]
        assert len(ours) == 1 and entry.external_id == ours[0]["id"]
        assert len(fake_x.requests_to("/2/tweets", "POST")) == 1  # only the send before the crash
        assert len(fake_x.requests_to(f"/2/users/{BRAND_ID}/tweets", "GET")) >= 3  # it paged back
    else:
        ours = [d for d in fake_x.dms if d["text"] == text]
        assert len(ours) == 1 and entry.external_id == ours[0]["id"]
        assert len(fake_x.requests_to("/2/dm_conversations", "POST")) == 1
        assert len(fake_x.requests_to("/2/dm_conversations", "GET")) >= 3
