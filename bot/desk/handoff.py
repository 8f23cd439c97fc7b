"""What an escalation hands over: who must be told, why, and the case's history so far.

Platform-neutral: the Slack adapter (and later Discord) turns a :class:`Handoff` into a thread
message under the case's card in the receiving team's channel, pinging the people listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.desk.people import Person, people
from storage.models import Agent, Event, Role, Team

# Who is pinged for each escalation level: the receiving team's leads, and for "pr" the PR people.
LEVEL_ROLES = {"team": ("lead",), "lead": ("lead",), "pr": ("pr", "lead")}
HISTORY_LIMIT = 30


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    type: str
    actor: str
    detail: str


@dataclass(frozen=True)
class Handoff:
    case_id: int
    to_team: str
    level: str
    reason: str
    by: str
    people: list[Person] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)


def _detail(event: Event) -> str:
    payload = event.payload or {}
    for key in ("reason", "text", "note", "assignee", "tier", "channel"):
        if payload.get(key):
            return str(payload[key])
    return ""


def latest_handoff(session: Session, case_id: int) -> Handoff | None:
    """The handoff of the case's latest escalation, or ``None`` if it was never escalated."""
    escalation = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "escalated")
                                 .order_by(Event.id.desc()).limit(1)).first()
    if escalation is None:
        return None
    payload = escalation.payload or {}
    to_team, level = payload.get("to_team", ""), payload.get("level", "team")
    roles = LEVEL_ROLES.get(level, ("lead",))
    agents = session.scalars(select(Agent).join(Agent.teams).where(Team.name == to_team, Agent.active.is_(True),
                                                                    Agent.role.in_([Role(r) for r in roles]))
                           .order_by(Agent.name)).all()
    if level == "pr":  # PR is not bound to the receiving team
        agents = list(dict.fromkeys([*agents, *session.scalars(
            select(Agent).where(Agent.role == Role.PR, Agent.active.is_(True)).order_by(Agent.name)).all()]))
    events = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)).all()
    history = [HistoryLine(e.created_at, e.type, e.actor, _detail(e)) for e in events][-HISTORY_LIMIT:]
    return Handoff(case_id, to_team, level, str(payload.get("reason", "")), escalation.actor,
                   list(people(agents)), history)
