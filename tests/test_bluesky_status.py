"""status, /metrics and /readyz show the Bluesky source: connected, cursor, lag, errors, quarantine."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

from rich.console import Console
from starlette.testclient import TestClient

from bot.feeds.bluesky import BlueskyListener
from bot.feeds.health import source_health
from bot.app.server import create_app
from bot.app.status import status_tables
from tests.bluesky_helpers import CUSTOMER, account, bluesky_runtime, fake_bsky  # noqa: F401
from tests.fakes.bluesky import BRAND_DID


def test_the_bluesky_source_shows_its_cursor_lag_errors_and_quarantine(config, database_url, fake_bsky):
    runtime = bluesky_runtime(config, database_url, fake_bsky, backfill=False)
    try:
        post_at = datetime.now(timezone.utc) - timedelta(seconds=30)
        fake_bsky.post(CUSTOMER, "@skylark.bsky.social my bag never arrived, please help", mention=BRAND_DID)
        frames = [text for _, text in fake_bsky.frames]
        frame = json.loads(frames[0])
        frame["time_us"] = int(post_at.timestamp() * 1_000_000)  # read half a minute after it happened
        BlueskyListener(runtime, account(runtime)).handle_frames([json.dumps(frame), "not json at all"])
        now = datetime.now(timezone.utc)
        with runtime.sessions() as session:
            (health,) = source_health(session, now)
            tables = status_tables(session, runtime.config, now)
        assert (health.source, health.query, health.cursor, health.quarantined) == (
            "bluesky", "jetstream", str(frame["time_us"]), 1)
        assert 29 <= health.lag_seconds <= 60 and health.errors == 0
        out = io.StringIO()
        for table in tables:
            Console(file=out, width=200).print(table)
        text = out.getvalue()
        assert "bluesky jetstream" in text and "quarantined frames: bluesky 1" in text

        client = TestClient(create_app(runtime))
        metrics = client.get("/metrics").text
        assert 'mentiondesk_feed_quarantined{source="bluesky"} 1.0' in metrics
        assert 'mentiondesk_feed_errors{query="jetstream",source="bluesky"} 0.0' in metrics
        assert 'mentiondesk_feed_lag_seconds{query="jetstream",source="bluesky"}' in metrics
        ready = client.get("/readyz").json()
        assert ready["status"] == "ready"
        (source,) = ready["sources"]["bluesky"].values()
        assert source["source"] == "bluesky" and source["quarantined"] == 1 and source["cursor"] == str(frame["time_us"])
    finally:
        runtime.close()
