"""One team in Slack and Discord at once: one case, a card on each platform, and whatever is pressed
on either side shows on both. The Slack side is the real Bolt endpoint with signed requests and the
fake Slack API; the Discord side is discord.py with the fake Discord API. Both databases."""

from __future__ import annotations

import threading
import time

import pytest

from handlers.discord import ids
from handlers.slack import cards
from storage.models import CaseState
from tests.conftest import mention
from tests.discord_helpers import (ANA_D, BAGS_D, BEN_D, CARE_D, DiscordDesk, custom_ids, discord_config, embed_text,
                                   reset_api_base, start_adapter, start_fake, wait_until)
from tests.discord_helpers import no_errors_logged  # noqa: F401  (autouse: swallowed errors fail the test)
from tests.test_slack import ANA, BAG_TEXT, BAGGAGE, BEN, CARE, build_desk, button_ids, card_text


@pytest.fixture
def both(config, database_url):
    slack, close = build_desk(discord_config(config), database_url)
    fake, server = start_fake()
    adapter = start_adapter(slack.runtime, fake, server)
    discord = DiscordDesk(slack.runtime, fake, server, adapter)
    yield slack, discord
    adapter.stop()
    server.__exit__()
    close()
    reset_api_base()


def open_case(slack, discord) -> tuple[int, dict, dict]:
    case_id = slack.ingest(mention("m1", BAG_TEXT))[0]["case_id"]
    return case_id, slack.card(BAGGAGE, case_id), discord.card(BAGS_D, case_id)


