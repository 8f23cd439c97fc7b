"""Discord end to end: discord.py's own client and gateway parser, its REST base pointed at a fake
Discord API on 127.0.0.1, real SQLite and PostgreSQL.

mention → ingest → card posted (embed + persistent buttons + thread) → interactions fed to
``INTERACTION_CREATE`` as the gateway delivers them (button presses, type 3; modal submissions,
type 5) → platform-neutral actions → card edited, lines in the thread, ephemeral refusals.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from bot.desk import actions
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from handlers.discord import ids
from storage.db import transaction
from storage.models import CaseMessage, CaseState, OutboxEntry
from tests.conftest import mention
from tests.discord_helpers import (ANA_D, BAGS_D, BEN_D, CARE_D, DEV_D, DiscordDesk, custom_ids, discord_config, embed_text,
                                   reset_api_base, start_adapter, start_fake, wait_until)
from tests.discord_helpers import no_errors_logged  # noqa: F401  (autouse: swallowed errors fail the test)

BAG_TEXT = "@SkylarkAir my bag never arrived in Madrid, please help"
EPHEMERAL = 64


@pytest.fixture
def ddesk(config, database_url):
    runtime = Runtime.build(discord_config(config), database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    desk = DiscordDesk(runtime, fake, server, adapter)
    yield desk
    desk.adapter.stop()
    server.__exit__()
    runtime.close()
    reset_api_base()


def open_case(desk: DiscordDesk, id: str = "m1", text: str = BAG_TEXT, channel: str = BAGS_D) -> tuple[int, dict]:
    outcome = desk.runtime.ingest_batch([parse_mention(mention(id, text))])[0]
    assert outcome.case_id, outcome
    return outcome.case_id, desk.card(channel, outcome.case_id)


def test_card_claim_reply_flow_queues_the_reply(ddesk):
    case_id, card = open_case(ddesk)
    text = embed_text(card)
    assert "P1" in text and f"case #{case_id}" in text and "Madrid" in text and "Traveller (@traveller)" in text
    assert "lost" in text and "Why:" in text and "State: open" in text
    assert custom_ids(card) == [f"md:claim:{case_id}", f"md:escalate:{case_id}", f"md:reply:{case_id}",
                                f"md:not_actionable:{case_id}", f"md:fix_triage:{case_id}"]
    # The history goes into a thread started on the card; the card is recorded once, as posted.
    wait_until(lambda: card["id"] in ddesk.fake.threads, what="thread on the card")
    with ddesk.runtime.sessions() as session:
        row = session.scalars(select(CaseMessage).where(CaseMessage.platform == "discord")).one()
    assert (row.channel, row.message_id, row.state.value) == (BAGS_D, card["id"], "posted")

    # Reply before claiming: told at once (ephemeral response), no modal.
    early = ddesk.press(ids.card("reply", case_id), ANA_D, card)
    answer = ddesk.callback(early)
    assert answer["type"] == 4 and answer["data"]["flags"] & EPHEMERAL
    assert "claim the case before replying" in answer["data"]["content"]

    # Claim: acknowledged (deferred, type 6) well within Discord's 3 s, then the card follows.
    started = time.perf_counter()
    press = ddesk.press(ids.card("claim", case_id), ANA_D, card)
    assert ddesk.callback(press)["type"] == 6
    assert ddesk.callback_call(press).at - started < 1.0
    claimed = ddesk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "card shows the claim")
    assert f"Claimed by <@{ANA_D}>" in embed_text(claimed) and "State: claimed" in embed_text(claimed)
    assert custom_ids(claimed)[:3] == [f"md:reply:{case_id}", f"md:escalate:{case_id}", f"md:resolve:{case_id}"]
    line = wait_until(lambda: ddesk.thread(card), what="thread line")[0]
    assert line["content"].startswith("✋ Claimed by") and line["allowed_mentions"] == {"parse": []}
    assert ddesk.case(case_id).state == CaseState.CLAIMED
    assert [e.actor for e in ddesk.events(case_id, "claimed")] == ["Ana Ortiz"]

    # Reply opens a modal (type 9) whose custom_id carries the case.
    opened = ddesk.press(ids.card("reply", case_id), ANA_D, claimed)
    modal = ddesk.callback(opened)
    assert modal["type"] == 9 and modal["data"]["custom_id"] == f"md:reply_modal:{case_id}"
    # Too long for X: refused in a follow-up, nothing queued.
    too_long = ddesk.submit(ids.modal("reply_modal", case_id), ANA_D, claimed, {"text": "x" * 281})
    assert ddesk.callback(too_long)["type"] == 6
    refusal = wait_until(lambda: ddesk.followups(too_long), what="too-long follow-up")[0]
    assert "280" in refusal["content"] and refusal["flags"] & EPHEMERAL
    ok = ddesk.submit(ids.modal("reply_modal", case_id), ANA_D, claimed,
                      {"text": "So sorry! DM us your file reference and we'll chase it.", "visibility": ["public"]})
    assert ddesk.callback(ok)["type"] == 6
    queued = ddesk.card_when(card["id"], lambda m: "Reply queued" in embed_text(m), "card shows the reply queued")
    assert "State: claimed" in embed_text(queued)
    with ddesk.runtime.sessions() as session:
        entry = session.scalars(select(OutboxEntry)).one()
    assert entry.text.startswith("So sorry!") and entry.state.value == "pending" and entry.platform == "x"
    assert entry.idempotency_key == f"discord:interaction:{ok['id']}"
    assert ddesk.followups(ok) == []

    # The relay delivers it; the card follows, edited in place, never re-posted.
    with transaction(ddesk.runtime.sessions) as session:
        result = actions.mark_reply_sent(session, entry.id, external_id="1799999")
    ddesk.adapter.case_changed(result)
    ddesk.card_when(card["id"], lambda m: "Reply sent ✓" in embed_text(m), "card shows the reply sent")
    assert len(ddesk.fake.channel(BAGS_D)) == 1 and len(ddesk.fake.calls_of("message")) >= 1


def test_everyone_in_a_tweet_pings_no_one(ddesk):
    text = "@SkylarkAir @everyone @here <@&500000000000000001> <@300000000000000002> my bag is lost, help"
    case_id, card = open_case(ddesk, text=text)
    # Every request that carries the post's text or a status line forbids all mentions...
    assert card["allowed_mentions"] == {"parse": []}
    press = ddesk.press(ids.card("claim", case_id), ANA_D, card)
    ddesk.callback(press)
    claimed = ddesk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "claim shown")
    wait_until(lambda: ddesk.thread(card), what="thread line")
    sent = ddesk.fake.calls_of("message") + ddesk.fake.calls_of("edit")
    assert len(sent) >= 3 and all(c.body["allowed_mentions"] == {"parse": []} for c in sent)
    # ... and the text itself is inert: mentions broken, Markdown escaped.
    description = claimed["embeds"][0]["description"]
    assert "@\u200beveryone" in description and "@\u200bhere" in description
    assert "@everyone" not in description and "<@300000000000000002>" not in description
    # A refusal is sent without pings too (Ben pressed Claim on the card as it was before the edit).
    again = ddesk.press(ids.card("claim", case_id), BEN_D, card)
    refusal = wait_until(lambda: ddesk.followups(again), what="refusal")[0]
    assert "already claimed by" in refusal["content"] and refusal["allowed_mentions"] == {"parse": []}


def test_buttons_and_dialogs_work_after_a_restart(config, database_url):
    cfg = discord_config(config)
    fake, server = start_fake()
    runtime = Runtime.build(cfg, database=database_url)
    first = start_adapter(runtime, fake, server)
    desk = DiscordDesk(runtime, fake, server, first)
    try:
        case_id, card = open_case(desk)
        wait_until(lambda: card["id"] in fake.threads, what="thread")
        # A reply dialog opened before the restart, submitted after it.
        desk.press(ids.card("claim", case_id), ANA_D, card)
        claimed = desk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "claim shown")
    finally:
        first.stop()
        runtime.close()

    # A new process: new runtime, new discord.py client, nothing remembered but the database.
    runtime = Runtime.build(cfg, database=database_url)
    second = start_adapter(runtime, fake, server)
    assert second.client is not first.client
    desk = DiscordDesk(runtime, fake, server, second)
    try:
        edits_before = len(fake.calls_of("edit"))
        submit = desk.submit(ids.modal("reply_modal", case_id), ANA_D, claimed,
                             {"text": "Sorry about your bag, DM us the file reference."})
        assert desk.callback(submit)["type"] == 6
        wait_until(lambda: desk.case(case_id).state == CaseState.CLAIMED and desk.events(case_id, "reply_queued"),
                   what="reply queued after restart")
        desk.card_when(card["id"], lambda m: "Reply queued" in embed_text(m), "card refreshed after restart")
        press = desk.press(ids.card("resolve", case_id), ANA_D, fake.message(card["id"]))
        assert desk.callback(press)["type"] == 6
        closed = desk.card_when(card["id"], lambda m: "Resolved by" in embed_text(m), "resolved")
        # A closed card keeps only "Fix triage" (a correction still teaches the model).
        assert custom_ids(closed) == [ids.card("fix_triage", case_id)] and desk.case(case_id).state == CaseState.RESOLVED
        assert len(fake.calls_of("edit")) > edits_before and len(fake.channel("100000000000000002")) == 1
    finally:
        second.stop()
        server.__exit__()
        runtime.close()
        reset_api_base()


def test_rate_limited_card_post_is_retried_and_posted_once(ddesk):
    ddesk.fake.fail("message", status=429, times=1, retry_after=0.1)
    case_id, card = open_case(ddesk)
    calls = ddesk.fake.calls_of("message")
    assert len(calls) == 2 and calls[1].at - calls[0].at >= 0.09  # discord.py waited out retry_after
    assert len(ddesk.fake.channel(BAGS_D)) == 1
    # A card that cannot be posted at all stays pending and goes out on the next pass.
    ddesk.fake.fail("message", status=403, times=1)  # e.g. the bot lost access to the channel
    other = ddesk.runtime.ingest_batch([parse_mention(mention("m2", "@SkylarkAir my suitcase is lost in Rome, help"))])[0]
    wait_until(lambda: _card_state(ddesk, other.case_id) == ("pending", "http_403: Missing Access"),
               what="card left pending after the failure")
    ddesk.fake._failures.clear()
    with transaction(ddesk.runtime.sessions) as session:
        row = session.scalars(select(CaseMessage).where(CaseMessage.case_id == other.case_id)).one()
        row.next_attempt_at = None
    assert ddesk.adapter.call(ddesk.adapter.cards.retry_pending()) == 1
    ddesk.card(BAGS_D, other.case_id)


def _card_state(desk, case_id):
    with desk.runtime.sessions() as session:
        row = session.scalars(select(CaseMessage).where(CaseMessage.case_id == case_id)).first()
        return (row.state.value, row.last_error) if row else None


def test_concurrent_presses_in_discord_one_owner(ddesk):
    case_id, card = open_case(ddesk)
    presses = []

    def press(user):
        presses.append(ddesk.press(ids.card("claim", case_id), user, card))

    threads = [threading.Thread(target=press, args=(u,)) for u in (ANA_D, BEN_D)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(ddesk.callback(p)["type"] == 6 for p in presses)
    wait_until(lambda: sum(len(ddesk.followups(p)) for p in presses) == 1, what="one refusal")
    assert len(ddesk.events(case_id, "claimed")) == 1


def test_escalate_dialog_moves_the_card_and_hands_over_in_the_thread(ddesk):
    case_id, card = open_case(ddesk)
    opened = ddesk.press(ids.card("escalate", case_id), ANA_D, card)
    modal = ddesk.callback(opened)
    assert modal["type"] == 9 and modal["data"]["custom_id"] == f"md:escalate_modal:{case_id}"
    assert "care" in str(modal["data"]["components"]) and "baggage" not in str(modal["data"]["components"])
    missing = ddesk.submit(ids.modal("escalate_modal", case_id), ANA_D, card, {"team": ["care"], "reason": ""})
    assert "say why" in wait_until(lambda: ddesk.followups(missing), what="reason needed")[0]["content"]
    ddesk.submit(ids.modal("escalate_modal", case_id), ANA_D, card,
                 {"team": ["care"], "level": ["lead"], "reason": "Customer is **furious** @everyone"})
    moved = ddesk.card_when(card["id"], lambda m: "Escalated to" in embed_text(m), "old card shows the escalation")
    assert "State: escalated" in embed_text(moved)
    new_card = ddesk.card(CARE_D, case_id)
    handoff = wait_until(lambda: ddesk.thread(new_card), what="handoff in the new card's thread")[0]
    # The team's lead is pinged (and only them); the reason stays inert.
    assert f"<@{DEV_D}>" in handoff["content"] and "\\*\\*furious\\*\\*" in handoff["content"]
    assert handoff["allowed_mentions"]["parse"] == [] and handoff["allowed_mentions"]["users"] == [int(DEV_D)]
    assert ddesk.case(case_id).team == "care" and ddesk.case(case_id).state == CaseState.ESCALATED


def test_fix_triage_dialog_corrects_the_case_from_discord(ddesk):
    case_id, card = open_case(ddesk)
    before = ddesk.case(case_id)
    opened = ddesk.press(ids.card("fix_triage", case_id), ANA_D, card)
    modal = ddesk.callback(opened)
    assert modal["type"] == 9 and modal["data"]["custom_id"] == f"md:triage_modal:{case_id}"
    assert "refund" in str(modal["data"]["components"])
    ddesk.submit(ids.modal("triage_modal", case_id), ANA_D, card,
                 {"intent": ["urgent"], "topic": ["refund"], "note": "needs it today"})
    corrected = wait_until(lambda: ddesk.events(case_id, "triage_corrected"), what="correction recorded")[0]
    assert corrected.source == "discord" and corrected.payload["from"]["intent"] == before.intent
    assert corrected.payload["to"]["intent"] == "urgent" and corrected.payload["to"]["topic"] == "refund"
    ddesk.card_when(card["id"], lambda m: "refund" in embed_text(m), "card shows the corrected topic")
    assert ddesk.case(case_id).intent == "urgent"


def test_not_actionable_closes_the_card_and_thread_messages_become_notes(ddesk):
    case_id, card = open_case(ddesk)
    wait_until(lambda: card["id"] in ddesk.fake.threads, what="thread")
    # Someone types in the card's thread (MESSAGE_CREATE from the gateway): an internal note.
    note = {"id": "1500000000000000001", "channel_id": card["id"], "guild_id": "800000000000000001", "type": 0,
            "author": {"id": ANA_D, "username": "ana", "discriminator": "0", "avatar": None, "global_name": "Ana"},
            "content": "Customer also wrote to us by email", "embeds": [], "components": [], "attachments": [],
            "mentions": [], "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2026-11-20T10:05:00+00:00", "edited_timestamp": None, "flags": 0}
    ddesk.adapter.dispatch_raw("MESSAGE_CREATE", note)
    ddesk.adapter.dispatch_raw("MESSAGE_CREATE", note)  # delivered twice: stored once
    wait_until(lambda: ddesk.events(case_id, "note"), what="note stored")
    time.sleep(0.2)
    notes = ddesk.events(case_id, "note")
    assert len(notes) == 1 and notes[0].payload["text"] == "Customer also wrote to us by email"
    assert notes[0].actor == "Ana Ortiz"

    # Not actionable asks first (ephemeral), closing only on "Close it".
    press = ddesk.press(ids.card("not_actionable", case_id), ANA_D, card)
    question = ddesk.callback(press)
    assert question["type"] == 4 and question["data"]["flags"] & EPHEMERAL
    assert "without a reply?" in question["data"]["content"] and ddesk.case(case_id).state == CaseState.OPEN
    confirm = ddesk.response_message(press, BAGS_D)
    assert custom_ids(confirm) == [ids.card("dismiss", case_id)]
    press = ddesk.press(ids.card("dismiss", case_id), ANA_D, confirm)
    assert ddesk.callback(press)["type"] == 6
    answered = wait_until(lambda: ddesk.fake.calls_of("edit_followup"), what="question answered")[0].body
    assert "closed without a reply" in answered["content"] and answered["components"] == []
    closed = ddesk.card_when(card["id"], lambda m: "not actionable by" in embed_text(m), "card closed")
    assert custom_ids(closed) == [ids.card("fix_triage", case_id)] and closed["embeds"][0]["color"] == 0x8C8C8C
    assert ddesk.case(case_id).state == CaseState.NOT_ACTIONABLE


def test_a_slow_database_still_answers_within_discords_window(ddesk, monkeypatch):
    from handlers.discord import app

    case_id, card = open_case(ddesk)
    ddesk.press(ids.card("claim", case_id), ANA_D, card)
    claimed = ddesk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "claim shown")
    monkeypatch.setattr(app, "CHECK_BUDGET", 0.0)  # the permission check never finishes in time
    started = time.perf_counter()
    opened = ddesk.press(ids.card("reply", case_id), BEN_D, claimed)
    assert ddesk.callback(opened)["type"] == 9  # the dialog opens anyway ...
    assert ddesk.callback_call(opened).at - started < 1.0
    # ... and the action itself refuses what the check would have: Ben does not own the case.
    submit = ddesk.submit(ids.modal("reply_modal", case_id), BEN_D, claimed, {"text": "Hello there"})
    assert "belongs to Ana Ortiz" in wait_until(lambda: ddesk.followups(submit), what="refusal")[0]["content"]
    with ddesk.runtime.sessions() as session:
        assert session.scalars(select(OutboxEntry)).all() == []


def test_a_refused_discord_reply_is_kept_as_the_draft_and_the_next_dialog_opens_with_it(ddesk):
    case_id, card = open_case(ddesk)
    ddesk.press(ids.card("claim", case_id), ANA_D, card)
    claimed = ddesk.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "claim shown")
    text = "Your new booking {{booking reference}} is confirmed"
    submit = ddesk.submit(ids.modal("reply_modal", case_id), ANA_D, claimed, {"text": text})
    refusal = wait_until(lambda: ddesk.followups(submit), what="refusal")[0]["content"]
    assert "fill in {{booking reference}} before sending" in refusal
    opened = ddesk.press(ids.card("reply", case_id), ANA_D, claimed)
    modal = ddesk.callback(opened)
    assert modal["type"] == 9 and text in str(modal["data"])  # the dialog opens with the kept text
