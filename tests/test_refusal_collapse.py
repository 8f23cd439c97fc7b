"""Issue 17, item 11: refusals of people mentiondesk does not know cannot grow the event log at will.

The first refusal per person and 10-minute window is an event (the audit trail); the others are
counted in ``refusal_tally``. Known agents' refusals are still one event each. Both databases.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from bot.desk import commands as cmd
from bot.desk.actions import UNKNOWN_REFUSAL_WINDOW, resolve_actor
from bot.desk.service import CaseDesk
from bot.desk.crisis import set_topic_mode
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from storage.db import transaction
from storage.models import Event, RefusalTally, TopicModeSwitch
from tests.conftest import mention
from tests.routing_fixtures import routing_config

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=timezone.utc)
STRANGER, FARAH = "U0NOBODY01", "U0FARAH001"


def open_case(runtime, id: str) -> int:
    outcome = runtime.ingest_batch([parse_mention(mention(id, f"@SkylarkAir my bag never arrived {id}, help",
                                                          handle=f"h{id}"))], now=NOW)[0]
    assert outcome.case_id is not None
    return outcome.case_id


def refused(runtime) -> list[Event]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event).where(Event.type == "refused").order_by(Event.id)))


def test_a_stranger_pressing_many_times_writes_one_event_per_window(runtime):
    first, second = open_case(runtime, "a1"), open_case(runtime, "a2")
    clock = [NOW]
    desk = CaseDesk(runtime.sessions, clock=lambda: clock[0])
    results = [desk.run(action, case, "slack", STRANGER)
               for _ in range(30) for case in (first, second) for action in (cmd.Claim(), cmd.Resolve())]
    # Every press is refused and says why (the adapter tells the presser each time) ...
    assert all(not r.ok and r.code == "unknown_user" and "not registered" in r.reason for r in results)
    # ... but only the first is in the event log, the rest are counted.
    log = refused(runtime)
    assert len(log) == 1
    assert log[0].case_id == first and log[0].payload["user_id"] == STRANGER
    assert log[0].payload["collapsed_until"] == "2026-11-20T10:10:00+00:00"
    with runtime.sessions() as session:
        tally = session.scalars(select(RefusalTally)).one()
    assert (tally.platform, tally.user_id, tally.count) == ("slack", STRANGER, 120)
    assert (tally.first_case_id, tally.last_case_id, tally.last_action) == (first, second, "resolve")

    clock[0] = NOW + UNKNOWN_REFUSAL_WINDOW  # the next window: recorded again, counted afresh
    desk.run(cmd.Claim(), second, "slack", STRANGER)
    desk.run(cmd.Claim(), second, "discord", STRANGER)  # another platform's user is another person
    assert len(refused(runtime)) == 3
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RefusalTally)) == 3


def test_refusals_of_known_agents_are_still_each_an_event(runtime):
    case_id = open_case(runtime, "b1")
    desk = CaseDesk(runtime.sessions, clock=lambda: NOW)
    for _ in range(3):
        assert desk.run(cmd.Claim(), case_id, "slack", FARAH).code == "forbidden"  # a supervisor
    assert [e.payload["code"] for e in refused(runtime)] == ["forbidden"] * 3


def test_crisis_button_refusals_of_a_stranger_are_collapsed_too(database_url):
    runtime = Runtime.build(routing_config(), database=database_url)
    try:
        for minute in range(20):
            with transaction(runtime.sessions) as session:
                stranger = resolve_actor(session, "slack", STRANGER)
                result = set_topic_mode(session, runtime.config, "refund", "crisis", stranger,
                                        now=NOW + timedelta(seconds=minute))
            assert not result.ok and "not registered" in result.reason
        with runtime.sessions() as session:
            modes = list(session.scalars(select(TopicModeSwitch.mode)))
            assert modes == ["refused"]
            assert session.scalars(select(RefusalTally.count)).one() == 20
    finally:
        runtime.close()

