"""Crisis mode per topic: the platform-neutral switch behind ``mentiondesk mode`` and the alert's button.

While a topic is in crisis mode, routing sends its new cases to the crisis team with the holding
statement as the suggested reply (``bot/routing/``), and every reply on the topic waits for PR
approval (``ReplyPolicy.approval_reason``). Each switch is one append-only ``topic_mode_switch``
row, and one ``crisis_mode`` event on every open case of the topic so each case's history shows
it. Only PR and leads may switch from a team platform; on the command line the operator names
the agent they act as (``--by``), who must hold the PR, lead or supervisor role. A refused try is
logged too. The ``system`` platform (the dry run's throw-away desk) may always switch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.desk.actions import Actor, first_unknown_refusal
from bot.core.config import Config
from storage import queries
from storage.models import OPEN_STATES, Case, Role
from storage.modes import MODES, REFUSED, switch_mode

SWITCH_ROLES = frozenset({Role.PR, Role.LEAD})
# The command line is run by someone with the database in hand, such as the supervisor on duty
# during an incident; they still switch in the name of a known person with authority.
CLI_SWITCH_ROLES = frozenset({Role.PR, Role.LEAD, Role.SUPERVISOR})


@dataclass(frozen=True)
class ModeResult:
    ok: bool
    topic: str
    mode: str
    changed: bool = False
    reason: str | None = None
    open_cases: list[int] = field(default_factory=list)  # open cases of the topic (cards to refresh)


def set_topic_mode(session: Session, config: Config, topic: str, mode: str, actor: Actor, *, reason: str | None = None,
                   now: datetime | None = None) -> ModeResult:
    """Switch ``topic`` into ``mode`` (crisis or normal) in ``actor``'s name: on team platforms they
    need the PR or lead role, on the command line PR, lead or supervisor."""
    now = now or datetime.now(timezone.utc)
    if mode not in MODES:
        return ModeResult(False, topic, mode, reason=f"unknown mode {mode!r}; use crisis or normal")
    if topic not in config.triage.topics:
        known = ", ".join(sorted(config.triage.topics)) or "none"
        return ModeResult(False, topic, mode, reason=f"unknown topic {topic!r} (configured topics: {known})")
    if mode == "crisis" and (config.routing is None or config.routing.crisis is None):
        return ModeResult(False, topic, mode, reason="no crisis team configured (routing.crisis.team in the config)")
    roles = CLI_SWITCH_ROLES if actor.platform == "cli" else SWITCH_ROLES
    if actor.platform != "system" and (actor.agent_id is None or actor.role not in roles):
        names = sorted(r.value for r in roles)
        allowed = ", ".join(names[:-1]) + " or " + names[-1]
        why = (f"{actor.user_id!r} is not registered as an agent in mentiondesk" if actor.agent_id is None
               else f"only {allowed} can switch crisis mode ({actor.label} is {actor.role.value})")
        # Someone unknown is recorded once per window (bot.desk.actions.first_unknown_refusal), then counted.
        if actor.agent_id is not None or first_unknown_refusal(session, actor, f"crisis:{mode}", now):
            switch_mode(session, topic, REFUSED, actor=actor.label, source=actor.platform, reason=f"{mode}: {why}",
                        at=now)
        return ModeResult(False, topic, mode, reason=why)
    row = switch_mode(session, topic, mode, actor=actor.label, source=actor.platform, reason=reason, at=now)
    open_cases = list(session.scalars(select(Case.id).where(Case.topic == topic, Case.state.in_(OPEN_STATES))
                                      .order_by(Case.id)))
    if row is None:
        return ModeResult(True, topic, mode, changed=False, reason=f"topic {topic} is already in {mode} mode",
                          open_cases=open_cases)
    for case_id in open_cases:
        queries.add_event(session, case_id, "crisis_mode", actor=actor.label, source=actor.platform,
                          actor_agent_id=actor.agent_id, at=now,
                          payload={"topic": topic, "mode": mode, "switch_id": row.id, "reason": reason})
    return ModeResult(True, topic, mode, changed=True, open_cases=open_cases)
