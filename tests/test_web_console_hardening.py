"""Console hardening (issue 17, items 12-16) over HTTP on 127.0.0.1, SQLite and PostgreSQL:
links, login throttling, session revocation and the role rules the console inherits."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from bot.desk.accounts import set_password
from bot.core.mention import parse_mention
from bot.app.server import create_app
from storage.models import Case, Event
from tests.conftest import ServerThread, mention
from tests.test_web_console import csrf_of, login, seed


@pytest.fixture
def console(runtime):
    cases = seed(runtime)
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime, cases


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "//evil.example/x", "https:no-host"])
def test_a_post_url_that_is_not_http_is_never_a_link(console, url):
    server, runtime, _ = console
    [outcome] = runtime.ingest_batch([parse_mention(mention("link1", "@SkylarkAir my bag is lost, help",
                                                            handle="linker", url=url))])
    client, _ = login(server.url, "Ana Ortiz")
    page = client.get(f"/console/cases/{outcome.case_id}")
    assert page.status_code == 200
    assert "original post" not in page.text
    assert "javascript:" not in page.text.lower() and 'href="data:' not in page.text


def test_an_http_post_url_is_linked(console):
    server, runtime, _ = console
    url = "https://x.com/linker/status/123?a=1&b=2"
    [outcome] = runtime.ingest_batch([parse_mention(mention("link2", "@SkylarkAir my bag is lost, help",
                                                            handle="linker", url=url))])
    client, _ = login(server.url, "Ana Ortiz")
    page = client.get(f"/console/cases/{outcome.case_id}")
    assert '<a href="https://x.com/linker/status/123?a=1&amp;b=2" rel="noopener noreferrer"' in page.text


def test_an_agent_cannot_take_a_claimed_case_through_escalate_in_the_console(console):
    server, runtime, (case_id, _) = console
    ana, page = login(server.url, "Ana Ortiz")
    assert "claimed" in ana.post(f"/console/cases/{case_id}/claim", data={"csrf": csrf_of(page.text)}).text
    ben, page = login(server.url, "Ben Carter")
    page = ben.post(f"/console/cases/{case_id}/escalate",
                    data={"csrf": csrf_of(page.text), "to_team": "digital", "reason": "I take it"})
    assert "belongs to Ana Ortiz" in page.text
    with runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert case.assignee.name == "Ana Ortiz" and case.state.value == "claimed"
        refused = session.scalars(select(Event).where(Event.case_id == case_id, Event.type == "refused")).one()
    assert (refused.actor, refused.source, refused.payload["action"]) == ("Ben Carter", "web", "escalate")


def logged_in(client: httpx.Client) -> bool:
    return client.get("/console/", follow_redirects=False).status_code == 200


def test_login_is_throttled_per_name_even_for_the_right_password(console):
    server, _, _ = console
    for _ in range(5):
        assert login(server.url, "Ana Ortiz", "not her password")[1].status_code == 401
    client, locked = login(server.url, "Ana Ortiz")  # the right password, during the lockout
    assert locked.status_code == 429 and "Too many failed logins for this name" in locked.text
    assert 1 <= int(locked.headers["retry-after"]) <= 30
    assert not logged_in(client)
    other, ok = login(server.url, "Ben Carter")  # other people are not locked out
    assert ok.status_code == 200 and logged_in(other)


def test_login_is_throttled_per_client_address(console):
    server, _, _ = console
    for i in range(20):
        assert login(server.url, f"guess{i % 4}", "hunter2hunter2")[1].status_code in (401, 429)
    client, locked = login(server.url, "Ben Carter")
    assert locked.status_code == 429 and "from your network address" in locked.text
    assert not logged_in(client)


def test_a_lockout_holds_on_every_replica(config, database_url):
    from bot.app.runtime import Runtime

    first, second = Runtime.build(config, database=database_url), Runtime.build(config, database=database_url)
    try:
        seed(first)
        with ServerThread(create_app(first)) as one, ServerThread(create_app(second)) as two:
            for _ in range(5):
                login(one.url, "Ana Ortiz", "not her password")
            assert login(two.url, "Ana Ortiz")[1].status_code == 429
    finally:
        first.close()
        second.close()


def test_logout_ends_a_copied_session_cookie(console):
    server, _, _ = console
    client, page = login(server.url, "Ana Ortiz")
    copy = httpx.Client(base_url=server.url, cookies=dict(client.cookies))
    assert logged_in(copy)
    client.post("/console/logout", data={"csrf": csrf_of(page.text)})
    assert not logged_in(client) and not logged_in(copy)
    again, page = login(server.url, "Ana Ortiz")  # logging in again works
    assert page.status_code == 200 and logged_in(again)


def test_a_password_change_ends_the_old_sessions(console):
    server, runtime, _ = console
    client, _ = login(server.url, "Ana Ortiz")
    with runtime.sessions() as session, session.begin():
        set_password(session, "Ana Ortiz", "a brand new passphrase")  # what `user set-password` does
    assert not logged_in(client)
    assert login(server.url, "Ana Ortiz")[1].status_code == 401  # the old password is gone too
    fresh, page = login(server.url, "Ana Ortiz", "a brand new passphrase")
    assert page.status_code == 200 and logged_in(fresh)
