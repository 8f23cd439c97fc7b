"""Slack adapter latency: mention ingested → card accepted by Slack, and button press → HTTP 200.

Runs the real server (uvicorn, the Bolt endpoint, the card poster) in one process and the local
fake Slack Web API used by the tests in another (real Slack is remote, so it must not compete
for our interpreter), on a SQLite file (default) or ``--database-url``. This process only drives
the load and reads the fake's receipt times.

* ingest → card: one mention at a time is POSTed to ``/ingest``; the time until the fake Slack
  receives its ``chat.postMessage`` (p50/p95; target p95 ≤ 250 ms).
* ack: ``--presses`` people press Claim on the same card at the same moment, ``--rounds`` times;
  the time until each signed request gets its HTTP 200 (p50/p99; target p99 ≤ 50 ms).

Prints a table, then ONE JSON line with ``ingest_to_card_p50_ms``, ``ingest_to_card_p95_ms``,
``ack_p50_ms``, ``ack_p99_ms``.

    .venv/bin/python bench/slack.py [--n 200] [--presses 50] [--rounds 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import math
import multiprocessing
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bot.core.config import Agent as AgentSpec, load_config  # noqa: E402
from bot.app.runtime import Runtime  # noqa: E402
from bot.app.server import create_app  # noqa: E402
from bot.core.settings import Settings  # noqa: E402
from handlers.slack.app import SlackAdapter  # noqa: E402
from tests.fakes.slack_api import TEAM_ID, FakeSlack  # noqa: E402  (the fake the tests use)

SECRET = "bench-signing-secret"
CITIES = ["Madrid", "Lisbon", "Paris", "Berlin", "Rome", "Dublin", "Vienna", "Oslo", "Porto", "Nice"]
PROBLEMS = ["my bag never arrived in {c}", "flight to {c} cancelled, I need a refund",
            "stuck at the gate in {c}, the flight is delayed again", "lost my suitcase on the way to {c}",
            "can you help me change my booking to {c}?"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def signed(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


def press_body(case_id: int, user: str, channel: str) -> bytes:
    payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID},
               "api_app_id": "A0BENCH", "token": "unused", "trigger_id": "bench.trigger",
               "channel": {"id": channel}, "container": {"type": "message", "channel_id": channel},
               "actions": [{"type": "button", "action_id": "case_claim", "value": str(case_id),
                            "action_ts": f"{time.time():.6f}"}]}
    return urlencode({"payload": json.dumps(payload)}).encode()


def mention(i: int) -> dict:
    text = "@SkylarkAir " + PROBLEMS[i % len(PROBLEMS)].format(c=CITIES[(i // 5) % len(CITIES)]) + f" (ref {i * 7919})"
    return {"platform": "x", "id": f"bench-{i}", "text": text, "created_at": "2026-11-20T10:00:00Z",
            "author": {"id": f"a{i}", "handle": f"flyer_{i}", "name": f"Flyer {i}", "followers": 100 + i * 13}}


def run_fake_slack(port_queue, token: str) -> None:
    """Child process: the fake Slack Web API (real Slack is remote: it must not share our interpreter)."""
    import uvicorn

    from tests.conftest import free_port

    fake = FakeSlack(token=token)
    port = free_port()
    port_queue.put(port)
    uvicorn.run(fake.app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def run_mentiondesk(port_queue, database_url: str, fake_url: str, token: str, presses: int) -> None:
    """Child process: ``mentiondesk serve`` as production runs it (uvicorn, lifespan starts the poster)."""
    import uvicorn

    from tests.conftest import free_port

    logging.basicConfig(level=logging.ERROR)
    config = load_config(ROOT / "bot" / "samples" / "config.example.yaml")
    crowd = [AgentSpec(name=f"Bench {i:03d}", teams=["care"], slack_user_id=f"U0BENCH{i:03d}") for i in range(presses)]
    config = config.model_copy(update={"agents": [*config.agents, *crowd]})
    settings = Settings(database_url=database_url, slack_bot_token=SecretStr(token),
                        slack_signing_secret=SecretStr(SECRET), slack_app_token=None, slack_api_url=fake_url + "/api/",
                        webhook_token=None)
    runtime = Runtime.build(config, database=database_url, settings=settings)
    app = create_app(runtime, slack=SlackAdapter(runtime))
    port = free_port()
    port_queue.put(port)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def start(ctx, target, *args) -> tuple[object, str]:
    q = ctx.Queue()
    process = ctx.Process(target=target, args=(q, *args), daemon=True)
    process.start()
    port = q.get(timeout=60)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/healthz" if target is run_mentiondesk else url + "/_fake/calls?since=999999", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{target.__name__} did not start")


class RawClient:
    """A keep-alive HTTP/1.1 connection sending pre-built requests.

    Slack's presses come from many machines; 50 httpx clients in one Python process would
    queue behind each other's interpreter lock and bill that to the server. Pre-built bytes on
    an open socket keep the driver's own cost per request to a few microseconds.
    """

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")

    @staticmethod
    def request_bytes(path: str, body: bytes, headers: dict[str, str]) -> bytes:
        lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def send(self, request: bytes) -> int:
        self.sock.sendall(request)
        status = int(self.file.readline().split()[1])
        length = 0
        while (line := self.file.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        self.file.read(length)
        return status

    def close(self) -> None:
        self.file.close()
        self.sock.close()


class FakeCalls:
    """Reads the calls the fake Slack (in its own process) received; timestamps are perf_counter()
    values, comparable across processes on one machine (CLOCK_MONOTONIC)."""

    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=10)
        self.seen = 0

    def mark(self) -> int:
        return len(self.http.get("/_fake/calls", params={"since": 0}).json())

    def card_time(self, case_id: int, since: int, timeout: float = 5.0) -> float | None:
        marker = f"case #{case_id} from"
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for call in self.http.get("/_fake/calls", params={"since": since}).json():
                if call["method"] == "chat.postMessage" and not call["thread_ts"] and marker in call["text"]:
                    return call["at"]
            time.sleep(0.002)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="mentions for ingest → card")
    parser.add_argument("--presses", type=int, default=50, help="concurrent Claim presses per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    console = Console()

    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    token = "xoxb-bench"
    ctx = multiprocessing.get_context("spawn")
    fake_process, fake_url = start(ctx, run_fake_slack, token)
    server_process, server_url = start(ctx, run_mentiondesk, url, fake_url, token, args.presses)
    fake = FakeCalls(fake_url)
    http = httpx.Client(base_url=server_url, timeout=30)
    card_ms: list[float] = []
    ack_ms: list[float] = []
    statuses: dict[int, int] = {}
    missing = 0
    try:
        # Warm up: first requests pay for imports, auth.test and connection set-up.
        since = fake.mark()
        first = http.post("/ingest", json=mention(10_000)).json()["results"][0]["case_id"]
        fake.card_time(first, since)

        for i in range(args.n):
            since = fake.mark()
            t0 = time.perf_counter()
            case_id = http.post("/ingest", json=mention(i)).json()["results"][0]["case_id"]
            if case_id is None:
                continue
            at = fake.card_time(case_id, since)
            if at is None:
                missing += 1
                continue
            card_ms.append((at - t0) * 1000)

        port = int(server_url.rsplit(":", 1)[1])
        clients = [RawClient(port) for _ in range(args.presses)]
        lock = threading.Lock()
        # Round 0 is a warm-up (the server's worker threads are created on the first burst).
        for round_ in range(args.rounds + 1):
            since = fake.mark()
            case_id = http.post("/ingest", json=mention(20_000 + round_)).json()["results"][0]["case_id"]
            fake.card_time(case_id, since)
            barrier = threading.Barrier(args.presses)

            def press(i: int) -> None:
                body = press_body(case_id, f"U0BENCH{i:03d}", "C0CARE0001")
                request = clients[i].request_bytes("/slack/events", body, signed(body))
                barrier.wait()
                t0 = time.perf_counter()
                status = clients[i].send(request)
                elapsed = (time.perf_counter() - t0) * 1000
                if round_ == 0:
                    return
                with lock:
                    ack_ms.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

            threads = [threading.Thread(target=press, args=(i,)) for i in range(args.presses)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            time.sleep(1.0)  # let the listeners finish (ephemerals, card updates) before the next round
        for client in clients:
            client.close()
    finally:
        http.close()
        for process in (server_process, fake_process):
            process.terminate()
            process.join(10)
        tmp.cleanup()

    figures = {
        "ingest_to_card_p50_ms": round(percentile(card_ms, 50), 1),
        "ingest_to_card_p95_ms": round(percentile(card_ms, 95), 1),
        "ack_p50_ms": round(percentile(ack_ms, 50), 1),
        "ack_p99_ms": round(percentile(ack_ms, 99), 1),
    }
    table = Table(title=f"Slack adapter latency ({'SQLite' if url.startswith('sqlite') else 'PostgreSQL'})")
    table.add_column("measure")
    table.add_column("samples", justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("tail ms", justify="right")
    table.add_column("target", justify="right")
    table.add_row("mention ingested → card accepted", str(len(card_ms)), f"{figures['ingest_to_card_p50_ms']}",
                  f"p95 {figures['ingest_to_card_p95_ms']}", "p95 ≤ 250")
    table.add_row(f"Claim press → HTTP 200 ({args.presses} at once)", str(len(ack_ms)), f"{figures['ack_p50_ms']}",
                  f"p99 {figures['ack_p99_ms']}", "p99 ≤ 50")
    console.print(table)
    console.print(f"HTTP statuses of presses: {statuses}; cards missing: {missing}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
