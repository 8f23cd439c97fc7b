"""Incident grouping: many posts about one incident become child cases of one parent.

A new case joins an open parent when it has the same topic, opened within ``window_minutes``
of the parent, and its words overlap enough (Jaccard similarity of content words ≥
``min_similarity``). The parent is routed as usual; a child follows its parent's team and is
not offered to anyone on its own (``bot/routing/service.py``). When a reply to the parent is
queued or approved, :class:`IncidentFanOut` queues the same reply to every open child, each in
its own customer's thread (one outbox entry per child, idempotent).

An abusive case (triage's flag, bot/triage/abuse.py) is never part of an incident: it is routed on its
own (to the trust & safety team, when one has ``abusive: true``) and nobody's reply reaches it
without an agent choosing to answer it. A child flagged later (an abusive follow-up) is skipped
by the fan-out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.config_routing import Grouping
from storage import queries
from storage.db import transaction
from storage.models import OPEN_STATES, Case, Mention, OutboxEntry, OutboxState

#: Fills a reply template in for a case: (session, case id, template, author agent id) → text or None.
Renderer = Callable[[Session, int, str, int | None], str | None]

log = logging.getLogger(__name__)
WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
URL_OR_HANDLE = re.compile(r"https?://\S+|@\w+")
STOP = frozenset("""the and for you your are was were this that with have has had not but our out
all any can get got just now still what when where who why how again from they them their its
it's i'm im dont don't been into very too also than then there here about would could should""".split())


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(URL_OR_HANDLE.sub(" ", text.lower())) if w not in STOP)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _first_text(session: Session, case_id: int) -> str:
    return session.scalars(select(Mention.text).where(Mention.case_id == case_id)
                           .order_by(Mention.created_at, Mention.id).limit(1)).first() or ""


class IncidentGrouper:
    """Case opener: attach the new case to the incident it belongs to, if any."""

    def __init__(self, settings: Grouping):
        self.settings = settings

    def case_opened(self, session: Session, case: Case) -> None:
        if not case.topic or case.topic == "general" or case.abusive:
            return
        batch = queries.OpeningBatch.of(session)
        if batch is not None:
            return self._in_batch(session, batch, case)
        since = case.opened_at - timedelta(minutes=self.settings.window_minutes)
        # The candidates with their first post's text in one query (not one more per candidate).
        first_text = (select(Mention.text).where(Mention.case_id == Case.id)
                      .order_by(Mention.created_at, Mention.id).limit(1).correlate(Case).scalar_subquery())
        parents = session.execute(select(Case, first_text).where(
            Case.topic == case.topic, Case.parent_id.is_(None), Case.id != case.id, Case.state.in_(OPEN_STATES),
            Case.abusive.is_(False),
            Case.opened_at >= since, Case.opened_at <= case.opened_at).order_by(Case.id)).all()
        if not parents:
            return
        best, score = _closest(words(_first_text(session, case.id)), parents, words)
        if best is None or score < self.settings.min_similarity:
            return
        self._attach(session, case, best, score)

    case_opened.batched = True  # type: ignore[attr-defined]  # see _in_batch

    def _attach(self, session: Session, case: Case, best: Case, score: float) -> None:
        case.parent_id = best.id
        if queries.OpeningBatch.of(session) is None:
            session.flush()
        queries.add_event(session, case.id, "grouped", actor="grouping", at=case.opened_at,
                          payload={"parent_id": best.id, "similarity": round(score, 2), "topic": case.topic})
        queries.add_event(session, best.id, "child_added", actor="grouping", at=case.opened_at,
                          payload={"child_id": case.id, "similarity": round(score, 2)})


    def _in_batch(self, session: Session, batch: queries.OpeningBatch, case: Case) -> None:
        """As :meth:`case_opened`, against the candidates read once per batch and topic plus the
        cases this batch opened before ``case`` (their first posts as filed so far)."""
        since = case.opened_at - timedelta(minutes=self.settings.window_minutes)
        cached = batch.info.setdefault(("grouping", "words"), {})

        def words_of(text: str) -> frozenset[str]:
            found = cached.get(text)
            if found is None:
                found = cached[text] = words(text)
            return found

        parents = []
        for parent, first in [*self._stored_candidates(session, batch, case.topic, since),
                              *((c, None) for c in self._opened_in_batch(batch, case.topic))]:
            if isinstance(parent, _Stored):
                # A stored case this batch has in memory (a reply joined it) is read from there.
                live = session.identity_map.get(session.identity_key(Case, parent.id))
                parent = live if live is not None else parent
            if (parent is case or parent.topic != case.topic or parent.parent_id is not None
                    or parent.state not in OPEN_STATES or parent.abusive
                    or not since <= parent.opened_at <= case.opened_at):
                continue
            posts = [(m.created_at, m.id, m.text) for m in batch.filed.get(parent.id, ())]
            if first is not None:
                posts.append(first)
            parents.append((parent.id, min(posts, key=lambda p: (p[0], p[1]))[2] if posts else ""))
        if not parents:
            return
        parents.sort(key=lambda pair: pair[0])
        mine = words_of(min(batch.filed[case.id], key=lambda m: (m.created_at, m.id)).text)
        best, score = _closest(mine, parents, words_of)
        if best is None or score < self.settings.min_similarity:
            return
        self._attach(session, case, batch.by_id.get(best) or batch.stored[best], score)

    @staticmethod
    def _opened_in_batch(batch: queries.OpeningBatch, topic: str) -> list[Case]:
        """The cases this batch opened so far with ``topic``, oldest first: indexed by topic as
        they come, so that each new case looks at its topic's, not at every case of the batch."""
        held = batch.info.setdefault(("grouping", "opened"), {"seen": 0, "by_topic": {}})
        for opened in batch.opened[held["seen"]:]:
            held["by_topic"].setdefault(opened.topic, []).append(opened)
        held["seen"] = len(batch.opened)
        return held["by_topic"].get(topic, [])

    @staticmethod
    def _stored_candidates(session: Session, batch: queries.OpeningBatch, topic: str, since):
        """Open parentless cases of ``topic`` stored before this batch, opened since ``since``,
        each with its first post (created_at, id, text): one query per topic and batch (again
        only if a later case of the batch looks further back), the columns grouping reads only."""
        held = batch.info.get(("grouping", topic))
        if held is None or since < held[0]:
            first_id = (select(Mention.id).where(Mention.case_id == Case.id)
                        .order_by(Mention.created_at, Mention.id).limit(1).correlate(Case).scalar_subquery())
            rows = session.execute(select(Case.id, Case.opened_at, Case.state, Case.team, Case.routing,
                                          Mention.created_at, Mention.id, Mention.text)
                                   .outerjoin(Mention, Mention.id == first_id).where(
                Case.topic == topic, Case.parent_id.is_(None), Case.state.in_(OPEN_STATES),
                Case.abusive.is_(False), Case.opened_at >= since).order_by(Case.id)).all()
            held = batch.info[("grouping", topic)] = (since, [
                (_Stored(case_id, topic, opened_at, state, team, routing), (at, mid, text or "") if mid is not None else None)
                for case_id, opened_at, state, team, routing, at, mid, text in rows if case_id not in batch.by_id])
            batch.stored.update((stored.id, stored) for stored, _ in held[1])
        return held[1]


