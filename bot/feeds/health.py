"""How each feed source stands, for ``status``, ``/metrics`` and ``/readyz``: read from the
database only (the cursors and the quarantine), so every replica answers the same.

One row per cursor: connected (its last poll or stream state is healthy), the cursor, the lag,
consecutive errors and the last one, and the frames each source has quarantined. The *lag* is
how far behind the source is: for a stream whose cursor is an event time (Bluesky's Jetstream
``time_us``) the age of the last event read; for a polled source the age of its last success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import queries
from storage.models import FeedCursor, QuarantinedEvent, QuarantinedInput, QuarantinedPost

HEALTHY = frozenset({"ok", "connected"})


def _bluesky_event_time(cursor: FeedCursor) -> datetime | None:
    from bot.feeds.bluesky import STREAM_KEY, time_us_to_datetime

    if cursor.query_key == STREAM_KEY and cursor.since_id and cursor.since_id.isdigit():
        return time_us_to_datetime(int(cursor.since_id))
    return None


#: Sources whose cursor is the time of the last event read (a new streaming source adds itself here).
EVENT_TIME: dict[str, Callable[[FeedCursor], datetime | None]] = {"bluesky": _bluesky_event_time}


@dataclass(frozen=True)
class SourceHealth:
    source: str
    query: str
    status: str
    connected: bool
    cursor: str | None
    lag_seconds: float | None
    errors: int  # consecutive failures
    last_error: str | None
    quarantined: int  # frames of this source in quarantine (all its queries)

    def as_dict(self) -> dict:
        return {"source": self.source, "query": self.query, "status": self.status, "connected": self.connected,
                "cursor": self.cursor, "lag_seconds": None if self.lag_seconds is None else round(self.lag_seconds, 1),
                "errors": self.errors, "last_error": self.last_error, "quarantined": self.quarantined}


def quarantined_counts(session: Session) -> dict[str, int]:
    """Quarantined posts, frames and events per source (X posts, Bluesky frames, Mastodon events)."""
    counts: dict[str, int] = {}
    for model in (QuarantinedPost, QuarantinedInput, QuarantinedEvent):
        for source, n in session.execute(select(model.source, func.count()).group_by(model.source)):
            counts[source] = counts.get(source, 0) + n
    return counts


def source_health(session: Session, now: datetime) -> list[SourceHealth]:
    quarantined = quarantined_counts(session)
    out = []
    for cursor in queries.feed_cursors(session):
        event_time = EVENT_TIME.get(cursor.source, lambda _: None)(cursor)
        reference = event_time or cursor.last_success_at
        out.append(SourceHealth(cursor.source, cursor.query_key, cursor.status, cursor.status in HEALTHY,
                                cursor.since_id, (now - reference).total_seconds() if reference else None,
                                cursor.failures, cursor.last_error, quarantined.get(cursor.source, 0)))
    return out
