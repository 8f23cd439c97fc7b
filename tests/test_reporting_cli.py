"""``mentiondesk stats | export | forecast | user set-password`` against a real database."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from typer.testing import CliRunner

from bot.desk.accounts import authenticate
from bot.app.cli.main import app
from tests.test_reporting_metrics import DEFAULT_SLA, build_log

runner = CliRunner()


def test_stats_prints_the_hand_computed_figures(runtime, database_url):
    with runtime.sessions() as session:
        build_log(session)
    args = ["stats", "--since", "2026-11-16T09:00", "--until", "2026-11-16T12:00", "--database-url", database_url]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cases"] == 5 and data["time_to_claim"]["median"] == 900
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "time to claim" in table.stdout and "Ana Ortiz" in table.stdout and "15.0 min" in table.stdout
    bad = runner.invoke(app, ["stats", "--since", "yesterday-ish", "--database-url", database_url])
    assert bad.exit_code == 2 and "bad date" in bad.output


def test_export_cases_and_events_as_csv_with_formulas_defused(runtime, database_url, tmp_path):
    from bot.core.mention import parse_mention
    from tests.conftest import mention

    with runtime.sessions() as session:
        build_log(session)
    runtime.ingest_batch([parse_mention(mention("x1", '=HYPERLINK("http://evil") @SkylarkAir where is my bag?'))],
                         now=__import__("datetime").datetime(2026, 11, 16, 10, 0, tzinfo=__import__("datetime").timezone.utc))
    out = tmp_path / "cases.csv"
    result = runner.invoke(app, ["export", "cases", str(out), "--from", "2026-11-16", "--to", "2026-11-16",
                                 "--database-url", database_url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 7  # the 6 cases opened on the 16th (A–E, the one after noon) + the ingested post
    evil = [r for r in rows if r["text"].startswith("'=HYPERLINK")]
    assert len(evil) == 1 and evil[0]["author_handle"] == "traveller"
    events = runner.invoke(app, ["export", "events", "-", "--from", "2026-11-16T09:00", "--to", "2026-11-16T10:00",
                                 "--database-url", database_url])
    assert events.exit_code == 0, events.output
    got = list(csv.DictReader(io.StringIO(events.stdout)))
    # 09:05 claimed, 09:20 reply_queued, 09:40 approval_requested, 09:50 claimed (10:00 events excluded)
    assert [r["type"] for r in got] == ["claimed", "reply_queued", "approval_requested", "claimed"]
    assert json.loads(got[1]["payload"]) == {"outbox_id": 6}
    assert runner.invoke(app, ["export", "mentions", "-", "--database-url", database_url]).exit_code == 2


def test_forecast_command(runtime, database_url):
    with runtime.sessions() as session:
        build_log(session)
    result = runner.invoke(app, ["forecast", "--now", "2026-11-17T00:00", "--aht", "600", "--json",
                                 "--database-url", database_url])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["hours"]) == 168 and data["hours"][0]["start"].startswith("2026-11-17T00:00")
    # Tuesday 00:00 onwards; one week of history: next Monday 09:00-13:00 repeats last Monday
    # (A+B at 9, C at 10, D+E at 11, G at 12) and Sunday 08:00 repeats case F
    monday = 24 * 6
    assert [h["cases"] for h in data["hours"][monday + 9:monday + 13]] == [2, 1, 2, 1]
    assert data["hours"][24 * 5 + 8]["cases"] == 1
    assert sum(h["cases"] for h in data["hours"]) == 7
    table = runner.invoke(app, ["forecast", "--now", "2026-11-17T00:00", "--database-url", database_url])
    assert table.exit_code == 0 and "Erlang C" in table.stdout
    empty = runner.invoke(app, ["forecast", "--now", "2020-01-01T00:00", "--database-url", database_url])
    assert empty.exit_code == 2 and "no cases in the history window" in empty.output


def test_user_set_password(runtime, database_url):
    result = runner.invoke(app, ["user", "set-password", "Dev Patel", "--password-stdin", "--database-url",
                                 database_url], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    assert "a long enough secret" not in result.output
    with runtime.sessions() as session:
        assert authenticate(session, "Dev Patel", "a long enough secret").name == "Dev Patel"
        assert authenticate(session, "Dev Patel", "wrong guess at it") is None
    missing = runner.invoke(app, ["user", "set-password", "Nobody", "--password-stdin", "--database-url",
                                  database_url], input="a long enough secret\n")
    assert missing.exit_code == 2 and "no agent named" in missing.output
