"""Escalation timers with APScheduler's SQLAlchemy job store on SQLite and PostgreSQL (real
time, second-long waits): jobs fire, survive a restart, are replaced not doubled, and a timer
for a claimed case does nothing."""

from __future__ import annotations

import textwrap
import threading
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import inspect

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.core.yaml_source import load_yaml_with_lines
from escalation import scheduler
from escalation.map import parse_escalation_map
from tests.conftest import mention

MAP = """\
categories:
  - name: safety
    match: {topics: [safety]}
    team: pr
    chain:
      - notify_people: [Erin Walsh]
      - wait: 2s
      - notify_people: [Dev Patel]
"""
SAFETY = "@SkylarkAir smoke in the cabin on SK212, this is unsafe"


class Collector:
    def __init__(self):
        self.pings = []
        self.lock = threading.Lock()

    def __call__(self, pings):
        with self.lock:
            self.pings.extend(pings)

    def names(self):
        with self.lock:
            return [p.people[0].name for p in self.pings if p.kind == "notify_people"]

    def wait_for(self, count, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.names()) >= count:
                return True
            time.sleep(0.05)
        return False


def emap(config):
    return parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(MAP)), config)


def open_case(runtime, id="m1") -> int:
    now = datetime.now(timezone.utc)
    outcome = runtime.ingest_batch([parse_mention(mention(id, SAFETY, created_at=now.isoformat()))], now=now)[0]
    return outcome.case_id


def test_timer_fires_the_next_step_and_goes_away(runtime, config):
    pings = Collector()
    timers = runtime.enable_escalation(emap(config), notify=pings)
    case_id = open_case(runtime)
    assert pings.wait_for(1) and pings.names() == ["Erin Walsh"]  # the first step at once
    assert timers.scheduler.get_job(scheduler.job_id(case_id)) is not None
    assert pings.wait_for(2), pings.names()
    assert pings.names() == ["Erin Walsh", "Dev Patel"]
    deadline = time.monotonic() + 5
    while timers.scheduler.get_job(scheduler.job_id(case_id)) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert timers.scheduler.get_job(scheduler.job_id(case_id)) is None  # nothing left to time


def test_timers_survive_a_restart_and_ping_once(config, database_url):
    first_pings, second_pings = Collector(), Collector()
    first = Runtime.build(config, database=database_url)
    try:
        first.enable_escalation(emap(config), notify=first_pings)
        case_id = open_case(first)
        assert first_pings.wait_for(1)
        first.escalation_timers.shutdown()  # the process stops before the 2s wait is over
        with first.engine.connect() as conn:
            assert scheduler.JOB_TABLE in inspect(conn).get_table_names()
    finally:
        first.close()
    second = Runtime.build(config, database=database_url)
    try:
        second.enable_escalation(emap(config), notify=second_pings)
        assert second_pings.wait_for(1)
        time.sleep(0.5)
        assert first_pings.names() == ["Erin Walsh"] and second_pings.names() == ["Dev Patel"]
        second.escalation_timers.fire(case_id)  # a duplicate timer: nothing new
        assert second_pings.names() == ["Dev Patel"]
    finally:
        second.close()


def test_scheduling_a_case_again_replaces_its_job(runtime, config):
    timers = runtime.enable_escalation(emap(config), notify=Collector())
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    timers.schedule(4242, later)
    timers.schedule(4242, later + timedelta(minutes=5))
    jobs = [j for j in timers.scheduler.get_jobs() if j.id == scheduler.job_id(4242)]
    assert len(jobs) == 1 and jobs[0].next_run_time == later + timedelta(minutes=5)
    timers.schedule(4242, None)
    assert timers.scheduler.get_job(scheduler.job_id(4242)) is None


def test_claim_stops_the_timer_and_a_late_timer_does_nothing(runtime, config):
    pings = Collector()
    timers = runtime.enable_escalation(emap(config), notify=pings)
    case_id = open_case(runtime)
    assert pings.wait_for(1)
    desk = CaseDesk(runtime.sessions, listeners=runtime.action_listeners)
    assert desk.run(cmd.Claim(), case_id, "slack", "U0DEV00001").ok
    assert timers.scheduler.get_job(scheduler.job_id(case_id)) is None  # the claim removed the timer
    scheduler.fire_case(case_id)  # a timer that fires anyway (scheduled before the claim landed)
    time.sleep(2.5)
    assert pings.names() == ["Erin Walsh"]


def test_migrations_ignore_the_job_store_table(runtime, config, database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.db import FOREIGN_TABLES, include_object
    from storage.models import Base
    from escalation.scheduler import JOB_TABLE

    assert JOB_TABLE in FOREIGN_TABLES

    runtime.enable_escalation(emap(config), notify=Collector())  # creates escalation_jobs
    with runtime.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
