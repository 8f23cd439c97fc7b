"""Presence: who the team platform currently shows as away (``routing.use_presence``).

A small thread-safe board the Slack adapter keeps current in the background (``users.getPresence``
for every agent, every ``refresh_seconds``), so routing never waits for Slack in the ingest
path. A report older than ``stale_after`` seconds is forgotten: when Slack cannot be asked,
the shifts alone decide.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class PresenceBoard:
    def __init__(self, *, stale_after: float = 300.0, clock: Callable[[], float] = time.monotonic):
        self.stale_after, self.clock = stale_after, clock
        self._status: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def report(self, agent_id: int, status: str) -> None:
        with self._lock:
            self._status[agent_id] = (status, self.clock())

    def away(self) -> frozenset[int]:
        now = self.clock()
        with self._lock:
            return frozenset(a for a, (status, at) in self._status.items()
                             if status == "away" and now - at <= self.stale_after)
