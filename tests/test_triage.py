"""Triage v0 on hand-written examples: every tier and intent of the seed framework."""

import dataclasses
from datetime import datetime, timezone

import pytest

from bot.core.config import load_config
from bot.core.mention import parse_mention
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
    # The band comes first: three bands (complaint, question, other) below urgent.
    assert factors["band"].detail == "urgent band" and factors["band"].points == 300
    assert result.reasons[:2] == ["urgent band (+300)", "urgent need (+36)"]
    # What a case stores of each factor: every field (spelled out for speed, so checked here).
    assert [c.as_dict() for c in result.contributions] == [dataclasses.asdict(c) for c in result.contributions]


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


@pytest.mark.parametrize(
    "text, kw",
    [
        # crypto: a cashtag and a bare shortener link
        ("🚀 @SkylarkAir fans! Airdropping 5,000 $SKYJET to the first wallets. Claim now 👉 bit.ly/skyjet",
         {"followers": 2000}),
        # a pasted channel ping aimed at whoever relays the post into chat, with a phishing link
        ("@here URGENT Skylark Airways refunds being sent now → https://evil.example/sk", {"followers": 4}),
        # impersonation: a look-alike of the brand's name asking for card details
        ("@mara Hi, so sorry! DM us your card number and we'll send a $300 voucher", {"handle": "Skylark_Refunds", "followers": 3}),
        # trading scam moving people to another app
        ("Flying first class on @SkylarkAir thanks to trading signals 🙌 message him on telegram", {"followers": 7000}),
        # hashtag stuffing
        ("#follow #like #SkylarkAir #likeforlike #followme #travel #FlySkylark #tbt", {"followers": 2}),
    ],
)
def test_more_spam_rules(pipeline, text, kw):
    result = run(pipeline, text, **kw)
    assert result.tier == "spam", result.reasons


def test_spam_that_names_no_brand_still_counts_as_spam(pipeline):
    # Spam runs before relevance, so junk is counted as spam, not silently as noise.
    assert run(pipeline, "💸 Make money from your phone, check my bio 💸💸", followers=3).tier == "spam"


@pytest.mark.parametrize(
    "text",
    [
        "@SkylarkAir wow, $95 to change a flight YOU rescheduled. Peak airline behavior 🙃",
        "Update: now 'delayed indefinitely'. Love that for us @SkylarkAir",
        "Nothing says 'we value you' like @SkylarkAir cancelling my flight by push notification at 4am",
    ],
)
def test_sarcasm_is_a_complaint(pipeline, text):
    result = run(pipeline, text)
    assert (result.tier, result.intent) == ("tier1", "complaint"), result.reasons


def test_non_english_text_is_not_misread_by_vader(pipeline):
    # German "war" (was) is not a war: a thank-you in German stays praise.
    result = run(pipeline, "Danke @SkylarkAir, pünktlich gelandet und das Essen war überraschend gut", lang="de")
    assert result.intent == "praise", result.reasons
    complaint = run(pipeline, "@SkylarkAir Mein Flug wurde gestrichen und niemand weiß Bescheid", lang="de", id="2")
    assert complaint.intent == "complaint", complaint.reasons


def test_flight_number_pattern_names_the_brand(pipeline):
    result = run(pipeline, "Crew on SK77 noticed I was a nervous flyer and checked on me every hour 💙")
    assert result.tier == "tier2" and result.brand == "Skylark Airways"
    assert run(pipeline, "SKY77 is my wifi password", id="2").tier == "noise"


def test_post_sent_to_the_brand_is_relevant_without_naming_it(pipeline):
    text = "Can I bring a stroller for free? 👶"
    assert run(pipeline, text).tier == "noise"
    result = run(pipeline, text, id="2", direct=True, platform="webhook")
    assert (result.tier, result.intent) == ("tier1", "question"), result.reasons


def test_reply_in_a_brand_conversation_is_relevant(pipeline):
    first = run(pipeline, "@SkylarkHelp my bag didn't arrive on SK405, file DEN-44821", id="100",
                conversation_id="100")
    assert first.tier == "tier1"
    follow_up = run(pipeline, "Update: still nothing, the line hasn't moved in 40 minutes 😩", id="101",
                    conversation_id="100", in_reply_to_id="100")
    assert follow_up.tier == "tier1", follow_up.reasons
    elsewhere = run(pipeline, "Update: still nothing, the line hasn't moved in 40 minutes 😩", id="102",
                    conversation_id="999")
    assert elsewhere.tier == "noise"


def test_storage_context_marks_a_brand_conversation(pipeline):
    # After a restart the pipeline remembers nothing; ingest tells it from storage.
    text = "Update: still nothing, the line hasn't moved in 40 minutes"
    assert run(pipeline, text, id="201", conversation_id="555").tier == "noise"
    known = run(pipeline, text, id="202", conversation_id="556", context=CustomerContext(in_brand_conversation=True))
    assert known.tier == "tier1", known.reasons


def test_brand_pattern_must_be_a_valid_regex(tmp_path):
    from bot.core.config import ConfigError

    source = (SAMPLES / "config.example.yaml").read_text()
    (tmp_path / "c.yaml").write_text(source.replace("patterns: ['\\bSK\\d{2,4}\\b']", "patterns: ['SK(\\d+']"))
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "c.yaml")
    assert "patterns" in str(err.value) and "not a valid regular expression" in str(err.value)


def test_the_model_is_asked_only_where_it_can_change_the_decision(config):
    from bot.triage.classifier import RulesClassifier
    from bot.triage.relevance import Relevance

    rules = RulesClassifier(config.triage)
    direct = Relevance(brand="Skylark Air", matched=("@SkylarkAir",))

    def asked(text: str) -> bool:
        return rules.needs_model(parse_mention(mention("n1", text)), direct)

    # Complaint words, clearly negative, topic found by keywords: decided without the model.
    assert not asked("@SkylarkAir terrible service, my luggage is lost and this is awful")
    # The same complaint without a keyword topic: the model may find the topic.
    assert asked("@SkylarkAir terrible service and this is awful, worst experience")
    # No complaint words: the model may find a complaint the lexicon misses, or the sarcasm.
    assert asked("@SkylarkAir sat at the gate for four hours and nobody told us a thing")
    # Crisis words and near-empty posts are the rules' alone.
    assert not asked("@SkylarkAir smoke in the cabin on SK212, we are being evacuated")
    assert not asked("@SkylarkAir lol")
