"""PR approval in the case's Slack thread, end to end (real Bolt endpoint, fake Slack, both databases):
the draft is posted with Approve / Edit / Reject and PR pinged; non-PR presses are refused
(ephemeral, recorded); Edit records the diff; Approve queues the reply once; Reject needs a
reason and pings the author; blocked wording is refused inside the dialog."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.desk.reply_policy import ReplyPolicy
from handlers.slack import approval, cards
from storage.models import OutboxEntry, OutboxState
from tests.conftest import mention
from tests.fakes.slack_api import TEAM_ID
from tests.test_slack import ANA, DEV, PR, build_desk, card_text, wait_until

ERIN = "U0ERIN0001"
SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"


@pytest.fixture
def desk(config, database_url):
    d, close = build_desk(config, database_url, policy=ReplyPolicy(sensitive_topics=frozenset({"safety"})))
    yield d
    close()


def press(desk, action_id: str, value: str, user: str, ts: str):
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID}, "api_app_id": "A0MENTION1",
        "token": "legacy-token-unused", "trigger_id": f"{time.time():.6f}.trigger",
        "container": {"type": "message", "message_ts": ts, "channel_id": PR, "is_ephemeral": False},
        "channel": {"id": PR, "name": "pr"}, "message": {"type": "message", "ts": ts},
        "response_url": f"{desk.fake_url}/response/press",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "approval", "value": value,
                     "action_ts": f"{time.time():.6f}"}],
    }
    return desk.interaction(payload)


def draft_waiting(desk) -> tuple[int, dict, dict]:
    """A safety case claimed by Ana whose reply waits for PR: (case id, card, approval message)."""
    case_id = desk.ingest(mention("m1", SAFETY))[0]["case_id"]
    card = desk.card(PR, case_id)
    desk.press(cards.CLAIM, case_id, ANA, channel=PR, ts=card["ts"])
    wait_until(lambda: desk.case(case_id).assignee_id, what="claim")
    desk.press(cards.REPLY, case_id, ANA, channel=PR, ts=card["ts"])
    view = wait_until(lambda: desk.fake.views, what="reply dialog")[-1]
    assert desk.submit(view, ANA, {"reply_text": "So sorry, the crew is looking into it."}).status_code == 200
    message = wait_until(lambda: next((m for m in desk.fake.thread(PR, card["ts"])
                                       if any(b.get("type") == "actions" for b in m.get("blocks", []))), None),
                         what="approval message in the thread")
    return case_id, card, message


def buttons(message):
    return {e["action_id"]: e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_approval_requested_in_the_thread_and_only_pr_may_decide(desk):
    case_id, card, message = draft_waiting(desk)
    text = card_text(message)
    assert f"<@{ERIN}>" in text and "crew is looking into it" in text and "sensitive" in text
    ids = buttons(message)
    assert set(ids) == {approval.APPROVE, approval.EDIT, approval.REJECT}
    value = ids[approval.APPROVE]

    # Ana (agent) and Dev (lead) are refused: ephemeral, recorded, no dialog opens.
    views_before = len(desk.fake.views)
    press(desk, approval.APPROVE, value, ANA, message["ts"])
    press(desk, approval.EDIT, value, DEV, message["ts"])
    refusals = wait_until(lambda: desk.fake.ephemerals if len(desk.fake.ephemerals) >= 2 else None,
                          what="two refusals")
    assert all("only pr can" in e["text"] for e in refusals[-2:])
    assert len(desk.fake.views) == views_before
    wait_until(lambda: len(desk.events(case_id, "refused")) >= 2, what="recorded refusals")

    # Erin edits: blocked wording is refused inside the dialog; a clean edit is recorded with its diff.
    press(desk, approval.EDIT, value, ERIN, message["ts"])
    edit_view = wait_until(lambda: desk.fake.views[-1] if len(desk.fake.views) > views_before else None,
                           what="edit dialog")
    assert edit_view["callback_id"] == approval.EDIT_CALLBACK
    blocked = desk.submit(edit_view, ERIN, {approval.EDIT_TEXT: "Send us your card number"})
    assert blocked.json()["response_action"] == "errors" and "card number" in blocked.json()["errors"][approval.EDIT_TEXT]
    assert desk.submit(edit_view, ERIN, {approval.EDIT_TEXT: "We're so sorry. Our safety team is on it."}).status_code == 200
    edited = wait_until(lambda: desk.events(case_id, "approval_edited"), what="edit recorded")[0]
    assert "+We're so sorry. Our safety team is on it." in edited.payload["diff"]

    # Erin approves: queued once; the message loses its buttons; a second press is refused.
    press(desk, approval.APPROVE, value, ERIN, message["ts"])
    wait_until(lambda: desk.events(case_id, "approved"), what="approved")
    with desk.runtime.sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
    assert entry.state == OutboxState.PENDING and entry.text == "We're so sorry. Our safety team is on it."
    closed = wait_until(lambda: next((m for m in desk.fake.channel(PR) if m["ts"] == message["ts"]
                                      and "Approved by" in card_text(m)), None), what="closed approval message")
    assert not buttons(closed)
    before = len(desk.fake.ephemerals)
    press(desk, approval.APPROVE, value, ERIN, message["ts"])
    again = wait_until(lambda: desk.fake.ephemerals[before:], what="already decided")
    assert "already pending" in again[0]["text"]
    assert len(desk.events(case_id, "approved")) == 1


def test_reject_needs_a_reason_and_pings_the_author(desk):
    case_id, card, message = draft_waiting(desk)
    value = buttons(message)[approval.REJECT]
    views_before = len(desk.fake.views)
    press(desk, approval.REJECT, value, ERIN, message["ts"])
    view = wait_until(lambda: desk.fake.views[-1] if len(desk.fake.views) > views_before else None,
                      what="reject dialog")
    empty = desk.submit(view, ERIN, {approval.REJECT_REASON: ""})
    assert empty.json()["response_action"] == "errors"
    assert desk.submit(view, ERIN, {approval.REJECT_REASON: "Don't guess <causes> yet"}).status_code == 200
    rejected = wait_until(lambda: desk.events(case_id, "rejected"), what="rejected")[0]
    assert rejected.payload["author"] == "Ana Ortiz"
    note = wait_until(lambda: next((m for m in desk.fake.thread(PR, card["ts"])
                                    if "your reply was rejected" in m.get("text", "")), None), what="author pinged")
    assert f"<@{ANA}>" in note["text"] and "&lt;causes&gt;" in note["text"]  # escaped, pings no one else
    with desk.runtime.sessions() as session:
        assert session.scalars(select(OutboxEntry)).one().state == OutboxState.REJECTED