def test_concurrent_claims_from_slack_and_discord_one_owner_both_cards_updated(both):
    slack, discord = both
    case_id, slack_card, discord_card = open_case(slack, discord)
    go = threading.Barrier(2)
    presses = {}

    def press_slack():
        go.wait()
        presses["slack"] = slack.press(cards.CLAIM, case_id, ANA, ts=slack_card["ts"])

    def press_discord():
        go.wait()
        presses["discord"] = discord.press(ids.card("claim", case_id), BEN_D, discord_card)

    threads = [threading.Thread(target=press_slack), threading.Thread(target=press_discord)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert presses["slack"].status_code == 200 and discord.callback(presses["discord"])["type"] == 6

    wait_until(lambda: len(slack.events(case_id, "refused")) == 1, what="the losing claim recorded")
    claimed = slack.events(case_id, "claimed")
    assert len(claimed) == 1
    winner = claimed[0].actor
    assert winner in ("Ana Ortiz", "Ben Carter") and claimed[0].source == ("slack" if winner == "Ana Ortiz" else "discord")
    case = slack.case(case_id)
    assert case.state == CaseState.CLAIMED and case.assignee_id is not None

    # Both cards show the one owner, whichever platform won.
    slack_mention, discord_mention = (f"<@{ANA}>", f"<@{ANA_D}>") if winner == "Ana Ortiz" else (f"<@{BEN}>", f"<@{BEN_D}>")
    updated = wait_until(lambda: next((m for m in slack.fake.cards(BAGGAGE) if m["ts"] == slack_card["ts"]
                                       and "Claimed by" in card_text(m)), None), what="Slack card updated")
    assert f"Claimed by {slack_mention}" in card_text(updated) and cards.CLAIM not in button_ids(updated)
    shown = discord.card_when(discord_card["id"], lambda m: "Claimed by" in embed_text(m), "Discord card updated")
    assert f"Claimed by {discord_mention}" in embed_text(shown) and ids.card("claim", case_id) not in custom_ids(shown)
    # The loser is told, on their own platform, who won.
    if winner == "Ana Ortiz":
        refusal = wait_until(lambda: discord.followups(presses["discord"]), what="Discord refusal")[0]["content"]
        assert f"already claimed by <@{ANA_D}>" in refusal
    else:
        refusal = wait_until(lambda: slack.fake.ephemerals, what="Slack refusal")[0]["text"]
        assert f"already claimed by <@{BEN}>" in refusal


def test_a_press_on_one_platform_updates_the_card_on_the_other(both):
    slack, discord = both
    case_id, slack_card, discord_card = open_case(slack, discord)

    # Claimed in Discord → the Slack card and its thread say so.
    discord.press(ids.card("claim", case_id), ANA_D, discord_card)
    on_slack = wait_until(lambda: next((m for m in slack.fake.cards(BAGGAGE) if m["ts"] == slack_card["ts"]
                                        and "Claimed by" in card_text(m)), None), what="Slack card shows the claim")
    assert f"Claimed by <@{ANA}>" in card_text(on_slack)
    assert "Claimed by" in wait_until(lambda: slack.fake.thread(BAGGAGE, slack_card["ts"]), what="Slack line")[0]["text"]

    # Released in Slack → the Discord card offers Claim again and its thread says so.
    slack.press(cards.RELEASE, case_id, ANA, ts=slack_card["ts"])
    released = discord.card_when(discord_card["id"], lambda m: "Released by" in embed_text(m), "Discord card released")
    assert custom_ids(released)[0] == ids.card("claim", case_id) and "State: open" in embed_text(released)
    wait_until(lambda: any("Released by" in m["content"] for m in discord.thread(discord_card)), what="Discord line")
    assert slack.case(case_id).state == CaseState.OPEN
    # Each platform edited its card in place; neither posted a second card.
    assert len(slack.fake.cards(BAGGAGE)) == 1 and len(discord.fake.channel(BAGS_D)) == 1


def test_a_press_while_the_slack_card_is_being_recorded_still_gets_its_thread_line(both, monkeypatch):
    """Slack has accepted the card but the poster has not recorded it yet when Ana claims in
    Discord: the claim's refresh must wait for the record, not find no card and say nothing."""
    slack, discord = both
    poster = slack.adapter.poster
    record = poster.record_posted
    pressed = {}

    def press_before_the_record(case_id, channel, message_id, view):
        if not pressed:  # Slack has accepted the card; the poster has not recorded it yet
            pressed["case"] = case_id
            discord.press(ids.card("claim", case_id), ANA_D, discord.card(BAGS_D, case_id))
            wait_until(lambda: slack.events(case_id, "claimed"), what="the claim stored")
            time.sleep(0.5)  # the claim's Slack refresh runs now, before the card is recorded
        return record(case_id, channel, message_id, view)

    monkeypatch.setattr(poster, "record_posted", press_before_the_record)
    slack.ingest(mention("m1", BAG_TEXT))
    card = wait_until(lambda: next((m for m in slack.fake.cards(BAGGAGE) if "Claimed by" in card_text(m)), None),
                      what="Slack card shows the claim")
    assert f"Claimed by <@{ANA}>" in card_text(card)
    line = wait_until(lambda: slack.fake.thread(BAGGAGE, card["ts"]), what="Slack thread line")
    assert "Claimed by" in line[0]["text"]


def test_a_press_while_the_discord_card_is_being_posted_still_gets_its_thread_line(both, monkeypatch):
    """The mirror case: the Discord poster has read the case (without the claim) and is about to
    send the card when Ana claims in Slack. The claim's Discord refresh must wait for the card and
    its thread, not find no card and say nothing."""
    slack, discord = both
    delivery = discord.adapter.cards.delivery
    lease = delivery.lease_row
    pressed = {}

    def press_after_the_read(case_id, channel):
        leased = lease(case_id, channel)
        if leased is not None and not pressed:
            pressed["case"] = case_id
            slack.press(cards.CLAIM, case_id, ANA, ts=slack.card(BAGGAGE, case_id)["ts"])
            wait_until(lambda: slack.events(case_id, "claimed"), what="the claim stored")
            time.sleep(0.5)  # the claim's Discord refresh runs now, before the card is sent
        return leased

    monkeypatch.setattr(delivery, "lease_row", press_after_the_read)
    case_id = slack.ingest(mention("m1", BAG_TEXT))[0]["case_id"]
    card = discord.card(BAGS_D, case_id)
    shown = discord.card_when(card["id"], lambda m: "Claimed by" in embed_text(m), "Discord card shows the claim")
    assert f"Claimed by <@{ANA_D}>" in embed_text(shown)
    wait_until(lambda: any("Claimed by" in m["content"] for m in discord.thread(card)), what="Discord thread line")


def test_escalated_in_discord_the_slack_card_appears_in_the_new_teams_channel(both):
    slack, discord = both
    case_id, slack_card, discord_card = open_case(slack, discord)
    discord.submit(ids.modal("escalate_modal", case_id), ANA_D, discord_card,
                   {"team": ["care"], "level": ["team"], "reason": "Refund question, not baggage"})
    moved = wait_until(lambda: next((m for m in slack.fake.cards(BAGGAGE) if m["ts"] == slack_card["ts"]
                                     and "Escalated to" in card_text(m)), None), what="old Slack card updated")
    assert "care" in card_text(moved)
    slack.card(CARE, case_id)  # posted in the care channel on Slack ...
    discord.card(CARE_D, case_id)  # ... and on Discord
