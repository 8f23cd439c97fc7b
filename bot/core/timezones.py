"""Time zones as the config names them (IANA names), checked once for every section that has one."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def check_time_zone(value: str) -> str:
    """``value`` if it names a time zone; a ValueError that says what to write otherwise."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/London)") from None
    return value
