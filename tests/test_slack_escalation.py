"""Escalation pings reach Slack (fake Slack, real Bolt endpoint, both databases): people and
user groups in the card's thread, a summary in the channel a step names; a claim pressed in
Slack stops the chain. And the server wires the map from MENTIONDESK_ESCALATION."""

from __future__ import annotations

import textwrap

from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from bot.core.yaml_source import load_yaml_with_lines
from escalation.map import parse_escalation_map
from escalation.scheduler import job_id
from handlers.slack import cards
from handlers.slack.pings import SlackPings
from tests.conftest import mention
from tests.test_slack import ANA, CARE, PR, build_desk, wait_until

MAP = """\
categories:
  - name: safety
    match: {topics: [safety]}
    team: pr
    chain:
      - notify_people: [Erin Walsh]
      - notify_group: S0PRONCALL
      - post_to_channel: C0CARE0001
      - wait: 1h
      - notify_people: [Dev Patel]
"""
SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is <!channel> unsafe"


def test_pings_arrive_in_slack_and_a_claim_stops_the_chain(config, database_url):
    desk, close = build_desk(config, database_url)
    try:
        emap = parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(MAP)), config)
        timers = desk.runtime.enable_escalation(emap, notify=SlackPings(desk.adapter.poster))
        case_id = desk.ingest(mention("m1", SAFETY))[0]["case_id"]
        card = desk.card(PR, case_id)

        def in_thread(needle):
            return next((m for m in desk.fake.thread(PR, card["ts"]) if needle in m.get("text", "")), None)

        assert "needs you" in wait_until(lambda: in_thread("<@U0ERIN0001>"), what="Erin pinged")["text"]
        wait_until(lambda: in_thread("<!subteam^S0PRONCALL>"), what="group pinged")
        summary = wait_until(lambda: next((m for m in desk.fake.channel(CARE) if "escalated here" in m["text"]), None),
                             what="summary in the care channel")
        assert "smoke in the cabin" in summary["text"] and "<!channel>" not in summary["text"]  # escaped
        top = desk.fake.cards(PR)
        assert len(top) == 1, [m.get("text", "")[:120] for m in top]  # the ping never posts a second card
        wait_until(lambda: timers.next_run(case_id), what="next step timed")

        desk.press(cards.CLAIM, case_id, ANA, channel=PR, ts=card["ts"])
        wait_until(lambda: desk.events(case_id, "escalation_stopped"), what="chain stopped by the claim")
        wait_until(lambda: timers.scheduler.get_job(job_id(case_id)) is None, what="timer removed")
        assert len(desk.events(case_id, "escalation_step")) == 3
    finally:
        close()


def test_server_wires_the_map_from_the_environment(config, tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", slack_bot_token=None,
                        escalation_path="escalation/samples/escalation.example.yaml")
    runtime = Runtime.build(config, database=settings.database_url, settings=settings)
    try:
        create_app(runtime)
        assert runtime.escalation_timers is not None and not runtime.escalation_timers.scheduler.running
        assert runtime.ingest.case_openers  # new cases get their snapshot
        assert runtime.escalation_timers.engine._map().category("safety") is not None
    finally:
        runtime.close()
