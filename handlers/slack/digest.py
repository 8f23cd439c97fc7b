"""Supervisor figures in Slack: the text of ``/mentiondesk stats [today|week]`` and the daily /
weekly digest posted to the supervisors' channel by APScheduler.

The figures come from ``bot.reporting.metrics`` (the same as the dashboard and ``mentiondesk
stats``); this module only renders them as mrkdwn and posts them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.reporting.metrics import Report, compute, period_bounds
from handlers.slack.escape import mrkdwn
from storage import queries
from storage.db import transaction

log = logging.getLogger(__name__)
TITLES = {"today": "Today", "yesterday": "Yesterday", "week": "Last 7 days", "last_week": "Last week"}


def _d(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def report_text(report: Report, title: str) -> str:
    sla = report.sla
    tiers = ", ".join(f"{k} {v}" for k, v in report.volume["tier"].items()) or "none"
    busiest = sorted(report.agents, key=lambda a: -(a.claimed + a.open_now))[:5]
    agents = "; ".join(f"{mrkdwn(a.name)} {a.claimed} claimed / {a.open_now} open" for a in busiest) or "nobody"
    ap = report.approvals
    return "\n".join([
        f"*{title}* ({report.since:%d %b %H:%M} – {report.until:%d %b %H:%M} UTC): *{report.cases}* cases ({tiers})",
        f"*Median time to claim:* {_d(report.time_to_claim.median)} · *first reply:* "
        f"{_d(report.time_to_first_reply.median)} · *resolve:* {_d(report.time_to_resolve.median)}",
        f"*SLA met:* claim {_pct(sla['claim'].compliance)} ({sla['claim'].breached} breached), first reply "
        f"{_pct(sla['first_reply'].compliance)} ({sla['first_reply'].breached} breached)",
        f"*Escalations:* {report.escalations['total']} · *approvals:* {ap['requested']} asked, {ap['pending']} "
        f"pending, median wait {_d(ap['delay'].median)} · *abusive:* {report.abusive.get('total', 0)}",
        f"*Load:* {agents}",
        f"*Satisfaction:* " + (f"{report.satisfaction['mean']:.1f} / 5 from {report.satisfaction['answers']} answers"
                               if report.satisfaction.get("mean") is not None else "no answers yet"),
    ])


def period_text(sessions, word: str, now: datetime, targets: dict) -> str:
    since, until = period_bounds(word, now)
    with sessions() as session:
        return report_text(compute(session, since, until, default_sla=targets), TITLES[word])


class Digest:
    """Posts the figures of ``yesterday`` every day and of ``last_week`` every Monday, once each
    across replicas (the post is recorded in ``inbound_delivery`` before it is sent)."""

    def __init__(self, sessions, client: Any, channel: str, *, at: str = "08:00",
                 targets: Callable[[], dict] = dict, clock: Callable[[], datetime] | None = None):
        hour, _, minute = at.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError(f"digest time {at!r}: write HH:MM (UTC), e.g. 08:00")
        self.sessions, self.client, self.channel = sessions, client, channel
        self.hour, self.minute = int(hour), int(minute)
        self.targets = targets
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.scheduler: BackgroundScheduler | None = None

    def post(self, word: str) -> bool:
        """Post the digest for ``word`` unless this replica or another already did: True if posted."""
        now = self.clock()
        since, _ = period_bounds(word, now)
        with transaction(self.sessions) as session:
            if not queries.record_delivery(session, "digest", f"{word}:{since.date().isoformat()}:{self.channel}"):
                return False
        text = period_text(self.sessions, word, now, self.targets())
        self.client.chat_postMessage(channel=self.channel, text=text, unfurl_links=False)
        return True

    def _safe_post(self, word: str) -> None:
        try:
            self.post(word)
        except Exception:  # noqa: BLE001 - a failed digest is logged; the next one still runs
            log.exception("digest %s not posted", word)

    def start(self) -> None:
        self.scheduler = BackgroundScheduler(timezone=timezone.utc)
        self.scheduler.add_job(self._safe_post, CronTrigger(hour=self.hour, minute=self.minute, timezone=timezone.utc),
                               args=["yesterday"], id="digest-daily", misfire_grace_time=3600, coalesce=True)
        self.scheduler.add_job(self._safe_post, CronTrigger(day_of_week="mon", hour=self.hour, minute=self.minute,
                                                            timezone=timezone.utc),
                               args=["last_week"], id="digest-weekly", misfire_grace_time=3600, coalesce=True)
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
