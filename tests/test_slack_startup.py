"""``serve`` stays up when Slack cannot be used at start-up (issue 17, item 4).

Slack refusing the bot token (auth.test ``invalid_auth``), answering 500, or not answering at all:
the server starts anyway, /ingest and the console work, /readyz and ``mentiondesk status`` say
how Slack stands, and the adapter retries with back-off until Slack accepts; then the cards of
the cases that came in meanwhile are posted.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from pydantic import SecretStr
from rich.console import Console
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from bot.app.status import status_tables
from storage.models import AdapterStatus
from tests.conftest import ServerThread, free_port, mention
from tests.fakes.slack_api import FakeSlack
from tests.test_slack import BAGGAGE, SECRET

BAG = "@SkylarkAir my bag never arrived in Madrid, please help"


def slack_settings(database_url: str, api_url: str, token: str) -> Settings:
    return Settings(database_url=database_url, slack_bot_token=SecretStr(token), slack_signing_secret=SecretStr(SECRET),
                    slack_app_token=None, slack_api_url=api_url, webhook_token=None)


def status_text(runtime: Runtime) -> str:
    console = Console(record=True, width=240)
    with runtime.sessions() as session:
        for table in status_tables(session, runtime.config, datetime.now(timezone.utc)):
            console.print(table)
    return console.export_text()


def test_slack_refusing_the_token_at_start_up_does_not_stop_the_server(config, database_url):
    fake = FakeSlack()
    fake.fail("auth.test", "invalid_auth", times=3)
    fake.fail("auth.test", "500", times=1)
    with ServerThread(fake.app) as fake_server:
        runtime = Runtime.build(config, database=database_url,
                                settings=slack_settings(database_url, fake_server.url + "/api/", fake.token))
        app = create_app(runtime, adapter_retry=(0.5, 1.0))
        try:
            with TestClient(app) as client:  # runs the lifespan, as `serve` does
                ready = client.get("/readyz")
                assert ready.status_code == 200 and ready.json()["status"] == "ready"
                slack = ready.json()["adapters"]["slack"]
                assert slack["state"] == "retrying" and "next_attempt_at" in slack
                assert slack["detail"] == "Slack refused the bot token (auth.test: invalid_auth)"
                assert fake.token not in ready.text
                assert 'mentiondesk_adapter_up{adapter="slack"} 0.0' in client.get("/metrics").text

                ingested = client.post("/ingest", json=[mention("s1", BAG)])  # the rest keeps working
                assert ingested.status_code == 200, ingested.text
                case_id = ingested.json()["results"][0]["case_id"]
                shown = status_text(runtime)
                assert "Team-platform adapters" in shown and "retrying" in shown
                assert "auth.test: invalid_auth" in shown
                assert not fake.cards(BAGGAGE)

                starter = app.state.adapters["slack"]
                assert starter.wait_up(15), starter.snapshot()
                assert starter.attempts == 5  # three refusals, one 500, then accepted
                assert client.get("/readyz").json()["adapters"]["slack"] == {"state": "up", "attempts": 5}
                assert 'mentiondesk_adapter_up{adapter="slack"} 1.0' in client.get("/metrics").text
                deadline = time.monotonic() + 15
                while not fake.cards(BAGGAGE) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert [c for c in fake.cards(BAGGAGE) if f"case #{case_id}" in c["text"]], fake.cards(BAGGAGE)
                with runtime.sessions() as session:
                    row = session.scalars(select(AdapterStatus)).one()
                assert (row.adapter, row.state, row.attempts, row.detail) == ("slack", "up", 5, None)
            assert len(fake.calls_of("auth.test")) >= 5
            with runtime.sessions() as session:  # the server stopped: its row says so
                assert session.scalars(select(AdapterStatus.state)).one() == "stopped"
        finally:
            runtime.close()


def test_slack_unreachable_at_start_up_does_not_stop_the_server(config, database_url):
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    runtime = Runtime.build(config, database=database_url, settings=slack_settings(database_url, closed, "xoxb-test"))
    app = create_app(runtime, adapter_retry=(5.0, 5.0))
    try:
        with TestClient(app) as client:
            slack = client.get("/readyz").json()["adapters"]["slack"]
            assert slack["state"] == "retrying" and slack["detail"].startswith("Slack is unreachable (")
            assert client.post("/ingest", json=[mention("s2", BAG)]).status_code == 200
            assert client.get("/console/login").status_code == 200
            assert "Slack is unreachable" in status_text(runtime)
        with runtime.sessions() as session:
            assert session.scalars(select(AdapterStatus.state)).one() == "stopped"  # shut down, never up
    finally:
        runtime.close()
