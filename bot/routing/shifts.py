"""Is an agent on shift at a moment? Weekly windows in the agent's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.config_routing import DAYS, AgentRouting, Shift, minutes_of


def _in_window(shift: Shift, weekday: int, minute: int) -> bool:
    start, end = minutes_of(shift.start), minutes_of(shift.end)
    days = {DAYS.index(d) for d in shift.days}
    if start < end:
        return weekday in days and start <= minute < end
    # Past midnight: the evening part belongs to the listed day, the morning part to the next one.
    return (weekday in days and minute >= start) or ((weekday - 1) % 7 in days and minute < end)


def on_shift(agent: AgentRouting, at: datetime) -> bool:
    if agent.shifts is None:
        return True
    local = at.astimezone(ZoneInfo(agent.timezone))
    minute = local.hour * 60 + local.minute
    return any(_in_window(shift, local.weekday(), minute) for shift in agent.shifts)


def describe(agent: AgentRouting) -> str:
    if agent.shifts is None:
        return "always on shift"
    windows = [f"{','.join(s.days)} {s.start}-{s.end}" for s in agent.shifts]
    return f"{'; '.join(windows)} {agent.timezone}"
