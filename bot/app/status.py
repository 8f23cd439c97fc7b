"""``mentiondesk status``: is the desk healthy? Feed pollers, the outbox relay, the open queue.

Read from the database only, so it answers the same whichever process (or replica) polls and
sends; nothing here talks to X or Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.durations import human_duration
from bot.core.config import Config
from bot.feeds.health import SourceHealth, quarantined_counts, source_health
from bot.feeds.x import month_key, next_poll_in
from storage import queries
from storage.models import OPEN_STATES, AdapterStatus, Case, FeedCursor, Mention, OutboxEntry, OutboxState, QuarantinedPost

STATUS_STYLES = {"ok": "green", "up": "green", "connected": "green", "disconnected": "red", "starting": "dim",
                 "retrying": "red", "stopped": "dim", "new": "dim", "rate_limited": "yellow", "quota": "yellow",
                 "error": "red",
                 "auth": "bold red"}


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]  # state -> entries
    oldest_pending: timedelta | None  # how long the oldest unsent entry has waited
    failed_recently: list[tuple[int, str]]  # (case id, reason) of the last failures


def outbox_summary(session: Session, now: datetime, *, recent: int = 5) -> OutboxSummary:
    counts = dict(session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all())
    oldest = session.scalar(select(func.min(OutboxEntry.created_at)).where(
        OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.SENDING))))
    failed = session.execute(select(OutboxEntry.case_id, OutboxEntry.last_error)
                             .where(OutboxEntry.state == OutboxState.FAILED)
                             .order_by(OutboxEntry.updated_at.desc()).limit(recent)).all()
    return OutboxSummary({s.value: n for s, n in counts.items()}, now - oldest if oldest else None,
                         [(c, e or "") for c, e in failed])


def feeds_table(cursors: list[FeedCursor], config: Config, now: datetime,
                health: list[SourceHealth] | None = None) -> Table:
    quota = config.x.monthly_read_quota
    month = month_key(now)
    used = sum(c.reads_this_month for c in cursors if c.source == "x" and c.month == month)
    title = "Feeds" + (f" · X reads this month {used:,} of {quota:,}" if quota else f" · X reads this month {used:,}")
    table = Table(title=title, title_justify="left")
    for column in ("query", "status", "last poll", "next poll", "since id", "read/h", "lag", "note"):
        table.add_column(column, overflow="fold")
    if not cursors:
        table.caption = "no feed has polled yet: set X_BEARER_TOKEN and run `mentiondesk serve`"
    lags = {(h.source, h.query): h.lag_seconds for h in health or []}
    for c in cursors:
        style = STATUS_STYLES.get(c.status, "")
        last = f"{human_duration(now - c.last_polled_at)} ago" if c.last_polled_at else "never"
        lag = lags.get((c.source, c.query_key))
        # Text(), not a markup string: an error message from X is not allowed to style the terminal.
        table.add_row(Text(f"{c.source} {c.query_key}"), Text(c.status, style=style), last, next_poll_in(c, now),
                      Text(c.since_id or "—"), f"{c.reads_per_hour:.1f}",
                      human_duration(timedelta(seconds=max(lag, 0))) if lag is not None else "—", Text(c.last_error or ""))
    quarantined = {h.source: h.quarantined for h in health or [] if h.quarantined}
    if quarantined:
        table.caption = "quarantined frames: " + ", ".join(f"{s} {n:,}" for s, n in sorted(quarantined.items()))
    return table


def sources_table(session: Session, cursors: list[FeedCursor], now: datetime) -> Table | None:
    """One line per source other than X's pollers (streams): connected, last id, lag, errors, quarantined."""
    by_source: dict[str, list[FeedCursor]] = {}
    for c in cursors:
        if c.source != "x":
            by_source.setdefault(c.source, []).append(c)
    if not by_source:
        return None
    table = Table(title="Sources", title_justify="left")
    for column in ("source", "connected", "last id", "lag", "errors", "quarantined", "note"):
        table.add_column(column, overflow="fold")
    quarantined = quarantined_counts(session)
    for source, rows in sorted(by_source.items()):
        up = sum(1 for c in rows if c.status == "ok")
        newest = session.execute(select(Mention.created_at, Mention.received_at).where(Mention.platform == source)
                                 .order_by(Mention.received_at.desc()).limit(1)).first()
        lag = human_duration(max(newest[1] - newest[0], timedelta(0))) if newest else "—"
        last = max((c.since_id for c in rows if c.since_id and c.since_id.isdigit()), key=int, default="—")
        errors = sum(c.failures for c in rows)
        notes = "; ".join(f"{c.query_key}: {c.last_error}" for c in rows if c.last_error)
        style = "green" if up == len(rows) else ("yellow" if up else "red")
        table.add_row(source, Text(f"{up} of {len(rows)}", style=style), last, lag, str(errors),
                      str(quarantined.get(source, 0)), Text(notes))
    return table


