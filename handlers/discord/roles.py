"""Discord roles → mentiondesk roles, from ``config.discord.roles``.

A member with several mapped roles gets the first in :data:`PRECEDENCE`: the rarest, most
specific duty first (PR approves, leads reassign), so giving a lead the agent role too changes
nothing. What each role may do is decided by ``bot.desk.actions``, never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.core.config import Config

PRECEDENCE = ("pr", "lead", "agent", "supervisor")


def uses_roles(config: Config) -> bool:
    roles = config.discord.roles
    return any(getattr(roles, name) for name in PRECEDENCE)


def mapped_role(config: Config, role_ids: Iterable[str]) -> str | None:
    held = set(role_ids)
    for name in PRECEDENCE:
        if held.intersection(getattr(config.discord.roles, name)):
            return name
    return None


def member_role_ids(user: Any) -> set[str]:
    """The role ids of the member who pressed, as the interaction carries them.

    ``Member.roles`` resolves ids through the guild's role cache, which the gateway fills; the
    ids themselves come with every guild interaction (``member.roles``) and are what we map."""
    cached = {str(r.id) for r in getattr(user, "roles", None) or () if getattr(r, "id", None)}
    raw = {str(r) for r in getattr(user, "_roles", None) or ()}
    return (cached | raw) - ({str(user.guild.id)} if getattr(user, "guild", None) else set())
