"""No collisions (issue 22 item 4) on SQLite and PostgreSQL: opening Reply takes a drafting lease that
cards and the console show to others and that expires; a second person opening Reply is warned;
only the owner replies, a lead takes the case over first; a closed dialog's draft is kept."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk import drafts
from bot.desk.case_view import load_card
from bot.desk.service import CaseDesk
from handlers.discord.render import render_embed
from handlers.slack import modals
from handlers.slack.cards import render_card
from storage.models import Event, ReplyDraft
from tests.test_actions import ANA, BEN, DEV, NOW, open_case
from tests.test_web_console import console, csrf_of, login  # noqa: F401 - the fixture is used by name


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


def _desk(runtime) -> tuple[CaseDesk, Clock]:
    clock = Clock()
    return CaseDesk(runtime.sessions, config=runtime.config, clock=clock), clock


def _card(runtime, case_id, now):
    with runtime.sessions() as session:
        return load_card(session, case_id, now)


def _types(runtime, case_id) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event.type).where(Event.case_id == case_id).order_by(Event.id)))


def test_opening_reply_shows_the_drafter_on_every_card_warns_the_next_one_and_expires(runtime):
    desk, clock = _desk(runtime)
    case_id = open_case(runtime)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    opened = desk.run(cmd.MayReply(), case_id, "slack", ANA)
    assert opened.ok and opened.event == "reply_opened" and opened.changes["warning"] is None
    card = _card(runtime, case_id, clock.now)
    assert card.drafting == ["Ana Ortiz"]
    slack_text = str(render_card(card))
    assert "Ana Ortiz is drafting a reply" in slack_text
    embed = render_embed(card)
    assert any(f.value == "✍️ Ana Ortiz is drafting a reply" for f in embed.fields)

    # The lead takes the case over and opens Reply while Ana's dialog is still open: warned.
    clock.now += timedelta(minutes=3)
    assert desk.run(cmd.TakeOver(), case_id, "slack", DEV).event == "taken_over"
    second = desk.run(cmd.MayReply(), case_id, "slack", DEV)
    assert second.ok and second.changes["warning"] == "Ana Ortiz is drafting a reply"
    assert _card(runtime, case_id, clock.now).drafting == ["Ana Ortiz", "Dev Patel"]
    modal = modals.reply_modal(card, runtime.config.canned_responses, 280, "C1", warning=second.changes["warning"])
    assert modal["blocks"][0]["elements"][0]["text"] == "⚠️ Ana Ortiz is drafting a reply"
    assert modal["notify_on_close"] is True

    # Ana's lease runs out (10 minutes); Dev's, taken later, still runs.
    clock.now = NOW + drafts.LEASE + timedelta(seconds=1)
    assert _card(runtime, case_id, clock.now).drafting == ["Dev Patel"]
    with runtime.sessions() as session:
        payload = session.scalars(select(Event.payload).where(Event.case_id == case_id, Event.type == "reply_opened")
                                  .order_by(Event.id)).all()
    assert [p["others_drafting"] for p in payload] == [[], ["Ana Ortiz"]]


def test_only_the_owner_replies_and_a_lead_takes_the_case_over_first(runtime):
    desk, _ = _desk(runtime)
    case_id = open_case(runtime)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    ben = desk.run(cmd.Reply(text="I'll answer", idempotency_key="b"), case_id, "slack", BEN)
    assert ben.code == "forbidden" and ben.reason == "the case belongs to Ana Ortiz (a lead can take it over)"
    lead = desk.run(cmd.Reply(text="Lead here", idempotency_key="d1"), case_id, "slack", DEV)
    assert lead.code == "forbidden" and lead.reason == "the case belongs to Ana Ortiz (take it over first)"
    assert desk.run(cmd.TakeOver(), case_id, "slack", BEN).code == "forbidden"  # leads only

    taken = desk.run(cmd.TakeOver(), case_id, "slack", DEV)
    assert taken.ok and taken.changes == {"assignee": "Dev Patel"}
    assert desk.run(cmd.TakeOver(), case_id, "slack", DEV).reason == "you already own this case"
    assert desk.run(cmd.Reply(text="Lead here", idempotency_key="d2"), case_id, "slack", DEV).event == "reply_queued"
    assert desk.run(cmd.Reply(text="Me too", idempotency_key="a"), case_id, "slack", ANA).code == "forbidden"
    with runtime.sessions() as session:
        event = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "taken_over")).one()
        assert event.payload == {"from": "Ana Ortiz", "to": "Dev Patel"} and event.actor == "Dev Patel"
    assert _types(runtime, case_id)[2:] == ["claimed", "refused", "refused", "refused", "taken_over", "refused",
                                            "reply_queued", "refused"]


def test_a_closed_dialogs_draft_comes_back_and_goes_when_the_reply_is_queued(runtime):
    desk, clock = _desk(runtime)
    case_id = open_case(runtime)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    assert desk.run(cmd.MayReply(), case_id, "slack", ANA).changes["draft"] == ""
    saved = desk.run(cmd.SaveDraft(text="Hi, I am checking the baggage system for"), case_id, "slack", ANA)
    assert saved.event == "draft_saved"
    assert _card(runtime, case_id, clock.now).drafting == []  # a closed dialog holds no lease
    again = desk.run(cmd.MayReply(), case_id, "slack", ANA)
    assert again.changes["draft"] == "Hi, I am checking the baggage system for"
    modal = modals.reply_modal(_card(runtime, case_id, clock.now), [], 280, None, draft=again.changes["draft"])
    assert modal["blocks"][1]["element"]["initial_value"] == "Hi, I am checking the baggage system for"
    assert desk.run(cmd.Reply(text="Found it, DM us", idempotency_key="r"), case_id, "slack", ANA).ok
    with runtime.sessions() as session:
        assert session.scalars(select(ReplyDraft)).all() == []
        logged = session.scalars(select(Event).where(Event.type == "draft_saved")).one()
        assert logged.payload == {"characters": 40}  # the length, never the words


def test_the_console_shows_who_drafts_keeps_the_draft_and_lets_a_lead_take_over(console):  # noqa: F811
    server, runtime, (case_id, _) = console
    ana, page = login(server.url, "Ana Ortiz")
    token = csrf_of(page.text)
    ana.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    page = ana.post(f"/console/cases/{case_id}/may_reply", data={"csrf": token})
    assert f"Case #{case_id}: you are drafting a reply" in page.text
    page = ana.post(f"/console/cases/{case_id}/save_draft", data={"csrf": token, "text": "Half a reply & more"})
    assert "draft saved" in page.text and ">Half a reply &amp; more</textarea>" in page.text
    ana.post(f"/console/cases/{case_id}/may_reply", data={"csrf": token})

    dev, page = login(server.url, "Dev Patel")
    token = csrf_of(page.text)
    page = dev.get(f"/console/cases/{case_id}")
    assert "Ana Ortiz is drafting a reply" in page.text and "Take over from Ana Ortiz" in page.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    refused = dev.post(f"/console/cases/{case_id}/reply", data={"csrf": token, "nonce": nonce, "text": "Hi"})
    assert "belongs to Ana Ortiz (take it over first)" in refused.text
    page = dev.post(f"/console/cases/{case_id}/take_over", data={"csrf": token})
    assert "taken over: the case is yours" in page.text and 'id="case-owner">Dev Patel<' in page.text
    page = dev.post(f"/console/cases/{case_id}/may_reply", data={"csrf": token})
    assert "careful: Ana Ortiz is drafting a reply" in page.text