def outbox_table(summary: OutboxSummary) -> Table:
    table = Table(title="Outbox (replies, likes, reposts)", title_justify="left")
    for state in ("pending", "awaiting_approval", "sending", "sent", "failed", "rejected"):
        table.add_column(state.replace("_", " "), justify="right")
    table.add_row(*(f"{summary.counts.get(s, 0):,}" for s in
                    ("pending", "awaiting_approval", "sending", "sent", "failed", "rejected")))
    if summary.oldest_pending is not None:
        table.caption = f"oldest unsent entry waiting {human_duration(summary.oldest_pending)}"
    return table


def failures_table(summary: OutboxSummary) -> Table | None:
    if not summary.failed_recently:
        return None
    table = Table(title="Last failed sends", title_justify="left")
    table.add_column("case", justify="right")
    table.add_column("reason", overflow="fold")
    for case_id, reason in summary.failed_recently:
        table.add_row(f"#{case_id}", Text(reason))
    return table


def adapters_table(session: Session, now: datetime) -> Table | None:
    """Each replica's Slack/Discord adapter as that replica last recorded it (bot/core/adapter_start.py)."""
    # Replicas that stopped more than a day ago are history, not state.
    recent = (AdapterStatus.state != "stopped") | (AdapterStatus.updated_at >= now - timedelta(days=1))
    rows = list(session.scalars(select(AdapterStatus).where(recent)
                                .order_by(AdapterStatus.replica, AdapterStatus.adapter)))
    if not rows:
        return None
    table = Table(title="Team-platform adapters", title_justify="left")
    for column in ("replica", "adapter", "state", "since", "attempts", "next attempt", "reason"):
        table.add_column(column, overflow="fold")
    for row in rows:
        next_at = row.next_attempt_at
        table.add_row(Text(row.replica), row.adapter, Text(row.state, style=STATUS_STYLES.get(row.state, "")),
                      f"{human_duration(now - row.updated_at)} ago", str(row.attempts),
                      (f"in {human_duration(next_at - now)}" if next_at > now else "now") if next_at else "—",
                      Text(row.detail or ""))
    return table


def quarantine_table(session: Session, now: datetime, *, recent: int = 5) -> Table | None:
    """Posts a feed could not store (bot/feeds/quarantine.py): how many, and the latest with why."""
    total = session.scalar(select(func.count()).select_from(QuarantinedPost))
    if not total:
        return None
    table = Table(title=f"Quarantined posts · {total:,} (read but not stored; the feed moved on)",
                  title_justify="left")
    for column in ("when", "source", "post", "reason"):
        table.add_column(column, overflow="fold")
    latest = session.scalars(select(QuarantinedPost).order_by(QuarantinedPost.created_at.desc(),
                                                              QuarantinedPost.id.desc()).limit(recent))
    for post in latest:
        # Text(): the reason may quote the post, which must not style the terminal.
        table.add_row(f"{human_duration(now - post.created_at)} ago", Text(f"{post.source} {post.query_key or ''}".strip()),
                      Text(post.external_id), Text(post.reason))
    return table


def queue_table(session: Session) -> Table:
    rows = session.execute(select(Case.state, Case.tier, func.count()).where(Case.state.in_(OPEN_STATES))
                           .group_by(Case.state, Case.tier)).all()
    table = Table(title="Open cases", title_justify="left")
    for column in ("state", "tier1", "tier2"):
        table.add_column(column, justify="right" if column != "state" else "left")
    by_state: dict[str, dict[str, int]] = {}
    for state, tier, n in rows:
        by_state.setdefault(state.value, {})[tier.value] = n
    for state in OPEN_STATES:
        counts = by_state.get(state.value, {})
        table.add_row(state.value.replace("_", " "), str(counts.get("tier1", 0)), str(counts.get("tier2", 0)))
    return table


def status_tables(session: Session, config: Config, now: datetime) -> list[Table]:
    summary = outbox_summary(session, now)
    cursors = queries.feed_cursors(session)
    tables = [feeds_table(cursors, config, now, source_health(session, now))]
    sources = sources_table(session, cursors, now)
    if sources is not None:
        tables.append(sources)
    tables.append(outbox_table(summary))
    adapters = adapters_table(session, now)
    if adapters is not None:
        tables.append(adapters)
    failures = failures_table(summary)
    if failures is not None:
        tables.append(failures)
    quarantined = quarantine_table(session, now)
    if quarantined is not None:
        tables.append(quarantined)
    tables.append(queue_table(session))
    return tables
