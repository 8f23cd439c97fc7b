"""Load: one, then two replicas on one PostgreSQL database, a steady stream of mentions, 50 agents at work.

* The fake Slack and the fake X of the tests run in their own processes (the real ones are
  remote); two ``mentiondesk serve`` replicas run as subprocesses on a throw-away PostgreSQL
  database, the X relay on, leader election on.
* A feeder POSTs ``--n`` synthetic mentions (the realistic mix of bench/triage.py: about 30%
  spam, half noise, a few percent needing an answer) to ``/ingest`` in batches of ``--batch``,
  alternating between the replicas, at ``--rate`` mentions per second.
* 50 simulated agents take new cases, press **Claim** (a signed Slack request to a random
  replica), then submit the **Reply** dialog; the replicas' relays post the replies on the fake X.
* At the end, once cards and replies have drained, the promises are checked from the database
  and the fakes' own records.

Prints a table (a column per replica count), then one JSON line per replica count:
``mentions_per_s``, ``ingest_to_card_p95_ms`` (from when a batch was offered to when its case is
in the channel, on its own card or as a line of a backlog digest), ``ack_p99_ms``, ``lost``,
``duplicates`` (the last two must be 0), ``digests``, ``slack_429``.

    .venv/bin/python bench/load.py [--n 100000] [--rate 250] [--agents 50] [--replicas 1,2] [--in-flight 4]
                                     [--classifier cascade|rules] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import queue
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import yaml  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: E402
from rich.table import Table  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.slack import RawClient, percentile, run_fake_slack, signed  # noqa: E402  (signing secret is bench/slack's)
from bench.pipeline import metric_value  # noqa: E402
from bench.slack import SECRET  # noqa: E402
from bench.triage import synthetic  # noqa: E402
from bot.triage.model.location import shipped_heads_dir  # noqa: E402
from storage.models import Case, CaseMessage, Event, Mention, OutboxEntry, OutboxState  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.fakes.slack_api import TEAM_ID  # noqa: E402
from tests.fakes.x_api import BRAND_ID, FakeX  # noqa: E402

TOKEN = "xoxb-load"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run_paced_slack(port_queue, token: str) -> None:
    """The fake Slack as the real one behaves under load: about one new message a second per channel
    (bursts of 3), 429 with Retry-After beyond that."""
    import uvicorn

    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack(token=token, channel_rate=1.0, channel_burst=3)
    port = free_port()
    port_queue.put(port)
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def run_fake_x(port_queue) -> None:
    import uvicorn

    port = free_port()
    port_queue.put(port)
    uvicorn.run(FakeX().app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def child(ctx, target, *args) -> tuple[object, str]:
    q = ctx.Queue()
    process = ctx.Process(target=target, args=(q, *args), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{q.get(timeout=60)}"


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def make_database(admin_url: str) -> str:
    name = f"md_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def start_replica(name: str, env: dict, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp / f"{name}.log", "w")
    process = subprocess.Popen([sys.executable, "-c", "from bot.app.cli.main import app; app()", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], cwd=ROOT, env={**env, "MENTIONDESK_REPLICA": name},
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/healthz")
    return process, url


def press(case_id: int, user: str) -> bytes:
    payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID},
               "api_app_id": "A0LOAD", "token": "unused", "trigger_id": "load.trigger",
               "channel": {"id": "C0CARE0001"}, "container": {"type": "message", "channel_id": "C0CARE0001"},
               "actions": [{"type": "button", "action_id": "case_claim", "value": str(case_id),
                            "action_ts": f"{time.time():.6f}"}]}
    from urllib.parse import urlencode
    return urlencode({"payload": json.dumps(payload)}).encode()


def reply_submission(case_id: int, user: str) -> bytes:
    view = {"id": f"VLOAD{case_id:010d}", "type": "modal", "callback_id": "reply_modal", "team_id": TEAM_ID,
            "private_metadata": json.dumps({"case_id": case_id, "platform": "x", "channel": "C0CARE0001"}),
            "state": {"values": {"reply_text": {"value": {"type": "plain_text_input",
                                                          "value": f"Sorry about this, we're on it (case {case_id})."}}}}}
    payload = {"type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID},
               "api_app_id": "A0LOAD", "token": "unused", "trigger_id": "load.trigger", "view": view}
    from urllib.parse import urlencode
    return urlencode({"payload": json.dumps(payload)}).encode()


class Agents:
    """50 people working the queue through Slack: Claim, then Reply, each a signed request."""

    def __init__(self, count: int, ports: list[int], engine, cases: "queue.Queue[int]"):
        self.users = [f"U0LOAD{i:04d}" for i in range(count)]
        self.ports, self.engine, self.cases = ports, engine, cases
        self.ack_ms: list[float] = []
        self.claimed = self.replied = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._work, args=(u,), daemon=True) for u in self.users]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def _send(self, clients: list[RawClient], body: bytes) -> int:
        index = random.randrange(len(clients))
        request = RawClient.request_bytes("/slack/events", body, signed(body))
        started = time.perf_counter()
        try:
            status = clients[index].send(request)
        except (OSError, IndexError, ValueError):  # the server closed an idle keep-alive connection
            clients[index].close()
            clients[index] = RawClient(self.ports[index])
            started = time.perf_counter()
            status = clients[index].send(request)
        with self.lock:
            self.ack_ms.append((time.perf_counter() - started) * 1000)
        return status

    def _work(self, user: str) -> None:
        clients = [RawClient(p) for p in self.ports]
        try:
            while not self.stop.is_set():
                try:
                    case_id = self.cases.get(timeout=0.5)
                except queue.Empty:
                    continue
                self._send(clients, press(case_id, user))
                if not self._owns(case_id, user):
                    continue  # someone else was faster, or the claim is still on its way: next case
                with self.lock:
                    self.claimed += 1
                time.sleep(random.uniform(0.2, 1.0))  # typing
                self._send(clients, reply_submission(case_id, user))
                with self.lock:
                    self.replied += 1
        finally:
            for c in clients:
                c.close()

    def _owns(self, case_id: int, user: str, timeout: float = 3.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.engine.connect() as conn:
                owner = conn.execute(text('SELECT a.slack_user_id FROM "case" c JOIN agent a ON a.id = c.assignee_id '
                                          "WHERE c.id = :id"), {"id": case_id}).scalar()
            if owner is not None:
                return owner == user
            time.sleep(0.25)  # the bench's own bookkeeping: polled gently, it shares the cores with the desk
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=250, help="mentions per second offered")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--in-flight", type=int, default=4, help="concurrent /ingest requests per replica")
    parser.add_argument("--classifier", default="cascade", choices=["cascade", "rules"],
                        help="triage of the replicas: the shipped model cascade (the default config's) or rules + VADER")
    parser.add_argument("--replicas", default="1,2", help="replica counts to run, one after the other (e.g. 1,2)")
    parser.add_argument("--pg", default=os.environ.get("MENTIONDESK_TEST_PG", DEFAULT_PG),
                        help="PostgreSQL server (a throw-away database is created on it)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    console = Console()
    results = {}
    for count in [int(c) for c in args.replicas.split(",")]:
        results[count] = scenario(args, count, console)
    table = Table(title=f"PostgreSQL: {args.n:,} mentions offered at {args.rate:g}/s, {args.agents} agents, "
                        f"Slack at 1 message/s per channel, triage: {args.classifier}")
    table.add_column("figure")
    for count in results:
        table.add_column(f"{count} replica{'s' if count > 1 else ''}", justify="right")
    def cell(value) -> str:
        return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)

    for key in dict.fromkeys(k for r in results.values() for k in r):
        table.add_row(key, *(cell(r.get(key, "")) for r in results.values()))
    console.print(table)
    for count, figures in results.items():
        print(json.dumps({"replicas": count, **figures}))


def scenario(args, count: int, console) -> dict:
    """One run with ``count`` replicas, on fresh fakes and a fresh database."""
    tmp = Path(tempfile.mkdtemp(prefix="mentiondesk-load-"))
    ctx = multiprocessing.get_context("spawn")
    slack_process, slack_url = child(ctx, run_paced_slack, TOKEN)
    x_process, x_url = child(ctx, run_fake_x)
    wait_http(slack_url + "/_fake/calls?since=999999999")
    wait_http(x_url + "/_fake/replies")
    url = make_database(args.pg)
    replicas = []
    try:
        return run(args, count, url, slack_url, x_url, tmp, replicas, console)
    finally:
        for process, _ in replicas:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        slack_process.terminate()
        x_process.terminate()
        drop_database(args.pg, url)


def run(args, count, url, slack_url, x_url, tmp, replicas, console) -> dict:
    config = yaml.safe_load((ROOT / "bot" / "samples" / "config.example.yaml").read_text())
    teams = [t["name"] for t in config["teams"]]
    config["agents"] += [{"name": f"Load agent {i:03d}", "role": "agent", "teams": teams,
                          "slack_user_id": f"U0LOAD{i:04d}"} for i in range(args.agents)]
    config["x"] = {"poll": False}
    (tmp / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "X_", "MENTIONDESK_", "DISCORD_"))}
    # The shipped heads (the default: the model cascade), or a folder without heads: rules + VADER.
    heads = str(shipped_heads_dir()) if args.classifier == "cascade" else str(tmp / "no-heads")
    env.update(DATABASE_URL=url, MENTIONDESK_CONFIG=str(tmp / "config.yaml"), MENTIONDESK_MODEL_DIR=heads,
               SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack_url + "/api/",
               X_API_URL=x_url, X_CONSUMER_KEY="ck", X_CONSUMER_SECRET="cs", X_ACCESS_TOKEN=f"{BRAND_ID}-load",
               X_ACCESS_TOKEN_SECRET="ats")
    mentions = list(synthetic(args.n))
    x = httpx.Client(base_url=x_url, timeout=120)
    for start in range(0, len(mentions), 5000):  # the posts exist on X, so replies to them can go out
        chunk = mentions[start:start + 5000]
        x.post("/_fake/tweets", json=[{"id": m["id"], "author_id": m["author"]["id"], "text": m["text"]}
                                      for m in chunk]).raise_for_status()
    for index in range(count):  # the first one migrates the database
        replicas.append(start_replica("abcdefgh"[index], env, tmp))
    urls = [u for _, u in replicas]
    ports = [int(u.rsplit(":", 1)[1]) for u in urls]
    engine = create_engine(url, pool_size=10)

    sent_at: dict[int, float] = {}  # case id -> when its mention was POSTed
    new_cases: queue.Queue[int] = queue.Queue()
    agents = Agents(args.agents, ports, engine, new_cases)
    agents.start()
    errors = [0]
    lock = threading.Lock()
    progress = Progress(TextColumn("mentions"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True)
    started = time.perf_counter()
    batches = [(start, mentions[start:start + args.batch]) for start in range(0, len(mentions), args.batch)]

    request_ms: list[float] = []

    def send(client: httpx.Client, offered: float, batch: list, task) -> None:
        try:
            t0 = time.perf_counter()
            response = client.post("/ingest", json=batch)
            response.raise_for_status()
            with lock:
                request_ms.append((time.perf_counter() - t0) * 1000)
        except httpx.HTTPError:
            with lock:
                errors[0] += 1
            return
        for result in response.json()["results"]:
            if result.get("case_id") and not result.get("duplicate"):
                with lock:
                    sent_at.setdefault(result["case_id"], offered)
                new_cases.put(result["case_id"])
        progress.advance(task, len(batch))

    def feed(replica: int, task) -> None:
        """A load balancer's share of the webhook traffic: batches offered on schedule, up to
        ``--in-flight`` requests at a time per replica (a webhook sender does not wait for one
        answer before sending the next). Latency counts from when a batch was *offered*, so time
        spent queued at the sender counts too."""
        clients: "queue.Queue[httpx.Client]" = queue.Queue()
        for _ in range(args.in_flight):
            clients.put(httpx.Client(base_url=urls[replica], timeout=120))

        def one(offered: float, batch: list) -> None:
            client = clients.get()
            try:
                send(client, offered, batch, task)
            finally:
                clients.put(client)

        with ThreadPoolExecutor(max_workers=args.in_flight) as pool:
            for start, batch in batches[replica::len(urls)]:
                offered = started + start / args.rate
                if (pause := offered - time.perf_counter()) > 0:
                    time.sleep(pause)
                pool.submit(one, offered, batch)
        while not clients.empty():
            clients.get().close()

    with progress:
        task = progress.add_task("feeding", total=len(mentions))
        feeders = [threading.Thread(target=feed, args=(i, task)) for i in range(len(urls))]
        for t in feeders:
            t.start()
        for t in feeders:
            t.join()
    feed_seconds = time.perf_counter() - started

    # Drain: every card posted, every reply the agents sent delivered (or give up after a while).
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            cards_left = conn.execute(select(func.count()).select_from(CaseMessage).where(
                CaseMessage.message_id.is_(None))).scalar()
            cases = conn.execute(select(func.count()).select_from(Case).where(Case.team.is_not(None))).scalar()
            cards = conn.execute(select(func.count()).select_from(CaseMessage)).scalar()
        if cards_left == 0 and cards >= cases and new_cases.empty():
            break
        time.sleep(1)
    agents.finish()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            unsent = conn.execute(select(func.count()).select_from(OutboxEntry).where(
                OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.SENDING)))).scalar()
        if unsent == 0:
            break
        time.sleep(1)

    # The promises, from the database and the fakes' own records.
    calls = httpx.get(slack_url + "/_fake/calls", params={"since": 0}, timeout=120).json()
    # A case reaches its channel on its own card, or as a line of a backlog digest (posted, or
    # updated to hold it); a 429 the fake answered is not a message.
    card_at: dict[int, float] = {}
    reached_by: dict[int, str] = {}  # own card, new digest, digest update
    card_count: dict[int, int] = {}
    digest_count: dict[int, int] = {}
    digests = rate_limited = 0
    for call in calls:
        if call.get("status", 200) != 200:
            rate_limited += 1
            continue
        meta = call.get("metadata") or {}
        if call["method"] == "chat.postMessage" and not call["thread_ts"]:
            found = re.search(r"case #(\d+) from", call["text"])
            if found:
                cid = int(found.group(1))
                card_count[cid] = card_count.get(cid, 0) + 1
                if cid not in card_at:
                    card_at[cid], reached_by[cid] = call["at"], "own card"
        if meta.get("event_type") == "mentiondesk_digest" and not call["thread_ts"] and \
                call["method"] in ("chat.postMessage", "chat.update"):
            digests += call["method"] == "chat.postMessage"
            for cid in meta.get("event_payload", {}).get("case_ids", []):
                if cid not in card_at:
                    card_at[cid] = call["at"]
                    reached_by[cid] = "new digest" if call["method"] == "chat.postMessage" else "digest update"
                # Posted in a digest, or joined one by an update (an update re-lists the earlier ones).
                first = call["method"] == "chat.postMessage" or cid not in digest_count
                digest_count[cid] = digest_count.get(cid, 0) + (1 if first else 0)
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(Mention)).scalar()
        orphans = conn.execute(select(func.count()).select_from(Mention).where(
            Mention.tier.in_(("tier1", "tier2")), Mention.case_id.is_(None))).scalar()
        case_ids = [r[0] for r in conn.execute(select(Case.id).where(Case.team.is_not(None)))]
        entries = conn.execute(select(OutboxEntry.in_reply_to, OutboxEntry.state, OutboxEntry.last_error)).all()
        # Stored -> in the channel, from the desk's own clock: the card path alone, without the time
        # a batch waited at the sender or in /ingest.
        stored_to_card = [(posted - opened).total_seconds() * 1000 for opened, posted in conn.execute(
            select(Case.opened_at, func.min(Event.created_at)).join(Event, Event.case_id == Case.id)
            .where(Event.type == "posted").group_by(Case.id, Case.opened_at))]
    replies = httpx.get(x_url + "/_fake/replies", timeout=60).json()["replies"]
    # Posts the replicas' encoders saw: the cascade really ran.
    encoded = sum(metric_value(httpx.get(u + "/metrics", timeout=30).text, "mentiondesk_triage_encoded_total")
                  for u in urls)
    missing_cards = sum(1 for cid in case_ids if card_count.get(cid, 0) == 0 and cid not in digest_count)
    # Lost: a reply still unsent after the drain (stuck). One X *refused* (e.g. the same text posted
    # twice by an incident's fan-out: "duplicate content") is failed, shown to its author, not lost.
    undelivered = sum(1 for _, state, _ in entries if state not in (OutboxState.SENT, OutboxState.FAILED))
    refused = [error or "?" for _, state, error in entries if state == OutboxState.FAILED]
    if refused:
        from collections import Counter

        console.print("replies X refused (failed, their authors told):", dict(Counter(e[:80] for e in refused)))
    lost = (len(mentions) - stored) + orphans + missing_cards + undelivered
    duplicates = (sum(n - 1 for n in card_count.values() if n > 1) + sum(n - 1 for n in replies.values() if n > 1)
                  + sum(n - 1 for n in digest_count.values() if n > 1)  # in two digests
                  + sum(1 for cid in digest_count if cid in card_count))  # a card and a digest line
    by_kind: dict[str, list[float]] = {}  # offer -> in the channel, by how the case got there
    for cid, t in sent_at.items():
        if cid in card_at:
            by_kind.setdefault(reached_by[cid], []).append((card_at[cid] - t) * 1000)
    latencies = [ms for kind in by_kind.values() for ms in kind]
    engine.dispose()
    return {
        "mentions": len(mentions), "ingest_errors": errors[0], "cases": len(case_ids), "cards": sum(card_count.values()),
        "cases_in_digests": len(digest_count), "digests": digests, "slack_429": rate_limited,
        "claimed_by_agents": agents.claimed, "replies_by_agents": agents.replied, "replies_on_x": sum(replies.values()),
        "mentions_per_s": round(len(mentions) / feed_seconds, 1), "encoded_by_the_model": int(encoded),
        "ingest_to_card_p50_ms": round(percentile(latencies, 50), 1),
        "ingest_to_card_p95_ms": round(percentile(latencies, 95), 1),
        # How the cases reached the channel, and the p50 / p95 of each way (what the user sees).
        **{f"p50_p95_ms_{kind.replace(' ', '_')}": f"{percentile(v, 50):,.0f} / {percentile(v, 95):,.0f} ({len(v):,})"
           for kind, v in sorted(by_kind.items())},
        "ingest_request_p50_ms": round(percentile(request_ms, 50), 1),
        "ingest_request_p95_ms": round(percentile(request_ms, 95), 1),
        "stored_to_card_p50_ms": round(percentile(stored_to_card, 50), 1),
        "stored_to_card_p95_ms": round(percentile(stored_to_card, 95), 1),
        "ack_p50_ms": round(percentile(agents.ack_ms, 50), 1), "ack_p99_ms": round(percentile(agents.ack_ms, 99), 1),
        "lost": lost, "lost_not_stored": len(mentions) - stored, "lost_no_case": orphans,
        "lost_no_card": missing_cards, "lost_reply_not_sent": undelivered, "replies_refused_by_x": len(refused),
        "duplicates": duplicates,
    }


if __name__ == "__main__":
    main()
