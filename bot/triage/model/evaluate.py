"""`mentiondesk eval`: rules-only, model and cascade side by side on held-out examples.

The three configurations answer the same question per task:

- **rules**: the rules + VADER classifier (what runs without a model);
- **model**: the trained head alone;
- **cascade**: what triage really does with a model: rules decide where they are sure
  (crisis and urgency words, spam signals, topic keywords), the head elsewhere. For spam that
  means the rules plus the head only where it is at least ``spam_drop_probability`` sure and
  nothing calls the post a complaint: triage trades spam recall for never dropping a customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.config import Config
from bot.core.mention import Mention
from bot.triage.classifier import RulesClassifier
from bot.triage.model.datasets import Example
from bot.triage.model.metrics import Report, report
from bot.triage.relevance import Relevance
from bot.triage.sentiment import label_for
from bot.triage.spam import SpamFilter
from bot.triage.topic import GENERAL

CONFIGURATIONS = ("rules", "model", "cascade")
# ``actionable`` reads the complaint labels (a negative tweet needs an answer) the way triage acts
# on them: every tier-1 intent counts, a direct question too, since it gets a card all the same.
EVAL_TASKS = ("sentiment", "complaint", "actionable", "topic", "spam")
ACTIONABLE = "actionable"
NO_TOPIC = "(no topic)"
COMPLAINT_INTENTS = {"complaint", "crisis", "urgent"}


@dataclass(frozen=True)
class Evaluation:
    task: str
    reports: dict[str, Report]  # configuration -> report
    encoded_share: float | None = None  # of the examples, how many the cascade sent to the encoder
    # topic: per configuration, the share of posts given a topic and the accuracy on those
    routing: dict[str, dict[str, float]] | None = None


def _mention(index: int, text: str) -> Mention:
    from datetime import datetime, timezone

    # Followers set high enough that "few followers" never fires: only the text is judged.
    return Mention(platform="file", external_id=str(index), text=text, created_at=datetime.now(timezone.utc),
                   author_handle="someone", author_followers=1000, lang="en")


def data_task(task: str) -> str:
    """The labeled data set (and head) an evaluation task reads."""
    return "complaint" if task == ACTIONABLE else task


def evaluate(task: str, examples: list[Example], config: Config, heads: dict | None, encoder=None,
             configurations=CONFIGURATIONS, screen=None) -> Evaluation:
    texts = [e.text for e in examples]

    def named(labels: list[str]) -> list[str]:
        return [ACTIONABLE if label == "complaint" else label for label in labels] if task == ACTIONABLE else labels

    truth = named([e.label for e in examples])
    labels = sorted(set(truth))
    rules = RulesClassifier(config.triage)
    relevance = Relevance(brand="brand", matched=("eval",))  # every example is about the brand
    mentions = [_mention(i, t) for i, t in enumerate(texts)]
    vectors = encoder.encode(texts) if heads is not None and encoder is not None else None
    head = (heads or {}).get(data_task(task))
    label_of_topic = {}
    for label, topic in config.triage.model.topic_map.items():
        label_of_topic.setdefault(topic, label)

    def rules_predictions() -> list[str]:
        if task == "sentiment":
            return [label_for(rules.vader_score(t)) for t in texts]
        if task == "complaint":
            return ["complaint" if rules.classify(m, relevance).intent in COMPLAINT_INTENTS else "other"
                    for m in mentions]
        if task == ACTIONABLE:
            return [ACTIONABLE if rules.classify(m, relevance).tier == "tier1" else "other" for m in mentions]
        if task == "topic":
            out = []
            for t in texts:
                topic = rules.keyword_topic(t)
                out.append(label_of_topic.get(topic, NO_TOPIC) if topic != GENERAL else NO_TOPIC)
            return out
        spam = SpamFilter(config.triage.spam, set())
        return ["spam" if spam.is_spam(spam.signals(m)) else "quality" for m in mentions]

    def model_predictions() -> list[str]:
        if head is None or vectors is None:
            raise ValueError(f"no trained {task} head: run `mentiondesk train` first")
        if data_task(task) == "complaint":  # the complaint probability triage uses (blend included)
            from bot.triage.model.heads import complaint_probabilities

            probs = complaint_probabilities(heads, texts, vectors)
            return named(["complaint" if p >= head.threshold else "other" for p in probs])
        return named(head.predict(texts, vectors))

    def cascade_predictions(model: list[str], rule: list[str]) -> list[str]:
        if task == "topic":
            # As triage routes: the keywords' topic, else the head's where it is sure, else none
            # (the post goes to the default team).
            sure = head.sure(texts, vectors)
            return [r if r != NO_TOPIC else (s or NO_TOPIC) for r, s in zip(rule, sure)]
        from bot.triage.model.classifier import ModelClassifier

        cached = _Cached(encoder, texts, vectors)
        cascade = ModelClassifier(config.triage, heads, cached, config.triage.model.topic_map, screen)
        found = cascade.classify_many([(m, relevance) for m in mentions])
        encoded[0] = cached.encoded / max(len(texts), 1)
        if task == "spam":
            # What triage drops: the spam rules, then the head where it is sure enough and
            # nothing calls the post a complaint (triage.model.spam_drop_probability).
            return ["spam" if r == "spam" or f.intent == "spam" else "quality" for r, f in zip(rule, found)]
        if task == "sentiment":
            return [f.sentiment.label for f in found]
        if task == ACTIONABLE:
            return [ACTIONABLE if f.tier == "tier1" else "other" for f in found]
        return ["complaint" if f.intent in COMPLAINT_INTENTS else "other" for f in found]

    reports: dict[str, Report] = {}
    predictions: dict[str, list[str]] = {}
    encoded: list[float | None] = [None]
    rule = rules_predictions() if {"rules", "cascade"} & set(configurations) else []
    if "rules" in configurations:
        predictions["rules"] = rule
    if {"model", "cascade"} & set(configurations) and head is not None:
        model = model_predictions()
        if "model" in configurations:
            predictions["model"] = model
        if "cascade" in configurations:
            predictions["cascade"] = cascade_predictions(model, rule)
    for name, predicted in predictions.items():
        reports[name] = report(truth, predicted, labels)
    routing = None
    if task == "topic" and reports:
        routing = {}
        for name, predicted in predictions.items():
            routing[name] = _routing(truth, predicted)
        if head is not None and vectors is not None:
            routing["model, sure only"] = _routing(truth, [s or NO_TOPIC for s in head.sure(texts, vectors)])
    return Evaluation(task, reports, encoded[0], routing)


def _routing(truth: list[str], predicted: list[str]) -> dict[str, float]:
    routed = [(t, p) for t, p in zip(truth, predicted) if p != NO_TOPIC]
    return {"coverage": round(len(routed) / max(len(truth), 1), 4),
            "accuracy": round(sum(t == p for t, p in routed) / max(len(routed), 1), 4)}


class _Cached:
    """An encoder that answers from vectors already computed for the evaluation texts."""

    def __init__(self, encoder, texts: list[str], vectors):
        self._encoder = encoder
        self._known = {t: v for t, v in zip(texts, vectors)}
        self.encoded = 0  # texts the cascade asked for

    def encode(self, texts: list[str]):
        import numpy as np

        self.encoded += len(texts)
        if all(t in self._known for t in texts):
            return np.stack([self._known[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)
        return self._encoder.encode(texts)
