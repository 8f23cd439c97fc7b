"""One poison post in an X page does not stop the feed (issue 17, item 5): it is quarantined with
its reason (stored, shown by ``mentiondesk status``), the rest of the page is stored, and the feed
moves on past it. Real tweepy against the local fake X, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from rich.console import Console
from sqlalchemy import select

from bot.reporting.prometheus import make_registry, metrics_text
from bot.app.status import status_tables
from storage.models import FeedCursor, Mention, QuarantinedPost
from tests.fakes.x_api import at
from tests.test_x_feed import CUSTOMER, build, fake_x  # noqa: F401 (fixture)

KEY = "mentions:SkylarkHelp"


def test_poison_posts_are_quarantined_with_their_reason_and_the_feed_moves_on(config, database_url, fake_x):
    fake_x.add_user("2003", "inflated", "Inflated", followers=10**20)
    before = fake_x.post(CUSTOMER, "@SkylarkHelp my bag did not arrive on SK212, can you help?", created_at=at(9))
    nul = fake_x.post(CUSTOMER, "@SkylarkHelp where is my\x00 bag?", created_at=at(8))
    huge = fake_x.post("2003", "@SkylarkHelp my flight was cancelled, please help", created_at=at(7))
    overflow = fake_x.post(CUSTOMER, "@SkylarkHelp is SK99 delayed?", created_at=at(6))
    fake_x.tweets[overflow["id"]]["created_at"] = "9999-12-31T23:59:59.000-05:00"  # beyond year 9999 in UTC
    after = fake_x.post(CUSTOMER, "@SkylarkHelp still no answer about my bag", created_at=at(5))
    runtime, poller = build(config, database_url, fake_x, search=False)
    try:
        result = poller.poll_due()[0]
        assert result.status == "ok" and result.read == 5 and result.quarantined == 3
        with runtime.sessions() as s:
            assert sorted(s.scalars(select(Mention.external_id))) == sorted([before["id"], after["id"]])
            parked = {q.external_id: q for q in s.scalars(select(QuarantinedPost))}
            cursor = s.scalars(select(FeedCursor).where(FeedCursor.query_key == KEY)).one()
        assert set(parked) == {nul["id"], huge["id"], overflow["id"]}
        assert parked[nul["id"]].reason == "text contains a NUL character"
        assert parked[huge["id"]].reason.startswith("author_followers is out of range: 100000000000000000000")
        assert "could not be stored" in parked[overflow["id"]].reason
        assert json.loads(parked[nul["id"]].payload)["text"] == "@SkylarkHelp where is my\x00 bag?"  # kept whole
        assert all(q.source == "x" and q.query_key == KEY for q in parked.values())
        assert cursor.since_id == after["id"] and cursor.status == "ok"  # moved past the poison

        # The next poll reads only what is new: the poison is not met again, the feed goes on.
        later = fake_x.post(CUSTOMER, "@SkylarkHelp found it, thanks", created_at=at(1))
        again = poller.poll(poller.queries[0], force=True)
        assert again.status == "ok" and again.read == 1 and again.quarantined == 0
        with runtime.sessions() as s:
            assert later["id"] in set(s.scalars(select(Mention.external_id)))
            assert len(list(s.scalars(select(QuarantinedPost)))) == 3

        metrics = metrics_text(make_registry(runtime.sessions)).decode()
        assert 'mentiondesk_feed_quarantined{source="x"} 3.0' in metrics  # one quarantine metric, every source

        console = Console(record=True, width=220)
        with runtime.sessions() as s:
            for table in status_tables(s, runtime.config, datetime.now(timezone.utc)):
                console.print(table)
        shown = console.export_text()
        assert "Quarantined posts · 3" in shown
        assert "text contains a NUL character" in shown and "author_followers is out of range" in shown
    finally:
        runtime.close()
