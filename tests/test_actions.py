"""Platform-neutral case actions on real SQLite and PostgreSQL: roles, states, events, exactly-once claim."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.desk import commands as cmd
from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.desk.service import CaseDesk
from bot.core.mention import parse_mention
from bot.desk.reply_policy import ReplyPolicy
from storage.db import transaction
from storage.models import Case, CaseState, Event, OutboxEntry, OutboxState
from tests.conftest import mention

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=timezone.utc)


def open_case(runtime, text="@SkylarkAir my bag never arrived, please help", id="m1", **kw) -> int:
    outcome = runtime.ingest_batch([parse_mention(mention(id, text, **kw))], now=NOW)[0]
    assert outcome.case_id is not None, "fixture mention should open a case"
    return outcome.case_id


def run(runtime, fn, case_id, slack_user, **kw):
    with transaction(runtime.sessions) as session:
        actor = resolve_actor(session, "slack", slack_user)
        return fn(session, case_id, actor, **kw)


def events(runtime, case_id) -> list[Event]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)))


def case_of(runtime, case_id) -> Case:
    with runtime.sessions() as session:
        return session.get(Case, case_id)


ANA, BEN, DEV, ERIN, FARAH = "U0ANA00001", "U0BEN00001", "U0DEV00001", "U0ERIN0001", "U0FARAH001"


def test_claim_then_second_claim_is_refused_and_recorded(runtime):
    case_id = open_case(runtime)
    result = run(runtime, actions.claim, case_id, ANA, now=NOW + timedelta(minutes=2))
    assert result.ok and result.event == "claimed"
    case = case_of(runtime, case_id)
    assert case.state == CaseState.CLAIMED and case.assignee_id is not None and case.claimed_at is not None

    again = run(runtime, actions.claim, case_id, BEN)
    assert not again.ok and again.code == "already_claimed" and "Ana Ortiz" in again.reason
    assert again.owner_agent_id == case.assignee_id
    evs = events(runtime, case_id)
    assert [e.type for e in evs] == ["received", "triaged", "claimed", "refused"]
    claimed, refused = evs[2], evs[3]
    assert claimed.actor == "Ana Ortiz" and claimed.source == "slack" and claimed.actor_agent_id == case.assignee_id
    assert claimed.payload["seconds_after_arrival"] == 120
    assert refused.actor == "Ben Carter" and refused.payload["action"] == "claim"
    assert refused.payload["code"] == "already_claimed"
    assert case_of(runtime, case_id).assignee_id == case.assignee_id


def test_roles_are_checked_and_refusals_recorded(runtime):
    case_id = open_case(runtime)
    supervisor = run(runtime, actions.claim, case_id, FARAH)
    assert not supervisor.ok and supervisor.code == "forbidden" and "supervisor" in supervisor.reason
    stranger = run(runtime, actions.claim, case_id, "U0NOBODY01")
    assert not stranger.ok and stranger.code == "unknown_user"
    assert run(runtime, actions.claim, case_id, ANA).ok
    agent_reassign = run(runtime, actions.reassign, case_id, BEN, to_agent_id=1)
    assert not agent_reassign.ok and agent_reassign.reason.startswith("only leads can reassign")
    evs = events(runtime, case_id)[2:]
    assert [(e.type, e.payload.get("code")) for e in evs] == [
        ("refused", "forbidden"), ("refused", "unknown_user"), ("claimed", None), ("refused", "forbidden")]
    assert evs[1].payload["user_id"] == "U0NOBODY01" and evs[1].actor == "slack:U0NOBODY01"
    assert case_of(runtime, case_id).state == CaseState.CLAIMED


def test_lead_reassigns_and_owner_or_lead_release(runtime):
    case_id = open_case(runtime)
    assert run(runtime, actions.claim, case_id, ANA).ok
    with runtime.sessions() as session:
        ben_id = resolve_actor(session, "slack", BEN).agent_id
    assert not run(runtime, actions.release, case_id, BEN).ok  # not the owner, not a lead
    moved = run(runtime, actions.reassign, case_id, DEV, to_agent_id=ben_id)
    assert moved.ok and moved.changes["assignee"] == "Ben Carter"
    assert case_of(runtime, case_id).assignee_id == ben_id
    assert run(runtime, actions.release, case_id, BEN).ok
    case = case_of(runtime, case_id)
    assert case.state == CaseState.OPEN and case.assignee_id is None
    assert [e.type for e in events(runtime, case_id)][-3:] == ["refused", "reassigned", "released"]


def test_reply_queues_once_validates_and_needs_claim(runtime):
    case_id = open_case(runtime)
    not_claimed = run(runtime, actions.reply, case_id, ANA, text="Hi!", idempotency_key="k0")
    assert not not_claimed.ok and "claim" in not_claimed.reason
    assert run(runtime, actions.claim, case_id, ANA).ok
    too_long = run(runtime, actions.reply, case_id, ANA, text="x" * 281, idempotency_key="k1")
    assert not too_long.ok and too_long.code == "invalid" and "280" in too_long.reason
    blocked = run(runtime, actions.reply, case_id, ANA, text="Please DM your password", idempotency_key="k2")
    assert not blocked.ok and "password" in blocked.reason
    empty = run(runtime, actions.reply, case_id, ANA, text="   ", idempotency_key="k3")
    assert not empty.ok and "empty" in empty.reason
    other = run(runtime, actions.reply, case_id, BEN, text="Hello", idempotency_key="k4")
    assert not other.ok and other.code == "forbidden"

    ok = run(runtime, actions.reply, case_id, ANA, text="So sorry! DM us your file ref.", visibility="private",
             idempotency_key="view-1")
    assert ok.ok and ok.event == "reply_queued" and ok.outbox_id
    again = run(runtime, actions.reply, case_id, ANA, text="So sorry! DM us your file ref.", idempotency_key="view-1")
    assert again.ok and again.event is None and again.code == "duplicate"
    with runtime.sessions() as session:
        entries = session.scalars(select(OutboxEntry)).all()
        assert len(entries) == 1
        entry = entries[0]
        assert entry.state == OutboxState.PENDING and entry.visibility.value == "private"
        assert entry.in_reply_to == "m1" and entry.platform == "x"
    types = [e.type for e in events(runtime, case_id)]
    assert types.count("reply_queued") == 1 and types.count("refused") == 5

    with transaction(runtime.sessions) as session:
        sent = actions.mark_reply_sent(session, ok.outbox_id, external_id="1799")
    assert sent.ok
    with transaction(runtime.sessions) as session:
        assert not actions.mark_reply_sent(session, ok.outbox_id, external_id="1799").ok  # once only
    case = case_of(runtime, case_id)
    assert case.state == CaseState.REPLIED and case.first_reply_at is not None
    assert [e.type for e in events(runtime, case_id)].count("reply_sent") == 1


def test_sensitive_reply_waits_for_approval(runtime):
    case_id = open_case(runtime)
    topic = case_of(runtime, case_id).topic
    assert run(runtime, actions.claim, case_id, ANA).ok
    policy = ReplyPolicy(sensitive_topics=frozenset({topic}))
    result = run(runtime, actions.reply, case_id, ANA, text="We are on it.", idempotency_key="s1", policy=policy)
    assert result.ok and result.event == "approval_requested"
    assert case_of(runtime, case_id).state == CaseState.AWAITING_APPROVAL
    with runtime.sessions() as session:
        assert session.get(OutboxEntry, result.outbox_id).state == OutboxState.AWAITING_APPROVAL


def test_escalate_moves_team_and_frees_the_case(runtime):
    case_id = open_case(runtime)
    assert run(runtime, actions.claim, case_id, ANA).ok
    assert run(runtime, actions.escalate, case_id, ANA, to_team="nope", reason="x").code == "invalid"
    assert run(runtime, actions.escalate, case_id, ANA, to_team="pr", reason=" ").code == "invalid"
    result = run(runtime, actions.escalate, case_id, ANA, to_team="pr", reason="journalist asking", level="pr")
    assert result.ok
    case = case_of(runtime, case_id)
    assert case.state == CaseState.ESCALATED and case.team == "pr" and case.assignee_id is None
    last = events(runtime, case_id)[-1]
    assert last.type == "escalated" and last.payload["to_team"] == "pr" and last.payload["reason"] == "journalist asking"
    assert run(runtime, actions.claim, case_id, ERIN).ok  # PR picks it up


def test_only_the_owner_a_lead_or_pr_escalate_a_claimed_case(runtime):
    case_id = open_case(runtime)
    assert run(runtime, actions.claim, case_id, ANA).ok
    owner = case_of(runtime, case_id).assignee_id
    team = case_of(runtime, case_id).team
    taken = run(runtime, actions.escalate, case_id, BEN, to_team="digital", reason="mine now")
    assert not taken.ok and taken.code == "forbidden" and "belongs to Ana Ortiz" in taken.reason
    case = case_of(runtime, case_id)
    assert (case.assignee_id, case.state, case.team) == (owner, CaseState.CLAIMED, team)
    refused = events(runtime, case_id)[-1]
    assert refused.type == "refused" and refused.actor == "Ben Carter" and refused.payload["action"] == "escalate"
    assert run(runtime, actions.claim, case_id, BEN).code == "already_claimed"  # the detour is closed
    # an unclaimed case may still be escalated by any agent; the owner, a lead and PR always may
    for who in (DEV, ERIN, ANA):
        if case_of(runtime, case_id).assignee_id is None:
            assert run(runtime, actions.claim, case_id, ANA).ok
        assert run(runtime, actions.escalate, case_id, who, to_team="baggage", reason="trace").ok, who
    assert run(runtime, actions.escalate, case_id, BEN, to_team="care", reason="back to care").ok


def test_not_actionable_and_resolve(runtime):
    first = open_case(runtime)
    assert run(runtime, actions.not_actionable, first, BEN, reason="sarcasm").ok
    assert case_of(runtime, first).state == CaseState.NOT_ACTIONABLE
    assert run(runtime, actions.claim, first, ANA).code == "wrong_state"

    second = open_case(runtime, "@SkylarkAir flight SK212 cancelled, need a refund", id="m2", handle="other")
    assert run(runtime, actions.resolve, second, ANA).code == "wrong_state"  # nobody worked it yet
    assert run(runtime, actions.claim, second, ANA).ok
    assert run(runtime, actions.resolve, second, BEN).code == "forbidden"
    assert run(runtime, actions.resolve, second, ANA, note="rebooked").ok
    assert case_of(runtime, second).state == CaseState.RESOLVED


def test_every_action_writes_exactly_one_event(runtime):
    case_id = open_case(runtime)
    steps = [
        (actions.claim, BEN, {}), (actions.claim, ANA, {}), (actions.release, BEN, {}), (actions.claim, ANA, {}),
        (actions.note, FARAH, {"text": "VIP, be quick"}),
        (actions.reply, ANA, {"text": "On it", "idempotency_key": "e1"}),
        (actions.escalate, ANA, {"to_team": "baggage", "reason": "trace"}), (actions.claim, ANA, {}),
        (actions.resolve, ANA, {}), (actions.resolve, ANA, {}),
    ]
    for fn, user, kw in steps:
        before = len(events(runtime, case_id))
        run(runtime, fn, case_id, user, **kw)
        assert len(events(runtime, case_id)) == before + 1, fn.__name__


def test_unknown_case_writes_nothing(runtime):
    result = run(runtime, actions.claim, 9999, ANA)
    assert not result.ok and result.code == "unknown_case" and result.event is None
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_desk_processes_a_delivery_once(runtime):
    case_id = open_case(runtime)
    desk = CaseDesk(runtime.sessions)
    assert desk.run(cmd.Note(text="hello"), case_id, "slack", ANA, delivery_key="Ev1").ok
    dup = desk.run(cmd.Note(text="hello"), case_id, "slack", ANA, delivery_key="Ev1")
    assert not dup.ok and dup.code == "duplicate"
    assert [e.type for e in events(runtime, case_id)].count("note") == 1

    from storage import queries

    with transaction(runtime.sessions) as session:
        assert queries.prune_deliveries(session, NOW) == 0  # recorded just now (after NOW): kept
    with transaction(runtime.sessions) as session:
        assert queries.prune_deliveries(session, datetime.now(timezone.utc) + timedelta(seconds=1)) == 1
    assert desk.run(cmd.Note(text="hello"), case_id, "slack", ANA, delivery_key="Ev1").ok  # forgotten: new again


@pytest.fixture
def crowd_config(config):
    """The example config plus 20 agents, for concurrency tests."""
    from bot.core.config import Agent

    extra = [Agent(name=f"Agent {i:02d}", role="agent", teams=["care"], slack_user_id=f"U0CROWD{i:03d}")
             for i in range(20)]
    return config.model_copy(update={"agents": [*config.agents, *extra]})


@pytest.fixture
def crowd_runtime(crowd_config, database_url):
    from bot.app.runtime import Runtime

    rt = Runtime.build(crowd_config, database=database_url)
    yield rt
    rt.close()


def test_twenty_concurrent_claims_have_exactly_one_winner(crowd_runtime):
    runtime = crowd_runtime
    case_id = open_case(runtime)
    desk = CaseDesk(runtime.sessions)
    barrier = threading.Barrier(20)
    results: list = [None] * 20

    def press(i: int) -> None:
        barrier.wait()
        results[i] = desk.run(cmd.Claim(), case_id, "slack", f"U0CROWD{i:03d}")

    threads = [threading.Thread(target=press, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [r for r in results if r.ok]
    assert len(winners) == 1
    assert sorted(r.code for r in results if not r.ok) == ["already_claimed"] * 19
    evs = events(runtime, case_id)
    assert [e.type for e in evs].count("claimed") == 1 and [e.type for e in evs].count("refused") == 19
    claimed = next(e for e in evs if e.type == "claimed")
    assert case_of(runtime, case_id).assignee_id == claimed.actor_agent_id


def test_may_reply_checks_like_reply_and_records_the_opened_dialog(runtime):
    case_id = open_case(runtime)
    refused = run(runtime, actions.may_reply, case_id, ANA)
    assert not refused.ok and refused.reason == "claim the case before replying"
    assert run(runtime, actions.claim, case_id, ANA).ok
    before = len(events(runtime, case_id))
    assert run(runtime, actions.may_reply, case_id, ANA).ok
    assert not run(runtime, actions.may_reply, case_id, BEN).ok  # not the owner
    assert [e.type for e in events(runtime, case_id)[before:]] == ["reply_opened", "refused"]


def test_claim_sla_hook_releases_only_unanswered_claims(runtime):
    quiet = open_case(runtime, id="s1", handle="one")
    answered = open_case(runtime, "@SkylarkAir my refund is missing, help", id="s2", handle="two")
    claimed_at = datetime(2026, 11, 20, 11, 0, tzinfo=timezone.utc)
    for case_id in (quiet, answered):
        with transaction(runtime.sessions) as session:
            assert actions.claim(session, case_id, resolve_actor(session, "slack", ANA), now=claimed_at).ok
    assert run(runtime, actions.reply, answered, ANA, text="Sorry! DM us please.", idempotency_key="sla").ok
    deadline = claimed_at + timedelta(minutes=15)
    with runtime.sessions() as session:
        assert actions.unanswered_claims(session, claimed_before=claimed_at - timedelta(minutes=1)) == []
        assert actions.unanswered_claims(session, claimed_before=deadline) == [quiet]
    with transaction(runtime.sessions) as session:
        released = actions.release_unanswered_claim(session, quiet, claimed_before=deadline, now=deadline)
        kept = actions.release_unanswered_claim(session, answered, claimed_before=deadline, now=deadline)
    assert released.ok and not kept.ok
    assert case_of(runtime, quiet).state == CaseState.OPEN and case_of(runtime, quiet).assignee_id is None
    assert case_of(runtime, answered).state != CaseState.OPEN
    last = events(runtime, quiet)[-1]
    assert (last.type, last.actor, last.payload["why"]) == ("released", "SLA timer", "claim not answered within its SLA")


def test_correct_triage_changes_the_case_records_both_sides_and_validates(runtime):
    case_id = open_case(runtime, "@SkylarkAir flying with you to Lisbon next week, any tips?", id="ct1")
    before = case_of(runtime, case_id)
    fixed = run(runtime, actions.correct_triage, case_id, ANA, intent="complaint", topic="baggage",
                note="she means her lost bag", now=NOW + timedelta(minutes=3))
    assert fixed.ok and fixed.event == "triage_corrected"
    assert fixed.changes == {"intent": "complaint", "tier": "tier1", "topic": "baggage"}
    case = case_of(runtime, case_id)
    assert (case.intent, case.tier.value, case.topic) == ("complaint", "tier1", "baggage")
    assert case.reply_due_at == before.reply_due_at  # the SLA stays
    event = events(runtime, case_id)[-1]
    assert event.type == "triage_corrected" and event.actor == "Ana Ortiz"
    assert event.payload["from"] == {"intent": before.intent, "tier": before.tier.value, "topic": before.topic}
    assert event.payload["to"]["intent"] == "complaint" and event.payload["note"] == "she means her lost bag"
    # Bad input is refused by name, recorded, and changes nothing.
    for kwargs, words in (({"intent": "furious"}, "unknown intent 'furious'"),
                          ({"topic": "<script>"}, "a topic is a name"),
                          ({"intent": "complaint"}, "nothing to correct")):
        refused = run(runtime, actions.correct_triage, case_id, ANA, **kwargs)
        assert not refused.ok and refused.code == "invalid" and words in refused.reason
        assert events(runtime, case_id)[-1].type == "refused"
    supervisor = run(runtime, actions.correct_triage, case_id, FARAH, intent="praise")
    assert not supervisor.ok and supervisor.code == "forbidden"
    assert case_of(runtime, case_id).intent == "complaint"
