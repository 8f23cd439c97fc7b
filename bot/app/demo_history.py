"""Weeks of a working desk for the demo, simulated from a seed (``mentiondesk demo``).

Without it the demo is one afternoon nobody touched: ``stats`` and ``export`` show zeros, the
forecast has nothing to learn from, the dashboard charts hold one bar. This module writes what a
live desk would have written before today: customer posts arriving with a daily and weekly
rhythm, and the configured agents claiming, replying, escalating, getting sensitive replies
approved (or rejected) by PR and resolving cases, with delays drawn so that most SLAs are met
and some are breached (nights, weekends, rushes); resolved cases get the satisfaction survey and
about a third of the customers answer it.

Guarantees:

* Everything goes through the product's own code: posts through ``Runtime.ingest_batch``
  (triage, routing, the escalation snapshot), each agent's work through ``bot.desk.actions`` with the
  agent as actor and the simulated moment as ``now``, delivery through ``mark_reply_sent`` as the
  relay would record it. So ``stats``, ``export``, ``forecast``, the dashboard and the digest read
  it exactly as they read real work, and the simulation cannot write a history the product
  itself could not.
* Seeded: the same seed, ``now`` and config give the same desk.
* Nothing happens after ``now``: the newest cases are still open or being worked, as on a live
  desk. The texts are synthetic and marked as such in the raw payload (``"simulated": true``).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.desk import actions
from bot.desk.actions import Actor
from bot.core.mention import Mention
from storage.db import transaction
from storage.models import Agent, Case, CaseState, Role

#: Posts per hour of the day (UTC, which is the sample brand's London time in winter), before the
#: weekday factor: quiet nights, a morning rush, a long afternoon, an evening peak.
HOURLY_RATE = [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.9, 1.6, 2.2, 2.4, 2.3, 2.1,
               2.0, 1.9, 1.9, 2.0, 2.2, 2.5, 2.6, 2.3, 1.8, 1.3, 0.9, 0.5]
WEEKDAY_FACTOR = [1.0, 0.95, 0.95, 1.0, 1.25, 1.1, 0.9]  # Monday first; Friday travel is busiest

CITIES = ["Lisbon", "Madrid", "Paris", "Dublin", "Berlin", "Rome", "Porto", "Lyon", "Munich", "Seville",
          "Edinburgh", "Nice", "Vienna", "Prague", "Malaga", "Bordeaux"]
OPENERS = ["", "", "", "Seriously? ", "Hi, ", "Hello ", "Ugh. ", "Quick question: ", "Not happy. ", "Again... "]
CLOSERS = ["", "", "", " Please sort this out.", " Thanks in advance.", " Any update?", " Day ruined.",
           " Travelling with two kids.", " DM me if needed.", " 😤", " 🙏"]
FIRST_NAMES = ["maria", "tom", "lena", "oliver", "sofia", "lucas", "emma", "noah", "chloe", "hugo", "ines",
               "jack", "mia", "leo", "nora", "pablo", "zoe", "ana", "felix", "julia", "sam", "amir", "rosa"]

# (weight, lang, template). {b} is the brand's handle; the rest are filled at random so that no two
# posts read the same (the spam filter counts repeated texts).
TEMPLATES: list[tuple[float, str, str]] = [
    (14, "en", "{b} flight SK{f} from {c} delayed {h} hours and nobody at the gate knows anything."),
    (6, "en", "{b} SK{f} to {c} is late again, will I make my connection in {c2}?"),
    (8, "en", "{b} my flight SK{f} to {c} was cancelled, how do I get rebooked?"),
    (12, "en", "{b} my bag didn't arrive in {c} on SK{f}, file ref {ref}. Can you help?"),
    (5, "en", "{b} suitcase damaged on SK{f} from {c}, the handle is gone. Who do I talk to?"),
    (8, "en", "{b} still waiting for my refund for booking {ref}, it's been {w} weeks"),
    (6, "en", "{b} how do I change my flight on booking {ref}? The website keeps failing"),
    (5, "en", "{b} my Skylark Miles from SK{f} never showed up on my account"),
    (5, "en", "{b} the app logs me out every time I try to check in for SK{f}"),
    (5, "en", "{b} on hold for {m} minutes and nobody answers. Terrible customer service"),
    (10, "en", "Thanks {b}, lovely crew on SK{f} to {c} today!"),
    (4, "en", "{b} can I bring a second carry-on on SK{f} to {c}?"),
    (3, "es", "{b} mi maleta no llegó a {c} en el vuelo SK{f}, ¿me pueden ayudar? Referencia {ref}"),
    (2, "fr", "{b} vol SK{f} annulé à {c}, aucune information. Remboursement ?"),
    (1, "en", "{b} strong smell of smoke in the cabin on SK{f} before landing in {c}, is the aircraft safe?"),
    (1, "en", "{b} if my refund for {ref} isn't here by Friday I'm taking you to small claims court"),
]

REPLIES = {
    "late_flight": "apology_delay", "cancelled_flight": "apology_delay", "lost_luggage": "baggage_trace",
    "refund": "move_to_dm", "booking": "move_to_dm", "loyalty": "move_to_dm", "app": "move_to_dm",
    "customer_service": "move_to_dm", "safety": "move_to_dm", None: "thanks",
}


@dataclass(frozen=True)
class HistorySummary:
    posts: int
    cases: int
    actions: int  # agent actions recorded (claims, replies, escalations, approvals, resolutions, ...)
    start: datetime
    end: datetime
    today: dict[str, int] = field(default_factory=dict)  # today's posts: received, duplicate, per tier


def shift_to_now(mentions: Sequence[Mention], now: datetime, *, lead: timedelta = timedelta(minutes=2)) -> list[Mention]:
    """The feed moved in time, whole minutes, so that its newest post arrived ``lead`` before ``now``."""
    if not mentions:
        return []
    newest = max(m.created_at for m in mentions)
    offset = now - lead - newest
    offset = timedelta(minutes=math.floor(offset.total_seconds() / 60))
    return [replace(m, created_at=m.created_at + offset) for m in mentions]


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method: fine for the small hourly rates used here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def synthetic_posts(rng: random.Random, start: datetime, end: datetime, *, brand_handle: str,
                    per_hour: float = 1.0) -> list[Mention]:
    """Customer posts between ``start`` and ``end`` with the desk's daily and weekly rhythm."""
    weights = [w for w, _, _ in TEMPLATES]
    posts: list[Mention] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    serial = itertools.count(1)
    while hour < end:
        rate = per_hour * HOURLY_RATE[hour.hour] * WEEKDAY_FACTOR[hour.weekday()]
        for _ in range(_poisson(rng, rate)):
            at = hour + timedelta(seconds=rng.randrange(3600))
            if not start <= at < end:
                continue
            _, lang, template = rng.choices(TEMPLATES, weights)[0]
            city, city2 = rng.sample(CITIES, 2)
            text = template.format(b=brand_handle, f=rng.randrange(100, 990), c=city, c2=city2, h=rng.randrange(2, 7),
                                   ref=f"SK{rng.randrange(10000, 99999)}{rng.choice('ABCDEFGH')}",
                                   w=rng.randrange(2, 9), m=rng.randrange(25, 95))
            if lang == "en":
                text = rng.choice(OPENERS) + text + rng.choice(CLOSERS)
            n = next(serial)
            handle = f"{rng.choice(FIRST_NAMES)}_{rng.randrange(10, 9999)}"
            external_id = str(1850000000000000000 + n)
            followers = int(rng.lognormvariate(5.5, 1.6))
            posts.append(Mention(
                platform="x", external_id=external_id, text=text, created_at=at, author_handle=handle,
                author_id=str(7000000000 + n), author_name=handle.split("_")[0].title(), author_followers=followers,
                url=f"https://x.com/{handle}/status/{external_id}", conversation_id=external_id, lang=lang,
                raw={"simulated": True}))
        hour += timedelta(hours=1)
    return sorted(posts, key=lambda m: m.created_at)


