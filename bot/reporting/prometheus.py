"""Prometheus gauges read from the database at scrape time (``GET /metrics``).

Read on each scrape rather than kept in process memory, so every replica reports the same
figures and a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.core.observability import PROCESS_METRICS
from bot.feeds.health import HEALTHY, quarantined_counts, source_health
from storage.models import OPEN_STATES, Case, Event, FeedCursor, OutboxEntry


class CaseCollector:
    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def describe(self):  # no figures at registration time (the database may not be up yet)
        return []

    def collect(self):
        depth = GaugeMetricFamily("mentiondesk_queue_depth", "Open cases per team and state", labels=["team", "state"])
        in_breach = GaugeMetricFamily("mentiondesk_open_cases_in_sla_breach",
                                      "Open cases that have breached an SLA, per team", labels=["team"])
        breaches = CounterMetricFamily("mentiondesk_sla_breaches", "SLA breaches recorded since the start",
                                       labels=["sla"])
        with self.sessions() as session:
            for team, state, n in session.execute(select(Case.team, Case.state, func.count())
                                                  .where(Case.state.in_(OPEN_STATES)).group_by(Case.team, Case.state)):
                depth.add_metric([team or "", state.value], n)
            breached = select(Event.case_id).where(Event.type == "sla_breached")
            for team, n in session.execute(select(Case.team, func.count()).where(Case.state.in_(OPEN_STATES),
                                                                                 Case.id.in_(breached))
                                           .group_by(Case.team)):
                in_breach.add_metric([team or ""], n)
            rows = session.execute(select(Event.payload).where(Event.type == "sla_breached")).scalars()
            per_sla: dict[str, int] = {}
            for payload in rows:
                kind = str((payload or {}).get("sla", "unknown"))
                per_sla[kind] = per_sla.get(kind, 0) + 1
            for kind, n in sorted(per_sla.items()):
                breaches.add_metric([kind], n)
        yield depth
        yield in_breach
        yield breaches


def metrics_text(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)


class PipelineCollector:
    """Cases by state, the outbox by state, and each feed query's health (database-wide)."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def describe(self):
        return []

    def collect(self):
        cases = GaugeMetricFamily("mentiondesk_cases", "Cases by state", labels=["state"])
        outbox = GaugeMetricFamily("mentiondesk_outbox", "Outbox entries (replies, likes, reposts) by state",
                                   labels=["state"])
        feed_up = GaugeMetricFamily("mentiondesk_feed_up", "1 when the feed query's last poll succeeded",
                                    labels=["source", "query"])
        feed_reads = GaugeMetricFamily("mentiondesk_feed_reads_this_month", "Posts read this month per query",
                                       labels=["source", "query"])
        feed_lag = GaugeMetricFamily("mentiondesk_feed_lag_seconds", "How far behind the source is (stream: age "
                                     "of the last event read; poll: age of the last success)", labels=["source", "query"])
        feed_errors = GaugeMetricFamily("mentiondesk_feed_errors", "Consecutive failures of the feed query",
                                        labels=["source", "query"])
        quarantined = GaugeMetricFamily("mentiondesk_feed_quarantined", "Posts, frames and events a source could "
                                        "not read or store, kept in quarantine", labels=["source"])
        with self.sessions() as session:
            for state, n in session.execute(select(Case.state, func.count()).group_by(Case.state)):
                cases.add_metric([state.value], n)
            for state, n in session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)):
                outbox.add_metric([state.value], n)
            for cursor in session.scalars(select(FeedCursor)):
                feed_up.add_metric([cursor.source, cursor.query_key], 1.0 if cursor.status in HEALTHY else 0.0)
                feed_reads.add_metric([cursor.source, cursor.query_key], cursor.reads_this_month)
            for health in source_health(session, datetime.now(timezone.utc)):
                if health.lag_seconds is not None:
                    feed_lag.add_metric([health.source, health.query], health.lag_seconds)
                feed_errors.add_metric([health.source, health.query], health.errors)
            for source, n in sorted(quarantined_counts(session).items()):
                quarantined.add_metric([source], n)
        yield from (cases, outbox, feed_up, feed_reads, feed_lag, feed_errors, quarantined)


def make_registry(sessions: sessionmaker[Session]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(CaseCollector(sessions))
    registry.register(PipelineCollector(sessions))
    for metric in PROCESS_METRICS:  # this replica's own counters (a metric may sit in several registries)
        registry.register(metric)
    return registry
