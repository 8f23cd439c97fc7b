"""Reply templates: variables filled from the case when the reply is queued, fill-in prompts that
must be filled before sending, the platform's limit applied to the rendered text, and an unknown
variable refused: in the config with its line, in a typed reply with what to fix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core import templates
from bot.core.config import ConfigError, load_config
from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from storage.models import Event, OutboxEntry
from tests.test_actions import ANA, open_case


def test_prompts_and_unknown_variables_are_found_and_substitution_is_one_pass():
    text = "Hi {customer.name}, ref {{ booking reference }} and {{seat}} ({custmer.name})"
    assert templates.prompts(text) == ["booking reference", "seat"]
    assert templates.unknown_variables(text) == ["custmer.name"]
    # A customer whose name looks like a template stays literal text.
    rendered = templates.render("Hi {customer.name}, case {case.id}", {"customer.name": "{case.id} {{x}}",
                                                                       "case.id": "7"})
    assert rendered == "Hi {case.id} {{x}}, case 7"
    assert templates.send_problems("ref {{booking reference}}") == ["fill in {{booking reference}} before sending"]


def test_an_unknown_variable_in_a_canned_response_is_a_config_error_with_its_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("brands:\n  - name: A\n    keywords: [a]\ncanned_responses:\n  - id: hi\n    title: Hi\n"
                    "    text: 'Hello {customer.nmae}'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "c.yaml:7:" in message and "canned_responses[0].text" in message
    assert "unknown variable {customer.nmae}" in message and "{customer.name}" in message


def _claimed(runtime, **kw) -> tuple[CaseDesk, int]:
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    case_id = open_case(runtime, **kw)
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    return desk, case_id


def _outbox_text(runtime, outbox_id) -> str:
    with runtime.sessions() as session:
        return session.get(OutboxEntry, outbox_id).text


def test_variables_are_filled_from_the_case_when_the_reply_is_queued(runtime):
    desk, case_id = _claimed(runtime, handle="maria_t")
    result = desk.run(cmd.Reply.parse(text="Hi {customer.name} ({customer.handle}), {agent.first_name} from "
                                           "{brand.name} here, case {case.id}.", idempotency_key="t1"),
                      case_id, "slack", ANA)
    assert result.ok, result
    assert _outbox_text(runtime, result.outbox_id) == (
        f"Hi Maria_T (@maria_t), Ana from Skylark Airways here, case {case_id}.")


def test_a_reply_with_an_unfilled_prompt_is_refused_naming_it_and_recorded(runtime):
    desk, case_id = _claimed(runtime)
    canned = next(c for c in runtime.config.canned_responses if templates.prompts(c.text))
    reply = cmd.Reply.parse(text="", canned_id=canned.id, idempotency_key="t2")
    assert desk.reply_problems(reply, "x") == ["fill in {{booking reference}} before sending"]
    result = desk.run(reply, case_id, "slack", ANA)
    assert not result.ok and result.code == "invalid"
    assert result.reason == "fill in {{booking reference}} before sending"
    with runtime.sessions() as session:
        refusal = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "refused")).one()
        assert refusal.payload["action"] == "reply" and session.scalars(select(OutboxEntry)).first() is None
    # Filled in, the same template goes out, its variables rendered.
    filled = canned.text.replace("{{booking reference}}", "SKX42Q")
    sent = desk.run(cmd.Reply.parse(text=filled, idempotency_key="t3"), case_id, "slack", ANA)
    assert sent.ok, sent
    assert _outbox_text(runtime, sent.outbox_id) == (
        f"Hi Traveller, your new booking SKX42Q is confirmed. Ana at Skylark Airways (case {case_id})")


def test_the_platform_limit_applies_to_the_rendered_reply(runtime):
    # 276 characters typed, but the customer's long handle pushes the rendered reply past X's 280.
    desk, case_id = _claimed(runtime, handle="a_really_long_handle_x")
    text = "{customer.handle} " + "x" * 258
    assert len(text) < 280
    result = desk.run(cmd.Reply.parse(text=text, idempotency_key="t4"), case_id, "slack", ANA)
    assert not result.ok and result.reason.startswith("too long for x: 282 characters, 280 at most")


def test_an_unknown_variable_in_a_typed_reply_is_refused_not_sent_verbatim(runtime):
    desk, case_id = _claimed(runtime)
    result = desk.run(cmd.Reply.parse(text="Hi {customer.first_name}", idempotency_key="t5"), case_id, "slack", ANA)
    assert not result.ok and "unknown variable {customer.first_name}" in result.reason
