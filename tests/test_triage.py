"""Triage v0 on hand-written examples: every tier and intent of the seed framework."""

from datetime import datetime, timezone

import pytest

from bot.config import load_config
from bot.feeds.mention import parse_mention
from bot.triage.pipeline import TriagePipeline
from bot.triage.scoring import CustomerContext

from tests.conftest import SAMPLES, mention

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)


@pytest.fixture
def pipeline(config):
    return TriagePipeline(config)


def run(pipeline, text, *, context=CustomerContext(), **kw):
    return pipeline.triage(parse_mention(mention(kw.pop("id", "1"), text, **kw)), context, NOW)


@pytest.mark.parametrize(
    "text, tier, intent",
    [
        # tier 1: possible crisis, urgent need, dissatisfaction, direct question
        ("@SkylarkAir SK212 made an emergency landing, smoke in the cabin. Is everyone safe?", "tier1", "crisis"),
        ("@SkylarkAir I'm talking to my lawyer about how you treated my mother", "tier1", "crisis"),
        ("Journalist at the Daily Post here, @SkylarkAir can you comment on SK212?", "tier1", "crisis"),
        ("@SkylarkAir stranded at DEN, my connection leaves in 40 min and nobody is at the desk", "tier1", "urgent"),
        ("@SkylarkHelp locked out of my account and boarding closes soon!!", "tier1", "urgent"),
        ("Worst airline ever. 5 hours delayed and no food @SkylarkAir 😡", "tier1", "complaint"),
        ("Thanks @SkylarkAir for losing my bag again 🙄", "tier1", "complaint"),
        ("@SkylarkAir my refund from March still hasn't arrived", "tier1", "complaint"),
        ("@SkylarkAir how do I add a checked bag to my booking?", "tier1", "question"),
        ("@SkylarkHelp need assistance with my Skylark Miles", "tier1", "question"),
        ("@SkylarkAir mi maleta no llegó a Lisboa, ¿pueden ayudarme?", "tier1", "complaint"),
        ("@SkylarkAir est-ce que je peux changer mon vol ? comment faire", "tier1", "question"),
        # tier 2: positive reference, general reference, indirect industry reference
        ("The crew on SK88 were amazing, thank you @SkylarkAir ✈️😍", "tier2", "praise"),
        ("Flying #FlySkylark to Lisbon next week for the conference", "tier2", "general"),
        ("Which airline has the best legroom for a transatlantic flight?", "tier2", "industry"),
        # noise
        ("RT @SkylarkAir: New daily route Denver to Lisbon from March!", "noise", "noise"),
        ("@SkylarkAir 👀", "noise", "noise"),
        ("A skylark sang over the field this morning", "noise", "noise"),
    ],
)
def test_framework_tiers(pipeline, text, tier, intent):
    result = run(pipeline, text)
    assert (result.tier, result.intent) == (tier, intent), result.reasons


def test_brand_own_post_is_noise(pipeline):
    result = run(pipeline, "We're hiring cabin crew in Lisbon! #FlySkylark", handle="SkylarkAir")
    assert result.tier == "noise" and result.reasons == ["the brand's own post"]


@pytest.mark.parametrize(
    "text, kw",
    [
        ("🚀 FREE crypto giveaway for #SkylarkAir fans! click here http://x.example/a http://y.example/b", {}),
        ("@SkylarkAir follow back for follow back #travel #flights #deals #cheap #fly #win #sun", {}),
        ("@SkylarkAir sorry for your trouble, contact our agent on whatsapp +1 555 0100", {"handle": "SkylarkHelpDesk24", "followers": 3}),
    ],
)
def test_spam_rules(pipeline, text, kw):
    result = run(pipeline, text, **kw)
    assert result.tier == "spam", result.reasons
    assert result.score == 0


def test_repeated_text_becomes_spam_from_the_threshold(pipeline, config):
    text = "@SkylarkAir I won a free trip, you can too at lucky-trip.example"
    tiers = [run(pipeline, text, id=str(i), handle=f"acct{i}", followers=300).tier for i in range(4)]
    threshold = config.triage.spam.repeat_threshold
    assert all(t != "spam" for t in tiers[: threshold - 1])
    assert all(t == "spam" for t in tiers[threshold - 1 :])


def test_bot_like_account_alone_is_not_spam(pipeline):
    # One weak signal (few followers, numeric handle) must not hide a real complaint.
    result = run(pipeline, "@SkylarkAir my flight was cancelled and nobody told me", handle="maria83749281", followers=2)
    assert result.tier == "tier1"


def test_score_explanation_adds_up_and_is_ordered(pipeline):
    result = run(pipeline, "@SkylarkAir stranded at DEN, connection leaves in 40 min 😡", followers=250_000,
                 verified=True, context=CustomerContext(earlier_contacts=2, has_open_case=True, crm_tier="gold"))
    total = sum(c.weight * c.value for c in result.contributions)
    assert result.score == pytest.approx(total, abs=0.05)
    points = [c.points for c in result.contributions]
    assert points == sorted(points, reverse=True)
    factors = {c.factor: c for c in result.contributions}
    assert factors["intent"].detail == "urgent need" and factors["intent"].points == 36
    assert factors["crm_value"].detail == "CRM tier gold" and factors["crm_value"].value == 0.75
    assert factors["open_conversation"].points == 8
    assert factors["waiting"].detail == "waiting 30 min"
    assert "urgent need (+36)" == result.reasons[0]


def test_priority_orders_crisis_over_question_and_influence_counts(pipeline):
    crisis = run(pipeline, "@SkylarkAir smoke in the cabin on SK212!!")
    question = run(pipeline, "@SkylarkAir can I bring my cat on board?")
    loud_question = run(pipeline, "@SkylarkAir can I bring my cat on board?", followers=900_000, verified=True)
    assert crisis.score > question.score
    assert loud_question.score > question.score


def test_weights_come_from_config(tmp_path):
    source = (SAMPLES / "config.example.yaml").read_text()
    body = source.replace("    influence: 12 ", "    influence: 80 ")
    (tmp_path / "c.yaml").write_text(body)
    heavy = TriagePipeline(load_config(tmp_path / "c.yaml"))
    normal = TriagePipeline(load_config(SAMPLES / "config.example.yaml"))
    text = "@SkylarkAir can I bring my cat on board?"
    assert run(heavy, text, followers=100_000).score > run(normal, text, followers=100_000).score + 30


def test_topic_routes_to_team(pipeline):
    result = run(pipeline, "@SkylarkAir my suitcase never arrived in Lisbon")
    assert result.topic == "lost_luggage" and result.team == "baggage"
    assert run(pipeline, "@SkylarkAir the app keeps crashing at login").team == "digital"
