"""PR approval of sensitive replies, platform-neutral, on SQLite and PostgreSQL: only PR decides
(others refused and recorded), approve sends once, edit records the diff, reject needs a reason
and names the author, blocked wording can never be approved."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.core.mention import parse_mention
from bot.desk.reply_policy import ReplyPolicy
from storage.db import transaction
from storage.models import Case, CaseState, Event, OutboxEntry, OutboxState
from tests.conftest import mention

NOW = datetime(2026, 11, 20, 10, 5, tzinfo=timezone.utc)
ANA, DEV, ERIN = "U0ANA00001", "U0DEV00001", "U0ERIN0001"
POLICY = ReplyPolicy(sensitive_topics=frozenset({"safety"}))


def run(runtime, fn, case_id, user, **kw):
    with transaction(runtime.sessions) as session:
        return fn(session, case_id, resolve_actor(session, "slack", user), now=NOW + timedelta(minutes=5), **kw)


@pytest.fixture
def draft(runtime):
    """A safety case claimed by Ana, whose reply waits for PR approval: (case_id, outbox_id)."""
    text = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"
    case_id = runtime.ingest_batch([parse_mention(mention("m1", text))], now=NOW)[0].case_id
    assert run(runtime, actions.claim, case_id, ANA).ok
    result = run(runtime, actions.reply, case_id, ANA, text="We're so sorry, the crew is looking into it.",
                 idempotency_key="k1", policy=POLICY)
    assert result.event == "approval_requested"
    return case_id, result.outbox_id


def outbox(runtime, outbox_id) -> OutboxEntry:
    with runtime.sessions() as session:
        return session.get(OutboxEntry, outbox_id)


def types(runtime, case_id) -> list[str]:
    with runtime.sessions() as session:
        return [e.type for e in session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id))]


def test_only_pr_decides_and_refusals_are_recorded(runtime, draft):
    case_id, outbox_id = draft
    for user in (ANA, DEV):
        refused = run(runtime, actions.approve, case_id, user, outbox_id=outbox_id)
        assert not refused.ok and refused.code == "forbidden" and "only pr" in refused.reason
    assert types(runtime, case_id)[-2:] == ["refused", "refused"]
    assert outbox(runtime, outbox_id).state == OutboxState.AWAITING_APPROVAL


def test_approve_queues_the_reply_once(runtime, draft):
    case_id, outbox_id = draft
    ok = run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id)
    assert ok.ok and ok.event == "approved"
    assert outbox(runtime, outbox_id).state == OutboxState.PENDING
    again = run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id)
    assert not again.ok and again.code == "wrong_state"
    with runtime.sessions() as session:
        assert session.get(Case, case_id).state == CaseState.CLAIMED
    with transaction(runtime.sessions) as session:
        assert actions.mark_reply_sent(session, outbox_id, external_id="x1").ok
    with transaction(runtime.sessions) as session:
        assert not actions.mark_reply_sent(session, outbox_id, external_id="x1").ok  # sent once
    assert types(runtime, case_id).count("reply_sent") == 1


def test_edit_records_the_diff_and_keeps_waiting(runtime, draft):
    case_id, outbox_id = draft
    result = run(runtime, actions.edit, case_id, ERIN, outbox_id=outbox_id,
                 text="We're so sorry. Our safety team is looking into SK212 now.")
    assert result.ok and result.event == "approval_edited"
    entry = outbox(runtime, outbox_id)
    assert entry.text.startswith("We're so sorry. Our safety team") and entry.state == OutboxState.AWAITING_APPROVAL
    with runtime.sessions() as session:
        event = session.scalars(select(Event).where(Event.type == "approval_edited")).one()
    assert "-We're so sorry, the crew" in event.payload["diff"] and "+We're so sorry. Our safety" in event.payload["diff"]
    assert event.actor == "Erin Walsh"


def test_reject_needs_a_reason_and_names_the_author(runtime, draft):
    case_id, outbox_id = draft
    assert run(runtime, actions.reject, case_id, ERIN, outbox_id=outbox_id, reason=" ").code == "invalid"
    result = run(runtime, actions.reject, case_id, ERIN, outbox_id=outbox_id, reason="Do not speculate on causes")
    assert result.ok and result.event == "rejected"
    assert outbox(runtime, outbox_id).state == OutboxState.REJECTED
    with runtime.sessions() as session:
        event = session.scalars(select(Event).where(Event.type == "rejected")).one()
        assert event.payload["author"] == "Ana Ortiz" and session.get(Case, case_id).state == CaseState.CLAIMED
    assert run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id).code == "wrong_state"


def test_blocked_wording_can_never_be_sent(runtime, draft):
    case_id, outbox_id = draft
    # PR cannot edit blocked wording in ...
    edited = run(runtime, actions.edit, case_id, ERIN, outbox_id=outbox_id, text="Reply with your card number")
    assert not edited.ok and "card number" in edited.reason
    # ... nor approve a draft that became blocked because the list grew after it was written.
    stricter = ReplyPolicy(blocked_keywords=("crew",), sensitive_topics=POLICY.sensitive_topics)
    approved = run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id, policy=stricter)
    assert not approved.ok and approved.code == "invalid" and "crew" in approved.reason
    assert outbox(runtime, outbox_id).state == OutboxState.AWAITING_APPROVAL


def test_a_category_that_requires_approval_holds_any_reply(runtime):
    case_id = runtime.ingest_batch([parse_mention(mention("m2", "@SkylarkAir my bag never arrived, help"))],
                                   now=NOW)[0].case_id
    with transaction(runtime.sessions) as session:
        session.get(Case, case_id).escalation = {"category": "legal_threat", "requires_approval": True}
    assert run(runtime, actions.claim, case_id, ANA).ok
    result = run(runtime, actions.reply, case_id, ANA, text="Please DM us", idempotency_key="k2")
    assert result.event == "approval_requested"


def pr_draft(runtime, policy) -> tuple[int, int]:
    """A safety case claimed by Erin (PR) whose own reply waits for approval: (case_id, outbox_id)."""
    text = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"
    case_id = runtime.ingest_batch([parse_mention(mention("m9", text, handle="flyer"))], now=NOW)[0].case_id
    assert run(runtime, actions.claim, case_id, ERIN).ok
    result = run(runtime, actions.reply, case_id, ERIN, text="We are looking into it right now.",
                 idempotency_key="pr1", policy=policy)
    assert result.event == "approval_requested"
    return case_id, result.outbox_id


def test_pr_cannot_approve_their_own_reply(runtime):
    case_id, outbox_id = pr_draft(runtime, POLICY)
    refused = run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id, policy=POLICY)
    assert not refused.ok and refused.code == "forbidden" and "another PR person" in refused.reason
    assert outbox(runtime, outbox_id).state == OutboxState.AWAITING_APPROVAL
    with runtime.sessions() as session:
        last = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id.desc())).first()
    assert (last.type, last.actor, last.payload["action"]) == ("refused", "Erin Walsh", "approve")


def test_self_approval_only_when_the_escalation_map_allows_it(runtime, tmp_path):
    from escalation.map import load_escalation_map

    example = (Path(__file__).resolve().parent.parent / "escalation" / "samples" / "escalation.example.yaml")
    assert ReplyPolicy.from_map(load_escalation_map(example)).allow_self_approval is False
    allowing = tmp_path / "escalation.yaml"
    allowing.write_text(example.read_text(encoding="utf-8").replace("allow_self_approval: false",
                                                                    "allow_self_approval: true"), encoding="utf-8")
    policy = ReplyPolicy.from_map(load_escalation_map(allowing))
    assert policy.allow_self_approval is True
    case_id, outbox_id = pr_draft(runtime, policy)
    assert run(runtime, actions.approve, case_id, ERIN, outbox_id=outbox_id, policy=policy).ok
    assert outbox(runtime, outbox_id).state == OutboxState.PENDING
