"""The web console over HTTP (real server on 127.0.0.1, SQLite and PostgreSQL): login, CSRF,
the same actions as Slack, escaping, roles, the dashboard and the Prometheus gauges."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy import select

from bot.desk.accounts import AccountError, set_password
from bot.core.mention import parse_mention
from bot.app.server import create_app
from storage.models import AgentCredential, Case, Event, OutboxEntry
from tests.conftest import ServerThread, mention

PASSWORD = "correct horse battery"
EVIL = '@SkylarkAir my bag is lost <script>alert("pwned")</script> <b>help</b> & now'


def seed(runtime) -> list[int]:
    with runtime.sessions() as session, session.begin():
        for name in ("Ana Ortiz", "Ben Carter", "Dev Patel", "Farah Haddad", "Erin Walsh"):
            set_password(session, name, PASSWORD)
    outcomes = runtime.ingest_batch([
        parse_mention(mention("w1", EVIL, handle="evil_bag")),
        parse_mention(mention("w2", "@SkylarkAir my flight SK123 is delayed, help please", handle="late")),
    ])
    return [o.case_id for o in outcomes]


@pytest.fixture
def console(runtime):
    cases = seed(runtime)
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime, cases


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(base: str, name: str, password: str = PASSWORD) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=base, follow_redirects=True)
    token = csrf_of(client.get("/console/login").text)
    response = client.post("/console/login", data={"name": name, "password": password, "csrf": token})
    return client, response


def test_login_needs_the_right_password_and_pages_need_login(console):
    server, runtime, _ = console
    anonymous = httpx.Client(base_url=server.url, follow_redirects=False)
    assert anonymous.get("/console/").status_code == 303  # to the login page
    assert anonymous.get("/console/dashboard").headers["location"].endswith("/console/login")
    _, wrong = login(server.url, "Ana Ortiz", "not her password")
    assert wrong.status_code == 401 and "wrong password" in wrong.text
    _, unknown = login(server.url, "Nobody", PASSWORD)
    assert unknown.status_code == 401
    client, ok = login(server.url, "Ana Ortiz")
    assert ok.status_code == 200 and "Open cases" in ok.text and "Ana Ortiz · agent" in ok.text
    cookie = ok.history[0].headers["set-cookie"].lower()
    assert "mentiondesk_console=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    # the hash is argon2, never the password
    with runtime.sessions() as session:
        stored = session.scalars(select(AgentCredential.password_hash)).first()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_post_without_the_csrf_token_is_refused_and_changes_nothing(console):
    server, runtime, (case_id, _) = console
    client, _ = login(server.url, "Ana Ortiz")
    response = client.post(f"/console/cases/{case_id}/claim", data={"csrf": "forged"})
    assert response.status_code == 403 and "CSRF" in response.text
    response = client.post(f"/console/cases/{case_id}/claim", data={})
    assert response.status_code == 403
    with runtime.sessions() as session:
        assert session.get(Case, case_id).assignee_id is None
        assert not session.scalars(select(Event).where(Event.case_id == case_id, Event.source == "web")).all()


def test_claim_reply_and_history_use_the_platform_neutral_actions(console):
    server, runtime, (case_id, _) = console
    client, page = login(server.url, "Ana Ortiz")
    token = csrf_of(page.text)
    page = client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
    assert f"Case #{case_id}: claimed" in page.text
    assert 'id="case-owner">Ana Ortiz<' in page.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    form = {"csrf": token, "nonce": nonce, "text": "So sorry! Please DM us your file reference.",
            "visibility": "public"}
    page = client.post(f"/console/cases/{case_id}/reply", data=form)
    assert f"Case #{case_id}: reply queued" in page.text
    again = client.post(f"/console/cases/{case_id}/reply", data=form)  # the same form resubmitted
    assert "already queued" in again.text
    with runtime.sessions() as session:
        assert len(session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == case_id)).all()) == 1
        events = session.scalars(select(Event).where(Event.case_id == case_id, Event.source == "web")
                                 .order_by(Event.id)).all()
    assert [(e.type, e.actor) for e in events] == [("claimed", "Ana Ortiz"), ("reply_queued", "Ana Ortiz")]
    # the whole history is on the case page
    for kind in ("received", "triaged", "claimed", "reply queued"):
        assert f"<td>{kind}</td>" in page.text
    # Ben may not resolve Ana's case: refused by the action, shown to him, recorded
    ben, ben_page = login(server.url, "Ben Carter")
    refused = ben.post(f"/console/cases/{case_id}/resolve", data={"csrf": csrf_of(ben_page.text)})
    assert "only the owner (Ana Ortiz) or a lead can resolve it" in refused.text
    with runtime.sessions() as session:
        assert session.get(Case, case_id).state.value == "replied" or session.get(Case, case_id).state.value == "claimed"
        assert session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "refused")).one().actor \
            == "Ben Carter"


def test_untrusted_text_is_escaped(console):
    server, _, (case_id, _) = console
    client, page = login(server.url, "Ana Ortiz")
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page.text
    case_page = client.get(f"/console/cases/{case_id}")
    assert "<script>alert" not in case_page.text and "&lt;b&gt;help&lt;/b&gt; &amp; now" in case_page.text
    assert "script-src" not in case_page.headers["content-security-policy"]  # default-src 'self' covers it
    assert case_page.headers["content-security-policy"].startswith("default-src 'self'")


def test_bad_form_input_gets_a_clear_message(console):
    server, runtime, (case_id, _) = console
    client, page = login(server.url, "Erin Walsh")
    page = client.post(f"/console/cases/{case_id}/approve", data={"csrf": csrf_of(page.text), "outbox_id": "x"})
    assert "outbox id must be a number" in page.text
    page = client.post(f"/console/cases/{case_id}/escalate", data={"csrf": csrf_of(page.text), "to_team": "pr"})
    assert "reason is required" in page.text
    assert client.get("/console/cases/999999").status_code == 404


def test_fix_triage_form_corrects_the_case(console):
    server, runtime, (_, case_id) = console
    client, page = login(server.url, "Ana Ortiz")
    case_page = client.get(f"/console/cases/{case_id}")
    assert "Fix triage" in case_page.text and '<option value="refund">refund</option>' in case_page.text
    page = client.post(f"/console/cases/{case_id}/correct_triage",
                       data={"csrf": csrf_of(case_page.text), "intent": "urgent", "topic": "refund",
                             "note": "refund needed today"})
    assert f"Case #{case_id}: triage corrected" in page.text
    with runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert (case.intent, case.topic) == ("urgent", "refund")
        event = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "triage_corrected")).one()
    assert event.source == "web" and event.actor == "Ana Ortiz" and event.payload["note"] == "refund needed today"
    bad = client.post(f"/console/cases/{case_id}/correct_triage",
                      data={"csrf": csrf_of(page.text), "intent": "furious", "topic": ""})
    assert "unknown intent" in bad.text


def test_dashboard_is_for_supervisors_and_leads(console):
    server, _, (case_id, _) = console
    agent, _ = login(server.url, "Ana Ortiz")
    assert agent.get("/console/dashboard").status_code == 403
    supervisor, _ = login(server.url, "Farah Haddad")
    page = supervisor.get("/console/dashboard?days=1")
    assert page.status_code == 200
    assert re.search(r'id="kpi-cases">2<', page.text)
    assert page.text.count("<svg") >= 3 and "Workload forecast" in page.text


def test_prometheus_gauges(console):
    server, runtime, (case_id, other) = console
    client, page = login(server.url, "Ana Ortiz")
    client.post(f"/console/cases/{case_id}/claim", data={"csrf": csrf_of(page.text)})
    with runtime.sessions() as session, session.begin():
        session.add(Event(case_id=other, type="sla_breached", payload={"sla": "claim"}))
        teams = {c.id: c.team for c in session.scalars(select(Case))}
    text = httpx.get(f"{server.url}/metrics").text
    assert f'mentiondesk_queue_depth{{state="claimed",team="{teams[case_id]}"}} 1.0' in text
    assert f'mentiondesk_queue_depth{{state="open",team="{teams[other]}"}} 1.0' in text
    assert f'mentiondesk_open_cases_in_sla_breach{{team="{teams[other]}"}} 1.0' in text
    assert 'mentiondesk_sla_breaches_total{sla="claim"} 1.0' in text


def test_set_password_refuses_unknown_people_and_short_passwords(runtime):
    with runtime.sessions() as session:
        with pytest.raises(AccountError, match="no agent named"):
            set_password(session, "Nobody", PASSWORD)
        with pytest.raises(AccountError, match="at least 10 characters"):
            set_password(session, "Ana Ortiz", "short")


def test_a_claim_in_the_console_updates_the_slack_card(config, database_url):
    from tests.test_slack import build_desk, open_bag_case, wait_until

    desk, close = build_desk(config, database_url)
    try:
        with desk.runtime.sessions() as session, session.begin():
            set_password(session, "Ana Ortiz", PASSWORD)
        case_id, card = open_bag_case(desk)
        client, page = login(desk.url, "Ana Ortiz")
        page = client.post(f"/console/cases/{case_id}/claim", data={"csrf": csrf_of(page.text)})
        assert f"Case #{case_id}: claimed" in page.text
        updated = wait_until(lambda: next((c for c in desk.fake.calls_of("chat.update")
                                           if c.params.get("ts") == card["ts"]), None), what="card updated")
        assert "Claimed by <@U0ANA00001>" in json.dumps(updated.params, ensure_ascii=False)
    finally:
        close()


def test_chart_labels_are_escaped():
    from handlers.web.charts import bar_chart, forecast_chart, hbar_chart

    evil = '<script>alert(1)</script>"'
    for svg in (bar_chart([(evil, 3)], title=evil, target=2, target_label=evil),
                hbar_chart([(evil, [1, 0])], title=evil, series=[evil, "b"]),
                forecast_chart([(evil, 1.5, 1)], title=evil)):
        assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")


def test_approve_and_reject_are_shown_only_to_people_who_may_use_them(console):
    from bot.desk import actions
    from bot.desk.reply_policy import ReplyPolicy
    from storage.db import transaction

    server, runtime, (case_id, _) = console
    with transaction(runtime.sessions) as session:
        ana = actions.resolve_actor(session, "web", "Ana Ortiz")
        assert actions.claim(session, case_id, ana).ok
        with runtime.sessions() as look:
            topic = look.get(Case, case_id).topic
        draft = actions.reply(session, case_id, ana, text="We are looking into it.", idempotency_key="approval-ui",
                              policy=ReplyPolicy(sensitive_topics=frozenset({topic})))
    assert draft.event == "approval_requested"
    for name, sees_buttons in (("Ana Ortiz", False), ("Dev Patel", False), ("Farah Haddad", False),
                               ("Erin Walsh", True)):
        client, _ = login(server.url, name)
        page = client.get(f"/console/cases/{case_id}").text
        assert "Reply waiting for PR approval" in page and "We are looking into it." in page
        assert ('<button type="submit">Approve</button>' in page) is sees_buttons, name
        assert ('class="secondary">Reject</button>' in page) is sees_buttons, name
        assert ("Only PR can approve or reject it." in page) is not sees_buttons, name
