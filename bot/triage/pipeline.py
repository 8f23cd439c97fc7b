"""The triage cascade: cheapest stages first, each able to stop the mention early.

1. brand relevance (one regex pass)   -> noise when nothing of ours is named
2. the brand's own posts, retweets    -> noise
3. spam rules (weighted signals)      -> spam
4. the classifier (intent, sentiment, topic) behind the Classifier interface
5. the priority score with its explanation, and the team for the topic

Dedupe happens before all this, in storage (``bot.ingest``): a mention seen before never
reaches triage twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.config import Config
from bot.feeds.mention import Mention
from bot.triage.classifier import INTENT_LABELS, Classifier, RulesClassifier
from bot.triage.relevance import BrandMatcher
from bot.triage.scoring import Contribution, CustomerContext, PriorityScorer
from bot.triage.sentiment import Sentiment
from bot.triage.spam import SpamFilter, noise_reason


@dataclass(frozen=True)
class TriageResult:
    tier: str  # tier1 | tier2 | noise | spam
    intent: str
    sentiment: Sentiment
    topic: str | None
    score: float
    brand: str | None
    team: str | None
    reasons: list[str]  # short, human-readable, most important first
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def opens_case(self) -> bool:
        return self.tier in ("tier1", "tier2")


NEUTRAL = Sentiment("neutral", 0.0)


class TriagePipeline:
    def __init__(self, config: Config, classifier: Classifier | None = None):
        self.config = config
        self.brands = BrandMatcher(config.brands, config.triage.industry_keywords)
        self.spam = SpamFilter(config.triage.spam, set(self.brands.own_handles))
        self.classifier: Classifier = classifier or RulesClassifier(config.triage)
        self.scorer = PriorityScorer(config.priority)

    def triage(self, mention: Mention, context: CustomerContext, now: datetime) -> TriageResult:
        relevance = self.brands.match(mention.text)
        if not relevance.relevant:
            return self._dropped("noise", None, ["no brand or industry reference"])
        if why := noise_reason(mention, self.brands.own_handles):
            return self._dropped("noise", relevance.brand, [why])
        signals = self.spam.signals(mention)
        if self.spam.is_spam(signals):
            reasons = [f"{s.detail} (+{s.weight:g})" for s in sorted(signals, key=lambda s: -s.weight)]
            return self._dropped("spam", relevance.brand, reasons)

        found = self.classifier.classify(mention, relevance)
        if found.tier == "noise":
            return TriageResult("noise", "noise", found.sentiment, found.topic, 0.0, relevance.brand, None,
                                found.evidence[:1])
        score, contributions = self.scorer.score(
            intent=found.intent,
            intent_label=INTENT_LABELS[found.intent],
            sentiment_score=found.sentiment.score,
            followers=mention.author_followers,
            verified=mention.author_verified,
            context=context,
            created_at=mention.created_at,
            now=now,
        )
        team = self.config.team_for_topic(found.topic)
        top = [str(c) for c in contributions if c.points > 0][:4]
        return TriageResult(found.tier, found.intent, found.sentiment, found.topic, score, relevance.brand,
                            team.name if team else None, top + found.evidence[:2], contributions)

    def _dropped(self, tier: str, brand: str | None, reasons: list[str]) -> TriageResult:
        return TriageResult(tier, tier, NEUTRAL, None, 0.0, brand, None, reasons)
