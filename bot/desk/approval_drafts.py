"""A reply draft waiting for PR, as every approval message shows it (Slack, Discord, console):
the text, who wrote it, why it needs approval and who may approve it. Each adapter renders it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.desk.people import Person, people
from storage.models import Agent, Event, OutboxEntry, Role


@dataclass(frozen=True)
class DraftView:
    case_id: int
    outbox_id: int
    text: str
    author: Person | None
    why: str
    pr_people: tuple[Person, ...]


def load_draft(session: Session, case_id: int, outbox_id: int) -> DraftView | None:
    """The draft, read afresh (None if it is not a reply of this case)."""
    entry = session.get(OutboxEntry, outbox_id, populate_existing=True)
    if entry is None or entry.case_id != case_id:
        return None
    author = session.get(Agent, entry.author_agent_id) if entry.author_agent_id else None
    request = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "approval_requested")
                              .order_by(Event.id.desc())).first()
    why = (request.payload or {}).get("why", "sensitive") if request else "sensitive"
    pr = session.scalars(select(Agent).where(Agent.role == Role.PR, Agent.active.is_(True)).order_by(Agent.name))
    return DraftView(case_id, outbox_id, entry.text, Person.of(author) if author else None, str(why), people(pr))
