"""Replicas started together on a fresh database (issue 17, item 6a): every one of them comes up,
and the configured teams and agents are stored once. On PostgreSQL (replicas) and on a SQLite file
(a `serve` and a CLI command started together).

Replicas are processes, so the race is run with processes: each builds the runtime (migrations,
teams, agents, known customers) as ``mentiondesk serve`` does, released at the same instant.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from bot.core.config import load_config
from storage.models import Agent, Team
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
REPLICAS = 4

START_UP = """
import sys, time
from bot.app.runtime import Runtime
go = float(sys.argv[2])
time.sleep(max(0.0, go - time.time()))  # every replica starts its start-up at the same moment
Runtime.build(config_path=sys.argv[3], database=sys.argv[1]).close()
"""


def test_replicas_starting_together_on_a_fresh_database_all_come_up(database_url, tmp_path):
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    config_path = SAMPLES / "config.example.yaml"
    for attempt in range(3):  # three fresh races, each on an empty schema
        if attempt and url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'race-{attempt}.db'}"
        elif attempt:
            reset(url)
        go = time.time() + 4  # after every interpreter has imported the bot
        procs = [subprocess.Popen([sys.executable, "-c", START_UP, url, str(go), str(config_path)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(REPLICAS)]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        for proc, output in zip(procs, outputs):
            assert proc.returncode == 0, f"a replica's start-up failed (race {attempt + 1}):\n{output[-3000:]}"
    config = load_config(config_path)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Team)) == len(config.teams)
            assert conn.scalar(select(func.count()).select_from(Agent)) == len(config.agents)
    finally:
        engine.dispose()


def reset(url: str) -> None:
    from sqlalchemy import text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
