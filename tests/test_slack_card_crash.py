"""A poster that dies between Slack accepting a card and recording it: the card is found again
(by its message metadata) instead of being posted a second time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from storage.models import CardState, CaseMessage
from tests.conftest import mention
from tests.test_slack import BAG_TEXT, BAGGAGE, build_desk, wait_until


class Crash(BaseException):
    pass


@pytest.fixture
def desk(config, database_url):
    d, close = build_desk(config, database_url)
    d.adapter.worker.stop()  # this test drives the poster by hand
    yield d
    close()


def test_card_found_again_after_a_crash_mid_post(desk):
    poster = desk.adapter.poster
    real_record = poster.record_posted

    def die(*args, **kwargs):
        raise Crash()

    poster.record_posted = die
    case_id = desk.ingest(mention("c1", BAG_TEXT))[0]["case_id"]
    with pytest.raises(Crash):
        poster.post_case(case_id)
    assert len(desk.fake.cards(BAGGAGE)) == 1  # Slack has it; we have no record of it
    with desk.runtime.sessions() as s:
        row = s.scalars(select(CaseMessage)).one()
        assert row.state == CardState.POSTING and row.message_id is None

    # Another poster (a restart, a replica) picks the row up once the dead poster's lease ran out.
    poster.record_posted = real_record
    assert poster.retry_pending() == 0  # lease still running: nobody touches it
    poster.clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=10)
    assert poster.retry_pending() == 1
    assert len(desk.fake.cards(BAGGAGE)) == 1  # found by its metadata, not posted again
    assert len(desk.fake.calls_of("chat.postMessage")) == 1
    with desk.runtime.sessions() as s:
        row = s.scalars(select(CaseMessage)).one()
        assert row.state == CardState.POSTED and row.message_id == desk.fake.cards(BAGGAGE)[0]["ts"]
    assert [e.type for e in desk.events(case_id)].count("posted") == 1


def test_card_posted_when_the_dead_poster_never_reached_slack(desk):
    poster = desk.adapter.poster
    real_call = poster._call

    def die_before_slack(fn, **kwargs):
        if fn == poster.client.chat_postMessage:
            raise Crash()
        return real_call(fn, **kwargs)

    poster._call = die_before_slack
    case_id = desk.ingest(mention("c2", BAG_TEXT))[0]["case_id"]
    with pytest.raises(Crash):
        poster.post_case(case_id)
    poster._call = real_call
    poster.clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=10)
    assert poster.retry_pending() == 1
    assert len(desk.fake.cards(BAGGAGE)) == 1
    wait_until(lambda: desk.events(case_id, "posted"), what="posted event")
