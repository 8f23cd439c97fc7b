"""Crisis reasons, figurative language, the it/ar/ja lexicons and how terms match in scripts
other than Latin."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.core.mention import parse_mention
from bot.triage.pipeline import TriagePipeline
from bot.triage.scoring import CustomerContext
from bot.triage.text import TermMatcher

from tests.conftest import mention

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)


@pytest.fixture
def pipeline(config):
    return TriagePipeline(config)


def run(pipeline, text, **kw):
    return pipeline.triage(parse_mention(mention(kw.pop("id", "1"), text, **kw)), CustomerContext(), NOW)


@pytest.mark.parametrize("text, reason", [
    ("@SkylarkAir the guy in 12B says he will bring a gun next time", "violence: bring a gun"),
    ("@SkylarkAir a passenger is threatening people at gate B4", "violence: threatening people"),
    ("@SkylarkAir your agent told me to watch your back", "violence: watch your back"),
    ("@SkylarkAir someone said there's a bomb on board SK77", "violence: there's a bomb"),
    ("@SkylarkAir I'll kill you if my bag is lost again", "violence: i'll kill you"),
    ("@SkylarkAir pulled out of the line because I'm black", "discrimination: because i'm black"),
    ("@SkylarkAir that was racial profiling at security", "discrimination: racial profiling"),
    ("@SkylarkAir they refused my service dog again", "discrimination: refused my service dog"),
    ("@SkylarkAir told to wait at the back because of my wheelchair", "discrimination: because of my wheelchair"),
    ("@SkylarkAir my daughter had an allergic reaction on board", "safety: allergic reaction"),
    ("@SkylarkAir te voy a matar si vuelves a perder mi maleta", "violence: te voy a matar"),
    ("@SkylarkAir un passager menace de mort l'équipage", "violence: menace de mort"),
    ("@SkylarkAir ein Mann hat uns bedroht", "violence: bedroht"),
    ("@SkylarkAir ele me ameaçou no portão", "violence: me ameaçou"),
    ("@SkylarkAir mi ha minacciato al gate", "violence: mi ha minacciat*"),
    ("@SkylarkAir هددني راكب في الطائرة", "violence: هددني"),
    ("@SkylarkAir 爆弾があると言っている乗客がいます", "violence: 爆弾"),
    ("@SkylarkAir me discriminaron por ser negro", "discrimination: discrimin*, por ser negro"),
    ("@SkylarkAir c'è stato un episodio di razzismo al check-in", "discrimination: razzis*"),
    ("@SkylarkAir تعرضت لمعاملة عنصرية في المطار", "discrimination: عنصرية"),
    ("@SkylarkAir 人種差別を受けました", "discrimination: 人種差別"),
])
def test_violence_discrimination_and_safety_are_crises_with_the_reason_named(pipeline, text, reason):
    result = run(pipeline, text)
    assert (result.tier, result.intent) == ("tier1", "crisis"), result.reasons
    assert any(reason in r for r in result.reasons), result.reasons
    assert result.sentiment.label == "negative" and result.sentiment.score <= -0.5


@pytest.mark.parametrize("text", [
    "@SkylarkAir this delay is killing me",
    "@SkylarkAir the chocolate cake was the bomb, what a bomb of a dessert",
    "@SkylarkAir my phone died so I missed the boarding call announcement, can you rebook me?",
    "@SkylarkAir the Skylark app keeps crashing at login",
    "@SkylarkAir would it kill you to answer an email?",
    "@SkylarkAir I could kill for a decent coffee on SK88",
    "@SkylarkAir that crew is on fire today, best service ever",
    "@SkylarkAir bored to death on this layover, any lounge passes?",
    "@SkylarkAir shoot me a DM with the new gate please",
    "@SkylarkAir killer deal on the Lisbon fares 👌",
    "@SkylarkAir they threatened to cancel my booking if I didn't pay the fee",
    "@SkylarkAir este retraso me está matando",
    "@SkylarkAir questo volo è una bomba, grazie!",
])
def test_figurative_violence_and_everyday_words_are_not_crises(pipeline, text):
    result = run(pipeline, text)
    assert result.intent != "crisis", result.reasons


@pytest.mark.parametrize("text, lang, intent", [
    ("@SkylarkAir حقيبتي لم تصل والخدمة سيئة جدا", "ar", "complaint"),
    ("@SkylarkAir تأخير الرحلة ثلاث ساعات، غير مقبول", "ar", "complaint"),
    ("@SkylarkAir شكرا على الخدمة الممتازة", "ar", "praise"),
    ("@SkylarkAir هل يمكنني تغيير موعد رحلتي؟", "ar", "question"),
    ("@SkylarkAir عاجل، أنا عالق في المطار", "ar", "urgent"),
    ("@SkylarkAir يوجد دخان في المقصورة", "ar", "crisis"),
    ("@SkylarkAir il mio volo è in ritardo di 5 ore, vergogna", "it", "complaint"),
    ("@SkylarkAir bagaglio smarrito a Roma, servizio pessimo", "it", "complaint"),
    ("@SkylarkAir grazie, volo perfetto e personale gentilissimo", "it", "praise"),
    ("@SkylarkAir come posso cambiare il mio posto?", "it", "question"),
    ("@SkylarkAir urgente! sono bloccato al controllo e il volo parte tra 20 minuti", "it", "urgent"),
    ("@SkylarkAir c'è fumo in cabina, abbiamo paura", "it", "crisis"),
    ("@SkylarkAir vuelo cancelado y nadie responde", "es", "complaint"),
    ("@SkylarkAir vol retardé, personne ne répond, c'est une arnaque", "fr", "complaint"),
    ("@SkylarkAir sitze fest in Frankfurt, Flug weg", "de", "urgent"),
    ("@SkylarkAir preciso de uma cadeira de rodas na chegada", "pt", "urgent"),
    ("@SkylarkAir 荷物が届かない、がっかりです", "ja", "complaint"),
])
def test_lexicons_in_every_language(pipeline, text, lang, intent):
    result = run(pipeline, text, lang=lang)
    assert result.intent == intent, result.reasons


def test_an_arabic_complaint_without_a_language_tag_is_tier_one(pipeline):
    # VADER knows no Arabic: a post in another script is read by the lexicons even when the
    # feed gives no language.
    result = run(pipeline, "@SkylarkAir حقيبتي لم تصل والخدمة سيئة جدا")
    assert (result.tier, result.intent) == ("tier1", "complaint") and result.sentiment.label == "negative"


def test_arabic_terms_match_whole_words_with_their_clitics():
    matcher = TermMatcher(["تأخير", "سيء"])
    assert matcher.find("والتأخير كان طويلا") == ["تأخير"]  # and + the + delay
    assert matcher.find("بسبب التأخير") == ["تأخير"]
    assert matcher.find("للتأخير") == ["تأخير"]
    assert matcher.find("تأخيرنا") == ["تأخير"]  # our delay
    # Not inside another word: "مسيء" (offensive) is not "سيء" (bad) with a prefix we allow.
    assert matcher.find("كلام مسيء") == []
    assert matcher.find("خدمة سيء جدا") == ["سيء"]


def test_japanese_terms_match_inside_running_text_and_latin_words_stay_whole():
    assert TermMatcher(["遅延"]).find("SK61便が遅延しました") == ["遅延"]
    assert TermMatcher(["煙が"]).find("禁煙席です") == []  # "no smoking" is not smoke
    assert TermMatcher(["bomb threat"]).find("a bombthreat") == []
    assert TermMatcher(["slur", "slurs"]).find("slurp") == []


def test_term_matcher_finds_every_kind_of_term_in_text_order():
    # Phrases are indexed by their first word, prefixes by their first letters, non-ASCII terms
    # gated by their first characters: none of that may lose a hit or its place.
    matcher = TermMatcher(["bring a gun", "gun", "evacuat*", "e*", "help!!", "😡", "遅延", "تأخير", "on hold",
                           "hold", "#SkylarkAir"])
    text = "😡 on hold, they evacuated us, HELP!! he said bring a gun 遅延 والتأخير #SkylarkAir"
    assert matcher.find(text) == ["😡", "on hold", "hold", "evacuat*", "e*", "help!!", "bring a gun", "gun",
                                  "遅延", "تأخير", "#SkylarkAir"]
    assert matcher.find("nothing of the kind") == []


@pytest.mark.parametrize("text", [
    "@SkylarkAir and to add insult to injury you lost my bag",
    "@SkylarkAir thanks for the hospitality on SK88",
    "@SkylarkAir your refund promise went up in smoke",
])
def test_idioms_with_crisis_words_are_not_crises(pipeline, text):
    assert run(pipeline, text).intent != "crisis"


def test_an_idiom_does_not_hide_a_real_crisis(pipeline):
    result = run(pipeline, "@SkylarkAir to add insult to injury there's smoke in the cabin now")
    assert result.intent == "crisis" and "safety: smoke" in result.reasons[-2]


@pytest.mark.parametrize("text, urgent", [
    ("@SkylarkAir I have a connection in 10 minutes and we're still taxiing", True),
    ("@SkylarkAir my flight to Lisbon boards in 5 mins, where is gate B4", True),
    ("@SkylarkAir mi vuelo sale en 15 minutos y la fila no avanza", True),
    ("@SkylarkAir the flight was delayed 40 minutes, not great", False),
    ("@SkylarkAir my connection in Denver was smooth, thanks", False),
])
def test_time_pressure_is_urgent(pipeline, text, urgent):
    result = run(pipeline, text)
    assert (result.intent == "urgent") is urgent, result.reasons
