"""The routing decision itself: pure, so scenarios, the live desk and the dry run share it.

``decide(policy, case, desk)`` walks the configured chain of steps over what is known about the
new case (:class:`CaseFacts`) and the desk at that moment (:class:`DeskState`) and returns a
:class:`RoutingDecision`: the team, the agent (or nobody), the team's mode, and every step that
fired with what it found, in words. Nothing here reads the database or the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.config_routing import AGENT_STEPS, RoutingConfig
from bot.routing.shifts import describe, on_shift

# Supervisors read reports; they never get cases.
ROUTABLE_ROLES = ("agent", "lead", "pr")


@dataclass(frozen=True)
class Candidate:
    """An agent as routing sees them at one moment."""

    id: int
    name: str
    role: str
    teams: frozenset[str]
    skills: frozenset[str] = frozenset()
    open_cases: int = 0


@dataclass(frozen=True)
class CaseFacts:
    text: str
    topic: str | None
    topic_team: str | None  # the team triage chose from the topic (or the default team)
    at: datetime
    lang: str | None = None
    sentiment_score: float = 0.0
    followers: int = 0
    verified: bool = False
    crm_tier: str | None = None
    abusive: bool = False  # triage flagged insults, harassment or threats (bot/triage/abuse.py)
    abuse: str | None = None  # what kind, in words ("insults staff")


@dataclass(frozen=True)
class DeskState:
    agents: tuple[Candidate, ...]
    queue_sizes: dict[str, int] = field(default_factory=dict)  # unclaimed open cases per team
    last_agent_id: int | None = None  # who handled this customer's latest earlier case
    crisis_topics: frozenset[str] = frozenset()
    away: frozenset[int] = frozenset()  # agents their team platform shows as away (presence)


@dataclass(frozen=True)
class Step:
    step: str
    outcome: str  # team, agent, unavailable (applied but nobody fit), skipped (did not apply)
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step, "outcome": self.outcome, "detail": self.detail}


@dataclass(frozen=True)
class RoutingDecision:
    team: str | None
    mode: str  # suggest / auto
    agent_id: int | None
    agent_name: str | None
    reason: str  # why this agent (or why nobody)
    steps: tuple[Step, ...]
    crisis: bool = False
    holding_statement: str | None = None

    @property
    def notes(self) -> list[str]:
        """What was tried and did not fit ("last agent Ana is off shift")."""
        return [s.detail for s in self.steps if s.outcome == "unavailable"]

    @property
    def team_reason(self) -> str:
        picks = [s.detail for s in self.steps if s.outcome == "team"]
        return picks[-1] if picks else "no team step fired"

    @property
    def explanation(self) -> str:
        """One line for people: "Suggested: Ana Ortiz — last agent for this customer"."""
        if self.agent_name is None:
            head = f"Nobody assigned — {self.reason}"
        else:
            head = f"{'Assigned to' if self.mode == 'auto' else 'Suggested'}: {self.agent_name} — {self.reason}"
        notes = [n for n in self.notes if n != self.reason]
        return head + (f" ({'; '.join(notes)})" if notes else "")

    def as_dict(self) -> dict[str, Any]:
        return {"team": self.team, "mode": self.mode, "agent_id": self.agent_id, "agent": self.agent_name,
                "reason": self.reason, "team_reason": self.team_reason, "explanation": self.explanation,
                "crisis": self.crisis, "holding_statement": self.holding_statement,
                "steps": [s.as_dict() for s in self.steps]}


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text, re.IGNORECASE) is not None


class _Walk:
    """One walk down the chain: the state the steps share."""

    def __init__(self, policy: RoutingConfig, facts: CaseFacts, desk: DeskState):
        self.policy, self.facts, self.desk = policy, facts, desk
        self.team: str | None = None
        self.crisis = False
        self.agent: Candidate | None = None
        self.reason = ""
        self.steps: list[Step] = []

    def note(self, step: str, outcome: str, detail: str) -> None:
        self.steps.append(Step(step, outcome, detail))

    # --- eligibility ---------------------------------------------------------------------------

    def why_not(self, agent: Candidate) -> str | None:
        """Why ``agent`` cannot take the case now; None when they can."""
        settings = self.policy.agent(agent.name)
        if agent.role not in ROUTABLE_ROLES:
            return f"{agent.name} is a {agent.role}"
        if self.team not in agent.teams:
            return f"{agent.name} is not in team {self.team}"
        if not on_shift(settings, self.facts.at):
            return f"{agent.name} is off shift ({describe(settings)})"
        if agent.id in self.desk.away:
            return f"{agent.name} is away on Slack"
        if settings.max_open is not None and agent.open_cases >= settings.max_open:
            return f"{agent.name} is at their cap ({agent.open_cases}/{settings.max_open} open cases)"
        return None

    def eligible(self) -> list[Candidate]:
        return [a for a in self.desk.agents if self.why_not(a) is None]

    def pick(self, step: str, agents: list[Candidate], reason: str, *, key=None) -> bool:
        if not agents:
            return False
        chosen = min(agents, key=key or (lambda a: (a.open_cases, a.name)))
        self.agent, self.reason = chosen, reason.format(agent=chosen)
        self.note(step, "agent", self.reason)
        return True

    # --- team steps ----------------------------------------------------------------------------

    def crisis_step(self) -> None:
        topic = self.facts.topic
        if self.policy.crisis is None or topic not in self.desk.crisis_topics:
            return self.note("crisis", "skipped", "topic not in crisis mode")
        self.team, self.crisis = self.policy.crisis.team, True
        self.note("crisis", "team", f"topic {topic} is in crisis mode → crisis team {self.team}")

    def abusive_step(self) -> None:
        if self.team is not None:
            return
        team = self.policy.abusive_team
        if not self.facts.abusive:
            return self.note("abusive", "skipped", "not flagged abusive")
        if team is None:
            return self.note("abusive", "skipped", "flagged abusive; no team has abusive: true")
        self.team = team
        self.note("abusive", "team", f"abusive ({self.facts.abuse or 'flagged by triage'}) → {team}")

    def keywords_step(self) -> None:
        if self.team is not None:
            return
        for name, team in self.policy.teams.items():
            for phrase in team.keywords:
                if _has_phrase(self.facts.text, phrase):
                    self.team = name
                    return self.note("keywords", "team", f"keyword “{phrase}” → {name}")
        self.note("keywords", "skipped", "no team keyword in the text")

    def topic_step(self) -> None:
        if self.team is not None:
            return
        self.team = self.facts.topic_team
        if self.facts.topic:
            self.note("topic", "team", f"topic {self.facts.topic} → {self.team}")
        else:
            self.note("topic", "team", f"no topic → default team {self.team}")

    def overflow_step(self) -> None:
        if self.team is None or self.crisis:
            return
        settings = self.policy.team(self.team)
        queued = self.desk.queue_sizes.get(self.team, 0)
        if settings.queue_limit is None or queued < settings.queue_limit:
            return self.note("overflow", "skipped", f"{self.team} queue {queued} within limit")
        backup = settings.overflow_to
        self.note("overflow", "team",
                  f"{self.team} queue at {queued} (limit {settings.queue_limit}) → overflow to {backup}")
        self.team = backup

    # --- agent steps ---------------------------------------------------------------------------

    def last_agent_step(self) -> bool:
        last = next((a for a in self.desk.agents if a.id == self.desk.last_agent_id), None)
        if last is None:
            self.note("last_agent", "skipped", "no earlier agent for this customer")
            return False
        if (why := self.why_not(last)) is not None:
            self.note("last_agent", "unavailable", f"last agent {why}")
            return False
        return self.pick("last_agent", [last], "last agent for this customer")

    def vip_reasons(self) -> list[str]:
        vip, facts = self.policy.vip, self.facts
        reasons = []
        if facts.followers >= vip.min_followers:
            reasons.append(f"{facts.followers:,} followers")
        if vip.verified and facts.verified:
            reasons.append("verified")
        if facts.crm_tier and facts.crm_tier in vip.crm_tiers:
            reasons.append(f"CRM {facts.crm_tier}")
        return reasons

    def vip_senior_step(self) -> bool:
        reasons = self.vip_reasons()
        if not reasons:
            self.note("vip_senior", "skipped", "not a VIP")
            return False
        seniors = [a for a in self.eligible() if self.policy.agent(a.name).senior]
        if self.pick("vip_senior", seniors, f"VIP ({', '.join(reasons)}) → senior agent"):
            return True
        self.note("vip_senior", "unavailable", f"VIP ({', '.join(reasons)}) but no senior agent of {self.team} available")
        return False

    def most_negative_step(self) -> bool:
        score = self.facts.sentiment_score
        if score > self.policy.negative_below:
            self.note("most_negative", "skipped", f"sentiment {score:+.2f} not strongly negative")
            return False
        rated = [a for a in self.eligible() if self.policy.agent(a.name).satisfaction is not None]
        best = lambda a: (-(self.policy.agent(a.name).satisfaction or 0), a.open_cases, a.name)  # noqa: E731
        if rated:
            top = min(rated, key=best)
            sat = self.policy.agent(top.name).satisfaction
            return self.pick("most_negative", [top],
                             f"strongly negative ({score:+.2f}) → best satisfaction score ({sat:.2f})", key=best)
        self.note("most_negative", "unavailable", f"strongly negative ({score:+.2f}) but no rated agent available")
        return False

    def needed_skills(self) -> list[str]:
        needed = []
        skill = self.policy.topic_skills.get(self.facts.topic or "")
        if skill:
            needed.append(skill)
        lang = (self.facts.lang or "").lower()
        if self.policy.language_skills and lang and lang != "en" and any(lang in a.skills for a in self.desk.agents):
            needed.append(lang)
        return needed

    def skills_step(self) -> bool:
        needed = self.needed_skills()
        if not needed:
            self.note("skills", "skipped", "no skill needed")
            return False
        fit = [a for a in self.eligible() if set(needed) <= a.skills]
        if self.pick("skills", fit, f"has skill {', '.join(needed)}"):
            return True
        self.note("skills", "unavailable", f"nobody available with skill {', '.join(needed)}")
        return False

    def least_loaded_step(self) -> bool:
        pool = self.eligible()
        if pool:
            fewest = min(a.open_cases for a in pool)
            return self.pick("least_loaded", pool,
                             f"least loaded agent on shift in {self.team} ({fewest} open case{'s' if fewest != 1 else ''})")
        members = [a for a in self.desk.agents if self.team in a.teams and a.role in ROUTABLE_ROLES]
        why = "; ".join(self.why_not(a) or "" for a in members[:4])
        self.note("least_loaded", "unavailable",
                  f"nobody in {self.team} is on shift and under their cap" + (f": {why}" if why else ""))
        return False


def decide(policy: RoutingConfig, facts: CaseFacts, desk: DeskState) -> RoutingDecision:
    walk = _Walk(policy, facts, desk)
    team_steps = {"crisis": walk.crisis_step, "abusive": walk.abusive_step, "keywords": walk.keywords_step,
                  "topic": walk.topic_step, "overflow": walk.overflow_step}
    agent_steps = {"last_agent": walk.last_agent_step, "vip_senior": walk.vip_senior_step,
                   "most_negative": walk.most_negative_step, "skills": walk.skills_step,
                   "least_loaded": walk.least_loaded_step}
    # Team steps first, whatever their place in the chain: an agent is only chosen within a team.
    for name in policy.chain:
        if name in team_steps:
            team_steps[name]()
    if walk.team is None:
        walk.team = facts.topic_team
        walk.note("topic", "team", f"no team step chose → triage's team {walk.team}")
    for name in policy.chain:
        if name in AGENT_STEPS and agent_steps[name]():
            break
    if walk.agent is None:
        walk.reason = f"left in the {walk.team} queue"
    mode = policy.team(walk.team).mode
    return RoutingDecision(
        team=walk.team, mode=mode, agent_id=walk.agent.id if walk.agent else None,
        agent_name=walk.agent.name if walk.agent else None, reason=walk.reason, steps=tuple(walk.steps),
        crisis=walk.crisis, holding_statement=policy.holding_statement(facts.topic) if walk.crisis else None,
    )
