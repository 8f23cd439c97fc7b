"""Reading cases for views (queue listings). Actions that change cases live in ``bot.desk.actions``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import OPEN_STATES, Case


def open_queue(session: Session, *, team: str | None = None, limit: int = 50) -> list[Case]:
    query = (
        select(Case)
        .where(Case.state.in_(OPEN_STATES))
        .options(selectinload(Case.mentions))
        .order_by(Case.priority.desc(), Case.opened_at)
        .limit(limit)
    )
    if team:
        query = query.where(Case.team == team)
    return list(session.scalars(query))


def cases_of_agent(session: Session, agent_id: int, *, limit: int = 50) -> list[Case]:
    """Open cases an agent owns, highest priority first (``/mentiondesk mine``)."""
    query = (
        select(Case)
        .where(Case.assignee_id == agent_id, Case.state.in_(OPEN_STATES))
        .options(selectinload(Case.mentions))
        .order_by(Case.priority.desc(), Case.opened_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def queue_stats(session: Session) -> dict:
    """Cases per state, open tier-1 cases and the median minutes from arrival to claim."""
    from sqlalchemy import func

    per_state = {state.value: n for state, n in session.execute(select(Case.state, func.count()).group_by(Case.state))}
    open_p1 = session.scalar(select(func.count()).select_from(Case).where(
        Case.state.in_(OPEN_STATES), Case.tier == "tier1")) or 0
    waits = sorted((claimed - opened).total_seconds() / 60 for opened, claimed in session.execute(
        select(Case.opened_at, Case.claimed_at).where(Case.claimed_at.is_not(None))))
    median = None
    if waits:
        mid = len(waits) // 2
        median = waits[mid] if len(waits) % 2 else (waits[mid - 1] + waits[mid]) / 2
    return {"per_state": per_state, "open_p1": open_p1, "median_minutes_to_claim": median}
