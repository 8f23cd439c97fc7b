"""The command line: triage --json (the stable interface), the table, the demo, config check."""

from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

from bot.app.cli.main import app

from tests.conftest import SAMPLES, mention

runner = CliRunner()


def write_feed(path, lines):
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


def test_triage_json_is_sorted_and_covers_every_tier(tmp_path):
    feed = write_feed(tmp_path / "feed.jsonl", [
        mention("1", "Sunrise over the Atlantic from SK45 #FlySkylark", followers=800),
        mention("2", "@SkylarkAir SK212 emergency landing, smoke in the cabin. Is everyone ok??", followers=900),
        mention("3", "Skylark Bakery's sourdough sold out by 8am again"),
        mention("4", "🚨 DOUBLE YOUR BTC 🚨 send 0.1 BTC, receive 0.2 back #SkylarkAir", handle="btc_double", followers=3),
        mention("5", "@SkylarkAir how do I add a bag to my booking?", followers=300),
        "{not json",
    ])
    result = runner.invoke(app, ["triage", str(feed), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert all({"id", "tier", "score", "intent", "sentiment", "topic", "reasons"} <= set(r) for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert by_id["2"]["tier"] == "tier1" and by_id["2"]["intent"] == "crisis"
    assert by_id["5"]["tier"] == "tier1" and by_id["5"]["intent"] == "question"
    assert by_id["1"]["tier"] == "tier2"
    assert by_id["3"]["tier"] == "noise"
    assert by_id["4"]["tier"] == "spam"
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["id"] == "2"
    assert all(isinstance(r["reasons"], list) and r["reasons"] for r in rows)
    assert "feed.jsonl:6: not valid JSON" in result.stderr


def test_triage_table_and_funnel(tmp_path):
    result = runner.invoke(app, ["triage", str(SAMPLES / "demo_feed.jsonl"), "--limit", "5"],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Triage funnel" in result.stdout
    for stage in ("received", "duplicates dropped", "spam", "noise", "tier 2", "tier 1"):
        assert stage in result.stdout
    assert "368" in result.stdout  # every line of the sample was received


def test_triage_of_a_missing_file_names_it(tmp_path):
    result = runner.invoke(app, ["triage", str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0
    assert "nope.jsonl" in result.output


def test_demo_builds_a_database_with_a_queue(tmp_path):
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db), "--weeks", "0"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        mentions = conn.execute("select count(*) from mention").fetchone()[0]
        cases = conn.execute("select count(*) from \"case\"").fetchone()[0]
        tiers = dict(conn.execute("select tier, count(*) from mention group by tier").fetchall())
    assert mentions == 362  # 368 lines, 6 exact duplicates
    assert cases > 50
    assert set(tiers) == {"tier1", "tier2", "noise", "spam"}
    # The demo is repeatable: a second run recreates the database instead of failing.
    again = runner.invoke(app, ["demo", "--db", str(db), "--weeks", "0"], env={"COLUMNS": "120"})
    assert again.exit_code == 0, again.output


def test_config_check_reports_line_numbers(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("brands:\n  - name: X\n    handles: ['@x']\n    slack_token: abc\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "check", str(bad)])
    assert result.exit_code != 0
    assert "bad.yaml:4" in result.output and "slack_token" in result.output


def test_ingest_then_queue(tmp_path):
    db = f"sqlite:///{tmp_path / 'q.db'}"
    feed = write_feed(tmp_path / "feed.jsonl", [
        mention("q1", "@SkylarkAir my bag is lost, file DEN-1234, please help", followers=500),
        mention("q2", "@SkylarkAir can I bring my guitar in the cabin?", followers=200),
    ])
    result = runner.invoke(app, ["ingest", str(feed), "--database-url", db])
    assert result.exit_code == 0, result.output
    queue = runner.invoke(app, ["queue", "--database-url", db], env={"COLUMNS": "160"})
    assert queue.exit_code == 0, queue.output
    assert "@traveller" in queue.stdout and "baggage" in queue.stdout
