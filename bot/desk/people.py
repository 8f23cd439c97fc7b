"""People as pings and handoffs name them: a name, and their user id on each team platform.

Platform-neutral on purpose: the escalation engine and the handoff say *who*; each adapter asks
:meth:`Person.id_on` for its own platform's id and renders the mention its way. A new team
platform adds its id column to :data:`PLATFORM_ID_COLUMNS`, nothing else here changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storage.models import Agent

#: The agent column holding each team platform's user id.
PLATFORM_ID_COLUMNS: dict[str, str] = {"slack": "slack_user_id", "discord": "discord_user_id"}


@dataclass(frozen=True)
class Person:
    name: str
    #: User id per team platform ("slack", "discord"); a platform missing means not on it.
    user_ids: Mapping[str, str] = field(default_factory=dict)

    def id_on(self, platform: str) -> str | None:
        return self.user_ids.get(platform)

    @classmethod
    def of(cls, agent: Agent) -> Person:
        ids = {platform: getattr(agent, column) for platform, column in PLATFORM_ID_COLUMNS.items()
               if getattr(agent, column, None)}
        return cls(agent.name, ids)


def people(agents: Iterable[Agent]) -> tuple[Person, ...]:
    return tuple(Person.of(agent) for agent in agents)
