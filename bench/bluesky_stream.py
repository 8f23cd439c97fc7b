"""Bluesky stream under load, with a kill -9 in the middle: nothing lost, nothing doubled.

Three processes, as in production: the fake Bluesky (XRPC + Jetstream, the one the tests use),
the desk (a ``BlueskyListener`` on its own database, started as ``--desk`` child), and this one,
which drives them:

1. the fake emits ``--rate`` posts a second for ``--seconds`` on its Jetstream, ``--matching``
   of them mentioning the brand (the rest are the network's other chatter);
2. half-way through the desk is killed with SIGKILL (no clean-up of any kind) and started again
   at once; it resumes from the cursor it had committed, minus the overlap;
3. when the fake is done and the desk has caught up, the posts that should be cases are compared
   with what the database holds.

Prints a table, then ONE JSON line: ``posts``, ``should_be_cases``, ``lost``, ``duplicated`` (both
must be 0), ``lag_p50_s`` / ``lag_max_s`` (age of the last event read, sampled every second),
``catch_up_s`` (from the restart until the lag is under 2 s again; null: not before the load
ended), ``frames_per_s``. ``BENCH_LAGS=1`` also prints the sampled lags.

    .venv/bin/python bench/bluesky_stream.py [--rate 500] [--seconds 60] [--matching 0.1] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bot.core.config import BlueskySource, load_config  # noqa: E402
from bot.core.settings import Settings  # noqa: E402
from tests.fakes.bluesky import APP_PASSWORD, BRAND_HANDLE, serve_in_process  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def desk(database_url: str, fake_url: str, jetstream_url: str) -> None:
    """The child: a listener on the fake, until it is killed."""
    from bot.feeds.bluesky import BlueskyListener
    from bot.feeds.blueskyapi import BrandAccount
    from bot.app.runtime import Runtime

    logging.basicConfig(level=logging.WARNING)
    config = load_config(ROOT / "bot" / "samples" / "config.example.yaml")
    brand = config.brands[0].model_copy(update={"bluesky_account": BRAND_HANDLE})
    config = config.model_copy(update={"brands": [brand], "bluesky": BlueskySource(
        service_url=fake_url, jetstream_url=jetstream_url, backfill=False)})
    settings = Settings(database_url=database_url, bluesky_handle=BRAND_HANDLE,
                        bluesky_app_password=SecretStr(APP_PASSWORD))
    runtime = Runtime.build(config, database=database_url, settings=settings)
    listener = BlueskyListener(runtime, BrandAccount(settings, config.bluesky))
    listener.start()
    while True:
        time.sleep(3600)


def start_desk(args, database_url: str, fake_url: str, jetstream_url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--desk", database_url, fake_url, jetstream_url],
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def stream_cursor(engine) -> int | None:
    """The desk's committed Jetstream cursor (time_us of the last event it stored)."""
    with engine.connect() as conn:
        since = conn.execute(text("SELECT since_id FROM feed_cursor WHERE source = 'bluesky' "
                                  "AND query_key = 'jetstream'")).scalar()
    return int(since) if since else None


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--desk":
        desk(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=500, help="posts a second on the fake Jetstream")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--matching", type=float, default=0.1, help="share of posts that mention the brand")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    console = Console()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/stream.db"

    ctx = multiprocessing.get_context("spawn")
    ports = ctx.Queue()
    fake = ctx.Process(target=serve_in_process, args=(ports,), daemon=True)
    fake.start()
    xrpc_port, ws_port = ports.get(timeout=30)
    fake_url, jetstream_url = f"http://127.0.0.1:{xrpc_port}", f"ws://127.0.0.1:{ws_port}/subscribe"
    control = httpx.Client(base_url=fake_url, timeout=60)
    for _ in range(200):
        try:
            control.get("/_fake/firehose")
            break
        except httpx.HTTPError:
            time.sleep(0.05)

    child = start_desk(args, url, fake_url, jetstream_url)
    engine = create_engine(url)
    try:
        # Connected and the schema migrated: the cursor row appears with the stream's first batch,
        # so wait for the table and then start the load.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1 FROM feed_cursor")).all()
                break
            except Exception:
                time.sleep(0.2)
        time.sleep(2)  # the listener logs in and connects (live: no cursor yet)
        control.post("/_fake/firehose", json={"rate": args.rate, "seconds": args.seconds,
                                              "matching_share": args.matching}).raise_for_status()
        started = time.monotonic()
        lags: list[float] = []
        killed_at = restarted_at = caught_up_at = None
        while True:
            time.sleep(1)
            cursor = stream_cursor(engine)
            state = control.get("/_fake/firehose").json()
            lag = None
            if cursor is not None and not state["done"]:  # after the load ends there is nothing to lag behind
                lag = time.time() - cursor / 1_000_000
                lags.append(lag)
            elapsed = time.monotonic() - started
            if killed_at is None and elapsed >= args.seconds / 2:
                child.send_signal(signal.SIGKILL)  # kill -9: no shutdown, no flush, no goodbye
                child.wait()
                killed_at = time.monotonic()
                child = start_desk(args, url, fake_url, jetstream_url)
                restarted_at = time.monotonic()
            # Caught up: the restarted desk is again less than 2 s behind the stream.
            if restarted_at is not None and caught_up_at is None and lag is not None and lag < 2 \
                    and time.monotonic() - restarted_at > 2:
                caught_up_at = time.monotonic()
            if state["done"] and cursor is not None and cursor >= state["last_time_us"]:
                break
            if elapsed > args.seconds * 4 + 120:
                console.print("[red]the desk did not catch up in time[/red]")
                break
        state = control.get("/_fake/firehose").json()
        expected = set(state["matching"])
        with engine.connect() as conn:
            stored = [r[0] for r in conn.execute(text("SELECT external_id FROM mention WHERE platform = 'bluesky'"))]
            received = dict(conn.execute(text(
                "SELECT m.external_id, COUNT(e.id) FROM event e JOIN mention m ON m.id = "
                "CAST(json_extract(e.payload, '$.mention_id') AS INTEGER) WHERE e.type = 'received' "
                "GROUP BY m.external_id") if url.startswith("sqlite") else text(
                "SELECT m.external_id, COUNT(e.id) FROM event e JOIN mention m ON m.id = "
                "(e.payload->>'mention_id')::int WHERE e.type = 'received' GROUP BY m.external_id")).all())
            frames = conn.execute(text("SELECT reads_this_month FROM feed_cursor WHERE source = 'bluesky' "
                                       "AND query_key = 'jetstream'")).scalar() or 0
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        fake.terminate()
    stored_set = set(stored)
    figures = {
        "posts": state["emitted"], "should_be_cases": len(expected),
        "stored_mentions": len(stored), "lost": len(expected - stored_set),
        "duplicated": (len(stored) - len(stored_set)) + sum(n - 1 for n in received.values() if n > 1),
        "not_ours_stored": len(stored_set - expected),
        "frames_read_incl_replayed": frames,
        "frames_per_s": round(state["emitted"] / args.seconds, 1),
        "lag_p50_s": round(percentile(lags, 50), 2), "lag_p95_s": round(percentile(lags, 95), 2),
        "lag_max_s": round(max(lags or [0]), 2),
        "catch_up_s": round(caught_up_at - restarted_at, 1) if caught_up_at and restarted_at else None,
    }
    table = Table(title=f"Bluesky stream: {args.rate:.0f} posts/s for {args.seconds:.0f} s, {args.matching:.0%} "
                        f"for the brand, kill -9 half-way ({url.split(':')[0]})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)
    print(json.dumps(figures))
    if os.environ.get("BENCH_LAGS"):
        print([round(x, 1) for x in lags])


if __name__ == "__main__":
    main()
