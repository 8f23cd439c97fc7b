"""The ``routing:`` section of the config: who gets a new case, as data the team edits.

Routing is a chain of typed steps tried in order (in the spirit of Grafana OnCall's escalation
chains). Team steps (``crisis``, ``abusive``, ``keywords``, ``topic``, ``overflow``) decide the queue; agent
steps (``last_agent``, ``vip_senior``, ``most_negative``, ``skills``, ``least_loaded``) decide
who, and the first agent step that finds someone eligible wins. Eligible always means: active,
works in the team, on shift at that moment and under their caseload cap.

Kept apart from ``bot/core/config.py`` (which only embeds it) so routing can grow without touching
the shared schema.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.core.timezones import check_time_zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TEAM_STEPS = ("crisis", "abusive", "keywords", "topic", "overflow")
AGENT_STEPS = ("last_agent", "vip_senior", "most_negative", "skills", "least_loaded")
DEFAULT_CHAIN = ["crisis", "abusive", "keywords", "topic", "overflow", "last_agent", "vip_senior", "most_negative",
                 "skills", "least_loaded"]
Step = Literal["crisis", "abusive", "keywords", "topic", "overflow", "last_agent", "vip_senior", "most_negative",
               "skills", "least_loaded"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d|24:00", value):
        raise ValueError(f"{value!r} is not a time of day (HH:MM, 00:00 to 24:00)")
    return value


def minutes_of(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


class Shift(_Strict):
    """One weekly window, in the agent's time zone. ``end`` at or before ``start`` runs past
    midnight (``22:00``–``06:00`` on ``fri`` ends Saturday 06:00)."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _times(cls, value: str) -> str:
        return _clock(value)

    @model_validator(mode="after")
    def _not_empty(self) -> "Shift":
        if self.start == self.end:
            raise ValueError("a shift cannot start and end at the same time (use 00:00-24:00 for all day)")
        return self


class AgentRouting(_Strict):
    max_open: int | None = Field(default=None, ge=1, description="Caseload cap: open cases this agent may own")
    senior: bool = Field(default=False, description="Takes VIP and high-influence customers")
    satisfaction: float | None = Field(default=None, ge=0, le=1,
                                       description="Customer satisfaction score (0..1); the best one gets the angriest posts")
    timezone: str = "UTC"
    shifts: list[Shift] | None = Field(default=None, description="Weekly shift windows; absent = always on shift")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)


class TeamRouting(_Strict):
    mode: Literal["suggest", "auto"] = Field(default="suggest",
                                             description="suggest: the card names an agent; auto: the case is assigned")
    keywords: list[str] = Field(default_factory=list,
                                description="Words or phrases that send a case here whatever its topic ('tv broken')")
    abusive: bool = Field(default=False,
                          description="Takes every case triage flags abusive (insults, harassment, threats at the "
                                      "brand or its staff), whatever its topic: a trust & safety team")
    queue_limit: int | None = Field(default=None, ge=0, description="Unclaimed cases above which new ones overflow")
    overflow_to: str | None = Field(default=None, description="Backup team for the overflow")

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("empty keyword")
        return [v.strip() for v in values]

    @model_validator(mode="after")
    def _overflow_pair(self) -> "TeamRouting":
        if self.queue_limit is not None and not self.overflow_to:
            raise ValueError("queue_limit needs overflow_to (the backup team)")
        return self


class Vip(_Strict):
    min_followers: int = Field(default=100_000, ge=0, description="This many followers counts as high influence")
    verified: bool = Field(default=True, description="Verified accounts count as VIP")
    crm_tiers: list[str] = Field(default_factory=lambda: ["platinum"], description="CRM tiers that count as VIP")


class Spikes(_Strict):
    """The spike detector: mentions per topic and sentiment in a sliding window, against the usual
    count for that hour of the day over the past days."""

    enabled: bool = True
    window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    min_count: int = Field(default=8, ge=1, description="Never alert below this many mentions in a window")
    ratio: float = Field(default=3.0, gt=1, description="Alert when the window holds this many times the usual count")
    baseline_days: int = Field(default=14, ge=1, le=90, description="Days of history that make 'usual'")
    sentiments: list[Literal["negative", "neutral", "positive"]] = Field(default_factory=lambda: ["negative", "neutral"])
    cooldown_minutes: int = Field(default=60, ge=0, description="No second alert for the same topic and sentiment within this")
    examples: int = Field(default=3, ge=0, le=10)


