"""Login throttling in the database (bot/desk/login_throttle.py), on SQLite and PostgreSQL: exponential
lockouts per name and per address, parallel attempts all counted, successes and expiry."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from bot.core.config import LoginThrottleRules
from bot.desk.login_throttle import ACCOUNT, ADDRESS, attempt_succeeded, begin_attempt, lockout_seconds
from storage.db import transaction

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
RULES = LoginThrottleRules(max_failures=3, max_address_failures=6, lockout_seconds=10, max_lockout_seconds=60,
                           forget_after_seconds=600)


def attempt_with(runtime, name="ana ortiz", address="10.0.0.1", now=NOW, rules=RULES):
    with transaction(runtime.sessions) as session:
        return begin_attempt(session, rules, name=name, address=address, now=now)


attempt = attempt_with


def test_lockout_doubles_with_each_failure_up_to_the_cap():
    assert [lockout_seconds(RULES, n, ACCOUNT) for n in range(2, 8)] == [0, 10, 20, 40, 60, 60]
    assert lockout_seconds(RULES, 10**6, ACCOUNT) == 60  # no overflow, the cap holds
    assert lockout_seconds(RULES, 5, ADDRESS) == 0


def test_a_name_is_locked_after_its_failures_and_unlocked_later(runtime):
    rules = RULES.model_copy(update={"max_address_failures": 100})  # only the name's count matters here

    def attempt(runtime, **kw):
        return attempt_with(runtime, rules=rules, **kw)
    assert [attempt(runtime, name="Ana Ortiz") for _ in range(3)] == [None, None, None]
    locked = attempt(runtime, name="  ana ORTIZ")  # the same name, however typed
    assert locked is not None and locked.scope == ACCOUNT and locked.seconds == 10
    assert "for this name" in locked.message and "10 s" in locked.message
    assert attempt(runtime, name="ben carter") is None  # other names are not affected
    # the lockout ends; the next failure locks twice as long
    assert attempt(runtime, now=NOW + timedelta(seconds=11)) is None
    assert attempt(runtime, now=NOW + timedelta(seconds=12)).seconds == 19
    # a success starts the name again at 0
    with transaction(runtime.sessions) as session:
        attempt_succeeded(session, rules, name="ana ortiz", address="10.0.0.1")
    assert [attempt(runtime, now=NOW + timedelta(seconds=40 + i)) for i in range(3)] == [None, None, None]
    assert attempt(runtime, now=NOW + timedelta(seconds=44)) is not None
    # old failures are forgotten
    assert attempt(runtime, now=NOW + timedelta(hours=2)) is None


def test_one_address_trying_many_names_is_locked(runtime):
    names = [f"user{i}" for i in range(5)]
    assert all(attempt(runtime, name=n, address="10.9.9.9") is None for n in names)
    # one real login from that address among the guesses: taken back off, the guesses stay counted
    assert attempt(runtime, name="dev patel", address="10.9.9.9") is None
    with transaction(runtime.sessions) as session:
        attempt_succeeded(session, RULES, name="dev patel", address="10.9.9.9")
    assert attempt(runtime, name="user9", address="10.9.9.9") is None  # the 6th guess
    locked = attempt(runtime, name="dev patel", address="10.9.9.9")
    assert locked.scope == ADDRESS and "network address" in locked.message
    assert attempt(runtime, name="dev patel", address="10.9.9.8") is None  # other addresses are not affected


def test_parallel_attempts_are_all_counted(runtime):
    results, barrier = [], threading.Barrier(8)

    def one():
        barrier.wait()
        results.append(attempt(runtime))

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is None for r in results) == RULES.max_failures  # no more guesses than the limit


def test_forgotten_rows_are_pruned(runtime):
    from sqlalchemy import func, select

    from storage.models import LoginThrottle

    for i in range(5):
        attempt(runtime, name=f"sprayed{i}", address=f"10.1.1.{i}")
    attempt(runtime, name="late", address="10.2.2.2", now=NOW + timedelta(hours=2))
    with runtime.sessions() as session:
        assert sorted(session.scalars(select(LoginThrottle.key))) == ["10.2.2.2", "late"]
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 2
