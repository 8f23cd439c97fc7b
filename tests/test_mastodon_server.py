"""Mastodon inside ``mentiondesk serve``: started from the environment's settings, shown by
/readyz, /metrics and ``mentiondesk status``; a failing instance leaves the rest of the desk running."""

from __future__ import annotations

import io
import time
from datetime import datetime, timezone

from pydantic import SecretStr
from rich.console import Console
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.core.config import MastodonSource
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from bot.app.status import status_tables
from storage.models import Mention
from tests.conftest import ServerThread, mention
from tests.fakes.mastodon_api import TOKEN, FakeMastodon
from tests.test_mastodon import CUSTOMER, wait_for


def served(config, database_url, fake: FakeMastodon):
    settings = Settings(mastodon_base_url=fake.url, mastodon_access_token=SecretStr(TOKEN))
    config = config.model_copy(update={"mastodon": MastodonSource(search=False, max_backoff_seconds=1)})
    runtime = Runtime.build(config, database=database_url, settings=settings)
    return runtime, create_app(runtime)


def render(runtime) -> str:
    out = io.StringIO()
    console = Console(file=out, width=200)
    with runtime.sessions() as session:
        for table in status_tables(session, runtime.config, datetime.now(timezone.utc)):
            console.print(table)
    return out.getvalue()


def test_serve_streams_mastodon_and_reports_it(config, database_url):
    fake = FakeMastodon(heartbeat_seconds=0.2)
    fake.add_account(CUSTOMER, "maria", "Maria")
    with ServerThread(fake.app) as instance:
        fake.url = instance.url
        runtime, app = served(config, database_url, fake)
        try:
            with TestClient(app) as http:  # the lifespan runs: leader elected, streams started
                feed = runtime.mastodon_feed
                assert feed is not None and runtime.mastodon_relay is not None
                assert wait_for(lambda: feed.wait_connected(0.05), what="the streams connected")
                status = fake.post(CUSTOMER, "@SkylarkHelp my bag never arrived on SK212, please help")
                fake.send_raw("user", "event: update\ndata: {broken\n\n")

                def stored():
                    with runtime.sessions() as s:
                        return s.scalar(select(Mention.id).where(Mention.external_id == status["id"]))
                wait_for(stored, what="the streamed mention stored")
                ready = http.get("/readyz").json()
                streams = ready["sources"]["mastodon"]
                assert streams["notifications:Skylark Airways"]["connected"] is True
                assert streams["notifications:Skylark Airways"]["lag_seconds"] is not None
                assert wait_for(lambda: streams["notifications:Skylark Airways"]["quarantined"] == 1 or
                                http.get("/readyz").json()["sources"]["mastodon"]
                                ["notifications:Skylark Airways"]["quarantined"] == 1)
                metrics = http.get("/metrics").text
                assert 'mentiondesk_source_connected{source="mastodon",stream="notifications:Skylark Airways"} 1.0' \
                    in metrics
                assert 'mentiondesk_feed_quarantined{source="mastodon"} 1.0' in metrics
                assert 'mentiondesk_feed_up{query="notifications:Skylark Airways",source="mastodon"} 1.0' in metrics
                table = render(runtime)
                assert "Sources" in table and "mastodon" in table and "3 of 3" in table
                assert fake.notifications[-1]["id"] in table  # the last id seen
        finally:
            runtime.close()


def test_a_failing_instance_backs_off_and_the_rest_of_the_desk_goes_on(config, database_url):
    fake = FakeMastodon(heartbeat_seconds=0.2)
    with ServerThread(fake.app) as instance:
        fake.url = instance.url
        fake.fail("/api/v1/streaming", 503, times=1_000)
        runtime, app = served(config, database_url, fake)
        try:
            with TestClient(app) as http:
                time.sleep(1.5)
                attempts = len(fake.requests_to("/api/v1/streaming/user"))
                assert 1 <= attempts <= 5  # backed off, not hammering (0.8-1 s, doubling, capped at 1 s)
                assert http.post("/ingest", json=mention("w1", "@SkylarkAir need help with my booking")).status_code \
                    == 200
                health = http.get("/readyz").json()["sources"]["mastodon"]["notifications:Skylark Airways"]
                assert health["connected"] is False and health["errors"] >= 1
                assert "503" in health["last_error"] or "connect" in health["last_error"].lower()
                assert "error" in render(runtime) or "0 of 3" in render(runtime)
        finally:
            runtime.close()