class _Desk:
    """The simulated people: who works when, how fast, and what they do with a case."""

    def __init__(self, session, rng: random.Random, config):
        self.rng = rng
        self.config = config
        agents = list(session.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name)))
        self.actors = {a.id: Actor("slack" if a.slack_user_id else "web", a.slack_user_id or a.name, a.id, a.name, a.role)
                       for a in agents}
        self.teams = {a.id: {t.name for t in a.teams} for a in agents}
        self.workers = [a.id for a in agents if a.role in actions.WORK_ROLES]
        self.leads = [a.id for a in agents if a.role == Role.LEAD]
        self.pr = [a.id for a in agents if a.role == Role.PR]
        self.canned = {c.id: c.text for c in config.canned_responses}
        self.team_names = {t.name for t in config.teams}
        brand = config.brands[0] if config.brands else None
        self.x_account = (brand.x_account or brand.handles[0].lstrip("@")) if brand and brand.handles else "brand"

    def worker_for(self, case: Case) -> int | None:
        routed = (case.routing or {}).get("agent")
        if routed:
            for agent_id, actor in self.actors.items():
                if actor.name == routed and agent_id in self.workers:
                    return agent_id
        in_team = [a for a in self.workers if case.team in self.teams[a]]
        pool = in_team or self.workers
        return self.rng.choice(pool) if pool else None

    def delay(self, median_minutes: float, at: datetime) -> timedelta:
        # Fewer people at night and at weekends: everything waits longer, and SLAs are breached there.
        factor = 2.5 if at.hour < 7 or at.hour >= 22 else 1.0
        factor *= 1.6 if at.weekday() >= 5 else 1.0
        minutes = self.rng.lognormvariate(math.log(median_minutes * factor), 0.8)
        return timedelta(minutes=max(0.3, minutes))

    def reply_text(self, case: Case) -> str:
        canned = self.canned.get(REPLIES.get(case.topic, "move_to_dm")) or next(iter(self.canned.values()), None)
        return canned or "Thanks for reaching out: please send us a DM so we can help."


