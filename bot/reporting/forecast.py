"""Workload forecast: hourly case volume for the next week, and the agents each hour needs.

Volume: the *seasonal average* by hour of week — the forecast for an hour is the mean of the
same hour of the week over the last ``weeks`` weeks (with ``weeks=1`` this is the textbook
seasonal-naive method). Social traffic has a strong weekly shape (weekday mornings, Sunday
evenings) and a few weeks of history are all a new installation has, which rules out methods
that need a year of data. Its error is shown honestly: the same method forecasts the last week
from the weeks before it, and MAE / MAPE compare that with what happened.

Staffing: Erlang C (M/M/N queue). With ``A = λ · AHT`` erlangs of traffic and ``N`` agents, the
probability that a case waits is ``C(N, A)``, and the share of cases picked up within ``T`` is
``1 − C(N, A) · exp(−(N − A) · T / AHT)``. The staffing for an hour is the smallest ``N``
reaching the target share. ``T`` is the claim SLA (a case "waits" until someone claims it);
AHT is the measured work time per case (claim → first reply, mean over the history).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Case, Event

HOURS_PER_WEEK = 168
HOUR = timedelta(hours=1)


# --- Erlang C ---------------------------------------------------------------------------------------


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that an arrival has to wait, with ``agents`` servers and ``traffic`` erlangs.

    Computed through the Erlang B recursion ``B(k) = A·B(k−1) / (k + A·B(k−1))`` and
    ``C = N·B / (N − A·(1 − B))``: no factorials, so no overflow for large N.
    """
    if traffic < 0 or agents < 0:
        raise ValueError("traffic and agents must not be negative")
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0  # the queue grows without bound: everyone waits
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


def service_level(agents: int, traffic: float, aht_seconds: float, target_seconds: float) -> float:
    """Share of arrivals answered within ``target_seconds``."""
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return 1 - erlang_c(agents, traffic) * math.exp(-(agents - traffic) * target_seconds / aht_seconds)


def agents_needed(arrivals_per_hour: float, aht_seconds: float, target_seconds: float,
                  target_level: float = 0.8) -> int:
    """The fewest agents for which ``target_level`` of arrivals wait at most ``target_seconds``."""
    if not 0 < target_level < 1:
        raise ValueError("the service level target must be between 0 and 1 (e.g. 0.8)")
    if aht_seconds <= 0:
        raise ValueError("the handling time must be positive")
    traffic = arrivals_per_hour * aht_seconds / 3600
    if traffic == 0:
        return 0
    agents = max(1, math.floor(traffic) + 1)
    while service_level(agents, traffic, aht_seconds, target_seconds) < target_level:
        agents += 1
    return agents


# --- volume ----------------------------------------------------------------------------------------


def seasonal_average(history: list[float], horizon: int = HOURS_PER_WEEK, *, season: int = HOURS_PER_WEEK,
                     weeks: int = 4) -> list[float]:
    """Forecast ``horizon`` values after ``history`` (hourly, oldest first): each the mean of the
    values one, two, … ``weeks`` seasons earlier (as many as the history holds)."""
    if len(history) < season:
        raise ValueError(f"need at least one full season ({season} hours) of history, have {len(history)}")
    out: list[float] = []
    series = list(history)
    for step in range(horizon):
        t = len(history) + step
        same = [series[t - j * season] for j in range(1, weeks + 1) if t - j * season >= 0 and t - j * season < len(history)]
        if not same:  # beyond the history by more than a season: reuse the forecast itself
            same = [out[step - season]]
        out.append(sum(same) / len(same))
    return out


@dataclass(frozen=True)
class ForecastError:
    mae: float
    mape: float | None  # over hours with at least one case; None if there was none


def backtest_last_week(history: list[float], *, weeks: int = 4) -> ForecastError | None:
    """Forecast the last week of ``history`` from what came before it and measure the error."""
    if len(history) < 2 * HOURS_PER_WEEK:
        return None
    past, actual = history[:-HOURS_PER_WEEK], history[-HOURS_PER_WEEK:]
    predicted = seasonal_average(past, HOURS_PER_WEEK, weeks=weeks)
    mae = sum(abs(a - p) for a, p in zip(actual, predicted)) / len(actual)
    busy = [(a, p) for a, p in zip(actual, predicted) if a > 0]
    mape = sum(abs(a - p) / a for a, p in busy) / len(busy) if busy else None
    return ForecastError(mae, mape)


# --- from the database -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HourPlan:
    start: datetime
    cases: float
    agents: int


@dataclass(frozen=True)
class Forecast:
    start: datetime
    hours: list[HourPlan]
    history_weeks: int
    aht_seconds: float
    aht_measured: bool
    target_seconds: float
    target_level: float
    error: ForecastError | None
    weeks: int = 4  # how many past weeks each hour averages (at most)


def hourly_counts(session: Session, start: datetime, end: datetime) -> list[int]:
    """Cases opened per hour in ``[start, end)``, ``start`` on the hour."""
    counts = [0] * int((end - start) / HOUR)
    for (opened,) in session.execute(select(Case.opened_at).where(Case.opened_at >= start, Case.opened_at < end)):
        counts[int((opened - start) / HOUR)] += 1
    return counts


def measured_work_seconds(session: Session, since: datetime, until: datetime) -> float | None:
    """Mean claim → first reply time of the cases opened in the period (None when there is none)."""
    claims: dict[int, datetime] = {}
    spans: list[float] = []
    rows = session.execute(select(Event.case_id, Event.type, Event.created_at).join(Case, Case.id == Event.case_id)
                           .where(Case.opened_at >= since, Case.opened_at < until,
                                  Event.type.in_(("claimed", "reply_queued", "approval_requested")))
                           .order_by(Event.id))
    done: set[int] = set()
    for case_id, type_, at in rows:
        if type_ == "claimed":
            claims.setdefault(case_id, at)
        elif case_id in claims and case_id not in done:
            done.add(case_id)
            spans.append((at - claims[case_id]).total_seconds())
    return sum(spans) / len(spans) if spans else None


def forecast_workload(session: Session, now: datetime, *, weeks: int = 4, aht_seconds: float | None = None,
                      target_seconds: float = 900, target_level: float = 0.8,
                      default_aht_seconds: float = 600) -> Forecast:
    """The next 7 days from ``now`` (rounded down to the hour), from up to ``weeks`` + 1 weeks of history."""
    start = now.replace(minute=0, second=0, microsecond=0)
    history_start = start - (weeks + 1) * HOURS_PER_WEEK * HOUR  # one extra week for the backtest
    first = session.scalar(select(Case.opened_at).where(Case.opened_at >= history_start, Case.opened_at < start)
                           .order_by(Case.opened_at).limit(1))
    if first is None:
        raise ValueError("no cases in the history window: nothing to forecast from")
    # Use only whole weeks that actually hold data, counted back from now.
    full_weeks = min(weeks + 1, max(1, math.ceil((start - first) / (HOURS_PER_WEEK * HOUR))))
    history = hourly_counts(session, start - full_weeks * HOURS_PER_WEEK * HOUR, start)
    measured = aht_seconds is None and (m := measured_work_seconds(session, history_start, start)) is not None
    aht = aht_seconds or (m if measured else default_aht_seconds)
    volume = seasonal_average(history, HOURS_PER_WEEK, weeks=weeks)
    hours = [HourPlan(start + i * HOUR, v, agents_needed(v, aht, target_seconds, target_level))
             for i, v in enumerate(volume)]
    return Forecast(start, hours, full_weeks, aht, measured, target_seconds, target_level,
                    backtest_last_week(history, weeks=weeks), weeks)
