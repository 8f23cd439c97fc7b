"""The escalation map: one YAML file the team edits, validated with pydantic.

What it holds (see ``escalation/samples/escalation.example.yaml``):

* ``business_hours`` per team, in the team's time zone, or ``24/7``;
* ``sla`` per tier: time to claim, time to first reply, a warning before breach and what to do
  on breach (``release_claim``, ``next_step``, ``notify_lead``);
* ``categories``, tried in order: the first whose ``match`` fits the case gives its ``chain``,
  an ordered list of typed steps in the spirit of Grafana OnCall's escalation policies
  (``notify_people``, ``notify_group``, ``post_to_channel``, ``wait``, ``business_hours``,
  ``repeat``);
* ``approval``: sensitive topics that need PR approval and blocked keywords no one may send.

People and teams are the ones of the main config (``bot/samples/config.example.yaml``), so
the map is checked against it: an unknown team or person is an error naming the line.
``load_escalation_map(path, config)`` raises :class:`EscalationMapError` (file:line: problem).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.core.timezones import check_time_zone
from bot.core.business_time import WorkingTime
from bot.core.config import INTENTS, Config
from bot.core.yaml_source import LocatedYaml, SourceError, format_loc, load_yaml_with_lines, validation_problems
from bot.core.durations import parse_duration

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BREACH_ACTIONS = ("release_claim", "next_step", "notify_lead")
STEP_KINDS = ("notify_people", "notify_group", "post_to_channel", "wait", "business_hours", "repeat")


class EscalationMapError(SourceError):
    """An invalid escalation map; its message names the file, line and problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# --- business hours ------------------------------------------------------------------------------


def _clock(value: object) -> time:
    if isinstance(value, int):  # YAML reads 08:00 unquoted as a sexagesimal int (480)
        value = f"{value // 60:02d}:{value % 60:02d}"
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValueError(f"bad time {value!r}: write HH:MM, e.g. 08:30")
    hours, minutes = (int(p) for p in value.strip().split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"bad time {value!r}: hours 0-24, minutes 0-59")
    return time.max if hours == 24 else time(hours, minutes)


