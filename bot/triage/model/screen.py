"""The screen: word and character n-gram heads that settle the clear posts before the encoder runs.

Most brand mentions that reach the model are plainly fine ("Flying to Lisbon tomorrow, can't
wait ✈️", "the crew was amazing"). A sparse logistic regression reads them about a hundred
times faster than MiniLM and is as right about them as the full heads are. So a post is
*settled* by the screen, and never encoded, only when all three screen heads are sure:

- complaint: its probability is below a floor that, on the tuning split, lets through fewer than
  ``COMPLAINT_MISS`` of the real complaints (a missed complaint is the costly mistake);
- sentiment: its top class is at least ``sentiment_confidence`` sure, the lowest confidence at
  which the screen is, on the tuning split, at least as accurate as the full sentiment head on
  the same posts;
- spam: its probability is below a floor that lets through fewer than ``SPAM_MISS`` of the spam
  (the spam head can only drop what it sees).

Everything else goes to the encoder and the full heads, exactly as without a screen. The floors
are chosen on ``tune`` only; `mentiondesk eval` reports the cascade with the screen on ``eval``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.triage.classifier import ModelHints
from bot.triage.model.heads import NgramViews
from bot.triage.sentiment import from_probabilities

SCREEN_TASKS = ("complaint", "sentiment", "spam")
SCREEN_PREFIX = "screen_"  # the screen's heads are saved beside the full ones as screen_<task>
COMPLAINT_MISS = 0.005
SPAM_MISS = 0.02
SCREEN_C = 4.0  # the sparse heads' regularisation (only n-grams: no grid needed to be sure of it)


@dataclass
class Screen:
    heads: dict  # task -> Head with embedding_weight 0 (n-grams only)
    complaint_below: float
    sentiment_confidence: float
    spam_below: float

    def settle(self, texts: list[str], views: NgramViews | None = None) -> list[ModelHints | None]:
        """For each text, the screen's hints when it settles the post, else None (encode it).
        ``views``: the texts' n-gram matrices, shared with the full heads that follow."""
        if not texts:
            return []
        views = views or NgramViews(texts)
        complaint, sentiment, spam = (self.heads[t] for t in SCREEN_TASKS)
        p_complaint = complaint.probabilities(texts, None, views)[:, complaint.classes.index("complaint")]
        p_spam = spam.probabilities(texts, None, views)[:, spam.classes.index("spam")]
        p_sentiment = sentiment.probabilities(texts, None, views)
        classes = sentiment.classes
        out: list[ModelHints | None] = []
        for pc, ps, probs in zip(p_complaint, p_spam, p_sentiment):
            if pc >= self.complaint_below or ps >= self.spam_below or probs.max() < self.sentiment_confidence:
                out.append(None)
                continue
            out.append(ModelHints(
                sentiment=from_probabilities(probs, classes),
                complaint_probability=float(pc), is_complaint=False, spam_probability=float(ps)))
        return out

    def describe(self) -> dict:
        return {"complaint_below": self.complaint_below, "sentiment_confidence": self.sentiment_confidence,
                "spam_below": self.spam_below}


def miss_floor(probabilities: np.ndarray, share: float) -> float:
    """The probability below which at most ``share`` of these (positive) examples fall."""
    if len(probabilities) == 0:
        return 0.0
    ordered = np.sort(probabilities)
    k = int(np.floor(share * len(ordered)))
    return float(ordered[k]) if k < len(ordered) else 1.0


def sentiment_confidence(screen_probs: np.ndarray, screen_classes: list[str], full_predictions: list[str],
                         truth: list[str], eligible: np.ndarray) -> float:
    """The lowest confidence at which the screen is at least as accurate as the full head on the
    posts it would settle (among ``eligible``: those the complaint and spam floors let through)."""
    screen_predictions = np.array(screen_classes)[screen_probs.argmax(axis=1)]
    truth_array, full_array = np.array(truth), np.array(full_predictions)
    confidence = screen_probs.max(axis=1)
    for threshold in np.arange(50, 100) / 100:  # exact hundredths, no float drift
        settled = eligible & (confidence >= threshold)
        if settled.sum() < 20:
            break
        screen_right = (screen_predictions[settled] == truth_array[settled]).mean()
        full_right = (full_array[settled] == truth_array[settled]).mean()
        if screen_right >= full_right:
            return round(float(threshold), 2)
    return 1.01  # never sure enough: the screen settles nothing


def screen_from(heads: dict, manifest: dict) -> Screen | None:
    """The screen saved with these heads, or None (heads trained before it existed: encode all)."""
    floors = manifest.get("screen")
    names = [f"{SCREEN_PREFIX}{task}" for task in SCREEN_TASKS]
    if not isinstance(floors, dict) or not all(name in heads for name in names):
        return None
    return Screen({task: heads[name] for task, name in zip(SCREEN_TASKS, names)}, float(floors["complaint_below"]),
                  float(floors["sentiment_confidence"]), float(floors["spam_below"]))
