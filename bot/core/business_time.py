"""Business time: clocks that only run while a team works.

A :class:`WorkingTime` is a team's week (working days, an open and a close time each day, in the
team's IANA time zone) minus its holidays (local dates). It answers three questions, all in
aware UTC datetimes:

* :meth:`WorkingTime.next_open` — the moment the clock runs again (``at`` itself while open);
* :meth:`WorkingTime.after` — when ``seconds`` of working time will have passed since ``start``
  (an SLA deadline, a warning, a wait step);
* :meth:`WorkingTime.seconds_between` — how much working time lies between two moments (reports).

Windows are laid out in local wall-clock time and converted to UTC before any arithmetic, so a
daylight-saving change moves the window in UTC and a working day stays 09:00-17:00 local.
``always`` is the 24/7 clock: plain elapsed time. Pure functions, no database: the escalation
map, the case snapshot and the reports share this one definition.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far ahead a window is looked for (a year of holidays at most).
HORIZON_DAYS = 400


def _hhmm(t: time) -> str:
    return "24:00" if t == time.max else t.strftime("%H:%M")


def _parse_hhmm(value: str) -> time:
    hours, minutes = (int(p) for p in value.split(":"))
    return time.max if hours == 24 else time(hours, minutes)


@dataclass(frozen=True)
class WorkingTime:
    always: bool = True
    timezone: str = "UTC"
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    open: time = time(9, 0)
    close: time = time(17, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def windows(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows (UTC start, UTC end) that end after ``at``, in order."""
        zone = ZoneInfo(self.timezone)
        first = at.astimezone(zone).date() - timedelta(days=1)  # a window may have begun yesterday (UTC)
        for offset in range(HORIZON_DAYS):
            day = first + timedelta(days=offset)
            if DAYS[day.weekday()] not in self.days or day in self.holidays:
                continue
            start = datetime.combine(day, self.open, zone).astimezone(UTC)
            end = datetime.combine(day, self.close, zone).astimezone(UTC)
            if end > at:
                yield start, end
        # Only a map with every day a holiday for a year gets here; its clock simply never runs.

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when the team works then, else the next moment it starts working."""
        if self.always:
            return at
        for start, _ in self.windows(at):
            return max(start, at)
        raise ValueError(f"no working time in the {HORIZON_DAYS} days after {at:%Y-%m-%d}")

    def is_open(self, at: datetime) -> bool:
        return self.next_open(at) == at

    def after(self, start: datetime, seconds: float) -> datetime:
        """The moment ``seconds`` of working time have passed since ``start``."""
        if self.always:
            return start + timedelta(seconds=seconds)
        left = timedelta(seconds=seconds)
        for window_start, window_end in self.windows(start):
            begin = max(window_start, start)
            if begin + left <= window_end:
                return begin + left
            left -= window_end - begin
        raise ValueError(f"no working time in the {HORIZON_DAYS} days after {start:%Y-%m-%d}")

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Working seconds from ``start`` to ``end`` (0 when ``end`` is not later)."""
        if end <= start:
            return 0.0
        if self.always:
            return (end - start).total_seconds()
        total = 0.0
        for window_start, window_end in self.windows(start):
            if window_start >= end:
                break
            total += (min(window_end, end) - max(window_start, start)).total_seconds()
        return total

    def to_json(self) -> dict[str, Any]:
        return {"always": self.always, "timezone": self.timezone, "days": list(self.days),
                "open": _hhmm(self.open), "close": _hhmm(self.close),
                "holidays": sorted(d.isoformat() for d in self.holidays)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkingTime:
        return cls(bool(data.get("always")), data.get("timezone") or "UTC", tuple(data.get("days") or ()),
                   _parse_hhmm(data.get("open") or "09:00"), _parse_hhmm(data.get("close") or "17:00"),
                   frozenset(date.fromisoformat(d) for d in data.get("holidays") or ()))


ALWAYS = WorkingTime()


def snapshot_clock(escalation: dict[str, Any] | None) -> WorkingTime:
    """The clock a case's stored escalation snapshot says its SLA counts (``sla.hours_team``'s
    business hours), else 24/7. Read from the JSON, so cards, the floor and reports need not
    know the escalation package."""
    team = ((escalation or {}).get("sla") or {}).get("hours_team")
    hours = ((escalation or {}).get("business_hours") or {}).get(team) if team else None
    return WorkingTime.from_json(hours) if hours else ALWAYS
