"""Issue 17, "guarded from now on": every endpoint has a body limit (413) and the server stays up.

/ingest and /slack/events have their own tests (test_webhook.py, test_slack_http_gate.py); here
the console forms, the survey and any other path, on the real server.
"""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from bot.app.body_limit import DEFAULT_LIMIT
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from tests.conftest import ServerThread


@pytest.fixture
def server(config, database_url):
    settings = Settings(database_url=database_url, web_secret=SecretStr("s" * 40),
                        public_url="https://desk.example.com", slack_bot_token=None, webhook_token=None)
    runtime = Runtime.build(config, database=database_url, settings=settings)
    try:
        with ServerThread(create_app(runtime)) as running:
            yield running
    finally:
        runtime.close()


@pytest.mark.parametrize("path", ["/console/login", "/console/cases/1/claim", "/console/logout",
                                  "/survey/some-token", "/healthz"])
def test_an_oversized_form_is_413_before_the_endpoint_reads_it(server, path):
    form = {"csrf": "x", "name": "Ana", "password": "p" * (DEFAULT_LIMIT + 10)}
    response = httpx.post(server.url + path, data=form, timeout=10)
    assert response.status_code == 413, (path, response.status_code)
    assert f"{DEFAULT_LIMIT} bytes at most" in response.json()["error"]


def test_a_streamed_oversized_body_is_413_too(server):
    def chunks():
        for _ in range(64):
            yield b"a=" + b"b" * 16_384 + b"&"
    response = httpx.post(server.url + "/console/login", content=chunks(),
                          headers={"content-type": "application/x-www-form-urlencoded"}, timeout=10)
    assert response.status_code == 413


def test_forms_within_the_limit_reach_their_endpoint(server):
    login = httpx.post(server.url + "/console/login", data={"csrf": "stale", "name": "Ana", "password": "x"},
                       timeout=10)
    assert login.status_code == 403  # the console's own answer (CSRF), not the limit's
    survey = httpx.post(server.url + "/survey/not-a-token", data={"score": "5"}, timeout=10)
    assert survey.status_code == 404
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


# --- bad input in the console and the survey: a 4xx naming it, never a 500 -------------------------


@pytest.fixture
def console(runtime):
    from tests.test_web_console import seed

    cases = seed(runtime)
    with ServerThread(create_app(runtime)) as running:
        yield running, cases


def logged_in(url: str):
    from tests.test_web_console import csrf_of, login

    client, response = login(url, "Ana Ortiz")
    assert response.status_code == 200
    client.follow_redirects = False
    return client, csrf_of(client.get("/console/").text)


@pytest.mark.parametrize("path", ["/console/?team=%00", "/console/queue.part?team=a%00b",
                                  "/console/dashboard?since=%00"])
def test_a_nul_in_the_address_is_400(console, path):
    server, _ = console
    client, _ = logged_in(server.url)
    response = client.get(path)
    assert response.status_code == 400, response.status_code
    assert "NUL character" in response.json()["error"]
    assert client.get("/console/").status_code == 200  # and the console still answers


def test_a_nul_in_a_form_is_400_and_changes_nothing(console, runtime):
    from sqlalchemy import select

    from storage.models import Event

    server, cases = console
    client, token = logged_in(server.url)
    before = client.post(f"/console/cases/{cases[0]}/claim", data={"csrf": token})
    assert before.status_code == 303
    with runtime.sessions() as session:
        events = len(session.scalars(select(Event)).all())
    for form in ({"csrf": token, "text": "sorry\x00about that", "visibility": "public"},
                 {"csrf": token, "text": "sorry", "visibility": "pub\x00lic"}):
        response = client.post(f"/console/cases/{cases[0]}/reply", data=form)
        assert response.status_code == 400 and "the form contains a NUL" in response.json()["error"]
    survey = httpx.post(server.url + "/survey/t", data={"score": "5\x00"}, timeout=10)
    assert survey.status_code == 400
    with runtime.sessions() as session:
        assert len(session.scalars(select(Event)).all()) == events


def test_a_case_id_past_64_bits_is_404_not_500(console):
    server, cases = console
    client, token = logged_in(server.url)
    assert client.get("/console/cases/99999999999999999999999").status_code == 404
    assert client.post("/console/cases/99999999999999999999999/claim", data={"csrf": token}).status_code == 404
    assert client.get(f"/console/cases/{cases[0]}").status_code == 200
