"""Routing on the live desk: read the desk from the database, decide, write the decision.

:meth:`Router.route_case` runs inside the ingest transaction as a case opener (see
``IngestService.case_openers``), before the escalation snapshot, so a case is never visible
without its team and its routing explanation. In ``auto`` mode it assigns the case (state
``claimed``, event ``assigned`` by ``routing``); in ``suggest`` mode the card names the agent.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.core.config import Config
from bot.core.config_routing import RoutingConfig
from bot.routing.engine import Candidate, CaseFacts, DeskState, RoutingDecision, Step, decide
from storage import queries
from storage.models import OPEN_STATES, Agent, Case, CaseState, Customer, Mention
from storage.modes import crisis_topics


_ROSTER = "routing.roster"


def candidates(session: Session) -> tuple[Candidate, ...]:
    """Active agents with their teams, skills and current caseload (open cases they own)."""
    load = dict(session.execute(select(Case.assignee_id, func.count()).where(
        Case.assignee_id.is_not(None), Case.state.in_(OPEN_STATES)).group_by(Case.assignee_id)).all())
    return tuple(Candidate(id=a.id, name=a.name, role=a.role, teams=a.teams, skills=a.skills,
                           open_cases=load.get(a.id, 0)) for a in _roster(session))


def _roster(session: Session) -> tuple[Candidate, ...]:
    """The active agents, their teams and skills, read once per transaction: an ingest batch
    routes each of its new cases and the roster does not change under it (the caseloads do, and
    are read for every case)."""
    transaction = session.get_transaction()
    cached = session.info.get(_ROSTER)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    agents = session.scalars(select(Agent).where(Agent.active.is_(True)).options(selectinload(Agent.teams))
                             .order_by(Agent.id))
    roster = tuple(Candidate(id=a.id, name=a.name, role=a.role.value, teams=frozenset(t.name for t in a.teams),
                             skills=frozenset(s.lower() for s in a.skills or ()), open_cases=0) for a in agents)
    if transaction is not None:
        session.info[_ROSTER] = (transaction, roster)
    return roster


def queue_sizes(session: Session, *, exclude_case_id: int | None = None) -> dict[str, int]:
    """Open cases nobody owns yet, per team."""
    query = select(Case.team, func.count()).where(Case.state == CaseState.OPEN, Case.assignee_id.is_(None),
                                                  Case.team.is_not(None))
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    return dict(session.execute(query.group_by(Case.team)).all())


def last_agent_id(session: Session, customer_id: int | None, *, before_case_id: int | None = None) -> int | None:
    """The agent who owned this customer's most recent earlier case."""
    if customer_id is None:
        return None
    query = select(Case.assignee_id).where(Case.customer_id == customer_id, Case.assignee_id.is_not(None))
    if before_case_id is not None:
        query = query.where(Case.id != before_case_id)
    return session.scalars(query.order_by(Case.id.desc()).limit(1)).first()


def desk_state(session: Session, case: Case, *, away: frozenset[int] = frozenset()) -> DeskState:
    return DeskState(agents=candidates(session), queue_sizes=queue_sizes(session, exclude_case_id=case.id),
                     last_agent_id=last_agent_id(session, case.customer_id, before_case_id=case.id),
                     crisis_topics=crisis_topics(session), away=away)


class BatchDesk:
    """The desk as one ingest transaction sees it, read once and kept current by its own routing.

    Reading agents, caseloads, queues and crisis modes again for every case made routing most of
    the cost of ingest (five aggregate queries per case, each scanning the open cases). One batch
    of posts is routed against the desk as read at its first case, plus what this batch changed;
    auto-assignment still re-reads under the agent's row lock (``Router._confirmed``)."""

    KEY = "routing.batch_desk"

    def __init__(self, session: Session):
        self.agents = list(candidates(session))
        self.queues = queue_sizes(session)
        self.crisis = crisis_topics(session)
        # An ingest batch that writes its cases at its end (queries.OpeningBatch) read this before
        # any of them was stored: the case being routed is not in these counts, and each
        # customer's last agent is read here once for all the batch's customers.
        batch = self.batch = queries.OpeningBatch.of(session)
        self.unstored = batch is not None
        self.last_agents: dict[int, int] | None = None
        if batch is not None and batch.customer_ids:
            latest = select(func.max(Case.id)).where(Case.customer_id.in_(batch.customer_ids),
                                                     Case.assignee_id.is_not(None)).group_by(Case.customer_id)
            self.last_agents = dict(session.execute(select(Case.customer_id, Case.assignee_id)
                                                    .where(Case.id.in_(latest))).all())
        elif batch is not None:
            self.last_agents = {}

    @classmethod
    def of(cls, session: Session) -> "BatchDesk":
        """This transaction's desk (a session used for several transactions reads it again for each)."""
        transaction = session.get_transaction()
        held = session.info.get(cls.KEY)
        batch = queries.OpeningBatch.of(session)
        if held is None or held[0] is not transaction or (batch is not None and held[1].batch is not batch):
            held = session.info[cls.KEY] = (transaction, cls(session))
        return held[1]

    def state(self, session: Session, case: Case, away: frozenset[int]) -> DeskState:
        queues = dict(self.queues)
        if self.unstored:
            last = self.last_agents.get(case.customer_id) if self.last_agents is not None else None
        else:
            if case.team and case.state == CaseState.OPEN and case.assignee_id is None and queues.get(case.team):
                queues[case.team] -= 1  # as queue_sizes(exclude_case_id=case.id)
            last = last_agent_id(session, case.customer_id, before_case_id=case.id)
        return DeskState(agents=tuple(self.agents), queue_sizes=queues, last_agent_id=last,
                         crisis_topics=self.crisis, away=away)

    def routed(self, case: Case) -> None:
        """Count the case this batch just routed: in its team's queue, or in its agent's caseload."""
        if case.assignee_id is not None:
            self.agents = [replace(a, open_cases=a.open_cases + 1) if a.id == case.assignee_id else a
                           for a in self.agents]
            if self.last_agents is not None and case.customer_id is not None:
                self.last_agents[case.customer_id] = case.assignee_id
        elif case.state == CaseState.OPEN and case.team:
            self.queues[case.team] = self.queues.get(case.team, 0) + 1


