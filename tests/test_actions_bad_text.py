"""Issue 17, bad input, behind every adapter: the platform-neutral actions refuse text no database
stores (a NUL, an unpaired surrogate) as a recorded refusal, whichever platform sent it (Discord,
Slack over Socket Mode, the console), instead of failing the INSERT. Both databases."""

from __future__ import annotations

import pytest

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from tests.test_refusal_collapse import NOW, open_case, refused


def test_text_no_database_stores_is_refused_by_the_action_for_every_platform(runtime):
    """Defence in depth behind the adapters' own checks: a note, reply or reason with a NUL (or a
    lone surrogate) from any platform is a recorded refusal, not a failed INSERT."""
    case_id = open_case(runtime, "c1")
    desk = CaseDesk(runtime.sessions, clock=lambda: NOW)
    note = desk.run(cmd.Note(text="called the\x00 hotline"), case_id, "discord", "100000000000000042")
    assert not note.ok and note.code == "invalid" and "NUL" in note.reason
    claim = desk.run(cmd.Claim(), case_id, "slack", "U0ANA00001")
    assert claim.ok
    # A lone surrogate cannot even become a command: every adapter's parse names the field.
    with pytest.raises(cmd.Problems) as broken:
        cmd.Reply.parse(text="Sorry \ud800", visibility="public", idempotency_key="k1")
    assert set(broken.value.fields) == {"text"}
    reply = desk.run(cmd.Reply(text="Sorry\x00", visibility="public", idempotency_key="k1"), case_id, "slack",
                     "U0ANA00001")
    assert not reply.ok and reply.code == "invalid" and "NUL" in reply.reason
    assert not desk.run(cmd.Claim(), case_id, "slack", "U0\x00").ok
    assert [e.payload["code"] for e in refused(runtime)] == ["invalid", "invalid"]
    assert desk.run(cmd.Note(text="a fine note"), case_id, "slack", "U0ANA00001").ok
