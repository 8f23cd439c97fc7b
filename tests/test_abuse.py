"""Abusive posts: flagged in triage (eight languages; never the writer's own figure of speech),
stored on the case, shown on the cards and the console, counted in reports, routed to a trust &
safety team, and never answered automatically. Database tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text as sql
from typer.testing import CliRunner

from bot.app.cli.main import app as cli
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.config import ConfigError, parse_config
from bot.core.mention import parse_mention
from bot.core.yaml_source import load_yaml_with_lines
from bot.desk import actions, commands as cmd
from bot.desk.accounts import set_password
from bot.desk.actions import resolve_actor
from bot.desk.case_view import load_card
from bot.desk.service import CaseDesk
from bot.desk.survey import queue_survey
from bot.reporting.metrics import compute
from bot.routing.grouping import fan_out
from bot.triage.abuse import AbuseDetector
from bot.triage.classifier import ModelHints, RulesClassifier
from bot.triage.pipeline import TriagePipeline
from bot.triage.scoring import CustomerContext
from bot.triage.sentiment import Sentiment
from escalation.chain import CaseFacts as EscalationFacts, snapshot
from escalation.map import load_escalation_map
from handlers.discord.render import render_embed
from handlers.slack import cards
from handlers.slack.digest import report_text
from storage.db import make_engine, transaction, upgrade
from storage.models import Case, CaseState, Event, Mention, OutboxEntry
from tests.conftest import ServerThread, example_config_text, mention
from tests.test_slack import BAGGAGE, build_desk, card_text
from tests.test_slack_cards import texts, view
from tests.test_web_console import PASSWORD, login

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)
MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ABUSIVE_BAG = "@SkylarkAir you useless idiots lost my bag again"


def config_with(yaml: str = "", *, routing: bool = False):
    return parse_config(load_yaml_with_lines("abuse.yaml", example_config_text(routing=routing) + yaml))


@pytest.fixture
def pipeline(config):
    return TriagePipeline(config)


def triage(pipeline, text, **kw):
    return pipeline.triage(parse_mention(mention(kw.pop("id", "1"), text, **kw)), CustomerContext(), NOW)


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, lang, kind, term", [
    ("@SkylarkAir you useless idiots lost my bag again", "en", "insults staff", "idiots"),
    ("@SkylarkAir your gate staff are complete morons", "en", "insults staff", "morons"),
    ("@SkylarkAir f*** you and your delays", "en", "insults staff", "fuck you"),
    ("@SkylarkAir I know where you live, tell your agent at gate B4", "en", "threatens staff", "i know where you live"),
    ("@SkylarkAir kill yourself, whoever runs this account", "en", "harasses staff", "kill yourself"),
    ("@SkylarkAir sois unos inútiles y unos idiotas, mi maleta sigue perdida", "es", "insults staff", "idiotas"),
    ("@SkylarkAir te voy a matar si vuelvo a ver a ese agente", "es", "threatens staff", "te voy a matar"),
    ("@SkylarkAir vous êtes des connards, mon vol est encore annulé", "fr", "insults staff", "connards"),
    ("@SkylarkAir ihr seid echte Vollidioten, der Flug ist schon wieder gestrichen", "de", "insults staff",
     "vollidioten"),
    ("@SkylarkAir vocês são uns otários, perderam minha mala", "pt", "insults staff", "otários"),
    ("@SkylarkAir siete dei cretini, il volo è in ritardo di nuovo", "it", "insults staff", "cretini"),
    ("@SkylarkAir يا غبي أين حقيبتي", "ar", "insults staff", "يا غبي"),
    ("@SkylarkAir お前らバカか、また遅延", "ja", "insults staff", "バカ"),
])
def test_abuse_aimed_at_staff_or_the_brand_is_flagged(pipeline, text, lang, kind, term):
    result = triage(pipeline, text, lang=lang)
    assert result.abusive, result.reasons
    assert result.abuse.label == kind and term in result.abuse.terms
    assert any(r.startswith("abusive: ") and term in r for r in result.reasons), result.reasons
    assert result.opens_case


@pytest.mark.parametrize("text, lang", [
    ("@SkylarkAir this delay is killing me", "en"),
    ("@SkylarkAir I'm such an idiot, forgot my passport at home. Can you help me rebook?", "en"),
    ("@SkylarkAir f*** this weather, are flights out of Denver still going?", "en"),
    ("@SkylarkAir what an idiot I am, I went to the wrong terminal", "en"),
    ("@SkylarkAir the guy next to me on SK88 was an idiot, but the crew handled it well", "en"),
    ("@SkylarkAir your app is useless and stupid, it crashed again", "en"),
    ("@SkylarkAir my idiot brother booked the wrong date, can you help?", "en"),
    ("@SkylarkAir soy un idiota, olvidé mi pasaporte en casa", "es"),
    ("@SkylarkAir je suis un idiot, j'ai oublié mon passeport", "fr"),
    ("@SkylarkAir ich bin so ein Idiot, Pass vergessen", "de"),
    ("@SkylarkAir バカみたいに混んでる、空港", "ja"),
])
def test_figurative_and_self_directed_words_are_not_abuse(pipeline, text, lang):
    result = triage(pipeline, text, lang=lang)
    assert not result.abusive and result.abuse is None, result.reasons
    assert not any(r.startswith("abusive") for r in result.reasons)


def test_an_abusive_complaint_stays_a_complaint(pipeline):
    result = triage(pipeline, ABUSIVE_BAG)
    assert (result.tier, result.intent, result.abusive) == ("tier1", "complaint", True)
    assert "abusive: idiots, useless" in result.reasons
    plain = triage(pipeline, "@SkylarkAir you lost my bag again", id="2")
    assert (plain.tier, plain.intent, plain.abusive) == ("tier1", "complaint", False)


def test_a_bare_insult_is_not_dropped_as_noise(pipeline):
    # Two words: without the flag it would be "too little content"; an insult needs a case to be seen.
    result = triage(pipeline, "@SkylarkAir you idiots")
    assert result.opens_case and result.abusive and result.intent != "noise"


def test_the_model_hint_flags_a_post_from_the_configured_probability(config):
    text = "@SkylarkAir the people at your desk are a disgrace to humanity"
    m = parse_mention(mention("h1", text))
    pipeline = TriagePipeline(config)
    relevance = pipeline.brands.match(text)

    def hints(p):
        return ModelHints(sentiment=Sentiment("negative", -0.7), complaint_probability=0.9, is_complaint=True,
                          abusive_probability=p)

    rules = RulesClassifier(config.triage)
    assert not rules.classify(m, relevance).abusive  # the lexicon sees nothing
    assert not rules.classify(m, relevance, hints(None)).abusive  # heads without an abusive head
    assert not rules.classify(m, relevance, hints(0.49)).abusive
    flagged = rules.classify(m, relevance, hints(0.5))
    assert flagged.abusive and flagged.intent == "complaint"
    assert flagged.abuse.label == "abusive language (model)" and "abusive: model p=0.50" in flagged.evidence
    strict = RulesClassifier(config_with("").triage.model_copy(
        update={"model": config.triage.model.model_copy(update={"abusive_at": 0.9})}))
    assert not strict.classify(m, relevance, hints(0.8)).abusive
    assert strict.classify(m, relevance, hints(0.95)).abusive
    # The words and the model together: both in the evidence.
    both = rules.classify(parse_mention(mention("h2", ABUSIVE_BAG)), pipeline.brands.match(ABUSIVE_BAG), hints(0.8))
    assert both.abuse.kinds == ("insult", "model") and "abusive: idiots, useless, model p=0.80" in both.evidence


def test_abuse_words_from_the_config_extend_the_lexicon():
    text = "@SkylarkAir you utter turnips lost my bag"
    assert AbuseDetector().detect(text) is None
    config = parse_config(load_yaml_with_lines("abuse.yaml", example_config_text().replace(
        'abuse_words: ["numpties", "muppets"]', 'abuse_words: ["turnips"]')))
    result = TriagePipeline(config).triage(parse_mention(mention("c1", text)), CustomerContext(), NOW)
    assert result.abusive and result.abuse.terms == ("turnips",)
    # Still aimed: the writer calling themself one is not abuse.
    own = TriagePipeline(config).triage(parse_mention(mention("c2", "@SkylarkAir I'm such turnips today, wrong gate")),
                                        CustomerContext(), NOW)
    assert not own.abusive
    with pytest.raises(ConfigError, match="abuse_words"):
        parse_config(load_yaml_with_lines("abuse.yaml", example_config_text().replace(
            'abuse_words: ["numpties", "muppets"]', 'abuse_words: ["  "]')))
    with pytest.raises(ConfigError, match="abusive_at"):
        parse_config(load_yaml_with_lines("abuse.yaml", example_config_text().replace(
            "  model:\n    use: auto\n", "  model:\n    use: auto\n    abusive_at: 1.5\n", 1)))


# --- storage -----------------------------------------------------------------------------------


def test_migration_adds_the_flag_and_old_rows_are_not_abusive(database_url):
    upgrade(database_url, "0010_reply_drafts")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sql("INSERT INTO \"case\" (platform, state, tier, intent, sentiment, sentiment_score, priority, "
                         "priority_reasons, opened_at, updated_at) VALUES ('x', 'open', 'tier1', 'complaint', "
                         "'negative', 0, 0, '[]', :at, :at)"), {"at": NOW})
    upgrade(database_url)
    with engine.connect() as conn:
        columns = {c["name"]: c for c in inspect(conn).get_columns("case")}
        assert columns["abusive"]["nullable"] is False and columns["abuse"]["nullable"] is True
        assert "abusive" in {c["name"] for c in inspect(conn).get_columns("mention")}
        assert conn.execute(sql("SELECT abusive, abuse FROM \"case\"")).one() == (False, None)
    engine.dispose()


def test_the_flag_is_stored_on_the_mention_and_the_case(config, database_url):
    runtime = Runtime.build(config, database=database_url)
    try:
        first, polite = runtime.ingest_batch([
            parse_mention(mention("s1", ABUSIVE_BAG, handle="angry")),
            parse_mention(mention("s2", "@SkylarkAir my bag never arrived in Madrid, please help", handle="calm")),
        ], now=NOW)
        # A follow-up in the polite customer's thread that turns abusive flags that case.
        later = runtime.ingest_batch([parse_mention(mention(
            "s3", "@SkylarkAir still nothing, your agents are morons", handle="calm", conversation_id="s2",
            in_reply_to_id="s2", created_at="2026-11-20T10:20:00Z"))], now=NOW + timedelta(minutes=20))[0]
        with runtime.sessions() as session:
            abusive_case, polite_case = session.get(Case, first.case_id), session.get(Case, polite.case_id)
            assert (abusive_case.abusive, abusive_case.abuse) == (True, "insults staff")
            assert abusive_case.intent == "complaint"
            assert session.scalars(select(Mention.abusive).where(Mention.external_id == "s1")).one() is True
            assert session.scalars(select(Mention.abusive).where(Mention.external_id == "s2")).one() is False
            assert later.case_id == polite.case_id
            assert (polite_case.abusive, polite_case.abuse) == (True, "insults staff")
            triaged = session.scalars(select(Event).where(Event.case_id == first.case_id,
                                                          Event.type == "triaged")).one()
            assert triaged.payload["abuse"]["terms"] == ["idiots", "useless"]
    finally:
        runtime.close()


# --- the card ----------------------------------------------------------------------------------


def test_the_slack_card_posted_to_slack_carries_the_flag(config, database_url):
    desk, close = build_desk(config, database_url)
    try:
        flagged = desk.ingest(mention("k1", ABUSIVE_BAG, handle="angry"))[0]
        plain = desk.ingest(mention("k2", "@SkylarkAir my bag never arrived in Madrid, please help", handle="calm"))[0]
        shown = card_text(desk.card(BAGGAGE, flagged["case_id"]))
        assert "⚠ *Abusive:* insults staff" in shown
        assert "Abusive" not in card_text(desk.card(BAGGAGE, plain["case_id"]))
    finally:
        close()


def test_the_flag_line_is_escaped_on_slack_and_discord():
    evil = view(abusive=True, abuse="insults staff <!here> & *x*")
    shown = texts(cards.render_card(evil))
    assert "⚠ *Abusive:* insults staff &lt;!here&gt; &amp; *x*" in shown and "<!here>" not in shown
    field = next(f for f in render_embed(evil).fields if f.name == "Abuse")
    assert field.value.startswith("⚠ **Abusive:** insults staff") and "\\*x\\*" in field.value
    assert not any(f.name == "Abuse" for f in render_embed(view()).fields)
    # Liking or reposting an abusive post is not offered, even when it reads as praise.
    assert not any(e.get("action_id") == cards.LIKE for b in cards.render_card(
        view(tier="tier2", intent="praise", abusive=True, abuse="insults staff")) for e in b.get("elements", []))


def test_the_console_case_view_shows_the_flag(runtime):
    with runtime.sessions() as session, session.begin():
        set_password(session, "Ana Ortiz", PASSWORD)
    case_id = runtime.ingest_batch([parse_mention(mention("w1", ABUSIVE_BAG + " <b>now</b>"))])[0].case_id
    with ServerThread(create_app(runtime)) as server:
        client, _ = login(server.url, "Ana Ortiz")
        page = client.get(f"/console/cases/{case_id}").text
    assert 'id="abusive"' in page and "⚠ Abusive: insults staff" in page
    assert "<b>now</b>" not in page


# --- reports -----------------------------------------------------------------------------------


def test_reports_count_abusive_cases(config, database_url, tmp_path):
    runtime = Runtime.build(config, database=database_url)
    try:
        runtime.ingest_batch([parse_mention(mention("r1", ABUSIVE_BAG, handle="a")),
                              parse_mention(mention("r2", "@SkylarkAir your crew are clowns, flight delayed again",
                                                    handle="b")),
                              parse_mention(mention("r3", "@SkylarkAir my refund from March still hasn't arrived",
                                                    handle="c"))], now=NOW)
        with runtime.sessions() as session:
            report = compute(session, NOW - timedelta(days=1), NOW + timedelta(minutes=1))
        assert report.cases == 3
        assert report.abusive == {"total": 2, "by_team": {"baggage": 1, "care": 1}}
        assert report.as_dict()["abusive"]["total"] == 2
        assert "*abusive:* 2" in report_text(report, "Today")
    finally:
        runtime.close()
    if database_url.startswith("sqlite"):
        result = CliRunner().invoke(cli, ["stats", "--since", "2026-11-19", "--until", "2026-11-21",
                                          "--database-url", database_url])
        assert result.exit_code == 0, result.output
        row = next(line for line in result.stdout.splitlines() if "abusive" in line)
        assert "2 (baggage 1, care 1)" in row
        out = tmp_path / "cases.csv"
        exported = CliRunner().invoke(cli, ["export", "cases", str(out), "--from", "2026-11-20", "--to", "2026-11-20",
                                            "--database-url", database_url])
        assert exported.exit_code == 0, exported.output
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert sorted(r["abusive"] for r in rows) == ["no", "yes", "yes"]


# --- routing -----------------------------------------------------------------------------------

TRUST_SAFETY = """
routing:
  chain: [crisis, abusive, keywords, topic, overflow, last_agent, least_loaded]
  teams:
    trust_safety: {mode: suggest, abusive: true}
    digital: {keywords: ["wifi"]}
