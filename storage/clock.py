"""The time as mentiondesk stores and compares it: aware UTC. The one ``utcnow`` every layer uses
(the bottom layer holds it, so the column defaults in ``storage.models`` can too)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
