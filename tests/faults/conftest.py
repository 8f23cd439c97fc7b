"""Fault-injection harness: real ``mentiondesk serve`` replicas in their own processes on one
PostgreSQL database, with the fake Slack and fake X of the tests (in this process, so they
outlive any replica). Replicas die by SIGKILL, either from outside or at a named fault point
(``MENTIONDESK_FAULT``, see bot/core/faults.py), and are restarted on the same database.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import Case, CaseMessage, Mention, OutboxEntry, OutboxState
from tests.conftest import SAMPLES, ServerThread, free_port
from tests.fakes.slack_api import FakeSlack
from tests.fakes.x_api import BRAND_ID, FakeX

ROOT = Path(__file__).resolve().parents[2]
SECRET = "fault-suite-signing-secret"
LEASE_SECONDS = 3  # a dead worker's claim on a post or a send blocks the others this long
CHANNELS = {"C0BAGS0001", "C0CARE0001", "C0DIGI0001", "C0PRPR0001"}


def wait_for(predicate, timeout: float = 30.0, what: str = "condition", every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Replica:
    """One ``mentiondesk serve`` process."""

    def __init__(self, world: "World", name: str, *, x_user_tokens: bool = True):
        self.world, self.name, self.x_user_tokens = world, name, x_user_tokens
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = world.tmp / f"{name}.log"

    def start(self, fault: str | None = None) -> "Replica":
        env = {**self.world.env(self.x_user_tokens), "MENTIONDESK_REPLICA": self.name}
        if fault:
            env["MENTIONDESK_FAULT"] = fault
        log = open(self.log_path, "a")
        log.write(f"\n--- start (fault={fault}) ---\n")
        log.flush()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from bot.app.cli.main import app; app()", "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.ready, 60, f"{self.name} ready")
        return self

    def ready(self) -> dict | None:
        if self.process is None or self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.process.returncode if self.process else None}:\n"
                                 + self.log_path.read_text()[-3000:])
        try:
            response = httpx.get(self.url + "/readyz", timeout=2)
            return response.json() if response.status_code == 200 else None
        except httpx.HTTPError:
            return None

    def is_leader(self) -> bool:
        try:
            return bool(httpx.get(self.url + "/readyz", timeout=2).json().get("leader"))
        except httpx.HTTPError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """kill -9 from outside."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def died_by_sigkill(self, timeout: float = 30) -> bool:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return self.process.returncode == -signal.SIGKILL

    def terminate(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def ingest(self, *mentions: dict) -> httpx.Response:
        return httpx.post(self.url + "/ingest", json=list(mentions), timeout=30)


class World:
    """Fake Slack + fake X + one PostgreSQL database + a config file; replicas are made from it."""

    def __init__(self, tmp: Path, database_url: str, slack: FakeSlack, slack_url: str, x: FakeX, x_url: str):
        self.tmp, self.database_url = tmp, database_url
        self.slack, self.slack_url, self.x, self.x_url = slack, slack_url, x, x_url
        self.config_path = tmp / "config.yaml"
        config = yaml.safe_load((SAMPLES / "config.example.yaml").read_text())
        config.pop("routing", None)  # the plain desk: the fault checks count one case and one card per mention
        config["x"] = {"poll_interval_seconds": 5, "search": False}
        self.config_path.write_text(yaml.safe_dump(config, allow_unicode=True))
        self.escalation_path: Path | None = None
        self.engine = create_engine(database_url, pool_pre_ping=True)
        self.replicas: list[Replica] = []

    def env(self, x_user_tokens: bool) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "X_", "MENTIONDESK_", "DISCORD_"))}
        env = {**keep, "DATABASE_URL": self.database_url, "MENTIONDESK_CONFIG": str(self.config_path),
               "MENTIONDESK_MODEL_DIR": str(self.tmp / "no-heads"), "MENTIONDESK_LEASE_SECONDS": str(LEASE_SECONDS),
               "SLACK_BOT_TOKEN": self.slack.token, "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": self.slack_url + "/api/", "X_BEARER_TOKEN": self.x.bearer, "X_API_URL": self.x_url,
               "PYTHONUNBUFFERED": "1"}
        if x_user_tokens:
            env.update(X_CONSUMER_KEY="ck", X_CONSUMER_SECRET="cs", X_ACCESS_TOKEN=f"{BRAND_ID}-fault-suite",
                       X_ACCESS_TOKEN_SECRET="ats")
        if self.escalation_path is not None:
            env["MENTIONDESK_ESCALATION"] = str(self.escalation_path)
        return env

    def replica(self, name: str, **kwargs) -> Replica:
        replica = Replica(self, name, **kwargs)
        self.replicas.append(replica)
        return replica

    def session(self) -> Session:
        return Session(self.engine)

    def all(self, query) -> list:
        with self.session() as s:
            return list(s.scalars(query))

    # --- the promises, checked from the database and the fakes' own records ----------------------

    def cards_in_slack(self) -> dict[int, int]:
        """case id -> how many top-level cards show it, over all channels."""
        counts: dict[int, int] = {}
        for channel in list(self.slack.messages):
            for message in self.slack.cards(channel):
                found = re.search(r"case #(\d+)", message.get("text", ""))
                if found:
                    counts[int(found.group(1))] = counts.get(int(found.group(1)), 0) + 1
        return counts

    def assert_promises(self, *, mentions: int | None = None) -> None:
        with self.session() as s:
            stored = s.scalar(select(func.count()).select_from(Mention))
            if mentions is not None:
                assert stored == mentions, f"{stored} mentions stored, {mentions} sent"
            orphans = s.scalar(select(func.count()).select_from(Mention).where(
                Mention.tier.in_(("tier1", "tier2")), Mention.case_id.is_(None)))
            assert orphans == 0, f"{orphans} actionable mentions without a case"
            cases = list(s.scalars(select(Case)))
            rows = list(s.scalars(select(CaseMessage)))
            entries = list(s.scalars(select(OutboxEntry)))
        cards = self.cards_in_slack()
        for case in cases:
            if case.team:
                assert cards.get(case.id) == 1, f"case {case.id} has {cards.get(case.id, 0)} cards in Slack"
        assert all(n == 1 for n in cards.values()), cards
        for row in rows:
            assert row.message_id is not None, f"card row of case {row.case_id} never recorded ({row.state})"
        replies: dict[str, int] = {}
        for tweet in self.x.tweets.values():
            if tweet["author_id"] == BRAND_ID:
                for ref in tweet.get("referenced_tweets", []):
                    replies[ref["id"]] = replies.get(ref["id"], 0) + 1
        for entry in entries:
            assert entry.state == OutboxState.SENT, f"outbox {entry.id} is {entry.state}"
            assert replies.get(entry.in_reply_to) == 1, f"{replies.get(entry.in_reply_to)} replies to {entry.in_reply_to}"


@pytest.fixture
def world(pg_database_url, tmp_path):
    slack, x = FakeSlack(), FakeX()
    x.add_user("2001", "maria_travels", "Maria", followers=840)
    with ServerThread(slack.app) as slack_server, ServerThread(x.app) as x_server:
        w = World(tmp_path, pg_database_url.replace("postgresql://", "postgresql+psycopg://", 1), slack,
                  slack_server.url, x, x_server.url)
        try:
            yield w
        finally:
            for replica in w.replicas:
                if replica.alive():
                    replica.kill()
            w.engine.dispose()
