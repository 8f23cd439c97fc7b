"""Named points where the fault-injection suite (tests/faults/) can kill this process.

``MENTIONDESK_FAULT=card_posted`` makes the process SIGKILL itself the first time it reaches
``fault_point("card_posted")``; ``card_posted:3`` the third time. Unset (production), a fault
point is one dictionary lookup. The points sit exactly where a crash is most harmful: after a
platform accepted something and before we recorded it, or just after a commit and before the
follow-up work that commit promises.
"""

from __future__ import annotations

import os
import signal
import threading

_counts: dict[str, int] = {}
_lock = threading.Lock()


def _plan() -> dict[str, int]:
    spec = os.environ.get("MENTIONDESK_FAULT", "")
    plan = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, nth = item.partition(":")
        plan[name] = int(nth or 1)
    return plan


_PLAN = _plan()


def fault_point(name: str) -> None:
    if not _PLAN or name not in _PLAN:
        return
    with _lock:
        _counts[name] = _counts.get(name, 0) + 1
        hit = _counts[name] == _PLAN[name]
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no flush: exactly what kill -9 does