class _Stored:
    """The columns of a stored candidate parent that grouping and its children's routing read
    (bot/routing/service.py ``incident_decision``: its id, team and routing)."""

    __slots__ = ("id", "topic", "opened_at", "state", "team", "routing")
    parent_id = None
    abusive = False

    def __init__(self, id: int, topic: str, opened_at, state, team, routing):
        self.id, self.topic, self.opened_at, self.state, self.team, self.routing = id, topic, opened_at, state, team, routing


def fan_out(session: Session, parent_id: int, outbox_id: int, render: Renderer | None = None) -> list[int]:
    """Queue the parent's reply ``outbox_id`` to each open child; returns the new outbox ids.

    A reply written with template variables (``entry.template``) is filled in for each child's
    own customer by ``render``; a child it cannot be filled for gets nothing (and a log line)
    rather than another customer's name. A child triage flagged abusive gets nothing either: no
    agent chose to answer that customer (an agent may still reply on the child itself); the
    child's log says so (``auto_reply_skipped``)."""
    entry = session.get(OutboxEntry, outbox_id)
    if entry is None or entry.state != OutboxState.PENDING:
        return []  # still waiting for approval, rejected, or unknown: nothing goes out yet
    children = session.scalars(select(Case).where(Case.parent_id == parent_id, Case.state.in_(OPEN_STATES))
                               .order_by(Case.id)).all()
    created = []
    for child in children:
        if child.abusive:
            queries.add_event_once(session, child.id, "auto_reply_skipped", f"incident:{outbox_id}:skip:{child.id}",
                                   actor=f"incident #{parent_id}",
                                   payload={"outbox_id": outbox_id, "why": "abusive", "incident_parent": parent_id})
            continue
        latest = session.scalars(select(Mention.external_id).where(Mention.case_id == child.id)
                                 .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(1)).first()
        key = f"incident:{outbox_id}:case:{child.id}"
        if session.scalars(select(OutboxEntry.id).where(OutboxEntry.idempotency_key == key)).first():
            continue
        text = entry.text
        if entry.template:
            text = render(session, child.id, entry.template, entry.author_agent_id) if render else None
            if text is None:
                log.warning("incident #%s: the reply's template cannot be filled for case %s", parent_id, child.id)
                continue
        row = OutboxEntry(case_id=child.id, platform=child.platform, text=text, visibility=entry.visibility,
                          state=OutboxState.PENDING, idempotency_key=key, in_reply_to=latest,
                          author_agent_id=entry.author_agent_id, attempts=0)
        session.add(row)
        session.flush()
        queries.add_event(session, child.id, "reply_queued", actor=f"incident #{parent_id}", source="system",
                          actor_agent_id=entry.author_agent_id,
                          payload={"outbox_id": row.id, "visibility": entry.visibility.value, "text": text,
                                   "incident_parent": parent_id})
        created.append(row.id)
    return created


class IncidentFanOut:
    """Action listener: a reply queued (or approved) on a parent goes to every open child too."""

    def __init__(self, sessions, render: Renderer | None = None):
        self.sessions = sessions
        self.render = render

    def __call__(self, result) -> list[int]:
        if not (result.ok and result.event in ("reply_queued", "approved") and result.outbox_id):
            return []
        with transaction(self.sessions) as session:
            created = fan_out(session, result.case_id, result.outbox_id, self.render)
        if created:
            log.info("incident #%s: reply queued to %d child case(s)", result.case_id, len(created))
        return created


def _closest(mine: frozenset[str], candidates, words_of):
    """The candidate whose first post's words are most like ``mine`` (the first on a tie), and
    that similarity; (None, 0.0) when none shares a word. ``candidates``: (candidate, text)."""
    best, score = None, 0.0
    for candidate, text in candidates:
        s = similarity(mine, words_of(text or ""))
        if s > score:
            best, score = candidate, s
    return best, score
