"""Typed commands: each declares the roles that may run it, and that declaration is what the desk
enforces (one refusal event for anyone else); untrusted input becomes a command or a Problems that
names the field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from storage.models import Event, Role
from tests.test_actions import ANA, DEV, ERIN, FARAH, open_case

BY_ROLE = {Role.AGENT: ANA, Role.LEAD: DEV, Role.PR: ERIN, Role.SUPERVISOR: FARAH}

#: One valid instance of every command (the values only need to pass parsing).
EXAMPLES: dict[type[cmd.Command], cmd.Command] = {
    cmd.Claim: cmd.Claim(), cmd.Release: cmd.Release(), cmd.Reassign: cmd.Reassign(to_agent_id=1),
    cmd.MayReply: cmd.MayReply(), cmd.SaveDraft: cmd.SaveDraft(text="Hi"), cmd.TakeOver: cmd.TakeOver(),
    cmd.Reply: cmd.Reply(text="We are on it.", idempotency_key="k"),
    cmd.Engage: cmd.Engage(kind="like", idempotency_key="like"), cmd.ThankPublicly: cmd.ThankPublicly(idempotency_key="t"),
    cmd.Escalate: cmd.Escalate(to_team="care", reason="needs care"), cmd.NotActionable: cmd.NotActionable(),
    cmd.Resolve: cmd.Resolve(), cmd.Note: cmd.Note(text="called the airport"),
    cmd.CorrectTriage: cmd.CorrectTriage(intent="complaint"), cmd.MayApprove: cmd.MayApprove(outbox_id=1),
    cmd.Approve: cmd.Approve(outbox_id=1), cmd.Edit: cmd.Edit(outbox_id=1, text="Better words."),
    cmd.Reject: cmd.Reject(outbox_id=1, reason="tone"), cmd.SamePerson: cmd.SamePerson(other_platform="discord", handle="m"),
}


def test_every_command_has_an_example_and_a_unique_name():
    assert set(EXAMPLES) == set(cmd.COMMANDS.values())
    assert len(cmd.COMMANDS) == len({c.action for c in cmd.COMMANDS.values()})


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=lambda k: k.action)
def test_the_declared_roles_are_the_roles_the_desk_lets_through(runtime, kind):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    for n, (role, user) in enumerate(BY_ROLE.items()):
        flight = f"SK{100 + n}"  # a different post each time: the same text thrice would look like spam
        case_id = open_case(runtime, text=f"@SkylarkAir my bag never arrived on {flight}, please help",
                            id=f"{kind.action}-{role.value}", handle=f"traveller_{n}")
        result = desk.run(EXAMPLES[kind], case_id, "slack", user)
        forbidden = result.code == "forbidden"
        assert forbidden == (role not in kind.roles), (kind.action, role, result)
        if forbidden:  # refused once, and recorded once
            with runtime.sessions() as session:
                refusals = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "refused")).all()
            # Recorded under what the person tried: may_reply refuses a reply, engage(kind=like) a like.
            guarded = {"may_reply": "reply", "engage": "like"}.get(kind.action, kind.action)
            assert len(refusals) == 1 and refusals[0].payload["action"] == guarded


def test_an_unknown_person_is_refused_whatever_the_command(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    case_id = open_case(runtime)
    assert desk.run(cmd.Claim(), case_id, "slack", "U0NOBODY01").code == "unknown_user"


def test_bad_input_names_the_field():
    with pytest.raises(cmd.Problems) as missing:
        cmd.Escalate.parse(to_team="care", reason="   ")
    assert missing.value.fields == {"reason": "say why, so the next person knows"}
    with pytest.raises(cmd.Problems) as number:
        cmd.Approve.parse(outbox_id="seven")
    assert number.value.fields == {"outbox_id": "outbox id must be a number"}
    with pytest.raises(cmd.Problems) as level:
        cmd.Escalate.parse(to_team="care", reason="why", level="ceo")
    assert set(level.value.fields) == {"level"}
    with pytest.raises(cmd.Problems) as extra:
        cmd.Claim.parse(note="claims take no note")
    assert set(extra.value.fields) == {"note"}


def test_reply_falls_back_to_the_canned_response_in_the_desk(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    canned = runtime.config.canned_responses[0]
    reply = cmd.Reply.parse(text="", canned_id=canned.id, idempotency_key="c1")
    assert desk.reply_problems(reply, "x") == [] or len(canned.text) > 280
    assert reply.resolved(desk.context.canned).text == canned.text
    assert desk.reply_problems(cmd.Reply.parse(text="", idempotency_key="c2"), "x") == ["the reply is empty"]
