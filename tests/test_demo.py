"""The demo as a newcomer meets it: weeks of simulated desk history with real figures, today's
feed dated up to now, and hints that work exactly as printed through the ./mentiondesk launcher."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from bot.app.demo_history import build_demo_desk, shift_to_now
from bot.feeds.file_replay import BadLine, replay_file
from bot.reporting.forecast import forecast_workload
from bot.reporting.metrics import compute
from handlers.slack.digest import period_text
from escalation.map import load_escalation_map
from storage.models import Case, CaseState, Event, Mention as MentionRow
from tests.conftest import SAMPLES

REPO = Path(__file__).resolve().parent.parent


def _feed():
    return [m for m in replay_file(SAMPLES / "demo_feed.jsonl") if not isinstance(m, BadLine)]


def test_simulated_history_gives_stats_and_forecast_real_figures(runtime):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    today = shift_to_now(_feed()[:80], now)
    assert max(m.created_at for m in today) <= now - timedelta(minutes=2)
    assert max(m.created_at for m in today) > now - timedelta(minutes=4)

    summary = build_demo_desk(runtime, today, now=now, weeks=3, seed=7,
                              escalation_map=load_escalation_map(None, runtime.config))
    assert summary.start < now - timedelta(days=19) and summary.cases > 150 and summary.actions > 500
    assert summary.today["received"] == 80

    with runtime.sessions() as session:
        week = compute(session, now - timedelta(days=7), now)
        plan = forecast_workload(session, now)
        newest_event = session.scalar(select(func.max(Event.created_at)))
        states = dict(session.execute(select(Case.state, func.count()).group_by(Case.state)).all())
        simulated = session.scalar(select(func.count()).select_from(MentionRow)
                                   .where(MentionRow.created_at < now - timedelta(days=1)))
    # Every figure the supervisor looks at has something in it.
    assert week.cases > 50 and week.time_to_claim.count > 30 and week.time_to_first_reply.count > 30
    assert week.time_to_resolve.count > 20 and week.agents and any(a.claimed for a in week.agents)
    assert week.sla["claim"].met > 0 and week.sla["claim"].breached > 0  # SLAs snapshotted, some breached
    assert week.escalations["total"] > 0
    assert week.satisfaction["surveys"] > 20 and week.satisfaction["answers"] > 5 and week.satisfaction["mean"] > 3
    digest = period_text(runtime.sessions, "yesterday", now, {})
    assert "nobody" not in digest and "no answers yet" not in digest and "*0* cases" not in digest
    assert plan.history_weeks >= 2 and plan.error is not None and plan.aht_measured
    assert sum(h.cases for h in plan.hours) > 50 and max(h.agents for h in plan.hours) >= 1
    # A live desk: nothing dated after now, old cases closed, the newest still waiting or in work.
    assert (newest_event if newest_event.tzinfo else newest_event.replace(tzinfo=timezone.utc)) <= now
    assert states[CaseState.RESOLVED] > 100 and states.get(CaseState.OPEN, 0) > 0
    assert simulated > 150


def _run(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)


def test_demo_hints_work_as_printed_through_the_launcher(tmp_path):
    (tmp_path / "mentiondesk").symlink_to(REPO / "mentiondesk")
    (tmp_path / "bot" / "samples").mkdir(parents=True)
    (tmp_path / "bot" / "samples" / "demo_feed.jsonl").symlink_to(SAMPLES / "demo_feed.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MENTIONDESK_", "DATABASE_URL", "SLACK_", "X_"))}
    env["MENTIONDESK_VENV"] = sys.prefix  # the test's own environment stands in for `make demo`'s .venv
    demo = _run("./mentiondesk demo --weeks 1 --feed bot/samples/demo_feed.jsonl", tmp_path, env)
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "mentiondesk-demo.db").exists()
    hints = [line.strip() for line in demo.stdout.splitlines() if line.strip().startswith("./mentiondesk ")]
    commands = [h.split("  #")[0].strip() for h in hints if "--serve" not in h]
    assert len(commands) >= 7, demo.stdout
    for command in commands:
        result = _run(command, tmp_path, env)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if shlex.split(command)[1] != "replay":  # the dry run never reads a database
            assert "using the demo database mentiondesk-demo.db" in result.stderr, command
    # The README's quick start shows only commands the demo prints (and so were just run as typed).
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    shown = [line.split("#")[0].strip() for line in quick.splitlines() if line.startswith("./mentiondesk")]
    assert shown and all(c in commands or c == "./mentiondesk demo --serve" for c in shown), shown
    stats = _run("./mentiondesk stats --json", tmp_path, env)
    import json

    figures = json.loads(stats.stdout)
    assert figures["cases"] > 0 and figures["time_to_claim"]["count"] > 0
