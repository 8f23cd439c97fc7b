"""Console hardening (issue 17, items 12-16) over HTTP on 127.0.0.1, SQLite and PostgreSQL:
links, login throttling, session revocation and the role rules the console inherits."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from bot.accounts import set_password
from bot.feeds.mention import parse_mention
from bot.server import create_app
from storage.models import Case, Event
from tests.conftest import ServerThread, mention
from tests.test_web_console import PASSWORD, csrf_of, login, seed


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