"""


def test_routing_sends_abusive_cases_to_the_trust_and_safety_team(database_url):
    runtime = Runtime.build(config_with(TRUST_SAFETY), database=database_url)
    try:
        abusive, keyword, plain = runtime.ingest_batch([
            parse_mention(mention("t1", ABUSIVE_BAG, handle="a")),
            parse_mention(mention("t2", "@SkylarkAir the wifi is down again, you clowns", handle="b")),
            parse_mention(mention("t3", "@SkylarkAir my bag never arrived in Madrid, please help", handle="c")),
        ], now=MON_10)
        with runtime.sessions() as session:
            cases = {o.case_id: session.get(Case, o.case_id) for o in (abusive, keyword, plain)}
            card = cards.render_card(load_card(session, abusive.case_id))
        first, second, third = (cases[o.case_id] for o in (abusive, keyword, plain))
        assert first.team == "trust_safety" and second.team == "trust_safety"  # before the keyword step
        assert third.team == "baggage"
        steps = {s["step"]: s for s in first.routing["steps"]}
        assert steps["abusive"] == {"step": "abusive", "outcome": "team",
                                    "detail": "abusive (insults staff) → trust_safety"}
        assert {s["step"]: s["outcome"] for s in third.routing["steps"]}["abusive"] == "skipped"
        assert "team *trust_safety*" in card_text({"blocks": card})
    finally:
        runtime.close()


def test_routing_config_mistakes_about_the_abusive_team_are_named():
    with pytest.raises(ConfigError, match="abusive: true but the chain has no abusive step"):
        config_with(TRUST_SAFETY.replace("[crisis, abusive, keywords", "[crisis, keywords"))
    with pytest.raises(ConfigError, match="one team takes abusive cases"):
        config_with(TRUST_SAFETY.replace('digital: {keywords: ["wifi"]}', "pr: {abusive: true}"))


def test_the_bundled_example_routes_abuse_and_the_escalation_map_matches_it():
    config = config_with(routing=True)
    assert config.routing.abusive_team == "trust_safety" and "abusive" in config.routing.chain
    emap = load_escalation_map(None, config)
    facts = dict(tier="tier1", intent="complaint", topic="lost_luggage", sentiment="negative", text=ABUSIVE_BAG)
    assert snapshot(emap, EscalationFacts(**facts, abusive=True)).category == "abuse"
    assert snapshot(emap, EscalationFacts(**facts)).category == "baggage"


# --- never answered automatically --------------------------------------------------------------


def test_no_survey_goes_to_an_abusive_case_but_an_agent_may_still_reply(config, database_url):
    runtime = Runtime.build(config, database=database_url)
    try:
        flagged, plain = (o.case_id for o in runtime.ingest_batch([
            parse_mention(mention("v1", ABUSIVE_BAG, handle="a")),
            parse_mention(mention("v2", "@SkylarkAir my bag never arrived in Madrid, please help", handle="b"))],
            now=NOW))
        with transaction(runtime.sessions) as session:
            ana = resolve_actor(session, "cli", "Ana Ortiz")
            for case_id in (flagged, plain):
                assert actions.claim(session, case_id, ana, now=NOW).ok
            # A human reply stays possible on the abusive case.
            assert actions.reply(session, flagged, ana, text="We're sorry about your bag; DM us the tag number.",
                                 idempotency_key="human-1", now=NOW).ok
            for case_id in (flagged, plain):
                assert actions.resolve(session, case_id, ana, now=NOW).ok
        with transaction(runtime.sessions) as session:
            assert queue_survey(session, flagged, "https://desk.example.com", "secret-0123456789") is None
            assert queue_survey(session, plain, "https://desk.example.com", "secret-0123456789") is not None
        with runtime.sessions() as session:
            keys = sorted(e.idempotency_key for e in session.scalars(select(OutboxEntry)))
            assert f"survey:{flagged}" not in keys and f"survey:{plain}" in keys and "human-1" in keys
            assert session.get(Case, flagged).state == CaseState.RESOLVED
    finally:
        runtime.close()


INCIDENT = [
    "@SkylarkAir SK212 to Lisbon cancelled and no information at the gate",
    "@SkylarkAir flight SK212 Lisbon cancelled?? no information at gate B4",
    "@SkylarkAir SK212 cancelled, no information at the gate about Lisbon, you idiots",
]


def test_incident_replies_never_reach_an_abusive_case(database_url):
    grouping = config_with("""
