"""The classifier interface and the rules + VADER classifier (triage v0).

A classifier sees a mention that passed the cheap stages (relevant, not the brand's own,
not spam) and answers: intent, tier, sentiment, topic, and the evidence for each. A
transformer-based classifier can replace :class:`RulesClassifier` without touching the
pipeline, the scoring or storage.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from bot.core.config import TriageRules
from bot.core.mention import Mention
from bot.triage import lexicons
from bot.triage.abuse import Abuse, AbuseDetector
from bot.triage.relevance import Relevance
from bot.triage.sentiment import Sentiment, VaderSentiment, label_for
from bot.triage.text import TermMatcher, content_words, mostly_non_latin
from bot.triage.topic import TopicMatcher

TIER_OF_INTENT = {
    "crisis": "tier1", "urgent": "tier1", "complaint": "tier1", "question": "tier1",
    "praise": "tier2", "general": "tier2", "industry": "tier2", "noise": "noise", "spam": "spam",
}
INTENT_LABELS = {
    "crisis": "possible crisis", "urgent": "urgent need", "complaint": "dissatisfaction",
    "question": "direct question", "praise": "positive reference", "general": "general reference",
    "industry": "indirect industry reference", "noise": "noise", "spam": "spam",
}


@dataclass(frozen=True)
class Classification:
    intent: str
    sentiment: Sentiment
    topic: str
    evidence: list[str] = field(default_factory=list)
    # A flag, not an intent (bot/triage/abuse.py): an abusive complaint stays a complaint.
    abusive: bool = False
    abuse: Abuse | None = None

    @property
    def tier(self) -> str:
        return TIER_OF_INTENT[self.intent]


@dataclass(frozen=True)
class ModelHints:
    """What a trained model thinks of a post; the rules decide with it (see ``bot.triage.model``)."""

    sentiment: Sentiment
    complaint_probability: float
    is_complaint: bool
    topic: str | None = None  # a configured topic, when the model's topic maps to one
    topic_label: str | None = None
    spam_probability: float = 0.0
    drops_as_spam: bool = False  # spam_probability reached the configured drop probability
    # The complaint probability from which a question or praise-sounding post is still a
    # complaint (the trained head's, chosen on tune); None: CONFIDENT_COMPLAINT.
    confident_at: float | None = None
    # The abusive head's probability, when the heads have one; at or above triage.model.abusive_at
    # the post is flagged abusive whatever the abuse lexicon found.
    abusive_probability: float | None = None


@dataclass(frozen=True)
class Reading:
    """What the lexicons, the topic keywords and VADER make of a post: computed once per post,
    shared by ``needs_model`` and ``classify`` (both ran them on the hot path before)."""

    complaint: list[str]
    praise: list[str]
    vader: float
    topic: str
    topic_terms: list[str]


class Classifier(Protocol):
    name: str

    def classify(self, mention: Mention, relevance: Relevance) -> Classification: ...

    def classify_many(self, items: Sequence[tuple[Mention, Relevance]]) -> list[Classification]: ...


# Sentiment at or below this reads as dissatisfaction even without a complaint word.
NEGATIVE_COMPLAINT = -0.35
# Complaint words in a glowing post ("the delay was handled brilliantly, thanks!") are praise.
PRAISE_OVERRIDES_COMPLAINT = 0.5
POSITIVE_PRAISE = 0.3
# Lexicon nudge when VADER (English-only) sees nothing in a complaint or praise.
LEXICON_NUDGE = 0.4
NON_ENGLISH_VADER_CAP = 0.25
CONFIDENT_COMPLAINT = 0.85
# The spam head outweighs complaint words from this probability: phishing replies and bot posts
# are full of "refund", "delay" and "sorry"; below it, a post with complaint words is kept.
SURE_SPAM = 0.95
# ... and so does a clearly negative tone: spam is rarely angry. On the airline tweets this kept
# 14 of the 33 negative tweets the spam head would drop, for 3 of 175 written spam posts let through.
NEGATIVE_TONE_KEEPS = -0.5
MIN_CONTENT_WORDS = 3
QUESTION_MARKS = ("?", "？", "¿", "؟")  # Latin, full-width (Japanese), Spanish opening, Arabic
# A crisis or an urgent need is bad news however calmly it is worded: VADER reads the tone, not
# the situation ("there's smoke in the cabin" is 0.0), and a neutral or positive label on such a
# card (and in the sentiment reports) would be wrong by accident. The priority bands already
# keep sentiment from mattering across bands (``bot.triage.scoring``); the floor makes the label
# honest and keeps a calm safety report from ranking below a rant inside the crisis band only by
# the part of the rant's negativity beyond the floor.
SENTIMENT_FLOOR = {"crisis": -0.5, "urgent": -0.25}
# Readings kept (see ``RulesClassifier.read``): two ingest batches' worth of posts.
READINGS_REMEMBERED = 4096


class RulesClassifier:
    name = "rules+vader"

    def __init__(self, rules: TriageRules):
        self._sentiment = VaderSentiment()
        self._crisis = TermMatcher([*lexicons.CRISIS, *rules.crisis_words])
        # Per reason, to name it in the evidence ("violence: bring a gun"); only asked once the
        # combined matcher above has found something.
        self._crisis_reasons = [(reason, TermMatcher(terms)) for reason, terms in lexicons.CRISIS_REASONS.items()]
        if rules.crisis_words:
            self._crisis_reasons.append(("crisis words", TermMatcher(rules.crisis_words)))
        self._urgent_patterns = [re.compile(p, re.IGNORECASE) for p in lexicons.URGENT_PATTERNS]
        self._not_crisis = re.compile("|".join(TermMatcher.pattern(t) for t in lexicons.NOT_CRISIS), re.IGNORECASE)
        self._urgent = TermMatcher([*lexicons.URGENT, *rules.urgent_words])
        self._complaint = TermMatcher([*lexicons.COMPLAINT, *rules.complaint_words])
        self._sarcasm = TermMatcher(lexicons.SARCASM)
        self._question = TermMatcher([*lexicons.QUESTION])
        self._triggers = TermMatcher(rules.triggers)
        self._praise = TermMatcher(lexicons.PRAISE)
        self._topics = TopicMatcher(rules.topics)
        self._abuse = AbuseDetector(rules.abuse_words, model_threshold=rules.model.abusive_at)
        self._readings: OrderedDict[tuple[str, str | None], Reading] = OrderedDict()  # oldest first
        self._readings_lock = threading.Lock()

    def classify_many(self, items: Sequence[tuple[Mention, Relevance]]) -> list[Classification]:
        return [self.classify(m, r) for m, r in items]

    def vader_score(self, text: str) -> float:
        return self._sentiment.score(text)

    def keyword_topic(self, text: str) -> str:
        """The configured topic whose keywords the text names most (``general`` if none)."""
        return self._topics.topic(text)[0]

    def read(self, text: str, masked: str | None = None) -> Reading:
        """``masked`` is ``text`` with the brand's names masked (``BrandMatcher.mask``): sentiment
        and the complaint and praise words are read on it, the topic on the original text.
        Remembered for the last READINGS_REMEMBERED posts: the look-ahead's ``needs_model`` and
        the real pass read the same posts (VADER is the dearest part of the cheap stages)."""
        key = (text, masked)
        with self._readings_lock:
            if (known := self._readings.get(key)) is not None:
                return known
        topic, topic_terms = self._topics.topic(text)
        masked = text if masked is None else masked
        reading = Reading(self._complaint.find(masked), self._praise.find(masked), self._sentiment.score(masked),
                          topic, topic_terms)
        with self._readings_lock:
            self._readings[key] = reading
            if len(self._readings) > READINGS_REMEMBERED:
                self._readings.popitem(last=False)
        return reading

    def crisis_reasons(self, text: str) -> str | None:
        """The crisis evidence with its reasons named ("violence: bring a gun; safety: smoke"), or None."""
        if not self._crisis.search(text):
            return None
        if self._not_crisis.search(text):
            text = self._not_crisis.sub(" ", text)
        found = [f"{reason}: {', '.join(terms[:3])}" for reason, matcher in self._crisis_reasons
                 if (terms := matcher.find(text))]
        return "; ".join(found) or None

    def _question_signals(self, text: str) -> tuple[list[str], list[str], bool]:
        """Trigger words, question words, and whether the post asks for help."""
        asks = any(mark in text for mark in QUESTION_MARKS)
        trigger = self._triggers.find(text)
        question = self._question.find(text)
        return trigger, question, bool(trigger or (asks and (question or len(content_words(text)) >= MIN_CONTENT_WORDS)))

    def guards_complaint(self, text: str) -> bool:
        """Whether a post asks for help or reads as praise: then only a confident model files it as
        a complaint (see ``classify``)."""
        reading = self.read(text)
        return self._question_signals(text)[2] or bool(reading.praise) or reading.vader >= POSITIVE_PRAISE

    def needs_model(self, mention: Mention, relevance: Relevance, reading: Reading | None = None) -> bool:
        """Whether a model's opinion could change this post's decision: not for posts the
        crisis or urgency lexicons already decide, nor for unbranded or near-empty ones."""
        text = mention.text
        masked = _masked(mention, relevance)
        if not (relevance.direct and not self.crisis_reasons(masked) and not self._urgent.search(masked)
                and not any(p.search(masked) for p in self._urgent_patterns)
                and len(content_words(text)) >= MIN_CONTENT_WORDS):
            return False
        # Complaint words in a clearly negative post whose topic the keywords found: intent
        # (complaint), tier and team are decided, and the spam head never drops a complaint.
        # The model could only nudge the sentiment score, not worth a forward pass.
        reading = reading or self.read(text, masked)
        return not (reading.complaint and reading.topic_terms and reading.vader <= NEGATIVE_COMPLAINT)

    def classify(self, mention: Mention, relevance: Relevance, hints: ModelHints | None = None,
                 reading: Reading | None = None) -> Classification:
        text = mention.text
        masked = _masked(mention, relevance)
        reading = reading or self.read(text, masked)
        complaint, praise = reading.complaint, reading.praise
        score = hints.sentiment.score if hints else reading.vader
        english = mention.lang == "en" or (mention.lang is None and not mostly_non_latin(text))
        if hints is None and not english:
            # VADER reads English only (German "war" is not a war): elsewhere the multilingual
            # lexicons decide, and VADER alone never makes a post a complaint or praise.
            if complaint and not praise:
                score = min(score, -LEXICON_NUDGE)
            elif praise and not complaint:
                score = max(score, LEXICON_NUDGE)
            else:
                score = max(-NON_ENGLISH_VADER_CAP, min(NON_ENGLISH_VADER_CAP, score))
        sentiment = hints.sentiment if hints else Sentiment(label_for(score), round(score, 4))
        topic, topic_terms = reading.topic, reading.topic_terms
        evidence = [f"sentiment {sentiment.label} ({sentiment.score:+.2f})"]
        if topic_terms:
            evidence.append(f"topic {topic}: {', '.join(topic_terms[:3])}")
        elif hints and hints.topic:
            topic = hints.topic
            evidence.append(f"topic {topic}: model says {hints.topic_label}")

        abuse = self._abuse.detect(text, hints.abusive_probability if hints else None)

        def result(intent: str, why: str) -> Classification:
            flag = [abuse.evidence] if abuse else []
            floor = SENTIMENT_FLOOR.get(intent)
            if floor is not None and sentiment.score > floor:
                floored = Sentiment(label_for(floor), floor)
                return Classification(intent, floored, topic, [
                    why, f"sentiment {floored.label} ({floor:+.2f}: at least this negative for {intent}, "
                         f"read {sentiment.score:+.2f})", *evidence[1:], *flag], abuse is not None, abuse)
            return Classification(intent, sentiment, topic, [why, *evidence, *flag], abuse is not None, abuse)

        if not relevance.direct:
            # No brand named: at most an indirect industry reference, never a tier-1 case.
            return result("industry", f"industry terms: {', '.join(relevance.industry_terms[:3])}")
        if crisis := self.crisis_reasons(masked):
            return result("crisis", crisis)
        if urgent := self._urgent.find(masked) + [m.group(0) for p in self._urgent_patterns if (m := p.search(masked))]:
            return result("urgent", f"urgency words: {', '.join(urgent[:3])}")
        if hints and hints.drops_as_spam and not _spam_vetoed_by(hints, complaint):
            # Before the complaint head and the complaint words: spam aimed at a brand ("sorry
            # about your delay, DM us your card number") is worded like a complaint. Only a
            # confident complaint head, or complaint words while the spam head is unsure, keep it.
            return result("spam", f"spam model (p={hints.spam_probability:.2f})")
        if sarcasm := self._sarcasm.find(masked):
            return result("complaint", f"sarcasm: {', '.join(sarcasm[:3])}")
        trigger, question, is_question = self._question_signals(text)
        # The complaint threshold is set for recall on complaint-heavy data, so a plain question
        # ("do you serve gluten-free meals?") or a post that reads as praise needs a confident
        # model before it is filed as a complaint (how confident: chosen on tune, see ``train``).
        # Never below CONFIDENT_COMPLAINT: heads tuned on templated posts are surer of themselves
        # than they should be on real ones, and a question is tier 1 all the same.
        confident = max(hints.confident_at, CONFIDENT_COMPLAINT) if hints and hints.confident_at is not None \
            else CONFIDENT_COMPLAINT
        if hints and hints.is_complaint and (hints.complaint_probability >= confident or not (
                is_question or praise or reading.vader >= POSITIVE_PRAISE)):
            return result("complaint", f"model: complaint (p={hints.complaint_probability:.2f})")
        if complaint and score < PRAISE_OVERRIDES_COMPLAINT:
            return result("complaint", f"complaint words: {', '.join(complaint[:3])}")
        if hints is None and score <= NEGATIVE_COMPLAINT and len(content_words(text)) >= MIN_CONTENT_WORDS:
            return result("complaint", f"negative sentiment ({score:+.2f})")
        if is_question:
            return result("question", f"asks for help: {', '.join((trigger or question or ['?'])[:3])}")
        if not praise and not abuse and len(content_words(text)) < MIN_CONTENT_WORDS:
            # "@brand lol", "@brand 💙": nothing to answer. ("@brand you idiots" is not noise: the
            # abuse flag needs a case to be seen on.)
            return result("noise", "too little content to act on")
        if praise or score >= POSITIVE_PRAISE:
            return result("praise", f"praise: {', '.join(praise[:3]) or 'positive tone'}")
        return result("general", "mentions the brand")



def _spam_vetoed_by(hints, complaint_words: list[str]) -> bool:
    """Whether a post the spam head would drop is kept as a possible complaint: the complaint
    head is confident (CONFIDENT_COMPLAINT, or the head's own higher bar), or the spam head is
    not sure (below SURE_SPAM) and the post has complaint words or a clearly negative tone."""
    confident = max(hints.confident_at or 0.0, CONFIDENT_COMPLAINT)
    unsure = hints.spam_probability < SURE_SPAM
    return hints.complaint_probability >= confident or (unsure and (
        bool(complaint_words) or hints.sentiment.score <= NEGATIVE_TONE_KEEPS))


def _masked(mention: Mention, relevance: Relevance) -> str:
    """The text sentiment and intent words are read on: the brand's names masked by the
    pipeline's ``BrandMatcher.mask`` (carried on the relevance), else the mention's own text."""
    return mention.text if relevance.masked_text is None else relevance.masked_text
