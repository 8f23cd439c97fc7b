"""The escalation map: the sample is valid; each kind of mistake names its line; durations,
business hours, category matching and the reply policy read from the map; the CLI."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from bot.app.cli.main import app
from bot.core.config import load_config
from bot.core.yaml_source import load_yaml_with_lines
from escalation.chain import CaseFacts, choose_category, snapshot
from bot.core.durations import parse_duration
from escalation.map import BusinessHours, EscalationMapError, load_escalation_map, parse_escalation_map
from bot.desk.reply_policy import ReplyPolicy

runner = CliRunner()
SAMPLE = "escalation/samples/escalation.example.yaml"


@pytest.fixture(scope="module")
def cfg():
    return load_config()


def parse(text: str, cfg):
    return parse_escalation_map(load_yaml_with_lines("esc.yaml", textwrap.dedent(text)), cfg)


def error_of(text: str, cfg) -> str:
    with pytest.raises(EscalationMapError) as info:
        parse(text, cfg)
    return str(info.value)


def test_bundled_sample_is_valid_against_the_sample_config(cfg):
    emap = load_escalation_map(None, cfg)
    names = [c.name for c in emap.categories]
    assert {"safety", "legal_threat", "data_breach", "media_enquiry", "vip"} <= set(names)
    assert emap.business_hours["pr"].always
    assert emap.sla["tier1"].claim == timedelta(minutes=15)


@pytest.mark.parametrize("text, expected", [
    ("business_hours:\n  marketing: 24/7\n", "esc.yaml:2: business_hours.marketing: unknown team 'marketing'"),
    ("categories:\n  - name: a\n    chain:\n      - notify_people: [Ana Ortiz, Zed Nobody]\n",
     "esc.yaml:4: categories[0].chain[0].notify_people[1]: unknown person 'Zed Nobody'"),
    ("sla:\n  tier1: {claim: 5 minutez, first_reply: 1h}\n",
     "esc.yaml:2: sla.tier1.claim: bad duration '5 minutez'"),
    ("categories:\n  - name: a\n    chain:\n      - wait: 5m\n      - repeat: 1\n      - notify_people: [Ana Ortiz]\n",
     "esc.yaml:6: categories[0].chain[2]: step 3 of 'a' is unreachable"),
    ("categories:\n  - name: everything\n  - name: safety\n    match: {topics: [safety]}\n",
     "esc.yaml:2: categories[0].match: category 'everything' matches every case, so 'safety'"),
    ("categories:\n  - name: a\n    team: legal\n", "esc.yaml:3: categories[0].team: unknown team 'legal'"),
    ("business_hours:\n  care: {timezone: Mars/Olympus}\n", "esc.yaml:2: business_hours.care.timezone: unknown time zone"),
    ("categories:\n  - name: a\n    chain:\n      - wait: 5m\n        notify_group: S0PRONCALL\n",
     "esc.yaml:4: categories[0].chain[0]: a step has exactly one of"),
    ("categories:\n  - name: a\n    chain:\n      - business_hours: digital\n",
     "esc.yaml:4: categories[0].chain[0].business_hours: team 'digital' has no business_hours entry"),
    ("approval:\n  sensitive_topics: [safety, weather]\n",
     "esc.yaml:2: approval.sensitive_topics[1]: unknown topic 'weather'"),
    ("sla:\n  tier1: {claim: 10m, first_reply: 1h, on_breach: [panic]}\n", "esc.yaml:2: sla.tier1.on_breach[0]"),
    ("categories:\n  - name: a\n    chain:\n      - notify_people: [Ana Ortiz]\n      - repeat: 2\n",
     "esc.yaml:5: categories[0].chain[1].repeat: repeat without a wait"),
])
def test_each_mistake_names_file_line_and_problem(cfg, text, expected):
    assert expected in error_of(text, cfg)


def test_all_problems_of_a_file_are_reported_at_once(cfg):
    message = error_of("""\
        business_hours:
          marketing: 24/7
        categories:
          - name: a
            team: legal
            chain:
              - notify_people: [Nobody]
        """, cfg)
    assert message.count("esc.yaml:") == 3


def test_invalid_yaml_and_missing_file(tmp_path, cfg):
    bad = tmp_path / "bad.yaml"
    bad.write_text("categories: [\n", encoding="utf-8")
    with pytest.raises(EscalationMapError, match=r"bad.yaml:\d+: invalid YAML"):
        load_escalation_map(bad, cfg)
    with pytest.raises(EscalationMapError, match="file not found"):
        load_escalation_map(tmp_path / "none.yaml", cfg)


@pytest.mark.parametrize("text, minutes", [("15m", 15), ("2h", 120), ("1h30m", 90), ("90 minutes", 90),
                                           ("1 day", 1440), ("30s", 0.5)])
def test_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["5 minutez", "", "m5", 5, "5m x"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="bad duration"):
        parse_duration(text)


def test_business_hours_in_the_teams_time_zone_across_dst():
    hours = BusinessHours(timezone="America/New_York", days=["mon", "tue", "wed", "thu", "fri"], open="09:00",
                          close="17:00")
    friday_evening = datetime(2026, 3, 6, 23, 0, tzinfo=timezone.utc)  # Fri 18:00 EST
    # Monday 9:00 in New York is 13:00 UTC after the switch to summer time on Sunday 8 March.
    assert hours.next_open(friday_evening) == datetime(2026, 3, 9, 13, 0, tzinfo=timezone.utc)
    tuesday_noon = datetime(2026, 3, 10, 16, 0, tzinfo=timezone.utc)
    assert hours.is_open(tuesday_noon) and hours.next_open(tuesday_noon) == tuesday_noon
    assert BusinessHours.model_validate("24/7").is_open(friday_evening)


def test_categories_match_in_order(cfg):
    emap = load_escalation_map(None, cfg)
    safety = CaseFacts("tier1", "crisis", "safety", "negative", "smoke in the cabin")
    assert choose_category(emap, safety).name == "safety"
    lawyer = CaseFacts("tier1", "complaint", "refund", "negative", "My lawyer will hear about this refund")
    assert choose_category(emap, lawyer).name == "legal_threat"
    media = CaseFacts("tier2", "question", None, "neutral", "what happened on SK212?", followers=250_000)
    assert choose_category(emap, media).name == "media_enquiry"
    vip = CaseFacts("tier1", "complaint", "booking", "negative", "seat gone", crm_tier="Platinum")
    assert choose_category(emap, vip).name == "vip"
    plain = CaseFacts("tier1", "question", "booking", "neutral", "how do I change my seat?")
    assert choose_category(emap, plain) is None
    snap = snapshot(emap, plain)  # no category, but the tier's SLA still applies
    assert snap.category is None and snap.chain == () and snap.sla.claim == 900


def test_reply_policy_reads_the_maps_lists(cfg):
    emap = parse("""\
        approval:
          sensitive_topics: [refund]
          blocked_keywords: [voucher code]
        """, cfg)
    policy = ReplyPolicy.from_map(emap)
    assert policy.approval_reason("refund", "We'll refund you") == "topic 'refund' is sensitive"
    assert policy.approval_reason("booking", "ok") is None
    assert policy.approval_reason("booking", "ok", {"requires_approval": True, "category": "legal_threat"})
    assert policy.problems("Here is your voucher code", "x") == ["contains blocked wording: “voucher code”"]
    # An empty approval section keeps the built-in blocked words: never less safe by omission.
    assert "password" in ReplyPolicy.from_map(parse("{}", cfg)).blocked_keywords


def test_cli_check_prints_the_chains(cfg):
    result = runner.invoke(app, ["escalation", "check", SAMPLE])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output and "safety" in result.output and "notify group S0PRONCALL" in result.output


def test_cli_check_refuses_an_invalid_map(tmp_path):
    bad = tmp_path / "esc.yaml"
    bad.write_text("sla:\n  tier1: {claim: 5 minutez, first_reply: 1h}\n", encoding="utf-8")
    result = runner.invoke(app, ["escalation", "check", str(bad)])
    assert result.exit_code == 2
    assert "esc.yaml:2: sla.tier1.claim: bad duration '5 minutez'" in result.output


def test_cli_simulate_prints_the_timeline_of_pings():
    result = runner.invoke(app, ["escalation", "simulate", SAMPLE, "--text",
                                 "@SkylarkAir smoke in the cabin on SK212, this is unsafe",
                                 "--at", "2026-11-21T23:00:00"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "category: safety" in out and "Erin Walsh" in out and "S0PRONCALL" in out and "SLA breach" in out
    # the claim breach at +15m cuts the 20-minute wait: the second round starts at 23:15
    assert out.count("Sat 23:15") >= 2


def test_cli_simulate_needs_case_or_text():
    result = runner.invoke(app, ["escalation", "simulate", SAMPLE])
    assert result.exit_code == 2


def test_cli_simulate_a_stored_case_uses_its_snapshot(tmp_path, cfg):
    from bot.core.mention import parse_mention
    from bot.app.runtime import Runtime
    from escalation.engine import EscalationEngine
    from tests.conftest import mention

    url = f"sqlite:///{tmp_path / 'md.db'}"
    runtime = Runtime.build(cfg, database=url)
    try:
        engine = EscalationEngine(runtime.sessions, load_escalation_map(None, cfg))
        runtime.ingest.case_openers.append(engine.start_case)
        case_id = runtime.ingest_batch([parse_mention(mention("m1", "@SkylarkAir my bag never arrived, help"))])[0].case_id
    finally:
        runtime.close()
    result = runner.invoke(app, ["escalation", "simulate", SAMPLE, "--case", str(case_id), "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "category: baggage" in result.output and "Dev Patel" in result.output
    missing = runner.invoke(app, ["escalation", "simulate", SAMPLE, "--case", "999", "--database-url", url])
    assert missing.exit_code == 2 and "no case 999" in missing.output
