"""Reading cases for views (queue listings). Actions that change cases live in ``bot.actions``."""

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
