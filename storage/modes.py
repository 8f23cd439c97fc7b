"""Crisis mode per topic: an append-only log of switches; the newest switch of a topic is in force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.models import TopicModeSwitch

MODES = ("crisis", "normal")
REFUSED = "refused"  # a switch someone tried without the right role: logged, never in force


def current_modes(session: Session) -> dict[str, TopicModeSwitch]:
    """topic -> its newest switch."""
    newest = select(TopicModeSwitch.topic, func.max(TopicModeSwitch.id).label("id")).where(
        TopicModeSwitch.mode.in_(MODES)).group_by(TopicModeSwitch.topic).subquery()
    rows = session.scalars(select(TopicModeSwitch).join(newest, TopicModeSwitch.id == newest.c.id))
    return {row.topic: row for row in rows}


def crisis_topics(session: Session) -> frozenset[str]:
    return frozenset(topic for topic, row in current_modes(session).items() if row.mode == "crisis")


def in_crisis(session: Session, topic: str | None) -> bool:
    if not topic:
        return False
    row = session.scalars(select(TopicModeSwitch).where(TopicModeSwitch.topic == topic, TopicModeSwitch.mode.in_(MODES))
                          .order_by(TopicModeSwitch.id.desc()).limit(1)).first()
    return row is not None and row.mode == "crisis"


def switch_mode(session: Session, topic: str, mode: str, *, actor: str, source: str, reason: str | None = None,
                at: datetime | None = None) -> TopicModeSwitch | None:
    """Record a switch; None when the topic is already in that mode (nothing written)."""
    if mode == REFUSED:
        row = TopicModeSwitch(topic=topic, mode=REFUSED, actor=actor, source=source, reason=reason,
                              created_at=at or utcnow())
        session.add(row)
        session.flush()
        return row
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if in_crisis(session, topic) == (mode == "crisis"):
        return None
    row = TopicModeSwitch(topic=topic, mode=mode, actor=actor, source=source, reason=reason,
                          created_at=at or utcnow())
    session.add(row)
    session.flush()
    return row
