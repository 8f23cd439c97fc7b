"""Durations, read and written: the one place mentiondesk turns seconds into words and back.

- :func:`parse_duration` reads what people write in the config and the escalation map (``15m``,
  ``2h``, ``1h30m``, ``90 minutes``); a typo (``5 minutez``) is an error that says what is
  accepted, never a silent zero. :func:`format_duration` writes it back the same compact way.
- :func:`human_duration` is how every screen says it (cards, console, ``status``, logs):
  ``<1 min``, ``12 min``, ``2 h 5 min``, ``3 d 4 h``.
"""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
}
_PART = re.compile(r"\s*(\d+)\s*([a-z]+)\s*")

HINT = "write a number and a unit, e.g. 30s, 15m, 2h, 1h30m, 90 minutes, 1 day"


def parse_duration(value: object) -> timedelta:
    """``value`` as a timedelta; raises ValueError naming the bad text."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"bad duration {value!r}: {HINT}")
    if isinstance(value, int):  # a bare number is ambiguous (seconds? minutes?): refuse it
        raise ValueError(f"bad duration {value!r} (no unit): {HINT}")
    text = value.strip().lower()
    pos, seconds = 0, 0
    while pos < len(text):
        match = _PART.match(text, pos)
        if not match or match.group(2) not in _UNITS:
            raise ValueError(f"bad duration {value!r}: {HINT}")
        seconds += int(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not text:
        raise ValueError(f"bad duration {value!r}: {HINT}")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def human_duration(seconds: float | timedelta | None, *, empty: str = "") -> str:
    """A span as people read it on a card or a console: ``<1 min``, ``12 min``, ``2 h 5 min``, ``3 d 4 h``."""
    if seconds is None:
        return empty
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    seconds = int(seconds)
    if seconds < 60:
        return "<1 min"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
