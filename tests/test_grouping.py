"""Incident grouping on SQLite and PostgreSQL: posts about one incident become children of one
parent case; a reply to the parent reaches every child in its own thread (also after PR approval)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from bot.desk.case_view import load_card
from bot.core.config import parse_config
from bot.desk.crisis import set_topic_mode
from bot.core.mention import parse_mention
from bot.routing.grouping import IncidentFanOut, similarity, words
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from bot.desk.actions import resolve_actor
from handlers.slack.cards import render_card
from storage.db import transaction
from storage.models import Case, Event, OutboxEntry, OutboxState
from tests.conftest import mention
from tests.routing_fixtures import routing_config_text

MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ANA, DEV, ERIN = "U0ANA00001", "U0DEV00001", "U0ERIN0001"
INCIDENT = [
    "@SkylarkAir SK212 to Lisbon cancelled and no information at the gate",
    "@SkylarkAir flight SK212 Lisbon cancelled?? no information at gate B4",
    "@SkylarkAir SK212 cancelled, stuck at the gate with no information about Lisbon",
    "@SkylarkAir no information at all about the cancelled SK212 to Lisbon",
]


@pytest.fixture
def rt(database_url):
    text = routing_config_text() + "  grouping: {enabled: true, window_minutes: 60, min_similarity: 0.3}\n"
    runtime = Runtime.build(parse_config(load_yaml_with_lines("grouping.yaml", text)), database=database_url)
    yield runtime
    runtime.close()


def open_case(rt, n, text, at) -> Case:
    outcome = rt.ingest_batch([parse_mention(mention(f"g{n}", text, handle=f"pax{n}"))], now=at)[0]
    assert outcome.new_case
    with rt.sessions() as session:
        return session.get(Case, outcome.case_id)


def test_similar_posts_of_one_incident_become_children_and_share_the_reply(rt):
    cases = [open_case(rt, i, text, MON_10 + timedelta(minutes=3 * i)) for i, text in enumerate(INCIDENT)]
    parent, children = cases[0], cases[1:]
    assert parent.parent_id is None and parent.topic == "cancelled_flight" and parent.routing["agent"] == "Ana Ortiz"
    assert [c.parent_id for c in children] == [parent.id] * 3
    assert all(c.team == parent.team and c.routing["agent"] is None for c in children)
    assert children[0].routing["reason"] == f"part of incident #{parent.id}: answered with it"

    other = open_case(rt, 10, "@SkylarkAir how do I get a refund for my cancelled flight to Rome? the form fails", MON_10)
    later = open_case(rt, 11, "@SkylarkAir SK212 to Lisbon cancelled again, no information at the gate",
                      MON_10 + timedelta(hours=3))
    assert other.parent_id is None and later.parent_id is None  # different words; outside the window

    with rt.sessions() as session:
        parent_card = str(render_card(load_card(session, parent.id)))
        child_card = str(render_card(load_card(session, children[0].id)))
        grouped = session.scalars(select(Event).where(Event.case_id == children[0].id, Event.type == "grouped")).one()
    assert f"Incident: 3 more post(s) about this (#{children[0].id}, #{children[1].id}, #{children[2].id})" in parent_card
    assert f"Part of incident #{parent.id}" in child_card
    assert grouped.payload["parent_id"] == parent.id and grouped.payload["similarity"] >= 0.3

    desk = CaseDesk(rt.sessions, listeners=rt.action_listeners)
    assert desk.run(cmd.Claim(), parent.id, "slack", ANA).ok
    reply = desk.run(cmd.Reply(text="Sorry! SK212 is cancelled due to a technical fault; "
                     "we're rebooking everyone on SK214 at 15:10.", idempotency_key="r1"), parent.id, "slack", ANA)
    assert reply.event == "reply_queued"
    with rt.sessions() as session:
        entries = {e.case_id: e for e in session.scalars(select(OutboxEntry))}
        mentions = {c.id: c.mentions[-1].external_id for c in session.scalars(select(Case)) if c.mentions}
        queued = session.scalars(select(Event).where(Event.case_id == children[2].id, Event.type == "reply_queued")).one()
    assert set(entries) == {parent.id, *(c.id for c in children)}
    for child in children:  # each customer answered in their own thread
        assert entries[child.id].in_reply_to == mentions[child.id] and entries[child.id].state == OutboxState.PENDING
        assert entries[child.id].text == entries[parent.id].text
    assert queued.payload["incident_parent"] == parent.id and queued.actor == f"incident #{parent.id}"
    # A repeated notification (retry, second replica) queues nothing twice.
    assert IncidentFanOut(rt.sessions)(reply) == []


def test_incident_reply_waiting_for_pr_reaches_children_only_once_approved(rt):
    with transaction(rt.sessions) as session:
        assert set_topic_mode(session, rt.config, "cancelled_flight", "crisis",
                              resolve_actor(session, "cli", "Dev Patel")).ok
    parent = open_case(rt, 1, INCIDENT[0], MON_10)
    child = open_case(rt, 2, INCIDENT[1], MON_10 + timedelta(minutes=1))
    assert parent.team == "pr" and child.parent_id == parent.id and child.routing["crisis"] is True
    desk = CaseDesk(rt.sessions, listeners=rt.action_listeners)
    # Dev (lead) drafts, Erin (PR) approves: nobody approves their own reply.
    assert desk.run(cmd.Claim(), parent.id, "slack", DEV).ok
    draft = desk.run(cmd.Reply(text="We're aware of the SK212 cancellation and rebooking "
                     "everyone now.", idempotency_key="d1"), parent.id, "slack", DEV)
    assert draft.event == "approval_requested"
    with rt.sessions() as session:
        assert session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == child.id)).first() is None
    assert desk.run(cmd.Approve(outbox_id=draft.outbox_id), parent.id, "slack", ERIN).ok
    with rt.sessions() as session:
        entry = session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == child.id)).one()
    assert entry.state == OutboxState.PENDING and "SK212 cancellation" in entry.text


def test_similarity_ignores_handles_links_and_filler():
    a = words("@SkylarkAir SK212 to Lisbon cancelled, no information https://t.co/x")
    b = words("@OtherBrand Lisbon SK212 cancelled — still no information!")
    assert "skylarkair" not in a and "https" not in a
    assert similarity(a, b) == 1.0
    assert similarity(a, words("lovely crew on my flight to Paris")) == 0.0


def test_a_templated_incident_reply_names_each_childs_own_customer(rt):
    cases = [open_case(rt, i, text, MON_10 + timedelta(minutes=3 * i)) for i, text in enumerate(INCIDENT[:3])]
    parent, children = cases[0], cases[1:]
    assert [c.parent_id for c in children] == [parent.id] * 2
    desk = CaseDesk(rt.sessions, listeners=rt.action_listeners)
    assert desk.run(cmd.Claim(), parent.id, "slack", ANA).ok
    reply = desk.run(cmd.Reply(text="Sorry {customer.handle}, SK212 is cancelled; see case {case.id}.",
                               idempotency_key="t1"), parent.id, "slack", ANA)
    assert reply.event == "reply_queued"
    with rt.sessions() as session:
        texts = {e.case_id: e.text for e in session.scalars(select(OutboxEntry))}
    assert texts == {c.id: f"Sorry @pax{n}, SK212 is cancelled; see case {c.id}." for n, c in enumerate(cases)}
