"""Keep the team and agent tables in step with the config (the config is the source of truth)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Config
from storage.models import Agent, Role, Team


def sync_directory(session: Session, config: Config) -> None:
    teams = {t.name: t for t in session.scalars(select(Team))}
    for spec in config.teams:
        team = teams.get(spec.name) or Team(name=spec.name)
        team.slack_channel = spec.channels.slack
        team.discord_channel = spec.channels.discord
        session.add(team)
        teams[spec.name] = team
    agents = {a.name: a for a in session.scalars(select(Agent))}
    configured = set()
    for spec in config.agents:
        agent = agents.get(spec.name) or Agent(name=spec.name)
        agent.role = Role(spec.role)
        agent.slack_user_id = spec.slack_user_id
        agent.discord_user_id = spec.discord_user_id
        agent.email = spec.email
        agent.skills = list(spec.skills)
        agent.active = True
        agent.teams = [teams[name] for name in spec.teams]
        session.add(agent)
        configured.add(spec.name)
    # People removed from the config lose access but keep their history.
    for name, agent in agents.items():
        if name not in configured:
            agent.active = False
    session.flush()
