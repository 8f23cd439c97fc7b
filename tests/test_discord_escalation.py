"""Escalation pings reach Discord (fake Discord API, both databases): the people a step names are
pinged in the card's thread (and only they), the card is posted first when the ping comes before
it, a summary goes to a Discord channel a step names, and a claim pressed in Discord stops the chain."""

from __future__ import annotations

import textwrap

import pytest

from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from escalation.map import parse_escalation_map
from handlers.discord import ids
from tests.conftest import mention
from tests.discord_helpers import (ANA_D, CARE_D, ERIN_D, PR_D, DiscordDesk, discord_config, reset_api_base,
                                   start_adapter, start_fake, wait_until)
from tests.discord_helpers import no_errors_logged  # noqa: F401  (autouse: swallowed errors fail the test)

MAP = f"""\
categories:
  - name: safety
    match: {{topics: [safety]}}
    team: pr
    chain:
      - notify_people: [Erin Walsh]
      - post_to_channel: "{CARE_D}"
      - wait: 1h
      - notify_people: [Dev Patel]
"""
SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is @everyone unsafe"


@pytest.fixture
def ddesk(config, database_url):
    cfg = discord_config(config)
    runtime = Runtime.build(cfg, database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    yield DiscordDesk(runtime, fake, server, adapter), cfg
    adapter.stop()
    server.__exit__()
    runtime.close()
    reset_api_base()


def test_pings_arrive_in_the_discord_thread_and_a_claim_stops_the_chain(ddesk):
    desk, cfg = ddesk
    emap = parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(MAP)), cfg)
    desk.runtime.enable_escalation(emap, notify=desk.adapter.notify)
    case_id = desk.runtime.ingest_batch([parse_mention(mention("m1", SAFETY))])[0].case_id
    card = desk.card(PR_D, case_id)
    ping = wait_until(lambda: next((m for m in desk.thread(card) if f"<@{ERIN_D}>" in m["content"]), None),
                      what="Erin pinged in the thread")
    assert ping["allowed_mentions"]["parse"] == [] and ping["allowed_mentions"]["users"] == [int(ERIN_D)]
    summary = wait_until(lambda: next((m for m in desk.fake.channel(CARE_D) if "smoke in the cabin" in m["content"]),
                                      None), what="summary in the care channel")
    assert "@\u200beveryone" in summary["content"] and summary["allowed_mentions"] == {"parse": []}
    assert len(desk.fake.channel(PR_D)) == 1  # the ping never posts a second card

    desk.press(ids.card("claim", case_id), ANA_D, card)
    wait_until(lambda: desk.events(case_id, "escalation_stopped"), what="chain stopped by the claim")
    assert len(desk.events(case_id, "escalation_step")) == 2


ROLE_D = "500000000000000777"


def test_a_notify_group_step_naming_a_discord_role_pings_that_role_only(ddesk):
    desk, cfg = ddesk
    text = MAP.replace("      - notify_people: [Erin Walsh]\n", f'      - notify_group: "{ROLE_D}"\n')
    emap = parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(text)), cfg)
    desk.runtime.enable_escalation(emap, notify=desk.adapter.notify)
    # The customer's text names another role: it stays text, only the map's role is pinged.
    case_id = desk.runtime.ingest_batch([parse_mention(mention("m1", SAFETY + " <@&500000000000000999>"))])[0].case_id
    card = desk.card(PR_D, case_id)
    ping = wait_until(lambda: next((m for m in desk.thread(card) if f"<@&{ROLE_D}>" in m["content"]), None),
                      what="the role pinged in the thread")
    assert ping["allowed_mentions"]["roles"] == [int(ROLE_D)] and ping["allowed_mentions"]["parse"] == []
    assert "500000000000000999" not in str(ping["allowed_mentions"])
