"""X (or Mastodon) in and out: read → ingest throughput, and the outbox relay's delivery rate and
exactly-once record under injected faults.

The local fake X API v2 the tests use runs in its own process (real X is remote: it must not
share our interpreter). This process:

1. posts ``--n`` customer tweets on the fake, then times the X poller reading and ingesting them
   (pages of 100, cases opened);
2. claims every case and queues one public reply each;
3. delivers them with the relay while the fake answers ``--fail-rate`` of the sends with 503, and
   ``--crashes`` sends are interrupted between "posted on X" and "recorded" (as if the process
   were killed there); a new relay then reconciles those and drains the outbox;
4. asks the fake how many replies each customer tweet got.

Prints a table, then ONE JSON line: ``poll_mentions_per_s``, ``replies_per_s``,
``send_p95_ms`` (take → POST → record, per reply), ``lost``, ``duplicates`` (the last two must be 0).

    .venv/bin/python bench/relay.py [--platform x|mastodon|bluesky] [--n 1000] [--fail-rate 0.05] [--crashes 20]
                                    [--database-url URL]

``--platform mastodon`` does the same against the fake Mastodon instance: the posts are read by
the stream's backfill (notifications, pages of 40), replies go out with Mastodon.py (each with
its Idempotency-Key), and the crashed sends are reconciled by looking in the customer's thread.
``--platform bluesky`` runs the same on the fake Bluesky (its own process: XRPC + Jetstream): the
posts arrive on the Jetstream websocket (``stream_mentions_per_s``: post → case), the replies are
``createRecord`` calls under each entry's record key, 503s injected on ``createRecord``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import multiprocessing
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.desk import actions  # noqa: E402
from bot.core.config import XSource, load_config  # noqa: E402
from bot.feeds.x import XPoller  # noqa: E402
from bot.relay.outbox import OutboxRelay  # noqa: E402
from bot.relay.x import XSender  # noqa: E402
from bot.app.runtime import Runtime  # noqa: E402
from bot.core.settings import Settings  # noqa: E402
from bot.feeds.xapi import make_client  # noqa: E402
from storage.db import transaction  # noqa: E402
from storage.models import Case, OutboxEntry, OutboxState  # noqa: E402
from tests.fakes.x_api import BRAND_ID, FakeX  # noqa: E402  (the fake the tests use)

PROBLEMS = ["my bag never arrived in {c}", "flight to {c} cancelled, I need a refund",
            "stuck at the gate in {c}, the flight is delayed again", "lost my suitcase on the way to {c}",
            "can you help me change my booking to {c}?"]
CITIES = ["Madrid", "Lisbon", "Paris", "Berlin", "Rome", "Dublin", "Vienna", "Oslo", "Porto", "Nice"]


class Crash(BaseException):
    """The process dying between the send and its record (nothing in the relay catches it)."""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def run_fake_x(port_queue) -> None:
    import uvicorn

    from tests.conftest import free_port

    port = free_port()
    port_queue.put(port)
    uvicorn.run(FakeX().app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def run_fake_mastodon(port_queue) -> None:
    import uvicorn

    from tests.conftest import free_port
    from tests.fakes.mastodon_api import FakeMastodon

    port = free_port()
    port_queue.put(port)
    fake = FakeMastodon(rate_limit_total=10_000_000)  # the bench measures us, not the rate limit
    fake.url = f"http://127.0.0.1:{port}"
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/_fake/replies", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("fake X did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="customer tweets (one case and one reply each)")
    parser.add_argument("--fail-rate", type=float, default=0.05, help="share of sends the fake answers with 503")
    parser.add_argument("--crashes", type=int, default=20, help="sends interrupted between post and record")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--platform", choices=("x", "mastodon", "bluesky"), default="x")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    console = Console()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"

    ctx = multiprocessing.get_context("spawn")
    ports = ctx.Queue()
    if args.platform == "bluesky":
        from tests.fakes.bluesky import serve_in_process

        fake_process = ctx.Process(target=serve_in_process, args=(ports,), daemon=True)
    else:
        fake_process = ctx.Process(target=run_fake_mastodon if args.platform == "mastodon" else run_fake_x,
                                   args=(ports,), daemon=True)
    fake_process.start()
    port = ports.get(timeout=30)
    fake_url = f"http://127.0.0.1:{port[0] if isinstance(port, tuple) else port}"
    wait_up(fake_url)
    control = httpx.Client(base_url=fake_url, timeout=60)
    try:
        if args.platform == "bluesky":
            figures = run_bluesky(args, url, fake_url, f"ws://127.0.0.1:{port[1]}/subscribe", control, console)
        elif args.platform == "mastodon":
            figures = run_mastodon(args, url, fake_url, control, console)
        else:
            figures = run(args, url, fake_url, control, console)
    finally:
        fake_process.terminate()
    title = {"x": "X poll + relay", "mastodon": "Mastodon read + relay", "bluesky": "Bluesky stream + relay"}[args.platform]
    table = Table(title=f"{title} ({args.n} posts, {url.split(':')[0]}, {args.fail_rate:.0%} 503s, "
                        f"{args.crashes} crashes mid-send)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, f"{value:,.1f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value))
    console.print(table)
    print(json.dumps(figures))


def run(args, url: str, fake_url: str, control: httpx.Client, console: Console) -> dict:
    customers = [{"id": str(3000 + i), "username": f"flyer_{i}", "followers": 100 + i} for i in range(args.n)]
    control.post("/_fake/users", json=customers).raise_for_status()
    tweets = [{"author_id": c["id"], "text": "@SkylarkHelp " + PROBLEMS[i % 5].format(c=CITIES[i // 5 % 10])
               + f" (ref {i * 7919})"} for i, c in enumerate(customers)]
    control.post("/_fake/tweets", json=tweets).raise_for_status()

    config = load_config(ROOT / "bot" / "samples" / "config.example.yaml")
    config = config.model_copy(update={"x": XSource(search=False, max_pages=50, poll_interval_seconds=5)})
    settings = Settings(database_url=url, x_bearer_token=SecretStr("fake-bearer-token"), x_api_url=fake_url,
                        x_consumer_key=SecretStr("ck"), x_consumer_secret=SecretStr("cs"),
                        x_access_token=SecretStr(f"{BRAND_ID}-bench"), x_access_token_secret=SecretStr("s"))
    runtime = Runtime.build(config, database=url, settings=settings)

    # 1. Poll and ingest.
    poller = XPoller(runtime, make_client(settings))
    started = time.perf_counter()
    result = poller.poll_due()[0]
    poll_seconds = time.perf_counter() - started
    with runtime.sessions() as session:
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))

    # 2. Claim and reply to every case (as agents would, through the platform-neutral actions).
    with transaction(runtime.sessions) as session:
        agent = actions.resolve_actor(session, "slack", "U0ANA00001")
        for case_id in case_ids:
            assert actions.claim(session, case_id, agent).ok
            assert actions.reply(session, case_id, agent, text=f"Sorry about that, we are on it (case {case_id}).",
                                 idempotency_key=f"bench-{case_id}").ok
    control.post("/_fake/fail", json={"prefix": "/2/tweets", "rate": args.fail_rate}).raise_for_status()

    # 3. Deliver: the first relay "dies" after posting `crashes` replies, before recording them.
    sender = XSender(make_client(settings, user_auth=True))
    crash_sends(OutboxRelay(runtime.sessions, {"x": sender}, max_attempts=50), sender, args.crashes)

    # A new process: reconcile what was in flight, then drain the outbox one entry at a time,
    # timing each delivery (take → POST /2/tweets → record). Retry back-off is shortened to 10 ms:
    # its waits are time on the clock, not work, and would only stretch the run.
    relay = OutboxRelay(runtime.sessions, {"x": XSender(make_client(settings, user_auth=True))}, max_attempts=50,
                        base_backoff=timedelta(milliseconds=10))
    sent, reconciled, relay_seconds, send_ms, per_tweet, posts = deliver(relay, runtime, control, console,
                                                                          len(case_ids))
    runtime.close()
    return {
        "tweets": args.n, "poll_status": result.status, "cases": len(case_ids),
        "poll_mentions_per_s": round(result.read / poll_seconds, 1),
        "replies_sent": sent, "reconciled_after_crash": reconciled, "x_post_requests": posts,
        "replies_per_s": round(sent / relay_seconds, 1),
        "send_p50_ms": round(percentile(send_ms, 50), 1), "send_p95_ms": round(percentile(send_ms, 95), 1),
        "lost": len(case_ids) - sent,
        "duplicates": sum(max(0, n - 1) for n in per_tweet.values()),
    }


def deliver(relay: OutboxRelay, runtime: Runtime, control: httpx.Client, console: Console, total: int):
    """Reconcile, then drain the outbox one entry at a time; the fake's record of replies per post."""
    started = time.perf_counter()
    reconciled = len(relay.reconcile(older_than=timedelta(0)))
    send_ms: list[float] = []
    progress = Progress(TextColumn("relay"), BarColumn(), MofNCompleteColumn(), console=console, transient=True)
    with progress:
        task = progress.add_task("sending", total=total)
        idle_rounds = 0
        while idle_rounds < 500:
            t0 = time.perf_counter()
            done = relay.run_once(limit=1)
            if done:
                send_ms.append((time.perf_counter() - t0) * 1000)
                progress.advance(task)
                idle_rounds = 0
            else:
                idle_rounds += 1  # only backed-off retries left (or nothing): let them fall due
                time.sleep(0.01)
    relay_seconds = time.perf_counter() - started - idle_rounds * 0.01
    with runtime.sessions() as session:
        entries = list(session.scalars(select(OutboxEntry)))
    replies = control.get("/_fake/replies").json()
    sent = sum(1 for e in entries if e.state == OutboxState.SENT)
    return sent, reconciled, relay_seconds, send_ms, replies["replies"], replies["posts"]