class DeskSimulation:
    """Posts in, agents at work: feed it posts in time order, then :meth:`finish` at ``now``."""

    def __init__(self, runtime, *, now: datetime, seed: int = 7):
        self.runtime, self.now = runtime, now
        self.rng = random.Random(seed)
        with runtime.sessions() as session:
            self.desk = _Desk(session, self.rng, runtime.config)
        self.queue: list[tuple[datetime, int, str, int, dict]] = []
        self.order = itertools.count()
        self.sent = itertools.count(1)
        self.posts = self.cases = self.actions = 0
        self.first: datetime | None = None

    # --- the agents --------------------------------------------------------------------------------

    def later(self, at: datetime, kind: str, case_id: int, **extra) -> None:
        if at < self.now:  # nothing is done after now: the newest cases are still being worked
            heapq.heappush(self.queue, (at, next(self.order), kind, case_id, extra))

    def _plan(self, case: Case) -> None:
        desk, rng = self.desk, self.rng
        if case.parent_id is not None:
            return  # an incident's child is answered through its parent
        if case.tier.value == "tier2" and rng.random() < 0.45:
            self.later(case.opened_at + desk.delay(50, case.opened_at), "dismiss", case.id)
        elif case.assignee_id is not None:  # routing assigned it (a team in auto mode)
            self.later(case.opened_at + desk.delay(9, case.opened_at), "reply", case.id, agent=case.assignee_id)
        else:
            median = 6 if case.tier.value == "tier1" else 40
            self.later(case.opened_at + desk.delay(median, case.opened_at), "claim", case.id)

    def _act(self, session, at: datetime, kind: str, case_id: int, extra: dict) -> None:
        desk, rng, later = self.desk, self.rng, self.later
        case = session.get(Case, case_id, populate_existing=True)
        if case is None:
            return
        if kind in ("survey", "answer"):
            self.actions += self._survey(session, at, kind, case_id, extra)
            return
        if case.state in (CaseState.RESOLVED, CaseState.NOT_ACTIONABLE):
            return
        ok = False
        if kind == "claim":
            agent_id = extra.get("agent") or desk.worker_for(case)
            if agent_id is None or not (ok := actions.claim(session, case_id, desk.actors[agent_id], now=at).ok):
                return
            roll = rng.random()
            if roll < 0.07 and not extra.get("escalated") and (desk.leads or desk.pr):
                later(at + desk.delay(4, at), "escalate", case_id, agent=agent_id)
            elif roll < 0.11:
                later(at + desk.delay(3, at), "dismiss", case_id, agent=agent_id)
            else:
                later(at + desk.delay(8, at), "reply", case_id, agent=agent_id)
        elif kind == "escalate":
            to_pr = bool(desk.pr) and (case.topic == "safety" or not desk.leads)
            result = actions.escalate(session, case_id, desk.actors[extra["agent"]],
                                      to_team="pr" if to_pr and "pr" in desk.team_names else case.team,
                                      level="pr" if to_pr else "lead",
                                      reason="safety report: PR decides what we say" if to_pr
                                      else "asks for compensation beyond what agents may offer", now=at)
            if ok := result.ok:
                receiver = rng.choice(desk.pr if to_pr else desk.leads)
                later(at + desk.delay(10, at), "claim", case_id, agent=receiver, escalated=True)
        elif kind == "dismiss":
            actor = desk.actors.get(extra.get("agent") or desk.worker_for(case) or 0)
            ok = actor is not None and actions.not_actionable(session, case_id, actor, reason="no answer needed",
                                                              now=at).ok
        elif kind == "reply":
            result = actions.reply(session, case_id, desk.actors[extra["agent"]], text=desk.reply_text(case),
                                   idempotency_key=f"demo-history-{case_id}-{next(self.order)}", now=at)
            ok = result.ok
            if result.event == "approval_requested":
                later(at + desk.delay(12, at), "decide", case_id, outbox=result.outbox_id, agent=extra["agent"])
            elif result.event == "reply_queued":
                later(at + timedelta(seconds=rng.randrange(5, 40)), "sent", case_id, outbox=result.outbox_id,
                      agent=extra["agent"])
        elif kind == "decide" and desk.pr:
            pr = desk.actors[rng.choice(desk.pr)]
            if rng.random() < 0.12:
                if ok := actions.reject(session, case_id, pr, outbox_id=extra["outbox"], now=at,
                                        reason="too specific before we know the facts; use the holding line").ok:
                    later(at + desk.delay(6, at), "reply", case_id, agent=extra["agent"])
            elif ok := actions.approve(session, case_id, pr, outbox_id=extra["outbox"], now=at).ok:
                later(at + timedelta(seconds=rng.randrange(5, 40)), "sent", case_id, outbox=extra["outbox"],
                      agent=extra["agent"])
        elif kind == "sent":
            post_id = str(1880000000000000000 + next(self.sent))
            if ok := actions.mark_reply_sent(session, extra["outbox"], external_id=post_id,
                                             url=f"https://x.com/{desk.x_account}/status/{post_id}", now=at).ok:
                later(at + desk.delay(35, at), "resolve", case_id, agent=extra["agent"])
        elif kind == "resolve":
            if ok := actions.resolve(session, case_id, desk.actors[extra["agent"]], note="answered", now=at).ok:
                later(at + timedelta(seconds=rng.randrange(5, 60)), "survey", case_id)
        self.actions += ok

    def _survey(self, session, at: datetime, kind: str, case_id: int, extra: dict) -> bool:
        """The satisfaction survey, as a desk with MENTIONDESK_PUBLIC_URL set would send it; about a
        third of the customers answer, most of them content."""
        from bot.desk import survey

        if kind == "survey":
            outbox_id = survey.queue_survey(session, case_id, "https://desk.example.com", "demo desk only", now=at)
            if outbox_id is None:
                return False
            post_id = str(1890000000000000000 + next(self.sent))
            # Sent 20 s later, but never after now: a live desk has nothing dated in the future.
            actions.mark_reply_sent(session, outbox_id, external_id=post_id,
                                    now=min(at + timedelta(seconds=20), self.now))
            if self.rng.random() < 0.35:
                score = self.rng.choices((1, 2, 3, 4, 5), (5, 7, 15, 33, 40))[0]
                self.later(at + self.desk.delay(90, at), "answer", case_id, score=score)
            return True
        return survey.record_answer(session, case_id, extra["score"], now=at)

    def _run_until(self, moment: datetime) -> None:
        if not self.queue or self.queue[0][0] >= moment:
            return
        with transaction(self.runtime.sessions) as session:
            while self.queue and self.queue[0][0] < moment:
                at, _, kind, case_id, extra = heapq.heappop(self.queue)
                self._act(session, at, kind, case_id, extra)

    # --- the posts ---------------------------------------------------------------------------------

    def feed(self, posts: Sequence[Mention], on_progress: Callable[[int], None] | None = None) -> Counter:
        """Ingest ``posts`` in ten-minute batches, each after the agents' work due before it, so that
        routing sees the desk as it was (who holds how many open cases) when each post arrived.
        Returns the triage funnel of these posts (received, duplicate, per tier)."""
        funnel: Counter = Counter()
        batch: list[Mention] = []
        for mention in sorted(posts, key=lambda m: m.created_at):
            if batch and mention.created_at - batch[0].created_at >= timedelta(minutes=10):
                self._ingest(batch, on_progress, funnel)
                batch = []
            batch.append(mention)
        if batch:
            self._ingest(batch, on_progress, funnel)
        return funnel

    def _ingest(self, batch: list[Mention], on_progress, funnel: Counter) -> None:
        self._run_until(batch[0].created_at)
        self.first = self.first or batch[0].created_at
        outcomes = self.runtime.ingest_batch(batch, now=[m.created_at for m in batch])
        funnel.update(received=len(outcomes), duplicate=sum(o.duplicate for o in outcomes))
        funnel.update(o.result.tier for o in outcomes if not o.duplicate and o.result is not None)
        new_ids = [o.case_id for o in outcomes if o.new_case and o.case_id is not None]
        with self.runtime.sessions() as session:
            for case in session.scalars(select(Case).where(Case.id.in_(new_ids)).order_by(Case.id)):
                self._plan(case)
        self.posts += len(batch)
        self.cases += len(new_ids)
        if on_progress:
            on_progress(len(batch))

    def finish(self, today: dict[str, int] | None = None) -> HistorySummary:
        """Do the work due before ``now``; what would come later is left undone."""
        self._run_until(self.now)
        return HistorySummary(self.posts, self.cases, self.actions, self.first or self.now, self.now, dict(today or {}))