class Crisis(_Strict):
    team: str = Field(description="Team that takes every case of a topic in crisis mode")
    holding_statement: str = Field(
        default="We're aware of the issue and are looking into it urgently. We'll share an update here as soon as we can.",
        max_length=2000)
    holding_statements: dict[str, str] = Field(default_factory=dict, description="topic -> holding statement")
    spikes: Spikes = Field(default_factory=Spikes)


class Grouping(_Strict):
    """Posts about one incident become child cases of the first one (opt-in)."""

    enabled: bool = False
    window_minutes: int = Field(default=60, ge=1, description="A child opens at most this long after its parent")
    min_similarity: float = Field(default=0.3, gt=0, le=1, description="Share of words in common (Jaccard) to count as the same incident")


class RoutingConfig(_Strict):
    chain: list[Step] = Field(default_factory=lambda: list(DEFAULT_CHAIN))
    teams: dict[str, TeamRouting] = Field(default_factory=dict)
    agents: dict[str, AgentRouting] = Field(default_factory=dict)
    vip: Vip = Field(default_factory=Vip)
    negative_below: float = Field(default=-0.6, ge=-1, le=0,
                                  description="Sentiment at or below this counts as strongly negative")
    topic_skills: dict[str, str] = Field(default_factory=dict,
                                         description="topic -> skill an agent needs ('payments' -> 'billing')")
    language_skills: bool = Field(default=True, description="A post's language is a skill (agents list 'es', 'fr')")
    use_presence: bool = Field(default=False, description="Agents Slack shows as away are not routed to (even on shift)")
    crisis: Crisis | None = None
    grouping: Grouping = Field(default_factory=Grouping)

    @field_validator("chain")
    @classmethod
    def _chain(cls, steps: list[str]) -> list[str]:
        if len(set(steps)) != len(steps):
            raise ValueError("a step appears twice in the chain")
        return steps

    @model_validator(mode="after")
    def _abusive_team(self) -> "RoutingConfig":
        takers = [name for name, team in self.teams.items() if team.abusive]
        if len(takers) > 1:
            raise ValueError(f"teams {', '.join(takers)} all have abusive: true; one team takes abusive cases")
        if takers and "abusive" not in self.chain:
            raise ValueError(f"team {takers[0]} has abusive: true but the chain has no abusive step "
                             "(add it after crisis)")
        return self

    @property
    def abusive_team(self) -> str | None:
        """The team with ``abusive: true`` (a trust & safety team), if any."""
        return next((name for name, team in self.teams.items() if team.abusive), None)

    def team(self, name: str | None) -> TeamRouting:
        return self.teams.get(name or "", TeamRouting())

    def agent(self, name: str) -> AgentRouting:
        return self.agents.get(name, AgentRouting())

    def holding_statement(self, topic: str | None) -> str | None:
        if self.crisis is None:
            return None
        return self.crisis.holding_statements.get(topic or "", self.crisis.holding_statement)


def cross_check(routing: RoutingConfig, team_names: set[str], agent_names: set[str],
                topics: set[str]) -> list[tuple[tuple, str]]:
    """Problems that need the rest of the config: unknown teams, people, topics."""
    problems: list[tuple[tuple, str]] = []
    for name, team in routing.teams.items():
        if name not in team_names:
            problems.append((("routing", "teams", name), f"unknown team {name!r}"))
        if team.overflow_to and team.overflow_to not in team_names:
            problems.append((("routing", "teams", name, "overflow_to"), f"unknown team {team.overflow_to!r}"))
        if team.overflow_to == name:
            problems.append((("routing", "teams", name, "overflow_to"), "a team cannot overflow into itself"))
    for name in routing.agents:
        if name not in agent_names:
            problems.append((("routing", "agents", name), f"unknown agent {name!r}"))
    for topic in routing.topic_skills:
        if topic not in topics:
            problems.append((("routing", "topic_skills", topic), f"unknown topic {topic!r}"))
    if routing.crisis:
        if routing.crisis.team not in team_names:
            problems.append((("routing", "crisis", "team"), f"unknown team {routing.crisis.team!r}"))
        for topic in routing.crisis.holding_statements:
            if topic not in topics:
                problems.append((("routing", "crisis", "holding_statements", topic), f"unknown topic {topic!r}"))
    return problems
