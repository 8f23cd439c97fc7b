"""Workload forecast: a known weekly pattern is recovered; Erlang C matches published values."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from bot.reporting.forecast import (
    HOURS_PER_WEEK,
    agents_needed,
    backtest_last_week,
    erlang_c,
    forecast_workload,
    seasonal_average,
    service_level,
)
from storage.models import Case, CaseState, Tier


def weekly_pattern() -> list[float]:
    """Expected cases per hour of the week (Monday 00:00 first): busy weekday office hours,
    a Sunday-evening peak, quiet nights."""
    out = []
    for h in range(HOURS_PER_WEEK):
        day, hour = divmod(h, 24)
        rate = 0.5
        if 8 <= hour < 18:
            rate = 6.0 if day < 5 else 2.0
        if day == 6 and 18 <= hour < 22:
            rate = 9.0
        out.append(rate)
    return out


def test_exact_weekly_pattern_is_recovered_exactly():
    pattern = weekly_pattern()
    forecast = seasonal_average(pattern * 4, weeks=4)
    assert forecast == pattern
    assert backtest_last_week(pattern * 4).mae == 0


def test_noisy_weekly_pattern_is_recovered():
    rng = random.Random(7)
    pattern = weekly_pattern()

    def poisson(lam: float) -> int:  # Knuth's method: fine for these small rates
        limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1

    history = [poisson(pattern[h % HOURS_PER_WEEK]) for h in range(5 * HOURS_PER_WEEK)]
    forecast = seasonal_average(history, weeks=4)
    mae = sum(abs(f - p) for f, p in zip(forecast, pattern)) / HOURS_PER_WEEK
    assert mae < 0.9  # the mean of 4 Poisson draws: sd ≤ 1.5 at the 9/hour peak
    # The shape is there: weekday office hours above nights, the Sunday evening peak the top.
    assert min(forecast[24 * d + 10] for d in range(5)) > max(forecast[24 * d + 3] for d in range(7))
    assert max(range(HOURS_PER_WEEK), key=forecast.__getitem__) // 24 == 6
    error = backtest_last_week(history, weeks=4)
    assert 0 < error.mae < 2.5 and error.mape is not None


def test_erlang_c_matches_published_reference_values():
    # Call Centre Helper, "Erlang C Formula – Made Simple with an Easy Worked Example":
    # 100 calls per 30 min, AHT 180 s → A = 10 erlangs; 11 agents: probability of waiting
    # 68.21 %, service level (20 s) 39 %; 14 agents reach 88.8 % (the first N over 80 %).
    assert erlang_c(11, 10) == pytest.approx(0.6821, abs=5e-5)
    assert service_level(11, 10, 180, 20) == pytest.approx(0.390, abs=5e-4)
    assert service_level(14, 10, 180, 20) == pytest.approx(0.888, abs=5e-4)
    assert agents_needed(200, 180, 20, 0.8) == 14  # 200 calls/hour = 100 per half hour
    # Wolfram Language ErlangC documentation, basic example: ErlangC[3, 2] = 4/9.
    assert erlang_c(3, 2) == pytest.approx(4 / 9, abs=1e-12)
    # Classic M/M/m textbook exercise: 120 arrivals/hour, 3 min service, 10 servers → A = 6,
    # "the probability of waiting is about 0.10".
    assert erlang_c(10, 6) == pytest.approx(0.1013, abs=5e-4)
    # Edge cases: no traffic, no wait; too few agents, everyone waits.
    assert erlang_c(1, 0) == 0 and erlang_c(5, 5) == 1
    assert agents_needed(0, 180, 20) == 0


def test_forecast_from_the_database(runtime):
    """Five weeks of cases shaped like the pattern → next week's plan follows it, with staffing."""
    pattern = weekly_pattern()
    now = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)  # a Monday, 00:00
    start = now - timedelta(weeks=5)
    rows = []
    for h in range(5 * HOURS_PER_WEEK):
        for i in range(round(pattern[h % HOURS_PER_WEEK] * 2)):  # whole cases: 2× the rate
            rows.append({"tier": Tier.TIER1, "platform": "x", "intent": "question", "sentiment": "neutral",
                         "state": CaseState.RESOLVED, "sentiment_score": 0.0, "priority": 1.0,
                         "priority_reasons": [], "opened_at": start + timedelta(hours=h, minutes=i),
                         "updated_at": now})
    with runtime.sessions() as session:
        session.execute(insert(Case), rows)
        session.commit()
        plan = forecast_workload(session, now, weeks=4, aht_seconds=600, target_seconds=900, target_level=0.8)
    assert plan.history_weeks == 5 and plan.error.mae == 0
    assert [h.cases for h in plan.hours] == [round(p * 2) for p in pattern]
    monday_10 = plan.hours[10]
    assert monday_10.start == now + timedelta(hours=10)
    # 12 cases/hour × 600 s = 2 erlangs; 15 min target at 80 %: Erlang C gives 3 agents
    assert monday_10.cases == 12 and monday_10.agents == agents_needed(12, 600, 900, 0.8) == 3
    assert plan.hours[3].agents == 1  # a night hour: one case