def case_facts(session: Session, case: Case, config: Config) -> CaseFacts:
    batch = queries.OpeningBatch.of(session)
    if batch is not None and case.id in batch.by_id:  # not stored yet: its posts as filed so far
        first = min(batch.filed[case.id], key=lambda m: (m.created_at, m.id))
    else:
        first = session.scalars(select(Mention).where(Mention.case_id == case.id)
                                .order_by(Mention.created_at, Mention.id).limit(1)).first()
    customer = queries.customer_of(session, case.customer_id)
    default = config.team_for_topic(case.topic)
    return CaseFacts(
        text=first.text if first else "", topic=case.topic, topic_team=case.team or (default.name if default else None),
        at=case.opened_at, lang=first.lang if first else None, sentiment_score=case.sentiment_score,
        followers=max(first.author_followers if first else 0, customer.followers if customer else 0),
        verified=bool((first and first.author_verified) or (customer and customer.verified)),
        crm_tier=customer.crm_tier if customer else None, abusive=case.abusive, abuse=case.abuse,
    )


def incident_decision(policy: RoutingConfig, parent: Case) -> RoutingDecision:
    """A child case follows its incident's parent: same team, nobody of its own (the reply to the
    parent reaches it, see bot/routing/grouping.py)."""
    detail = f"same incident as case #{parent.id} → {parent.team}"
    crisis = bool(parent.routing and parent.routing.get("crisis"))
    return RoutingDecision(team=parent.team, mode=policy.team(parent.team).mode, agent_id=None, agent_name=None,
                           reason=f"part of incident #{parent.id}: answered with it", steps=(Step("incident", "team", detail),),
                           crisis=crisis, holding_statement=(parent.routing or {}).get("holding_statement") if crisis else None)


class Router:
    def __init__(self, config: Config):
        if config.routing is None:
            raise ValueError("the config has no routing: section")
        self.config = config
        self.policy = config.routing
        # Who Slack shows as away (bot/routing/presence.py), when routing.use_presence is on.
        self.presence = None
        if self.policy.use_presence:
            from bot.routing.presence import PresenceBoard

            self.presence = PresenceBoard()

    def decide(self, session: Session, case: Case, *, fresh: bool = True) -> RoutingDecision:
        """``fresh``: read the desk now; else the ingest batch's view of it (:class:`BatchDesk`)."""
        away = self.presence.away() if self.presence is not None else frozenset()
        state = desk_state(session, case, away=away) if fresh else BatchDesk.of(session).state(session, case, away)
        return decide(self.policy, case_facts(session, case, self.config), state)

    def _confirmed(self, session: Session, case: Case, decision: RoutingDecision) -> RoutingDecision:
        """Auto-assignment with several ingests at once (replicas, threads): lock the chosen
        agent's row, so assignments to one person queue up, then decide again on the caseloads
        committed meanwhile; a cap is never passed because two cases were routed at the same
        moment. (SQLite has no row locks but lets one writer at a time, which is as good.)"""
        for _ in range(3):
            if decision.mode != "auto" or decision.agent_id is None:
                return decision
            session.flush()  # the batch's cases so far (an ingest batch writes them at its end)
            session.execute(select(Agent.id).where(Agent.id == decision.agent_id).with_for_update())
            again = self.decide(session, case)
            if again.agent_id == decision.agent_id:
                return again
            decision = again
        # The choice kept moving: leave the case in the queue rather than assign unlocked.
        return RoutingDecision(decision.team, decision.mode, None, None, f"left in the {decision.team} queue "
                               "(the desk kept changing while routing)", decision.steps, decision.crisis,
                               decision.holding_statement)

    def route_case(self, session: Session, case: Case) -> RoutingDecision:
        batch = queries.OpeningBatch.of(session)
        if batch is not None:
            BatchDesk.of(session)  # read before the batch's first case, whichever it is
        if case.parent_id is not None:
            parent = batch.case(session, case.parent_id) if batch is not None else session.get(Case, case.parent_id)
            decision = incident_decision(self.policy, parent)
        else:
            decision = self._confirmed(session, case, self.decide(session, case, fresh=False))
        at = case.opened_at
        case.team = decision.team
        case.routing = decision.as_dict()
        queries.add_event(session, case.id, "routed", actor="routing", at=at, payload=decision.as_dict())
        if decision.mode == "auto" and decision.agent_id is not None:
            case.assignee_id, case.state, case.claimed_at = decision.agent_id, CaseState.CLAIMED, at
            queries.add_event(session, case.id, "assigned", actor="routing", at=at,
                              payload={"assignee": decision.agent_name, "reason": decision.reason})
        if batch is None:
            session.flush()
        held = session.info.get(BatchDesk.KEY)
        if held is not None and held[0] is session.get_transaction():
            held[1].routed(case)
        return decision

    route_case.batched = True  # type: ignore[attr-defined]  # decides against queries.OpeningBatch
