"""The floor for leads (issue 22 item 5): who holds what, who drafts, what waits and what is about
to breach, from ``/mentiondesk floor``; agents are refused; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.desk import commands as cmd
from bot.desk.floor import floor
from bot.desk.service import CaseDesk
from handlers.slack.commands import Commands
from storage.db import transaction
from storage.models import Case
from tests.test_actions import ANA, BEN, DEV, FARAH, open_case


def test_the_floor_shows_holders_drafters_unclaimed_and_what_is_about_to_breach(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    mine = open_case(runtime, id="f1", handle="one")
    waiting = open_case(runtime, text="@SkylarkAir my flight SK9 is delayed, help please", id="f2", handle="two")
    calm = open_case(runtime, text="@SkylarkAir where is my bag from SK77, please help", id="f3", handle="three")
    assert desk.run(cmd.Claim(), mine, "slack", ANA).ok and desk.run(cmd.MayReply(), mine, "slack", ANA).ok
    now = datetime.now(UTC)
    with transaction(runtime.sessions) as session:
        session.get(Case, waiting).claim_due_at = now + timedelta(minutes=10)
        session.get(Case, mine).reply_due_at = now - timedelta(minutes=5)
        session.get(Case, calm).claim_due_at = now + timedelta(hours=3)  # not yet worth a look

    with runtime.sessions() as session:
        seen = floor(session, now)
    assert [(h.name, h.case_ids, h.drafting) for h in seen.holders] == [("Ana Ortiz", [mine], [mine])]
    assert seen.unclaimed == [waiting, calm]
    assert [(r.case_id, r.sla, r.owner) for r in seen.at_risk] == [(mine, "first_reply", "Ana Ortiz"),
                                                                    (waiting, "claim", None)]

    commands = Commands(runtime, desk, show=lambda *a: None, later=lambda fn, *a: fn(*a))
    text = commands.answer(DEV, "floor")
    assert f"• Ana Ortiz: 1 open (#{mine}) · ✍️ drafting on #{mine}" in text
    assert f"*Unclaimed:* 2 (#{waiting}, #{calm})" in text
    assert f"• #{mine} first reply overdue by 5 m · Ana Ortiz" in text
    assert f"• #{waiting} claim due in 9 m · nobody" in text or f"• #{waiting} claim due in 10 m · nobody" in text
    assert commands.answer(FARAH, "floor").startswith("*The floor*")  # supervisors too
    assert commands.answer(BEN, "floor") == "Not possible: only leads and supervisors see the floor (you are agent)."


def test_the_floor_in_discord_answers_leads_only_and_only_to_them(config, database_url):
    from bot.app.runtime import Runtime
    from tests.discord_helpers import (
        ANA_D,
        DEV_D,
        DiscordDesk,
        discord_config,
        reset_api_base,
        start_adapter,
        start_fake,
    )
    from tests.fakes.discord_api import snowflake

    cfg = discord_config(config)
    runtime = Runtime.build(cfg, database=database_url)
    fake, server = start_fake()
    adapter = start_adapter(runtime, fake, server)
    try:
        desk = DiscordDesk(runtime, fake, server, adapter)
        case_id = open_case(runtime)
        data = {"id": snowflake(77), "name": "mentiondesk", "type": 1, "options": [{"name": "floor", "type": 1}]}
        asked = desk.interaction(2, data, DEV_D, None)
        adapter.dispatch_raw("INTERACTION_CREATE", asked)
        answer = desk.callback(asked)
        assert answer["type"] == 4 and answer["data"]["flags"] == 64  # ephemeral
        assert answer["data"]["content"].startswith("**The floor**")
        assert f"**Unclaimed:** 1 (#{case_id})" in answer["data"]["content"]
        refused = desk.interaction(2, data, ANA_D, None)
        adapter.dispatch_raw("INTERACTION_CREATE", refused)
        assert desk.callback(refused)["data"]["content"] == (
            "Not possible: only leads and supervisors see the floor (you are agent).")
    finally:
        adapter.stop()
        server.__exit__()
        runtime.close()
        reset_api_base()


def test_a_business_hours_deadline_after_the_weekend_is_not_about_to_breach_on_friday_night(runtime):
    case_id = open_case(runtime, id="f9", handle="nine")
    friday_night = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    hours = {"always": False, "timezone": "Europe/London", "days": ["mon", "tue", "wed", "thu", "fri"],
             "open": "08:00", "close": "18:00"}
    with transaction(runtime.sessions) as session:
        case = session.get(Case, case_id)
        case.escalation = {"version": 1, "chain": [], "business_hours": {"baggage": hours},
                           "sla": {"claim": 7200, "first_reply": 28800, "warn_before": 0, "hours_team": "baggage"}}
        case.claim_due_at = datetime(2026, 11, 23, 8, 20, tzinfo=UTC)  # 20 working minutes away
    with runtime.sessions() as session:
        assert [(r.case_id, round(r.seconds_left), r.business_hours) for r in floor(session, friday_night).at_risk] \
            == [(case_id, 1200, True)]
        with transaction(runtime.sessions) as write:
            write.get(Case, case_id).claim_due_at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        assert floor(session, friday_night).at_risk == []  # 90 working minutes: not yet