@contextmanager
def incidents_not_grouped(runtime) -> Iterator[None]:
    """Simulated posts of one topic read alike (one template each), so grouping would make most of
    them children of one incident; real incidents are what the sample feed's crisis burst shows."""
    from bot.routing.grouping import IncidentGrouper

    openers = runtime.ingest.case_openers
    saved = list(openers)
    openers[:] = [o for o in saved if not isinstance(getattr(o, "__self__", None), IncidentGrouper)]
    try:
        yield
    finally:
        openers[:] = saved


@contextmanager
def sla_snapshots(runtime, escalation_map) -> Iterator[None]:
    """Snapshot each new case's escalation category and SLA (as ``serve`` does), without timers."""
    if escalation_map is None:
        yield
        return
    from escalation.engine import EscalationEngine

    opener = EscalationEngine(runtime.sessions, escalation_map).start_case
    runtime.ingest.case_openers.append(opener)
    try:
        yield
    finally:
        runtime.ingest.case_openers.remove(opener)


def build_demo_desk(runtime, today: Sequence[Mention], *, now: datetime, weeks: int = 4, seed: int = 7,
                    per_hour: float = 0.5, escalation_map=None,
                    on_progress: Callable[[int], None] | None = None) -> HistorySummary:
    """``weeks`` of simulated history up to the first of ``today``'s posts (or ``now``), then
    ``today``'s posts; the agents work both until ``now``."""
    rng = random.Random(seed)
    brand = runtime.config.brands[0] if runtime.config.brands else None
    handle = (brand.handles[0] if brand and brand.handles else "@brand")
    today_start = min((m.created_at for m in today), default=now)
    history = synthetic_posts(rng, now - timedelta(weeks=weeks), today_start, brand_handle=handle, per_hour=per_hour)
    simulation = DeskSimulation(runtime, now=now, seed=seed)
    with sla_snapshots(runtime, escalation_map):
        with incidents_not_grouped(runtime):
            simulation.feed(history, on_progress)
        funnel = simulation.feed(today, on_progress)
    return simulation.finish(funnel)
