"""``mentiondesk replay``: a dry run prints where each mention would go and which rules fired,
posting nothing and writing nothing to the configured database."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.app.cli.main import app
from tests.conftest import mention
from tests.conftest import SAMPLES
from tests.routing_fixtures import routing_config_text

runner = CliRunner()


def test_replay_prints_routes_and_rules_and_stores_nothing(tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text(routing_config_text(), encoding="utf-8")
    real_db = tmp_path / "real.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{real_db}")
    feed = tmp_path / "past.jsonl"
    lines = [
        mention("1", "@SkylarkAir my bag never arrived in Lisbon, please help", handle="ana_b",
                created_at="2026-11-23T10:00:00Z"),
        mention("2", "@SkylarkAir flight SK212 delayed, can you help me rebook?", handle="star", followers=300_000,
                created_at="2026-11-23T10:05:00Z"),
        mention("3", "@SkylarkAir the seatback screen is dead on SK45, can you help?", handle="movie",
                created_at="2026-11-23T10:06:00Z"),
        mention("4", "Skylark Bakery's sourdough sold out again", handle="baker", created_at="2026-11-23T10:07:00Z"),
    ]
    feed.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")

    result = runner.invoke(app, ["replay", str(feed), "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["mention_id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["1"]["team"] == "baggage" and rows["1"]["mode"] == "auto" and rows["1"]["agent"] == "Ana Ortiz"
    assert "topic: topic lost_luggage → baggage" in rows["1"]["rules"]
    assert rows["2"]["agent"] == "Dev Patel"
    assert "vip_senior: VIP (300,000 followers) → senior agent" in rows["2"]["rules"]
    assert rows["3"]["team"] == "digital" and "keywords: keyword “seatback screen” → digital" in rows["3"]["rules"]
    assert rows["4"]["case_id"] is None and rows["4"]["team"] is None
    assert any(r.startswith("triage: ") for r in rows["1"]["rules"])
    assert not real_db.exists(), "a dry run must not touch the configured database"

    # With a topic in crisis mode the same file routes differently; the table names the rules.
    crisis = runner.invoke(app, ["replay", str(feed), "--config", str(config), "--crisis", "lost_luggage"],
                           env={"COLUMNS": "200"})
    assert crisis.exit_code == 0, crisis.output
    assert "topic lost_luggage is in crisis mode → crisis team pr" in crisis.output
    assert "nothing posted" in crisis.output


def test_replay_refuses_an_unknown_crisis_topic(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(routing_config_text(), encoding="utf-8")
    feed = tmp_path / "past.jsonl"
    feed.write_text(json.dumps(mention("1", "@SkylarkAir hi")) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["replay", str(feed), "--config", str(config), "--crisis", "volcano"])
    assert result.exit_code == 2 and "unknown topic 'volcano'" in result.output


def test_the_bundled_example_config_routes_and_has_a_crisis_team(tmp_path, monkeypatch):
    """What a newcomer runs first, with no --config: replay suggests people, crisis mode switches."""
    monkeypatch.delenv("MENTIONDESK_CONFIG", raising=False)
    runner = CliRunner()
    replay = runner.invoke(app, ["replay", str(SAMPLES / "demo_feed.jsonl"), "--json"])
    assert replay.exit_code == 0, replay.output
    rows = [json.loads(line) for line in replay.output.splitlines() if line.startswith("{")]
    cases = [r for r in rows if r["case_id"] is not None and not r["joined"]]
    routed = [r for r in cases if r["agent"]]
    assert len(cases) > 50 and len(routed) > len(cases) / 2, (len(cases), len(routed))
    assert {r["team"] for r in routed} >= {"care", "baggage", "pr"}
    db = f"sqlite:///{tmp_path / 'md.db'}"
    crisis = runner.invoke(app, ["mode", "crisis", "--topic", "safety", "--by", "Erin Walsh", "--database-url", db])
    assert crisis.exit_code == 0, crisis.output
    assert "safety is in crisis mode: new cases go to pr" in crisis.output
