"""Durations as people write them in the escalation map: ``15m``, ``2h``, ``1h30m``, ``90 minutes``.

A typo (``5 minutez``) is an error that says what is accepted, never a silent zero.
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
