"""Keep the team and agent tables in step with the config (the config is the source of truth)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.config import Config
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
    _release_platform_ids(session, config, agents)
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


def _release_platform_ids(session: Session, config: Config, agents: dict[str, Agent]) -> None:
    """Someone first known by a platform role (see :func:`sync_platform_member`), now listed in
    ``agents[]`` under a name: their user id moves to the listed row (ids are unique)."""
    listed = {spec.name: spec for spec in config.agents}
    wanted = {(key, getattr(spec, key)): name for name, spec in listed.items()
              for key in ("slack_user_id", "discord_user_id") if getattr(spec, key)}
    released = False
    for agent in agents.values():
        for key in ("slack_user_id", "discord_user_id"):
            owner = wanted.get((key, getattr(agent, key)))
            if owner is not None and owner != agent.name and agent.name not in listed:
                setattr(agent, key, None)
                released = True
    if released:
        session.flush()  # before the listed row takes the id: unique constraints check each statement


def sync_platform_member(session: Session, config: Config, platform: str, user_id: str, display_name: str,
                         role: str | None) -> None:
    """A person known to a team platform by a role (Discord roles mapped in ``config.discord.roles``)
    rather than by name in ``agents[]``: keep their agent row in step with that role.

    ``agents[]`` wins: a configured person keeps the role the config gives them. Someone whose
    mapped roles were all taken away (``role`` None) loses access at their next press. Rows made
    here are deactivated by :func:`sync_directory` at start-up and come back at the next press.
    """
    column = {"discord": Agent.discord_user_id, "slack": Agent.slack_user_id}[platform]
    agent = session.scalars(select(Agent).where(column == user_id)).first()
    if agent is not None and agent.name in {a.name for a in config.agents}:
        return
    if role is None:
        if agent is not None:
            agent.active = False
        return
    if agent is None:
        name = (display_name or user_id).strip()[:150] or user_id
        if session.scalars(select(Agent.id).where(Agent.name == name)).first() is not None:
            name = f"{name} ({platform} {user_id})"
        agent = Agent(name=name, skills=[])
        setattr(agent, column.key, user_id)
    agent.role = Role(role)
    agent.active = True
    session.add(agent)
    session.flush()