def crash_sends(relay: OutboxRelay, sender, crashes: int) -> None:
    """The first relay "dies" after posting ``crashes`` replies, before recording them."""
    real_send = sender.send

    def dying_send(job):
        delivery = real_send(job)
        raise Crash(delivery.external_id)

    sender.send = dying_send
    crashed = 0
    while crashed < crashes:
        try:
            relay.run_once(limit=1)
        except Crash:
            crashed += 1


def run_mastodon(args, url: str, fake_url: str, control: httpx.Client, console: Console) -> dict:
    from bot.core.config import MastodonSource
    from bot.feeds.mastodon import PAGE, SOURCE, MastodonFeed
    from bot.feeds.mastodon_api import make_client as mastodon_client
    from bot.relay.mastodon import MastodonSender
    from storage import queries
    from tests.fakes.mastodon_api import TOKEN

    customers = [{"id": str(3000 + i), "username": f"flyer_{i}", "followers": 100 + i} for i in range(args.n)]
    control.post("/_fake/accounts", json=customers).raise_for_status()
    posts = [{"account_id": c["id"], "text": "@SkylarkHelp " + PROBLEMS[i % 5].format(c=CITIES[i // 5 % 10])
              + f" (ref {i * 7919})"} for i, c in enumerate(customers)]
    control.post("/_fake/statuses", json=posts).raise_for_status()

    config = load_config(ROOT / "bot" / "samples" / "config.example.yaml")
    config = config.model_copy(update={"mastodon": MastodonSource(
        search=False, hashtags=False, backfill_pages=50)})
    runtime = Runtime.build(config, database=url, settings=Settings(database_url=url))

    # 1. Backfill as after a reconnect (from the cursor, here "0": everything), pages of 40.
    feed = MastodonFeed(runtime, mastodon_client(fake_url, TOKEN, timeout=30))
    stream = feed.streams[0]
    with transaction(runtime.sessions) as session:
        queries.feed_cursor(session, SOURCE, stream.key, brand=feed.brand.name).since_id = "0"
    started = time.perf_counter()
    read = 0
    while True:
        got = feed.backfill(stream)
        read += got
        if got < PAGE * config.mastodon.backfill_pages:
            break
    read_seconds = time.perf_counter() - started
    with runtime.sessions() as session:
        case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))

    # 2. Claim and reply to every case.
    with transaction(runtime.sessions) as session:
        agent = actions.resolve_actor(session, "slack", "U0ANA00001")
        for case_id in case_ids:
            assert actions.claim(session, case_id, agent).ok
            assert actions.reply(session, case_id, agent, text=f"Sorry about that, we are on it (case {case_id}).",
                                 idempotency_key=f"bench-{case_id}").ok
    control.post("/_fake/fail", json={"prefix": "/api/v1/statuses", "rate": args.fail_rate}).raise_for_status()

    # 3. Crash mid-send, then a new process reconciles and drains (back-off shortened as for X).
    sender = MastodonSender(mastodon_client(fake_url, TOKEN, timeout=30))
    crash_sends(OutboxRelay(runtime.sessions, {"mastodon": sender}, max_attempts=50), sender, args.crashes)
    # Lease 0: a reconcile that could not look (a 503 on the thread) looks again on the next round,
    # as the next start would; nothing else sends in this process.
    relay = OutboxRelay(runtime.sessions, {"mastodon": MastodonSender(mastodon_client(fake_url, TOKEN, timeout=30))},
                        max_attempts=50, base_backoff=timedelta(milliseconds=10), sending_lease=timedelta(0))
    sent, reconciled, relay_seconds, send_ms, per_post, post_requests = deliver(relay, runtime, control, console,
                                                                                len(case_ids))
    runtime.close()
    return {
        "posts": args.n, "cases": len(case_ids), "backfill_mentions_per_s": round(read / read_seconds, 1),
        "replies_sent": sent, "reconciled_after_crash": reconciled, "status_post_requests": post_requests,
        "replies_per_s": round(sent / relay_seconds, 1),
        "send_p50_ms": round(percentile(send_ms, 50), 1), "send_p95_ms": round(percentile(send_ms, 95), 1),
        "lost": len(case_ids) - sent, "duplicates": sum(max(0, n - 1) for n in per_post.values()),
    }