routing:
  grouping: {enabled: true, window_minutes: 60, min_similarity: 0.3}
""")
    runtime = Runtime.build(grouping, database=database_url)
    try:
        ids = [runtime.ingest_batch([parse_mention(mention(f"g{i}", text, handle=f"pax{i}"))],
                                    now=MON_10 + timedelta(minutes=i))[0].case_id for i, text in enumerate(INCIDENT)]
        with runtime.sessions() as session:
            parent, child, abusive = (session.get(Case, i) for i in ids)
            # The abusive post is no part of the incident: it is routed and answered on its own.
            assert child.parent_id == parent.id and abusive.abusive and abusive.parent_id is None
        # A child flagged after it joined (an abusive follow-up) is skipped by the fan-out.
        with transaction(runtime.sessions) as session:
            session.get(Case, child.id).abusive = True
        desk = CaseDesk(runtime.sessions, listeners=runtime.action_listeners)
        assert desk.run(cmd.Claim(), parent.id, "cli", "Ana Ortiz").ok
        reply = desk.run(cmd.Reply(text="Sorry! SK212 is cancelled; we're rebooking everyone on SK214.",
                                   idempotency_key="r1"), parent.id, "cli", "Ana Ortiz")
        assert reply.ok
        with runtime.sessions() as session:
            assert session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == child.id)).first() is None
            skipped = session.scalars(select(Event).where(Event.case_id == child.id,
                                                          Event.type == "auto_reply_skipped")).one()
            assert skipped.payload["why"] == "abusive" and skipped.payload["incident_parent"] == parent.id
        with transaction(runtime.sessions) as session:
            assert fan_out(session, parent.id, reply.outbox_id) == []  # again: still nothing, no second event
        with runtime.sessions() as session:
            assert len(session.scalars(select(Event).where(Event.type == "auto_reply_skipped")).all()) == 1
    finally:
        runtime.close()


# --- the command line --------------------------------------------------------------------------


def test_triage_json_shows_the_flag_and_its_evidence(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(m) for m in (
        mention("1", ABUSIVE_BAG, handle="a"),
        mention("2", "@SkylarkAir I'm such an idiot, forgot my passport. Can you help me rebook?", handle="b"),
    )) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["triage", str(feed), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["1"]["abusive"] is True and rows["1"]["intent"] == "complaint"
    assert rows["1"]["abuse"] == {"label": "insults staff", "kinds": ["insult"], "terms": ["idiots", "useless"],
                                  "model_probability": None, "evidence": "abusive: idiots, useless"}
    assert "abusive: idiots, useless" in rows["1"]["reasons"]
    assert rows["2"]["abusive"] is False and rows["2"]["abuse"] is None