class BusinessHours(Strict):
    """When a team works. ``24/7`` (or ``always: true``) means always open."""

    always: bool = False
    timezone: str = "UTC"
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    open: Annotated[time, BeforeValidator(_clock)] = time(9, 0)
    close: Annotated[time, BeforeValidator(_clock)] = time(17, 0)
    holidays: list[date] = Field(default_factory=list, description="Days off (local dates, YYYY-MM-DD)")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("24/7", "always"):
            return {"always": True}
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)

    @model_validator(mode="after")
    def _window(self) -> "BusinessHours":
        if not self.always and self.close <= self.open:
            raise ValueError("close must be after open (night shifts: split them across two teams or use 24/7)")
        if not self.always and not self.days:
            raise ValueError("no working days: list some, or write 24/7")
        return self

    def working_time(self) -> WorkingTime:
        """The team's clock (bot/core/business_time.py): what SLA timers and reports count."""
        return WorkingTime(self.always, self.timezone, tuple(self.days), self.open, self.close,
                           frozenset(self.holidays))

    def is_open(self, at: datetime) -> bool:
        return self.working_time().is_open(at)

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when the team works then, else the next moment it starts working (UTC)."""
        return self.working_time().next_open(at)


# --- SLA -----------------------------------------------------------------------------------------


class SlaPolicy(Strict):
    claim: Duration = Field(description="Time from arrival to claim")
    first_reply: Duration = Field(description="Time from arrival to the first reply queued")
    warn_before: Duration = Field(default=timedelta(0), description="Warn this long before a breach (0: no warning)")
    on_breach: list[Literal["release_claim", "next_step", "notify_lead"]] = Field(default_factory=list)
    approval: Duration | None = Field(default=None, description="Time PR has to decide on a reply draft")
    clock: Literal["24/7", "business_hours"] = Field(
        default="24/7", description="business_hours: the SLA (and the chain's waits) count only the working time "
                                    "of the case's team (its business_hours entry; 24/7 if it has none)")

    @model_validator(mode="after")
    def _order(self) -> "SlaPolicy":
        if self.claim <= timedelta(0) or self.first_reply <= timedelta(0):
            raise ValueError("claim and first_reply must be longer than 0")
        if self.warn_before >= self.claim:
            raise ValueError("warn_before must be shorter than claim (the warning would come before arrival)")
        return self


# --- categories and their chains -----------------------------------------------------------------


class Match(Strict):
    """What a case must have to fall in a category. Every condition given must hold; a list
    holds when any of its values does."""

    tiers: list[Literal["tier1", "tier2"]] = Field(default_factory=list)
    intents: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="Whole words or phrases in the mention text")
    sentiments: list[Literal["negative", "neutral", "positive"]] = Field(default_factory=list)
    min_followers: int | None = Field(default=None, ge=0)
    vip: bool | None = Field(default=None, description="Verified author or a CRM tier listed in vip_crm_tiers")
    abusive: bool | None = Field(default=None, description="Triage flagged insults, harassment or threats at the "
                                                           "brand or its staff (bot/triage/abuse.py)")

    @field_validator("intents")
    @classmethod
    def _intents(cls, values: list[str]) -> list[str]:
        for v in values:
            if v not in INTENTS:
                raise ValueError(f"unknown intent {v!r}; known: {', '.join(INTENTS)}")
        return values

    def is_empty(self) -> bool:
        return not any((self.tiers, self.intents, self.topics, self.keywords, self.sentiments,
                        self.min_followers is not None, self.vip is not None, self.abusive is not None))


class Step(Strict):
    """One step of a chain: a mapping with exactly one of the step kinds as its key."""

    notify_people: list[str] | None = Field(default=None, description="Agent names from the config")
    notify_group: str | None = Field(default=None, description="Slack user group id (S...) or Discord role id")
    post_to_channel: str | None = Field(default=None, description="Slack channel id (C...)")
    wait: Duration | None = None
    business_hours: str | None = Field(default=None, description="Continue only within this team's hours")
    repeat: int | None = Field(default=None, ge=1, le=10, description="Run the chain again from the top N times")

    @model_validator(mode="after")
    def _one_kind(self) -> "Step":
        given = [k for k in STEP_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"a step has exactly one of {', '.join(STEP_KINDS)} (found {', '.join(given) or 'none'})")
        if self.notify_people is not None and not self.notify_people:
            raise ValueError("notify_people needs at least one name")
        if self.notify_group is not None and not re.fullmatch(r"S[A-Z0-9]{4,20}|\d{5,25}", self.notify_group):
            raise ValueError(f"{self.notify_group!r} is not a Slack user group id (S0123ABC) or Discord role id")
        if self.post_to_channel is not None and not re.fullmatch(r"[CG][A-Z0-9]{4,20}|\d{5,25}", self.post_to_channel):
            raise ValueError(f"{self.post_to_channel!r} is not a Slack channel id (C0123ABC) or Discord channel id")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in STEP_KINDS if getattr(self, k) is not None)

    @property
    def value(self) -> Any:
        return getattr(self, self.kind)


class Category(Strict):
    name: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    description: str = ""
    match: Match = Field(default_factory=Match)
    team: str | None = Field(default=None, description="Team that owns the category (its lead is notified on breach)")
    requires_approval: bool = Field(default=False, description="Replies in this category wait for PR approval")
    sla_clock: Literal["24/7", "business_hours"] | None = Field(
        default=None, description="Overrides the tier's SLA clock for this category (safety posts: 24/7)")
    chain: list[Step] = Field(default_factory=list)


class Approval(Strict):
    sensitive_topics: list[str] = Field(default_factory=list)
    blocked_keywords: list[str] = Field(default_factory=list)
    allow_self_approval: bool = Field(
        default=False, description="Let a PR person approve a reply they wrote themselves (default: another "
                                   "PR person must approve it)")


class EscalationMap(Strict):
    business_hours: dict[str, BusinessHours] = Field(default_factory=dict)
    sla: dict[Literal["tier1", "tier2"], SlaPolicy] = Field(default_factory=dict)
    vip_crm_tiers: list[str] = Field(default_factory=lambda: ["platinum", "gold"])
    categories: list[Category] = Field(default_factory=list)
    approval: Approval = Field(default_factory=Approval)

    def category(self, name: str) -> Category | None:
        return next((c for c in self.categories if c.name == name), None)


# --- loading -------------------------------------------------------------------------------------


def _cross_checks(emap: EscalationMap, config: Config | None) -> list[tuple[tuple, str]]:
    """Rules that need the main config or span sections; each problem has the path at fault."""
    problems: list[tuple[tuple, str]] = []
    teams = {t.name for t in config.teams} if config else None
    people = {a.name for a in config.agents} if config else None
    topics = set(config.triage.topics) if config else None

    def team_known(name: str, path: tuple) -> None:
        if teams is not None and name not in teams:
            problems.append((path, f"unknown team {name!r} (teams in the config: {', '.join(sorted(teams))})"))

    for name in emap.business_hours:
        team_known(name, ("business_hours", name))
    seen: set[str] = set()
    for i, cat in enumerate(emap.categories):
        base = ("categories", i)
        if cat.name in seen:
            problems.append(((*base, "name"), f"duplicate category {cat.name!r}"))
        seen.add(cat.name)
        if cat.team:
            team_known(cat.team, (*base, "team"))
        if topics is not None:
            for j, topic in enumerate(cat.match.topics):
                if topic not in topics:
                    problems.append(((*base, "match", "topics", j), f"unknown topic {topic!r}"))
        # A category after a catch-all one can never be chosen.
        if cat.match.is_empty() and i < len(emap.categories) - 1:
            later = emap.categories[i + 1].name
            problems.append(((*base, "match"), f"category {cat.name!r} matches every case, so {later!r} "
                                               "and the ones after it are unreachable (move it last)"))
        for j, step in enumerate(cat.chain):
            path = (*base, "chain", j)
            if step.kind == "notify_people" and people is not None:
                for k, person in enumerate(step.notify_people):
                    if person not in people:
                        problems.append(((*path, "notify_people", k), f"unknown person {person!r}"))
            if step.kind == "business_hours":
                team_known(step.business_hours, (*path, "business_hours"))
                if step.business_hours not in emap.business_hours and (teams is None or step.business_hours in teams):
                    problems.append(((*path, "business_hours"),
                                     f"team {step.business_hours!r} has no business_hours entry"))
            if step.kind == "repeat" and j < len(cat.chain) - 1:
                problems.append(((*base, "chain", j + 1), f"step {j + 2} of {cat.name!r} is unreachable: "
                                                         "the repeat before it jumps back to the top"))
            if step.kind == "repeat" and not any(s.kind == "wait" for s in cat.chain[:j]):
                problems.append(((*path, "repeat"), "repeat without a wait before it would ping everyone "
                                                    "again at once; add a wait step"))
    if topics is not None:
        for j, topic in enumerate(emap.approval.sensitive_topics):
            if topic not in topics:
                problems.append((("approval", "sensitive_topics", j), f"unknown topic {topic!r}"))
    return problems


def parse_escalation_map(located: LocatedYaml, config: Config | None = None) -> EscalationMap:
    if not isinstance(located.data, dict):
        raise EscalationMapError(located.file, [(1, "the file must be a mapping (categories:, sla:, ...)")])
    try:
        emap = EscalationMap.model_validate(located.data)
    except ValidationError as exc:
        raise EscalationMapError(located.file, validation_problems(located, exc)) from None
    if problems := _cross_checks(emap, config):
        raise EscalationMapError(located.file, [(located.line_of(p), f"{format_loc(p)}: {m}") for p, m in problems])
    return emap


def load_escalation_map(path: str | Path | None = None, config: Config | None = None) -> EscalationMap:
    """Load and validate a map; ``None`` means the bundled Skylark example. With ``config``,
    team, person and topic names are checked against it."""
    if path is None:
        text = resources.files("escalation.samples").joinpath("escalation.example.yaml").read_text(encoding="utf-8")
        return parse_escalation_map(load_yaml_with_lines("escalation.example.yaml (bundled)", text), config)
    try:
        located = load_yaml_with_lines(path)
    except SourceError as exc:
        raise EscalationMapError(exc.file, exc.problems) from None
    return parse_escalation_map(located, config)
