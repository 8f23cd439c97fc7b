"""Spike detector: is a topic suddenly talked about far more than usual for this hour?

For each topic and sentiment, the relevant mentions (tier 1 and 2) posted in the sliding window
``(now - W, now]`` are counted and compared with the usual count for a window at that hour of
the day over the past ``baseline_days`` days: the larger of (a) the mean count in the very same
window on those days (a daily rush, say the morning flight bank, is usual) and (b) the mean
count per W over that hour (±30 min) on those days. A spike is ``count ≥ min_count`` and
``count ≥ ratio × usual``.

Each spike is stored once (``spike_alert``, unique per topic, sentiment and window bucket) and
not repeated within ``cooldown_minutes``, so several replicas or a check every few seconds
alert PR once; the caller delivers the returned alerts (Slack posts them to the crisis team's
channel with a button that switches the topic into crisis mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.config_routing import Spikes
from storage.models import Mention, SpikeAlert, Tier

RELEVANT = (Tier.TIER1, Tier.TIER2)


@dataclass(frozen=True)
class Spike:
    alert_id: int
    topic: str
    sentiment: str
    window_start: datetime
    window_end: datetime
    count: int
    expected: float
    examples: list[dict]  # {"mention_id", "handle", "text", "url"}

    @property
    def summary(self) -> str:
        minutes = int((self.window_end - self.window_start).total_seconds() // 60)
        return (f"{self.count} {self.sentiment} mentions about {self.topic} in {minutes} min "
                f"(usually {self.expected:.1f})")


def _counts(session: Session, start: datetime, end: datetime, sentiments: list[str]) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(Mention.topic, Mention.sentiment, func.count())
        .where(Mention.created_at > start, Mention.created_at <= end, Mention.tier.in_(RELEVANT),
               Mention.topic.is_not(None), Mention.sentiment.in_(sentiments))
        .group_by(Mention.topic, Mention.sentiment))
    return {(topic, sentiment): n for topic, sentiment, n in rows}


def usual_counts(session: Session, now: datetime, settings: Spikes) -> dict[tuple[str, str], float]:
    """Mean mentions per window at this hour of the day over the past days (only days we have)."""
    first = session.scalar(select(func.min(Mention.created_at)))
    if first is None:
        return {}
    days = max(1, min(settings.baseline_days, (now - first).days))
    window = timedelta(minutes=settings.window_minutes)
    windows_per_hour = 60 / settings.window_minutes
    same_window: dict[tuple[str, str], float] = {}
    hour: dict[tuple[str, str], float] = {}
    for k in range(1, days + 1):
        then = now - timedelta(days=k)
        for key, n in _counts(session, then - window, then, settings.sentiments).items():
            same_window[key] = same_window.get(key, 0) + n
        for key, n in _counts(session, then - timedelta(minutes=30), then + timedelta(minutes=30),
                              settings.sentiments).items():
            hour[key] = hour.get(key, 0) + n
    return {key: max(same_window.get(key, 0) / days, hour.get(key, 0) / days / windows_per_hour)
            for key in set(same_window) | set(hour)}


def detect(session: Session, settings: Spikes, *, now: datetime | None = None,
           topics: set[str] | None = None) -> list[Spike]:
    """Store and return the spikes that are new at ``now`` (in the caller's transaction)."""
    if not settings.enabled:
        return []
    now = now or datetime.now(timezone.utc)
    window = timedelta(minutes=settings.window_minutes)
    current = _counts(session, now - window, now, settings.sentiments)
    candidates = {key: n for key, n in current.items() if n >= settings.min_count
                  and (topics is None or key[0] in topics)}
    if not candidates:
        return []
    usual = usual_counts(session, now, settings)
    spikes = []
    for (topic, sentiment), count in sorted(candidates.items()):
        expected = usual.get((topic, sentiment), 0.0)
        if count < settings.ratio * expected:
            continue
        recent = session.scalar(select(func.count()).select_from(SpikeAlert).where(
            SpikeAlert.topic == topic, SpikeAlert.sentiment == sentiment,
            SpikeAlert.created_at > now - timedelta(minutes=settings.cooldown_minutes)))
        if recent:
            continue
        spike = _store(session, topic, sentiment, now, window, count, expected, settings.examples)
        if spike is not None:
            spikes.append(spike)
    return spikes


def _bucket(now: datetime, window: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=timezone.utc)
    return epoch + ((now - epoch) // window) * window


def _store(session: Session, topic: str, sentiment: str, now: datetime, window: timedelta, count: int,
           expected: float, n_examples: int) -> Spike | None:
    examples = list(session.scalars(
        select(Mention).where(Mention.topic == topic, Mention.sentiment == sentiment, Mention.tier.in_(RELEVANT),
                              Mention.created_at > now - window, Mention.created_at <= now)
        .order_by(Mention.author_followers.desc(), Mention.id).limit(n_examples)))
    row = SpikeAlert(topic=topic, sentiment=sentiment, window_start=_bucket(now, window), window_end=now, count=count,
                     expected=round(expected, 2), examples=[m.id for m in examples], created_at=now)
    try:
        with session.begin_nested():  # another replica alerted this window a moment ago: not twice
            session.add(row)
    except IntegrityError:
        return None
    return Spike(row.id, topic, sentiment, now - window, now, count, expected,
                 [{"mention_id": m.id, "handle": m.author_handle, "text": m.text, "url": m.url} for m in examples])


class SpikeWatch:
    """Runs the detector after ingest (a case listener), at most every ``min_interval`` seconds,
    and hands new spikes to its listeners (the Slack adapter posts them for PR)."""

    def __init__(self, sessions, settings: Spikes, *, clock=None, min_interval: float = 10.0):
        import threading
        import time

        self.sessions, self.settings = sessions, settings
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.min_interval, self._monotonic = min_interval, time.monotonic
        self._last = float("-inf")
        self._lock = threading.Lock()
        self.listeners: list = []

    def __call__(self, case_ids=None) -> list[Spike]:
        import logging

        from storage.db import transaction

        with self._lock:
            if self._monotonic() - self._last < self.min_interval:
                return []
            self._last = self._monotonic()
        with transaction(self.sessions) as session:
            spikes = detect(session, self.settings, now=self.clock())
        for listener in self.listeners if spikes else ():
            try:
                listener(spikes)
            except Exception:
                logging.getLogger(__name__).exception("spike listener %r failed", listener)
        return spikes
