"""A case's frozen escalation, typed: the chain of steps, its SLA and the business hours it uses.

Stored on the case as JSON when it opens (``case.escalation``), so later edits of the map do not
change running escalations; :meth:`Snapshot.to_json` / :meth:`Snapshot.from_json` are the only
places that know that JSON (version 1, unchanged since it was first stored).

The step kinds are one registry, :data:`STEP_KINDS`: each kind is a small frozen class that
knows how it is frozen from the map, stored, laid out in time (:meth:`walk`) and described to a
person. Adding a kind is one class here and its key in the map's ``Step``; nothing else branches
on kind names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, ClassVar

from bot.core.business_time import ALWAYS, WorkingTime
from bot.core.durations import format_duration
from escalation.map import BusinessHours, EscalationMap
from escalation.map import Step as MapStep

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Due:
    """One thing the engine must do at ``at``, at most once per case (``key``)."""

    key: str
    at: datetime
    kind: str  # notify_people | notify_group | post_to_channel | sla_warning | sla_breach | approval_overdue
    targets: tuple[str, ...] = ()
    sla: str | None = None  # claim | first_reply | approval, for sla_* items
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChainWalk:
    """Where laying a chain out in time has got to: the moment, the round, the step."""

    t: datetime
    hours: dict[str, BusinessHours]
    #: Moments at which a breach with ``next_step`` cut the wait in progress short.
    pending_advances: list[datetime]
    #: What a wait counts: the SLA's clock (business hours of the case's team, or 24/7).
    clock: WorkingTime = ALWAYS
    round: int = 0
    index: int = 0
    out: list[Due] = field(default_factory=list)

    def next_step(self) -> None:
        self.index += 1


class ChainStep:
    """One step kind. Subclasses are frozen dataclasses registered in :data:`STEP_KINDS`."""

    kind: ClassVar[str]

    @classmethod
    def from_map(cls, step: MapStep, emap: EscalationMap) -> ChainStep:
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChainStep:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def walk(self, walk: ChainWalk) -> None:
        """Lay this step out: add what is due, move the clock, move to the next step."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def business_hours_used(self) -> str | None:
        return None


@dataclass(frozen=True)
class PingStep(ChainStep):
    """notify_people / notify_group / post_to_channel: due at the moment the walk has reached."""

    targets: tuple[str, ...]

    verb: ClassVar[str] = "notify"

    @classmethod
    def from_map(cls, step, emap):
        value = step.value
        return cls(tuple(value) if isinstance(value, list) else (value,))

    @classmethod
    def from_json(cls, data):
        return cls(tuple(data["targets"]))

    def to_json(self):
        return {"kind": self.kind, "targets": list(self.targets)}

    def walk(self, walk):
        walk.out.append(Due(f"chain:{walk.round}:{walk.index}", walk.t, self.kind, self.targets,
                            detail={"step": walk.index + 1, "round": walk.round}))
        walk.next_step()

    def describe(self):
        return f"{self.verb} {', '.join(self.targets)}"


@dataclass(frozen=True)
class NotifyPeople(PingStep):
    kind = "notify_people"
    verb = "notify"


@dataclass(frozen=True)
class NotifyGroup(PingStep):
    kind = "notify_group"
    verb = "notify group"


@dataclass(frozen=True)
class PostToChannel(PingStep):
    kind = "post_to_channel"
    verb = "post to"


@dataclass(frozen=True)
class Wait(ChainStep):
    kind = "wait"
    seconds: int

    @classmethod
    def from_map(cls, step, emap):
        return cls(int(step.wait.total_seconds()))

    @classmethod
    def from_json(cls, data):
        return cls(int(data["seconds"]))

    def to_json(self):
        return {"kind": self.kind, "seconds": self.seconds}

    def walk(self, walk):
        end = walk.clock.after(walk.t, self.seconds)
        walk.pending_advances = [a for a in walk.pending_advances if a > walk.t]  # spent before this wait began
        if walk.pending_advances and walk.pending_advances[0] < end:
            end = walk.pending_advances.pop(0)
        walk.t = end
        walk.next_step()

    def describe(self):
        return f"wait {format_duration(timedelta(seconds=self.seconds))}"


