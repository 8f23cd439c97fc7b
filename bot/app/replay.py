"""Dry run: past mentions through triage, routing and escalation, nothing posted, nothing kept.

The run uses a throw-away SQLite database in a temporary folder and no team-platform adapter,
so nothing reaches Slack or the real database. Each mention is handled as of its own
``created_at`` (shifts and business hours as they were then), in time order, and the desk fills
up as it would have: cases nobody claims stay in the queue (overflow), auto-assigned ones
count against caps. A team can edit its rules and see, before going live, where each mention
would have gone and which rules fired.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.desk.actions import Actor
from bot.core.config import Config
from bot.core.mention import Mention
from storage.models import Case

BATCH = 200


@dataclass(frozen=True)
class ReplayRow:
    mention_id: str
    created_at: str
    tier: str
    intent: str
    topic: str | None
    score: float
    case_id: int | None
    joined: bool  # joined an earlier case of the same conversation
    team: str | None = None
    agent: str | None = None
    mode: str | None = None
    explanation: str | None = None
    rules: list[str] = field(default_factory=list)  # triage reasons, routing steps, escalation category
    escalation: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _routing_rules(routing: dict | None) -> list[str]:
    if not routing:
        return []
    return [f"{s['step']}: {s['detail']}" for s in routing.get("steps", []) if s.get("outcome") != "skipped"]


def dry_run(config: Config, mentions: Sequence[Mention], *, escalation_map: Any = None,
            crisis: Sequence[str] = ()) -> list[ReplayRow]:
    """Replay ``mentions`` (any order; handled in time order) and say what would have happened."""
    from bot.desk.crisis import set_topic_mode
    from bot.app.runtime import Runtime
    from storage.db import transaction

    ordered = sorted(mentions, key=lambda m: m.created_at)
    rows: list[ReplayRow] = []
    with tempfile.TemporaryDirectory(prefix="mentiondesk-replay-") as folder:
        runtime = Runtime.build(config, database=f"sqlite:///{Path(folder) / 'replay.db'}")
        try:
            if escalation_map is not None:
                from escalation.engine import EscalationEngine

                runtime.ingest.case_openers.append(EscalationEngine(runtime.sessions, escalation_map).start_case)
            if crisis:
                with transaction(runtime.sessions) as session:
                    for topic in crisis:
                        result = set_topic_mode(session, config, topic, "crisis", Actor("system", "replay", name="replay"),
                                                now=ordered[0].created_at if ordered else None)
                        if not result.ok:
                            raise ValueError(result.reason)
            for start in range(0, len(ordered), BATCH):
                batch = ordered[start:start + BATCH]
                with transaction(runtime.sessions) as session:
                    outcomes = runtime.ingest.ingest_many(session, batch, now=[m.created_at for m in batch])
                    for mention, outcome in zip(batch, outcomes):
                        rows.append(_row(session, mention, outcome))
        finally:
            runtime.close()
    return rows


def _row(session, mention: Mention, outcome) -> ReplayRow:
    result = outcome.result
    if result is None:  # the same (platform, id) twice in the file
        return ReplayRow(mention.external_id, mention.created_at.isoformat(), "duplicate", "-", None, 0.0, None, False)
    case = session.get(Case, outcome.case_id) if outcome.case_id else None
    rules = [f"triage: {r}" for r in result.reasons]
    row = dict(mention_id=mention.external_id, created_at=mention.created_at.isoformat(), tier=result.tier,
               intent=result.intent, topic=result.topic, score=round(result.score, 1), case_id=outcome.case_id,
               joined=bool(case) and not outcome.new_case)
    if case is None:
        return ReplayRow(**row, rules=rules)
    routing = case.routing if outcome.new_case else None
    escalation = (case.escalation or {}).get("category") if outcome.new_case else None
    rules += _routing_rules(routing)
    if escalation:
        rules.append(f"escalation: category {escalation}")
    return ReplayRow(**row, team=case.team, agent=(routing or {}).get("agent"), mode=(routing or {}).get("mode"),
                     explanation=(routing or {}).get("explanation"), rules=rules, escalation=escalation)
