"""Mastodon under kill -9: a real ``mentiondesk serve`` replica streaming the fake Mastodon instance
(in this process, so it outlives the replica) dies between "posted on Mastodon" and "recorded",
and while posts keep coming; restarted, it records the reply without posting again and backfills
what it missed: one reply, every post once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from storage.db import make_session_factory
from storage.models import Mention, OutboxEntry
from tests.conftest import ServerThread
from tests.faults.conftest import LEASE_SECONDS, World, wait_for
from tests.fakes.mastodon_api import TOKEN, FakeMastodon
from tests.fakes.slack_api import FakeSlack
from tests.fakes.x_api import FakeX

ANA = "U0ANA00001"
CUSTOMER = "200"


class MastodonWorld(World):
    def __init__(self, *args, mastodon: FakeMastodon, **kwargs):
        super().__init__(*args, **kwargs)
        self.mastodon = mastodon
        self.with_mastodon = True

    def env(self, x_user_tokens: bool) -> dict[str, str]:
        env = super().env(x_user_tokens)
        if self.with_mastodon:
            env.update(MENTIONDESK_MASTODON_BASE_URL=self.mastodon.url, MENTIONDESK_MASTODON_ACCESS_TOKEN=TOKEN)
        return env


@pytest.fixture
def world(pg_database_url, tmp_path):
    slack, x, mastodon = FakeSlack(), FakeX(), FakeMastodon(heartbeat_seconds=0.5)
    mastodon.add_account(CUSTOMER, "maria", "Maria", followers=840)
    with ServerThread(slack.app) as slack_server, ServerThread(x.app) as x_server, \
            ServerThread(mastodon.app) as mastodon_server:
        mastodon.url = mastodon_server.url
        w = MastodonWorld(tmp_path, pg_database_url.replace("postgresql://", "postgresql+psycopg://", 1), slack,
                          slack_server.url, x, x_server.url, mastodon=mastodon)
        try:
            yield w
        finally:
            for replica in w.replicas:
                if replica.alive():
                    replica.kill()
            mastodon.drop_streams()
            w.engine.dispose()


def stored_ids(world) -> list[str]:
    return [m.external_id for m in world.all(select(Mention).where(Mention.platform == "mastodon"))]


def test_kill_between_send_and_record_and_posts_missed_while_dead(world):
    fake = world.mastodon
    a = world.replica("a").start(fault="reply_sent")
    wait_for(lambda: a.is_leader() and (a.ready() or {}).get("sources", {}).get("mastodon", {})
             .get("notifications:Skylark Airways", {}).get("connected"), 30, "a leads and streams Mastodon")
    status = fake.post(CUSTOMER, "@SkylarkHelp my bag never arrived in Madrid, please help")
    wait_for(lambda: stored_ids(world) == [status["id"]], 30, "the streamed mention stored")
    case_id = world.all(select(Mention.case_id))[0]
    desk = CaseDesk(make_session_factory(world.engine))
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    assert desk.run(cmd.Reply(text="So sorry, we are tracing your bag.", idempotency_key="fault-reply"), case_id, "slack", ANA).ok
    assert a.died_by_sigkill()  # posted on Mastodon, killed before recording it
    assert len(fake.replies_to(status["id"])) == 1
    assert world.all(select(OutboxEntry))[0].state.value == "sending"

    # While a is dead: more posts, which no stream will ever deliver; and Mastodon forgets the key.
    missed = [fake.post(CUSTOMER, f"@SkylarkHelp still nothing about my bag, day {n}") for n in range(2)]
    fake.expire_idempotency_keys()

    a.start()  # restarted: backfills what it missed, reconciles the send after the lease
    wait_for(lambda: sorted(stored_ids(world)) == sorted([status["id"], *(m["id"] for m in missed)]), 30,
             "the missed posts backfilled")
    wait_for(lambda: world.all(select(OutboxEntry))[0].state.value == "sent", LEASE_SECONDS * 10, "reply recorded")
    [reply] = fake.replies_to(status["id"])
    assert world.all(select(OutboxEntry))[0].external_id == reply["id"]
    assert len(fake.requests_to("/api/v1/statuses", "POST")) == 1  # found in the thread, not posted again
    assert len(stored_ids(world)) == 3  # and every post once
