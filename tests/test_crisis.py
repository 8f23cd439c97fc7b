"""Crisis mode on and off changes routing and approval for that topic only (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.desk import actions
from bot.desk.actions import resolve_actor
from bot.desk.case_view import load_card
from bot.app.cli.main import app
from bot.desk.crisis import set_topic_mode
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from sqlalchemy import create_engine, text
from handlers.slack.cards import render_card
from storage.db import transaction
from storage.models import Case, Event, OutboxEntry, OutboxState, TopicModeSwitch
from storage.modes import crisis_topics
from tests.conftest import mention
from tests.routing_fixtures import routing_config, routing_config_text

MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ANA, BEN, ERIN = "U0ANA00001", "U0BEN00001", "U0ERIN0001"
BAG = "@SkylarkAir my bag never arrived in Lisbon, please help {n}"
LATE = "@SkylarkAir flight SK212 delayed three hours, can you help me rebook {n}"


@pytest.fixture
def rt(database_url):
    runtime = Runtime.build(routing_config(), database=database_url)
    yield runtime
    runtime.close()


_n = iter(range(1, 10_000))


def open_case(rt, template, at=MON_10, **kw) -> Case:
    n = next(_n)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    outcome = rt.ingest_batch([parse_mention(mention(f"c{n}", template.format(n=words[n % 10] + " " + words[n // 10 % 10]),
                                                     handle=f"cust{n}", **kw))], now=at)[0]
    assert outcome.new_case
    with rt.sessions() as session:
        return session.get(Case, outcome.case_id)


def switch(rt, topic, mode, actor=None):
    with transaction(rt.sessions) as session:
        return set_topic_mode(session, rt.config, topic, mode, actor or resolve_actor(session, "cli", "Farah Haddad"),
                              reason="reports on X", now=MON_10)


def reply(rt, case_id, user, text="We're on it, sorry about this."):
    with transaction(rt.sessions) as session:
        actor = resolve_actor(session, "slack", user)
        if session.get(Case, case_id).assignee_id is None:
            assert actions.claim(session, case_id, actor, now=MON_10).ok
        result = actions.reply(session, case_id, actor, text=text, idempotency_key=f"k{next(_n)}", now=MON_10)
    assert result.ok, result.reason
    return result


def test_crisis_on_and_off_changes_routing_and_approval_for_that_topic_only(rt):
    before = open_case(rt, BAG)  # opened before the crisis: auto-assigned in baggage
    assert before.team == "baggage" and before.routing["crisis"] is False

    assert switch(rt, "lost_luggage", "crisis").changed
    with rt.sessions() as session:
        assert crisis_topics(session) == {"lost_luggage"}
        marks = session.scalars(select(Event).where(Event.case_id == before.id, Event.type == "crisis_mode")).all()
    assert [m.payload["mode"] for m in marks] == ["crisis"] and marks[0].actor == "Farah Haddad"

    during = open_case(rt, BAG)
    assert during.team == "pr" and during.routing["crisis"] is True
    assert during.routing["team_reason"] == "topic lost_luggage is in crisis mode → crisis team pr"
    assert during.routing["agent"] == "Erin Walsh"
    assert during.routing["holding_statement"].startswith("We're aware of reports")
    from handlers.slack.modals import reply_modal

    modal = reply_modal(_card(rt, during.id), [], 280, None)
    assert modal["blocks"][1]["element"]["initial_value"] == during.routing["holding_statement"]
    card = str(render_card(_card(rt, during.id)))
    assert "Crisis mode on topic *lost_luggage*" in card and "Suggested reply (holding statement)" in card

    other = open_case(rt, LATE)  # another topic: untouched
    assert other.team == "care" and other.routing["crisis"] is False and other.routing["holding_statement"] is None

    # Replies on the crisis topic wait for PR, also on the case opened before the switch.
    held = reply(rt, before.id, ANA)
    assert held.event == "approval_requested"
    with rt.sessions() as session:
        why = session.scalars(select(Event).where(Event.case_id == before.id, Event.type == "approval_requested")).one()
        assert why.payload["why"] == "topic 'lost_luggage' is in crisis mode"
        assert session.get(OutboxEntry, held.outbox_id).state == OutboxState.AWAITING_APPROVAL
    assert reply(rt, other.id, BEN).event == "reply_queued"

    assert switch(rt, "lost_luggage", "normal").changed
    after = open_case(rt, BAG)
    assert after.team == "baggage" and after.routing["crisis"] is False
    assert reply(rt, after.id, after_owner(rt, after)).event == "reply_queued"
    with rt.sessions() as session:
        assert crisis_topics(session) == frozenset()
        log = [(r.topic, r.mode, r.actor) for r in session.scalars(select(TopicModeSwitch).order_by(TopicModeSwitch.id))]
    assert log == [("lost_luggage", "crisis", "Farah Haddad"), ("lost_luggage", "normal", "Farah Haddad")]


def after_owner(rt, case):
    from storage.models import Agent

    with rt.sessions() as session:
        return session.get(Agent, session.get(Case, case.id).assignee_id).slack_user_id


def _card(rt, case_id):
    with rt.sessions() as session:
        return load_card(session, case_id)


def test_only_pr_and_leads_switch_from_a_team_platform_and_refusals_are_logged(rt):
    with transaction(rt.sessions) as session:
        ana = resolve_actor(session, "slack", ANA)
        result = set_topic_mode(session, rt.config, "refund", "crisis", ana, now=MON_10)
    assert not result.ok and "only lead or pr can switch" in result.reason
    with transaction(rt.sessions) as session:
        erin = resolve_actor(session, "slack", ERIN)
        assert set_topic_mode(session, rt.config, "refund", "crisis", erin, now=MON_10).changed
        again = set_topic_mode(session, rt.config, "refund", "crisis", erin, now=MON_10)
    assert again.ok and not again.changed and "already in crisis" in again.reason
    with rt.sessions() as session:
        modes = [r.mode for r in session.scalars(select(TopicModeSwitch).order_by(TopicModeSwitch.id))]
        assert crisis_topics(session) == {"refund"}
    assert modes == ["refused", "crisis"]


def test_unknown_topic_is_refused(rt):
    result = switch(rt, "volcanoes", "crisis")
    assert not result.ok and "unknown topic 'volcanoes'" in result.reason


def test_mode_command_line(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(routing_config_text(), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'md.db'}"
    runner = CliRunner()
    on = runner.invoke(app, ["mode", "crisis", "--topic", "safety", "--config", str(config), "--database-url", db,
                             "--by", "Erin Walsh", "--reason", "smoke reports"])
    assert on.exit_code == 0, on.output
    assert "safety is in crisis mode" in on.output and "pr" in on.output
    status = runner.invoke(app, ["mode", "status", "--config", str(config), "--database-url", db])
    assert "safety: crisis since" in status.output and "by Erin Walsh (smoke reports)" in status.output
    off = runner.invoke(app, ["mode", "normal", "--topic", "safety", "--config", str(config), "--database-url", db,
                              "--by", "Dev Patel"])
    assert off.exit_code == 0 and "back to normal" in off.output
    bad = runner.invoke(app, ["mode", "crisis", "--topic", "nope", "--config", str(config), "--database-url", db,
                              "--by", "Erin Walsh"])
    assert bad.exit_code == 2 and "unknown topic 'nope'" in bad.output


def test_mode_command_line_acts_as_a_named_agent_with_authority(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(routing_config_text(), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'md.db'}"
    runner = CliRunner()
    base = ["mode", "crisis", "--topic", "safety", "--config", str(config), "--database-url", db]
    nobody = runner.invoke(app, base)
    assert nobody.exit_code == 2 and "--by NAME" in nobody.output and "Erin Walsh" in nobody.output
    stranger = runner.invoke(app, [*base, "--by", "root"])
    assert stranger.exit_code == 2 and "'root' is not registered as an agent" in stranger.output
    agent = runner.invoke(app, [*base, "--by", "Ana Ortiz"])
    assert agent.exit_code == 2 and "only lead, pr or supervisor can switch" in agent.output
    supervisor = runner.invoke(app, [*base, "--by", "Farah Haddad"])
    assert supervisor.exit_code == 0, supervisor.output
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, mode FROM topic_mode_switch ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("cli:root", "refused"), ("Ana Ortiz", "refused"), ("Farah Haddad", "crisis")]
