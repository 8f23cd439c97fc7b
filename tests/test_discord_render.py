"""Discord card rendering, ids and modal parsing without a server: fast checks of what agents see."""

from __future__ import annotations

import pytest

from bot.desk.case_view import Person
from handlers.discord import ids, modals, render
from handlers.discord.components import card_view
from tests.test_slack_cards import view

ANA = Person("Ana Ortiz", {"discord": "300000000000000001", "slack": "U0ANA00001"})


def test_embed_shows_what_the_slack_card_shows():
    embed = render.render_embed(view()).to_dict()
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "🔴 P1 · priority 71 · complaint · case #7"
    assert embed["url"] == "https://x.com/maria/status/1" and embed["author"]["name"] == "María G (@maria_g)"
    assert embed["description"] == "> My bag > 2 days late & nobody answers"
    assert fields["Author"] == "12k followers · ✔️ verified · CRM gold · 2 earlier contacts"
    assert fields["Sentiment"] == "negative (-0.62)" and fields["Team"] == "baggage" and fields["State"] == "open"
    assert "complaint (+30)" in fields["Why"] and "Status" not in fields
    assert [c.custom_id for c in card_view(view()).children] == ["md:claim:7", "md:escalate:7", "md:reply:7",
                                                                 "md:not_actionable:7", "md:fix_triage:7"]


@pytest.mark.parametrize("status,assignee,expected", [
    (("claimed", ANA, {}), ANA, "✋ Claimed by <@300000000000000001> <1 min after arrival"),
    (("escalated", ANA, {"to_team": "pr", "level": "pr", "reason": "**legal** @here"}), None,
     "⬆️ Escalated to **pr (pr)** by <@300000000000000001>: \\*\\*legal\\*\\* @\u200bhere"),
    (("resolved", "SLA timer", {}), None, "🏁 Resolved by SLA timer"),
    (("claimed", Person("Zoë", {"slack": "U0ZOE00001"}), {}), None, "✋ Claimed by Zoë <1 min after arrival"),
])
def test_status_lines(status, assignee, expected):
    assert render.status_line(view(status=status, assignee=assignee, claimed_after_seconds=30)) == expected


def test_buttons_follow_the_state():
    claimed = card_view(view(state="claimed", assignee=ANA))
    assert [c.custom_id for c in claimed.children] == ["md:reply:7", "md:escalate:7", "md:resolve:7",
                                                       "md:release:7", "md:not_actionable:7", "md:fix_triage:7"]
    assert [c.custom_id for c in card_view(view(state="resolved")).children] == ["md:fix_triage:7"]
    assert render.render_embed(view(state="resolved")).colour.value == render.CLOSED_COLOUR


def test_untrusted_text_is_inert_and_cut_to_discords_limits():
    nasty = "@everyone <@123456789012345678> <@&123456789012345678> **bold** [link](https://evil.example) `x`"
    out = render.plain(nasty)
    assert "@everyone" not in out and "<@123456789012345678>" not in out and "\\*\\*bold\\*\\*" in out
    huge = "*_" * 5000  # every character escaped: the cut is made before escaping, within the limit
    embed = render.render_embed(view(text=huge, author_name="A" * 500, reasons=["r" * 2000]))
    assert len(embed.description) <= render.DESCRIPTION and len(embed.author.name) <= render.TITLE
    assert all(len(f.value) <= render.FIELD for f in embed.fields)
    assert not embed.description.endswith("\\") and embed.description.endswith("…")
    assert len(embed) <= 6000  # Discord's limit for a whole embed


def test_embed_carries_customer_context_routing_and_incidents_like_the_slack_card():
    from datetime import datetime, timezone

    from bot.desk.case_view import PastCase

    past = [PastCase(3, "x", "resolved", "negative", "Ben **Carter**", datetime(2026, 11, 2, tzinfo=timezone.utc))]
    routing = {"mode": "suggest", "reason": "last agent for this customer @everyone",
               "steps": [{"outcome": "unavailable", "detail": "presence unknown"}],
               "holding_statement": "We're on it **now**"}
    embed = render.render_embed(view(history=past, open_conversations=[9, 11], crm_value=1800.0,
                                     crm_note="CRM unavailable", routing=routing, routed_to=ANA,
                                     parent_id=4)).to_dict()
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "value 1,800" in fields["Author"] and "⚠️ CRM unavailable" in fields["Author"]
    assert fields["Customer"] == ("**Earlier:** #3 X 02 Nov: resolved, negative, Ben \\*\\*Carter\\*\\*\n"
                                  "**Also open:** 2 other case(s) of this customer (#9, #11)")
    routed = fields["Routing"]
    assert routed.startswith("🧭 Suggested: <@300000000000000001> — last agent for this customer @\u200beveryone")
    assert "(presence unknown)" in routed and "“We're on it \\*\\*now\\*\\*”" in routed
    assert fields["Incident"].startswith("🧩 Part of incident #4")
    # Once claimed, the suggestion is history: no Routing line for a manual suggestion.
    claimed = render.render_embed(view(state="claimed", assignee=ANA, routing={"mode": "suggest", "reason": "r"},
                                       routed_to=ANA)).to_dict()
    assert "Routing" not in {f["name"] for f in claimed["fields"]}


def test_ids_round_trip_and_refuse_garbage():
    assert ids.card("claim", 12) == "md:claim:12" and ids.approval("reject", 12, 3) == "md:reject:12:3"
    assert ids.parse_modal("md:edit_modal:12:3") == ids.Target("edit_modal", 12, 3)
    assert ids.parse_modal("md:reply_modal:12") == ids.Target("reply_modal", 12, None)
    for bad in ("md:reply_modal:x", "md:drop_tables:1", "reply_modal:1", "", "md:reply_modal:1:2:3"):
        assert ids.parse_modal(bad) is None


def test_submitted_values_from_labels_and_action_rows():
    components = [
        {"type": 18, "component": {"type": 4, "custom_id": "text", "value": "Hello"}},
        {"type": 18, "component": {"type": 3, "custom_id": "team", "values": ["care"]}},
        {"type": 18, "component": {"type": 3, "custom_id": "canned", "values": []}},
        {"type": 1, "components": [{"type": 4, "custom_id": "reason", "value": "why"}]},
    ]
    assert modals.submitted(components) == {"text": "Hello", "team": "care", "reason": "why"}
