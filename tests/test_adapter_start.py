"""AdapterStarter: one attempt in line, then exponential back-off in the background, capped; the
state is kept for /readyz and recorded per replica for `mentiondesk status`."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.core.adapter_start import AdapterStarter, AdapterUnavailable
from storage.models import AdapterStatus


def test_retries_with_doubling_capped_back_off_until_it_comes_up(runtime):
    stamps: list[float] = []

    def connect() -> None:
        stamps.append(time.monotonic())
        if len(stamps) <= 4:
            raise AdapterUnavailable(f"refused ({len(stamps)})")

    starter = AdapterStarter("slack", connect, replica="r1", sessions=runtime.sessions, first_delay=0.1,
                             max_delay=0.4)
    starter.start()
    assert starter.state == "retrying" and starter.snapshot()["detail"] == "refused (1)"
    with runtime.sessions() as s:
        row = s.scalars(select(AdapterStatus)).one()
        assert (row.replica, row.adapter, row.state, row.attempts) == ("r1", "slack", "retrying", 1)
    assert starter.wait_up(10)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert len(gaps) == 4
    for gap, expected in zip(gaps, (0.1, 0.2, 0.4, 0.4)):  # doubling, capped at max_delay
        assert expected - 0.02 <= gap <= expected + 0.3, gaps
    assert starter.snapshot() == {"state": "up", "attempts": 5}
    starter.stop()
    with runtime.sessions() as s:
        assert s.scalars(select(AdapterStatus.state)).one() == "stopped"


def test_a_failure_that_is_not_ours_shows_only_its_type_and_stop_ends_the_attempts(runtime):
    calls = []

    def connect() -> None:
        calls.append(1)
        raise RuntimeError("token xoxb-secret-value in some library message")

    starter = AdapterStarter("discord", connect, replica="r1", sessions=runtime.sessions, first_delay=0.05,
                             max_delay=0.05)
    starter.start()
    assert starter.snapshot()["detail"] == "RuntimeError"  # a foreign message may hold anything
    time.sleep(0.3)
    starter.stop()
    made = len(calls)
    assert made >= 3
    time.sleep(0.2)
    assert len(calls) == made and starter.state == "stopped"
