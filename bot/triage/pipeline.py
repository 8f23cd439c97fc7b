"""The triage cascade: cheapest stages first, each able to stop the mention early.

1. the brand's own posts, retweets    -> noise
2. spam rules (weighted signals)      -> spam (before relevance: spam that names nothing of
                                         ours must still count towards the repeat rule)
3. brand relevance (one regex pass)   -> noise when nothing of ours is named, unless the post
                                         was sent to the brand or replies in a conversation
                                         the brand is part of
4. the classifier (intent, sentiment, topic) behind the Classifier interface
5. the priority score with its explanation, and the team for the topic

Dedupe happens before all this, in storage (``bot.desk.ingest``): a mention seen before never
reaches triage twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.config import Config
from bot.core.mention import Mention
from bot.triage.abuse import Abuse
from bot.triage.classifier import INTENT_LABELS, Classification, Classifier, RulesClassifier
from bot.triage.relevance import BrandMatcher, Relevance
from bot.triage.scoring import Contribution, CustomerContext, PriorityScorer
from bot.triage.sentiment import Sentiment
from bot.triage.spam import Signal, SpamFilter, noise_reason


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
    # Insults, harassment or threats at the brand or its staff (bot/triage/abuse.py): a flag on
    # the case, whatever the intent; its evidence line is among the reasons.
    abusive: bool = False
    abuse: Abuse | None = None

    @property
    def opens_case(self) -> bool:
        return self.tier in ("tier1", "tier2")


NEUTRAL = Sentiment("neutral", 0.0)
MAX_REMEMBERED_CONVERSATIONS = 100_000
# Posts whose cheap-stage work the look-ahead did (``likely_model_texts``), kept for the real pass
# (about two batches are in flight: the one being stored and the next; duplicates dedupe drops
# are never asked for, so the memo is bounded).
MAX_LOOKED_AHEAD = 10_000


class TriagePipeline:
    def __init__(self, config: Config, classifier: Classifier | None = None):
        self.config = config
        self.brands = BrandMatcher(config.brands, config.triage.industry_keywords)
        name_stems = {b.name.split()[0].lower() for b in config.brands}
        self.spam = SpamFilter(config.triage.spam, set(self.brands.own_handles), name_stems)
        # Conversations the brand is part of (its own posts, and threads that opened a case):
        # a reply there is addressed to us even when it names nothing ("Update: still no bag").
        self._brand_conversations: OrderedDict[tuple[str, str], None] = OrderedDict()
        self.classifier: Classifier = classifier or RulesClassifier(config.triage)
        self.scorer = PriorityScorer(config.priority)
        # id(mention) -> (the mention, its static spam signals, its relevance by text alone): what
        # the look-ahead computed, so the real pass does not scan the same post twice. Keyed by
        # identity and holding the mention, so an id cannot be reused while its entry lives.
        self._looked_ahead: OrderedDict[int, tuple[Mention, list[Signal], Relevance]] = OrderedDict()
        self._looked_ahead_lock = threading.Lock()

    def triage(self, mention: Mention, context: CustomerContext, now: datetime) -> TriageResult:
        return self.triage_many([(mention, context)], now)[0]

    def triage_many(self, items: list[tuple[Mention, CustomerContext]],
                    now: datetime | list[datetime]) -> list[TriageResult]:
        """Triage several mentions: the cheap stages one by one, then the classifier once for
        all survivors (a transformer is much faster on a batch than on single posts).
        ``now`` is one time for all, or one per mention (a replayed feed's clock)."""
        nows = now if isinstance(now, list) else [now] * len(items)
        results: list[TriageResult | None] = []
        survivors: list[tuple[int, Mention, Relevance]] = []
        for index, (mention, context) in enumerate(items):
            early = self._cheap_stages(mention, context)
            if isinstance(early, Relevance):
                survivors.append((index, mention, early))
                results.append(None)
            else:
                results.append(early)
        if survivors:
            found = self.classifier.classify_many([(m, r) for _, m, r in survivors])
            for (index, mention, relevance), classification in zip(survivors, found):
                results[index] = self._finish(mention, items[index][1], nows[index], relevance, classification)
        return results  # type: ignore[return-value]

    def likely_model_texts(self, mentions: Sequence[Mention]) -> list[str]:
        """The texts of ``mentions`` the classifier will probably want the model's opinion on,
        guessed without changing any state (the repeat counter, the remembered conversations):
        what a look-ahead may encode while the previous batch is being stored. A wrong guess
        costs time only; the real pass decides as always."""
        needs = getattr(self.classifier, "needs_model", None)
        if needs is None:
            return []
        texts = []
        for mention in mentions:
            if noise_reason(mention, self.brands.own_handles):
                continue
            static = self.spam.static_signals(mention)
            by_text = self.brands.match(mention.text)
            with self._looked_ahead_lock:  # webhook requests look ahead concurrently
                self._looked_ahead[id(mention)] = (mention, static, by_text)
                if len(self._looked_ahead) > MAX_LOOKED_AHEAD:
                    self._looked_ahead.popitem(last=False)
            if self.spam.is_spam(self.spam.signals(mention, count_repeat=False, static=static)):
                continue
            addressed = "sent to the brand" if mention.direct else (
                "reply in a conversation with the brand" if self._conversation_key(mention) in self._brand_conversations
                else None)
            relevance = _addressed_relevance(self.brands, mention.text, by_text, addressed)
            if relevance.relevant and needs(mention, relevance):
                # What the classifier will ask the model about: the masked text (see classify_many).
                texts.append(mention.text if relevance.masked_text is None else relevance.masked_text)
        return texts

    def _cheap_stages(self, mention: Mention, context: CustomerContext) -> TriageResult | Relevance:
        if why := noise_reason(mention, self.brands.own_handles):
            if why == "the brand's own post":
                self._remember_conversation(mention)
            return self._dropped("noise", self.brands.own_handles.get(mention.author_handle.lower()), [why])
        with self._looked_ahead_lock:
            ahead = self._looked_ahead.pop(id(mention), None)
        static, by_text = ahead[1:] if ahead is not None and ahead[0] is mention else (None, None)
        by_text = by_text or self.brands.match(mention.text)
        signals = self.spam.signals(mention, static=static)
        if self.spam.is_spam(signals):
            reasons = [f"{s.detail} (+{s.weight:g})" for s in sorted(signals, key=lambda s: -s.weight)]
            return self._dropped("spam", by_text.brand, reasons)
        relevance = _addressed_relevance(self.brands, mention.text, by_text, self._addressed(mention, context))
        if not relevance.relevant:
            return self._dropped("noise", None, ["no brand or industry reference"])
        if relevance.direct:
            # Remembered now, not after classification, so that a reply later in the same batch
            # already counts as part of the conversation.
            self._remember_conversation(mention)
        return relevance

    def _finish(self, mention: Mention, context: CustomerContext, now: datetime, relevance: Relevance,
                found: Classification) -> TriageResult:
        flag = [found.abuse.evidence] if found.abuse else []
        if found.tier in ("noise", "spam"):
            return TriageResult(found.tier, found.intent, found.sentiment, found.topic, 0.0, relevance.brand, None,
                                found.evidence[:1] + flag, abusive=found.abusive, abuse=found.abuse)
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
                            team.name if team else None, top + found.evidence[:2] + flag, contributions,
                            found.abusive, found.abuse)

    def _addressed(self, mention: Mention, context: CustomerContext) -> str | None:
        if mention.direct:
            return "sent to the brand"
        if context.in_brand_conversation or self._conversation_key(mention) in self._brand_conversations:
            return "reply in a conversation with the brand"
        return None

    @staticmethod
    def _conversation_key(mention: Mention) -> tuple[str, str]:
        return (mention.platform, mention.conversation_id or mention.external_id)

    def _remember_conversation(self, mention: Mention) -> None:
        key = self._conversation_key(mention)
        self._brand_conversations[key] = None
        self._brand_conversations.move_to_end(key)
        if len(self._brand_conversations) > MAX_REMEMBERED_CONVERSATIONS:
            self._brand_conversations.popitem(last=False)

    def _dropped(self, tier: str, brand: str | None, reasons: list[str]) -> TriageResult:
        return TriageResult(tier, tier, NEUTRAL, None, 0.0, brand, None, reasons)


def _addressed_relevance(brands: BrandMatcher, text: str, by_text: Relevance, addressed: str | None) -> Relevance:
    """``brands.match(text, addressed)`` from ``by_text`` (``brands.match(text)``): the same unless
    the text names no brand and the post is addressed to one anyway (then matched again)."""
    return by_text if by_text.direct or addressed is None else brands.match(text, addressed=addressed)
