"""Issue 17, "guarded from now on": every endpoint has a body limit (413) and the server stays up.

/ingest and /slack/events have their own tests (test_webhook.py, test_slack_http_gate.py); here
the console forms, the survey and any other path, on the real server.
"""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from bot.body_limit import DEFAULT_LIMIT
from bot.runtime import Runtime
from bot.server import create_app
from bot.settings import Settings
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