def drain(relay: OutboxRelay, total: int, console: Console) -> tuple[float, list[float]]:
    """Deliver one entry at a time until only nothing (or backed-off retries) is left; timed."""
    started = time.perf_counter()
    send_ms: list[float] = []
    progress = Progress(TextColumn("relay"), BarColumn(), MofNCompleteColumn(), console=console, transient=True)
    with progress:
        task = progress.add_task("sending", total=total)
        idle_rounds = 0
        while idle_rounds < 500:
            t0 = time.perf_counter()
            if relay.run_once(limit=1):
                send_ms.append((time.perf_counter() - t0) * 1000)
                progress.advance(task)
                idle_rounds = 0
            else:
                idle_rounds += 1
                time.sleep(0.01)
    return time.perf_counter() - started - idle_rounds * 0.01, send_ms


def run_bluesky(args, url: str, fake_url: str, jetstream_url: str, control: httpx.Client, console: Console) -> dict:
    from bot.feeds.blueskyapi import BrandAccount
    from bot.core.config import BlueskySource
    from bot.feeds.bluesky import BlueskyListener
    from bot.relay.bluesky import BlueskySender
    from tests.fakes.bluesky import APP_PASSWORD, BRAND_HANDLE

    customers = [{"did": f"did:plc:bench{i:020d}", "handle": f"flyer{i}.bsky.social", "followers": 100 + i}
                 for i in range(args.n)]
    control.post("/_fake/profiles", json=customers).raise_for_status()
    config = load_config(ROOT / "bot" / "samples" / "config.example.yaml")
    brand = config.brands[0].model_copy(update={"bluesky_account": BRAND_HANDLE})
    config = config.model_copy(update={"brands": [brand], "bluesky": BlueskySource(
        service_url=fake_url, jetstream_url=jetstream_url, backfill=False)})
    settings = Settings(database_url=url, bluesky_handle=BRAND_HANDLE, bluesky_app_password=SecretStr(APP_PASSWORD))
    runtime = Runtime.build(config, database=url, settings=settings)

    # 1. Stream and ingest: posts appear on the fake's Jetstream while the listener is connected.
    listener = BlueskyListener(runtime, BrandAccount(settings, config.bluesky))
    listener.start()
    if not listener.connected.wait(20):
        raise RuntimeError("the listener did not connect to the fake Jetstream")
    posts = [{"did": c["did"], "mention": True, "text": "@skylark.bsky.social "
              + PROBLEMS[i % 5].format(c=CITIES[i // 5 % 10]) + f" (ref {i * 7919})"} for i, c in enumerate(customers)]
    started = time.perf_counter()
    control.post("/_fake/posts", json=posts).raise_for_status()
    deadline = time.monotonic() + 300
    while True:
        with runtime.sessions() as session:
            case_ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        if len(case_ids) >= args.n or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    stream_seconds = time.perf_counter() - started
    listener.stop()

    # 2. Claim and reply to every case.
    with transaction(runtime.sessions) as session:
        agent = actions.resolve_actor(session, "slack", "U0ANA00001")
        for case_id in case_ids:
            assert actions.claim(session, case_id, agent).ok
            assert actions.reply(session, case_id, agent, text=f"Sorry about that, we are on it (case {case_id}).",
                                 idempotency_key=f"bench-{case_id}").ok
    control.post("/_fake/fail", json={"nsid": "com.atproto.repo.createRecord", "rate": args.fail_rate}).raise_for_status()

    # 3. Deliver: the first relay "dies" after `crashes` records were created, before recording them.
    sender = BlueskySender(BrandAccount(settings, config.bluesky))
    real_send = sender.send
    crashed = 0

    def dying_send(job):
        delivery = real_send(job)
        raise Crash(delivery.external_id)

    sender.send = dying_send
    relay = OutboxRelay(runtime.sessions, {"bluesky": sender}, max_attempts=50)
    while crashed < args.crashes:
        try:
            relay.run_once(limit=1)
        except Crash:
            crashed += 1
    relay = OutboxRelay(runtime.sessions, {"bluesky": BlueskySender(BrandAccount(settings, config.bluesky))},
                        max_attempts=50, base_backoff=timedelta(milliseconds=10))
    t0 = time.perf_counter()
    reconciled = len(relay.reconcile(older_than=timedelta(0)))
    reconcile_seconds = time.perf_counter() - t0
    relay_seconds, send_ms = drain(relay, len(case_ids), console)

    with runtime.sessions() as session:
        entries = list(session.scalars(select(OutboxEntry)))
    replies = control.get("/_fake/replies").json()
    sent = sum(1 for e in entries if e.state == OutboxState.SENT)
    runtime.close()
    return {
        "posts": args.n, "cases": len(case_ids),
        "stream_mentions_per_s": round(len(case_ids) / stream_seconds, 1),
        "replies_sent": sent, "reconciled_after_crash": reconciled, "create_record_ok": replies["posts"],
        "replies_per_s": round((sent - reconciled) / relay_seconds, 1) if relay_seconds else 0.0,
        "reconcile_s": round(reconcile_seconds, 2),
        "send_p50_ms": round(percentile(send_ms, 50), 1), "send_p95_ms": round(percentile(send_ms, 95), 1),
        "lost": len(entries) - sent, "duplicates": sum(max(0, n - 1) for n in replies["replies"].values()),
    }


if __name__ == "__main__":
    main()