@dataclass(frozen=True)
class WithinBusinessHours(ChainStep):
    kind = "business_hours"
    team: str

    @classmethod
    def from_map(cls, step, emap):
        return cls(step.business_hours)

    @classmethod
    def from_json(cls, data):
        return cls(data["team"])

    def to_json(self):
        return {"kind": self.kind, "team": self.team}

    def walk(self, walk):
        walk.t = walk.hours[self.team].next_open(walk.t)
        walk.next_step()

    def describe(self):
        return f"continue only within {self.team}'s business hours"

    def business_hours_used(self):
        return self.team


@dataclass(frozen=True)
class Repeat(ChainStep):
    kind = "repeat"
    times: int

    @classmethod
    def from_map(cls, step, emap):
        return cls(step.repeat)

    @classmethod
    def from_json(cls, data):
        return cls(int(data["times"]))

    def to_json(self):
        return {"kind": self.kind, "times": self.times}

    def walk(self, walk):
        if walk.round < self.times:
            walk.round, walk.index = walk.round + 1, 0
        else:
            walk.next_step()

    def describe(self):
        return f"repeat from the top ({self.times}×)"


#: Every step kind, by the key that names it in the map and in the stored snapshot.
STEP_KINDS: dict[str, type[ChainStep]] = {cls.kind: cls for cls in (
    NotifyPeople, NotifyGroup, PostToChannel, Wait, WithinBusinessHours, Repeat)}
PING_KINDS = tuple(kind for kind, cls in STEP_KINDS.items() if issubclass(cls, PingStep))


def step_from_map(step: MapStep, emap: EscalationMap) -> ChainStep:
    return STEP_KINDS[step.kind].from_map(step, emap)


def _hours_json(hours: BusinessHours) -> dict[str, Any]:
    def hhmm(t: time) -> str:
        return "24:00" if t == time.max else t.strftime("%H:%M")

    data = {"always": hours.always, "timezone": hours.timezone, "days": list(hours.days),
            "open": hhmm(hours.open), "close": hhmm(hours.close)}
    if hours.holidays:  # absent in snapshots stored before holidays existed: same JSON for them
        data["holidays"] = [d.isoformat() for d in hours.holidays]
    return data


@dataclass(frozen=True)
class SlaTerms:
    """The SLA of the case's tier, in seconds."""

    claim: int
    first_reply: int
    warn_before: int
    on_breach: tuple[str, ...]
    approval: int | None = None
    #: The team whose business hours the SLA counts (None: the 24/7 clock).
    hours_team: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"claim": self.claim, "first_reply": self.first_reply, "warn_before": self.warn_before,
                "on_breach": list(self.on_breach), "approval": self.approval}
        if self.hours_team:  # only then: a 24/7 snapshot stays the JSON it always was
            data["hours_team"] = self.hours_team
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SlaTerms:
        return cls(int(data["claim"]), int(data["first_reply"]), int(data["warn_before"]),
                   tuple(data.get("on_breach") or ()), data.get("approval"), data.get("hours_team"))


@dataclass(frozen=True)
class Snapshot:
    category: str | None
    team: str | None
    requires_approval: bool
    chain: tuple[ChainStep, ...]
    business_hours: dict[str, BusinessHours]
    sla: SlaTerms | None

    def sla_clock(self) -> WorkingTime:
        """The clock the SLA counts: the business hours it names, else 24/7."""
        team = self.sla.hours_team if self.sla else None
        return self.business_hours[team].working_time() if team in self.business_hours else ALWAYS

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SNAPSHOT_VERSION,
            "category": self.category,
            "team": self.team,
            "requires_approval": self.requires_approval,
            "chain": [step.to_json() for step in self.chain],
            "business_hours": {team: _hours_json(hours) for team, hours in self.business_hours.items()},
            "sla": self.sla.to_json() if self.sla else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        return cls(
            category=data.get("category"),
            team=data.get("team"),
            requires_approval=bool(data.get("requires_approval")),
            chain=tuple(STEP_KINDS[step["kind"]].from_json(step) for step in data.get("chain") or ()),
            business_hours={team: BusinessHours.model_validate(h)
                            for team, h in (data.get("business_hours") or {}).items()},
            sla=SlaTerms.from_json(data["sla"]) if data.get("sla") else None,
        )
